"""Agencies as data an administrator edits (issue 24): letterhead, logo, registers, days off,
history.

Revision ID: 0017
Revises: 0016

``agency`` holds each agency's letterhead, place of signing, time zone and logo;
``agency_register`` its registers (title, number pattern, the kind that sets the book's
columns); ``agency_day_off`` its own days off; ``agency_change`` who changed what and when.
A unit may belong to an agency's tree (``unit.agency_code``), and a register entry names the
other party (``register_entry.party``: whom a letter is addressed to, who filed what is
recorded).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("parent", sa.String(length=255), nullable=False),
        sa.Column("units", sa.JSON(), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("contact", sa.String(length=500), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(length=32), nullable=True),
        sa.Column("logo_sha256", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agency")),
    )
    op.create_table(
        "agency_register",
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("pattern", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agency.code"],
            name=op.f("fk_agency_register_agency_code_agency"),
        ),
        sa.PrimaryKeyConstraint("agency_code", "code", name=op.f("pk_agency_register")),
    )
    op.create_table(
        "agency_day_off",
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agency.code"],
            name=op.f("fk_agency_day_off_agency_code_agency"),
        ),
        sa.PrimaryKeyConstraint("agency_code", "day", name=op.f("pk_agency_day_off")),
    )
    op.create_table(
        "agency_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_change")),
    )
    op.create_index(
        op.f("ix_agency_change_agency_code"), "agency_change", ["agency_code"], unique=False
    )
    # Plain ALTERs, not a batch: rebuilding unit would trip the foreign keys on it.
    op.add_column("unit", sa.Column("agency_code", sa.String(length=32), nullable=True))
    op.create_index(op.f("ix_unit_agency_code"), "unit", ["agency_code"], unique=False)
    op.add_column(
        "register_entry",
        sa.Column("party", sa.String(length=255), server_default="", nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("register_entry") as batch:
        batch.drop_column("party")
    op.drop_index(op.f("ix_unit_agency_code"), table_name="unit")
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("agency_code")
    op.drop_index(op.f("ix_agency_change_agency_code"), table_name="agency_change")
    op.drop_table("agency_change")
    op.drop_table("agency_day_off")
    op.drop_table("agency_register")
    op.drop_table("agency")
