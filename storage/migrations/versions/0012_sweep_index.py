"""The task bridge sweeps open tasks in batches by job key (one index range per batch).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_human_task_sweep", "human_task", ["status", "job_key"])


def downgrade() -> None:
    op.drop_index("ix_human_task_sweep", table_name="human_task")
