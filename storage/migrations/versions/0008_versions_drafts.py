"""Which process version each case runs on; diagrams saved in the browser modeler.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs, not a batch: rebuilding case_file would trip the foreign keys on it.
    op.add_column("case_file", sa.Column("process_definition_key", sa.BigInteger(), nullable=True))
    op.create_index(
        op.f("ix_case_file_process_definition_key"),
        "case_file",
        ["process_definition_key"],
        unique=False,
    )
    op.create_table(
        "diagram_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bpmn_process_id", sa.String(length=255), nullable=False),
        sa.Column("resource_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("saved_by", sa.String(length=255), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deployed_key", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagram_draft")),
    )
    op.create_index(
        op.f("ix_diagram_draft_bpmn_process_id"), "diagram_draft", ["bpmn_process_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_diagram_draft_bpmn_process_id"), table_name="diagram_draft")
    op.drop_table("diagram_draft")
    op.drop_index(op.f("ix_case_file_process_definition_key"), table_name="case_file")
    op.drop_column("case_file", "process_definition_key")
