"""Scenarios of SOP 4 (seed 002, KASN) on the real broker, S3, database and SMTP server.

Applicants apply through the public intake, or the KASN Secretariat and reception register
them through the staff intake; staff work through the staff app's own HTTP endpoints (claim,
then submit the form, validated on the server); the broker's controlled clock stands in for
the days and hours that pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import select

from alur import workdays
from features.support.engine import Engine
from features.support.pdfsig import pdfsig
from features.support.sopworld import (
    Account,
    broker_now,
    move_past,
    pdf_text,
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
from storage import deployments, documents, letter_drafts
from storage.models import Case, CaseDocument, HumanTask, RegisterEntry

scenarios("sop4/konsultasi_kasn.feature")

WIB = ZoneInfo("Asia/Jakarta")
SERVICE = "konsultasi-kasn"
UNIT = "kasn"
PIMPINAN_EMAIL = "pimpinan@kasn.example.id"
STAFF = {
    "resepsionis": Account(
        "Nur Aini Rahmawati",
        "kasn.resepsionis",
        UNIT,
        "Pengadministrasi Umum",
        "199705142022032004",
    ),
    "sekretariat": Account(
        "Lia Kurniawati, A.Md.",
        "kasn.sekretariat",
        UNIT,
        "Pengadministrasi Persuratan",
        "199411262019022006",
    ),
    "pokja": Account(
        "Dr. Rahmat Santoso, M.P.A.",
        "kasn.pokja",
        UNIT,
        "Ketua Kelompok Kerja Pengawasan Bidang Pengisian Jabatan Pimpinan Tinggi",
        "197503212000031003",
    ),
    "asisten": Account(
        "Dimas Ardiansyah, S.IP.",
        "kasn.asisten",
        UNIT,
        "Asisten Komisioner Bidang Pengawasan Pengisian JPT",
        "199001072015031002",
    ),
    "pimpinan": Account(
        "Prof. Dr. Hariyanto Wibowo",
        "kasn.pimpinan",
        UNIT,
        "Wakil Ketua KASN",
        email=PIMPINAN_EMAIL,
    ),
}
#: Staff of other units: the same role in a unit outside KASN's tree, and another agency.
OUTSIDERS = {
    "asisten_bkn": Account("Yoga Pratama", "kasn.asisten", "bkn-pengawasan"),
    "petugas_panrb": Account("Rudi Hartono", "kemenpanrb.petugas", "kemenpanrb-kelembagaan"),
}
KASN_REGISTERS = ("/register/kasn/surat-masuk", "/register/kasn/surat-keluar")
UNITS = [
    (UNIT, "Komisi Aparatur Sipil Negara (KASN)", None),
    ("bkn-pengawasan", "Deputi Bidang Pengawasan BKN", None),
    ("kemenpanrb", "Kementerian PANRB", None),
    ("kemenpanrb-kelembagaan", "Deputi Kelembagaan dan Tata Laksana", "kemenpanrb"),
]
INTAKE = {
    "applicantName": "Dr. Bambang Sutrisno, M.Si.",
    "applicantPosition": "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "institutionName": "Pemerintah Kabupaten Banyumas",
    "applicantEmail": "bkpsdm@banyumaskab.example.id",
    "applicantPhone": "081327001122",
    "subject": "Konsultasi seleksi terbuka JPT Pratama",
    "matter": "Panitia seleksi tidak mengumumkan hasil uji kompetensi sebelum wawancara. "
    "Apakah hal ini melanggar sistem merit?",
}
LETTER_NUMBER = "800/117/BKPSDM/2026"
RESPONSE = "Hasil setiap tahapan seleksi wajib diumumkan sebelum tahapan berikutnya dimulai."
LEGAL_BASIS = (
    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara\n"
    "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil"
)
ATTENDEES = "Dr. Bambang Sutrisno, M.Si. (pemohon)\nDimas Ardiansyah, S.IP. (Asisten KASN)"
RESULT = "Pemohon memahami tahapan seleksi terbuka dan akan menyampaikan laporan tertulis."


@dataclass
class Case4:
    """What a scenario learnt about its case."""

    code: str = ""
    pin: str = ""
    case_id: int = 0
    reason: str = ""
    advice: str = ""
    response: str = RESPONSE
    meeting: datetime | None = None


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    resources = [REPO / "bpmn" / "kasn_konsultasi_merit.bpmn"]
    resources += sorted((REPO / "forms").glob("kasn-*.form"))
    resources += sorted((REPO / "forms").glob("surat-*.form"))
    folder = tmp_path_factory.mktemp("sop4")
    with running(stack, engine, folder, resources, STAFF | OUTSIDERS, UNITS) as world:
        yield world


@pytest.fixture
def case4() -> Case4:
    return Case4()


def started(world: World, case4: Case4, code: str, pin: str) -> None:
    case4.code, case4.pin = code, pin
    case4.case_id = world.started(code)


def attachments_of(world: World, case4: Case4, kind: str) -> list[bytes]:
    return world.attachments(case4.case_id, case4.code, kind, INTAKE["applicantEmail"])


# --- the service, the request ------------------------------------------------------------------


@given("the merit-system consultation service of KASN is deployed")
def _(world: World) -> None:
    page = world.app.test_client().get(f"/layanan/{SERVICE}").get_data(as_text=True)
    assert "Formulir permohonan" in page, "the intake is not open"
    # The seed's complaint channels are on the service's page.
    assert "lapor.kasn.go.id" in page and "wbs.kasn.go.id" in page and "021-7972098" in page


@when("an applicant sends a written consultation request through the online form")
def _(world: World, case4: Case4) -> None:
    client = world.app.test_client()
    page = client.get(f"/layanan/{SERVICE}").get_data(as_text=True)
    response = client.post(
        f"/layanan/{SERVICE}/ajukan",
        data={"csrf_token": csrf_of(page), "data": json.dumps(INTAKE)},
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )
    started(world, case4, *received(client, response))


def register(world: World, case4: Case4, who: str, channel: str, data: dict[str, Any]) -> None:
    """The staff intake (``/tugas/daftarkan``): the service's form and the channel."""
    client = world.staff(who)
    form = f"/tugas/daftarkan/{SERVICE}"
    page = client.get(form).get_data(as_text=True)
    assert "data-alur-form" in page, "the registration form is not offered"
    response = client.post(
        form,
        data={"csrf_token": csrf_of(page), "data": json.dumps(data), "saluran": channel},
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )
    started(world, case4, *received(client, response))


