"""The inbox finds tasks by role from one index (issue 13, benchmark 3).

Revision ID: 0010
Revises: 0009

``human_task_group`` gets its task's status and unit, kept in step by ``storage.tasks``, and
an index on (role, status, unit_code, task_id): a member's open tasks are a few index ranges
instead of a role lookup for every open unclaimed task. The single-column indexes on
``human_task.status`` and ``human_task.unit_code`` are covered by ``ix_human_task_inbox`` and
the SLA indexes of 0009; the one on ``human_task_group.role`` by the new index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("human_task_group") as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(16), nullable=False, server_default="open")
        )
        batch_op.add_column(sa.Column("unit_code", sa.String(64), nullable=True))
        batch_op.drop_index("ix_human_task_group_role")
    op.execute(
        "UPDATE human_task_group SET"
        " status = (SELECT status FROM human_task WHERE human_task.id = task_id),"
        " unit_code = (SELECT unit_code FROM human_task WHERE human_task.id = task_id)"
    )
    op.create_index(
        "ix_human_task_group_inbox",
        "human_task_group",
        ["role", "status", "unit_code", "task_id"],
    )
    op.drop_index("ix_human_task_status", table_name="human_task")
    op.drop_index("ix_human_task_unit_code", table_name="human_task")


def downgrade() -> None:
    op.create_index("ix_human_task_unit_code", "human_task", ["unit_code"])
    op.create_index("ix_human_task_status", "human_task", ["status"])
    op.drop_index("ix_human_task_group_inbox", table_name="human_task_group")
    with op.batch_alter_table("human_task_group") as batch_op:
        batch_op.create_index("ix_human_task_group_role", ["role"])
        batch_op.drop_column("unit_code")
        batch_op.drop_column("status")
