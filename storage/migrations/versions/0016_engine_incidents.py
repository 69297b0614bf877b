"""Incidents the engine raised, beside those Alur's workers open (issue 23).

Revision ID: 0016
Revises: 0015

A Zeebe incident (a condition that cannot be evaluated, a job another client failed for good,
a missing variable) has no job of Alur's behind it: ``job_incident.job_key`` becomes optional
and ``incident_key`` keeps the engine's key, unique, so the record applied twice opens it once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job_incident") as batch:
        batch.alter_column("job_key", existing_type=sa.BigInteger(), nullable=True)
        batch.add_column(sa.Column("incident_key", sa.BigInteger(), nullable=True))
        batch.create_unique_constraint(op.f("uq_job_incident_incident_key"), ["incident_key"])


def downgrade() -> None:
    with op.batch_alter_table("job_incident") as batch:
        batch.drop_constraint(op.f("uq_job_incident_incident_key"), type_="unique")
        batch.drop_column("incident_key")
        batch.alter_column("job_key", existing_type=sa.BigInteger(), nullable=False)