@when("the KASN Secretariat registers a consultation request that arrived by letter")
def _(world: World, case4: Case4) -> None:
    written = (date.today() - timedelta(days=3)).isoformat()
    data = {**INTAKE, "letterNumber": LETTER_NUMBER, "letterDate": written}
    register(world, case4, "sekretariat", "surat", data)


@then("the request is entered in the incoming-letter register of KASN")
def _(world: World, case4: Case4) -> None:
    title = world.wait_for_event(case4.case_id, r"^Dicatat dalam Agenda surat masuk KASN")
    assert re.search(r"nomor \d+/SM-KASN/[IVX]+/\d{4}$", title), title


# --- the tiered disposition and the review -----------------------------------------------------


@when("the KASN Secretariat dispositions it to the head of the working group")
def _(world: World, case4: Case4) -> None:
    world.complete(
        case4.case_id,
        "Task_DisposisiSekretariat",
        "sekretariat",
        {"urgency": "segera", "secretariatNote": "Mohon ditindaklanjuti."},
    )


@when("the head of the working group dispositions it to a KASN Assistant")
def _(world: World, case4: Case4) -> None:
    world.complete(
        case4.case_id,
        "Task_DisposisiPokja",
        "pokja",
        {"assignedAssistant": "Dimas Ardiansyah", "pokjaNote": "Telaah dan siapkan tanggapan."},
    )


@when("the KASN Assistant finds that the consultation can be processed")
def _(world: World, case4: Case4) -> None:
    world.complete(
        case4.case_id,
        "Task_TelaahPermohonan",
        "asisten",
        {"canBeProcessed": "ya", "reviewNote": "Termasuk pengawasan pengisian JPT."},
    )


@when(
    parsers.parse(
        'the KASN Assistant finds that it cannot be processed because "{reason}" and advises '
        '"{advice}"'
    )
)
def _(world: World, case4: Case4, reason: str, advice: str) -> None:
    case4.reason, case4.advice = reason, advice
    world.complete(
        case4.case_id,
        "Task_TelaahPermohonan",
        "asisten",
        {
            "canBeProcessed": "tidak",
            "reviewNote": "Telah ditelaah.",
            "unprocessableReason": reason,
            "applicantAdvice": advice,
        },
    )


