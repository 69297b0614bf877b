"""Documents a case waits for: a file returned to its applicant to complete.

A step of a diagram asks (``request``: once per step, whatever the number of deliveries), the
case waits (``menunggu_kelengkapan``; ``menunggu_tanggapan`` for a request that asks the
applicant for a written reply, ``asks_reply``), and the answer — the documents the applicant
added on the tracking page (and their reply, when one is asked), or the front office for a
walk-in — is recorded at most once and only while the case is open (``answer``: a
conditional UPDATE, so a second submit, two at the same time, or one after the case closed,
cannot answer). The engine learns it afterwards from a message (``alur.completion``):
``unpublished`` lists the answers it has not taken yet, ``mark_published`` records that it
took one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Select, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import case_status
from storage.models import Case, DocumentRequest, utcnow

#: ``answered_by`` of an answer from the tracking page (staff answers carry their username).
APPLICANT = "pemohon"
#: The longest written reply taken, in characters (line breaks counted as one).
MAX_REPLY = 4000
NO_REPLY = "Tuliskan tanggapan Anda."
#: As people read it ("4.000").
MAX_REPLY_WORDS = f"{MAX_REPLY:,}".replace(",", ".")
REPLY_TOO_LONG = f"Tanggapan terlalu panjang; paling banyak {MAX_REPLY_WORDS} karakter."


class ReplyRefused(ValueError):
    """A written reply that cannot be taken; ``message`` is what the person reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def checked_reply(text: str | None) -> str:
    """A written reply as it is stored: line breaks as LF, blank space around it removed.
    Raises ``ReplyRefused`` when it is empty or longer than ``MAX_REPLY``."""
    reply = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not reply:
        raise ReplyRefused(NO_REPLY)
    if len(reply) > MAX_REPLY:
        raise ReplyRefused(REPLY_TOO_LONG)
    return reply


def closed(case: Case) -> bool:
    """Nothing waits for the applicant any more: the case is closed or has a final status
    (a time limit for the answer ran out and the process ended the case)."""
    return case.closed_at is not None or case_status.is_final(case.status)


def _open_cases() -> Select[int]:
    return select(Case.id).where(Case.closed_at.is_(None), Case.status.not_in(case_status.FINAL))


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


def for_page(session: Session, case: Case) -> DocumentRequest | None:
    """The request a page of the case shows (its newest, answered or not); none once the case
    is closed, when nothing is taken any more."""
    return None if closed(case) else latest(session, case.id)


def of_step(session: Session, step_key: str) -> DocumentRequest | None:
    return session.scalar(select(DocumentRequest).where(DocumentRequest.step_key == step_key))


def request(
    session: Session,
    *,
    case_id: int,
    step_key: str,
    items: Sequence[str],
    heading: str | None = None,
    asks_reply: bool = False,
    at: datetime | None = None,
) -> DocumentRequest:
    """The request of step ``step_key``: written the first time, with the case set to wait
    for its documents or reply (unless it is closed), in one transaction; found again
    afterwards, unchanged. ``heading``: what it asks for, when not an incomplete file;
    ``asks_reply``: the applicant is asked for a written reply (``items`` may be empty then).
    Commits."""
    found = of_step(session, step_key)
    if found is not None:
        return found
    row = DocumentRequest(
        case_id=case_id,
        step_key=step_key,
        items=list(items),
        heading=heading,
        asks_reply=asks_reply,
        requested_at=at or utcnow(),
        documents=[],
    )
    session.add(row)
    session.execute(
        update(Case)
        .where(Case.id == case_id, Case.status.not_in(case_status.FINAL))
        .values(status=case_status.WAITING_REPLY if asks_reply else case_status.WAITING_DOCUMENTS)
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
    reply: str | None = None,
    at: datetime | None = None,
) -> bool:
    """Record the answer of an open request of an open case, and the case back at work;
    False (nothing changed) when it was answered already or its case is closed. ``reply``:
    the written reply, required by a request that asks for one (``checked_reply``: raises
    ``ReplyRefused``), left out otherwise. Flushed in the caller's transaction, which also
    holds the documents' rows: the caller commits, or rolls back when this returns False."""
    asks_reply = session.scalar(
        select(DocumentRequest.asks_reply).where(DocumentRequest.id == request_id)
    )
    text = checked_reply(reply) if asks_reply else None
    done = session.execute(
        update(DocumentRequest)
        .where(
            DocumentRequest.id == request_id,
            DocumentRequest.answered_at.is_(None),
            DocumentRequest.case_id.in_(_open_cases()),
        )
        .values(
            answered_at=at or utcnow(), answered_by=by, documents=list(document_ids), reply=text
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    case_id = session.scalar(
        select(DocumentRequest.case_id).where(DocumentRequest.id == request_id)
    )
    # Back at work, unless another request of the case still waits (then for that one).
    still_open = session.scalar(
        select(DocumentRequest.asks_reply)
        .where(DocumentRequest.case_id == case_id, DocumentRequest.answered_at.is_(None))
        .order_by(DocumentRequest.id.desc())
        .limit(1)
    )
    if still_open is None:
        status = case_status.RUNNING
    else:
        status = case_status.WAITING_REPLY if still_open else case_status.WAITING_DOCUMENTS
    session.execute(
        update(Case)
        .where(Case.id == case_id, Case.status.in_(case_status.WAITING_FOR_APPLICANT))
        .values(status=status)
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
            Case.status.not_in(case_status.FINAL),
            Case.service_code.in_(sorted(services)),
            or_(Case.unit_code.in_(sorted(units)), Case.unit_code.is_(None)),
        )
        .order_by(DocumentRequest.requested_at, DocumentRequest.id)
        .limit(limit)
    )
    return [(request, case) for request, case in rows]
