"""Scenarios of SOP 2 (seed 003, KemenPAN-RB) on the real broker, S3, database and SMTP server.

The proposing agency files through the public intake and answers on the tracking page; staff
of KemenPAN-RB and of the coordination team's member agencies work through the staff app's
own endpoints (claim, then submit the form, validated on the server); the broker's controlled
clock stands in for the working days and the two months that pass.
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
from features.support.staffpages import fill, finish, type_date, type_datetime, work
from features.web.conftest import claim_and_complete, serving
from features.web.test_pages import problems_of
from stack.local import REPO, Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import case_clocks, letter_drafts
from storage.models import CaseClock, CaseDocument, HumanTask

scenarios("sop2/pertimbangan_spbe.feature")

WIB = ZoneInfo("Asia/Jakarta")
SERVICE = "pertimbangan-spbe"
UNIT = "kemenpanrb-kelembagaan"
CLOCK = "tenggatLayanan"
MENTERI_EMAIL = "menteri@menpan.example.go.id"
DEPUTI_EMAIL = "deputi.kelembagaan@menpan.example.go.id"
TEAM = "spbe.tim_koordinasi"
STAFF = {
    "menteri": Account(
        "Dr. Rahmat Hidayat",
        "kemenpanrb.menteri",
        "kemenpanrb",
        "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        None,
        MENTERI_EMAIL,
    ),
    "deputi": Account(
        "Dr. Sri Wahyuni, M.A.P.",
        "kemenpanrb.deputi",
        UNIT,
        "Deputi Bidang Kelembagaan dan Tata Laksana",
        "196904231994032001",
        DEPUTI_EMAIL,
    ),
    "asdep": Account(
        "Yusuf Maulana, S.T., M.T.",
        "kemenpanrb.asdep",
        UNIT,
        "Asisten Deputi Transformasi Digital Pemerintahan",
        "197805092003121001",
    ),
    "komdigi": Account("Arief Nugroho, S.T., M.Kom.", TEAM, "spbe-komdigi", "Direktur"),
    "bappenas": Account("Dr. Laksmi Prameswari", TEAM, "spbe-bappenas", "Direktur"),
    "kemenkeu": Account("Dimas Aryo Wibowo, S.Kom., M.M.", TEAM, "spbe-kemenkeu", "Kepala Bidang"),
    "kemendagri": Account("Drs. Hasanuddin Lubis, M.Si.", TEAM, "spbe-kemendagri", "Kepala Pusat"),
    "bssn": Account("Putri Andayani, S.S.T., M.T.", TEAM, "spbe-bssn", "Direktur"),
    "brin": Account("Dr. Eng. Teguh Santoso, M.Eng.", TEAM, "spbe-brin", "Peneliti Ahli Utama"),
}
#: The member units of the coordination team and who answers for each.
MEMBERS = {
    "spbe-komdigi": "komdigi",
    "spbe-bappenas": "bappenas",
    "spbe-kemenkeu": "kemenkeu",
    "spbe-kemendagri": "kemendagri",
    "spbe-bssn": "bssn",
    "spbe-brin": "brin",
}
PROPOSER_EMAIL = "pusdatin@kemkes.example.go.id"
SECTIONS = [
    "latar_belakang",
    "fungsi_bisnis",
    "metodologi",
    "kebutuhan_data",
    "teknologi",
    "jadwal",
    "sumber_pembiayaan",
]
PROPOSAL = {
    "jenisPengusul": "kementerian",
    "institutionName": "Kementerian Kesehatan",
    "pejabatPengusul": "Menteri Kesehatan",
    "alamatPengusul": "Jl. H.R. Rasuna Said Blok X5 Kav. 4-9, Jakarta Selatan 12950",
    "applicantName": "dr. Andi Saputra, M.Kes.",
    "applicantPosition": "Kepala Pusat Data dan Teknologi Informasi",
    "applicantEmail": PROPOSER_EMAIL,
    "applicantPhone": "081234567890",
    "subject": "Usulan pembangunan aplikasi khusus rekam medis elektronik nasional",
    "nomorSuratUsulan": "TI.01.01/Menkes/123/2026",
    "tanggalSuratUsulan": "2026-10-01",
    "namaAplikasi": "SATUSEHAT Rekam Medis",
    "matter": "Aplikasi rekam medis elektronik yang terhubung antarfasilitas kesehatan.",
    "bagianProposal": SECTIONS,
}
FOLLOW_UP = "Dokumen arsitektur aplikasi yang selaras dengan Arsitektur SPBE Nasional"
SUMMARY = "Usulan memenuhi kriteria aplikasi khusus dan tidak tumpang tindih dengan aplikasi umum."
NOTES = ["Menggunakan Pusat Data Nasional", "Menerapkan interoperabilitas data melalui SPLP"]


@dataclass
class Case2:
    """What a scenario learnt about its case."""

    code: str = ""
    pin: str = ""
    case_id: int = 0
    complete_at: datetime | None = None
    paused: CaseClock | None = None
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    revision: str = ""


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    resources = [REPO / "bpmn" / "kemenpanrb_pertimbangan_spbe.bpmn"]
    resources += sorted((REPO / "forms").glob("spbe-pertimbangan-*.form"))
    resources += sorted((REPO / "forms").glob("surat-*.form"))
    folder = tmp_path_factory.mktemp("sop2")
    with running(stack, engine, folder, resources, STAFF) as world:
        yield world


@pytest.fixture
def case2() -> Case2:
    return Case2()


def submit(world: World, case2: Case2) -> None:
    client = world.app.test_client()
    page = client.get(f"/layanan/{SERVICE}").get_data(as_text=True)
    body: dict[str, Any] = {
        "data": {**PROPOSAL, "proposalLetter": "files::surat", "proposal": "files::proposal"},
        "files::surat": (io.BytesIO(PDF), "surat-usulan.pdf"),
        "files::proposal": [(io.BytesIO(PDF), "proposal.pdf"), (io.BytesIO(PDF), "data.pdf")],
    }
    code, pin = received(client, post_intake(client, f"/layanan/{SERVICE}/ajukan", page, body))
    case2.code, case2.pin = code, pin
    case2.case_id = world.started(code)


def clock_of(world: World, case2: Case2, name: str = CLOCK) -> CaseClock:
    def find() -> CaseClock | None:
        with world.sessions() as db:
            return case_clocks.get(db, case2.case_id, name)

    wait_until(lambda: find() is not None, timeout=30, what=f"the clock {name}")
    found = find()
    assert found is not None
    return found


def calendar(world: World, around: datetime) -> workdays.Calendar:
    settings = world.app.extensions["alur.settings"]
    years = range(around.year - 1, around.year + 2)
    return workdays.calendar_for(settings.calendar_file, "kemenpanrb", years)


def upload(world: World, case2: Case2, filename: str) -> None:
    """The proposer uploads on the tracking page what the case waits for."""
    world.add_on_tracking_page(case2.case_id, case2.code, case2.pin, filename)
    case2.added.append(filename)


def member_tasks(world: World, case2: Case2) -> dict[str, HumanTask]:
    with world.sessions() as db:
        rows = db.scalars(
            select(HumanTask).where(
                HumanTask.case_id == case2.case_id,
                HumanTask.element_id == "Task_ValidasiAnggota",
                HumanTask.status == "open",
            )
        )
        return {str(task.unit_code): task for task in rows}


def meeting_day(clock: BrokerClock) -> str:
    return (broker_now(clock).astimezone(WIB) + timedelta(days=1)).date().isoformat()


# --- receipt, disposition, completeness -----------------------------------------------------------


@given("the SPBE consideration service of KemenPAN-RB is deployed")
def _(world: World) -> None:
    page = world.app.test_client().get(f"/layanan/{SERVICE}").get_data(as_text=True)
    assert "Formulir permohonan" in page, "the intake is not open"


@when("a ministry submits a proposal online with its proposal letter and the proposal")
def _(world: World, case2: Case2, clock: BrokerClock) -> None:
    case2.complete_at = broker_now(clock)
    submit(world, case2)


@then("the proposal is due 60 working days later on KemenPAN-RB's calendar")
@then("the proposal is due 60 working days after the complete file arrived")
def _(world: World, case2: Case2) -> None:
    assert case2.complete_at is not None
    days = calendar(world, case2.complete_at)
    limit = workdays.parse_limit("60 hari kerja")
    earliest = workdays.due(days, case2.complete_at, limit)
    latest = workdays.due(days, case2.complete_at + timedelta(minutes=3), limit)
    wait_until(
        lambda: (
            clock_of(world, case2).due_at >= earliest and not clock_of(world, case2).paused_since
        ),
        timeout=30,
        what="the 60 working days",
    )
    found = clock_of(world, case2)
    assert earliest <= found.due_at <= latest, (found.due_at, earliest)
    page = world.tracking_page(case2.code, case2.pin)
    assert "Batas waktu layanan (60 hari kerja):</strong> Berjalan — tenggat" in page


@when("the Minister dispositions it to the Deputy")
def _(world: World, case2: Case2) -> None:
    note = "Mohon dipelajari dan ditindaklanjuti sesuai ketentuan."
    world.complete(
        case2.case_id, "Task_DisposisiMenteri", "menteri", {"catatanDisposisiMenteri": note}
    )


@when("the Deputy studies it and dispositions it to the Assistant Deputy")
def _(world: World, case2: Case2) -> None:
    world.complete(
        case2.case_id,
        "Task_PelajariUsulan",
        "deputi",
        {
            "hasilPelajariDeputi": "Usulan aplikasi khusus di bidang kesehatan.",
            "catatanDisposisiDeputi": "Uji kelengkapan dan telaah.",
        },
    )


@when("the Assistant Deputy finds the proposal complete and correct")
def _(world: World, case2: Case2) -> None:
    world.complete(
        case2.case_id,
        "Task_UjiKelengkapan",
        "asdep",
        {"bagianLengkap": ["surat_usulan", *SECTIONS], "berkasLengkap": "ya"},
    )


@when(parsers.parse("the Assistant Deputy finds the {what} missing"))
@when(parsers.parse("the Assistant Deputy finds the {what} still missing"))
def _(world: World, case2: Case2, what: str) -> None:
    missing = {
        "data and information needs": "Kebutuhan data dan informasi pada aplikasi",
        "funding source": "Sumber pembiayaan yang ditandatangani pejabat berwenang",
    }[what]
    world.complete(
        case2.case_id,
        "Task_UjiKelengkapan",
        "asdep",
        {"bagianLengkap": ["surat_usulan"], "berkasLengkap": "tidak", "kekuranganBerkas": missing},
    )
    case2.missing.append(missing)


@then("the proposer is told by e-mail and on the tracking page what is missing")
def _(world: World, case2: Case2) -> None:
    told_what(world, case2, "Berkas yang perlu dilengkapi", "belum lengkap")


@then("the proposer is told by e-mail and on the tracking page what to follow up")
def _(world: World, case2: Case2) -> None:
    told_what(
        world, case2, "Hasil rapat perlu ditindaklanjuti", "Hasil rapat perlu ditindaklanjuti"
    )


def told_what(world: World, case2: Case2, heading: str, said: str) -> None:
    """The e-mail says ``said`` and lists what is wanted; the tracking page shows it under
    ``heading`` with the upload form."""
    wanted = case2.missing[-1]

    def told() -> list[str]:
        bodies = [str(m.get_body(("plain",)).get_content()) for m in world.mails(case2.code)]
        return [b for b in bodies if wanted in b]

    wait_until(told, timeout=30, what="the e-mail saying what is wanted")
    assert any(said in body for body in told())
    page = world.tracking_page(case2.code, case2.pin)
    assert wanted in page and "Menunggu kelengkapan berkas" in page, page
    assert f'<h2 id="kelengkapan-judul">{heading}</h2>' in page, page


@then("the service's clock is paused")
@then("the proposer reads on the tracking page that the service's clock is paused")
def _(world: World, case2: Case2) -> None:
    wait_until(
        lambda: clock_of(world, case2).paused_since is not None, timeout=30, what="the pause"
    )
    case2.paused = clock_of(world, case2)
    assert "Batas waktu layanan (60 hari kerja):</strong> Dijeda sejak" in world.tracking_page(
        case2.code, case2.pin
    )


@when("the proposer adds a document on the tracking page")
def _(world: World, case2: Case2, clock: BrokerClock) -> None:
    case2.complete_at = broker_now(clock)
    upload(world, case2, f"tambahan-{len(case2.added) + 1}.pdf")


@then("the case has every document the proposer added")
def _(world: World, case2: Case2) -> None:
    with world.sessions() as db:
        names = set(
            db.scalars(select(CaseDocument.filename).where(CaseDocument.case_id == case2.case_id))
        )
    assert {"surat-usulan.pdf", "proposal.pdf", "tambahan-1.pdf", "tambahan-2.pdf"} <= names


# --- review, meeting, the coordination team's validation ------------------------------------------


@when("the Assistant Deputy reviews it and reports the result to the Deputy")
def _(world: World, case2: Case2) -> None:
    world.complete(case2.case_id, "Task_Telaah", "asdep", {"hasilTelaah": SUMMARY})


def invite(world: World, case2: Case2, clock: BrokerClock, members: list[str]) -> None:
    world.complete(
        case2.case_id,
        "Task_UndangRapat",
        "deputi",
        {
            "jadwalRapat": f"{meeting_day(clock)}T09:00",
            "tempatRapat": "Ruang Rapat Deputi Kelembagaan, Kementerian PANRB, Jakarta",
            "anggotaTim": members,
            "instansiTerkaitLain": "Kementerian Kesehatan",
        },
    )


@when(
    "the Deputy invites the related agencies and all six members of the coordination team to "
    "a meeting"
)
def _(world: World, case2: Case2, clock: BrokerClock) -> None:
    invite(world, case2, clock, list(MEMBERS))


@then("each member agency finds one validation task in its own inbox")
def _(world: World, case2: Case2) -> None:
    wait_until(lambda: len(member_tasks(world, case2)) == 6, timeout=30, what="six tasks")
    tasks = member_tasks(world, case2)
    assert set(tasks) == set(MEMBERS)
    for unit, username in MEMBERS.items():
        mine = world.available(username) & {t.id for t in tasks.values()}
        assert mine == {tasks[unit].id}, (username, mine)


def validate(world: World, case2: Case2, members: list[str]) -> None:
    wait_until(
        lambda: len(member_tasks(world, case2)) == len(members), timeout=30, what="the tasks"
    )
    tasks = member_tasks(world, case2)
    for unit in members:
        answer = {"hasilValidasi": "layak_dengan_catatan", "catatanValidasi": f"Catatan {unit}."}
        claim_and_complete(world.staff(MEMBERS[unit]), tasks[unit].id, answer)


@when("3 working days pass and every member agency validates the proposal")
def _(world: World, case2: Case2, clock: BrokerClock) -> None:
    wait_until(lambda: len(member_tasks(world, case2)) == 6, timeout=30, what="six tasks")
    now = broker_now(clock)
    move_past(clock, calendar(world, now).add_working_minutes(now, 3 * 8 * 60))
    validate(world, case2, list(MEMBERS))


@then("the service's clock runs again, due 3 working days later than before")
def _(world: World, case2: Case2) -> None:
    before = case2.paused
    assert before is not None and before.paused_since is not None
    wait_until(
        lambda: clock_of(world, case2).paused_since is None, timeout=30, what="the clock again"
    )
    after = clock_of(world, case2)
    days = calendar(world, after.due_at)
    assert 3 * 8 * 60 <= after.paused_minutes <= 3 * 8 * 60 + 30, after.paused_minutes
    assert after.due_at == days.add_working_minutes(before.due_at, after.paused_minutes)
    task = world.open_task(case2.case_id, "Task_CatatHasilRapat")
    assert task.due_at == after.due_at


def record_meeting(world: World, case2: Case2, clock: BrokerClock) -> None:
    world.complete(
        case2.case_id,
        "Task_CatatHasilRapat",
        "deputi",
        {
            "tanggalRapat": broker_now(clock).astimezone(WIB).date().isoformat(),
            "daftarHadir": "Deputi Bidang Kelembagaan dan Tata Laksana\nKementerian Kesehatan",
            "notulaRapat": "Rapat membahas kesesuaian usulan dengan Arsitektur SPBE Nasional.",
            "hasilRapat": "Usulan dapat dilanjutkan dengan perbaikan dokumen arsitektur.",
            "tindakLanjutRapat": FOLLOW_UP,
        },
    )
    case2.missing.append(FOLLOW_UP)


@when(
    "the Deputy records the meeting's attendance, minutes, results and what the proposer must "
    "follow up"
)
def _(world: World, case2: Case2, clock: BrokerClock) -> None:
    record_meeting(world, case2, clock)


def to_validation_started(world: World, case2: Case2, clock: BrokerClock) -> None:
    """A proposal up to the coordination team's validation by two member agencies."""
    submit(world, case2)
    world.complete(
        case2.case_id, "Task_DisposisiMenteri", "menteri", {"catatanDisposisiMenteri": "Proses."}
    )
    world.complete(
        case2.case_id,
        "Task_PelajariUsulan",
        "deputi",
        {"hasilPelajariDeputi": "Dipelajari.", "catatanDisposisiDeputi": "Telaah."},
    )
    world.complete(case2.case_id, "Task_UjiKelengkapan", "asdep", {"berkasLengkap": "ya"})
    world.complete(case2.case_id, "Task_Telaah", "asdep", {"hasilTelaah": SUMMARY})
    invite(world, case2, clock, ["spbe-komdigi", "spbe-bssn"])
    wait_until(lambda: len(member_tasks(world, case2)) == 2, timeout=30, what="two tasks")


