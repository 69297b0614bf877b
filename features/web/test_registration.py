"""Staff register a case on the applicant's behalf (``web/registration.py``): the service's
intake form plus the channel it came through, checked as the online intake checks it; the
case records the channel and the member, the process starts with ``saluran``, and the member
hands over the tracking code and PIN. Real broker, S3 and database; Chromium at both widths.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from typing import Any

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Browser, expect
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from features.support.browser import (
    WIDTHS,
    fits,
    open_context,
    screenshot,
    sign_in_browser,
)
from features.web.conftest import PASSWORD, SERVICE, Site, csrf_of
from features.web.test_case_flow import (
    INTAKE,
    fill_in_browser,
    received,
    submit,
    task_of,
)
from features.web.test_pages import problems_of
from storage import access, cases, inbox
from storage.models import Case, CaseDocument
from web import registration
from web.submission import CHECK_FIELDS

pytestmark = pytest.mark.platform

#: The test service, registered for by its front office from three channels.
REGISTERED = replace(
    SERVICE,
    registrars=("dpmptsp.front_office",),
    channels=(("surat", "Surat"), ("langsung", "Datang langsung"), ("telepon", "Telepon")),
)
FORM = f"/tugas/daftarkan/{REGISTERED.code}"


@pytest.fixture(autouse=True)
def catalogue(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app offers the test service with staff intake declared."""
    monkeypatch.setitem(site.app.extensions, "alur.services", (REGISTERED,))


def register(
    client: FlaskClient,
    data: dict[str, Any] | None = None,
    files: dict[str, tuple[bytes, str]] | None = None,
    channel: str | None = "surat",
) -> TestResponse:
    """Post the registration form as its page does: the intake form's data, its files, and
    the channel chosen beside it (None: left unchosen)."""
    fields = {registration.CHANNEL: channel} if channel is not None else {}
    return submit(client, data, files, page=FORM, action=FORM, fields=fields)


def stored(site: Site) -> tuple[int, int, int]:
    """Cases, document rows and uploaded objects: what a refused registration leaves as is."""
    client = site.app.extensions["alur.s3"]
    bucket = site.app.extensions["alur.settings"].s3_bucket_uploads
    with site.sessions() as db:
        case_rows = db.scalar(select(func.count()).select_from(Case)) or 0
        doc_rows = db.scalar(select(func.count()).select_from(CaseDocument)) or 0
    objects = sum(1 for _ in client.list_objects(bucket, recursive=True))
    return int(case_rows), int(doc_rows), objects


