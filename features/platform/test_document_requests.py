"""Returning an incomplete file to its applicant to complete (issue 27), on the real broker,
S3 and database, through the web app.

The test diagram ``uji_kelengkapan.bpmn`` checks a file, asks for what is missing with
``alur.berkas.minta`` and waits for the message ``alur.berkas.dilengkapi`` (correlation key:
the case's tracking code and the request's id), then checks the file again, as often as
needed. What it shows: the request is stored once however often the job comes; the tracking
page lists what is missing and takes the documents, which reach the waiting process (read
back from S3 by their SHA-256); a second submit answers nothing; the loop asks again under a
new id and the front office answers it for a walk-in, where staff of another unit are
refused; hostile uploads are refused in Bahasa with nothing stored; an answer Zeebe did not
take is published by the worker process's sweep; and the page in Chromium at both widths.

The test diagram ``uji_tanggapan.bpmn`` is SOP 5's closing of a report: the step asks for a
written reply (header ``tanggapan="wajib"``) and an event-based gateway waits for it or for 10
days. The reply is required on the tracking page (refused empty or too long, in Bahasa), reaches
the process as ``tanggapanPemohon`` and the timeline; once the 10 days closed the case, a reply
is no longer taken.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from playwright.sync_api import Browser, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from alur import completion
from alur.services import Service
from features.support.browser import WIDTHS, fits, open_context, screenshot
from features.support.engine import Engine
from features.support.pdfs import pdf
from features.support.sopworld import Account, broker_now, move_past, running
from features.support.sopworld import SopWorld as World
from features.support.tally import Tally
from features.web.conftest import csrf_of, serving
from features.web.test_pages import problems_of
from stack.local import Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import case_status, cases, document_requests, documents, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import Case, CaseDocument, DocumentRequest, HumanTask, MailOutbox, utcnow
from workers import documents_request
from workers.variables import JobInputError

pytestmark = pytest.mark.platform

DIAGRAMS = Path(__file__).resolve().parent / "diagrams"
PROCESS_ID = "Uji_Kelengkapan"
CHECK = "Task_PeriksaKelengkapan"
#: SOP 5's closing of a report: a written reply, or 10 days without one.
REPLY_PROCESS_ID = "Uji_Tanggapan"
REVIEW = "Task_TinjauTanggapan"
FOLLOWED_UP = "Laporan Anda sudah ditindaklanjuti"
ABOVE, UNIT, OTHER_UNIT = "uji-pemprov", "uji-dinas", "uji-dinas-lain"
UNITS = [
    (ABOVE, "Pemerintah Provinsi Uji", None),
    (UNIT, "Dinas Uji", ABOVE),
    (OTHER_UNIT, "Dinas Uji Lain", ABOVE),
]
STAFF = {
    "verifikator": Account("Fajar Nugroho, S.H.", "dpmptsp.analis", UNIT),
    "loket": Account("Siti Rahmawati", "dpmptsp.front_office", UNIT),
    "loket.lain": Account("Asep Hidayat", "dpmptsp.front_office", OTHER_UNIT),
}
SERVICE = Service(
    code="uji-kelengkapan",
    name="Layanan Uji Kelengkapan Berkas",
    agency="dpmptsp",
    summary="Layanan untuk menguji pengembalian berkas kepada pemohon.",
    time_limit="5 hari kerja.",
    bpmn_process_id=PROCESS_ID,
    intake_form_id="uji-kelengkapan-permohonan",
    unit_code=UNIT,
    registrars=("dpmptsp.front_office",),
    channels=(("langsung", "Datang langsung"),),
)
LIMIT = 256 * 1024  # small: "too large" stays in memory (see DEVELOPERS.md)
KTP = pdf(b"<< /Title (Salinan KTP) >>")
POWER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64))


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    resources = [
        DIAGRAMS / "uji_kelengkapan.bpmn",
        DIAGRAMS / "uji-kelengkapan.form",
        DIAGRAMS / "uji_tanggapan.bpmn",
        DIAGRAMS / "uji-tinjau-tanggapan.form",
    ]
    folder = tmp_path_factory.mktemp("kelengkapan")
    with running(stack, engine, folder, resources, STAFF, UNITS) as world:
        world.app.extensions["alur.services"] = (SERVICE,)
        settings = world.app.extensions["alur.settings"]
        world.app.extensions["alur.settings"] = replace(settings, upload_max_bytes=LIMIT)
        yield world


def new_case_of(name: str, email: str | None, process_id: str = PROCESS_ID) -> cases.NewCase:
    return cases.NewCase(SERVICE.code, process_id, UNIT, name, email, "Izin usaha uji", {})


def new_case(
    world: World, email: str | None = "ahmad@contoh.id", process_id: str = PROCESS_ID
) -> tuple[Case, str]:
    with world.sessions() as db:
        case, pin = cases.create(db, new_case_of("Ahmad Fauzi", email, process_id))
        db.commit()
        db.refresh(case)
        db.expunge(case)
    return case, pin


def start(world: World, case: Case, process_id: str = PROCESS_ID) -> None:
    world.engine.start(
        process_id, {"caseId": case.id, "unitCode": UNIT, "trackingCode": case.tracking_code}
    )


def check(world: World, case: Case, missing: str | None) -> None:
    """The verifier checks the file: complete, or what is missing (one item a line)."""
    data = {"berkasLengkap": missing is None, "kekuranganBerkas": missing or ""}
    world.complete(case.id, CHECK, "verifikator", data)


def asked(world: World, case: Case) -> DocumentRequest:
    """The case's open request, once the worker has written it."""

    def find() -> DocumentRequest | None:
        with world.sessions() as db:
            return document_requests.open_request(db, case.id)

    wait_until(lambda: find() is not None, timeout=30, what="the document request")
    found = find()
    assert found is not None
    return found


