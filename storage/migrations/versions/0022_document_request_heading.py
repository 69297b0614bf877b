"""What a request for documents is, as the applicant reads it (``document_request.heading``).

Revision ID: 0022
Revises: 0021

Empty for a file returned because it is incomplete (the default wording); set by the diagram's
header ``judul`` when the step asks for something else, e.g. SOP 2's follow-up of a meeting.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("document_request", sa.Column("heading", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column("document_request", "heading")
