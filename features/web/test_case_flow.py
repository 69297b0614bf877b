"""A case through the web app over HTTP: intake, receipt, inbox, claim, complete, tracking.

Runs against the real broker, S3 and database; the browser variant is in ``test_browser.py``.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from typing import Any

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from werkzeug.test import TestResponse

from alur import intake
from alur.gateway import Starter
from features.support.testjobs import Reports
from features.web.conftest import Site, csrf_of
from stack.local import Stack
from stack.procs import wait_until
from storage import accounts, inbox
from storage.models import Case, CaseDocument, HumanTask, utcnow
from web import create_app

pytestmark = pytest.mark.platform

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
INTAKE = {
    "applicantName": "Ahmad Fauzi",
    "applicantEmail": "ahmad@example.id",
    "subject": "Izin usaha <script>alert(1)</script>",
    "jumlahSalinan": 2,
    "identityDocument": "files::ktp",
}


def submit(
    client: FlaskClient,
    data: dict[str, Any] | None = None,
    files: dict[str, tuple[bytes, str]] | None = None,
    *,
    csrf: bool = True,
    page: str = "/layanan/uji-layanan",
    action: str = "/layanan/uji-layanan/ajukan",
    fields: dict[str, str] | None = None,
) -> TestResponse:
    """Post the intake form as the browser does from ``page`` to ``action`` (the public
    intake unless told), with the page's other ``fields`` beside ``data``."""
    shown = client.get(page).get_data(as_text=True)
    body: dict[str, Any] = {"data": json.dumps(INTAKE if data is None else data), **(fields or {})}
    if csrf:
        body["csrf_token"] = csrf_of(shown)
    chosen = {"files::ktp": (PDF, "ktp.pdf")} if files is None else files
    for ref, (content, name) in chosen.items():
        body[ref] = (io.BytesIO(content), name)
    return client.post(
        action,
        data=body,
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )


def fill_in_browser(page: Page) -> None:
    """Fill the open intake form as a person does (form-js commits a field on blur)."""
    page.get_by_label("Nama pemohon").fill("Ahmad Fauzi")
    page.get_by_label("E-mail").fill("ahmad@example.id")
    page.get_by_label("Perihal").fill("Izin usaha mikro")
    page.get_by_label("Perihal").blur()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )


def apply_in_browser(page: Page) -> tuple[str, str]:
    """On the open intake page, apply as a citizen does; the receipt page's tracking code
    and PIN."""
    fill_in_browser(page)
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url(re.compile(r"/lacak/ALR-[0-9A-Z-]+/diterima$"))
    code = page.locator("#kode-pelacakan").inner_text().strip()
    return code, page.locator("#pin").inner_text().strip()


def case_count(site: Site) -> int:
    with site.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(Case)) or 0)


def received(client: FlaskClient, response: TestResponse) -> tuple[str, str]:
    """Follow the intake's answer to the receipt page: tracking code and PIN."""
    assert response.status_code == 201, response.get_json()
    page = client.get(response.get_json()["redirect"]).get_data(as_text=True)
    code = re.search(r'id="kode-pelacakan">([^<]+)<', page)
    pin = re.search(r'id="pin">([^<]+)<', page)
    assert code and pin
    return code.group(1), pin.group(1)


def task_of(site: Site, code: str, element_id: str) -> HumanTask:
    def find() -> HumanTask | None:
        with site.sessions() as db:
            return db.scalar(
                select(HumanTask).where(
                    HumanTask.tracking_code == code, HumanTask.element_id == element_id
                )
            )

    wait_until(lambda: find() is not None, timeout=30, what=f"task {element_id} of {code}")
    task = find()
    assert task is not None
    return task


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None) -> TestResponse:
    page = client.get("/tugas").get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_of(page), **(data or {})})