def request_row(world: World, request_id: int) -> DocumentRequest:
    with world.sessions() as db:
        row = db.get(DocumentRequest, request_id)
        assert row is not None
        return row


def applicant(world: World, case: Case, pin: str) -> FlaskClient:
    """A browser that opened the case with its code and PIN."""
    client = world.app.test_client()
    token = csrf_of(client.get("/lacak").get_data(as_text=True))
    opened = client.post(
        "/lacak", data={"kode": case.tracking_code, "pin": pin, "csrf_token": token}
    )
    assert opened.status_code == 302, opened.get_data(as_text=True)
    return client


def post_files(
    client: FlaskClient,
    page_url: str,
    action: str,
    files: list[tuple[bytes, str]],
    request_id: int | None = None,
    reply: str | None = None,
) -> TestResponse:
    """Post the form of ``page_url`` as its page shows it (CSRF token, request id); with
    ``request_id``, the form of an earlier page that showed that request; with ``reply``,
    that text in the reply's text area."""
    page = client.get(page_url).get_data(as_text=True)
    shown = re.search(r'name="permintaan" value="(\d+)"', page)
    with client.session_transaction() as session:
        token = session["csrf"]  # the page's own, or that of the earlier page
    data: dict[str, object] = {
        "csrf_token": token,
        "permintaan": str(request_id if request_id is not None else shown and shown.group(1)),
        "berkas": [(io.BytesIO(content), name) for content, name in files],
    }
    if reply is not None:
        data["tanggapan"] = reply
    return client.post(action, data=data, content_type="multipart/form-data")


def send(
    client: FlaskClient, case: Case, files: list[tuple[bytes, str]], request_id: int | None = None
) -> TestResponse:
    code = case.tracking_code
    return post_files(client, f"/lacak/{code}", f"/lacak/{code}/lengkapi", files, request_id)


def page_text(client: FlaskClient, url: str) -> str:
    return " ".join(client.get(url).get_data(as_text=True).split())


def documents_of(world: World, case: Case) -> list[CaseDocument]:
    with world.sessions() as db:
        return list(db.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id)))


def objects(world: World) -> int:
    bucket = world.deps.settings.s3_bucket_uploads
    return sum(1 for _ in world.deps.s3.list_objects(bucket, recursive=True))


def next_check(world: World, case: Case, after: int) -> HumanTask:
    """The verifier's next task of the case (after task ``after``), once the process is there."""

    def find() -> HumanTask | None:
        with world.sessions() as db:
            return db.scalar(
                select(HumanTask).where(
                    HumanTask.case_id == case.id,
                    HumanTask.element_id == CHECK,
                    HumanTask.id > after,
                )
            )

    wait_until(lambda: find() is not None, timeout=30, what="the file checked again")
    task = find()
    assert task is not None
    return task


def last_check(world: World, case: Case) -> int:
    with world.sessions() as db:
        return int(
            db.scalar(
                select(func.max(HumanTask.id)).where(
                    HumanTask.case_id == case.id, HumanTask.element_id == CHECK
                )
            )
            or 0
        )


def status_of(world: World, case: Case) -> str:
    return world.case(case.id).status


