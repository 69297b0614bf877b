"""Human tasks mirrored from Zeebe for the staff inbox.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "human_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_key", sa.BigInteger(), nullable=False),
        sa.Column("process_instance_key", sa.BigInteger(), nullable=False),
        sa.Column("process_definition_key", sa.BigInteger(), nullable=False),
        sa.Column("bpmn_process_id", sa.String(length=255), nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("element_instance_key", sa.BigInteger(), nullable=False),
        sa.Column("form_key", sa.String(length=255), nullable=True),
        sa.Column("candidate_groups", sa.JSON(), nullable=False),
        sa.Column("assignee", sa.String(length=255), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("variables", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("completed_by", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_human_task")),
        sa.UniqueConstraint("job_key", name=op.f("uq_human_task_job_key")),
    )
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_human_task_bpmn_process_id"), ["bpmn_process_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_human_task_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_human_task_process_instance_key"), ["process_instance_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_human_task_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_human_task_status"))
        batch_op.drop_index(batch_op.f("ix_human_task_process_instance_key"))
        batch_op.drop_index(batch_op.f("ix_human_task_due_at"))
        batch_op.drop_index(batch_op.f("ix_human_task_bpmn_process_id"))

    op.drop_table("human_task")
