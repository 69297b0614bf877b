"""How a case came, and who registered it: the online form, or staff on the applicant's
behalf (a letter, a visit at the counter, a telephone call...).

Revision ID: 0019
Revises: 0018

``case_file.channel`` holds a channel code of the case's service; every case before this
revision came through the online form (``daring``). ``case_file.registered_by`` names the
member of staff who registered it (empty for online applications).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs, not a batch: rebuilding case_file would trip the foreign keys on it.
    op.add_column(
        "case_file",
        sa.Column("channel", sa.String(length=32), server_default="daring", nullable=False),
    )
    op.add_column("case_file", sa.Column("registered_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("case_file", "registered_by")
    op.drop_column("case_file", "channel")