def test_the_file_goes_back_to_the_applicant_and_back_to_the_process_as_often_as_needed(
    world: World,
):
    case, pin = new_case(world)
    start(world, case)
    check(world, case, "Salinan KTP\n\n  - Surat kuasa   bermeterai \n")
    first = asked(world, case)
    assert first.items == ["Salinan KTP", "Surat kuasa bermeterai"]
    assert status_of(world, case) == case_status.WAITING_DOCUMENTS

    # Zeebe delivers the job again (after the first delivery, as a timed-out job comes back):
    # the same request, no second row, e-mail or timeline line.
    world.wait_for_event(case.id, "^Permintaan kelengkapan berkas dikirim ke e-mail pemohon$")
    again = documents_request.request_documents(
        world.deps, case_id=case.id, step_key=first.step_key, items=["Sesuatu yang lain"]
    )
    assert again == first.id
    with world.sessions() as db:
        rows = db.scalar(
            select(func.count())
            .select_from(DocumentRequest)
            .where(DocumentRequest.case_id == case.id)
        )
        outbox = list(db.scalars(select(MailOutbox).where(MailOutbox.case_id == case.id)))
    assert rows == 1 and len(outbox) == 1
    wait_until(lambda: world.mails(case.tracking_code), timeout=15, what="the e-mail")
    [mail] = world.mails(case.tracking_code)
    body = mail.get_content()
    assert "- Salinan KTP" in body and "- Surat kuasa bermeterai" in body and "/lacak" in body
    asking = "Berkas belum lengkap: Salinan KTP; Surat kuasa bermeterai"
    assert world.timeline(case.id).count(asking) == 1

    # The tracking page says what is missing and takes it.
    client = applicant(world, case, pin)
    page = page_text(client, f"/lacak/{case.tracking_code}")
    assert "Menunggu kelengkapan berkas" in page and "Berkas yang perlu dilengkapi" in page
    assert "<li>Salinan KTP</li>" in page and "<li>Surat kuasa bermeterai</li>" in page
    before = last_check(world, case)
    sent = send(client, case, [(KTP, "ktp.pdf"), (POWER, "surat kuasa.png")])
    assert sent.status_code == 303, sent.get_data(as_text=True)
    page = page_text(client, sent.headers["Location"])
    assert "Berkas tambahan diterima" in page and 'name="berkas"' not in page

    answered = request_row(world, first.id)
    assert answered.answered_by == "pemohon" and answered.published_at is not None
    assert len(answered.documents) == 2
    task = next_check(world, case, before)
    assert task.variables["berkasTambahan"] == answered.documents
    assert task.variables["berkasDilengkapiOleh"] == "pemohon"
    stored = {doc.id: doc for doc in documents_of(world, case)}
    ktp = stored[answered.documents[0]]
    assert (ktp.filename, ktp.kind, ktp.field_key) == ("ktp.pdf", "lampiran", "berkasTambahan")
    assert documents.read_document(world.deps.s3, ktp) == KTP
    assert ktp.sha256 == hashlib.sha256(KTP).hexdigest()
    assert status_of(world, case) == case_status.RUNNING
    assert "Berkas tambahan diterima dari pemohon: ktp.pdf, surat kuasa.png" in world.timeline(
        case.id
    )

    # A second submit of the same page answers nothing and stores nothing.
    twice = send(client, case, [(KTP, "ktp-lagi.pdf")], request_id=first.id)
    assert twice.status_code == 409
    assert completion.ALREADY_ANSWERED in twice.get_data(as_text=True)
    assert len(documents_of(world, case)) == 2
    assert request_row(world, first.id).documents == answered.documents

    # Still not complete: asked again under a new id, brought to the counter this time.
    before = last_check(world, case)
    check(world, case, "Surat kuasa yang ditandatangani")
    second = asked(world, case)
    assert second.id != first.id and second.items == ["Surat kuasa yang ditandatangani"]
    counter = world.staff("loket")
    listed = page_text(counter, "/tugas/lengkapi")
    assert case.tracking_code in listed and "Surat kuasa yang ditandatangani" in listed
    staff_page = f"/tugas/lengkapi/{case.tracking_code}"
    found = counter.get(f"/tugas/lengkapi?kode={case.tracking_code.lower()}")
    assert found.headers["Location"] == staff_page  # the code as the applicant reads it out
    assert "Surat kuasa yang ditandatangani" in page_text(counter, staff_page)
    stale = send(client, case, [(KTP, "lama.pdf")], request_id=first.id)
    assert stale.status_code == 400 and len(documents_of(world, case)) == 2
    done = post_files(counter, staff_page, staff_page, [(POWER, "kuasa-ttd.png")])
    assert done.status_code == 303, done.get_data(as_text=True)
    assert "disimpan dan diteruskan" in page_text(counter, done.headers["Location"])
    walk_in = request_row(world, second.id)
    assert walk_in.answered_by == "loket" and walk_in.published_at is not None
    task = next_check(world, case, before)
    assert task.variables["berkasTambahan"] == walk_in.documents
    assert task.variables["berkasDilengkapiOleh"] == "loket"
    assert any(
        t.startswith("Berkas tambahan diserahkan di loket, diunggah oleh Siti Rahmawati")
        for t in world.timeline(case.id)
    )
    # The applicant reads it too, and the file goes on once complete.
    page = page_text(client, f"/lacak/{case.tracking_code}")
    assert "Berkas tambahan yang Anda serahkan di loket diterima" in page
    check(world, case, None)


