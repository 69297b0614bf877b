"""The web app on the real stack: its own database, the test diagrams deployed, a task bridge.

``site`` is one app per test module, with staff of two units and two agencies; ``live_url``
serves it over HTTP on loopback for Chromium; ``page`` is a fresh browser page per test.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import make_server

from alur.services import Requirement, Service
from alur.usertasks import Bridge
from features.support.engine import Engine
from features.support.testjobs import Reports
from stack.local import Stack
from storage import accounts, deployments, migrate
from storage.db import make_engine, make_sessionmaker
from web import create_app

HERE = Path(__file__).resolve().parent
DIAGRAMS = HERE / "diagrams"
PASSWORD = "Rahasia-Sekali-2026"
SERVICE = Service(
    code="uji-layanan",
    name="Layanan Uji",
    agency="Dinas Penanaman Modal dan PTSP Provinsi Uji",
    summary="Layanan untuk pengujian aplikasi web.",
    time_limit="2 hari kerja.",
    bpmn_process_id="Uji_Layanan",
    intake_form_id="uji-layanan-permohonan",
    unit_code="dpmptsp",
    requirements=(
        Requirement("Identitas dan kontak pemohon"),
        Requirement("Salinan KTP", "identityDocument"),
    ),
)
#: username -> (full name, unit, roles)
STAFF = {
    "siti": ("Siti Rahmawati", "dpmptsp", ["dpmptsp.front_office"]),
    "budi": ("Budi Santoso", "dpmptsp", ["dpmptsp.front_office"]),
    "rina": ("Rina Kusumawati", "dpmptsp", ["dpmptsp.kabid"]),
    "asep": ("Asep Hidayat", "dpmptsp-jabar", ["dpmptsp.front_office"]),
    "dewi": ("Dewi Lestari", "kasn", ["kasn.sekretariat"]),
    # In the unit above DPMPTSP: sees its front-office tasks too.
    "yanti": ("Yanti Permatasari", "pemprov", ["dpmptsp.front_office"]),
}


@dataclass
class Site:
    app: Flask
    sessions: sessionmaker[Session]
    bridge: Bridge


@pytest.fixture(scope="module")
def site(
    stack: Stack,
    engine: Engine,
    reports: Reports,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'alur.db'}"
    migrate.upgrade(url)
    db_engine = make_engine(url)
    sessions = make_sessionmaker(db_engine)
    deployed = engine.deploy(sorted(DIAGRAMS.iterdir()))
    with sessions() as db:
        deployments.record(db, deployed, "uji")
        accounts.ensure_unit(db, "pemprov", "Pemerintah Provinsi Uji")
        accounts.ensure_unit(db, "dpmptsp", "DPMPTSP Provinsi Uji", "pemprov")
        accounts.ensure_unit(db, "dpmptsp-jabar", "DPMPTSP Provinsi Jawa Barat")
        accounts.ensure_unit(db, "kasn", "Komisi Aparatur Sipil Negara")
        for username, (name, unit, roles) in STAFF.items():
            accounts.create_user(
                db, username, PASSWORD, full_name=name, unit_code=unit, roles=roles
            )
        db.commit()
    # Small limit: the test client spools bodies over 500 KB into a file it never closes.
    settings = replace(
        stack.settings, database_url=url, forms_dir=DIAGRAMS, upload_max_bytes=256 * 1024
    )
    app = create_app(settings, catalog=(SERVICE,))
    bridge = Bridge(engine.channel, sessions, sweep_seconds=0.3, name="alur-test-web")
    future = engine.submit(bridge.run())
    yield Site(app, sessions, bridge)
    engine.call(bridge.stop())
    future.result(10)
    db_engine.dispose()


def csrf_of(page_html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page_html) or re.search(
        r'data-csrf="([^"]+)"', page_html
    )
    assert match, "the page carries no CSRF token"
    return match.group(1)


def sign_in(client: FlaskClient, username: str) -> None:
    token = csrf_of(client.get("/masuk").get_data(as_text=True))
    response = client.post(
        "/masuk", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def staff(site: Site) -> Iterator[dict[str, FlaskClient]]:
    """A signed-in test client per staff member."""
    clients = {}
    for username in STAFF:
        client = site.app.test_client()
        sign_in(client, username)
        clients[username] = client
    yield clients


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """``app`` over HTTP on a free loopback port (for Chromium); yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def submit_as_shown(client: FlaskClient, task_id: int, data: dict[str, Any]) -> str:
    """Claim the task and submit its form as the browser does: to the action the page shows,
    with the values the form starts with (what the page filled in) updated by ``data``.
    The task page as it was shown."""
    page = client.get(f"/tugas/{task_id}").get_data(as_text=True)
    claimed = client.post(f"/tugas/{task_id}/klaim", data={"csrf_token": csrf_of(page)})
    assert claimed.status_code == 302
    page = client.get(f"/tugas/{task_id}").get_data(as_text=True)
    action = re.search(r'data-action="([^"]+)"', page)
    shown = re.search(r'<script type="application/json" id="form-data">(.*?)</script>', page, re.S)
    keys = re.search(r'<script type="application/json" id="form-ids">(.*?)</script>', page, re.S)
    assert action and shown and keys, "the task page shows no form"
    # form-js submits the values of the form's own fields only
    filled = {k: v for k, v in json.loads(shown.group(1)).items() if k in json.loads(keys.group(1))}
    response = client.post(
        html.unescape(action.group(1)),
        data={"csrf_token": csrf_of(page), "data": json.dumps(filled | data)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.get_json()
    return page


def claim_and_complete(client: FlaskClient, task_id: int, data: dict[str, Any]) -> None:
    """Claim the task and submit its form through the staff app, as a person would."""
    page = client.get(f"/tugas/{task_id}").get_data(as_text=True)
    claimed = client.post(f"/tugas/{task_id}/klaim", data={"csrf_token": csrf_of(page)})
    assert claimed.status_code == 302
    page = client.get(f"/tugas/{task_id}").get_data(as_text=True)
    response = client.post(
        f"/tugas/{task_id}/selesaikan",
        data={"csrf_token": csrf_of(page), "data": json.dumps(data)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.get_json()


@pytest.fixture(scope="module")
def live_url(site: Site) -> Iterator[str]:
    with serving(site.app) as url:
        yield url