def complete(client: FlaskClient, task_id: int, data: dict[str, Any]) -> TestResponse:
    page = client.get(f"/tugas/{task_id}").get_data(as_text=True)
    return client.post(
        f"/tugas/{task_id}/selesaikan",
        data={"csrf_token": csrf_of(page), "data": json.dumps(data)},
        headers={"Accept": "application/json"},
    )


@pytest.fixture
def citizen(site: Site) -> FlaskClient:
    return site.app.test_client()


def test_a_case_runs_from_intake_to_the_end_of_the_process(
    site: Site, citizen: FlaskClient, staff: dict[str, FlaskClient], reports: Reports
):
    code, pin = received(citizen, submit(citizen))
    assert re.fullmatch(r"ALR-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    check = task_of(site, code, "Task_PeriksaPermohonan")
    assert check.name == "Periksa permohonan"
    assert check.unit_code == "dpmptsp" and check.due_at is not None
    assert isinstance(check.variables["receiptDocumentId"], int)  # for a "send receipt" step

    # The inbox opens on a tab with work: nothing claimed yet, so the role's available tasks.
    landing = staff["siti"].get("/tugas").get_data(as_text=True)
    assert re.search(r'href="[^"]*tampilan=tersedia[^"]*"\s+aria-current="page"', landing)
    assert code in landing
    # The front office of the right unit sees it; another unit and another agency do not.
    available = "/tugas?tampilan=tersedia"
    assert code in staff["siti"].get(available).get_data(as_text=True)
    assert code in staff["yanti"].get(available).get_data(as_text=True)  # the unit above
    assert code not in staff["asep"].get(available).get_data(as_text=True)
    assert code not in staff["dewi"].get(available).get_data(as_text=True)
    assert staff["asep"].get(f"/tugas/{check.id}").status_code == 403
    assert staff["dewi"].get(f"/tugas/{check.id}").status_code == 403

    # The task page shows the case beside the form, escaped.
    page = staff["siti"].get(f"/tugas/{check.id}").get_data(as_text=True)
    assert "Ahmad Fauzi" in page and "ktp.pdf" in page
    assert "<dt>Jumlah salinan</dt><dd>2</dd>" in page  # answers under the form's labels
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page

    # Claim: one winner; completing needs the claim.
    assert complete(staff["siti"], check.id, {"keputusan": "lengkap"}).status_code == 403
    assert post(staff["siti"], f"/tugas/{check.id}/klaim").status_code == 302
    post(staff["budi"], f"/tugas/{check.id}/klaim")
    with site.sessions() as db:
        claimed = db.get(HumanTask, check.id)
        assert claimed is not None and claimed.assignee == "siti"
    assert code in staff["siti"].get("/tugas?tampilan=saya").get_data(as_text=True)
    assert complete(staff["budi"], check.id, {"keputusan": "lengkap"}).status_code == 403

    # Server-side validation: a missing required field and an unknown option change nothing.
    missing = complete(staff["siti"], check.id, {"catatan": "belum dicek"})
    assert missing.status_code == 400
    assert missing.get_json()["errors"] == {"keputusan": "Wajib diisi."}
    wrong = complete(staff["siti"], check.id, {"keputusan": "terserah"})
    assert wrong.status_code == 400 and "keputusan" in wrong.get_json()["errors"]
    with site.sessions() as db:
        still = db.get(HumanTask, check.id)
        assert still is not None and still.status == "open"

    done = complete(staff["siti"], check.id, {"keputusan": "lengkap", "catatan": "Lengkap."})
    assert done.status_code == 200, done.get_json()
    done_tab = staff["siti"].get("/tugas?tampilan=selesai").get_data(as_text=True)
    row = done_tab.split(code)[0].rsplit("<tr>", 1)[1] + done_tab.split(code)[1].split("</tr>")[0]
    assert "Selesai tepat waktu" in row and "Siti Rahmawati" in row and "belum diklaim" not in row
    finished = staff["siti"].get(f"/tugas/{check.id}").get_data(as_text=True)
    assert "Tugas ini sudah diselesaikan." in finished and "Selesaikan tugas" not in finished
    approve = task_of(site, code, "Task_SetujuiPermohonan")
    assert approve.variables["keputusan"] == "lengkap"
    # The next task shows the earlier decision under its labels, by the person's name.
    next_page = staff["rina"].get(f"/tugas/{approve.id}").get_data(as_text=True)
    assert "<dt>Keputusan</dt><dd>Lengkap</dd>" in next_page
    decisions = next_page.split("Keputusan sebelumnya")[1].split("Riwayat perkara")[0]
    assert "oleh Siti Rahmawati" in decisions and "keputusan" not in decisions
    assert code in staff["rina"].get(available).get_data(as_text=True)
    post(staff["rina"], f"/tugas/{approve.id}/klaim")
    assert complete(staff["rina"], approve.id, {"disetujui": True}).status_code == 200
    with site.sessions() as db:
        case = db.scalar(select(Case).where(Case.tracking_code == code))
        assert case is not None and case.process_instance_key is not None
    assert reports.event(case.process_instance_key).wait(10)
    assert reports.counts[case.process_instance_key] == 1

    # The applicant follows it with code and PIN; the timeline shows public steps only.
    other = site.app.test_client()
    token = csrf_of(other.get("/lacak").get_data(as_text=True))
    opened = other.post("/lacak", data={"kode": code.lower(), "pin": pin, "csrf_token": token})
    assert opened.status_code == 302
    status = other.get(opened.headers["Location"]).get_data(as_text=True)
    assert "Permohonan diterima" in status and "Periksa permohonan selesai" in status
    assert "Tugas diklaim" not in status and "siti" not in status


def test_a_supervisor_assigns_and_others_cannot(
    site: Site, citizen: FlaskClient, staff: dict[str, FlaskClient]
):
    code, _ = received(citizen, submit(citizen))
    task = task_of(site, code, "Task_PeriksaPermohonan")
    assert code in staff["rina"].get("/tugas?tampilan=tim").get_data(as_text=True)
    assert (
        post(staff["siti"], f"/tugas/{task.id}/tugaskan", {"username": "budi"}).status_code == 403
    )
    post(staff["rina"], f"/tugas/{task.id}/tugaskan", {"username": "asep"})  # other unit
    with site.sessions() as db:
        row = db.get(HumanTask, task.id)
        assert row is not None and row.assignee is None
    post(staff["rina"], f"/tugas/{task.id}/tugaskan", {"username": "budi"})
    with site.sessions() as db:
        row = db.get(HumanTask, task.id)
        assert row is not None and row.assignee == "budi"
    assert code in staff["budi"].get("/tugas?tampilan=saya").get_data(as_text=True)
    post(staff["budi"], f"/tugas/{task.id}/lepas")
    with site.sessions() as db:
        row = db.get(HumanTask, task.id)
        assert row is not None and row.assignee is None


def test_the_inbox_pages_through_more_tasks_than_one_page_holds(
    site: Site, citizen: FlaskClient, staff: dict[str, FlaskClient], monkeypatch: pytest.MonkeyPatch
):
    for _ in range(2):
        code, _ = received(citizen, submit(citizen))
        task_of(site, code, "Task_PeriksaPermohonan")
    monkeypatch.setattr(inbox, "PAGE_SIZE", 1)
    seen = []
    page, number = staff["siti"].get("/tugas?tampilan=tersedia"), 1
    while True:
        html = page.get_data(as_text=True)
        assert html.count('<a href="/tugas/') == 1 and f"Halaman {number}" in html
        seen.append(re.findall(r'<a href="/tugas/(\d+)">', html)[0])
        assert ('rel="prev"' in html) == (number > 1)
        if 'rel="next"' not in html:
            break
        number += 1
        page = staff["siti"].get(f"/tugas?tampilan=tersedia&halaman={number}")
    with site.sessions() as db:
        units = accounts.unit_scope(db, "dpmptsp")
        siti = inbox.Viewer("siti", "dpmptsp", frozenset({"dpmptsp.front_office"}), units=units)
        total = inbox.counts(db, siti)[inbox.View.AVAILABLE]
    assert len(seen) == len(set(seen)) == total >= 2  # every task once, none skipped
    for wrong in ("0", "-3", "dua"):
        html = staff["siti"].get(f"/tugas?tampilan=tersedia&halaman={wrong}").get_data(as_text=True)
        assert "Halaman 1" in html


def test_a_task_the_process_dropped_opens_as_cancelled_without_its_form(
    site: Site, citizen: FlaskClient, staff: dict[str, FlaskClient]
):
    """Its job is gone from Zeebe (as after an interrupting timer) but the row is still open:
    the page asks Zeebe, marks it cancelled and says so in Bahasa Indonesia."""
    code, _ = received(citizen, submit(citizen))
    real = task_of(site, code, "Task_PeriksaPermohonan")
    with site.sessions() as db:
        row = db.get(HumanTask, real.id)
        assert row is not None
        row.job_key += 10**9  # a key Zeebe has not handed out: its job no longer exists
        db.commit()
    page = staff["siti"].get(f"/tugas/{real.id}").get_data(as_text=True)
    assert "Tugas ini dibatalkan oleh proses" in page and "Selesaikan tugas" not in page
    with site.sessions() as db:
        gone = db.get(HumanTask, real.id)
        assert gone is not None and gone.status == "cancelled"
    assert code not in staff["siti"].get("/tugas?tampilan=tersedia").get_data(as_text=True)


@pytest.mark.hostile
def test_documents_reach_only_those_allowed(
    site: Site, citizen: FlaskClient, staff: dict[str, FlaskClient]
):
    code, _ = received(citizen, submit(citizen))
    task_of(site, code, "Task_PeriksaPermohonan")
    with site.sessions() as db:
        case = db.scalar(select(Case).where(Case.tracking_code == code))
        assert case is not None
        docs = {
            d.kind: d
            for d in db.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id))
        }
    upload, receipt = docs["lampiran"], docs["tanda_terima"]
    assert staff["siti"].get(f"/dokumen/{upload.id}").data == PDF
    assert staff["asep"].get(f"/dokumen/{upload.id}").status_code == 403
    assert staff["dewi"].get(f"/dokumen/{upload.id}").status_code == 403
    assert citizen.get(f"/dokumen/{upload.id}").status_code == 403  # not a public document
    pdf = citizen.get(f"/dokumen/{receipt.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert site.app.test_client().get(f"/dokumen/{receipt.id}").status_code == 403


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("data", "files", "field", "message"),
    [
        ({**INTAKE, "applicantName": ""}, None, "applicantName", "Wajib diisi."),
        ({**INTAKE, "jumlahSalinan": "dua"}, None, "jumlahSalinan", "angka"),
        ({**INTAKE, "jumlahSalinan": 99}, None, "jumlahSalinan", "10"),
        ({**INTAKE, "applicantEmail": "bukan-email"}, None, "applicantEmail", "email"),
        (INTAKE, {"files::ktp": (b"MZ\x90\x00" * 10, "ktp.pdf")}, "identityDocument", "Jenis"),
        (
            INTAKE,
            {"files::ktp": (b"%PDF" + b"0" * (300 * 1024), "ktp.pdf")},
            "identityDocument",
            "terlalu besar",
        ),
        (INTAKE, {}, "identityDocument", "Unggah berkas"),
        ({**INTAKE, "tambahan": "x"}, None, "_form", "tambahan"),
    ],
    ids=[
        "missing",
        "wrong-type",
        "out-of-range",
        "bad-email",
        "wrong-file-type",
        "oversized",
        "no-file",
        "extra-field",
    ],
)
def test_bad_intake_gets_a_clear_error_and_stores_nothing(
    site: Site, citizen: FlaskClient, data: dict[str, Any], files: Any, field: str, message: str
):
    before = case_count(site)
    response = submit(citizen, data, files)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert field in errors and message.lower() in errors[field].lower(), errors
    assert case_count(site) == before


