"""Job incidents staff can see, and failed sign-in and tracking attempts (issue 14).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_key", sa.BigInteger(), nullable=False),
        sa.Column("process_instance_key", sa.BigInteger(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("tracking_code", sa.String(32), nullable=True),
        sa.Column("unit_code", sa.String(64), nullable=True),
        sa.Column("bpmn_process_id", sa.String(255), nullable=False),
        sa.Column("element_id", sa.String(255), nullable=False),
        sa.Column("step", sa.String(255), nullable=False),
        sa.Column("job_type", sa.String(255), nullable=False),
        sa.Column("reason", sa.String(255), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job_key"),
    )
    op.create_index("ix_job_incident_open", "job_incident", ["resolved_at", "unit_code"])
    op.create_table(
        "failed_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(255), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_failed_attempt_bucket_at", "failed_attempt", ["bucket", "at"])


def downgrade() -> None:
    op.drop_index("ix_failed_attempt_bucket_at", table_name="failed_attempt")
    op.drop_table("failed_attempt")
    op.drop_index("ix_job_incident_open", table_name="job_incident")
    op.drop_table("job_incident")
