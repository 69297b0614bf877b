"""The SLA clock of a case (``case_clock``).

Revision ID: 0021
Revises: 0020

One row per due-date variable of a case's process, written by the ``sla`` worker when it
computes the due date, pauses the clock and resumes it: the due instant, since when it is
paused, the working minutes paused so far, the limit as the SOP states it, the agency whose
working-day calendar counts it, and whether it is the service's time limit (those the case
page and the tracking page show).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_clock",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_file.id"), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paused_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_minutes", sa.Integer(), nullable=False),
        sa.Column("limit", sa.String(length=255), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("service", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "name", name="uq_case_clock_case_id"),
    )
    op.create_index("ix_case_clock_case_id", "case_clock", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_clock_case_id", table_name="case_clock")
    op.drop_table("case_clock")
