"""Scenarios of SOP 3 (seed 001, a DPMPTSP) on the real broker, S3, database and SMTP server.

Citizens file through the public intake, the front office registers the other channels
through the staff intake; staff work through the staff app's own endpoints (claim, then submit
the form, validated on the server); complainants add missing documents on the tracking page;
the broker's controlled clock stands in for the days that pass.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import select

from alur import workdays
from features.support.browser import WIDTHS, fits, open_context, screenshot
from features.support.engine import Engine
from features.support.pdfsig import pdfsig
from features.support.sopworld import (
    PDF,
    Account,
    broker_now,
    move_past,
    pdf_text,
    post_intake,
    received,
    running,
)
from features.support.sopworld import SopWorld as World
from features.support.staffpages import fill, finish, work
from features.web.conftest import csrf_of, serving
from features.web.test_pages import problems_of
from stack.local import REPO, Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import letter_drafts
from storage.models import CaseDocument, HumanTask, RegisterEntry
from web.public import DESTINATION as AGENCY_FIELD

scenarios("sop3/pengaduan_dpmptsp.feature")

WIB = ZoneInfo("Asia/Jakarta")
SERVICE = "pengaduan-dpmptsp"
UNIT = "dpmptsp-jatim"
SLEMAN = "dpmptsp-sleman"
KABID_EMAIL = "kabid.pengaduan@dpmptsp.example.id"
KADIS_EMAIL = "kadis@dpmptsp.example.id"
STAFF = {
    "fo": Account("Nur Aini", "dpmptsp.front_office", UNIT, "Petugas Front Office"),
    "analis": Account(
        "Fajar Nugroho, S.H.",
        "dpmptsp.analis",
        UNIT,
        "Analis Kebijakan Ahli Muda",
        "198909112014021003",
    ),
    "kabid": Account(
        "Endang Susilowati, S.E., M.M.",
        "dpmptsp.kabid",
        UNIT,
        "Kepala Bidang Pengaduan, Kebijakan dan Pelaporan Layanan",
        "197506182000032004",
        KABID_EMAIL,
    ),
    "sekretaris": Account(
        "Joko Santoso, S.Sos., M.Si.",
        "dpmptsp.sekretaris",
        UNIT,
        "Sekretaris Dinas",
        "197211041998031005",
    ),
    "kadis": Account(
        "Ir. Bambang Wicaksono, M.T.",
        "dpmptsp.kadis",
        UNIT,
        "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "196805201993031007",
        KADIS_EMAIL,
    ),
}
#: The same roles in another DPMPTSP of the installation.
OUTSIDERS = {
    "fo_sleman": Account("Sri Wahyuni", "dpmptsp.front_office", SLEMAN, "Petugas Front Office"),
    "analis_sleman": Account("Bayu Aji", "dpmptsp.analis", SLEMAN, "Analis Kebijakan"),
}
COMPLAINANT_EMAIL = "siti.rahmawati@example.id"
COMPLAINT = {
    "jenisLayanan": "pengaduan",
    "applicantName": "Siti Rahmawati",
    "applicantAddress": "Jl. Melati No. 12, Surabaya 60241",
    "applicantPhone": "081234567890",
    "applicantEmail": COMPLAINANT_EMAIL,
    "subject": "Izin usaha belum terbit",
    "matter": "Izin usaha yang saya ajukan melalui OSS belum terbit setelah 30 hari kerja.",
}
INFORMATION = {
    "jenisLayanan": "informasi",
    "applicantName": "Andi Pratama",
    "applicantAddress": "Jl. Darmo No. 8, Surabaya 60264",
    "applicantPhone": "081298765432",
    "applicantEmail": "andi.pratama@example.id",
    "subject": "Syarat izin usaha mikro",
    "matter": "Apa saja persyaratan izin usaha mikro di Jawa Timur?",
}
SOLUTION = "Izin usaha Pengadu diterbitkan pada 3 hari kerja setelah dokumen lingkungan diunggah."
ANSWER = "Izin usaha mikro cukup dengan NIB melalui OSS; tidak ada biaya."


@dataclass
class Case3:
    """What a scenario learnt about its case."""

    code: str = ""
    pin: str = ""
    case_id: int = 0
    validated_at: datetime | None = None
    added: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    resources = [REPO / "bpmn" / "dpmptsp_pengaduan.bpmn"]
    resources += sorted((REPO / "forms").glob("dpmptsp-*.form"))
    resources += sorted((REPO / "forms").glob("surat-*.form"))
    folder = tmp_path_factory.mktemp("sop3")
    with running(stack, engine, folder, resources, STAFF | OUTSIDERS) as world:
        yield world


@pytest.fixture
def case3() -> Case3:
    return Case3()


def started(world: World, case3: Case3, code: str, pin: str) -> None:
    case3.code, case3.pin = code, pin
    case3.case_id = world.started(code)


def attachments_of(world: World, case3: Case3, kind: str) -> list[bytes]:
    return world.attachments(case3.case_id, case3.code, kind, COMPLAINANT_EMAIL)


def intake(data: dict[str, Any], with_files: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"data": dict(data)}
    if with_files:
        body["data"].update(statement="files::pernyataan", evidence="files::bukti")
        body["files::pernyataan"] = (io.BytesIO(PDF), "pernyataan.pdf")
        body["files::bukti"] = [(io.BytesIO(PDF), "bukti-oss.pdf"), (io.BytesIO(PDF), "bukti.pdf")]
    return body


def file_online(world: World, case3: Case3, data: dict[str, Any], with_files: bool) -> None:
    client = world.app.test_client()
    page = client.get(f"/layanan/{SERVICE}").get_data(as_text=True)
    response = post_intake(
        client, f"/layanan/{SERVICE}/ajukan", page, intake(data, with_files), **{AGENCY_FIELD: UNIT}
    )
    started(world, case3, *received(client, response))


def register(world: World, case3: Case3, channel: str) -> None:
    client = world.staff("fo")
    form = f"/tugas/daftarkan/{SERVICE}"
    page = client.get(form).get_data(as_text=True)
    assert "data-alur-form" in page, "the registration form is not offered"
    response = post_intake(client, form, page, intake(COMPLAINT, with_files=True), saluran=channel)
    started(world, case3, *received(client, response))


def add_at_counter(world: World, case3: Case3, filename: str) -> None:
    """The front office adds what a walk-in brought to the counter."""
    asked = world.waiting_request(case3.case_id)
    client = world.staff("fo")
    url = f"/tugas/lengkapi/{case3.code}"
    page = client.get(url).get_data(as_text=True)
    answer = client.post(
        url,
        data={
            "csrf_token": csrf_of(page),
            "permintaan": str(asked),
            "berkas": [(io.BytesIO(PDF), filename)],
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)


def due_after(world: World, start: datetime, limit: str) -> datetime:
    settings = world.app.extensions["alur.settings"]
    years = range(start.year - 1, start.year + 2)
    calendar = workdays.calendar_for(settings.calendar_file, "dpmptsp", years)
    return workdays.due(calendar, start, workdays.parse_limit(limit))


# --- intake and completeness ------------------------------------------------------------------


@given("the complaint service of the DPMPTSP of East Java is deployed")
def _(world: World) -> None:
    page = world.app.test_client().get(f"/layanan/{SERVICE}").get_data(as_text=True)
    assert "Formulir permohonan" in page, "the intake is not open"


@when("a citizen files a complaint online with the signed statement and the evidence")
def _(world: World, case3: Case3) -> None:
    file_online(world, case3, COMPLAINT, with_files=True)


@when("a citizen asks for information online")
def _(world: World, case3: Case3, clock: BrokerClock) -> None:
    case3.validated_at = broker_now(clock)  # no completeness to wait for: the clock starts
    file_online(world, case3, INFORMATION, with_files=False)


@when(parsers.parse("the front office registers a complaint that arrived {how}"))
def _(world: World, case3: Case3, how: str) -> None:
    channel = {"by letter": "surat", "in person": "langsung"}[how]
    register(world, case3, channel)


@when("the front office finds the file complete")
def _(world: World, case3: Case3) -> None:
    world.complete(case3.case_id, "Task_PeriksaKelengkapan", "fo", {"berkasLengkap": "ya"})


@when(parsers.parse("the front office finds the {what} missing"))
@when(parsers.parse("the front office finds the {what} still missing"))
def _(world: World, case3: Case3, what: str) -> None:
    missing = {
        "statement": "Surat Pernyataan Kebenaran Aduan yang ditandatangani",
        "evidence": "Bukti permohonan izin di OSS",
    }[what]
    world.complete(
        case3.case_id,
        "Task_PeriksaKelengkapan",
        "fo",
        {"berkasLengkap": "tidak", "kekuranganBerkas": missing},
    )
    case3.added.append(missing)


@then("the complainant is told by e-mail and on the tracking page what is missing")
@then("the complainant is told by e-mail and on the tracking page what to repair")
def _(world: World, case3: Case3) -> None:
    world.wait_for_event(case3.case_id, r"^Berkas belum lengkap")
    wanted = case3.added[-1]

    def told() -> list[str]:
        bodies = [str(m.get_body(("plain",)).get_content()) for m in world.mails(case3.code)]
        return [b for b in bodies if wanted in b]

    wait_until(told, timeout=30, what="the e-mail saying what is missing")
    page = world.tracking_page(case3.code, case3.pin)
    assert wanted in page and "Menunggu kelengkapan berkas" in page, page


@when("the complainant adds a document on the tracking page")
def _(world: World, case3: Case3) -> None:
    world.add_on_tracking_page(
        case3.case_id, case3.code, case3.pin, f"tambahan-{len(case3.added)}.pdf"
    )


@when("the front office adds the missing document brought to the counter")
def _(world: World, case3: Case3) -> None:
    add_at_counter(world, case3, "pernyataan-ditandatangani.pdf")


@then("the case has every document the complainant added")
def _(world: World, case3: Case3) -> None:
    with world.sessions() as db:
        names = set(
            db.scalars(select(CaseDocument.filename).where(CaseDocument.case_id == case3.case_id))
        )
    assert {"tambahan-1.pdf", "tambahan-2.pdf", "pernyataan.pdf"} <= names, names


@then("the complaint is recorded in the complaint register book of the DPMPTSP of East Java")
def _(world: World, case3: Case3) -> None:
    title = world.wait_for_event(case3.case_id, r"^Dicatat dalam Buku Register Pengaduan DPMPTSP")
    assert re.search(r"nomor \d+/REG-PGD/DPMPTSP/\d{4}$", title), title
    with world.sessions() as db:
        entries = db.scalars(
            select(RegisterEntry).where(
                RegisterEntry.case_id == case3.case_id, RegisterEntry.register == "pengaduan"
            )
        ).all()
    assert len(entries) == 1 and entries[0].agency == "dpmptsp"


# --- verification and the time limit -------------------------------------------------------------


@when(
    parsers.parse(
        "the analyst finds the form and the evidence valid and sets a target of {days:d} "
        "working days"
    )
)
def _(world: World, case3: Case3, clock: BrokerClock, days: int) -> None:
    case3.validated_at = broker_now(clock)
    world.complete(
        case3.case_id,
        "Task_VerifikasiBerkas",
        "analis",
        {"berkasSah": "ya", "targetHariKerja": days},
    )


@when("the analyst finds the statement not valid")
def _(world: World, case3: Case3) -> None:
    repair = "Surat pernyataan belum ditandatangani di atas meterai"
    world.complete(
        case3.case_id,
        "Task_VerifikasiBerkas",
        "analis",
        {"berkasSah": "tidak", "kekuranganBerkas": repair},
    )
    case3.added.append(repair)


@then("the verification waits for the analyst again")
def _(world: World, case3: Case3) -> None:
    task = world.open_task(case3.case_id, "Task_VerifikasiBerkas")
    assert task.candidate_groups == ["dpmptsp.analis"]
    with world.sessions() as db:
        done = db.scalars(
            select(HumanTask).where(
                HumanTask.case_id == case3.case_id,
                HumanTask.element_id == "Task_VerifikasiBerkas",
                HumanTask.status == "completed",
            )
        ).all()
    assert len(done) == 1


@then(parsers.parse("the complaint is due {days:d} working days later on the agency's calendar"))
def _(world: World, case3: Case3, days: int) -> None:
    assert case3.validated_at is not None
    task = world.open_task(case3.case_id, "Task_KajiPengaduan")
    assert task.due_at is not None
    earliest = due_after(world, case3.validated_at, f"{days} hari kerja")
    latest = due_after(world, case3.validated_at + timedelta(minutes=2), f"{days} hari kerja")
    assert earliest <= task.due_at <= latest, (task.due_at, earliest)
    # The complainant reads the service's clock (the days left count from this machine's
    # clock, which the engine's runs ahead of here).
    page = world.tracking_page(case3.code, case3.pin)
    assert f"Batas waktu layanan ({days} hari kerja):</strong> Berjalan — tenggat" in page


@when("the analyst studies the complaint and formulates a solution with the head of division")
def _(world: World, case3: Case3) -> None:
    world.complete(
        case3.case_id,
        "Task_KajiPengaduan",
        "analis",
        {
            "kajianPengaduan": "Permohonan tertahan karena dokumen lingkungan belum diunggah.",
            "bahanPendukung": "Riwayat permohonan di OSS.",
            "usulanSolusi": SOLUTION,
            "dikonsultasikan": True,
        },
    )


@when(
    parsers.parse(
        "the head of division analyses it, coordinates with the licensing division and decides "
        "on {product}"
    )
)
def _(world: World, case3: Case3, product: str) -> None:
    choice = {"a reply letter": "surat_jawaban", "settlement minutes": "berita_acara"}[product]
    world.complete(
        case3.case_id,
        "Task_AnalisisKoordinasi",
        "kabid",
        {
            "analisisKabid": "Dokumen lingkungan menjadi syarat; pengadu perlu diberi arahan.",
            "koordinasiUnsur": "Bidang Perizinan: dokumen dapat diunggah ulang hari ini.",
            "bentukPenyelesaian": choice,
        },
    )


# --- the products -----------------------------------------------------------------------------


@when(
    "the analyst sends the draft reply up, the head of division initials it and the head of "
    "office signs it"
)
def _(world: World, case3: Case3) -> None:
    world.work_chain(case3.case_id, "Task_SusunJawaban", "analis", {})
    world.work_chain(case3.case_id, "Task_ParafKabidJawaban", "kabid", {"keputusanDraf": "setuju"})
    world.work_chain(
        case3.case_id, "Task_TandatanganiJawaban", "kadis", {"keputusanDraf": "setuju"}
    )


@when(
    parsers.parse(
        "the analyst sends the draft reply up and the head of division returns it with the note "
        '"{note}"'
    )
)
def _(world: World, case3: Case3, note: str) -> None:
    world.work_chain(case3.case_id, "Task_SusunJawaban", "analis", {})
    decision = {"keputusanDraf": "kembalikan", "catatanDraf": note}
    world.work_chain(case3.case_id, "Task_ParafKabidJawaban", "kabid", decision)


@when(
    parsers.parse(
        "the analyst revises the reply and sends it up, the head of division initials it and "
        'the head of office returns it with the note "{note}"'
    )
)
def _(world: World, case3: Case3, note: str) -> None:
    revise_reply(world, case3)
    decision = {"keputusanDraf": "kembalikan", "catatanDraf": note}
    world.work_chain(case3.case_id, "Task_TandatanganiJawaban", "kadis", decision)


@when(
    "the analyst revises the reply and sends it up, the head of division initials it and the "
    "head of office signs it"
)
def _(world: World, case3: Case3) -> None:
    revise_reply(world, case3)
    approve = {"keputusanDraf": "setuju"}
    world.work_chain(case3.case_id, "Task_TandatanganiJawaban", "kadis", approve)


def revise_reply(world: World, case3: Case3) -> None:
    """Version n+1: the answer with one sentence more, initialled by the head of division."""
    case3.added.append(f"Perbaikan ke-{len(case3.added) + 1}.")
    answer = " ".join([SOLUTION, *case3.added])
    world.work_chain(case3.case_id, "Task_SusunJawaban", "analis", {"answer": answer})
    world.work_chain(case3.case_id, "Task_ParafKabidJawaban", "kabid", {"keputusanDraf": "setuju"})


@then("the Surat Jawaban Pengaduan is issued from the third version of its draft")
def _(world: World, case3: Case3) -> None:
    _doc, pdf, _entry = issued(world, case3, "pengaduan_jawaban")
    assert " ".join([SOLUTION, *case3.added]) in pdf_text(pdf)
    with world.sessions() as db:
        decided = [
            (version, review.decision, review.username)
            for version, review in letter_drafts.reviews(db, case3.case_id, "jawaban")
        ]
    assert [(v, d) for v, d, _who in decided if d == "kembalikan"] == [
        (1, "kembalikan"),
        (2, "kembalikan"),
    ], decided
    assert pdfsig(pdf).signer == STAFF["kadis"].name


def issued(world: World, case3: Case3, kind: str) -> tuple[CaseDocument, bytes, RegisterEntry]:
    """The complaint's product once issued: public, for the complainant to read."""
    doc, pdf, entry = world.issued(case3.case_id, kind)
    assert doc.public
    return doc, pdf, entry


