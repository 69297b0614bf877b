"""The engine's own records, written by Alur's exporter in the broker (issue 23).

Revision ID: 0014
Revises: 0013

One row per exported record, keyed by its place in the partition's log: the exporter inserts
with ``ON CONFLICT DO NOTHING``, so records handed over again after a restart change nothing.
The primary key reads a partition in log order; the second index reads one instance's history.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "engine_record",
        sa.Column("partition_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("record_key", sa.BigInteger(), nullable=False),
        sa.Column("value_type", sa.String(length=32), nullable=False),
        sa.Column("intent", sa.String(length=48), nullable=False),
        sa.Column("timestamp_ms", sa.BigInteger(), nullable=False),
        sa.Column("process_instance_key", sa.BigInteger(), nullable=True),
        sa.Column("bpmn_process_id", sa.String(length=255), nullable=True),
        sa.Column("element_id", sa.String(length=255), nullable=True),
        sa.Column("element_instance_key", sa.BigInteger(), nullable=True),
        sa.Column("element_type", sa.String(length=48), nullable=True),
        sa.Column("job_type", sa.String(length=255), nullable=True),
        sa.Column("worker", sa.String(length=255), nullable=True),
        sa.Column("record_json", sa.Text(), nullable=False),
        sa.Column("written_at_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("partition_id", "position", name=op.f("pk_engine_record")),
    )
    op.create_index(
        "ix_engine_record_instance", "engine_record", ["process_instance_key", "position"]
    )


def downgrade() -> None:
    op.drop_index("ix_engine_record_instance", table_name="engine_record")
    op.drop_table("engine_record")
