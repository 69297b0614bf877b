"""Throttling of guesses: wrong passwords and wrong tracking PINs, counted in the database.

Each attempt is a row in one or more buckets (``masuk:akun:siti``, ``lacak:ip:10.0.0.7``,
...); a bucket that holds ``Limit.attempts`` failures within ``Limit.window`` refuses
further attempts until the oldest of them leaves the window. A bucket may carry several
limits (five in 15 minutes *and* twenty a day). Kept in the database, so every web process
sees the same counts.

The attempt is written *before* the guess is checked and taken back if the guess was right or
the attempt refused: requests racing each other (a botnet firing at once) each see the others'
rows, so no bucket ever admits more than its limit, however many arrive in the same instant.
A refused attempt leaves nothing behind: hammering a full bucket does not make the wait longer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import FailedAttempt

T = TypeVar("T")

#: No limit looks further back than this: older rows are forgotten.
HORIZON = timedelta(days=1)
#: Rows looked at (oldest first) for forgetting, per recorded failure: bounded work.
FORGET_BATCH = 100


@dataclass(frozen=True)
class Limit:
    attempts: int
    window: timedelta

    def __post_init__(self) -> None:
        if not timedelta(0) < self.window <= HORIZON or self.attempts < 1:
            raise ValueError(f"a limit needs attempts >= 1 and a window up to {HORIZON}")


Buckets = Sequence[tuple[str, Limit]]

#: Wrong guesses allowed for one target (an account; a tracking code from one address), and
#: from one address (many targets tried from one place), in 15 minutes.
PER_TARGET = Limit(5, timedelta(minutes=15))
PER_ADDRESS = Limit(30, timedelta(minutes=15))
#: Wrong PINs for one tracking code from browsers it does not trust, all addresses together:
#: what bounds a botnet (see README, *Hostile input*).
PER_CODE_DAY = Limit(100, timedelta(days=1))
#: Wrong guesses of a browser trusted for the target (a device cookie): its own bucket, which
#: nobody else's failures fill; the day's limit bounds a stolen cookie.
PER_DEVICE = Limit(5, timedelta(minutes=15))
PER_DEVICE_DAY = Limit(20, timedelta(days=1))


@dataclass(frozen=True)
class Refused:
    """Too many recent failures: the attempt was not even tried."""

    wait: timedelta
    #: The bucket that refused (the one with the longest wait).
    bucket: str

    @property
    def minutes(self) -> int:
        return minutes(self.wait)


def attempt(
    session: Session,
    buckets: Buckets,
    now: datetime,
    guess: Callable[[], T | None],
    *,
    success_clears: str | None = None,
) -> T | Refused | None:
    """Run ``guess`` unless a bucket is full: its result (None counts as a failure in every
    bucket), or :class:`Refused` without running it. A success empties ``success_clears``.
    Commits."""
    refused = refusal(session, buckets, now)
    if refused is not None:
        return refused
    # Count this attempt first, then look again: a racing attempt sees this one, and this one
    # sees every attempt that was counted before it.
    rows = [FailedAttempt(bucket=name, at=now) for name in _names(buckets)]
    session.add_all(rows)
    session.commit()
    refused = refusal(session, buckets, now, own=1)
    if refused is not None:
        _take_back(session, rows)
        return refused
    found = guess()
    if found is None:
        _forget_old(session, now)
    else:
        _take_back(session, rows)
        if success_clears is not None:
            forget(session, success_clears)
    session.commit()
    return found


def refusal(session: Session, buckets: Buckets, now: datetime, *, own: int = 0) -> Refused | None:
    """Why an attempt must wait, or None if it is allowed now. ``own``: rows of the attempt
    itself already counted in each bucket."""
    found: Refused | None = None
    for name, limit in buckets:
        recent = list(
            session.scalars(
                select(FailedAttempt.at)
                .where(FailedAttempt.bucket == name[:255], FailedAttempt.at > now - limit.window)
                .order_by(FailedAttempt.at.desc())
                .limit(limit.attempts + own)
            )
        )
        if len(recent) >= limit.attempts + own:
            wait = max(recent[-1] + limit.window - now, timedelta(seconds=1))
            if found is None or wait > found.wait:
                found = Refused(wait, name)
    return found


def forget(session: Session, bucket: str) -> None:
    """A success clears the bucket of the account (commits)."""
    session.execute(delete(FailedAttempt).where(FailedAttempt.bucket == bucket[:255]))
    session.commit()


def minutes(wait: timedelta) -> int:
    """Whole minutes to tell a person, at least one."""
    return max(1, -(-int(wait.total_seconds()) // 60))


def _names(buckets: Buckets) -> list[str]:
    """Each bucket once, though it may come with several limits."""
    return list(dict.fromkeys(name[:255] for name, _ in buckets))


def _take_back(session: Session, rows: list[FailedAttempt]) -> None:
    """The attempt was refused or right: it is no failure (commits)."""
    ids = [row.id for row in rows]
    session.execute(delete(FailedAttempt).where(FailedAttempt.id.in_(ids)))
    session.commit()


def _forget_old(session: Session, now: datetime) -> None:
    """Remove rows no limit looks at any more, oldest first, a bounded batch per call (by
    primary key: no scan of the table), so buckets nobody tries again do not pile up."""
    oldest = session.execute(
        select(FailedAttempt.id, FailedAttempt.at).order_by(FailedAttempt.id).limit(FORGET_BATCH)
    ).all()
    gone = [row_id for row_id, at in oldest if at <= now - HORIZON]
    if gone:
        session.execute(delete(FailedAttempt).where(FailedAttempt.id.in_(gone)))