@then("the applicant is told by e-mail and on the tracking page that it is being processed")
def _(world: World, case4: Case4) -> None:
    world.wait_for_event(case4.case_id, r"^Status permohonan: Sedang diproses — .*dapat diproses")

    def confirmation() -> list[str]:
        bodies = [str(m.get_body(("plain",)).get_content()) for m in world.mails(case4.code)]
        return [b for b in bodies if "dapat diproses" in b]

    wait_until(confirmation, timeout=30, what="the e-mail confirming it is being processed")
    [body] = confirmation()
    assert "paling lambat 1 minggu sejak konfirmasi ini" in " ".join(body.split()), body
    page = world.tracking_page(case4.code, case4.pin)
    assert "Permohonan konsultasi Anda dapat diproses" in page
    assert "Konfirmasi bahwa permohonan konsultasi Anda sedang diproses dikirim ke e-mail Anda" in (
        page
    )
    # Being processed is not yet decided: the response letter decides it.
    steps = re.findall(r'<li class="(reached|pending)"[^>]*>.*?<strong>([^<]+)</strong>', page)
    assert ("reached", "Sedang ditangani") in steps and ("pending", "Diputuskan") in steps, steps


@then("the response is due 1 week after that confirmation")
def _(world: World, case4: Case4, clock: BrokerClock) -> None:
    task = world.open_task(case4.case_id, "Task_AnalisisTanggapan")
    assert task.due_at is not None
    left = task.due_at - broker_now(clock)
    # 7 calendar days from the confirmation, a moment ago on the broker's clock
    assert timedelta(days=7) - timedelta(minutes=3) < left <= timedelta(days=7), left


@when("the KASN Assistant analyses the issue and drafts the response")
def _(world: World, case4: Case4) -> None:
    world.complete(
        case4.case_id,
        "Task_AnalisisTanggapan",
        "asisten",
        {
            "analysis": "Pengumuman hasil tiap tahapan adalah bagian dari keterbukaan seleksi.",
            "responseDraft": RESPONSE,
            "legalBasis": LEGAL_BASIS,
        },
    )


@when("the KASN Assistant sends the draft response up")
def _(world: World, case4: Case4) -> None:
    world.work_chain(case4.case_id, "Task_SusunTanggapan", "asisten", {})


@when("the head of the working group initials it")
def _(world: World, case4: Case4) -> None:
    world.work_chain(case4.case_id, "Task_ParafTanggapan", "pokja", {"keputusanDraf": "setuju"})


@when("the KASN leadership approves and signs it")
def _(world: World, case4: Case4) -> None:
    world.work_chain(
        case4.case_id, "Task_TandatanganiTanggapan", "pimpinan", {"keputusanDraf": "setuju"}
    )


@when(parsers.parse('the KASN leadership returns it with the note "{note}"'))
def _(world: World, case4: Case4, note: str) -> None:
    world.work_chain(
        case4.case_id,
        "Task_TandatanganiTanggapan",
        "pimpinan",
        {"keputusanDraf": "kembalikan", "catatanDraf": note},
    )


@then(parsers.parse('the KASN Assistant sees the note "{note}" on the draft'))
def _(world: World, case4: Case4, note: str) -> None:
    task_id = world.open_task(case4.case_id, "Task_SusunTanggapan").id
    page = world.staff("asisten").get(f"/tugas/{task_id}").get_data(as_text=True)
    assert note in page


@when(parsers.parse('the KASN Assistant revises the response to "{text}" and sends it up again'))
def _(world: World, case4: Case4, text: str) -> None:
    case4.response = text
    world.work_chain(case4.case_id, "Task_SusunTanggapan", "asisten", {"response": text})


@when(
    "the KASN Assistant sends the draft confirmation up and the head of the working group signs it"
)
def _(world: World, case4: Case4) -> None:
    world.work_chain(case4.case_id, "Task_SusunKonfirmasi", "asisten", {})
    world.work_chain(
        case4.case_id, "Task_TandatanganiKonfirmasi", "pokja", {"keputusanDraf": "setuju"}
    )


# --- the letters ------------------------------------------------------------------------------


