"""Documents a case waits for (``document_request``), and the services a unit receives
(``unit.services``).

Revision ID: 0020
Revises: 0019

A ``document_request`` row is written when a step of a diagram returns a file to the applicant
to complete: what is missing, then how and when it was answered and when the engine got the
answer. ``unit.services`` lists the services whose cases the unit receives for its agency
(empty for every unit before this revision: each service had one receiving unit, its own).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_file.id"), nullable=False),
        sa.Column("step_key", sa.String(length=64), nullable=False, unique=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_document_request_case_id", "document_request", ["case_id"])
    op.add_column("unit", sa.Column("services", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    op.drop_column("unit", "services")
    op.drop_index("ix_document_request_case_id", table_name="document_request")
    op.drop_table("document_request")