@then(
    "the Surat Jawaban Pengaduan is issued, numbered in the outgoing-letter register and signed "
    "electronically by the head of office"
)
def _(world: World, case3: Case3) -> None:
    _doc, pdf, entry = issued(world, case3, "pengaduan_jawaban")
    assert re.fullmatch(r"B-\d+/DPMPTSP/[IVX]+/\d{4}", entry.number), entry.number
    text = pdf_text(pdf)
    assert entry.number in text and SOLUTION in text and COMPLAINT["applicantName"] in text
    assert "PEMERINTAH PROVINSI JAWA TIMUR" in text.upper()
    said = pdfsig(pdf)
    assert said.valid and said.whole_document and said.signer == STAFF["kadis"].name, said.output


@then("the complainant receives it by e-mail and on the tracking page")
def _(world: World, case3: Case3) -> None:
    wait_until(
        lambda: bool(attachments_of(world, case3, "pengaduan_jawaban")),
        timeout=60,
        what="the reply letter e-mail",
    )
    page = world.tracking_page(case3.code, case3.pin)
    assert "Surat Jawaban Pengaduan" in page


@when("the analyst sends the draft minutes up and the head of division initials them")
def _(world: World, case3: Case3) -> None:
    world.work_chain(case3.case_id, "Task_SusunBeritaAcara", "analis", {})
    world.work_chain(
        case3.case_id, "Task_ParafKabidBeritaAcara", "kabid", {"keputusanDraf": "setuju"}
    )


