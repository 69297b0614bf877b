"""Handing out official numbers: unique, gap-free, and the same number when asked again.

``allocate`` increments the register's counter and writes the register entry in one
transaction: a crash before the commit leaves neither (no hole), and the entry's ``key`` (who
asked: a job's element instance) makes a retried request get the number it got before.
Concurrent requests queue on the counter row (PostgreSQL row lock, SQLite's write lock).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Case, RegisterCounter, RegisterEntry, utcnow


def by_key(session: Session, key: str) -> RegisterEntry | None:
    return session.scalar(select(RegisterEntry).where(RegisterEntry.key == key))


def allocate(
    session: Session,
    *,
    agency: str,
    register: str,
    year: int,
    key: str,
    render: Callable[[int], str],
    case_id: int | None = None,
    kind: str = "",
    subject: str = "",
    party: str = "",
    after_increment: Callable[[], None] | None = None,
    at: datetime | None = None,
) -> RegisterEntry:
    """The entry for ``key``: the one given before, or the next number of the register.

    ``render(seq)`` writes the number in the agency's format; ``at`` is when it is given
    (default now); ``party`` is whom the document is addressed to, or who filed it. Commits.
    """
    found = by_key(session, key)
    if found is not None:
        return found
    session.rollback()  # end the read: the write below starts its own transaction
    _ensure_counter(session, agency, register, year)
    seq = session.execute(
        update(RegisterCounter)
        .where(
            RegisterCounter.agency == agency,
            RegisterCounter.register == register,
            RegisterCounter.year == year,
        )
        .values(last=RegisterCounter.last + 1)
        .returning(RegisterCounter.last)
    ).scalar_one()
    if after_increment is not None:
        after_increment()
    entry = RegisterEntry(
        agency=agency,
        register=register,
        year=year,
        seq=seq,
        number=render(seq),
        key=key,
        case_id=case_id,
        kind=kind,
        subject=subject[:500],
        party=party[:255],
        created_at=at or utcnow(),
    )
    session.add(entry)
    try:
        session.commit()
    except IntegrityError:  # the same key allocated by a concurrent delivery of the job
        session.rollback()
        again = by_key(session, key)
        if again is None:
            raise
        return again
    return entry


def _ensure_counter(session: Session, agency: str, register: str, year: int) -> None:
    values = {"agency": agency, "register": register, "year": year, "last": 0}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(RegisterCounter).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite.insert(RegisterCounter).values(values).on_conflict_do_nothing())
    else:  # pragma: no cover - only the two databases Alur runs on
        raise NotImplementedError(dialect)


def entries(session: Session, agency: str, register: str, year: int) -> list[RegisterEntry]:
    """The register's entries in number order."""
    stmt = select(RegisterEntry).where(
        RegisterEntry.agency == agency,
        RegisterEntry.register == register,
        RegisterEntry.year == year,
    )
    return list(session.scalars(stmt.order_by(RegisterEntry.seq)))


def book(
    session: Session, agency: str, register: str, year: int
) -> list[tuple[RegisterEntry, Case | None]]:
    """The register's entries in number order, each with the case it records."""
    stmt = (
        select(RegisterEntry, Case)
        .outerjoin(Case, Case.id == RegisterEntry.case_id)
        .where(
            RegisterEntry.agency == agency,
            RegisterEntry.register == register,
            RegisterEntry.year == year,
        )
        .order_by(RegisterEntry.seq)
    )
    return [(entry, case) for entry, case in session.execute(stmt)]
