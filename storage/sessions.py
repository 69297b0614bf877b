"""Browser sessions kept in the database (the cookie carries only a random token)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.models import WebSession


def session_id(token: str) -> str:
    """The row id of a token: its SHA-256, so the table alone cannot be replayed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load(db: Session, token: str, now: datetime) -> WebSession | None:
    row = db.get(WebSession, session_id(token))
    if row is None or row.expires_at <= now:
        return None
    return row


def save(
    db: Session,
    token: str,
    data: dict[str, Any],
    *,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Insert or update the session of ``token``."""
    sid = session_id(token)
    row = db.get(WebSession, sid)
    user_id = data.get("user_id")
    if row is None:
        row = WebSession(id=sid, created_at=now)
        db.add(row)
    row.data = dict(data)
    row.user_id = user_id if isinstance(user_id, int) else None
    row.seen_at = now
    row.expires_at = expires_at
    db.commit()


def drop(db: Session, token: str) -> None:
    db.execute(delete(WebSession).where(WebSession.id == session_id(token)))
    db.commit()


def drop_user(db: Session, user_id: int) -> int:
    """End every session of a staff member (deactivation, password reset)."""
    count = db.execute(delete(WebSession).where(WebSession.user_id == user_id)).rowcount  # type: ignore[attr-defined]
    db.commit()
    return int(count)


def purge_expired(db: Session, now: datetime) -> int:
    count = db.execute(delete(WebSession).where(WebSession.expires_at <= now)).rowcount  # type: ignore[attr-defined]
    db.commit()
    return int(count)
