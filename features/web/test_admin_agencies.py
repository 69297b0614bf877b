"""The agencies' admin pages (``/admin/instansi``, issue 24): administrators list, create and
edit agencies, their logos and registers; each refusal comes back beside its field in Bahasa
with status 400, what was typed still there, and nothing changed; the agency's page shows who
changed what and when; others cannot reach any of it. In Chromium at 1280 and 360 px: no
sideways scrolling, no serious accessibility violation, no English (screenshots
``var/screenshots/instansi-ubah-*.png``)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser

from features.support.browser import fits, open_context, screenshot, sign_in_browser
from features.web.conftest import serving
from features.web.test_pages import problems_of
from stack.local import Stack, load_agencies
from storage import accounts, agencies, migrate
from storage.db import make_engine, make_sessionmaker
from web import create_app

pytestmark = pytest.mark.platform

PASSWORD = "Rahasia-Sekali-2026"
LOGO = Path(__file__).resolve().parents[2] / "deploy" / "logo" / "dpmptsp-contoh.png"
BANTUL = {
    "code": "dpmptsp-bantul",
    "name": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "parent": "Pemerintah Kabupaten Bantul",
    "units": "Bidang Pengaduan\nBidang Perizinan",
    "address": "Jalan Robert Wolter Monginsidi No. 1, Bantul 55711",
    "contact": "Laman dpmptsp.bantulkab.go.id",
    "place": "Bantul",
    "timezone": "Asia/Jakarta",
    "display_name": "DPMPTSP Kabupaten Bantul",
}


@pytest.fixture(scope="module")
def app(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path_factory.mktemp('instansi') / 'alur.db'}"
    migrate.upgrade(url)
    load_agencies(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as db:
        for username, roles in [("admin", [accounts.ADMIN]), ("siti", ["dpmptsp.front_office"])]:
            accounts.create_user(
                db, username, PASSWORD, full_name=username.title(), unit_code="dpmptsp-jatim",
                roles=roles,
            )  # fmt: skip
        db.commit()
    engine.dispose()
    yield create_app(replace(stack.settings, database_url=url, upload_max_bytes=256 * 1024))


def token_of(client: FlaskClient, path: str = "/masuk") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert match, f"{path} carries no CSRF token"
    return match.group(1)


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post(
        "/masuk", data={"username": username, "password": PASSWORD, "csrf_token": token_of(client)}
    )
    assert response.status_code == 302
    return client


@pytest.fixture(scope="module")
def admin(app: Flask) -> FlaskClient:
    return signed_in(app, "admin")


def post(client: FlaskClient, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return client.post(path, data={"csrf_token": token_of(client, "/"), **data}, **kwargs)


def errors_of(page: str) -> dict[str, str]:
    """Field id -> the error shown beside it."""
    return {
        m.group(1): m.group(2)
        for m in re.finditer(
            r'<p class="field-error" id="([^"]+)-error"><span class="visually-hidden">'
            r"Kesalahan: </span>(.*?)</p>",
            page,
        )
    }


def stored_agency(app: Flask, code: str) -> tuple[Any, ...] | None:
    with app.extensions["alur.db"]() as db:
        row = agencies.get(db, code)
        if row is None:
            return None
        registers = [(r.code, r.pattern, r.kind) for r in agencies.registers(db, code)]
        return (row.name, row.place, row.timezone, row.logo_sha256, registers)


def test_the_list_shows_the_loaded_agencies(admin: FlaskClient):
    page = admin.get("/admin/instansi").get_data(as_text=True)
    for name in ("Komisi Aparatur Sipil Negara", "Pengelola Nasional SP4N-LAPOR!"):
        assert name in page
    assert 'href="/admin/instansi/dpmptsp"' in page


def test_a_new_agency_with_mistakes_comes_back_beside_each_field(app: Flask, admin: FlaskClient):
    typed = {**BANTUL, "code": "DPMPTSP Bantul", "place": "", "timezone": "Europe/Amsterdam"}
    response = post(admin, "/admin/instansi/baru", typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = errors_of(page)
    assert errors["a-code"].startswith("Kode instansi hanya boleh huruf kecil")
    assert errors["a-place"] == "Tempat penandatanganan wajib diisi, misalnya Surabaya."
    assert errors["a-timezone"].startswith("Zona waktu harus salah satu dari")
    assert 'value="Pemerintah Kabupaten Bantul"' in page  # what was typed stays
    assert "Bidang Pengaduan\nBidang Perizinan</textarea>" in page
    assert stored_agency(app, "DPMPTSP Bantul") is None


def test_an_administrator_creates_an_agency_adds_a_register_and_a_logo(
    app: Flask, admin: FlaskClient
):
    response = post(admin, "/admin/instansi/baru", BANTUL)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/instansi/dpmptsp-bantul"
    register = {
        "register_code": "surat-keluar",
        "title": "Surat keluar DPMPTSP Bantul",
        "pattern": "503/{seq}/DPMPTSP-BTL/{bulan}/{tahun}",
        "kind": "surat-keluar",
    }
    assert post(admin, "/admin/instansi/dpmptsp-bantul/register", register).status_code == 302
    uploaded = post(
        admin,
        "/admin/instansi/dpmptsp-bantul/logo",
        {"logo": (io.BytesIO(LOGO.read_bytes()), "logo.png")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    page = admin.get("/admin/instansi/dpmptsp-bantul").get_data(as_text=True)
    assert "Contoh nomor: <strong>503/1/DPMPTSP-BTL/" in page
    logo = admin.get("/admin/instansi/dpmptsp-bantul/logo")
    assert logo.mimetype == "image/png" and logo.data == LOGO.read_bytes()
    assert logo.headers["X-Content-Type-Options"] == "nosniff"
    history = page[page.index("Riwayat perubahan") :]
    assert history.index("Logo diganti") < history.index("Register surat-keluar ditambahkan")
    assert history.index("Register surat-keluar ditambahkan") < history.index("Instansi dibuat")
    assert "<td>admin</td>" in history


REFUSED: dict[str, tuple[str, dict[str, Any], str, str]] = {
    "a pattern without {seq}": (
        "/admin/instansi/dpmptsp/register/surat-keluar",
        {"title": "Surat keluar DPMPTSP", "pattern": "B/DPMPTSP/{tahun}", "kind": "surat-keluar"},
        "r-surat-keluar-pattern",
        "Pola nomor harus memuat {seq}, nomor urut dalam tahun itu.",
    ),
    "a pattern with an unknown placeholder": (
        "/admin/instansi/dpmptsp/register",
        {
            "register_code": "nota-dinas",
            "title": "Nota dinas",
            "pattern": "ND-{seq}/{bidang}/{tahun}",
            "kind": "nota-dinas",
        },
        "r-pattern",
        "Pola nomor memuat {bidang} yang tidak dikenal; yang boleh hanya {seq}, {bulan}, {tahun}.",
    ),
    "a pattern another register already writes": (
        "/admin/instansi/dpmptsp/register",
        {
            "register_code": "surat-keluar-2",
            "title": "Surat keluar lain",
            "pattern": "B-{seq}/KASN/{bulan}/{tahun}",
            "kind": "surat-keluar",
        },
        "r-pattern",
        "Pola nomor ini dapat menghasilkan nomor yang sama dengan register surat-keluar milik"
        " instansi kasn (B-{seq}/KASN/{bulan}/{tahun}). Tambahkan kode pembeda, misalnya"
        " singkatan instansi.",
    ),
    "a time zone outside Indonesia": (
        "/admin/instansi/dpmptsp",
        {**BANTUL, "timezone": "UTC"},
        "k-timezone",
        "Zona waktu harus salah satu dari: Asia/Jakarta (WIB), Asia/Makassar (WITA),"
        " Asia/Jayapura (WIT).",
    ),
    "a logo that is a script": (
        "/admin/instansi/dpmptsp/logo",
        {"logo": (io.BytesIO(b"<svg onload='alert(1)'/>"), "logo.png")},
        "l-logo",
        "Logo harus berupa gambar PNG atau JPEG.",
    ),
    "no logo file": (
        "/admin/instansi/dpmptsp/logo",
        {},
        "l-logo",
        "Pilih berkas logo (gambar PNG atau JPEG).",
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_each_refusal_is_shown_beside_its_field_and_changes_nothing(
    case: str, app: Flask, admin: FlaskClient
):
    path, data, field_id, message = REFUSED[case]
    before = stored_agency(app, "dpmptsp")
    kwargs = {"content_type": "multipart/form-data"} if path.endswith("/logo") else {}
    response = post(admin, path, data, **kwargs)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert errors_of(page)[field_id] == message
    assert f'<a href="#{field_id}">' in page  # and in the summary at the top, linked
    assert stored_agency(app, "dpmptsp") == before


def test_an_administrator_adds_and_removes_a_day_off(admin: FlaskClient):
    typed = {"day": "31/02/2027", "day_name": "Hari Jadi Provinsi Jawa Timur"}
    wrong = post(admin, "/admin/instansi/dpmptsp/libur", typed)
    assert wrong.status_code == 400
    page = wrong.get_data(as_text=True)
    assert errors_of(page)["d-day"] == "Tanggal 31 tidak ada pada bulan Februari 2027."
    assert 'value="Hari Jadi Provinsi Jawa Timur"' in page
    added = post(admin, "/admin/instansi/dpmptsp/libur", {**typed, "day": "12 Oktober 2027"})
    assert added.status_code == 302
    page = admin.get("/admin/instansi/dpmptsp").get_data(as_text=True)
    assert "12 Oktober 2027 — Hari Jadi Provinsi Jawa Timur" in page
    again = post(admin, "/admin/instansi/dpmptsp/libur", {**typed, "day": "12/10/2027"})
    assert errors_of(again.get_data(as_text=True))["d-day"] == (
        "Tanggal ini sudah menjadi hari libur instansi ini."
    )
    assert post(admin, "/admin/instansi/dpmptsp/libur/2027-10-12/hapus", {}).status_code == 302
    page = admin.get("/admin/instansi/dpmptsp").get_data(as_text=True)
    history = page[page.index("Riwayat perubahan") :]
    assert "Hari libur 12 Oktober 2027 dihapus" in history
    assert "Hari libur 12 Oktober 2027 ditambahkan" in history


def test_an_unknown_agency_is_not_found(admin: FlaskClient):
    assert admin.get("/admin/instansi/tidak-ada").status_code == 404
    response = post(admin, "/admin/instansi/tidak-ada/register", {"register_code": "x"})
    assert response.status_code == 404


def test_others_cannot_change_agencies(app: Flask):
    staff = signed_in(app, "siti")
    before = stored_agency(app, "dpmptsp")
    for path in ("/admin/instansi", "/admin/instansi/dpmptsp"):
        assert staff.get(path).status_code == 403
    response = post(staff, "/admin/instansi/dpmptsp", {**BANTUL, "place": "Malang"})
    assert response.status_code == 403
    anonymous = app.test_client()
    assert anonymous.get("/admin/instansi/dpmptsp/logo").status_code == 302
    admin = signed_in(app, "admin")
    without_token = admin.post("/admin/instansi/dpmptsp", data={**BANTUL, "place": "Malang"})
    assert without_token.status_code == 400
    assert stored_agency(app, "dpmptsp") == before


def test_a_unit_created_in_admin_can_belong_to_an_agency(app: Flask, admin: FlaskClient):
    unit = {"code": "dpmptsp-jatim-pgd", "name": "Bidang Pengaduan", "parent_code": ""}
    assert post(admin, "/admin/unit", {**unit, "agency_code": "dpmptsp"}).status_code == 302
    child = {"code": "dpmptsp-jatim-pgd-1", "name": "Seksi Pengaduan", "parent_code": unit["code"]}
    assert post(admin, "/admin/unit", child).status_code == 302  # its parent's agency
    page = admin.get("/admin/instansi/dpmptsp").get_data(as_text=True)
    assert "Bidang Pengaduan <code>dpmptsp-jatim-pgd</code>" in page
    assert "Seksi Pengaduan <code>dpmptsp-jatim-pgd-1</code>" in page
    wrong = post(admin, "/admin/unit", {**unit, "code": "x-1", "agency_code": "tidak-ada"})
    assert wrong.status_code == 400
    assert errors_of(wrong.get_data(as_text=True))["u-agency_code"] == (
        "Instansi tidak dikenal. Pilih dari daftar."
    )


@pytest.mark.parametrize("size", ["desktop", "ponsel"])
def test_the_agency_page_reads_well_on_a_desktop_and_a_phone(
    app: Flask, browser: Browser, size: str
):
    with serving(app) as base:
        context = open_context(browser, size)
        try:
            page = context.new_page()
            sign_in_browser(page, base, "admin", PASSWORD)
            page.goto(f"{base}/admin/instansi/dpmptsp")
            assert fits(page), "the page scrolls sideways"
            screenshot(page, f"instansi-ubah-{size}")
            assert problems_of(page) == []
            page.get_by_label("Tempat penandatanganan").fill("")
            page.get_by_role("button", name="Simpan kop surat").click()
            page.get_by_role("alert").wait_for()
            assert fits(page), "the page with its errors scrolls sideways"
            screenshot(page, f"instansi-ubah-galat-{size}")
            assert problems_of(page) == []
            page.goto(f"{base}/admin/instansi")
            assert fits(page)
            assert problems_of(page) == []
        finally:
            context.close()
