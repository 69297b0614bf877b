"""Where a routed service's cases went (SP4N-LAPOR!): per agency, how many arrived in a period,
how many are still open or late, were returned, archived, closed by the system or settled.

A case belongs to the agency its last task was routed to — the top of that task's unit tree
(the national step, which has no unit, counts as "national"); a case is *returned* when a
completed task of it gave one of the service's return answers (``Service.returns``), and
*closed by the system* when it was closed while its applicant had been asked for a reply and
gave none (SP4N-LAPOR!'s 10 days after the answer).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import case_status
from storage.models import Case, DocumentRequest, HumanTask, Unit

#: Ids per ``IN (...)`` query.
CHUNK = 500


@dataclass
class AgencyFigures:
    """One agency's cases of the period; ``unit_code`` None: still at the national step."""

    unit_code: str | None
    received: int = 0
    open: int = 0
    overdue: int = 0
    returned: int = 0
    archived: int = 0
    closed_by_system: int = 0
    settled: int = 0


def by_agency(
    session: Session,
    service_code: str,
    start: datetime,
    end: datetime,
    returns: Sequence[tuple[str, str]],
) -> list[AgencyFigures]:
    """The figures of the service's cases received in ``[start, end)``, per agency."""
    found = list(
        session.execute(
            select(Case.id, Case.unit_code, Case.status, Case.overdue_at).where(
                Case.service_code == service_code, Case.created_at >= start, Case.created_at < end
            )
        )
    )
    ids = [row.id for row in found]
    last_unit: dict[int, str | None] = {}
    returned: set[int] = set()
    for chunk in _chunks(ids):
        tasks = session.execute(
            select(HumanTask.case_id, HumanTask.unit_code, HumanTask.status, HumanTask.result)
            .where(HumanTask.case_id.in_(chunk))
            .order_by(HumanTask.id)
        )
        for task in tasks:
            last_unit[task.case_id] = task.unit_code
            answers = task.result or {}
            if task.status == "completed" and any(answers.get(k) == v for k, v in returns):
                returned.add(task.case_id)
    unanswered = _unanswered_replies(session, ids)
    root = _roots(session)
    figures: dict[str | None, AgencyFigures] = {}
    for row in found:
        unit = last_unit.get(row.id, row.unit_code)
        agency = root.get(unit) if unit is not None else None
        counts = figures.setdefault(agency, AgencyFigures(agency))
        counts.received += 1
        final = row.status in case_status.FINAL
        counts.open += not final
        counts.overdue += row.overdue_at is not None
        counts.returned += row.id in returned
        counts.archived += row.status == case_status.ARCHIVED
        by_system = row.status == case_status.DONE and row.id in unanswered
        counts.closed_by_system += by_system
        counts.settled += row.status == case_status.DONE and not by_system
    return list(figures.values())


def _unanswered_replies(session: Session, ids: list[int]) -> set[int]:
    """The cases with a request for a reply that was never answered."""
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(
            session.scalars(
                select(DocumentRequest.case_id).where(
                    DocumentRequest.case_id.in_(chunk),
                    DocumentRequest.asks_reply.is_(True),
                    DocumentRequest.answered_at.is_(None),
                )
            )
        )
    return found


def _roots(session: Session) -> dict[str, str]:
    """Each unit's top-most ancestor (the agency it belongs to), by unit code."""
    parent: dict[str, str | None] = {
        code: above for code, above in session.execute(select(Unit.code, Unit.parent_code))
    }
    roots: dict[str, str] = {}
    for code in parent:
        top, seen = code, {code}
        while parent.get(top) and parent[top] not in seen:
            top = parent[top] or top
            seen.add(top)
        roots[code] = top
    return roots


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    batch: list[int] = []
    for case_id in ids:
        batch.append(case_id)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