def letter_mailed(world: World, case4: Case4, kind: str) -> tuple[str, str]:
    """The letter of ``kind`` e-mailed to the applicant: its text and its register number."""
    wait_until(
        lambda: bool(attachments_of(world, case4, kind)), timeout=60, what=f"the {kind} e-mail"
    )
    [letter] = attachments_of(world, case4, kind)
    with world.sessions() as db:
        entry = db.scalar(
            select(RegisterEntry).where(
                RegisterEntry.case_id == case4.case_id, RegisterEntry.kind == kind
            )
        )
        assert entry is not None and re.fullmatch(r"B-\d+/KASN/[IVX]+/\d{4}", entry.number)
        doc = db.scalar(
            select(CaseDocument).where(
                CaseDocument.case_id == case4.case_id, CaseDocument.kind == kind
            )
        )
        assert doc is not None and doc.public
    assert documents.read_document(world.stack.s3_client(), doc) == letter  # hash checked
    text = pdf_text(letter)
    assert entry.number in text and "KOMISI APARATUR SIPIL NEGARA" in text, text
    # Addressed to the applicant with the identity the seed requires.
    assert INTAKE["applicantName"] in text and INTAKE["institutionName"] in text, text
    return text, entry.number


@then(
    "a Surat Tanggapan atas Konsultasi is numbered in the outgoing-letter register of KASN and "
    "e-mailed to the applicant"
)
def _(world: World, case4: Case4) -> None:
    text, _ = letter_mailed(world, case4, "kasn_tanggapan")
    assert "Tanggapan atas konsultasi" in text
    assert RESPONSE in text
    assert "Nomor 20 Tahun 2023" in text and "Nomor 11 Tahun 2017" in text
    assert STAFF["pimpinan"].name in text
    page = world.tracking_page(case4.code, case4.pin)
    assert "Surat Tanggapan atas Konsultasi B-" in page  # the applicant downloads it there


@then(
    "a confirmation letter with the reason and the advice is numbered and e-mailed to the applicant"
)
def _(world: World, case4: Case4) -> None:
    text, _ = letter_mailed(world, case4, "kasn_konfirmasi")
    assert case4.reason in text and case4.advice in text
    assert LETTER_NUMBER in text  # it answers the applicant's own letter
    assert STAFF["pokja"].name in text


def signer_of(world: World, case4: Case4, kind: str) -> str:
    with world.sessions() as db:
        doc = db.scalar(
            select(CaseDocument).where(
                CaseDocument.case_id == case4.case_id, CaseDocument.kind == kind
            )
        )
    assert doc is not None
    said = pdfsig(documents.read_document(world.stack.s3_client(), doc))
    assert said.valid and said.whole_document, said.output
    return said.signer


@then("the letter is signed electronically by the KASN leadership")
def _(world: World, case4: Case4) -> None:
    assert signer_of(world, case4, "kasn_tanggapan") == STAFF["pimpinan"].name


@then("the letter is signed electronically by the head of the working group")
def _(world: World, case4: Case4) -> None:
    assert signer_of(world, case4, "kasn_konfirmasi") == STAFF["pokja"].name


@then("the response letter carries the revised response, initialled and signed on version 2")
def _(world: World, case4: Case4) -> None:
    text, _ = letter_mailed(world, case4, "kasn_tanggapan")
    assert case4.response in text and RESPONSE not in text
    with world.sessions() as db:
        decided = [
            (version, review.decision, review.username)
            for version, review in letter_drafts.reviews(db, case4.case_id, "tanggapan")
        ]
    assert decided == [
        (1, "paraf", "pokja"),
        (1, "kembalikan", "pimpinan"),
        (2, "paraf", "pokja"),
        (2, "tandatangan", "pimpinan"),
    ]


@then(parsers.parse('the case is closed as "{status}"'))
def _(world: World, case4: Case4, status: str) -> None:
    wait_until(lambda: world.case(case4.case_id).status == status, timeout=60, what=status)
    assert world.case(case4.case_id).closed_at is not None


@then("no time limit was breached")
def _(world: World, case4: Case4) -> None:
    assert world.case(case4.case_id).overdue_at is None
    assert not [t for t in world.timeline(case4.case_id) if t.startswith("Batas waktu terlampaui")]


# --- time limits --------------------------------------------------------------------------------


@when("more than 1 week passes before the analysis")
def _(world: World, case4: Case4, clock: BrokerClock) -> None:
    task = world.open_task(case4.case_id, "Task_AnalisisTanggapan")
    assert task.due_at is not None
    move_past(clock, task.due_at)


