"""The acceptance test of issue 24, section 2: an agency added through ``/admin`` receives a
case, and its letter carries the new letterhead (with its logo) and number pattern, with no
restart; an edit made in ``/admin`` afterwards shows on the next letter, still without one.

The worker is the real ``python -m workers`` process, started before the agency exists and
never restarted; the administrator works through the admin pages (Flask's test client on the
same database); the letters are read back from S3 and their text extracted with pypdf.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from alur import dates
from features.support.engine import Engine
from features.support.letterworld import SPEC
from features.support.testjobs import Reports
from stack.local import Stack, load_agencies
from stack.procs import Managed
from storage import accounts, agencies, cases, deployments, documents, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import CaseDocument, RegisterEntry
from web import create_app
from workers.deps import Deps, make_deps

pytestmark = pytest.mark.platform

DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "uji_surat_instansi.bpmn"
PROCESS_ID = "Uji_SuratInstansi"
LOGO = Path(__file__).resolve().parents[2] / "deploy" / "logo" / "dpmptsp-contoh.png"
PASSWORD = "Rahasia-Sekali-2026"


@dataclass
class World:
    deps: Deps
    admin: FlaskClient
    worker: Managed


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page carries no CSRF token"
    return match.group(1)


def post(client: FlaskClient, path: str, data: dict[str, Any], **kwargs: Any) -> str:
    """Submit a form of the admin pages as a person would (token read from the page); the
    page it redirects to."""
    token = csrf_of(client.get("/admin/instansi").get_data(as_text=True))
    response = client.post(path, data={"csrf_token": token, **data}, **kwargs)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, reports: Reports, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('instansi') / 'alur.db'}"
    migrate.upgrade(url)
    load_agencies(url)  # the installation's agencies; dpmptsp-bantul is not among them
    db_engine = make_engine(url)
    sessions = make_sessionmaker(db_engine)
    with sessions() as db:
        deployments.record(db, engine.deploy([DIAGRAM]), "uji")
        accounts.create_user(
            db, "admin", PASSWORD, full_name="Ahmad Fauzi", unit_code="kemenpanrb",
            roles=[accounts.ADMIN],
        )  # fmt: skip
        db.commit()
    settings = replace(stack.settings, database_url=url)
    # The worker runs from before the agency exists to the end of the module: no restart.
    worker = stack.start_workers(settings, name="workers-instansi")
    app = create_app(settings)
    admin = app.test_client()
    token = csrf_of(admin.get("/masuk").get_data(as_text=True))
    signed_in = admin.post(
        "/masuk", data={"username": "admin", "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    try:
        yield World(make_deps(settings, sessions, stack.s3_client()), admin, worker)
    finally:
        stack.supervisor.stop(worker)
        db_engine.dispose()


def issue(world: World, engine: Engine, reports: Reports) -> tuple[RegisterEntry, str, int]:
    """A complaint case of the new agency's unit through the diagram: its register entry, the
    text of its letter and how many images the letter's first page holds."""
    sessions = world.deps.sessions
    with sessions() as db:
        case, _ = cases.create(
            db,
            cases.NewCase(
                "pengaduan-bantul",
                PROCESS_ID,
                "dpmptsp-bantul",
                "Budi Santoso",
                None,
                "Pengaduan izin usaha",
                {},
            ),
        )
        db.commit()
    instance = engine.start(PROCESS_ID, {"caseId": case.id, "surat": SPEC})
    assert reports.event(instance).wait(60), (
        "the letter was not issued; worker log:\n" + world.worker.log_path.read_text()[-3000:]
    )
    with sessions() as db:
        entry = db.scalar(select(RegisterEntry).where(RegisterEntry.case_id == case.id))
        doc = db.scalar(select(CaseDocument).where(CaseDocument.case_id == case.id))
    assert entry is not None and doc is not None
    pdf = documents.read_document(world.deps.s3, doc)
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    return entry, text, len(pages[0].images)


