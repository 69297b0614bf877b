"""The inbox's first page and tab counts from the group index alone (issue 13, PostgreSQL).

Revision ID: 0013
Revises: 0012

``human_task_group`` gets whether its task is claimed, its due date and its creation time,
and the inbox index covers them: PostgreSQL no longer fetches every candidate task's row
(thousands for a national admin) to test the assignee and sort by deadline.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OLD_COLUMNS = ["role", "status", "unit_code", "task_id"]
NEW_COLUMNS = ["role", "status", "claimed", "unit_code", "due_at", "created_at", "task_id"]


def upgrade() -> None:
    op.drop_index("ix_human_task_group_inbox", table_name="human_task_group")
    with op.batch_alter_table("human_task_group") as batch_op:
        batch_op.add_column(
            sa.Column("claimed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE human_task_group SET"
        " claimed = (SELECT assignee IS NOT NULL FROM human_task WHERE human_task.id = task_id),"
        " due_at = (SELECT due_at FROM human_task WHERE human_task.id = task_id),"
        " created_at = (SELECT created_at FROM human_task WHERE human_task.id = task_id)"
    )
    op.create_index("ix_human_task_group_inbox", "human_task_group", NEW_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_human_task_group_inbox", table_name="human_task_group")
    with op.batch_alter_table("human_task_group") as batch_op:
        batch_op.drop_column("created_at")
        batch_op.drop_column("due_at")
        batch_op.drop_column("claimed")
    op.create_index("ix_human_task_group_inbox", "human_task_group", OLD_COLUMNS)
