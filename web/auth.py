"""Staff login and logout, and CSRF protection for every form of the app."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from storage import accounts, sessions, throttle
from storage.models import StaffUser, utcnow
from web import devices
from web.sessions import ServerSession

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf() -> None:
    """Refuse any state change without the session's token (form field or header)."""
    if request.method not in UNSAFE:
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf") or ""
    if not expected or not hmac.compare_digest(str(sent), str(expected)):
        abort(400, description="Token keamanan tidak valid. Muat ulang halaman lalu coba lagi.")


def load_user() -> None:
    g.user = None
    user_id = session.get("user_id")
    if user_id is not None:
        with current_app.extensions["alur.db"]() as db:
            user = db.get(StaffUser, user_id)
            if user is not None and user.active:
                g.user = user


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.path))
        return view(*args, **kwargs)

    return cast(F, wrapped)


def roles_required(*roles: str) -> Callable[[F], F]:
    """Signed-in staff holding at least one of ``roles``; others get 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = g.get("user")
            if user is None:
                return redirect(url_for("auth.login", next=request.path))
            if not user.role_codes & set(roles):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate


TOO_MANY = "Terlalu banyak percobaan masuk yang salah. Coba lagi dalam {minutes} menit."


#: Browsers that signed in to an account: strangers' wrong passwords never keep them out.
LOGIN_DEVICES = devices.DeviceCookie(name="alur_perangkat_masuk", path="/masuk", purpose="masuk")


def login_buckets(username: str, address: str, device: str | None = None) -> throttle.Buckets:
    """The account's bucket first (a successful sign-in clears it), then the address's; a
    browser that signed in to the account before counts in its own bucket only."""
    if device is not None:
        bucket = f"masuk:perangkat:{device}"
        return [(bucket, throttle.PER_DEVICE), (bucket, throttle.PER_DEVICE_DAY)]
    return [
        (f"masuk:akun:{username.lower()}", throttle.PER_TARGET),
        (f"masuk:ip:{address}", throttle.PER_ADDRESS),
    ]


@bp.route("/masuk", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """Staff sign in with username and password."""
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        device = LOGIN_DEVICES.trusted(username.lower())
        guesses = login_buckets(username, request.remote_addr or "", device)
        with current_app.extensions["alur.db"]() as db:
            user = throttle.attempt(
                db,
                guesses,
                utcnow(),
                lambda: accounts.authenticate(db, username, password),
                success_clears=guesses[0][0],
            )
        if isinstance(user, throttle.Refused):
            error = TOO_MANY.format(minutes=user.minutes)
            return render_template("auth/login.html", error=error, username=username), 429
        if user is not None:
            session.clear()
            session["user_id"] = user.id
            LOGIN_DEVICES.trust(username.lower())
            if isinstance(session, ServerSession):
                session.renew()  # a fresh token: no session fixation
            with current_app.extensions["alur.db"]() as db:
                sessions.purge_expired(db, utcnow())
            csrf_token()
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//"):
                target = url_for("tasks.index")  # the inbox, on a tab that holds work
            return redirect(target)
        error = "Nama pengguna atau kata sandi salah."
        return render_template("auth/login.html", error=error, username=username), 401
    return render_template("auth/login.html", error=error, username=username)


@bp.post("/keluar")
def logout() -> Response:
    session.clear()
    return redirect(url_for("auth.login"))
