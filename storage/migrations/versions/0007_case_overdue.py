"""When a case first passed a time limit.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs, not a batch: rebuilding case_file would trip the foreign keys on it.
    op.add_column("case_file", sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_case_file_overdue_at"), "case_file", ["overdue_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_case_file_overdue_at"), table_name="case_file")
    op.drop_column("case_file", "overdue_at")
