"""Letters reviewed up a chain and issued signed (issue 25): draft versions, each tier's
decision on them, and each issued letter's signature and public verification code.

Revision ID: 0018
Revises: 0017

``letter_draft`` keeps every version of a letter drafted in a case (one series per chain name,
numbered from 1), with its content and the content's SHA-256; ``letter_review`` each tier's
decision on one version (initials, the signer's approval, or a return with its note);
``letter_signature`` each issued letter's number, signer, verification code and, once the
signed PDF is stored, its document and hashes. Each is keyed by what wrote it (the drafting
step, the reviewing task, the issuing step), so writing again adds nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("source_key", sa.String(length=255), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_by_name", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_letter_draft_version_positive")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_letter_draft_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_draft")),
        sa.UniqueConstraint("case_id", "name", "version", name=op.f("uq_letter_draft_case_id")),
        sa.UniqueConstraint("source_key", name=op.f("uq_letter_draft_source_key")),
    )
    op.create_table(
        "letter_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("task_key", sa.String(length=255), nullable=False),
        sa.Column("step_name", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.String(length=255), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('paraf', 'tandatangan', 'kembalikan')",
            name=op.f("ck_letter_review_decision_known"),
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["letter_draft.id"], name=op.f("fk_letter_review_draft_id_letter_draft")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_review")),
        sa.UniqueConstraint("task_key", name=op.f("uq_letter_review_task_key")),
    )
    op.create_index(op.f("ix_letter_review_draft_id"), "letter_review", ["draft_id"], unique=False)
    op.create_index(op.f("ix_letter_review_username"), "letter_review", ["username"], unique=False)
    op.create_table(
        "letter_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.String(length=255), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("letter_date", sa.Date(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("signer_name", sa.String(length=255), nullable=False),
        sa.Column("signer_nip", sa.String(length=32), nullable=True),
        sa.Column("signer_position", sa.String(length=255), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("signed_sha256", sa.String(length=64), nullable=True),
        sa.Column("certificate_sha256", sa.String(length=64), nullable=True),
        sa.Column("backend", sa.String(length=32), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_letter_signature_case_id_case_file")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["case_document.id"],
            name=op.f("fk_letter_signature_document_id_case_document"),
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["letter_draft.id"],
            name=op.f("fk_letter_signature_draft_id_letter_draft"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_signature")),
        sa.UniqueConstraint("code", name=op.f("uq_letter_signature_code")),
        sa.UniqueConstraint("document_id", name=op.f("uq_letter_signature_document_id")),
        sa.UniqueConstraint("source_key", name=op.f("uq_letter_signature_source_key")),
    )
    op.create_index(
        op.f("ix_letter_signature_case_id"), "letter_signature", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_letter_signature_signed_sha256"),
        "letter_signature",
        ["signed_sha256"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_letter_signature_signed_sha256"), table_name="letter_signature")
    op.drop_index(op.f("ix_letter_signature_case_id"), table_name="letter_signature")
    op.drop_table("letter_signature")
    op.drop_index(op.f("ix_letter_review_username"), table_name="letter_review")
    op.drop_index(op.f("ix_letter_review_draft_id"), table_name="letter_review")
    op.drop_table("letter_review")
    op.drop_table("letter_draft")
