"""The letter tasks on the real broker, S3, database and SMTP server: a letter is numbered,
rendered, stored with its hash, e-mailed once; a redelivered job changes nothing; an SMTP
outage retries with backoff, shows staff an incident and resumes once SMTP is back; the
timeline lists every step."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import replace

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from features.support.engine import Engine, advance_until
from features.support.letterworld import SPEC, World, make_world, new_case, open_incident
from features.support.tally import Tally
from features.support.testjobs import Reports
from stack.local import Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import cases, documents
from storage.models import Case, CaseDocument, MailOutbox, RegisterEntry
from workers import letters
from workers.registry import build_routers

pytestmark = pytest.mark.platform


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    made = make_world(stack, engine, tmp_path_factory.mktemp("surat"))
    yield made
    made.close()


def mails_with(stack: Stack, message_id: str) -> list:
    return [m for m in stack.smtp.messages() if m["Message-ID"] == message_id]


def test_a_letter_is_numbered_rendered_stored_and_mailed_once_and_the_timeline_lists_it(
    world: World, stack: Stack, engine: Engine, reports: Reports
):
    case = new_case(world)
    worker = engine.run_worker(build_routers(world.deps))
    try:
        instance = engine.start(
            "Uji_Surat", {"caseId": case.id, "surat": SPEC, "hasilAkhir": "Izin telah terbit."}
        )
        assert reports.event(instance).wait(30), "the process did not reach its end"
    finally:
        engine.stop_worker(worker)
    with world.sessions() as db:
        entry, booked = (
            db.scalar(
                select(RegisterEntry).where(
                    RegisterEntry.case_id == case.id, RegisterEntry.register == register
                )
            )
            for register in ("surat-keluar", "pengaduan")
        )
        assert entry is not None and entry.number.startswith("B-") and "/DPMPTSP/" in entry.number
        assert booked is not None and "/REG-PGD/DPMPTSP/" in booked.number
        closed = db.get(Case, case.id)
        assert closed is not None and closed.status == "selesai" and closed.closed_at
        assert closed.outcome == "Izin telah terbit."
        doc = db.scalar(select(CaseDocument).where(CaseDocument.case_id == case.id))
        assert doc is not None and doc.bucket == stack.settings.s3_bucket_letters and doc.public
        outbox = db.scalar(select(MailOutbox).where(MailOutbox.case_id == case.id))
        assert outbox is not None and outbox.status == "sent"
        titles = [e.title for e in cases.timeline(db, case.id)]
        public = [
            (e.detail or {}).get("untukPemohon") or e.title
            for e in cases.timeline(db, case.id, public_only=True)
        ]
    # Stored with its hash and metadata, under retention.
    client = stack.s3_client()
    pdf = documents.read_document(client, doc)
    assert hashlib.sha256(pdf).hexdigest() == doc.sha256
    stat = client.stat_object(doc.bucket, doc.object_key, version_id=doc.version_id)
    assert stat.metadata["x-amz-meta-sha256"] == doc.sha256
    assert client.get_object_retention(doc.bucket, doc.object_key, doc.version_id) is not None
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert entry.number in text and "Sri Wahyuni" in text and "197001011995032001" in text
    # E-mailed once, with the letter attached byte for byte.
    wait_until(lambda: mails_with(stack, outbox.message_id), timeout=10, what="the e-mail")
    [message] = mails_with(stack, outbox.message_id)
    assert message["To"] == "pengadu@example.id" and case.tracking_code in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == pdf
    # Every step in the timeline; the applicant sees the public ones.
    assert titles == [
        f"Dicatat dalam Buku Register Pengaduan DPMPTSP nomor {booked.number}",
        "Catat dalam buku register selesai",
        f"Surat Jawaban Pengaduan nomor {entry.number} diterbitkan",
        "Terbitkan surat jawaban selesai",
        f"Dikirim ke e-mail pemohon: {doc.filename}",
        "Kirim surat ke pemohon selesai",
        "Status permohonan: Selesai — Izin telah terbit.",
        "Tutup perkara selesai",
    ]
    # The applicant reads what happened to them, once per thing (not each step's staff title).
    assert public == [
        f"Permohonan Anda dicatat dalam Buku Register Pengaduan DPMPTSP nomor {booked.number}",
        f"Surat Jawaban Pengaduan nomor {entry.number} diterbitkan",
        "Surat Jawaban Pengaduan dikirim ke e-mail Anda",
        "Status permohonan: Selesai — Izin telah terbit.",
    ]


def test_a_redelivered_job_issues_and_sends_nothing_new(world: World, stack: Stack):
    case = new_case(world)
    headers = {
        "jenis": "pengaduan_jawaban",
        "instansi": "dpmptsp",
        "register": "surat-keluar",
        "penandatangan": "dpmptsp.kadis",
    }
    first = letters.issue_letter(
        world.deps, case_id=case.id, step_key="uji-ulang", headers=headers, spec=SPEC
    )
    again = letters.issue_letter(
        world.deps, case_id=case.id, step_key="uji-ulang", headers=headers, spec=SPEC
    )
    assert again == first
    for _ in range(2):
        assert letters.send_documents(
            world.deps, case_id=case.id, step_key="uji-kirim", document_ids=[first.document_id]
        )
    with world.sessions() as db:
        assert (
            len(list(db.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id)))) == 1
        )
        [outbox] = db.scalars(select(MailOutbox).where(MailOutbox.case_id == case.id))
    wait_until(lambda: mails_with(stack, outbox.message_id), timeout=10, what="the e-mail")
    assert len(mails_with(stack, outbox.message_id)) == 1


def test_without_an_e_mail_address_nothing_is_sent_and_the_timeline_says_so(world: World):
    case = new_case(world, email=None)
    issued = letters.issue_letter(
        world.deps,
        case_id=case.id,
        step_key="tanpa-surel",
        headers={
            "jenis": "pengaduan_jawaban",
            "instansi": "dpmptsp",
            "register": "surat-keluar",
            "penandatangan": "dpmptsp.kadis",
        },
        spec=SPEC,
    )
    assert not letters.send_documents(
        world.deps, case_id=case.id, step_key="tanpa-surel", document_ids=[issued.document_id]
    )
    with world.sessions() as db:
        assert "tidak mencantumkan alamat e-mail" in cases.timeline(db, case.id)[-1].title


@pytest.mark.faults
def test_an_smtp_outage_retries_then_shows_an_incident_and_resumes_when_smtp_returns(
    world: World,
    stack: Stack,
    engine: Engine,
    clock: BrokerClock,
    reports: Reports,
    tally: Tally,
):
    broken = replace(world.deps, settings=replace(world.deps.settings, smtp_port=9))
    case = new_case(world)
    worker = engine.run_worker(build_routers(broken))

    def attempts() -> int:
        with world.sessions() as db:
            row = db.scalar(select(MailOutbox).where(MailOutbox.case_id == case.id))
            return row.attempts if row is not None else 0

    try:
        instance = engine.start("Uji_Surat", {"caseId": case.id, "surat": SPEC})

        for expected in (1, 2, 3):
            # The backoff runs on the broker's clock: move it on while waiting (the failure
            # may reach the broker after the outbox row counts it; a job that recurs after
            # its backoff may wait for the worker's next long poll).
            advance_until(
                clock,
                5_000,
                lambda n=expected: attempts() >= n,
                timeout=60,
                interval=0.25,
                what=f"attempt {expected}",
            )
        wait_until(
            lambda: open_incident(world, case.id) is not None, timeout=10, what="the incident"
        )
        for _ in range(4):
            clock.add(60_000)
        assert attempts() == 3  # quick retries spent: the next attempt waits five minutes
        assert not reports.event(instance).is_set()
    finally:
        engine.stop_worker(worker)
    incident = open_incident(world, case.id)
    assert incident is not None and incident.attempts == 3
    assert incident.step == "Kirim surat ke pemohon" and "SMTP" in incident.reason
    assert "MailError" in incident.detail
    with world.sessions() as db:
        row = db.scalar(select(MailOutbox).where(MailOutbox.case_id == case.id))
        assert row is not None and row.status == "pending" and row.last_error
        titles = [e.title for e in cases.timeline(db, case.id)]
    assert f"Gangguan teknis pada langkah Kirim surat ke pemohon: {incident.reason}" in titles
    assert not mails_with(stack, row.message_id)

    # SMTP is back (a worker that reaches it): the next slow attempt sends and resolves.
    worker = engine.run_worker(build_routers(world.deps))
    try:
        advance_until(
            clock,
            60_000,
            lambda: reports.event(instance).wait(0.5),
            timeout=90,
            what="the case to resume",
        )
    finally:
        engine.stop_worker(worker)
    wait_until(lambda: mails_with(stack, row.message_id), timeout=10, what="the e-mail")
    with world.sessions() as db:
        titles = [e.title for e in cases.timeline(db, case.id)]
    sent = len(mails_with(stack, row.message_id))
    tally.add("faults", 1, int(open_incident(world, case.id) is None and sent == 1))
    tally.add("emails", 1, sent)
    assert open_incident(world, case.id) is None
    assert "Gangguan teknis pada langkah Kirim surat ke pemohon teratasi" in titles
    assert sent == 1