@pytest.mark.hostile(row="cross_unit")
def test_only_the_front_office_of_the_case_s_unit_adds_documents(world: World, tally: Tally):
    case, _ = new_case(world, email=None)
    row = documents_request.request_documents(
        world.deps, case_id=case.id, step_key="uji-unit-lain", items=["Salinan akta"]
    )
    page = f"/tugas/lengkapi/{case.tracking_code}"
    stranger = world.app.test_client()  # no code and PIN: it has seen the tracking form only
    token = csrf_of(stranger.get("/lacak").get_data(as_text=True))
    forged = {"csrf_token": token, "permintaan": str(row), "berkas": [(io.BytesIO(KTP), "a.pdf")]}
    tried = {
        "loket.lain GET": world.staff("loket.lain").get(page).status_code,
        "loket.lain POST": post_files(
            world.staff("loket.lain"), "/tugas/lengkapi", page, [(KTP, "a.pdf")], row
        ).status_code,
        "verifikator GET": world.staff("verifikator").get(page).status_code,
        "anonim POST": stranger.post(
            f"/lacak/{case.tracking_code}/lengkapi",
            data=forged,
            content_type="multipart/form-data",
        ).status_code,
    }
    refused = sum(code in (302, 403) for code in tried.values())
    tally.add("cross_unit", len(tried), refused)
    assert tried == {
        "loket.lain GET": 403,
        "loket.lain POST": 403,
        "verifikator GET": 403,
        "anonim POST": 302,
    }
    assert case.tracking_code not in page_text(world.staff("loket.lain"), "/tugas/lengkapi")
    assert world.staff("loket").get(page).status_code == 200
    assert documents_of(world, case) == [] and request_row(world, row).answered_at is None


