"""The mail outbox: an e-mail to an applicant is recorded before it is sent.

A row is keyed by what asked for the mail (e.g. the job's element instance): asking again with
the same key finds the same row, so a redelivered job sends nothing new. ``status`` moves
``pending`` -> ``sent``; each failed attempt adds one to ``attempts`` and keeps the error.
Every function here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import MailOutbox

PENDING = "pending"
SENT = "sent"


def enqueue(
    session: Session,
    *,
    key: str,
    case_id: int | None,
    recipient: str,
    subject: str,
    body: str,
    document_ids: Sequence[int],
    message_id: str,
) -> MailOutbox:
    """The row for ``key``: the one recorded before (unchanged), or a new pending one. Commits."""
    found = by_key(session, key)
    if found is not None:
        return found
    row = MailOutbox(
        key=key,
        case_id=case_id,
        recipient=recipient,
        subject=subject,
        body=body,
        document_ids=list(document_ids),
        message_id=message_id,
        status=PENDING,
        attempts=0,
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # the same key recorded by a concurrent delivery of the job
        session.rollback()
        again = by_key(session, key)
        if again is None:
            raise
        return again
    return row


def by_key(session: Session, key: str) -> MailOutbox | None:
    return session.scalar(select(MailOutbox).where(MailOutbox.key == key))


def pending(session: Session, key: str) -> MailOutbox | None:
    """The row for ``key`` if it still waits to be sent, locked until the next commit.

    On PostgreSQL the row lock makes a concurrent sender of the same key wait, then find the
    row sent (SQLite ignores ``FOR UPDATE``; there a concurrent sender may send it twice,
    with the same Message-ID).
    """
    return session.scalar(
        select(MailOutbox)
        .where(MailOutbox.key == key, MailOutbox.status == PENDING)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def mark_sent(session: Session, outbox_id: int, now: datetime) -> None:
    """The server took the message. Commits."""
    session.execute(
        update(MailOutbox).where(MailOutbox.id == outbox_id).values(status=SENT, sent_at=now),
        execution_options={"synchronize_session": "fetch"},
    )
    session.commit()


def record_failure(session: Session, outbox_id: int, error: str) -> None:
    """One more failed attempt, and why. The row stays pending. Commits."""
    session.execute(
        update(MailOutbox)
        .where(MailOutbox.id == outbox_id)
        .values(attempts=MailOutbox.attempts + 1, last_error=error[:4000]),
        execution_options={"synchronize_session": "fetch"},
    )
    session.commit()
