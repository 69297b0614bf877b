"""Server-side sessions for Flask: the data lives in ``web_session``, the cookie is a token.

Logging out deletes the row, so a copied cookie is worthless afterwards; signing in issues
a fresh token (no session fixation). Sessions end after ``IDLE`` without a request and
``ABSOLUTE`` after they began.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Request
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.datastructures import CallbackDict
from werkzeug.wrappers import Response

from storage import sessions as store

IDLE = timedelta(hours=8)
ABSOLUTE = timedelta(hours=12)
#: A request refreshes the row's expiry at most this often when nothing else changed.
TOUCH_EVERY = timedelta(minutes=5)


class ServerSession(CallbackDict[str, Any], SessionMixin):
    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        token: str | None = None,
        created_at: datetime | None = None,
        seen_at: datetime | None = None,
    ) -> None:
        def on_update(_: Any) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.token = token
        self.created_at = created_at
        self.seen_at = seen_at
        self.modified = False
        self.regenerate = False

    def renew(self) -> None:
        """Give this session a new token at the next save (call on sign-in)."""
        self.regenerate = True
        self.modified = True


class DatabaseSessionInterface(SessionInterface):
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(self.get_cookie_name(app))
        if token:
            now = datetime.now(UTC)
            with self.sessions() as db:
                row = store.load(db, token, now)
                if row is not None and row.created_at + ABSOLUTE > now:
                    return ServerSession(row.data, token, row.created_at, row.seen_at)
        return ServerSession()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        if not session:
            if session.token is not None:
                with self.sessions() as db:
                    store.drop(db, session.token)
                response.delete_cookie(name, domain=domain, path=path)
            return
        now = datetime.now(UTC)
        stale = session.seen_at is None or now - session.seen_at > TOUCH_EVERY
        if not (session.modified or session.token is None or stale):
            return
        with self.sessions() as db:
            if session.regenerate and session.token is not None:
                store.drop(db, session.token)
                session.token = None
            if session.token is None:
                session.token = secrets.token_urlsafe(32)
                session.created_at = now
            created = session.created_at or now
            expires = min(now + IDLE, created + ABSOLUTE)
            store.save(db, session.token, dict(session), now=now, expires_at=expires)
        response.set_cookie(
            name,
            session.token,
            httponly=self.get_cookie_httponly(app),
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
            domain=domain,
            path=path,
        )
        response.vary.add("Cookie")