@then(parsers.parse('the case is marked overdue at "{step}" and the KASN leadership is e-mailed'))
def _(world: World, case4: Case4, step: str) -> None:
    world.wait_for_event(case4.case_id, re.escape(f"Batas waktu terlampaui: {step}"))
    assert world.case(case4.case_id).overdue_at is not None

    def told() -> list[Any]:
        return [m for m in world.mails(case4.code) if m["To"] == PIMPINAN_EMAIL]

    wait_until(lambda: bool(told()), timeout=30, what="the e-mail to the leadership")
    assert step in str(told()[0]["Subject"])


@then("the draft response waits for the KASN Assistant")
def _(world: World, case4: Case4) -> None:
    task = world.open_task(case4.case_id, "Task_SusunTanggapan")
    assert task.candidate_groups == ["kasn.asisten"]


# --- face to face ---------------------------------------------------------------------------------


@given("it is 09.00 on a working day at the KASN office")
def _(world: World, clock: BrokerClock) -> None:
    now = broker_now(clock).astimezone(WIB)
    settings = world.app.extensions["alur.settings"]
    calendar = workdays.calendar_for(settings.calendar_file, "kasn", range(now.year, now.year + 2))
    day = now.date() if now.time() < time(8, 55) else now.date() + timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    target = datetime.combine(day, time(9, 0), tzinfo=WIB)
    clock.add(int((target - broker_now(clock)).total_seconds() * 1000))


@when("a visitor comes to the KASN office and registers as a guest at reception")
def _(world: World, case4: Case4) -> None:
    register(world, case4, "resepsionis", "tatap_muka", INTAKE)
    assert world.case(case4.case_id).channel == "tatap_muka"


@when(
    parsers.parse(
        "the KASN Assistant agrees the meeting time with the field concerned for {hour} that day"
    )
)
def _(world: World, case4: Case4, clock: BrokerClock, hour: str) -> None:
    hours, minutes = (int(part) for part in hour.split("."))
    day = broker_now(clock).astimezone(WIB).date()
    case4.meeting = datetime.combine(day, time(hours, minutes), tzinfo=WIB)
    world.complete(
        case4.case_id,
        "Task_KoordinasiWaktu",
        "asisten",
        {
            "meetingField": "Bidang Pengawasan Pengisian JPT Instansi Daerah",
            "meetingTime": case4.meeting.strftime("%Y-%m-%dT%H:%M+07:00"),
            "meetingPlace": "Ruang Konsultasi Lantai 2",
            "meetingOfficer": "Dimas Ardiansyah, S.IP.",
        },
    )


@then("the consultation can only be recorded as held once the meeting time has come")
def _(world: World, case4: Case4) -> None:
    # The rule is in the diagram the case runs on: the only way into "Laksanakan konsultasi
    # tatap muka" passes a timer that waits for the meeting time the Assistant agreed.
    with world.sessions() as db:
        case = db.get(Case, case4.case_id)
        assert case is not None and case.process_definition_key is not None
        xml = deployments.content_of(db, "process", case.process_definition_key)
    assert xml is not None
    tree = etree.fromstring(xml.encode())
    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    [into] = tree.xpath("//bpmn:sequenceFlow[@targetRef='Task_LaksanakanTatapMuka']", namespaces=ns)
    [timer] = tree.xpath(
        f"//bpmn:intermediateCatchEvent[@id='{into.get('sourceRef')}']", namespaces=ns
    )
    assert timer.xpath("string(.//bpmn:timeDate)", namespaces=ns).strip() == "=meetingTime"
    with world.sessions() as db:
        early = db.scalar(
            select(HumanTask).where(
                HumanTask.case_id == case4.case_id,
                HumanTask.element_id == "Task_LaksanakanTatapMuka",
            )
        )
    assert early is None


@when("the meeting time comes")
def _(case4: Case4, clock: BrokerClock) -> None:
    assert case4.meeting is not None
    move_past(clock, case4.meeting)


@when("the KASN Assistant holds the consultation and records who attended and the result")
def _(world: World, case4: Case4) -> None:
    world.complete(
        case4.case_id,
        "Task_LaksanakanTatapMuka",
        "asisten",
        {
            "meetingAttendees": ATTENDEES,
            "meetingResult": RESULT,
        },
    )


@then("the applicant reads the result of the consultation on the tracking page")
def _(world: World, case4: Case4) -> None:
    page = world.tracking_page(case4.code, case4.pin)
    assert '<span id="status">Selesai</span>' in page
    assert f"Konsultasi tatap muka telah dilaksanakan. Hasil: {RESULT}" in page