@when(parsers.parse('the secretary returns the draft minutes with the note "{note}"'))
def _(world: World, case3: Case3, note: str) -> None:
    world.work_chain(
        case3.case_id,
        "Task_ParafSekretarisBeritaAcara",
        "sekretaris",
        {"keputusanDraf": "kembalikan", "catatanDraf": note},
    )


@then("the draft minutes wait for the analyst with the secretary's note")
def _(world: World, case3: Case3) -> None:
    task = world.open_task(case3.case_id, "Task_SusunBeritaAcara")
    page = world.staff("analis").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "Lengkapi tanggal kesepakatan." in page


@when(
    "the analyst revises the minutes and sends them up again, the head of division and the "
    "secretary initial them and the head of office signs them"
)
def _(world: World, case3: Case3) -> None:
    revised = SOLUTION + " Disepakati pada tanggal penandatanganan berita acara ini."
    world.work_chain(case3.case_id, "Task_SusunBeritaAcara", "analis", {"settlement": revised})
    for element, who in (
        ("Task_ParafKabidBeritaAcara", "kabid"),
        ("Task_ParafSekretarisBeritaAcara", "sekretaris"),
        ("Task_TandatanganiBeritaAcara", "kadis"),
    ):
        world.work_chain(case3.case_id, element, who, {"keputusanDraf": "setuju"})