def to_validation(world: World, case2: Case2, clock: BrokerClock) -> None:
    to_validation_started(world, case2, clock)
    validate(world, case2, ["spbe-komdigi", "spbe-bssn"])


@given("a proposal has been validated by two member agencies")
def _(world: World, case2: Case2, clock: BrokerClock) -> None:
    to_validation(world, case2, clock)


@given("a proposal has been discussed in the meeting with two member agencies")
def _(world: World, case2: Case2, clock: BrokerClock) -> None:
    to_validation(world, case2, clock)
    record_meeting(world, case2, clock)


# --- follow-up, technical discussion --------------------------------------------------------------


@when("the proposer uploads its follow-up on the tracking page")
def _(world: World, case2: Case2) -> None:
    upload(world, case2, f"tindak-lanjut-{len(case2.added) + 1}.pdf")


def discuss(world: World, case2: Case2, extra: dict[str, Any]) -> None:
    world.complete(
        case2.case_id,
        "Task_PembahasanTeknis",
        "asdep",
        {
            "tanggalPembahasan": world.case(case2.case_id).created_at.date().isoformat(),
            "pesertaPembahasan": "Asisten Deputi\nPusat Data dan Teknologi Informasi Kemenkes",
            "hasilPembahasanTeknis": "Arsitektur aplikasi dibahas bersama instansi pengusul.",
            **extra,
        },
    )