def test_an_agency_added_in_admin_gets_its_letter_and_an_edit_takes_effect_without_restart(
    world: World, engine: Engine, reports: Reports
):
    admin = world.admin
    # The administrator adds the agency, its unit, its register and its logo in /admin.
    page = post(
        admin,
        "/admin/instansi/baru",
        {
            "code": "dpmptsp-bantul",
            "name": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "parent": "Pemerintah Kabupaten Bantul",
            "units": "",
            "address": "Jalan Robert Wolter Monginsidi No. 1, Bantul 55711",
            "contact": "Laman dpmptsp.bantulkab.go.id",
            "place": "Bantul",
            "timezone": "Asia/Jakarta",
            "display_name": "",
        },
    )
    assert "Instansi Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu dibuat" in page
    post(
        admin,
        "/admin/unit",
        {
            "code": "dpmptsp-bantul",
            "name": "DPMPTSP Kabupaten Bantul",
            "parent_code": "",
            "agency_code": "dpmptsp-bantul",
        },
    )
    with world.deps.sessions() as db:  # who signs: the head of the service, in its unit
        kadis = accounts.create_user(
            db, "kadis-bantul", PASSWORD, full_name="Drs. Sutrisno, M.M.",
            unit_code="dpmptsp-bantul", roles=["dpmptsp.kadis"],
            position="Kepala Dinas Penanaman Modal dan PTSP",
        )  # fmt: skip
        kadis.nip = "197205121998031004"
        db.commit()
    post(
        admin,
        "/admin/instansi/dpmptsp-bantul/register",
        {
            "register_code": "surat-keluar",
            "title": "Surat keluar DPMPTSP Bantul",
            "pattern": "503/{seq}/DPMPTSP-BTL/{bulan}/{tahun}",
            "kind": "surat-keluar",
        },
    )
    post(
        admin,
        "/admin/instansi/dpmptsp-bantul/logo",
        {"logo": (io.BytesIO(LOGO.read_bytes()), "logo-bantul.png")},
        content_type="multipart/form-data",
    )

    # A case of the new agency: its letter, issued by the worker that was already running.
    entry, text, images = issue(world, engine, reports)
    on = dates.local_date(entry.created_at, "Asia/Jakarta")
    assert entry.agency == "dpmptsp-bantul"
    assert entry.number == f"503/1/DPMPTSP-BTL/{agencies.ROMAN_MONTHS[on.month - 1]}/{on.year}"
    assert entry.number in text
    assert "PEMERINTAH KABUPATEN BANTUL" in text and "Jalan Robert Wolter Monginsidi No. 1" in text
    assert f"Bantul, {dates.show_date(on)}" in text and "Drs. Sutrisno, M.M." in text
    assert images == 1, "the letterhead carries the uploaded logo"

    # The administrator edits the letterhead and the pattern and takes the logo away...
    edited = post(
        admin,
        "/admin/instansi/dpmptsp-bantul",
        {
            "name": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "parent": "Pemerintah Kabupaten Bantul",
            "units": "Bidang Pengaduan dan Informasi",
            "address": "Jalan Lingkar Timur, Manding, Bantul 55714",
            "contact": "Laman dpmptsp.bantulkab.go.id",
            "place": "Trirenggo, Bantul",
            "timezone": "Asia/Jakarta",
            "display_name": "",
        },
    )
    assert "Kop surat disimpan" in edited
    post(
        admin,
        "/admin/instansi/dpmptsp-bantul/register/surat-keluar",
        {
            "title": "Surat keluar DPMPTSP Bantul",
            "pattern": "B-{seq}/DPMPTSP-BTL.02/{tahun}",
            "kind": "surat-keluar",
        },
    )
    post(admin, "/admin/instansi/dpmptsp-bantul/logo/hapus", {})

    # ... and the next letter, by the same worker process, carries the edit.
    assert world.worker.alive()
    entry, text, images = issue(world, engine, reports)
    on = dates.local_date(entry.created_at, "Asia/Jakarta")
    assert entry.number == f"B-2/DPMPTSP-BTL.02/{on.year}" and entry.number in text
    assert "BIDANG PENGADUAN DAN INFORMASI" in text and "Jalan Lingkar Timur" in text
    assert f"Trirenggo, Bantul, {dates.show_date(on)}" in text
    assert images == 0

    # Who changed what and when is on the agency's page; the book lists both letters.
    page = admin.get("/admin/instansi/dpmptsp-bantul").get_data(as_text=True)
    history = page[page.index("Riwayat perubahan") :]
    for what in (
        "Instansi dibuat",
        "Register surat-keluar ditambahkan",
        "Logo diganti",
        "Kop surat diubah",
        "Register surat-keluar diubah",
        "Logo dihapus",
    ):
        assert what in history, what
    assert "Jalan Lingkar Timur" in history and "B-{seq}/DPMPTSP-BTL.02/{tahun}" in history
    book = admin.get("/register/dpmptsp-bantul/surat-keluar.csv").get_data(as_text=True)
    assert "Tujuan" in book and entry.number in book and "Budi Santoso" in book
