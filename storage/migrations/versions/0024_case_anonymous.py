"""A report whose author stays anonymous to the units handling it (``case_file.anonymous``),
one the public must not see (``case_file.confidential``), and the case a complaint is about
(``case_file.related_case_id``).

Revision ID: 0024
Revises: 0023

SP4N-LAPOR! (SOP 5): the reporter ticks *Anonim*; the intake keeps their name and telephone
out of the case and its process and shows staff no e-mail address (the system still sends
the reporter's e-mails). *Rahasia*: the report stays off the public list of reports. Every
case before this revision named its applicant, was not confidential and concerned no other
case (SP4N-LAPOR! is the complaint channel of every other service: a report started from a
case's tracking page names it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.add_column(
            sa.Column("anonymous", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(
            "ix_case_file_published", ["service_code", "confidential", "created_at"]
        )
        batch_op.add_column(sa.Column("related_case_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_case_file_related_case_id", ["related_case_id"])


def downgrade() -> None:
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.drop_index("ix_case_file_related_case_id")
        batch_op.drop_column("related_case_id")
        batch_op.drop_index("ix_case_file_published")
        batch_op.drop_column("confidential")
        batch_op.drop_column("anonymous")