@when("the Assistant Deputy holds the technical discussion and finds the follow-up sufficient")
def _(world: World, case2: Case2) -> None:
    discuss(world, case2, {"tindakLanjutMemadai": "ya"})


@when(
    parsers.parse(
        "the Assistant Deputy holds the technical discussion and finds the follow-up short of "
        '"{what}"'
    )
)
def _(world: World, case2: Case2, what: str) -> None:
    discuss(world, case2, {"tindakLanjutMemadai": "tidak", "kekuranganTindakLanjut": what})
    case2.missing.append(what)


@then("the technical discussion waits in the Assistant Deputy's inbox")
def _(world: World, case2: Case2) -> None:
    task = world.open_task(case2.case_id, "Task_PembahasanTeknis")
    assert task.id in world.available("asdep")


@then("the technical discussion leaves the Assistant Deputy's inbox")
def _(world: World, case2: Case2) -> None:
    with world.sessions() as db:
        task = db.scalar(
            select(HumanTask).where(
                HumanTask.case_id == case2.case_id, HumanTask.element_id == "Task_PembahasanTeknis"
            )
        )
    assert task is not None
    wait_until(lambda: task.id not in world.available("asdep"), timeout=30, what="the task gone")
    page = world.staff("asdep").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "Dibatalkan oleh proses" in page and f"/tugas/{task.id}/selesaikan" not in page
    with world.sessions() as db:
        ended = db.get(HumanTask, task.id)
        assert ended is not None and ended.status == "cancelled", ended


