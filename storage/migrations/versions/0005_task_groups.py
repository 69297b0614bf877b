"""One row per candidate group of a human task, for the inbox by role.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "human_task_group",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["human_task.id"], name=op.f("fk_human_task_group_task_id_human_task")
        ),
        sa.PrimaryKeyConstraint("task_id", "role", name=op.f("pk_human_task_group")),
    )
    with op.batch_alter_table("human_task_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_human_task_group_role"), ["role"], unique=False)
    bind = op.get_bind()
    tasks = sa.table("human_task", sa.column("id"), sa.column("candidate_groups", sa.JSON))
    groups = sa.table("human_task_group", sa.column("task_id"), sa.column("role"))
    rows = [
        {"task_id": task_id, "role": str(role)}
        for task_id, roles in bind.execute(sa.select(tasks.c.id, tasks.c.candidate_groups))
        for role in dict.fromkeys(roles or [])
    ]
    if rows:
        op.bulk_insert(groups, rows)


def downgrade() -> None:
    with op.batch_alter_table("human_task_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_human_task_group_role"))

    op.drop_table("human_task_group")
