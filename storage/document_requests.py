"""Documents a case waits for: a file returned to its applicant to complete.

A step of a diagram asks (``request``: once per step, whatever the number of deliveries), the
case waits (``menunggu_kelengkapan``), and the answer — the documents the applicant added on
the tracking page, or the front office for a walk-in — is recorded at most once
(``answer``: a conditional UPDATE, so a second submit, or two at the same time, cannot answer
twice). The engine learns it afterwards from a message (``alur.completion``): ``unpublished``
lists the answers it has not taken yet, ``mark_published`` records that it took one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import case_status
from storage.models import Case, DocumentRequest, utcnow

#: ``answered_by`` of an answer from the tracking page (staff answers carry their username).
APPLICANT = "pemohon"


def open_request(session: Session, case_id: int) -> DocumentRequest | None:
    """The case's request still waiting for documents (the newest, should there be two)."""
    return session.scalar(
        select(DocumentRequest)
        .where(DocumentRequest.case_id == case_id, DocumentRequest.answered_at.is_(None))
        .order_by(DocumentRequest.id.desc())
        .limit(1)
    )


def latest(session: Session, case_id: int) -> DocumentRequest | None:
    """The case's newest request, answered or not."""
    return session.scalar(
        select(DocumentRequest)
        .where(DocumentRequest.case_id == case_id)
        .order_by(DocumentRequest.id.desc())
        .limit(1)
    )


def of_step(session: Session, step_key: str) -> DocumentRequest | None:
    return session.scalar(select(DocumentRequest).where(DocumentRequest.step_key == step_key))


def request(
    session: Session,
    *,
    case_id: int,
    step_key: str,
    items: Sequence[str],
    heading: str | None = None,
    at: datetime | None = None,
) -> DocumentRequest:
    """The request of step ``step_key``: written the first time, with the case set to wait
    for its documents (unless it is closed), in one transaction; found again afterwards,
    unchanged. ``heading``: what it asks for, when not an incomplete file. Commits."""
    found = of_step(session, step_key)
    if found is not None:
        return found
    row = DocumentRequest(
        case_id=case_id,
        step_key=step_key,
        items=list(items),
        heading=heading,
        requested_at=at or utcnow(),
        documents=[],
    )
    session.add(row)
    session.execute(
        update(Case)
        .where(Case.id == case_id, Case.status.not_in(case_status.FINAL))
        .values(status=case_status.WAITING_DOCUMENTS)
    )
    try:
        session.commit()
    except IntegrityError:  # a concurrent delivery of the same job wrote it first
        session.rollback()
        theirs = of_step(session, step_key)
        if theirs is None:
            raise
        return theirs
    return row


def answer(
    session: Session,
    request_id: int,
    *,
    by: str,
    document_ids: Sequence[int],
    at: datetime | None = None,
) -> bool:
    """Record the answer of an open request, and the case back at work; False (nothing
    changed) when it was answered already. Flushed in the caller's transaction, which also
    holds the documents' rows: the caller commits, or rolls back when this returns False."""
    done = session.execute(
        update(DocumentRequest)
        .where(DocumentRequest.id == request_id, DocumentRequest.answered_at.is_(None))
        .values(answered_at=at or utcnow(), answered_by=by, documents=list(document_ids))
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    case_id = session.scalar(
        select(DocumentRequest.case_id).where(DocumentRequest.id == request_id)
    )
    # Waiting for nothing else now, unless another request of the case is still open.
    still_open = session.scalar(
        select(DocumentRequest.id).where(
            DocumentRequest.case_id == case_id, DocumentRequest.answered_at.is_(None)
        )
    )
    if still_open is None:
        session.execute(
            update(Case)
            .where(Case.id == case_id, Case.status == case_status.WAITING_DOCUMENTS)
            .values(status=case_status.RUNNING)
            .execution_options(synchronize_session=False)
        )
    return True


def unpublished(session: Session, limit: int = 100) -> list[tuple[DocumentRequest, str]]:
    """Answered requests the engine has not taken yet, with their case's tracking code, oldest
    answer first."""
    rows = session.execute(
        select(DocumentRequest, Case.tracking_code)
        .join(Case, Case.id == DocumentRequest.case_id)
        .where(DocumentRequest.answered_at.is_not(None), DocumentRequest.published_at.is_(None))
        .order_by(DocumentRequest.answered_at, DocumentRequest.id)
        .limit(limit)
    )
    return [(row, code) for row, code in rows]


def mark_published(session: Session, request_id: int, at: datetime | None = None) -> None:
    """The engine took the answer (kept as the first time it did). Commits."""
    session.execute(
        update(DocumentRequest)
        .where(DocumentRequest.id == request_id, DocumentRequest.published_at.is_(None))
        .values(published_at=at or utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()


def publish_again(session: Session, request_id: int) -> bool:
    """Have an answered request published once more (it may have reached the engine before
    the process waited for it, and a buffered message expires). True if it was answered.
    Commits."""
    done = session.execute(
        update(DocumentRequest)
        .where(DocumentRequest.id == request_id, DocumentRequest.answered_at.is_not(None))
        .values(published_at=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(done.rowcount)  # type: ignore[attr-defined]


def open_for(
    session: Session, services: Collection[str], units: Collection[str], limit: int = 200
) -> list[tuple[DocumentRequest, Case]]:
    """Open requests of open cases of ``services`` in ``units`` (or of no unit), oldest
    first: what a front office may complete for walk-in applicants."""
    if not services:
        return []
    rows = session.execute(
        select(DocumentRequest, Case)
        .join(Case, Case.id == DocumentRequest.case_id)
        .where(
            DocumentRequest.answered_at.is_(None),
            Case.closed_at.is_(None),
            Case.service_code.in_(sorted(services)),
            or_(Case.unit_code.in_(sorted(units)), Case.unit_code.is_(None)),
        )
        .order_by(DocumentRequest.requested_at, DocumentRequest.id)
        .limit(limit)
    )
    return [(request, case) for request, case in rows]