@then(
    "the applicant downloads there the record of the consultation, numbered in KASN's outgoing "
    "register, naming who attended and the officer who held it"
)
def _(world: World, case4: Case4) -> None:
    applicant, page = world.applicant(case4.code, case4.pin)
    [link] = re.findall(r'<a href="(/[^"]+)">(Catatan Hasil Konsultasi Tatap Muka [^<]+)</a>', page)
    record = applicant.get(link[0])
    assert record.status_code == 200 and record.mimetype == "application/pdf"
    text = pdf_text(record.data)
    number = re.search(r"Nomor: (B-\d+/KASN/[IVX]+/\d{4})", text)
    assert number, text
    assert "CATATAN HASIL KONSULTASI TATAP MUKA" in text
    assert RESULT in text and INTAKE["applicantName"] in text
    assert "Dimas Ardiansyah, S.IP. (Asisten KASN)" in text
    # signed by name by the officer who completed the consultation's task
    assert STAFF["asisten"].name in text and "Petugas Konsultasi" in text
    with world.sessions() as db:
        entry = db.scalar(
            select(RegisterEntry).where(
                RegisterEntry.case_id == case4.case_id,
                RegisterEntry.kind == "kasn_catatan_tatap_muka",
            )
        )
    assert entry is not None and entry.number == number.group(1)


@when("the working day ends without a meeting time agreed")
def _(world: World, case4: Case4, clock: BrokerClock) -> None:
    task = world.open_task(case4.case_id, "Task_KoordinasiWaktu")
    assert task.due_at is not None
    assert task.due_at.astimezone(WIB).time() == time(16, 0)  # end of KASN's working hours
    move_past(clock, task.due_at)


# --- who sees what ---------------------------------------------------------------------------


def test_staff_of_another_unit_get_nothing_of_a_kasn_case(world: World):
    """The same role in a unit outside KASN, or another agency's officer, opening a KASN
    task, its draft, its documents, the case's tracking page or KASN's registers by URL."""
    case4 = Case4()
    client = world.app.test_client()
    page = client.get(f"/layanan/{SERVICE}").get_data(as_text=True)
    response = client.post(
        f"/layanan/{SERVICE}/ajukan",
        data={"csrf_token": csrf_of(page), "data": json.dumps(INTAKE)},
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )
    started(world, case4, *received(client, response))
    world.complete(case4.case_id, "Task_DisposisiSekretariat", "sekretariat", {"urgency": "biasa"})
    world.complete(case4.case_id, "Task_DisposisiPokja", "pokja", {"assignedAssistant": "Dimas"})
    world.complete(
        case4.case_id,
        "Task_TelaahPermohonan",
        "asisten",
        {"canBeProcessed": "ya", "reviewNote": "Dapat diproses."},
    )
    world.complete(
        case4.case_id,
        "Task_AnalisisTanggapan",
        "asisten",
        {"analysis": "Ditelaah.", "responseDraft": RESPONSE},
    )
    task = world.open_task(case4.case_id, "Task_SusunTanggapan")
    with world.sessions() as db:
        docs = list(db.scalars(select(CaseDocument).where(CaseDocument.case_id == case4.case_id)))
    assert docs, "the receipt is a document of the case"
    # KASN's Assistant opens it all (the check below is not vacuous).
    insider = world.staff("asisten")
    assert insider.get(f"/tugas/{task.id}").status_code == 200
    assert insider.get(f"/tugas/{task.id}/draf.pdf").status_code == 200
    secrets = (case4.code, INTAKE["applicantName"], f'href="/tugas/{task.id}"', RESPONSE)
    for outsider, account in OUTSIDERS.items():
        # An agency's registers are read by the holders of its roles (``numbering.may_read``):
        # only another agency's officer is kept out of them.
        registers = () if account.role.startswith("kasn.") else KASN_REGISTERS
        world.kept_out(outsider, task.id, case4.code, [d.id for d in docs], secrets, registers)


# --- the happy path in Chromium, as the real actors would drive it ------------------------------


@pytest.fixture(scope="module")
def live(world: World) -> Iterator[str]:
    with serving(world.app) as url:
        yield url


