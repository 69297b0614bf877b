"""Throttling of guesses: wrong passwords and wrong tracking PINs, counted in the database.

Each failure is a row in a bucket (``masuk:akun:siti``, ``lacak:ip:10.0.0.7``, ...); a bucket
that holds ``Limit.attempts`` failures within ``Limit.window`` refuses further attempts until
the oldest of them leaves the window. Kept in the database, so every web process sees the
same counts.
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


@dataclass(frozen=True)
class Limit:
    attempts: int
    window: timedelta


Buckets = Sequence[tuple[str, Limit]]

#: Wrong guesses allowed for one target (an account, a tracking code), and from one address
#: (many targets tried from one place), in 15 minutes.
PER_TARGET = Limit(5, timedelta(minutes=15))
PER_ADDRESS = Limit(30, timedelta(minutes=15))


@dataclass(frozen=True)
class Refused:
    """Too many recent failures: the attempt was not even tried."""

    wait: timedelta

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
    bucket), or :class:`Refused` without running it. A success empties ``success_clears``."""
    wait = wait_needed(session, buckets, now)
    if wait is not None:
        return Refused(wait)
    found = guess()
    if found is None:
        record_failure(session, buckets, now)
    elif success_clears is not None:
        forget(session, success_clears)
    return found


def wait_needed(session: Session, buckets: Buckets, now: datetime) -> timedelta | None:
    """How long until an attempt is allowed again, or None if it is allowed now."""
    longest: timedelta | None = None
    for bucket, limit in buckets:
        recent = list(
            session.scalars(
                select(FailedAttempt.at)
                .where(FailedAttempt.bucket == bucket[:255], FailedAttempt.at > now - limit.window)
                .order_by(FailedAttempt.at.desc())
                .limit(limit.attempts)
            )
        )
        if len(recent) >= limit.attempts:
            wait = recent[-1] + limit.window - now
            longest = wait if longest is None else max(longest, wait)
    return longest


def record_failure(session: Session, buckets: Buckets, now: datetime) -> None:
    """Count a failed attempt in every bucket; forget what left the windows (commits)."""
    for bucket, limit in buckets:
        session.execute(
            delete(FailedAttempt).where(
                FailedAttempt.bucket == bucket[:255], FailedAttempt.at <= now - limit.window
            )
        )
        session.add(FailedAttempt(bucket=bucket[:255], at=now))
    session.commit()


def forget(session: Session, bucket: str) -> None:
    """A success clears the bucket of the account (commits)."""
    session.execute(delete(FailedAttempt).where(FailedAttempt.bucket == bucket[:255]))
    session.commit()


def minutes(wait: timedelta) -> int:
    """Whole minutes to tell a person, at least one."""
    return max(1, -(-int(wait.total_seconds()) // 60))