@then(
    "the Berita Acara Penyelesaian Pengaduan is numbered in the minutes register, names the "
    "analyst as the officer and shows both initials"
)
def _(world: World, case3: Case3) -> None:
    _doc, pdf, entry = issued(world, case3, "berita_acara_pengaduan")
    assert re.fullmatch(r"BA-\d+/DPMPTSP/[IVX]+/\d{4}", entry.number), entry.number
    text = pdf_text(pdf)
    assert "BERITA ACARA PENYELESAIAN PENGADUAN" in text and entry.number in text
    assert "Disepakati pada tanggal penandatanganan" in text
    assert f"Nama : {STAFF['analis'].name}" in text and "selanjutnya disebut Petugas" in text
    assert STAFF["kabid"].name in text and STAFF["sekretaris"].name in text  # the paraf table
    said = pdfsig(pdf)
    assert said.valid and said.signer == STAFF["kadis"].name, said.output
    with world.sessions() as db:
        versions = letter_drafts.versions(db, case3.case_id, "beritaacara")
    assert len(versions) == 2


@when(
    "the front office hands the minutes to the complainant and records who received them and when"
)
def _(world: World, case3: Case3, clock: BrokerClock) -> None:
    at = broker_now(clock).astimezone(WIB).replace(second=0, microsecond=0)
    world.complete(
        case3.case_id,
        "Task_SerahkanProduk",
        "fo",
        {
            "diterimaOleh": COMPLAINT["applicantName"],
            "waktuPenyerahan": at.isoformat(timespec="minutes"),
        },
    )


