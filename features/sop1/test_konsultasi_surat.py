"""Scenarios of SOP 1 (seed 000) on the real broker, S3, database and SMTP server.

Applicants apply through the public intake and staff work through the staff app's own HTTP
endpoints (claim, then submit the form, validated on the server); the broker's controlled
clock stands in for the days that pass.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import func, select

from features.support.engine import Engine
from features.support.pdfsig import pdfsig
from features.support.sopworld import (
    Account,
    broker_now,
    move_past,
    pdf_text,
    running,
)
from features.support.sopworld import SopWorld as World
from features.support.staffpages import fill, finish, type_datetime, work
from features.web.conftest import csrf_of, serving
from features.web.test_pages import problems_of
from stack.local import REPO, Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import cases, deployments, documents
from storage.models import Case, CaseDocument, RegisterEntry

scenarios("sop1/konsultasi_surat.feature")

WIB = ZoneInfo("Asia/Jakarta")
UNIT = "kemenpanrb-kelembagaan"
PIMPINAN_EMAIL = "pimpinan@menpan.example.id"
APPLICANT_EMAIL = "kominfo@sleman.example.id"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NIP = "198001012005011001"
STAFF = {
    "pimpinan": Account(
        "Dr. Aba Subagja, M.Si.",
        "kemenpanrb.pimpinan",
        UNIT,
        "Asisten Deputi Kelembagaan",
        NIP,
        PIMPINAN_EMAIL,
    ),
    "petugas": Account(
        "Rudi Hartono, S.Sos.", "kemenpanrb.petugas", UNIT, "Analis Kebijakan Ahli Muda", NIP
    ),
}
UNITS = [
    ("kemenpanrb", "Kementerian PANRB", None),
    (UNIT, "Deputi Kelembagaan dan Tata Laksana", "kemenpanrb"),
]


@dataclass
class Case1:
    """What a scenario learnt about its case."""

    code: str = ""
    case_id: int = 0
    response: Any = None
    schedule: datetime | None = None
    mode: str = ""
    reason: str = ""
    advice: str = ""
    #: Before a refused submission: the cases in the database, the instances Zeebe created.
    cases_before: int = -1
    instances_before: int = -1


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    resources = [REPO / "bpmn" / "kemenpanrb_konsultasi_surat.bpmn"]
    resources += sorted((REPO / "forms").glob("kemenpanrb-konsultasi-*.form"))
    resources += sorted((REPO / "forms").glob("surat-*.form"))
    with running(stack, engine, tmp_path_factory.mktemp("sop1"), resources, STAFF, UNITS) as world:
        yield world


@pytest.fixture
def case1() -> Case1:
    return Case1()


@given("the consultation service of KemenPAN-RB is deployed")
def _(world: World) -> None:
    page = world.app.test_client().get("/layanan/konsultasi-kemenpanrb").get_data(as_text=True)
    assert "Formulir permohonan" in page, "the intake is not open"


def submit(world: World, case1: Case1, with_identity: bool) -> None:
    client = world.app.test_client()
    page = client.get("/layanan/konsultasi-kemenpanrb").get_data(as_text=True)
    data = {
        "applicantType": "institusi",
        "applicantName": "Dinas Kominfo Kabupaten Sleman",
        "institutionName": "Pemerintah Kabupaten Sleman",
        "applicantEmail": APPLICANT_EMAIL,
        "applicantPhone": "081234567890",
        "topic": "spbe",
        "subject": "Konsultasi arsitektur SPBE daerah",
        "matter": "Penyusunan arsitektur SPBE pemerintah daerah.",
        "purpose": "Mendapat arahan penyusunan arsitektur SPBE.",
        "requestedTime": (datetime.now(WIB) + timedelta(days=30)).strftime("%Y-%m-%dT10:00+07:00"),
        "identityDocument": "files::ktp",
    }
    body: dict[str, Any] = {"csrf_token": csrf_of(page), "data": json.dumps(data)}
    if with_identity:
        body["files::ktp"] = (io.BytesIO(PDF), "ktp.pdf")
    case1.response = client.post(
        "/layanan/konsultasi-kemenpanrb/ajukan",
        data=body,
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )
    if case1.response.status_code == 201:
        received = client.get(case1.response.get_json()["redirect"]).get_data(as_text=True)
        match = re.search(r'id="kode-pelacakan">([^<]+)<', received)
        assert match
        case1.code = match.group(1)
        with world.sessions() as db:
            found = cases.by_code(db, case1.code)
            assert found is not None
            case1.case_id = found.id


@when("an applicant submits a consultation request with an identity card")
def _(world: World, case1: Case1) -> None:
    before = instances_created(world)
    submit(world, case1, with_identity=True)
    assert case1.response.status_code == 201, case1.response.get_json()
    # The count "no process is started" reads does count the instance an intake starts.
    assert instances_created(world) == before + 1


@when("an applicant submits a consultation request without an identity card")
def _(world: World, case1: Case1) -> None:
    case1.cases_before = count_cases(world)
    case1.instances_before = instances_created(world)
    submit(world, case1, with_identity=False)


def count_cases(world: World) -> int:
    with world.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(Case)) or 0)


#: The broker's count of process instances it created, per partition and creation mode.
CREATIONS = re.compile(r"^zeebe_process_instance_creations_total\{[^}]*\} (\S+)$", re.M)


def instances_created(world: World) -> int:
    """How many process instances the broker created since it started (of any process), as
    its own metrics tell (Zeebe has no query for instances without Operate)."""
    url = f"{world.stack.zeebe.management_url}/actuator/prometheus"
    with urllib.request.urlopen(url, timeout=10) as response:
        text = response.read().decode()
    assert "zeebe_" in text, "the broker's metrics are not served"
    return sum(int(float(value)) for value in CREATIONS.findall(text))


@then("the applicant is told that the identity card is missing")
def _(case1: Case1) -> None:
    assert case1.response.status_code == 400
    assert case1.response.get_json()["errors"] == {
        "identityDocument": "Unggah berkas untuk isian ini."
    }


@then("no case is recorded and the engine starts no process")
def _(world: World, case1: Case1) -> None:
    assert count_cases(world) == case1.cases_before
    assert instances_created(world) == case1.instances_before


@then("the request is entered in the incoming-letter register")
def _(world: World, case1: Case1) -> None:
    title = world.wait_for_event(case1.case_id, r"^Dicatat dalam Agenda surat masuk")
    assert re.search(r"nomor \d+/SM/[IVX]+/\d{4}$", title)


def attachments_of(world: World, case1: Case1, kind: str) -> list[bytes]:
    return world.attachments(case1.case_id, case1.code, kind, APPLICANT_EMAIL)


@then("the applicant receives the receipt by e-mail")
def _(world: World, case1: Case1) -> None:
    wait_until(lambda: attachments_of(world, case1, "tanda_terima"), timeout=20, what="the receipt")
    [receipt] = attachments_of(world, case1, "tanda_terima")
    assert case1.code in pdf_text(receipt)


@when("the leadership dispositions it to an officer")
def _(world: World, case1: Case1) -> None:
    world.complete(
        case1.case_id,
        "Task_DisposisiPimpinan",
        "pimpinan",
        {"officers": "Rudi Hartono", "dispositionNote": "Mohon ditelaah."},
    )


@when("the officer's analysis finds that the consultation can be held")
def _(world: World, case1: Case1) -> None:
    world.complete(
        case1.case_id,
        "Task_AnalisisKonsultasi",
        "petugas",
        {"canBeHeld": "ya", "analysis": "Materi sesuai kewenangan."},
    )


@when(
    parsers.parse(
        'the officer\'s analysis finds that the consultation cannot be held because "{reason}"'
    )
)
def _(world: World, case1: Case1, reason: str) -> None:
    case1.reason = reason
    world.complete(
        case1.case_id,
        "Task_AnalisisKonsultasi",
        "petugas",
        {"canBeHeld": "tidak", "analysis": "Telah ditelaah.", "rejectionReason": reason},
    )


@when(parsers.parse("the officer sets a {mode} consultation with a schedule and a contact person"))
def _(world: World, case1: Case1, clock: BrokerClock, mode: str) -> None:
    day = broker_now(clock).astimezone(WIB).date() + timedelta(days=2)
    case1.schedule = datetime(day.year, day.month, day.day, 9, 0, tzinfo=WIB)
    case1.mode = mode
    world.complete(
        case1.case_id,
        "Task_TetapkanJadwal",
        "petugas",
        {
            "mode": mode,
            "schedule": case1.schedule.strftime("%Y-%m-%dT%H:%M+07:00"),
            "venue": "Ruang Rapat Lantai 3"
            if mode == "tatap_muka"
            else "https://rapat.example.id/x",
            "contactName": "Rudi Hartono",
            "contact": "0812 1111 2222",
        },
    )


#: The draft chains of SOP 1: (drafting task, signing task) by letter.
CHAINS = {
    "reply": ("Task_PeriksaDrafJawaban", "Task_TandatanganiJawaban"),
    "rejection": ("Task_PeriksaDrafPenolakan", "Task_TandatanganiPenolakan"),
}


@when(parsers.parse("the officer sends the draft {letter} up and the leadership signs it"))
def _(world: World, case1: Case1, letter: str) -> None:
    drafting, signing = CHAINS[letter]
    world.work_chain(case1.case_id, drafting, "petugas", {})
    world.work_chain(case1.case_id, signing, "pimpinan", {"keputusanDraf": "setuju"})


@when(parsers.parse("the officer sends the draft {letter} up"))
def _(world: World, case1: Case1, letter: str) -> None:
    world.work_chain(case1.case_id, CHAINS[letter][0], "petugas", {})


@when(parsers.parse('the leadership returns it with the note "{note}"'))
def _(world: World, case1: Case1, note: str) -> None:
    signing = CHAINS["rejection"][1]
    world.work_chain(
        case1.case_id, signing, "pimpinan", {"keputusanDraf": "kembalikan", "catatanDraf": note}
    )


@when(parsers.parse('the officer adds the advice "{advice}" and sends it up again'))
def _(world: World, case1: Case1, advice: str) -> None:
    task_id = world.open_task(case1.case_id, CHAINS["rejection"][0]).id
    page = world.staff("petugas").get(f"/tugas/{task_id}").get_data(as_text=True)
    assert "Sebutkan instansi yang berwenang." in page, "the drafter sees the return note"
    case1.advice = advice
    world.work_chain(case1.case_id, CHAINS["rejection"][0], "petugas", {"advice": advice})


@when("the leadership signs it")
def _(world: World, case1: Case1) -> None:
    world.work_chain(case1.case_id, CHAINS["rejection"][1], "pimpinan", {"keputusanDraf": "setuju"})


@then("the letter is signed electronically by the leadership")
def _(world: World, case1: Case1) -> None:
    with world.sessions() as db:
        doc = db.scalar(
            select(CaseDocument).where(
                CaseDocument.case_id == case1.case_id,
                CaseDocument.kind.in_(("konsultasi_jawaban", "konsultasi_penolakan")),
            )
        )
    assert doc is not None
    said = pdfsig(documents.read_document(world.stack.s3_client(), doc))
    assert said.valid and said.whole_document, said.output
    assert said.signer == STAFF["pimpinan"].name, said.output


def letter_mailed(world: World, case1: Case1, kind: str) -> str:
    wait_until(lambda: attachments_of(world, case1, kind), timeout=30, what=f"the {kind} e-mail")
    [letter] = attachments_of(world, case1, kind)
    with world.sessions() as db:
        entry = db.scalar(
            select(RegisterEntry).where(
                RegisterEntry.case_id == case1.case_id, RegisterEntry.kind == kind
            )
        )
        assert entry is not None and re.fullmatch(r"B-\d+/KL\.01/[IVX]+/\d{4}", entry.number)
        doc = db.scalar(
            select(CaseDocument).where(
                CaseDocument.case_id == case1.case_id, CaseDocument.kind == kind
            )
        )
        assert doc is not None and doc.public
    assert documents.read_document(world.stack.s3_client(), doc) == letter  # hash checked
    text = pdf_text(letter)
    assert entry.number in text and "Aba Subagja" in text
    return text


@then(
    "a reply letter with the schedule and the contact person is numbered and e-mailed to the "
    "applicant"
)
def _(world: World, case1: Case1) -> None:
    text = letter_mailed(world, case1, "konsultasi_jawaban")
    assert case1.schedule is not None
    assert "pukul 09.00 WIB" in text and "Rudi Hartono" in text
    assert ("daring" in text) == (case1.mode == "daring")


@then("a rejection letter with the reason and the advice is numbered and e-mailed to the applicant")
def _(world: World, case1: Case1) -> None:
    text = " ".join(letter_mailed(world, case1, "konsultasi_penolakan").split())
    assert case1.reason in text and case1.advice in text


@then("the consultation can only be recorded as held once its scheduled time has come")
def _(world: World, case1: Case1) -> None:
    # The rule is in the diagram the case runs on: the only way into "Laksanakan konsultasi"
    # passes a timer that waits for the schedule the officer set.
    with world.sessions() as db:
        case = world.case(case1.case_id)
        assert case.process_definition_key is not None
        xml = deployments.content_of(db, "process", case.process_definition_key)
    assert xml is not None
    tree = etree.fromstring(xml.encode())
    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    [into] = tree.xpath(
        "//bpmn:sequenceFlow[@targetRef='Task_LaksanakanKonsultasi']", namespaces=ns
    )
    [timer] = tree.xpath(
        f"//bpmn:intermediateCatchEvent[@id='{into.get('sourceRef')}']", namespaces=ns
    )
    assert timer.xpath("string(.//bpmn:timeDate)", namespaces=ns).strip() == "=schedule"
    assert not [t for t in world.timeline(case1.case_id) if t.startswith("Laksanakan konsultasi")]


@when("the scheduled time comes")
def _(clock: BrokerClock, case1: Case1) -> None:
    assert case1.schedule is not None
    move_past(clock, case1.schedule)


@when("the officer records the consultation as held")
def _(world: World, case1: Case1) -> None:
    world.complete(
        case1.case_id,
        "Task_LaksanakanKonsultasi",
        "petugas",
        {"attendees": "Tim Kominfo Sleman; Rudi Hartono", "result": "Arahan arsitektur diberikan."},
    )


@then(parsers.parse('the case is closed as "{status}"'))
def _(world: World, case1: Case1, status: str) -> None:
    wait_until(lambda: world.case(case1.case_id).status == status, timeout=30, what=status)
    assert world.case(case1.case_id).closed_at is not None


@then("no time limit was breached")
def _(world: World, case1: Case1) -> None:
    assert world.case(case1.case_id).overdue_at is None
    assert not [t for t in world.timeline(case1.case_id) if t.startswith("Batas waktu terlampaui")]


@when("more than 1 day passes before the analysis")
def _(world: World, case1: Case1, clock: BrokerClock) -> None:
    task = world.open_task(case1.case_id, "Task_AnalisisKonsultasi")
    assert task.due_at is not None
    move_past(clock, task.due_at)


@when("more than 3 days pass without the consultation")
def _(world: World, case1: Case1, clock: BrokerClock) -> None:
    task = world.open_task(case1.case_id, "Task_LaksanakanKonsultasi")
    assert task.due_at is not None
    move_past(clock, task.due_at)


@then(parsers.parse('the case is marked overdue at "{step}" and the leadership is e-mailed'))
def _(world: World, case1: Case1, step: str) -> None:
    world.wait_for_event(case1.case_id, re.escape(f"Batas waktu terlampaui: {step}"))
    assert world.case(case1.case_id).overdue_at is not None

    def told() -> list[Any]:
        return [m for m in world.mails(case1.code) if m["To"] == PIMPINAN_EMAIL]

    wait_until(lambda: told(), timeout=20, what="the e-mail to the leadership")


# The happy path in Chromium, as the real actors would drive it ##############################


@pytest.fixture(scope="module")
def live(world: World) -> Iterator[str]:
    with serving(world.app) as url:
        yield url


def test_the_consultation_runs_in_the_browser_from_request_to_letter(
    world: World, live: str, new_page: Callable[[], Page], clock: BrokerClock
):
    citizen = new_page()
    citizen.goto(f"{live}/layanan/konsultasi-kemenpanrb")
    expect(citizen.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    assert problems_of(citizen) == []
    citizen.locator(".fjs-form-field", has_text="Pemohon").locator(".fjs-select-display").click()
    citizen.get_by_text("Institusi/instansi", exact=True).click()
    fill(citizen, "Nama pemohon", "Dinas Kominfo Kabupaten Sleman")
    fill(citizen, "Alamat e-mail", "kominfo@sleman.example.id")
    fill(citizen, "Nomor telepon", "081234567890")
    citizen.get_by_role("radio", name="Sistem Pemerintahan Berbasis Elektronik (SPBE)").check()
    fill(citizen, "Perihal", "Konsultasi arsitektur SPBE daerah")
    fill(citizen, "Materi konsultasi", "Penyusunan arsitektur SPBE pemerintah daerah.")
    fill(citizen, "Maksud dan tujuan", "Mendapat arahan penyusunan arsitektur SPBE.")
    type_datetime(citizen, "Tanggal konsultasi", datetime.now(WIB) + timedelta(days=30))
    citizen.locator("input[type=file]").set_input_files(
        files=[{"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    citizen.get_by_role("button", name="Kirim permohonan").click()
    citizen.wait_for_url(re.compile(r"/diterima$"))
    code = citizen.locator("#kode-pelacakan").inner_text().strip()
    pin = citizen.locator("#pin").inner_text().strip()

    staff_page = new_page()
    work(staff_page, live, "pimpinan", code, "Disposisi pimpinan")
    fill(staff_page, "Petugas/pegawai yang ditunjuk", "Rudi Hartono")
    finish(staff_page)

    work(staff_page, live, "petugas", code, "Analisis konsultasi")
    # The form asks for a rejection reason only when the consultation cannot be held.
    reason = staff_page.get_by_label("Alasan penolakan", exact=False)
    staff_page.get_by_role("radio", name="Tidak dapat dilaksanakan").check()
    expect(reason).to_be_visible()
    staff_page.get_by_role("radio", name="Ya, dapat dilaksanakan").check()
    expect(reason).to_have_count(0)
    fill(staff_page, "Hasil analisis", "Materi sesuai kewenangan.")
    finish(staff_page)

    when = datetime.fromtimestamp(clock.now_ms() / 1000, UTC).astimezone(WIB) + timedelta(days=2)
    work(staff_page, live, "petugas", code, "Tetapkan jadwal dan narahubung")
    staff_page.get_by_role("radio", name="Daring").check()
    type_datetime(staff_page, "Tanggal pelaksanaan", when.replace(hour=9, minute=0))
    fill(staff_page, "Tempat (tatap muka) atau tautan rapat", "https://rapat.example.id/sleman")
    fill(staff_page, "Nama narahubung", "Rudi Hartono")
    fill(staff_page, "Telepon/e-mail narahubung", "0812 1111 2222")
    finish(staff_page)

    # The officer checks the draft (its PDF preview opens in a new tab) and sends it up; the
    # leadership signs it electronically.
    work(staff_page, live, "petugas", code, "Periksa draf surat jawaban")
    fill(staff_page, "Nama narahubung", "Rudi Hartono, S.Sos.")
    with staff_page.expect_response(lambda r: r.url.endswith("/pratinjau")) as answered:
        staff_page.get_by_role("button", name="Pratinjau PDF").click()
    preview = answered.value
    assert preview.ok and preview.headers["content-type"] == "application/pdf"
    sent = preview.request.post_data or ""  # multipart: the form's data, as JSON
    assert '"contact_name":"Rudi Hartono, S.Sos."' in sent, "the preview is of the unsaved text"
    finish(staff_page)
    work(staff_page, live, "pimpinan", code, "Tandatangani surat jawaban")
    staff_page.get_by_role("radio", name="Setujui dan tandatangani secara elektronik").check()
    finish(staff_page)
    with world.sessions() as db:
        case_id = cases.by_code(db, code).id  # type: ignore[union-attr]
    # The broker's clock jumps next: let the letter's job finish on the time it began with.
    wait_until(
        lambda: any(
            t.startswith("Surat Jawaban Konsultasi nomor") for t in world.timeline(case_id)
        ),
        timeout=60,
        what="the signed reply letter",
    )

    # "Laksanakan konsultasi" reaches the inbox at the scheduled time (a timer in the diagram).
    move_past(clock, when.replace(hour=9, minute=0))
    work(staff_page, live, "petugas", code, "Laksanakan konsultasi")
    fill(staff_page, "Yang hadir", "Tim Kominfo Sleman; Rudi Hartono")
    fill(staff_page, "Hasil singkat konsultasi", "Arahan arsitektur diberikan.")
    finish(staff_page)

    applicant = new_page()
    applicant.goto(f"{live}/lacak")
    applicant.get_by_label("Kode pelacakan").fill(code)
    applicant.get_by_label("PIN").fill(pin)
    applicant.get_by_role("button", name="Lacak").click()
    expect(applicant.locator("#status")).to_have_text("Selesai", timeout=30_000)
    letter = applicant.get_by_role("link", name=re.compile(r"^Surat Jawaban Konsultasi .*\.pdf$"))
    with applicant.expect_download() as download:
        letter.click()
    signed = Path(download.value.path()).read_bytes()
    assert "pukul 09.00 WIB" in pdf_text(signed) and "Rudi Hartono, S.Sos." in pdf_text(signed)
    assert pdfsig(signed).valid
