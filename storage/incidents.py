"""Incidents: service tasks that keep failing, shown to staff until an attempt succeeds.

The workers (``workers.audit``) open one when a job has used its quick retries and keep
Zeebe retrying it slowly; the attempt that finally succeeds resolves it. The incidents Zeebe
itself raises (a condition it cannot evaluate, a job another client failed for good) reach
Alur through its exporter's records (``alur.engine_events``): :func:`record_raised` and
:func:`resolve_raised`, keyed by the engine's incident key. Zeebe's own incidents cannot be
listed without Operate (Elasticsearch), which the platform does not run; this table is what
staff see, on the SLA dashboard.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import JobIncident
from storage.sla import scope

#: Longest technical message kept.
DETAIL_LIMIT = 2000


@dataclass(frozen=True)
class Failure:
    """A failed attempt of a job, as the worker saw it."""

    job_key: int
    process_instance_key: int
    bpmn_process_id: str
    element_id: str
    step: str
    job_type: str
    reason: str
    detail: str
    case_id: int | None = None
    tracking_code: str | None = None
    unit_code: str | None = None
    #: Failed attempts before this one (the quick retries), counted in ``attempts``.
    earlier_attempts: int = 0


def record_failure(session: Session, failure: Failure, now: datetime) -> bool:
    """Open the job's incident, or count one more attempt on it. True if newly opened."""
    detail = failure.detail[:DETAIL_LIMIT]
    counted = session.execute(
        update(JobIncident)
        .where(JobIncident.job_key == failure.job_key)
        .values(
            attempts=JobIncident.attempts + 1,
            reason=failure.reason[:255],
            detail=detail,
            last_failed_at=now,
            resolved_at=None,
        )
    ).rowcount  # type: ignore[attr-defined]
    if counted:
        session.commit()
        return False
    session.add(
        JobIncident(
            job_key=failure.job_key,
            process_instance_key=failure.process_instance_key,
            case_id=failure.case_id,
            tracking_code=failure.tracking_code,
            unit_code=failure.unit_code,
            bpmn_process_id=failure.bpmn_process_id,
            element_id=failure.element_id,
            step=failure.step[:255],
            job_type=failure.job_type[:255],
            reason=failure.reason[:255],
            detail=detail,
            attempts=failure.earlier_attempts + 1,
            opened_at=now,
            last_failed_at=now,
        )
    )
    try:
        session.commit()
    except IntegrityError:  # another delivery of the same job opened it a moment ago
        session.rollback()
        return record_failure(session, failure, now)
    return True


def resolve(session: Session, job_key: int, now: datetime) -> JobIncident | None:
    """Mark the job's open incident resolved; the incident, or None if there was none."""
    return _resolve(session, JobIncident.job_key == job_key, now)


def _resolve(session: Session, which: ColumnElement[bool], now: datetime) -> JobIncident | None:
    """Mark the open incident ``which`` selects resolved; commits. None if none was open."""
    incident = session.scalar(select(JobIncident).where(which, JobIncident.resolved_at.is_(None)))
    if incident is None:
        session.rollback()
        return None
    incident.resolved_at = now
    session.commit()
    return incident


def open_incidents(
    session: Session, units: Collection[str] | None, *, national: bool = False
) -> list[JobIncident]:
    """Unresolved incidents of ``units`` (None: all), oldest first."""
    return list(
        session.scalars(
            select(JobIncident)
            .where(JobIncident.resolved_at.is_(None), scope(JobIncident.unit_code, units, national))
            .order_by(JobIncident.opened_at, JobIncident.id)
        )
    )


@dataclass(frozen=True)
class Raised:
    """An incident the engine raised, as its record says."""

    incident_key: int
    process_instance_key: int
    bpmn_process_id: str
    element_id: str
    step: str
    #: Zeebe's error type (``CONDITION_ERROR``, ``JOB_NO_RETRIES``...).
    error_type: str
    reason: str
    detail: str
    case_id: int | None = None
    tracking_code: str | None = None
    unit_code: str | None = None


def record_raised(session: Session, raised: Raised, at: datetime) -> bool:
    """Open the engine's incident unless it is open already; commits. True if newly opened."""
    session.add(
        JobIncident(
            incident_key=raised.incident_key,
            process_instance_key=raised.process_instance_key,
            case_id=raised.case_id,
            tracking_code=raised.tracking_code,
            unit_code=raised.unit_code,
            bpmn_process_id=raised.bpmn_process_id,
            element_id=raised.element_id,
            step=raised.step[:255],
            job_type=raised.error_type[:255],
            reason=raised.reason[:255],
            detail=raised.detail[:DETAIL_LIMIT],
            attempts=1,
            opened_at=at,
            last_failed_at=at,
        )
    )
    try:
        session.commit()
    except IntegrityError:  # the record applied again
        session.rollback()
        return False
    return True


def resolve_raised(session: Session, incident_key: int, at: datetime) -> JobIncident | None:
    """Mark the engine's incident resolved; the incident, or None if it was not open."""
    return _resolve(session, JobIncident.incident_key == incident_key, at)


def raised(session: Session, incident_key: int) -> JobIncident | None:
    """The engine's incident ``incident_key``, open or resolved."""
    return session.scalar(select(JobIncident).where(JobIncident.incident_key == incident_key))