# --- the Deputy's review, nota dinas, the Minister's letter ---------------------------------------


@when("the Deputy reviews the results and recommends the application with notes")
def _(world: World, case2: Case2) -> None:
    world.complete(
        case2.case_id,
        "Task_ReviuHasil",
        "deputi",
        {
            "ringkasanReviu": SUMMARY,
            "rekomendasi": "direkomendasikan dengan catatan",
            "catatanRekomendasi": "\n".join(NOTES),
        },
    )


@when("the Deputy reviews the results and does not recommend the application")
def _(world: World, case2: Case2) -> None:
    world.complete(
        case2.case_id,
        "Task_ReviuHasil",
        "deputi",
        {
            "ringkasanReviu": "Fungsi aplikasi sudah tersedia.",
            "rekomendasi": "tidak direkomendasikan",
        },
    )


@then(
    "a nota dinas to the Minister is numbered in the nota dinas register and not shown to the "
    "proposer"
)
def _(world: World, case2: Case2) -> None:
    doc, pdf, entry = world.issued(case2.case_id, "nota_dinas")
    assert not doc.public and entry.register == "nota-dinas"
    text = pdf_text(pdf)
    assert "NOTA DINAS" in text and entry.number in text and SUMMARY in text
    assert "Menteri Pendayagunaan Aparatur Negara" in text and STAFF["deputi"].name in text
    assert NOTES[0] in text and "DIREKOMENDASIKAN DENGAN CATATAN" in text
    page = world.tracking_page(case2.code, case2.pin)
    assert "Nota Dinas" not in page and entry.number not in page