@then(parsers.parse('the case is closed as "{status}"'))
def _(world: World, case3: Case3, status: str) -> None:
    wait_until(lambda: world.case(case3.case_id).status == status, timeout=60, what=status)
    assert world.case(case3.case_id).closed_at is not None


@then("no time limit was breached")
def _(world: World, case3: Case3) -> None:
    assert world.case(case3.case_id).overdue_at is None
    assert not [t for t in world.timeline(case3.case_id) if t.startswith("Batas waktu terlampaui")]


# --- late steps, information requests -----------------------------------------------------------


@when("the target passes before the head of division's analysis")
def _(world: World, case3: Case3, clock: BrokerClock) -> None:
    task = world.open_task(case3.case_id, "Task_AnalisisKoordinasi")
    assert task.due_at is not None
    move_past(clock, task.due_at)


@when("2 working days pass without an answer")
def _(world: World, case3: Case3, clock: BrokerClock) -> None:
    task = world.open_task(case3.case_id, "Task_JawabInformasi")
    assert task.due_at is not None
    move_past(clock, task.due_at)


@then(parsers.parse('the case is marked overdue at "{step}" and the head of {whom} is e-mailed'))
def _(world: World, case3: Case3, step: str, whom: str) -> None:
    address = {"office": KADIS_EMAIL, "division": KABID_EMAIL}[whom]
    world.wait_for_event(case3.case_id, re.escape(f"Batas waktu terlampaui: {step}"))
    assert world.case(case3.case_id).overdue_at is not None

    def told() -> list[Any]:
        return [m for m in world.mails(case3.code) if m["To"] == address]

    wait_until(lambda: bool(told()), timeout=30, what=f"the e-mail to the head of {whom}")
    assert step in str(told()[0]["Subject"])