@pytest.mark.hostile
def test_intake_without_its_csrf_token_is_refused(site: Site, citizen: FlaskClient):
    before = case_count(site)
    response = submit(citizen, csrf=False)
    assert response.status_code == 400
    assert "Token keamanan" in response.get_json()["message"]
    assert case_count(site) == before


@pytest.mark.hostile
def test_a_tampered_task_id_is_refused(staff: dict[str, FlaskClient]):
    assert staff["siti"].get("/tugas/999999").status_code == 404
    assert complete(staff["siti"], 999999, {"keputusan": "lengkap"}).status_code == 404


@pytest.mark.hostile
@pytest.mark.parametrize("kode", ["ALR-0000-0000", "bukan kode"])
def test_an_unknown_or_wrong_tracking_code_reveals_nothing(
    site: Site, citizen: FlaskClient, kode: str
):
    code, _ = received(citizen, submit(citizen))
    stranger = site.app.test_client()
    token = csrf_of(stranger.get("/lacak").get_data(as_text=True))
    for attempt in ({"kode": kode, "pin": "1234-5678"}, {"kode": code, "pin": "AAAA-AAAA"}):
        answer = stranger.post("/lacak", data={**attempt, "csrf_token": token})
        assert answer.status_code == 404
        assert "Kode pelacakan atau PIN tidak cocok" in answer.get_data(as_text=True)
    assert stranger.get(f"/lacak/{code}").status_code == 302  # back to the form