@when("the Deputy prepares the recommendation letter and the Minister signs it")
def _(world: World, case2: Case2) -> None:
    world.work_chain(case2.case_id, "Task_SiapkanRekomendasi", "deputi", {})
    world.work_chain(
        case2.case_id, "Task_TandatanganiRekomendasi", "menteri", {"keputusanDraf": "setuju"}
    )


@when(
    parsers.parse(
        "the Deputy prepares the recommendation letter and the Minister returns it with the note "
        '"{note}"'
    )
)
def _(world: World, case2: Case2, note: str) -> None:
    world.work_chain(case2.case_id, "Task_SiapkanRekomendasi", "deputi", {})
    decision = {"keputusanDraf": "kembalikan", "catatanDraf": note}
    world.work_chain(case2.case_id, "Task_TandatanganiRekomendasi", "menteri", decision)
    case2.revision = note


@then("the draft waits for the Deputy with the Minister's note")
def _(world: World, case2: Case2) -> None:
    task = world.open_task(case2.case_id, "Task_SiapkanRekomendasi")
    page = world.staff("deputi").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert case2.revision in page


@when("the Deputy revises the letter and the Minister signs it")
def _(world: World, case2: Case2) -> None:
    revised = (
        "Fungsi aplikasi sudah tersedia pada aplikasi umum SPBE; pembangunan baru tidak perlu."
    )
    world.work_chain(
        case2.case_id, "Task_SiapkanRekomendasi", "deputi", {"review_summary": revised}
    )
    case2.revision = revised
    world.work_chain(
        case2.case_id, "Task_TandatanganiRekomendasi", "menteri", {"keputusanDraf": "setuju"}
    )