def case_of(site: Site, code: str) -> Case:
    with site.sessions() as db:
        found = cases.by_code(db, code)
        assert found is not None
        return found


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_a_registrar_registers_a_case_for_its_applicant(site: Site, staff: dict[str, FlaskClient]):
    siti = staff["siti"]
    # The menu offers it, the list names the service, its page adds the channel to the form.
    assert "Daftarkan permohonan" in siti.get("/tugas").get_data(as_text=True)
    assert f'href="{FORM}"' in siti.get("/tugas/daftarkan").get_data(as_text=True)
    page = siti.get(FORM).get_data(as_text=True)
    assert 'data-extra="saluran-field"' in page and "data-alur-form" in page
    assert re.findall(r'<option value="(\w+)">', page) == ["surat", "langsung", "telepon"]

    response = register(siti)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["redirect"].startswith("/tugas/daftarkan/serah-terima/ALR-")
    code, pin = received(siti, response)
    handover = siti.get(f"/tugas/daftarkan/serah-terima/{code}").get_data(as_text=True)
    assert code in handover and pin not in handover  # the PIN is shown once
    assert "PIN sudah ditampilkan" in handover and "Surat" in handover

    case = case_of(site, code)
    assert (case.channel, case.registered_by) == ("surat", "siti")
    assert case.unit_code == REGISTERED.unit_code and case.applicant_name == "Ahmad Fauzi"
    with site.sessions() as db:
        first = cases.timeline(db, case.id)[0]
        docs = list(db.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id)))
    assert first.title == "Didaftarkan oleh Siti Rahmawati (saluran: Surat)"
    assert first.actor == "siti" and first.public
    assert first.detail["untukPemohon"] == "Permohonan didaftarkan melalui Surat"
    assert {d.kind: d.uploaded_by for d in docs} == {"lampiran": "siti", "tanda_terima": "alur"}

    # The process started with the channel: the first task of the real instance carries it.
    task = task_of(site, code, "Task_PeriksaPermohonan")
    assert task.variables["saluran"] == "surat" and task.case_id == case.id
    # Staff read who registered it and how; the registrar downloads the receipt to hand over.
    task_page = staff["budi"].get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "Didaftarkan oleh Siti Rahmawati (saluran: Surat)" in task_page
    [receipt] = [d for d in docs if d.kind == "tanda_terima"]
    [upload] = [d for d in docs if d.kind == "lampiran"]
    assert f"/dokumen/{receipt.id}" in handover
    # As the registrar alone (no role that sees the case's tasks): what the applicant reads.
    registrar = inbox.Viewer("siti", "dpmptsp", frozenset())
    with site.sessions() as db:
        assert access.staff_may_read(db, registrar, receipt)
        assert not access.staff_may_read(db, registrar, upload)
        assert not access.staff_may_read(db, replace(registrar, username="budi"), receipt)
    text = pdf_text(siti.get(f"/dokumen/{receipt.id}").data)
    assert "Diterima melalui : Surat" in text and "Didaftarkan oleh : Siti Rahmawati" in text
    assert "PIN yang diberikan petugas saat permohonan didaftarkan" in text and pin not in text

    # The applicant follows it with code and PIN, in their own words, without staff names.
    applicant = site.app.test_client()
    token = csrf_of(applicant.get("/lacak").get_data(as_text=True))
    opened = applicant.post("/lacak", data={"kode": code, "pin": pin, "csrf_token": token})
    assert opened.status_code == 302
    status = applicant.get(opened.headers["Location"]).get_data(as_text=True)
    assert "Permohonan didaftarkan melalui Surat" in status
    assert "Siti" not in status and "Didaftarkan oleh" not in status


def test_an_online_application_records_the_online_channel(site: Site):
    citizen = site.app.test_client()
    code, _ = received(citizen, submit(citizen))
    case = case_of(site, code)
    assert (case.channel, case.registered_by) == ("daring", None)
    assert task_of(site, code, "Task_PeriksaPermohonan").variables["saluran"] == "daring"
    with site.sessions() as db:
        first = cases.timeline(db, case.id)[0]
        receipt = db.scalar(
            select(CaseDocument).where(
                CaseDocument.case_id == case.id, CaseDocument.kind == "tanda_terima"
            )
        )
    assert (first.title, first.actor) == ("Permohonan diterima", "pemohon")
    assert receipt is not None
    text = pdf_text(citizen.get(f"/dokumen/{receipt.id}").data)
    assert "Diterima melalui" not in text and "Didaftarkan oleh" not in text
    assert "ditampilkan di layar saat permohonan dikirim" in text


