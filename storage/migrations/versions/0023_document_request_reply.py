"""A request that asks the applicant for a written reply (``document_request.asks_reply``,
``document_request.reply``).

Revision ID: 0023
Revises: 0022

Set by the diagram's header ``tanggapan`` ("wajib"), e.g. SOP 5's closing of a report: the
reporter answers whether the agency's follow-up settled the matter. Every request before this
revision asked for files only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_request") as batch_op:
        batch_op.add_column(
            sa.Column("asks_reply", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("reply", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_request") as batch_op:
        batch_op.drop_column("reply")
        batch_op.drop_column("asks_reply")