@then(
    "the recommendation letter is numbered in the outgoing-letter register, signed "
    "electronically by the Minister and lists the notes"
)
def _(world: World, case2: Case2) -> None:
    doc, pdf, entry = world.issued(case2.case_id, "spbe_rekomendasi")
    assert doc.public and entry.register == "surat-keluar"
    text = pdf_text(pdf)
    assert entry.number in text and PROPOSAL["nomorSuratUsulan"] in text
    assert "Menteri Kesehatan" in text and PROPOSAL["namaAplikasi"] in text
    assert "DIREKOMENDASIKAN DENGAN CATATAN" in text and all(note in text for note in NOTES)
    said = pdfsig(pdf)
    assert said.valid and said.whole_document and said.signer == STAFF["menteri"].name, said.output


@then(
    "the letter issued is the second version of its draft and says the application is not "
    "recommended"
)
def _(world: World, case2: Case2) -> None:
    _doc, pdf, _entry = world.issued(case2.case_id, "spbe_rekomendasi")
    text = pdf_text(pdf)
    assert case2.revision in text and "TIDAK DIREKOMENDASIKAN" in text
    with world.sessions() as db:
        assert len(letter_drafts.versions(db, case2.case_id, "rekomendasi")) == 2


@then("the proposer receives it by e-mail and on the tracking page")
def _(world: World, case2: Case2) -> None:
    wait_until(
        lambda: bool(
            world.attachments(case2.case_id, case2.code, "spbe_rekomendasi", PROPOSER_EMAIL)
        ),
        timeout=60,
        what="the recommendation letter e-mail",
    )
    assert "Surat Pertimbangan dan Rekomendasi" in world.tracking_page(case2.code, case2.pin)


@then(parsers.parse('the case is closed as "{status}"'))
def _(world: World, case2: Case2, status: str) -> None:
    wait_until(lambda: world.case(case2.case_id).status == status, timeout=60, what=status)
    assert world.case(case2.case_id).closed_at is not None


@then("no time limit was breached")
def _(world: World, case2: Case2) -> None:
    assert world.case(case2.case_id).overdue_at is None
    assert not [t for t in world.timeline(case2.case_id) if t.startswith("Batas waktu terlampaui")]


# --- the limits: 60 working days, two months ------------------------------------------------------


@when("the service's 60 working days pass before the meeting's results are recorded")
def _(world: World, case2: Case2, clock: BrokerClock) -> None:
    task = world.open_task(case2.case_id, "Task_CatatHasilRapat")
    assert task.due_at is not None
    move_past(clock, task.due_at)


@then(parsers.parse('the case is marked overdue at "{step}" and the Minister is e-mailed'))
def _(world: World, case2: Case2, step: str) -> None:
    world.wait_for_event(case2.case_id, re.escape(f"Batas waktu terlampaui: {step}"))
    assert world.case(case2.case_id).overdue_at is not None

    def told() -> list[Any]:
        return [m for m in world.mails(case2.code) if m["To"] == MENTERI_EMAIL]

    wait_until(lambda: bool(told()), timeout=30, what="the e-mail to the Minister")
    assert step in str(told()[0]["Subject"])


@then("the meeting's results still wait for the Deputy")
def _(world: World, case2: Case2) -> None:
    task = world.open_task(case2.case_id, "Task_CatatHasilRapat")
    assert task.candidate_groups == ["kemenpanrb.deputi"]


@when("two months pass after the meeting without a follow-up")
def _(world: World, case2: Case2, clock: BrokerClock) -> None:
    months = clock_of(world, case2, "tenggatTindakLanjut")
    move_past(clock, months.due_at)


@then("the proposer receives a numbered cancellation letter that names the meeting's date")
def _(world: World, case2: Case2) -> None:
    doc, pdf, entry = world.issued(case2.case_id, "spbe_pembatalan")
    assert doc.public and entry.register == "surat-keluar"
    text = pdf_text(pdf)
    assert entry.number in text and "dinyatakan dibatalkan" in text
    assert PROPOSAL["namaAplikasi"] in text and "2 (dua) bulan" in text
    meeting = clock_of(world, case2, "tenggatTindakLanjut").due_at - timedelta(days=40)
    assert str(meeting.astimezone(WIB).year) in text
    wait_until(
        lambda: bool(
            world.attachments(case2.case_id, case2.code, "spbe_pembatalan", PROPOSER_EMAIL)
        ),
        timeout=60,
        what="the cancellation e-mail",
    )


@then("the tracking page says the proposal was cancelled and why, and takes no more documents")
def _(world: World, case2: Case2) -> None:
    wait_until(
        lambda: world.case(case2.case_id).status == "dibatalkan", timeout=60, what="dibatalkan"
    )
    page = world.tracking_page(case2.code, case2.pin)
    assert "Dibatalkan" in page and "tidak ditindaklanjuti dalam waktu 2 (dua) bulan" in page
    assert f"/lacak/{case2.code}/lengkapi" not in page


# --- who sees what --------------------------------------------------------------------------------