@then("the analysis still waits for the head of division")
def _(world: World, case3: Case3) -> None:
    task = world.open_task(case3.case_id, "Task_AnalisisKoordinasi")
    assert task.candidate_groups == ["dpmptsp.kabid"]


@then("the answer is due 2 working days later on the agency's calendar")
def _(world: World, case3: Case3) -> None:
    task = world.open_task(case3.case_id, "Task_JawabInformasi")
    assert task.due_at is not None and case3.validated_at is not None
    earliest = due_after(world, case3.validated_at, "2 hari kerja")
    latest = due_after(world, case3.validated_at + timedelta(minutes=2), "2 hari kerja")
    assert earliest <= task.due_at <= latest, (task.due_at, earliest)


@when("the front office gives the information")
def _(world: World, case3: Case3) -> None:
    world.complete(case3.case_id, "Task_JawabInformasi", "fo", {"jawabanInformasi": ANSWER})


@then("the citizen reads it on the tracking page and receives it by e-mail")
def _(world: World, case3: Case3) -> None:
    def told() -> list[str]:
        bodies = [str(m.get_body(("plain",)).get_content()) for m in world.mails(case3.code)]
        return [b for b in bodies if ANSWER in " ".join(b.split())]

    wait_until(told, timeout=30, what="the e-mail with the information")
    wait_until(lambda: world.case(case3.case_id).status == "selesai", timeout=30, what="selesai")
    assert ANSWER in world.tracking_page(case3.code, case3.pin)


