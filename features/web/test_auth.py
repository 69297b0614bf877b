"""Staff sign-in: argon2id hashes, CSRF on every state change, no hint which part was wrong."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from stack.local import Stack
from storage import accounts, migrate, sessions
from storage.db import make_engine, make_sessionmaker
from storage.models import StaffUser, WebSession, utcnow
from web import create_app

PASSWORD = "Rahasia-Sekali-2026"


@pytest.fixture
def app(stack: Stack, tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        accounts.ensure_unit(session, "dpmptsp", "DPMPTSP Provinsi")
        accounts.create_user(
            session,
            "siti",
            PASSWORD,
            full_name="Siti Rahmawati",
            unit_code="dpmptsp",
            roles=["dpmptsp.front_office"],
        )
        session.commit()
    engine.dispose()
    yield create_app(replace(stack.settings, database_url=url))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _token(client: FlaskClient, path: str = "/masuk") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the page carries no CSRF token"
    return match.group(1)


def test_password_is_stored_as_an_argon2id_hash(app: Flask):
    with app.extensions["alur.db"]() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == "siti"))
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert user.role_codes == {"dpmptsp.front_office"}


def test_login_page_speaks_bahasa_indonesia(client: FlaskClient):
    page = client.get("/masuk").get_data(as_text=True)
    assert "Masuk sebagai petugas" in page
    assert "Kata sandi" in page


def test_right_password_signs_in_and_logout_signs_out(client: FlaskClient):
    token = _token(client)
    response = client.post(
        "/masuk", data={"username": "siti", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/tugas"  # signing in lands on the inbox
    home = client.get("/").get_data(as_text=True)
    assert "Siti Rahmawati" in home
    logout_token = _token(client, "/")
    assert client.post("/keluar", data={"csrf_token": logout_token}).status_code == 302
    assert "Siti Rahmawati" not in client.get("/").get_data(as_text=True)


@pytest.mark.hostile
@pytest.mark.parametrize(("username", "password"), [("siti", "salah"), ("budi", PASSWORD)])
def test_a_wrong_name_or_password_gets_the_same_answer(
    client: FlaskClient, username: str, password: str
):
    token = _token(client)
    response = client.post(
        "/masuk", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Nama pengguna atau kata sandi salah." in page
    assert f'value="{username}"' in page  # what the user typed is kept
    assert "Siti Rahmawati" not in client.get("/").get_data(as_text=True)


@pytest.mark.hostile
def test_a_form_without_its_csrf_token_is_refused(client: FlaskClient):
    _token(client)  # the session has a token, the request does not send it
    response = client.post("/masuk", data={"username": "siti", "password": PASSWORD})
    assert response.status_code == 400
    assert "Token keamanan tidak valid" in response.get_data(as_text=True)
    forged = client.post(
        "/masuk", data={"username": "siti", "password": PASSWORD, "csrf_token": "palsu"}
    )
    assert forged.status_code == 400
    assert "Siti Rahmawati" not in client.get("/").get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(client: FlaskClient):
    response = client.get("/masuk")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.hostile
def test_behind_tls_the_session_cookie_is_secure(app: Flask):
    served = create_app(
        replace(app.extensions["alur.settings"], public_base_url="https://alur.example.id")
    )
    cookie = served.test_client().get("/masuk").headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def _sign_in(client: FlaskClient) -> None:
    token = _token(client)
    response = client.post(
        "/masuk", data={"username": "siti", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_the_session_lives_on_the_server_and_the_cookie_is_only_a_token(
    app: Flask, client: FlaskClient
):
    _sign_in(client)
    token = _cookie(client)
    assert "." not in token  # not a signed payload: nothing to decode
    with app.extensions["alur.db"]() as db:
        row = db.get(WebSession, sessions.session_id(token))
        assert row is not None
        assert row.user_id is not None
        assert token not in row.id  # stored as its hash


def test_signing_in_issues_a_new_token(client: FlaskClient):
    _token(client)  # an anonymous session with a CSRF token
    before = _cookie(client)
    _sign_in(client)
    assert _cookie(client) != before


@pytest.mark.hostile
def test_after_logout_a_copied_cookie_is_worthless(app: Flask, client: FlaskClient):
    _sign_in(client)
    stolen = _cookie(client)
    client.post("/keluar", data={"csrf_token": _token(client, "/")})
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert "Siti Rahmawati" not in other.get("/").get_data(as_text=True)


@pytest.mark.hostile
def test_an_expired_session_is_not_honoured(app: Flask, client: FlaskClient):
    _sign_in(client)
    token = _cookie(client)
    with app.extensions["alur.db"]() as db:
        row = db.get(WebSession, sessions.session_id(token))
        assert row is not None
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.commit()
    assert "Siti Rahmawati" not in client.get("/").get_data(as_text=True)
