"""The SLA clocks of a case (``case_clock``), as the ``sla`` worker sets them.

Each function writes absolute values taken from the job (the due instant, the moment the
clock stopped, the working minutes paused so far), never increments: a redelivered job writes
the same row again. Two deliveries at once meet the unique (case, name): the loser retries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import CaseClock, utcnow


def of_case(session: Session, case_id: int, *, service_only: bool = False) -> list[CaseClock]:
    """The case's clocks, oldest first (``service_only``: the service's time limits only)."""
    query = select(CaseClock).where(CaseClock.case_id == case_id)
    if service_only:
        query = query.where(CaseClock.service.is_(True))
    return list(session.scalars(query.order_by(CaseClock.id)))


def get(session: Session, case_id: int, name: str) -> CaseClock | None:
    return session.scalar(
        select(CaseClock).where(CaseClock.case_id == case_id, CaseClock.name == name)
    )


def computed(
    session: Session,
    *,
    case_id: int,
    name: str,
    due_at: datetime,
    limit: str,
    agency: str,
    service: bool = False,
) -> CaseClock:
    """The clock ``name`` starts (or starts again): running, due at ``due_at``; ``service``:
    the service's time limit, which the case's pages show."""

    def change(row: CaseClock) -> None:
        row.due_at, row.limit, row.agency, row.service = due_at, limit, agency, service
        row.paused_since, row.paused_minutes = None, 0

    return _write(session, case_id, name, due_at, change)


def paused(
    session: Session, *, case_id: int, name: str, since: datetime, due_at: datetime, agency: str
) -> CaseClock:
    """The clock ``name`` stops at ``since`` (``due_at``: its due instant, for a clock started
    before this table existed)."""

    def change(row: CaseClock) -> None:
        row.paused_since = since
        row.agency = row.agency or agency

    return _write(session, case_id, name, due_at, change)


def resumed(
    session: Session,
    *,
    case_id: int,
    name: str,
    due_at: datetime,
    paused_minutes: int,
    agency: str,
) -> CaseClock:
    """The clock ``name`` runs again, due at ``due_at`` after ``paused_minutes`` working
    minutes paused in all."""

    def change(row: CaseClock) -> None:
        row.due_at, row.paused_since, row.paused_minutes = due_at, None, paused_minutes
        row.agency = row.agency or agency

    return _write(session, case_id, name, due_at, change)


def _write(
    session: Session,
    case_id: int,
    name: str,
    due_at: datetime,
    change: Callable[[CaseClock], None],
) -> CaseClock:
    for attempt in range(2):
        row = get(session, case_id, name)
        if row is None:
            row = CaseClock(
                case_id=case_id, name=name, due_at=due_at, paused_minutes=0, service=False
            )
            session.add(row)
        change(row)
        row.updated_at = utcnow()
        try:
            session.commit()
        except IntegrityError:
            session.rollback()  # another delivery wrote the row first: change that one
            if attempt:
                raise
            continue
        return row
    raise AssertionError("unreachable")  # pragma: no cover