@pytest.mark.hostile
def test_only_registrars_of_the_service_in_its_unit_may_register(
    site: Site, staff: dict[str, FlaskClient]
):
    before = stored(site)
    # The head of division holds no registrar role; KASN's secretariat is another agency's;
    # Jawa Barat's front office holds the role in a unit the service's cases never reach.
    for outsider in ("rina", "dewi", "asep"):
        assert staff[outsider].get(FORM).status_code == 403, outsider
        assert register(staff[outsider]).status_code == 403, outsider
        listing = staff[outsider].get("/tugas/daftarkan").get_data(as_text=True)
        assert f'href="{FORM}"' not in listing and "Tidak ada layanan" in listing
    assert "Daftarkan permohonan" not in staff["rina"].get("/tugas").get_data(as_text=True)
    assert stored(site) == before
    # The province above the service's unit registers for it, as it sees its tasks.
    assert staff["yanti"].get(FORM).status_code == 200
    # Not signed in: the sign-in page; an unknown service: 404.
    assert site.app.test_client().get(FORM).status_code == 302
    assert staff["siti"].get("/tugas/daftarkan/tidak-ada").status_code == 404

    # The hand-over page is the registering member's only.
    code, _ = received(staff["siti"], register(staff["siti"]))
    assert staff["budi"].get(f"/tugas/daftarkan/serah-terima/{code}").status_code == 403
    assert staff["siti"].get("/tugas/daftarkan/serah-terima/ALR-0000-0000").status_code == 404


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("data", "files"),
    [
        ({**INTAKE, "applicantName": ""}, None),
        ({**INTAKE, "jumlahSalinan": 99}, None),
        ({**INTAKE, "applicantEmail": "bukan-email"}, None),
        ({**INTAKE, "tambahan": "x"}, None),
        (INTAKE, {"files::ktp": (b"MZ\x90\x00" * 10, "ktp.pdf")}),
        (INTAKE, {}),
    ],
    ids=["missing", "out-of-range", "bad-email", "extra-field", "wrong-file-type", "no-file"],
)
def test_bad_input_is_refused_as_online_and_stores_nothing(
    site: Site, staff: dict[str, FlaskClient], data: dict[str, Any], files: Any
):
    before = stored(site)
    online = submit(site.app.test_client(), data, files)
    by_staff = register(staff["siti"], data, files)
    assert online.status_code == by_staff.status_code == 400
    assert by_staff.get_json() == online.get_json()
    assert by_staff.get_json()["errors"]  # in Bahasa, beside the field (see test_case_flow)
    assert stored(site) == before


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("channel", "message"),
    [
        (None, registration.CHANNEL_MISSING),
        ("", registration.CHANNEL_MISSING),
        ("daring", registration.CHANNEL_UNKNOWN),  # online is the applicant's own channel
        ("kotak", registration.CHANNEL_UNKNOWN),  # not one this service declares
    ],
    ids=["absent", "empty", "online", "undeclared"],
)
def test_a_registration_without_a_declared_channel_is_refused(
    site: Site, staff: dict[str, FlaskClient], channel: str | None, message: str
):
    before = stored(site)
    refused = register(staff["siti"], channel=channel)
    assert refused.status_code == 400
    assert refused.get_json() == {"message": CHECK_FIELDS, "errors": {"saluran": message}}
    # With the form wrong too, both are said at once.
    both = register(staff["siti"], {**INTAKE, "applicantName": ""}, channel=channel)
    assert both.get_json()["errors"] == {"applicantName": "Wajib diisi.", "saluran": message}
    assert stored(site) == before


@pytest.fixture(params=sorted(WIDTHS))
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_registering_in_the_browser_at_both_widths(
    site: Site, live_url: str, browser: Browser, size: str
):
    context = open_context(browser, size)
    try:
        page = context.new_page()
        sign_in_browser(page, live_url, "siti", PASSWORD)
        page.locator("nav.main").get_by_role("link", name="Daftarkan permohonan").click()
        page.get_by_role("link", name=REGISTERED.name).click()
        expect(page.locator("[data-alur-form][data-ready=true]")).to_be_attached()
        assert problems_of(page) == []
        screenshot(page, f"daftarkan-formulir-{size}")
        assert fits(page), "formulir"

        # Sent without a channel: refused beside the choice, before anything is posted.
        fill_in_browser(page)
        page.get_by_role("button", name="Daftarkan permohonan").click()
        expect(page.locator("#saluran-error")).to_have_text(registration.CHANNEL_MISSING)
        expect(page.get_by_label("Saluran")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#form-messages")).to_contain_text("Saluran")
        screenshot(page, f"daftarkan-tanpa-saluran-{size}")

        page.get_by_label("Saluran").select_option(label="Datang langsung")
        page.get_by_role("button", name="Daftarkan permohonan").click()
        page.wait_for_url(re.compile(r"/tugas/daftarkan/serah-terima/ALR-[0-9A-Z-]+$"))
        code = page.locator("#kode-pelacakan").inner_text().strip()
        expect(page.locator("#pin")).to_have_text(re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}$"))
        expect(page.locator("#saluran")).to_have_text("Datang langsung")
        expect(page.get_by_role("button", name="Cetak untuk pemohon")).to_be_visible()
        assert problems_of(page) == []
        screenshot(page, f"serah-terima-{size}")
        assert fits(page), "serah terima"

        # Printed for the applicant: code and PIN, without the menu and the buttons.
        page.emulate_media(media="print")
        expect(page.locator("header.top")).to_be_hidden()
        expect(page.get_by_role("button", name="Cetak untuk pemohon")).to_be_hidden()
        expect(page.locator("#pin")).to_be_visible()
        screenshot(page, f"serah-terima-cetak-{size}")
    finally:
        context.close()
    assert (case_of(site, code).channel, case_of(site, code).registered_by) == ("langsung", "siti")