@pytest.mark.hostile
def test_hostile_uploads_are_refused_in_bahasa_and_nothing_is_stored(world: World, tally: Tally):
    case, pin = new_case(world, email=None)
    row = documents_request.request_documents(
        world.deps, case_id=case.id, step_key="uji-berbahaya", items=["Salinan KTP"]
    )
    client = applicant(world, case, pin)
    script = pdf(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>")
    attempts: dict[str, tuple[list[tuple[bytes, str]], str]] = {
        "tanpa berkas": ([], completion.NO_FILE),
        "kosong": ([(b"", "kosong.pdf")], "Berkas kosong."),
        "program": ([(b"MZ\x90\x00" + bytes(100), "ktp.pdf")], "Jenis berkas tidak diizinkan"),
        "isi lain": ([(KTP, "ktp.png")], "Isi berkas tidak sesuai dengan ekstensinya."),
        "skrip": ([(script, "ktp.pdf")], "PDF berisi skrip"),
        "terlalu besar": ([(KTP + bytes(LIMIT), "besar.pdf")], "Berkas terlalu besar"),
        "satu baik satu buruk": (
            [(KTP, "baik.pdf"), (b"GIF89a" + bytes(40), "foto.gif")],
            "foto.gif: Jenis berkas tidak diizinkan",
        ),
        "terlalu banyak": ([(KTP, f"k{i}.pdf") for i in range(11)], completion.TOO_MANY_FILES),
    }
    before = objects(world)
    refused = 0
    answers = {}
    for name, (files, _) in attempts.items():
        response = send(client, case, files)
        text = " ".join(response.get_data(as_text=True).split())
        answers[name] = (response.status_code, text)
        refused += response.status_code == 400
    # Without the CSRF token nothing is even read.
    forged = client.post(
        f"/lacak/{case.tracking_code}/lengkapi",
        data={"permintaan": str(row), "berkas": [(io.BytesIO(KTP), "ktp.pdf")]},
        content_type="multipart/form-data",
    )
    refused += forged.status_code == 400
    tally.add("inputs", len(attempts) + 1, refused)
    for name, (_, message) in attempts.items():
        status, text = answers[name]
        assert status == 400, (name, text)
        assert message in text, (name, message)
        assert 'role="alert"' in text and 'name="berkas"' in text, name  # the form stays
    assert forged.status_code == 400
    assert documents_of(world, case) == [] and objects(world) == before
    assert request_row(world, row).answered_at is None
    assert status_of(world, case) == case_status.WAITING_DOCUMENTS

    # Once the case is closed, nothing is taken any more.
    with world.sessions() as db:
        closed = db.get(Case, case.id)
        assert closed is not None
        closed.status, closed.closed_at = case_status.DONE, utcnow()
        db.commit()
    late = send(client, case, [(KTP, "ktp.pdf")], request_id=row)
    assert late.status_code == 409 and completion.CLOSED in late.get_data(as_text=True)
    assert documents_of(world, case) == [] and objects(world) == before


def test_what_is_missing_is_read_one_item_a_line():
    read = documents_request.missing_items
    assert read("Salinan KTP\r\n\n - Surat  kuasa\n• NPWP\nSalinan KTP") == [
        "Salinan KTP",
        "Surat kuasa",
        "NPWP",
    ]
    assert read(["Akta pendirian", "Izin lokasi\nIzin lingkungan", " "]) == [
        "Akta pendirian",
        "Izin lokasi",
        "Izin lingkungan",
    ]
    for wrong in ("", " \n\t\n", [], None, 7, ["KTP", 3]):
        with pytest.raises(JobInputError):
            read(wrong)
    # A request for a written reply may name no file at all; a wrong type is still wrong.
    nothing: tuple[object, ...] = ("", " \n", [], None)
    for empty in nothing:
        assert read(empty, optional=True) == []
    assert read("Foto jalan\n", optional=True) == ["Foto jalan"]
    for wrong in (7, ["KTP", 3]):
        with pytest.raises(JobInputError):
            read(wrong, optional=True)
    assert documents_request.asks_reply({"tanggapan": "wajib"})
    assert not documents_request.asks_reply({}) and not documents_request.asks_reply({"judul": "x"})
    with pytest.raises(JobInputError):
        documents_request.asks_reply({"tanggapan": "ya"})


@pytest.mark.faults
def test_an_answer_zeebe_did_not_take_is_published_by_the_sweep(
    world: World, stack: Stack, tally: Tally
):
    case, pin = new_case(world, email=None)
    start(world, case)
    check(world, case, "Salinan NPWP")
    row = asked(world, case)
    before = last_check(world, case)

    def away(_answer: completion.Answer) -> None:
        raise ConnectionError("Zeebe tidak dapat dihubungi")

    storage = completion.Storage(
        world.deps.s3,
        world.deps.settings.s3_bucket_uploads,
        documents.UploadLimits(LIMIT),
    )
    outcome = completion.answer(
        world.sessions,
        storage,
        request_id=row.id,
        files=[completion.Upload("npwp.pdf", io.BytesIO(KTP))],
        by=completion.APPLICANT,
        by_name=None,
        publish=away,
    )
    assert isinstance(outcome, completion.Answered) and not outcome.published
    kept = request_row(world, row.id)
    assert kept.answered_at is not None and kept.published_at is None
    page = page_text(applicant(world, case, pin), f"/lacak/{case.tracking_code}")
    assert "Berkas tambahan diterima" in page  # the applicant is told either way

    # The worker process's sweep, as it runs there, publishes it; a second copy changes nothing.
    publisher = completion.Publisher(stack.settings.zeebe_address)
    stopped = asyncio.Event()
    sweeping = world.engine.submit(
        completion.keep_publishing(world.sessions, publisher.publish, 0.2, stopped)
    )
    try:
        wait_until(
            lambda: request_row(world, row.id).published_at is not None,
            timeout=15,
            what="the answer published by the sweep",
        )
        publisher.publish(completion.answer_of(request_row(world, row.id), case.tracking_code))
    finally:
        world.engine.loop.call_soon_threadsafe(stopped.set)
        sweeping.result(15)
        publisher.close()
    task = next_check(world, case, before)
    lost = int(task.variables.get("berkasTambahan") != list(outcome.document_ids))
    tally.add("faults", 1, 1 - lost)
    tally.add("lost", 1, lost)
    assert task.variables["berkasTambahan"] == list(outcome.document_ids)
    with world.sessions() as db:
        assert document_requests.unpublished(db) == []


def test_two_answers_at_once_answer_once(database_url: str):
    """Two submits of the same request at the same moment: one answer (SQLite, PostgreSQL)."""
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    sessions: sessionmaker[Session] = make_sessionmaker(engine)

    def status(case_id: int) -> str:
        with sessions() as db:
            found = db.get(Case, case_id)
            assert found is not None
            return found.status

    try:
        with sessions() as db:
            case, _ = cases.create(db, new_case_of("Ahmad Fauzi", None))
            db.commit()
            row = document_requests.request(db, case_id=case.id, step_key="s1", items=["KTP"])
            again = document_requests.request(db, case_id=case.id, step_key="s1", items=["x"])
            assert (again.id, again.items) == (row.id, ["KTP"])
            request_id, case_id = row.id, case.id
        assert status(case_id) == case_status.WAITING_DOCUMENTS
        results: list[bool] = []
        gate = threading.Barrier(2)

        def submit(by: str) -> None:
            with sessions() as db:
                gate.wait()
                won = document_requests.answer(db, request_id, by=by, document_ids=[1])
                if won:
                    db.commit()
                else:
                    db.rollback()
                results.append(won)

        threads = [threading.Thread(target=submit, args=(by,)) for by in ("pemohon", "loket")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(results) == [False, True]
        assert status(case_id) == case_status.RUNNING
        with sessions() as db:
            assert [r.id for r, _code in document_requests.unpublished(db)] == [request_id]
            document_requests.mark_published(db, request_id)
            assert document_requests.unpublished(db) == []
            # A closed case does not wait for documents again.
            closed = db.get(Case, case_id)
            assert closed is not None
            closed.status = case_status.DONE
            db.commit()
            document_requests.request(db, case_id=case_id, step_key="s2", items=["NPWP"])
        assert status(case_id) == case_status.DONE
    finally:
        engine.dispose()


def test_a_request_asks_for_a_written_reply_which_reaches_the_process_and_the_timeline(
    world: World,
):
    """SOP 5's closing of a report: the reporter answers the agency's follow-up in writing."""
    case, pin = new_case(world, process_id=REPLY_PROCESS_ID)
    start(world, case, REPLY_PROCESS_ID)
    row = asked(world, case)
    assert (row.asks_reply, row.items, row.heading) == (True, [], FOLLOWED_UP)
    assert status_of(world, case) == case_status.WAITING_REPLY == "menunggu_tanggapan"

    # The e-mail asks for a reply, not for missing files.
    world.wait_for_event(case.id, "^Permintaan tanggapan dikirim ke e-mail pemohon$")
    wait_until(lambda: world.mails(case.tracking_code), timeout=15, what="the e-mail")
    [mail] = world.mails(case.tracking_code)
    body = " ".join(mail.get_content().split())
    assert FOLLOWED_UP in body and "tanggapan tertulis Anda" in body and "/lacak" in body
    assert "belum lengkap" not in body and "Mohon lengkapi" not in body
    assert f"{FOLLOWED_UP}: tanggapan tertulis pemohon diminta" in world.timeline(case.id)

    # The tracking page: the heading, a required text area, the file picker optional.
    client = applicant(world, case, pin)
    url = f"/lacak/{case.tracking_code}"
    html = client.get(url).get_data(as_text=True)
    page = " ".join(html.split())
    assert "Sudah ditindaklanjuti, menunggu tanggapan Anda" in page
    assert f'<h2 id="kelengkapan-judul">{FOLLOWED_UP}</h2>' in page
    assert '<label for="tanggapan">Tanggapan Anda</label>' in page
    textarea = re.search(r"<textarea[^>]*>", html)
    picker = re.search(r'<input id="berkas-tambahan"[^>]*>', html)
    assert textarea is not None and picker is not None
    assert " required" in textarea.group(0) and 'maxlength="4000"' in textarea.group(0)
    assert "required" not in picker.group(0)
    assert "Kirim tanggapan" in page

    # An empty reply and one too long are refused in Bahasa; nothing is stored or published.
    before = objects(world)
    empty = post_files(client, url, f"{url}/lengkapi", [(KTP, "foto.pdf")], reply=" \r\n\t")
    assert empty.status_code == 400
    text = " ".join(empty.get_data(as_text=True).split())
    assert completion.NO_REPLY == "Tuliskan tanggapan Anda." and completion.NO_REPLY in text
    assert 'role="alert"' in text and 'name="tanggapan"' in text
    long = "Belum selesai. " * 300
    too_long = post_files(client, url, f"{url}/lengkapi", [], reply=long)
    assert too_long.status_code == 400
    assert completion.REPLY_TOO_LONG in too_long.get_data(as_text=True)
    assert long.strip() in too_long.get_data(as_text=True)  # kept for the applicant to shorten
    kept = request_row(world, row.id)
    assert (kept.answered_at, kept.reply, kept.published_at) == (None, None, None)
    assert documents_of(world, case) == [] and objects(world) == before
    assert status_of(world, case) == case_status.WAITING_REPLY

    # A reply (without files) is taken, stored and handed to the process.
    reply = "Jalan di depan rumah saya belum diperbaiki.\r\nMohon ditinjau kembali."
    sent = post_files(client, url, f"{url}/lengkapi", [], reply=reply)
    assert sent.status_code == 303, sent.get_data(as_text=True)
    stored = "Jalan di depan rumah saya belum diperbaiki.\nMohon ditinjau kembali."
    answered = request_row(world, row.id)
    assert (answered.reply, answered.answered_by, answered.documents) == (stored, "pemohon", [])
    assert answered.published_at is not None
    review = world.open_task(case.id, REVIEW)
    assert review.variables["tanggapanPemohon"] == stored
    assert review.variables["berkasTambahan"] == []
    assert review.variables["berkasDilengkapiOleh"] == "pemohon"
    assert status_of(world, case) == case_status.RUNNING

    # The timeline: staff of the case and the applicant read the reply.
    title = "Tanggapan pemohon diterima: " + " ".join(stored.split())
    assert title in world.timeline(case.id)
    page = page_text(client, sent.headers["Location"])
    assert "Tanggapan diterima" in page and 'name="tanggapan"' not in page
    assert "Tanggapan Anda diterima:" in page  # the timeline, then the reply as written
    shown = f'<blockquote class="reply">{escape(stored)}</blockquote>'
    assert shown in client.get(url).get_data(as_text=True)
    staff_page = world.staff("verifikator").get(f"/tugas/{review.id}").get_data(as_text=True)
    assert shown in staff_page

    # A second answer of the same request changes nothing.
    twice = post_files(client, url, f"{url}/lengkapi", [], request_id=row.id, reply="Lagi")
    assert twice.status_code == 409
    assert completion.ALREADY_REPLIED in twice.get_data(as_text=True)
    assert request_row(world, row.id).reply == stored
    world.complete(case.id, REVIEW, "verifikator", {"laporanSelesai": False})


def test_once_the_ten_days_closed_the_case_a_reply_is_no_longer_taken(
    world: World, clock: BrokerClock
):
    """The timer wins: the process closes the case; the tracking page no longer asks, and a
    reply posted from a page opened before is refused with nothing stored or published."""
    case, pin = new_case(world, email=None, process_id=REPLY_PROCESS_ID)
    start(world, case, REPLY_PROCESS_ID)
    row = asked(world, case)
    client = applicant(world, case, pin)
    url = f"/lacak/{case.tracking_code}"
    assert 'name="tanggapan"' in client.get(url).get_data(as_text=True)
    counter = world.staff("loket")
    staff_page = f"/tugas/lengkapi/{case.tracking_code}"
    assert case.tracking_code in page_text(counter, "/tugas/lengkapi")

    move_past(clock, broker_now(clock) + timedelta(days=10))
    wait_until(
        lambda: world.case(case.id).closed_at is not None, timeout=30, what="the case closed"
    )
    assert status_of(world, case) == case_status.DONE
    page = page_text(client, url)
    assert '<span id="status">Selesai</span>' in page
    assert 'id="kelengkapan"' not in page and 'name="tanggapan"' not in page
    late = post_files(client, url, f"{url}/lengkapi", [(KTP, "foto.pdf")], row.id, "Belum")
    assert late.status_code == 409
    assert completion.CLOSED_REPLY in late.get_data(as_text=True)
    by_staff = post_files(counter, staff_page, staff_page, [], row.id, "Belum selesai")
    assert by_staff.status_code == 409
    assert completion.CLOSED_REPLY in by_staff.get_data(as_text=True)
    assert 'name="tanggapan"' not in page_text(counter, staff_page)
    assert case.tracking_code not in page_text(counter, "/tugas/lengkapi")
    kept = request_row(world, row.id)
    assert (kept.answered_at, kept.reply, kept.published_at) == (None, None, None)
    assert documents_of(world, case) == []
    with world.sessions() as db:
        assert document_requests.unpublished(db) == []


def test_a_reply_is_required_stored_once_and_not_after_the_case_closed(database_url: str):
    """The storage rules of a reply on SQLite and PostgreSQL: required and at most 4000
    characters, the case back at work once answered, nothing taken once the case is closed."""
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    sessions: sessionmaker[Session] = make_sessionmaker(engine)
    try:
        with sessions() as db:
            case, _ = cases.create(db, new_case_of("Ahmad Fauzi", None, REPLY_PROCESS_ID))
            db.commit()
            row = document_requests.request(
                db, case_id=case.id, step_key="r1", items=[], asks_reply=True
            )
            assert db.get(Case, case.id).status == case_status.WAITING_REPLY  # type: ignore[union-attr]
            for wrong, message in (
                (None, document_requests.NO_REPLY),
                (" \n ", document_requests.NO_REPLY),
                ("x" * 4001, document_requests.REPLY_TOO_LONG),
            ):
                with pytest.raises(document_requests.ReplyRefused) as refused:
                    document_requests.answer(db, row.id, by="pemohon", document_ids=[], reply=wrong)
                assert refused.value.message == message
            db.rollback()
            assert document_requests.answer(
                db, row.id, by="pemohon", document_ids=[], reply=" Belum\r\nselesai " + "x" * 3980
            )
            db.commit()
            assert not document_requests.answer(db, row.id, by="loket", document_ids=[], reply="y")
            db.rollback()
            stored = db.get(DocumentRequest, row.id)
            assert stored is not None and stored.reply == "Belum\nselesai " + "x" * 3980
            assert db.get(Case, case.id).status == case_status.RUNNING  # type: ignore[union-attr]
            # A request for files only keeps no reply; a closed case takes no answer at all.
            files = document_requests.request(db, case_id=case.id, step_key="r2", items=["KTP"])
            assert db.get(Case, case.id).status == case_status.WAITING_DOCUMENTS  # type: ignore[union-attr]
            assert document_requests.answer(db, files.id, by="pemohon", document_ids=[], reply="z")
            db.commit()
            assert db.get(DocumentRequest, files.id).reply is None  # type: ignore[union-attr]
            late = document_requests.request(
                db, case_id=case.id, step_key="r3", items=[], asks_reply=True
            )
            closed = db.get(Case, case.id)
            assert closed is not None
            closed.status = case_status.DONE
            db.commit()
            assert document_requests.closed(closed)
            assert document_requests.for_page(db, closed) is None
            assert not document_requests.answer(
                db, late.id, by="pemohon", document_ids=[], reply="a"
            )
            db.rollback()
            assert db.get(DocumentRequest, late.id).answered_at is None  # type: ignore[union-attr]
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def live_url(world: World) -> Iterator[str]:
    with serving(world.app) as url:
        yield url


@pytest.fixture(params=sorted(WIDTHS))
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_tracking_page_asks_for_the_documents_in_the_browser_at_both_widths(
    world: World, live_url: str, browser: Browser, size: str
):
    case, pin = new_case(world, email=None)
    documents_request.request_documents(
        world.deps,
        case_id=case.id,
        step_key=f"uji-layar-{size}",
        items=["Salinan KTP yang masih berlaku", "Surat kuasa bermeterai dari pemilik usaha"],
    )
    context = open_context(browser, size)
    try:
        page = context.new_page()
        page.goto(f"{live_url}/lacak")
        page.get_by_label("Kode pelacakan").fill(case.tracking_code)
        page.get_by_label("PIN").fill(pin)
        page.get_by_role("button", name="Lacak").click()
        section = page.locator("#kelengkapan")
        expect(section.get_by_role("heading", name="Berkas yang perlu dilengkapi")).to_be_visible()
        expect(page.locator("#kekurangan-berkas li")).to_have_count(2)
        assert problems_of(page) == []
        screenshot(page, f"lacak-kelengkapan-{size}")
        assert fits(page), "halaman pelacakan dengan permintaan berkas"
        if size == "desktop":
            page.get_by_label("Berkas tambahan", exact=True).set_input_files(
                [{"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": KTP}]
            )
            page.get_by_role("button", name="Kirim berkas tambahan").click()
            expect(section.get_by_role("heading", name="Berkas tambahan diterima")).to_be_visible()
            expect(page.get_by_label("Berkas tambahan", exact=True)).to_have_count(0)
            assert problems_of(page) == []
            screenshot(page, f"lacak-kelengkapan-diterima-{size}")
    finally:
        context.close()


def test_the_tracking_page_asks_for_a_written_reply_in_the_browser_at_both_widths(
    world: World, live_url: str, browser: Browser, size: str
):
    case, pin = new_case(world, email=None, process_id=REPLY_PROCESS_ID)
    documents_request.request_documents(
        world.deps,
        case_id=case.id,
        step_key=f"uji-layar-tanggapan-{size}",
        items=[],
        heading=FOLLOWED_UP,
        reply=True,
    )
    context = open_context(browser, size)
    try:
        page = context.new_page()
        page.goto(f"{live_url}/lacak")
        page.get_by_label("Kode pelacakan").fill(case.tracking_code)
        page.get_by_label("PIN").fill(pin)
        page.get_by_role("button", name="Lacak").click()
        section = page.locator("#kelengkapan")
        expect(section.get_by_role("heading", name=FOLLOWED_UP)).to_be_visible()
        expect(page.get_by_label("Tanggapan Anda")).to_be_visible()
        assert problems_of(page) == []
        screenshot(page, f"lacak-tanggapan-{size}")
        assert fits(page), "halaman pelacakan dengan permintaan tanggapan"
        if size == "desktop":
            page.get_by_label("Tanggapan Anda").fill("Belum selesai.\nMohon ditinjau kembali.")
            page.get_by_role("button", name="Kirim tanggapan").click()
            expect(section.get_by_role("heading", name="Tanggapan diterima")).to_be_visible()
            expect(page.locator("blockquote.reply")).to_have_text(
                "Belum selesai.\nMohon ditinjau kembali."
            )
            assert problems_of(page) == []
            screenshot(page, f"lacak-tanggapan-diterima-{size}")
    finally:
        context.close()