# --- who sees what --------------------------------------------------------------------------------


def test_another_dpmptsps_staff_get_nothing_of_a_case(world: World):
    """The same roles in the DPMPTSP of Sleman opening an East Java complaint's task, its
    draft, its documents, its tracking page or East Java's registers by URL."""
    case3 = Case3()
    file_online(world, case3, COMPLAINT, with_files=True)
    world.complete(case3.case_id, "Task_PeriksaKelengkapan", "fo", {"berkasLengkap": "ya"})
    world.complete(
        case3.case_id, "Task_VerifikasiBerkas", "analis", {"berkasSah": "ya", "targetHariKerja": 5}
    )
    world.complete(
        case3.case_id,
        "Task_KajiPengaduan",
        "analis",
        {"kajianPengaduan": "Dikaji.", "usulanSolusi": SOLUTION, "dikonsultasikan": True},
    )
    world.complete(
        case3.case_id,
        "Task_AnalisisKoordinasi",
        "kabid",
        {"analisisKabid": "Dianalisis.", "bentukPenyelesaian": "surat_jawaban"},
    )
    task = world.open_task(case3.case_id, "Task_SusunJawaban")
    with world.sessions() as db:
        docs = list(db.scalars(select(CaseDocument).where(CaseDocument.case_id == case3.case_id)))
    assert len(docs) >= 3, "the receipt, the statement and the evidence"
    insider = world.staff("analis")
    assert insider.get(f"/tugas/{task.id}").status_code == 200
    assert insider.get(f"/tugas/{task.id}/draf.pdf").status_code == 200
    assert insider.get("/register/dpmptsp/pengaduan").status_code == 200
    secrets = (case3.code, COMPLAINT["applicantName"], f'href="/tugas/{task.id}"', SOLUTION)
    registers = ("/register/dpmptsp/pengaduan", "/register/dpmptsp/surat-keluar")
    for outsider in OUTSIDERS:
        world.kept_out(outsider, task.id, case3.code, [d.id for d in docs], secrets, registers)


# --- the happy path in Chromium, as the real actors would drive it ------------------------------


@pytest.fixture(scope="module")
def live(world: World) -> Iterator[str]:
    with serving(world.app) as url:
        yield url


