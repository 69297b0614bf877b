"""Indexes for the inbox and the SLA dashboard at national scale (issue 13, benchmark 3).

Revision ID: 0009
Revises: 0008

What each one serves, and the plans before and after: ``python -m bench --only national
--plans``. Every index is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_index(
        "ix_human_task_inbox", "human_task", ["status", "assignee", "unit_code", "due_at", "id"]
    )
    op.create_index("ix_human_task_completed_by", "human_task", ["completed_by", "status"])
    op.create_index(
        "ix_human_task_open_due",
        "human_task",
        ["unit_code", "due_at", "id", "bpmn_process_id", "tracking_code", "assignee", "name"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_index(
        "ix_human_task_sla",
        "human_task",
        [
            "unit_code",
            "status",
            "closed_at",
            "bpmn_process_id",
            "due_at",
            "created_at",
            "name",
            "element_id",
        ],
    )
    op.create_index(
        "ix_case_file_sla",
        "case_file",
        ["unit_code", "status", "bpmn_process_id", "overdue_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_case_file_sla", table_name="case_file")
    op.drop_index("ix_human_task_sla", table_name="human_task")
    op.drop_index("ix_human_task_open_due", table_name="human_task")
    op.drop_index("ix_human_task_completed_by", table_name="human_task")
    op.drop_index("ix_human_task_inbox", table_name="human_task")
