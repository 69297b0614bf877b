"""Trusted browsers: a device cookie for each browser that proved it knows a secret.

OWASP's "Slow brute force protection using device cookies": a browser that once gave the
right PIN for a tracking code (or submitted the case), or the right password for an account,
keeps a signed cookie that says so. Its later attempts are counted in a bucket of its own
(``storage.throttle.PER_DEVICE``), which strangers' wrong guesses never fill; the limits for
everyone else can then be strict without letting a stranger lock the rightful owner out.

The cookie holds a random device id and, for each target it knows, a keyed digest of the
target (never the code or the user name itself), signed with the app's secret key;
``HttpOnly``, ``SameSite=Lax``, ``Secure`` like the session cookie, limited to the path of the
page that checks the secret, and kept a year from the last success. It opens nothing by
itself: the PIN or password is still asked (a shared computer in a warnet stays safe).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from storage import throttle


@dataclass(frozen=True)
class DeviceCookie:
    """The trust of one kind of secret (tracking PINs, staff passwords)."""

    name: str
    #: The path of the page that checks the secret: the cookie goes nowhere else.
    path: str
    #: Separates the signatures and digests of different kinds of cookie.
    purpose: str
    #: Targets remembered per browser (the most recent).
    keep: int = 20
    max_age: timedelta = timedelta(days=365)

    def trusted(self, target: str) -> str | None:
        """This browser's device id if it proved it knows ``target``'s secret, else None."""
        device = self._read()
        if device is None or self._mark(target) not in device[1]:
            return None
        return device[0]

    def trust(self, target: str) -> None:
        """This browser proved it knows ``target``'s secret: the response (re)sets its cookie,
        with the same device id if it had one."""
        device = self._read()
        ident, marks = device if device is not None else (secrets.token_urlsafe(16), [])
        mark = self._mark(target)
        marks = [*[m for m in marks if m != mark][-(self.keep - 1) :], mark]
        value = self._serializer().dumps({"d": ident, "m": marks})

        @after_this_request
        def set_cookie(response: Response) -> Response:
            response.set_cookie(
                self.name,
                value,
                max_age=int(self.max_age.total_seconds()),
                path=self.path,
                httponly=True,
                samesite="Lax",
                secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            )
            return response

    def _read(self) -> tuple[str, list[str]] | None:
        raw = request.cookies.get(self.name)
        if not raw:
            return None
        try:
            data: Any = self._serializer().loads(raw, max_age=int(self.max_age.total_seconds()))
        except BadSignature:  # tampered, another key, or expired
            return None
        ident, marks = (data.get("d"), data.get("m")) if isinstance(data, dict) else (None, None)
        if not isinstance(ident, str) or not isinstance(marks, list):
            return None
        return ident[:64], [m for m in marks if isinstance(m, str)][-self.keep :]

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(_key(), salt=f"alur.perangkat.{self.purpose}")

    def _mark(self, target: str) -> str:
        message = f"{self.purpose}\0{target}".encode()
        return hmac.new(_key(), message, hashlib.sha256).hexdigest()[:24]


def _key() -> bytes:
    key = current_app.secret_key
    if not key:
        raise RuntimeError("the app has no secret key")
    return key if isinstance(key, bytes) else str(key).encode()


def wait_words(wait: timedelta) -> str:
    """How long to wait, as a person says it: ``15 menit``, ``3 jam``, ``23 jam 5 menit``."""
    total = throttle.minutes(wait)
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest} menit"
    return f"{hours} jam" + (f" {rest} menit" if rest else "")