def test_a_complaint_runs_in_the_browser_from_the_form_to_the_signed_reply(
    world: World, live: str, new_page: Callable[[], Page]
):
    citizen = new_page()
    citizen.goto(f"{live}/layanan/{SERVICE}")
    expect(citizen.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    assert problems_of(citizen) == []
    citizen.get_by_label("Instansi tujuan").select_option(UNIT)
    citizen.get_by_role("radio", name="Pengaduan", exact=True).check()
    fill(citizen, "Nama lengkap", COMPLAINT["applicantName"])
    fill(citizen, "Alamat", COMPLAINT["applicantAddress"])
    fill(citizen, "Nomor telepon atau ponsel", COMPLAINT["applicantPhone"])
    fill(citizen, "Alamat e-mail", COMPLAINT["applicantEmail"])
    fill(citizen, "Perihal", COMPLAINT["subject"])
    fill(citizen, "Uraian pengaduan", COMPLAINT["matter"])
    pickers = citizen.locator("input[type=file]")
    pickers.nth(0).set_input_files(
        files=[{"name": "pernyataan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    pickers.nth(1).set_input_files(
        files=[{"name": "bukti-oss.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    citizen.get_by_role("button", name="Kirim permohonan").click()
    citizen.wait_for_url(re.compile(r"/diterima$"))
    code = citizen.locator("#kode-pelacakan").inner_text().strip()
    pin = citizen.locator("#pin").inner_text().strip()
    case3 = Case3()
    started(world, case3, code, pin)

    staff_page = new_page()
    work(staff_page, live, "fo", code, "Periksa kelengkapan berkas")
    staff_page.get_by_role("radio", name="Lengkap", exact=True).check()
    finish(staff_page)
    work(staff_page, live, "analis", code, "Verifikasi keabsahan berkas")
    staff_page.get_by_role("radio", name="Sesuai", exact=True).check()
    fill(staff_page, "Target penyelesaian", "5")
    finish(staff_page)
    work(staff_page, live, "analis", code, "Kaji pengaduan dan rumuskan solusi")
    fill(staff_page, "Kajian permasalahan", "Dokumen lingkungan belum diunggah.")
    fill(staff_page, "Rumusan solusi", SOLUTION)
    staff_page.get_by_label("Rumusan solusi telah dikonsultasikan", exact=False).check()
    finish(staff_page)
    work(staff_page, live, "kabid", code, "Analisis kajian dan koordinasi")
    fill(staff_page, "Analisis hasil kajian", "Dokumen lingkungan menjadi syarat.")
    staff_page.get_by_role("radio", name="Surat Jawaban Pengaduan", exact=True).check()
    finish(staff_page)
    work(staff_page, live, "analis", code, "Periksa draf surat jawaban")
    with staff_page.expect_response(lambda r: r.url.endswith("/pratinjau")) as answered:
        staff_page.get_by_role("button", name="Pratinjau PDF").click()
    assert answered.value.ok
    finish(staff_page)
    work(staff_page, live, "kabid", code, "Paraf Kepala Bidang atas surat jawaban")
    staff_page.get_by_role("radio", name="Setujui dan bubuhkan paraf").check()
    finish(staff_page)
    work(staff_page, live, "kadis", code, "Tandatangani surat jawaban")
    staff_page.get_by_role("radio", name="Setujui dan tandatangani secara elektronik").check()
    finish(staff_page)
    wait_until(lambda: world.case(case3.case_id).status == "selesai", timeout=60, what="selesai")

    complainant = new_page()
    complainant.goto(f"{live}/lacak")
    complainant.get_by_label("Kode pelacakan").fill(code)
    complainant.get_by_label("PIN").fill(pin)
    complainant.get_by_role("button", name="Lacak").click()
    expect(complainant.locator("#status")).to_have_text("Selesai")
    assert problems_of(complainant) == []
    letter = complainant.get_by_role("link", name=re.compile(r"^Surat Jawaban Pengaduan .*\.pdf$"))
    with complainant.expect_download() as download:
        letter.click()
    signed = Path(download.value.path()).read_bytes()
    assert SOLUTION in pdf_text(signed)
    said = pdfsig(signed)
    assert said.valid and said.signer == STAFF["kadis"].name, said.output


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_the_intake_asks_which_dpmptsp_at_a_desktops_and_a_phones_width(
    world: World, live: str, browser: Browser, size: str
):
    """The service page of an SOP many agencies run: the choice of agency, then the form, in
    Bahasa, accessible, nothing sticking out sideways."""
    context = open_context(browser, size)
    page = context.new_page()
    page.goto(f"{live}/layanan/{SERVICE}")
    expect(page.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    choice = page.get_by_label("Instansi tujuan")
    expect(choice).to_be_visible()
    labels = choice.locator("option").all_inner_texts()
    assert any("Jawa Timur" in label for label in labels), labels
    assert any("Sleman" in label for label in labels), labels
    page.get_by_role("radio", name="Permintaan informasi", exact=True).check()
    expect(page.get_by_text("Surat Pernyataan Kebenaran Aduan yang ditandatangani")).to_have_count(
        0
    )
    page.get_by_role("radio", name="Pengaduan", exact=True).check()
    expect(page.get_by_text("Surat Pernyataan Kebenaran Aduan yang ditandatangani")).to_be_visible()
    screenshot(page, f"pengaduan-dpmptsp-formulir-{size}")
    assert problems_of(page) == [], size
    assert fits(page), size
    context.close()