def test_a_written_consultation_runs_in_the_browser_from_request_to_signed_letter(
    world: World, live: str, new_page: Callable[[], Page]
):
    citizen = new_page()
    citizen.goto(f"{live}/layanan/{SERVICE}")
    expect(citizen.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    assert problems_of(citizen) == []
    fill(citizen, "Nama pemohon", INTAKE["applicantName"])
    fill(citizen, "Keterangan jabatan", INTAKE["applicantPosition"])
    fill(citizen, "Lembaga/instansi yang bersangkutan", INTAKE["institutionName"])
    fill(citizen, "Alamat e-mail", INTAKE["applicantEmail"])
    fill(citizen, "Nomor telepon", INTAKE["applicantPhone"])
    fill(citizen, "Perihal", INTAKE["subject"])
    fill(citizen, "Substansi permasalahan konsultasi", INTAKE["matter"])
    citizen.get_by_role("button", name="Kirim permohonan").click()
    citizen.wait_for_url(re.compile(r"/diterima$"))
    code = citizen.locator("#kode-pelacakan").inner_text().strip()
    pin = citizen.locator("#pin").inner_text().strip()
    case4 = Case4()
    started(world, case4, code, pin)

    staff_page = new_page()
    work(staff_page, live, "sekretariat", code, "Disposisi Sekretariat KASN")
    staff_page.get_by_role("radio", name="Segera", exact=True).check()
    fill(staff_page, "Catatan disposisi", "Mohon ditindaklanjuti.")
    finish(staff_page)

    work(staff_page, live, "pokja", code, "Disposisi Ketua Kelompok Kerja")
    fill(staff_page, "Asisten KASN yang ditunjuk", "Dimas Ardiansyah")
    finish(staff_page)

    work(staff_page, live, "asisten", code, "Telaah permohonan")
    # The form asks for the reason only when the request cannot be processed.
    reason = staff_page.get_by_label("Alasan tidak dapat diproses", exact=False)
    staff_page.get_by_role("radio", name="Tidak dapat diproses").check()
    expect(reason).to_be_visible()
    staff_page.get_by_role("radio", name="Ya, dapat diproses").check()
    expect(reason).to_have_count(0)
    fill(staff_page, "Hasil telaah", "Termasuk pengawasan pengisian JPT.")
    finish(staff_page)

    work(staff_page, live, "asisten", code, "Analisis dan susun konsep tanggapan")
    fill(staff_page, "Analisis permasalahan", "Keterbukaan tahapan seleksi.")
    fill(staff_page, "Konsep tanggapan", RESPONSE)
    fill(staff_page, "Ketentuan peraturan", LEGAL_BASIS)
    finish(staff_page)

    # The Assistant checks the draft (its PDF preview) and sends it up; the head of the working
    # group initials it; the leadership signs it electronically.
    work(staff_page, live, "asisten", code, "Periksa draf surat tanggapan")
    with staff_page.expect_response(lambda r: r.url.endswith("/pratinjau")) as answered:
        staff_page.get_by_role("button", name="Pratinjau PDF").click()
    preview = answered.value
    assert preview.ok and preview.headers["content-type"] == "application/pdf"
    finish(staff_page)
    work(staff_page, live, "pokja", code, "Paraf Ketua Kelompok Kerja")
    staff_page.get_by_role("radio", name="Setujui dan bubuhkan paraf").check()
    finish(staff_page)
    work(staff_page, live, "pimpinan", code, "Setujui dan tandatangani surat tanggapan")
    staff_page.get_by_role("radio", name="Setujui dan tandatangani secara elektronik").check()
    finish(staff_page)
    # The letter is issued, sent and the case closed by the workers; the tracking page shows
    # what is there when it is opened.
    wait_until(lambda: world.case(case4.case_id).status == "selesai", timeout=60, what="selesai")

    applicant = new_page()
    applicant.goto(f"{live}/lacak")
    applicant.get_by_label("Kode pelacakan").fill(code)
    applicant.get_by_label("PIN").fill(pin)
    applicant.get_by_role("button", name="Lacak").click()
    expect(applicant.locator("#status")).to_have_text("Selesai")
    assert problems_of(applicant) == []
    letter = applicant.get_by_role(
        "link", name=re.compile(r"^Surat Tanggapan atas Konsultasi .*\.pdf$")
    )
    with applicant.expect_download() as download:
        letter.click()
    signed = Path(download.value.path()).read_bytes()
    assert RESPONSE in pdf_text(signed) and STAFF["pimpinan"].name in pdf_text(signed)
    said = pdfsig(signed)
    assert said.valid and said.signer == STAFF["pimpinan"].name, said.output
