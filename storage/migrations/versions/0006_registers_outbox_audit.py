"""Registers and their numbers, the mail outbox, case outcome; the audit trail append-only.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

APPEND_ONLY = ("case_event", "register_entry")


def upgrade() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("document_ids", sa.JSON(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_mail_outbox_key")),
    )
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mail_outbox_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mail_outbox_status"), ["status"], unique=False)

    op.create_table(
        "register_counter",
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("register", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agency", "register", "year", name=op.f("pk_register_counter")),
    )
    op.create_table(
        "register_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("register", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_entry")),
        sa.UniqueConstraint(
            "agency", "register", "year", "seq", name=op.f("uq_register_entry_agency")
        ),
        sa.UniqueConstraint("key", name=op.f("uq_register_entry_key")),
        sa.UniqueConstraint("number", name=op.f("uq_register_entry_number")),
    )
    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_entry_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_key", sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_case_event_source_key"), ["source_key"])

    op.add_column("case_file", sa.Column("outcome", sa.String(length=500), nullable=True))
    for table in APPEND_ONLY:
        _forbid_changes(table)


def _forbid_changes(table: str) -> None:
    """Rows of ``table`` can be inserted, never updated or deleted (by the app or by hand)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{table} is append-only'; END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    for table in APPEND_ONLY:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION {table}_append_only()")
        else:
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(f"DROP TRIGGER {table}_no_delete")
    op.drop_column("case_file", "outcome")

    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_case_event_source_key"), type_="unique")
        batch_op.drop_column("source_key")

    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_entry_case_id"))

    op.drop_table("register_entry")
    op.drop_table("register_counter")
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_outbox_status"))
        batch_op.drop_index(batch_op.f("ix_mail_outbox_case_id"))

    op.drop_table("mail_outbox")