def test_a_member_agency_gets_nothing_of_another_members_task_or_of_kemenpanrbs(
    world: World, clock: BrokerClock
):
    """A member agency not invited to the meeting (BRIN) opens an invited member's validation
    task and, later, the Deputy's task, the case's documents and the tracking page by URL;
    invited members (BSSN, Komdigi) open another member's task and the Deputy's: every answer
    refuses."""
    case2 = Case2()
    to_validation_started(world, case2, clock)
    tasks = member_tasks(world, case2)
    with world.sessions() as db:
        docs = [
            d.id
            for d in db.scalars(select(CaseDocument).where(CaseDocument.case_id == case2.case_id))
        ]
    assert len(docs) >= 3, "the receipt, the proposal letter and the proposal"
    secrets = (case2.code, PROPOSAL["namaAplikasi"], PROPOSAL["applicantName"])
    world.kept_out("brin", tasks["spbe-komdigi"].id, case2.code, docs, secrets)
    # An invited member reads the proposal (its documents) but not another member's task.
    theirs = tasks["spbe-komdigi"].id
    world.kept_out("bssn", theirs, case2.code, [], (f'href="/tugas/{theirs}"',))
    validate(world, case2, ["spbe-komdigi", "spbe-bssn"])
    deputy = world.open_task(case2.case_id, "Task_CatatHasilRapat")
    assert world.staff("deputi").get(f"/tugas/{deputy.id}").status_code == 200
    link = f'href="/tugas/{deputy.id}"'
    world.kept_out("brin", deputy.id, case2.code, docs, (*secrets, link))
    world.kept_out("komdigi", deputy.id, case2.code, [], (link,))


# --- the happy path in Chromium, as the real actors would drive it -------------------------------


@pytest.fixture(scope="module")
def live(world: World) -> Iterator[str]:
    with serving(world.app) as url:
        yield url


def propose_in_the_browser(page: Page, live: str) -> tuple[str, str]:
    page.goto(f"{live}/layanan/{SERVICE}")
    expect(page.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    assert problems_of(page) == []
    page.get_by_role("radio", name="Kementerian", exact=True).check()
    for label, key in (
        ("Nama instansi pengusul", "institutionName"),
        ("Pejabat pengusul", "pejabatPengusul"),
        ("Alamat instansi pengusul", "alamatPengusul"),
        ("Nama narahubung", "applicantName"),
        ("Jabatan narahubung", "applicantPosition"),
        ("Alamat e-mail narahubung", "applicantEmail"),
        ("Nomor telepon narahubung", "applicantPhone"),
        ("Perihal surat usulan", "subject"),
        ("Nomor surat usulan", "nomorSuratUsulan"),
        ("Nama aplikasi khusus", "namaAplikasi"),
        ("Uraian singkat aplikasi", "matter"),
    ):
        fill(page, label, PROPOSAL[key])
    dated = page.locator(".fjs-form-field-datetime", has_text="Tanggal surat usulan")
    type_date(page, dated, datetime.fromisoformat(PROPOSAL["tanggalSuratUsulan"]).date())
    sections = page.locator(
        ".fjs-form-field-checklist", has_text="Proposal dan data pendukung memuat"
    )
    for box in sections.get_by_role("checkbox").all():
        box.check()
    pickers = page.locator("input[type=file]")
    for n, name in enumerate(("surat-usulan.pdf", "proposal.pdf")):
        pickers.nth(n).set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
        )
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url(re.compile(r"/diterima$"))
    code = page.locator("#kode-pelacakan").inner_text().strip()
    return code, page.locator("#pin").inner_text().strip()


