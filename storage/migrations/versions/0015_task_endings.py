"""How each task ended, and where the engine-record listener got to (issue 23).

Revision ID: 0015
Revises: 0014

``human_task.end_reason`` says how a task ended as the engine recorded it (completed in Alur,
completed by another Zeebe client, cancelled because the process moved on or because its case
was stopped); ``ended_by`` names the other client's worker. ``engine_cursor`` keeps, per
partition, the last record position the listener applied.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("human_task") as batch:
        batch.add_column(sa.Column("end_reason", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("ended_by", sa.String(length=255), nullable=True))
    op.create_table(
        "engine_cursor",
        sa.Column("partition_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("partition_id", name=op.f("pk_engine_cursor")),
    )


def downgrade() -> None:
    op.drop_table("engine_cursor")
    with op.batch_alter_table("human_task") as batch:
        batch.drop_column("ended_by")
        batch.drop_column("end_reason")