def test_a_case_submitted_while_zeebe_is_away_waits_and_starts_later(site: Site, stack: Stack):
    unreachable = replace(site.app.extensions["alur.settings"], zeebe_address="127.0.0.1:9")
    offline = create_app(unreachable, catalog=site.app.extensions["alur.services"])
    citizen = offline.test_client()
    response = submit(citizen)
    assert response.status_code == 201  # the applicant keeps the receipt: nothing is lost
    code, _ = received(citizen, response)
    with site.sessions() as db:
        case = db.scalar(select(Case).where(Case.tracking_code == code))
        assert case is not None and case.status == "menunggu"
        assert case.process_instance_key is None
    starter = Starter(stack.settings.zeebe_address)
    try:
        assert intake.start_waiting(site.sessions, starter, utcnow()) == 1
        assert intake.start_waiting(site.sessions, starter, utcnow()) == 0  # once only
    finally:
        starter.close()
    assert task_of(site, code, "Task_PeriksaPermohonan").case_id == case.id


def test_intake_holds_no_database_lock_while_it_talks_to_s3(
    site: Site, citizen: FlaskClient, monkeypatch: pytest.MonkeyPatch
):
    """SQLite has one writer: intake must not keep it across S3 puts (files, receipt)."""
    client = site.app.extensions["alur.s3"]
    put = client.put_object
    writes_meanwhile: list[bool] = []

    def put_and_try_a_write(*args: Any, **kwargs: Any) -> Any:
        with site.sessions() as other:
            other.connection().exec_driver_sql("PRAGMA busy_timeout = 0")
            try:
                other.connection().exec_driver_sql("BEGIN IMMEDIATE")
                other.connection().exec_driver_sql("ROLLBACK")
                writes_meanwhile.append(True)
            except OperationalError:  # "database is locked"
                writes_meanwhile.append(False)
        return put(*args, **kwargs)

    monkeypatch.setattr(client, "put_object", put_and_try_a_write)
    code, _ = received(citizen, submit(citizen))
    assert writes_meanwhile == [True, True]  # the identity card and the receipt
    with site.sessions() as db:
        case = db.scalar(select(Case).where(Case.tracking_code == code))
        assert case is not None
        docs = db.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id)).all()
    assert sorted(doc.kind for doc in docs) == ["lampiran", intake.RECEIPT]
    assert case.data["identityDocument"] == [str(d.id) for d in docs if d.kind == "lampiran"]