def test_a_proposal_runs_in_the_browser_to_the_ministers_signed_recommendation(
    world: World, live: str, clock: BrokerClock, new_page: Callable[[], Page]
):
    proposer = new_page()
    code, pin = propose_in_the_browser(proposer, live)
    case2 = Case2(code=code, pin=pin, case_id=world.started(code))

    staff = new_page()
    work(staff, live, "menteri", code, "Disposisi kepada Deputi")
    fill(staff, "Catatan disposisi Menteri", "Mohon dipelajari.")
    finish(staff)
    work(staff, live, "deputi", code, "Pelajari usulan dan disposisi kepada Asisten Deputi")
    fill(staff, "Hasil mempelajari usulan", "Usulan aplikasi khusus bidang kesehatan.")
    fill(staff, "Catatan disposisi kepada Asisten Deputi", "Uji kelengkapan dan telaah.")
    finish(staff)
    work(staff, live, "asdep", code, "Uji kelengkapan proposal dan persyaratan")
    staff.get_by_role("radio", name="Lengkap dan benar", exact=True).check()
    finish(staff)
    work(staff, live, "asdep", code, "Telaah, kaji dan analisis usulan")
    fill(staff, "Hasil telaahan", SUMMARY)
    finish(staff)
    # The engine's clock may run ahead of this machine's (other scenarios moved it): the
    # meeting is dated by the engine's day, which is never before this machine's.
    day = broker_now(clock).astimezone(WIB)
    work(staff, live, "deputi", code, "Undang rapat pembahasan usulan")
    type_datetime(staff, "Tanggal rapat", (day + timedelta(days=1)).replace(hour=9, minute=0))
    fill(staff, "Tempat rapat", "Ruang Rapat Deputi Kelembagaan, Kementerian PANRB")
    staff.get_by_role("checkbox", name="Kementerian Komunikasi dan Digital").check()
    finish(staff)
    work(staff, live, "komdigi", code, "Validasi dan analisis usulan oleh instansi anggota")
    staff.get_by_role("radio", name="Layak", exact=True).check()
    finish(staff)
    work(staff, live, "deputi", code, "Catat hasil rapat")
    type_date(
        staff, staff.locator(".fjs-form-field-datetime", has_text="Tanggal rapat"), day.date()
    )
    fill(staff, "Daftar hadir", "Deputi Bidang Kelembagaan dan Tata Laksana")
    fill(staff, "Notula rapat", "Kesesuaian usulan dengan Arsitektur SPBE Nasional dibahas.")
    fill(staff, "Hasil rapat", "Usulan dilanjutkan dengan perbaikan dokumen arsitektur.")
    fill(staff, "Yang harus ditindaklanjuti", FOLLOW_UP)
    finish(staff)

    proposer.goto(f"{live}/lacak")
    proposer.get_by_label("Kode pelacakan").fill(code)
    proposer.get_by_label("PIN").fill(pin)
    proposer.get_by_role("button", name="Lacak").click()
    expect(proposer.locator("#kekurangan-berkas")).to_contain_text(FOLLOW_UP)
    expect(proposer.locator("#kelengkapan-judul")).to_have_text("Hasil rapat perlu ditindaklanjuti")
    screenshot(proposer, "pertimbangan-spbe-tindak-lanjut")
    proposer.get_by_label("Berkas tambahan").set_input_files(
        files=[{"name": "arsitektur.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    proposer.get_by_role("button", name="Kirim berkas tambahan").click()
    expect(proposer.locator("#status")).to_have_text("Sedang diproses")

    work(staff, live, "asdep", code, "Pembahasan teknis dengan instansi pengusul")
    type_date(
        staff,
        staff.locator(".fjs-form-field-datetime", has_text="Tanggal pembahasan"),
        broker_now(clock).astimezone(WIB).date(),
    )
    fill(staff, "Peserta pembahasan", "Asisten Deputi\nPusdatin Kementerian Kesehatan")
    fill(staff, "Hasil pembahasan teknis", "Dokumen arsitektur telah sesuai.")
    staff.get_by_role("radio", name=re.compile("^Memadai")).check()
    finish(staff)
    work(staff, live, "deputi", code, "Teliti dan reviu hasil pembahasan")
    fill(staff, "Ringkasan hasil reviu", SUMMARY)
    staff.get_by_role("radio", name="Direkomendasikan", exact=True).check()
    finish(staff)
    work(staff, live, "deputi", code, "Siapkan surat pertimbangan/rekomendasi")
    with staff.expect_response(lambda r: r.url.endswith("/pratinjau")) as answered:
        staff.get_by_role("button", name="Pratinjau PDF").click()
    assert answered.value.ok
    finish(staff)
    work(staff, live, "menteri", code, "Tandatangani surat pertimbangan")
    staff.get_by_role("radio", name="Setujui dan tandatangani secara elektronik").check()
    finish(staff)
    wait_until(lambda: world.case(case2.case_id).status == "selesai", timeout=60, what="selesai")

    proposer.reload()
    expect(proposer.locator("#status")).to_have_text("Selesai")
    assert problems_of(proposer) == []
    letter = proposer.get_by_role(
        "link", name=re.compile(r"^Surat Pertimbangan dan Rekomendasi .*\.pdf$")
    )
    with proposer.expect_download() as download:
        letter.click()
    signed = Path(download.value.path()).read_bytes()
    assert "DIREKOMENDASIKAN" in pdf_text(signed)
    said = pdfsig(signed)
    assert said.valid and said.signer == STAFF["menteri"].name, said.output


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_the_proposal_form_reads_well_at_a_desktops_and_a_phones_width(
    world: World, live: str, browser: Browser, size: str
):
    """The service page: the seven sections of the proposal, the two files, in Bahasa,
    accessible, nothing sticking out sideways."""
    context = open_context(browser, size)
    page = context.new_page()
    page.goto(f"{live}/layanan/{SERVICE}")
    expect(page.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    expect(page.get_by_text("Sumber pembiayaan", exact=True)).to_be_visible()
    expect(
        page.get_by_text("Surat usulan Menteri/Pimpinan Lembaga/Kepala Daerah").first
    ).to_be_visible()
    screenshot(page, f"pertimbangan-spbe-formulir-{size}")
    assert problems_of(page) == [], size
    assert fits(page), size
    context.close()
