"""Scenarios of SOP 5 (seed 004, SP4N-LAPOR!) on the real broker, S3, database and SMTP server.

Reporters file through the public intake (or an Admin Instansi registers a report that reached
the agency straight); the admins of each level work through the staff app's HTTP endpoints
(claim, then submit the form, validated on the server against the units the diagram listed);
the broker's controlled clock stands in for the minutes and days that pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import select

from alur import bpmn, workdays
from alur.sops.lapor import SOP as LAPOR_SOP
from features.support.browser import screenshot
from features.support.engine import Engine
from features.support.sopworld import (
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
from storage import documents, routing
from storage.models import CaseDocument, DocumentRequest, HumanTask, RegisterEntry

scenarios("sop5/lapor_disposisi_pengaduan.feature")

LAPOR = LAPOR_SOP.service

SERVICE = "lapor"
DAY_MS = 24 * 60 * 60 * 1000
NATIONAL_EMAIL = "admin@lapor.example.id"
KEMENKES_EMAIL = "humas@kemenkes.example.id"
YANKES_EMAIL = "pengaduan@yankes.example.id"
STAFF = {
    "nasional": Account(
        "Wulan Septiani, S.Kom.",
        "lapor.admin_nasional",
        "lapor-nasional",
        "Admin Nasional SP4N-LAPOR!",
        "199309142018012001",
        NATIONAL_EMAIL,
    ),
    "kemenkes": Account(
        "Andi Saputra, S.I.Kom.",
        "lapor.admin_instansi",
        "kemenkes",
        "Pranata Humas, Biro Komunikasi dan Pelayanan Publik",
        "198706222010121002",
        KEMENKES_EMAIL,
    ),
    "yankes": Account(
        "Maya Anggraini, S.K.M.",
        "lapor.admin_eselon1",
        "kemenkes-yankes",
        "Pengelola Pengaduan, Sekretariat Ditjen Pelayanan Kesehatan",
        "199102032015032003",
        YANKES_EMAIL,
    ),
    "farmalkes": Account(
        "Rina Marlina, S.Farm.",
        "lapor.admin_eselon1",
        "kemenkes-farmalkes",
        "Pengelola Pengaduan, Sekretariat Ditjen Farmasi dan Alat Kesehatan",
    ),
    "sardjito": Account(
        "Teguh Prasetya, S.Kep., Ns.",
        "lapor.admin_upt",
        "kemenkes-rsup-sardjito",
        "Pengelola Pengaduan Masyarakat",
        "198812152011011004",
    ),
    "kasn": Account("Siti Rahmah", "lapor.admin_instansi", "kasn", "Pranata Humas KASN"),
    "kariadi": Account(
        "Bayu Nugroho", "lapor.admin_upt", "kemenkes-rsup-kariadi", "Pengelola Pengaduan"
    ),
}
SUPERVISORS = {
    "Admin Nasional": NATIONAL_EMAIL,
    "Admin Instansi": KEMENKES_EMAIL,
    "Admin Eselon 1": YANKES_EMAIL,
}
REPORT = {
    "category": "pengaduan",
    "subject": "Antrean pendaftaran poli jantung RSUP Dr. Sardjito",
    "matter": "Sejak Oktober antrean pendaftaran poli jantung dibuka pukul 05.00 dan pasien "
    "lanjut usia menunggu lebih dari enam jam tanpa tempat duduk.",
    "incidentPlace": "RSUP Dr. Sardjito Yogyakarta",
    "applicantName": "Sri Wahyuningsih",
    "applicantEmail": "sri.wahyu@warga.example.id",
    "applicantPhone": "081227003344",
}
FIRST_RESPONSE = "Laporan Anda kami terima dan sedang kami koordinasikan dengan rumah sakit."
ANSWER = "Mulai 1 Desember pendaftaran poli jantung dapat dilakukan daring melalui aplikasi."
SECOND_ANSWER = "Loket khusus lansia dibuka pukul 06.00 dengan 40 kursi tunggu tambahan."
#: The unit codes by the names the scenarios use (deploy/agencies.toml).
UNITS = {
    "Kementerian Kesehatan": "kemenkes",
    "Komisi Aparatur Sipil Negara (KASN)": "kasn",
    "Direktorat Jenderal Pelayanan Kesehatan": "kemenkes-yankes",
    "Direktorat Jenderal Farmasi dan Alat Kesehatan": "kemenkes-farmalkes",
    "RSUP Dr. Sardjito Yogyakarta": "kemenkes-rsup-sardjito",
}


@dataclass
class Report:
    """What a scenario learnt about its report."""

    code: str = ""
    pin: str = ""
    case_id: int = 0
    answered_at: datetime | None = None
    letters: list[str] = field(default_factory=list)  # register numbers, in order


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    resources = [REPO / "bpmn" / "lapor_disposisi_pengaduan.bpmn"]
    resources += sorted((REPO / "forms").glob("lapor-*.form"))
    # Another service whose complaints come here (the hub): SOP 4.
    resources += [REPO / "bpmn" / "kasn_konsultasi_merit.bpmn"]
    resources += sorted((REPO / "forms").glob("kasn-*.form"))
    resources += sorted((REPO / "forms").glob("surat-*.form"))
    folder = tmp_path_factory.mktemp("sop5")
    with running(stack, engine, folder, resources, STAFF) as world:
        yield world


@pytest.fixture
def report() -> Report:
    return Report()


def started(world: World, report: Report, code: str, pin: str) -> None:
    report.code, report.pin = code, pin
    report.case_id = world.started(code)


def due_after(world: World, start: datetime, limit: str) -> datetime:
    settings = world.app.extensions["alur.settings"]
    years = range(start.year - 1, start.year + 2)
    calendar = workdays.calendar_for(settings.calendar_file, "lapor", years)
    return workdays.due(calendar, start, workdays.parse_limit(limit))


def mails_to(world: World, report: Report, to: str) -> list[str]:
    """The plain text of the e-mails about the report sent to ``to``, whitespace collapsed."""
    bodies = [m.get_body(("plain",)) for m in world.mails(report.code) if m["To"] == to]
    return [" ".join(str(body.get_content()).split()) for body in bodies if body is not None]


# --- the report comes in ----------------------------------------------------------------------


@given("the SP4N-LAPOR! complaint service is deployed")
def _(world: World) -> None:
    page = world.app.test_client().get(f"/layanan/{SERVICE}").get_data(as_text=True)
    assert "Formulir permohonan" in page, "the intake is not open"
    assert "SMS 1708" in page


def report_online(
    world: World, report: Report, destination: str, data: dict[str, Any] = REPORT
) -> None:
    client = world.app.test_client()
    page = client.get(f"/layanan/{SERVICE}").get_data(as_text=True)
    answer = post_intake(
        client, f"/layanan/{SERVICE}/ajukan", page, {"data": data}, instansi_tujuan=destination
    )
    started(world, report, *received(client, answer))


@when("a citizen sends a complaint through SP4N-LAPOR! addressed to the national manager")
def _(world: World, report: Report) -> None:
    report_online(world, report, "lapor-nasional")


@when(parsers.parse('a citizen sends a complaint through SP4N-LAPOR! addressed to "{agency}"'))
def _(world: World, report: Report, agency: str) -> None:
    report_online(world, report, UNITS[agency])


@then("the citizen receives a tracking code, a PIN and a receipt")
def _(world: World, report: Report) -> None:
    assert re.fullmatch(r"[A-Z0-9-]+", report.code) and report.pin
    page = world.tracking_page(report.code, report.pin)
    assert f"tanda-terima-{report.code}.pdf" in page, page


@when(
    parsers.parse(
        'Admin Instansi of Kementerian Kesehatan registers a report that arrived by "{channel}"'
    )
)
def _(world: World, report: Report, channel: str) -> None:
    client = world.staff("kemenkes")
    form = f"/tugas/daftarkan/{SERVICE}"
    page = client.get(form).get_data(as_text=True)
    assert "data-alur-form" in page, "the registration form is not offered"
    answer = post_intake(client, form, page, {"data": REPORT}, saluran=channel)
    started(world, report, *received(client, answer))


@then("the report starts at Admin Instansi without the national step")
def _(world: World, report: Report) -> None:
    task = world.open_task(report.case_id, "Task_TerimaInstansi")
    assert task.unit_code == "kemenkes"
    assert not [t for t in world.timeline(report.case_id) if "Admin Nasional" in t]


# --- Admin Nasional ---------------------------------------------------------------------------


def options(world: World, report: Report, element_id: str, variable: str) -> dict[str, str]:
    """The units the task's form offered (label by code), as the diagram listed them; the task
    open or done."""
    with world.sessions() as db:
        task = db.scalar(
            select(HumanTask)
            .where(HumanTask.case_id == report.case_id, HumanTask.element_id == element_id)
            .order_by(HumanTask.id.desc())
        )
    assert task is not None, element_id
    return {option["value"]: option["label"] for option in task.variables[variable]}


@when(parsers.parse('Admin Nasional verifies it and disposes it to "{agency}"'))
def _(world: World, report: Report, agency: str) -> None:
    world.complete(
        report.case_id,
        "Task_VerifikasiNasional",
        "nasional",
        {
            "keputusanNasional": "disposisi",
            "unitInstansi": UNITS[agency],
            "catatanDisposisiNasional": "Mohon ditindaklanjuti sesuai kewenangan.",
        },
    )


@then("Admin Nasional could choose only agencies connected to SP4N-LAPOR!")
def _(world: World, report: Report) -> None:
    offered = options(world, report, "Task_VerifikasiNasional", "pilihanInstansi")
    assert {"kemenkes", "kasn"} <= set(offered) and "kemenkes-yankes" not in offered, offered


@when(parsers.parse('Admin Nasional postpones it asking for "{missing}"'))
def _(world: World, report: Report, missing: str) -> None:
    world.complete(
        report.case_id,
        "Task_VerifikasiNasional",
        "nasional",
        {"keputusanNasional": "tunda", "kekuranganBerkas": missing},
    )
    report.letters.append(missing)


@then("the reporter reads on the tracking page what to add")
def _(world: World, report: Report) -> None:
    world.waiting_request(report.case_id)
    page = world.tracking_page(report.code, report.pin)
    assert "Laporan Anda perlu dilengkapi" in page and report.letters[-1] in page, page


@when("the reporter adds a document on the tracking page")
def _(world: World, report: Report) -> None:
    world.add_on_tracking_page(report.case_id, report.code, report.pin, "keterangan.pdf")


@then("the report is back with Admin Nasional")
def _(world: World, report: Report) -> None:
    world.open_task(report.case_id, "Task_VerifikasiNasional")
    assert report.case_id in world.available("nasional") or world.open_task(
        report.case_id, "Task_VerifikasiNasional"
    )


@when(parsers.parse('Admin Nasional archives it because "{reason}"'))
def _(world: World, report: Report, reason: str) -> None:
    report.letters.append(reason)
    world.complete(
        report.case_id,
        "Task_VerifikasiNasional",
        "nasional",
        {"keputusanNasional": "arsip", "alasanArsip": reason},
    )


@then(
    parsers.parse(
        'the report is closed as "{status}" and the reporter is told the reason by e-mail and '
        "on the tracking page"
    )
)
def _(world: World, report: Report, status: str) -> None:
    wait_until(lambda: world.case(report.case_id).status == status, timeout=60, what=status)
    reason = report.letters[-1]
    wait_until(
        lambda: any(reason in body for body in mails_to(world, report, REPORT["applicantEmail"])),
        timeout=30,
        what="the e-mail with the reason",
    )
    page = world.tracking_page(report.code, report.pin)
    assert "Diarsipkan" in page and reason in page, page


# --- Admin Instansi ---------------------------------------------------------------------------


@when("Admin Instansi of Kementerian Kesehatan receives the disposition")
def _(world: World, report: Report) -> None:
    world.complete(report.case_id, "Task_TerimaInstansi", "kemenkes", {"laporanDiterima": True})


@when("Admin Instansi verifies that it is the agency's authority")
def _(world: World, report: Report) -> None:
    world.complete(
        report.case_id, "Task_VerifikasiInstansi", "kemenkes", {"wewenangInstansi": "ya"}
    )


@when(parsers.parse('Admin Instansi returns it to Admin Nasional because "{reason}"'))
def _(world: World, report: Report, reason: str) -> None:
    report.letters.append(reason)
    world.complete(
        report.case_id,
        "Task_VerifikasiInstansi",
        "kemenkes",
        {"wewenangInstansi": "tidak", "alasanPengembalianInstansi": reason},
    )


@when(parsers.parse('Admin Instansi disposes it to "{unit}"'))
def _(world: World, report: Report, unit: str) -> None:
    world.complete(
        report.case_id, "Task_DisposisiInstansi", "kemenkes", {"unitEselon1": UNITS[unit]}
    )


@then("Admin Instansi could choose only the echelon-1 units of its agency")
def _(world: World, report: Report) -> None:
    offered = options(world, report, "Task_DisposisiInstansi", "pilihanEselon1")
    assert offered == {
        "kemenkes-yankes": "Direktorat Jenderal Pelayanan Kesehatan",
        "kemenkes-farmalkes": "Direktorat Jenderal Farmasi dan Alat Kesehatan",
    }, offered


def cannot_open(world: World, report: Report, who: str) -> None:
    """``who`` sees the report nowhere: not its tasks, not its case, not its documents."""
    with world.sessions() as db:
        tasks = list(db.scalars(select(HumanTask).where(HumanTask.case_id == report.case_id)))
        docs = list(db.scalars(select(CaseDocument).where(CaseDocument.case_id == report.case_id)))
    client = world.staff(who)
    for task in tasks:
        assert client.get(f"/tugas/{task.id}").status_code in (403, 404), (who, task.element_id)
    for doc in docs:
        assert client.get(f"/dokumen/{doc.id}").status_code in (403, 404), (who, doc.kind)
    listing = client.get(f"/tugas?kode={report.code}").get_data(as_text=True)
    assert REPORT["subject"] not in listing


@then("Admin Instansi of Kementerian Kesehatan can no longer open the report")
def _(world: World, report: Report) -> None:
    cannot_open(world, report, "kemenkes")


@then("Admin Nasional can no longer open the report")
def _(world: World, report: Report) -> None:
    world.open_task(report.case_id, "Task_TerimaInstansi")
    cannot_open(world, report, "nasional")


@then("Admin Instansi of Kementerian Kesehatan still follows the report at the unit below it")
def _(world: World, report: Report) -> None:
    task = world.open_task(report.case_id, "Task_TerimaEselon1")
    client = world.staff("kemenkes")
    assert client.get(f"/tugas/{task.id}").status_code == 200
    assert f'href="/tugas/{task.id}"' in client.get("/tugas?tampilan=tim").get_data(as_text=True)


@then("the report is back with Admin Nasional with the reason")
def _(world: World, report: Report) -> None:
    task = world.open_task(report.case_id, "Task_VerifikasiNasional")
    page = world.staff("nasional").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert report.letters[-1] in " ".join(page.split()), "the reason is on the task page"


@then("the report waits for Admin Instansi of KASN")
def _(world: World, report: Report) -> None:
    task = world.open_task(report.case_id, "Task_TerimaInstansi")
    assert task.unit_code == "kasn"
    assert task.id in world.available("kasn")
    assert task.id not in world.available("kemenkes")


# --- Admin Eselon 1 ---------------------------------------------------------------------------


@when("Admin Eselon 1 receives the report")
def _(world: World, report: Report) -> None:
    world.complete(report.case_id, "Task_TerimaEselon1", "yankes", {"laporanDiterima": True})


@when("Admin Eselon 1 gives the reporter a first response")
def _(world: World, report: Report) -> None:
    world.complete(report.case_id, "Task_ResponAwal", "yankes", {"responAwal": FIRST_RESPONSE})


@then("the reporter receives the first response by e-mail")
def _(world: World, report: Report) -> None:
    wait_until(
        lambda: any(FIRST_RESPONSE in b for b in mails_to(world, report, REPORT["applicantEmail"])),
        timeout=30,
        what="the first response e-mail",
    )
    page = world.tracking_page(report.code, report.pin)
    assert "Respon awal atas laporan Anda dikirim ke e-mail Anda" in page


@when(parsers.parse('Admin Eselon 1 disposes it to the UPT "{unit}"'))
def _(world: World, report: Report, unit: str) -> None:
    world.open_task(report.case_id, "Task_VerifikasiEselon1")
    offered = options(world, report, "Task_VerifikasiEselon1", "pilihanUpt")
    assert offered == {
        "kemenkes-rsup-sardjito": "RSUP Dr. Sardjito Yogyakarta",
        "kemenkes-rsup-kariadi": "RSUP Dr. Kariadi Semarang",
    }, offered
    world.complete(
        report.case_id,
        "Task_VerifikasiEselon1",
        "yankes",
        {"tindakLanjutEselon1": "disposisi_upt", "unitUpt": UNITS[unit]},
    )


@when(parsers.parse('Admin Eselon 1 returns it to Admin Instansi because "{reason}"'))
def _(world: World, report: Report, reason: str) -> None:
    report.letters.append(reason)
    world.complete(
        report.case_id,
        "Task_VerifikasiEselon1",
        "yankes",
        {"tindakLanjutEselon1": "kembalikan", "alasanPengembalianEselon1": reason},
    )


@then("the report is back with Admin Instansi with the reason")
def _(world: World, report: Report) -> None:
    task = world.open_task(report.case_id, "Task_TerimaInstansi")
    assert task.unit_code == "kemenkes"
    page = world.staff("kemenkes").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert report.letters[-1] in " ".join(page.split()), "the reason is on the task page"


@then("Admin Eselon 1 of Ditjen Pelayanan Kesehatan can no longer open the report")
def _(world: World, report: Report) -> None:
    cannot_open(world, report, "yankes")


@then("the report waits for Admin Eselon 1 of Ditjen Farmasi dan Alat Kesehatan")
def _(world: World, report: Report) -> None:
    task = world.open_task(report.case_id, "Task_TerimaEselon1")
    assert task.unit_code == "kemenkes-farmalkes"
    assert task.id in world.available("farmalkes")
    assert task.id not in world.available("yankes")


def answer(world: World, report: Report, element_id: str, who: str, text: str) -> None:
    world.complete(report.case_id, element_id, who, {"jawabanSubstantif": text})


@when("Admin Eselon 1 follows it up at echelon-1 level with a substantive answer")
def _(world: World, report: Report) -> None:
    world.complete(
        report.case_id, "Task_VerifikasiEselon1", "yankes", {"tindakLanjutEselon1": "jawab"}
    )
    answer(world, report, "Task_JawabEselon1", "yankes", ANSWER)


@when("Admin Eselon 1 follows it up at echelon-1 level with a second substantive answer")
def _(world: World, report: Report) -> None:
    answer(world, report, "Task_JawabEselon1", "yankes", SECOND_ANSWER)


# --- Admin UPT --------------------------------------------------------------------------------


@when("Admin UPT receives the report")
def _(world: World, report: Report) -> None:
    world.complete(report.case_id, "Task_TerimaUpt", "sardjito", {"laporanDiterima": True})


@when("Admin UPT follows it up with a substantive answer")
def _(world: World, report: Report) -> None:
    answer(world, report, "Task_JawabUpt", "sardjito", ANSWER)


# --- the answer letter, the reply, the closing ------------------------------------------------


def letters(world: World, report: Report, count: int) -> list[tuple[bytes, RegisterEntry]]:
    """The report's first ``count`` answer letters (bytes as S3 holds them, register entry),
    once issued, in order."""

    def found() -> list[tuple[CaseDocument, RegisterEntry]]:
        with world.sessions() as db:
            docs = db.scalars(
                select(CaseDocument)
                .where(CaseDocument.case_id == report.case_id, CaseDocument.kind == "lapor_jawaban")
                .order_by(CaseDocument.id)
            )
            entries = db.scalars(
                select(RegisterEntry)
                .where(
                    RegisterEntry.case_id == report.case_id, RegisterEntry.kind == "lapor_jawaban"
                )
                .order_by(RegisterEntry.id)
            )
            return list(zip(docs, entries, strict=False))

    wait_until(lambda: len(found()) >= count, timeout=60, what=f"{count} answer letter(s)")
    s3 = world.stack.s3_client()
    return [(documents.read_document(s3, doc), entry) for doc, entry in found()[:count]]


def mailed(world: World, report: Report, letter: bytes) -> None:
    def attached() -> list[bytes]:
        return world.attachments(
            report.case_id, report.code, "lapor_jawaban", REPORT["applicantEmail"]
        )

    wait_until(lambda: letter in attached(), timeout=30, what="the e-mail with the letter")


def signed_letter(world: World, report: Report, who: str, text: str, count: int) -> str:
    """The ``count``-th answer letter: numbered in SP4N-LAPOR!'s answer register, carrying
    ``text``, in the name of ``who``, e-mailed to the reporter. Its number."""
    data, entry = letters(world, report, count)[count - 1]
    assert re.fullmatch(r"\d+/LAPOR/[IVX]+/\d{4}", entry.number), entry.number
    body = pdf_text(data)
    assert "SURAT TINDAK LANJUT LAPORAN" in body.upper() or "Tindak lanjut" in body, body
    assert entry.number in body and report.code in body and text in " ".join(body.split())
    assert REPORT["applicantName"] in body  # not anonymous: addressed by name
    assert STAFF[who].name in body  # issued in the name of the admin who answered
    mailed(world, report, data)
    report.letters.append(entry.number)
    return entry.number


@then(
    "a Surat Tindak Lanjut Laporan SP4N-LAPOR! in the name of Admin UPT is numbered in the "
    "SP4N-LAPOR! answer register and e-mailed to the reporter"
)
def _(world: World, report: Report) -> None:
    signed_letter(world, report, "sardjito", ANSWER, 1)
    body = pdf_text(letters(world, report, 1)[0][0])
    assert "RSUP Dr. Sardjito Yogyakarta" in body  # the unit that followed it up


@then(
    "a Surat Tindak Lanjut Laporan SP4N-LAPOR! in the name of Admin Eselon 1 is numbered and "
    "e-mailed to the reporter"
)
def _(world: World, report: Report) -> None:
    signed_letter(world, report, "yankes", ANSWER, 1)


@then("a second Surat Tindak Lanjut Laporan SP4N-LAPOR! is numbered and e-mailed to the reporter")
def _(world: World, report: Report) -> None:
    first = report.letters[-1]
    second = signed_letter(world, report, "yankes", SECOND_ANSWER, 2)
    assert second != first


@then("the reporter reads the answer on the tracking page and may reply within 10 days")
def _(world: World, report: Report) -> None:
    world.waiting_request(report.case_id)
    page = world.tracking_page(report.code, report.pin)
    filename = report.letters[-1].replace("/", "-")
    assert f"Surat Tindak Lanjut Laporan SP4N-LAPOR! {filename}.pdf" in page, page
    assert "Tindak lanjut laporan Anda telah disampaikan" in page
    assert "Tanggapan Anda" in page


@then("the timeline shows each disposition from Admin Nasional down to the UPT")
def _(world: World, report: Report) -> None:
    done = [t for t in world.timeline(report.case_id) if t.endswith("selesai")]
    order = [
        "Verifikasi, identifikasi dan disposisi ke instansi",
        "Terima disposisi laporan",
        "Disposisi laporan ke Admin Eselon 1",
        "Terima laporan dari Admin Instansi",
        "Verifikasi laporan terdisposisi",
        "Terima laporan dari Admin Eselon 1",
        "Tindak lanjut substantif oleh UPT",
    ]
    positions = [next(i for i, t in enumerate(done) if t.startswith(step)) for step in order]
    assert positions == sorted(positions), done


def reply(world: World, report: Report, text: str) -> None:
    asked = world.waiting_request(report.case_id)
    client, page = world.applicant(report.code, report.pin)
    answer = client.post(
        f"/lacak/{report.code}/lengkapi",
        data={"csrf_token": csrf_of(page), "permintaan": str(asked), "tanggapan": text},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)


@when(parsers.parse('the reporter replies on the tracking page that "{text}" within the 10 days'))
def _(world: World, report: Report, clock: BrokerClock, text: str) -> None:
    report.letters.append(text)
    clock.add(5 * DAY_MS)
    reply(world, report, text)


@then("the report reopens at Admin Eselon 1 with the reporter's reply")
def _(world: World, report: Report) -> None:
    said = report.letters.pop()
    task = world.open_task(report.case_id, "Task_JawabEselon1")
    assert task.variables.get("tanggapanPemohon") == said
    page = world.staff("yankes").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert said in " ".join(page.split())


@then("the 10 days start again from the second answer")
def _(world: World, report: Report, clock: BrokerClock) -> None:
    world.waiting_request(report.case_id)
    assert world.case(report.case_id).closed_at is None


@when("10 days pass without a reply from the reporter")
def _(world: World, report: Report, clock: BrokerClock) -> None:
    world.waiting_request(report.case_id)
    before = broker_now(clock)
    clock.add(10 * DAY_MS - 5 * 60_000)
    # Not a minute early: the report is still open just before the 10 days end.
    assert world.case(report.case_id).closed_at is None
    move_past(clock, before + timedelta(days=10))


@then(parsers.parse('the report is closed as "{status}" by the system'))
def _(world: World, report: Report, status: str) -> None:
    wait_until(lambda: world.case(report.case_id).status == status, timeout=60, what=status)
    case = world.case(report.case_id)
    assert case.closed_at is not None and case.outcome and "ditutup oleh sistem" in case.outcome
    page = world.tracking_page(report.code, report.pin)
    assert 'name="tanggapan"' not in page  # nothing waits for the reporter any more


@then("no time limit was breached")
def _(world: World, report: Report) -> None:
    assert world.case(report.case_id).overdue_at is None
    assert not [t for t in world.timeline(report.case_id) if t.startswith("Batas waktu terlampaui")]


# --- time limits --------------------------------------------------------------------------------

#: Each step a limit applies to: its element, the admin who works it, and the steps before it
#: from a report registered straight at the agency (the national step: from an online report).
DIRECT: list[tuple[str, str, dict[str, Any]]] = [
    ("Task_TerimaInstansi", "kemenkes", {"laporanDiterima": True}),
    ("Task_VerifikasiInstansi", "kemenkes", {"wewenangInstansi": "ya"}),
    ("Task_DisposisiInstansi", "kemenkes", {"unitEselon1": "kemenkes-yankes"}),
    ("Task_TerimaEselon1", "yankes", {"laporanDiterima": True}),
    ("Task_ResponAwal", "yankes", {"responAwal": FIRST_RESPONSE}),
]
STEPS: dict[str, tuple[str, list[tuple[str, str, dict[str, Any]]]]] = {
    "Verifikasi, identifikasi dan disposisi ke instansi": ("Task_VerifikasiNasional", []),
    "Terima disposisi laporan": ("Task_TerimaInstansi", []),
    "Verifikasi dan identifikasi laporan": ("Task_VerifikasiInstansi", DIRECT[:1]),
    "Disposisi laporan ke Admin Eselon 1": ("Task_DisposisiInstansi", DIRECT[:2]),
    "Terima laporan dari Admin Instansi": ("Task_TerimaEselon1", DIRECT[:3]),
    "Beri respon awal kepada pelapor": ("Task_ResponAwal", DIRECT[:4]),
    "Verifikasi laporan terdisposisi": ("Task_VerifikasiEselon1", DIRECT[:5]),
    "Tindak lanjut substantif di tingkat Eselon 1": (
        "Task_JawabEselon1",
        [*DIRECT, ("Task_VerifikasiEselon1", "yankes", {"tindakLanjutEselon1": "jawab"})],
    ),
    "Terima laporan dari Admin Eselon 1": (
        "Task_TerimaUpt",
        [
            *DIRECT,
            (
                "Task_VerifikasiEselon1",
                "yankes",
                {"tindakLanjutEselon1": "disposisi_upt", "unitUpt": "kemenkes-rsup-sardjito"},
            ),
        ],
    ),
    "Tindak lanjut substantif oleh UPT": (
        "Task_JawabUpt",
        [
            *DIRECT,
            (
                "Task_VerifikasiEselon1",
                "yankes",
                {"tindakLanjutEselon1": "disposisi_upt", "unitUpt": "kemenkes-rsup-sardjito"},
            ),
            ("Task_TerimaUpt", "sardjito", {"laporanDiterima": True}),
        ],
    ),
}


@dataclass
class Reached:
    """The step a limit scenario drove its report to, and when (on the broker's clock) the
    report reached it: between ``after`` and ``before``."""

    task: HumanTask | None = None
    after: datetime | None = None
    before: datetime | None = None


@pytest.fixture
def reached() -> Reached:
    return Reached()


@when(parsers.parse('a report reaches "{step}"'))
def _(world: World, report: Report, reached: Reached, clock: BrokerClock, step: str) -> None:
    element, path = STEPS[step]
    if element == "Task_VerifikasiNasional":
        reached.after = broker_now(clock)
        report_online(world, report, "lapor-nasional")
    else:
        client = world.staff("kemenkes")
        form = f"/tugas/daftarkan/{SERVICE}"
        page = client.get(form).get_data(as_text=True)
        if not path:
            reached.after = broker_now(clock)
        answer = post_intake(client, form, page, {"data": REPORT}, saluran="telepon")
        started(world, report, *received(client, answer))
        for index, (element_id, who, data) in enumerate(path):
            if index == len(path) - 1:
                reached.after = broker_now(clock)
            world.complete(report.case_id, element_id, who, data)
    reached.task = world.open_task(report.case_id, element)
    reached.before = broker_now(clock)


@then(parsers.parse('"{step}" is due {limit} after the report reached it'))
def _(world: World, reached: Reached, step: str, limit: str) -> None:
    assert reached.task is not None and reached.after and reached.before
    due = reached.task.due_at
    assert due is not None
    earliest = due_after(world, reached.after - timedelta(seconds=1), limit)
    latest = due_after(world, reached.before + timedelta(seconds=1), limit)
    assert earliest <= due <= latest, (step, limit, earliest, due, latest)


@when(parsers.parse('the time limit of "{step}" passes'))
def _(reached: Reached, clock: BrokerClock, step: str) -> None:
    assert reached.task is not None and reached.task.due_at is not None
    move_past(clock, reached.task.due_at)


@then(parsers.parse('the report is marked overdue at "{step}" and {supervisor} is e-mailed'))
def _(world: World, report: Report, step: str, supervisor: str) -> None:
    world.wait_for_event(report.case_id, re.escape(f"Batas waktu terlampaui: {step}"))
    assert world.case(report.case_id).overdue_at is not None
    to = SUPERVISORS[supervisor]

    def told() -> list[Any]:
        return [m for m in world.mails(report.code) if m["To"] == to]

    wait_until(lambda: bool(told()), timeout=30, what=f"the e-mail to {supervisor}")
    assert step in str(told()[0]["Subject"])


@then(parsers.parse('"{step}" still waits for its admin'))
def _(world: World, report: Report, reached: Reached, step: str) -> None:
    assert reached.task is not None
    task = world.open_task(report.case_id, reached.task.element_id)
    assert task.id == reached.task.id and task.status == "open"


# --- who sees what ----------------------------------------------------------------------------


def test_another_agency_and_another_upt_get_nothing_of_a_report(world: World):
    """A report at RSUP Dr. Sardjito: KASN's Admin Instansi (another agency) and the Admin UPT
    of RSUP Dr. Kariadi (a sibling UPT of the same echelon-1 unit) open its task, its documents,
    its tracking page by URL: refused; Sardjito's Admin UPT opens them (not vacuous)."""
    report = Report()
    report_online(world, report, "kemenkes")
    path = STEPS["Terima laporan dari Admin Eselon 1"][1]
    world.complete(
        report.case_id,
        "Task_VerifikasiNasional",
        "nasional",
        {"keputusanNasional": "disposisi", "unitInstansi": "kemenkes"},
    )
    for element_id, who, data in path:
        world.complete(report.case_id, element_id, who, data)
    task = world.open_task(report.case_id, "Task_TerimaUpt")
    with world.sessions() as db:
        docs = list(db.scalars(select(CaseDocument).where(CaseDocument.case_id == report.case_id)))
    assert docs, "the receipt is a document of the report"
    insider = world.staff("sardjito")
    assert insider.get(f"/tugas/{task.id}").status_code == 200
    assert all(insider.get(f"/dokumen/{doc.id}").status_code == 200 for doc in docs)
    secrets = (report.code, REPORT["applicantName"], REPORT["subject"], f'href="/tugas/{task.id}"')
    for outsider in ("kasn", "kariadi"):
        world.kept_out(outsider, task.id, report.code, [d.id for d in docs], secrets)


# --- the public list of reports -------------------------------------------------------------------


@when(parsers.parse('a citizen sends a complaint titled "{title}" through SP4N-LAPOR!'))
def _(world: World, report: Report, title: str) -> None:
    report.letters.append(title)
    report_online(world, report, "kemenkes", {**REPORT, "subject": title})


def public_list(world: World) -> str:
    page = world.app.test_client().get(f"/layanan/{SERVICE}/laporan")
    assert page.status_code == 200
    return " ".join(page.get_data(as_text=True).split())


@then(
    "the public list of reports shows it with its status and the follow-up, without the "
    "reporter's name, e-mail or telephone"
)
def _(world: World, report: Report) -> None:
    title = report.letters[0]
    world.waiting_request(report.case_id)  # answered: the reporter may reply now
    page = public_list(world)
    entry = page[page.index(title) :]
    entry = entry[: entry.find("</article>")]
    assert "Ditujukan kepada Kementerian Kesehatan".lower() in entry.lower(), entry
    assert "Sudah ditindaklanjuti" in entry and ANSWER in entry, entry
    assert "Direktorat Jenderal Pelayanan Kesehatan" in entry  # the unit that followed it up
    assert REPORT["matter"] in entry and "Pengaduan" in entry
    for secret in (REPORT["applicantName"], REPORT["applicantEmail"], REPORT["applicantPhone"]):
        assert secret not in page
    assert report.code not in page  # nothing to start guessing a PIN with
    # A report nobody has verified yet is not published (spam stays off the list).
    unread = Report()
    report_online(world, unread, "kemenkes", {**REPORT, "subject": "Belum diverifikasi"})
    world.open_task(unread.case_id, "Task_VerifikasiNasional")
    assert "Belum diverifikasi" not in public_list(world)


@when(
    parsers.parse('a citizen sends a confidential complaint titled "{title}" through SP4N-LAPOR!')
)
def _(world: World, report: Report, title: str) -> None:
    report.letters.append(title)
    report_online(world, report, "kemenkes", {**REPORT, "subject": title, "confidential": True})


@then(
    "the confidential report is not on the public list, and its reporter follows it with the "
    "tracking code and PIN"
)
def _(world: World, report: Report) -> None:
    world.complete(
        report.case_id,
        "Task_VerifikasiNasional",
        "nasional",
        {"keputusanNasional": "disposisi", "unitInstansi": "kemenkes"},
    )
    world.open_task(report.case_id, "Task_TerimaInstansi")
    assert report.letters[0] in public_list(world)  # the list is there and current
    assert report.letters[-1] not in public_list(world)  # verified, but Rahasia
    assert world.case(report.case_id).confidential
    page = world.tracking_page(report.code, report.pin)
    assert '<span id="status">Sedang diproses</span>' in page, page


# --- the hub: complaints about the other services' cases ---------------------------------------

KASN_REQUEST = {
    "applicantName": "Dr. Bambang Sutrisno, M.Si.",
    "applicantPosition": "Kepala BKPSDM",
    "institutionName": "Pemerintah Kabupaten Banyumas",
    "applicantEmail": "bkpsdm@banyumaskab.example.id",
    "applicantPhone": "081327001122",
    "subject": "Konsultasi seleksi terbuka JPT Pratama",
    "matter": "Hasil uji kompetensi tidak diumumkan.",
}


@dataclass
class Hub:
    """The case complained about, and the applicant's browser that follows it."""

    code: str = ""
    case_id: int = 0
    browser: Any = None


@pytest.fixture
def hub() -> Hub:
    return Hub()


@given("an applicant of KASN's consultation service follows their case on the tracking page")
def _(world: World, hub: Hub) -> None:
    client = world.app.test_client()
    page = client.get("/layanan/konsultasi-kasn").get_data(as_text=True)
    answer = post_intake(client, "/layanan/konsultasi-kasn/ajukan", page, {"data": KASN_REQUEST})
    hub.code, pin = received(client, answer)
    hub.case_id = world.started(hub.code)
    hub.browser, page = world.applicant(hub.code, pin)
    assert "Adukan layanan atas permohonan ini melalui Pengaduan melalui SP4N-LAPOR!" in page


@when("they complain about it through SP4N-LAPOR! from that page")
def _(world: World, report: Report, hub: Hub) -> None:
    page = hub.browser.get(f"/lacak/{hub.code}").get_data(as_text=True)
    link = re.search(r'id="adukan" href="([^"]+)"', page)
    assert link, page
    form = hub.browser.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert f"Pengaduan ini tentang permohonan <strong>{hub.code}</strong>" in form
    assert "Konsultasi Pelanggaran Sistem Merit" in form
    complaint = {**REPORT, "subject": "Konsultasi KASN tidak dijawab"}
    answer = post_intake(
        hub.browser,
        f"/layanan/{SERVICE}/ajukan",
        form,
        {"data": complaint},
        instansi_tujuan="kasn",
        perkara=hub.code,
    )
    started(world, report, *received(hub.browser, answer))


@then("Admin Nasional sees on the report which case it is about, its service and status")
def _(world: World, report: Report, hub: Hub) -> None:
    assert world.case(report.case_id).related_case_id == hub.case_id
    task = world.open_task(report.case_id, "Task_VerifikasiNasional")
    page = " ".join(world.staff("nasional").get(f"/tugas/{task.id}").get_data(as_text=True).split())
    found = page[page.index('id="perkara-diadukan"') :]
    assert "Konsultasi Pelanggaran Sistem Merit" in found and hub.code in found, found
    assert "Sedang diproses" in found


@then("the case's timeline shows the complaint to its applicant")
def _(world: World, report: Report, hub: Hub) -> None:
    said = f"Diadukan melalui Pengaduan melalui SP4N-LAPOR! (kode pelacakan {report.code})"
    assert said in world.timeline(hub.case_id)
    page = " ".join(hub.browser.get(f"/lacak/{hub.code}").get_data(as_text=True).split())
    assert f"Pengaduan Anda atas permohonan ini: {said}" in page


@then("an anonymous report cannot be tied to it, since the case names its applicant")
def _(world: World, hub: Hub) -> None:
    form = hub.browser.get(f"/layanan/{SERVICE}?perkara={hub.code}").get_data(as_text=True)
    before = len(world.timeline(hub.case_id))
    answer = post_intake(
        hub.browser,
        f"/layanan/{SERVICE}/ajukan",
        form,
        {"data": {**REPORT, "anonymous": True}},
        instansi_tujuan="kasn",
        perkara=hub.code,
    )
    assert answer.status_code == 400
    assert "Pengaduan anonim tidak dapat dikaitkan" in answer.get_json()["errors"]["perkara"]
    assert len(world.timeline(hub.case_id)) == before


@then("a browser that never opened the case cannot tie a report to it")
def _(world: World, hub: Hub) -> None:
    stranger = world.app.test_client()
    form = stranger.get(f"/layanan/{SERVICE}?perkara={hub.code}").get_data(as_text=True)
    assert hub.code not in form  # no notice, no hidden field
    before = len(world.timeline(hub.case_id))
    answer = post_intake(
        stranger,
        f"/layanan/{SERVICE}/ajukan",
        form,
        {"data": REPORT},
        instansi_tujuan="kasn",
        perkara=hub.code,
    )
    assert answer.status_code == 400
    assert "tidak dapat dibuka dari peramban ini" in answer.get_json()["errors"]["perkara"]
    assert len(world.timeline(hub.case_id)) == before


# --- anonymous reports -------------------------------------------------------------------------

#: An anonymous reporter: none of these may reach a handling unit.
SECRET_NAME = "Dewi Kartika Sari"
SECRET_EMAIL = "dewi.rahasia@warga.example.id"
SECRET_PHONE = "081299887766"
ANONYMOUS = {
    **REPORT,
    "applicantName": SECRET_NAME,
    "applicantEmail": SECRET_EMAIL,
    "applicantPhone": SECRET_PHONE,
    "anonymous": True,
}
SECRETS = (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE, "dewi.rahasia", "Kartika")
ADMINS = ("nasional", "kemenkes", "yankes", "sardjito")


def _readable(response: Any) -> str:
    """A response as text to search: a PDF's extracted text beside its raw bytes."""
    data: bytes = response.get_data()
    text = data.decode("utf-8", errors="replace")
    if data.startswith(b"%PDF"):
        text += " " + pdf_text(data)
    return text


def _surfaces(world: World, report: Report, tasks: list[HumanTask], docs: list[int]) -> list[str]:
    """Every GET page of the staff app with its parameters filled from the report (each task,
    document, the tracking code, SP4N-LAPOR!'s registers and process), and the inbox's views."""
    values: dict[str, list[str]] = {
        "task_id": [str(t.id) for t in tasks],
        "doc_id": [str(d) for d in docs],
        "service_code": [SERVICE],
        "process_id": ["LAPOR_DisposisiPengaduan"],
        "name": ["lapor_disposisi_pengaduan"],
        "agency": ["lapor"],
    }
    urls = [
        "/tugas?tampilan=tersedia",
        "/tugas?tampilan=tim",
        "/tugas?tampilan=selesai",
        f"/tugas?kode={report.code}",
        f"/tugas?q={report.code}",
    ]
    for rule in world.app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        names = list(rule.arguments)
        filled: list[dict[str, str]] = [{}]
        for name in names:
            options = values.get(name)
            if name == "code":  # a register's code under /register, else the tracking code
                options = ["jawaban"] if rule.rule.startswith("/register") else [report.code]
            if options is None:
                filled = []
                break
            filled = [{**so_far, name: option} for so_far in filled for option in options]
        for arguments in filled:
            url = rule.rule
            for name, value in arguments.items():
                url = re.sub(rf"<(?:[a-z]+:)?{name}>", value, url)
            urls.append(url)
    return urls


def _sweep(world: World, report: Report, admin: str, at: str | None = None) -> int:
    """``admin`` opens every staff page of the report (``_surfaces``): none shows the
    reporter's identity. ``at``: the element of the open task the report waits on at this
    admin, whose page must open (the sweep is not vacuous). How many pages opened."""
    with world.sessions() as db:
        tasks = list(db.scalars(select(HumanTask).where(HumanTask.case_id == report.case_id)))
        docs = [
            d.id
            for d in db.scalars(select(CaseDocument).where(CaseDocument.case_id == report.case_id))
        ]
    staff = world.staff(admin)
    opened: set[str] = set()
    for url in _surfaces(world, report, tasks, docs):
        response = staff.get(url)
        if response.status_code != 200:
            continue
        opened.add(url)
        leaked = [s for s in SECRETS if s in _readable(response)]
        assert not leaked, (admin, url, leaked)
    if at is not None:
        current = next(t for t in tasks if t.element_id == at and t.status == "open")
        assert f"/tugas/{current.id}" in opened, (admin, "its own task did not open")
        assert any(url.startswith("/dokumen/") for url in opened), (admin, "no document opened")
    return len(opened)


def test_an_anonymous_reporter_reaches_no_handling_unit_on_any_staff_surface(
    world: World, clock: BrokerClock
):
    """*Anonim* (issue 29, the hostile test): an anonymous report goes from Admin Nasional down
    to the UPT, is answered late (so supervisors are e-mailed) and answered. At each level,
    while the report waits there, its admin opens every page of the staff app for it — the
    inbox's views and search, every task page (the form's data, the earlier decisions, the
    timeline), every document and draft, registers and their exports, the SLA dashboard, the
    receipt — and every admin does again once it is answered; every e-mail sent to staff is
    read: the reporter's name, e-mail address and telephone are nowhere. The reporter still
    follows the report with the tracking code and PIN and gets the answer at that address."""
    report = Report()
    client = world.app.test_client()
    page = client.get(f"/layanan/{SERVICE}").get_data(as_text=True)
    answer = post_intake(
        client,
        f"/layanan/{SERVICE}/ajukan",
        page,
        {"data": ANONYMOUS},
        instansi_tujuan="lapor-nasional",
    )
    started(world, report, *received(client, answer))
    world.open_task(report.case_id, "Task_VerifikasiNasional")
    _sweep(world, report, "nasional", "Task_VerifikasiNasional")
    world.complete(
        report.case_id,
        "Task_VerifikasiNasional",
        "nasional",
        {"keputusanNasional": "disposisi", "unitInstansi": "kemenkes"},
    )
    at_level = {"Task_TerimaInstansi": "kemenkes", "Task_TerimaEselon1": "yankes"}
    for element_id, who, data in STEPS["Tindak lanjut substantif oleh UPT"][1]:
        world.open_task(report.case_id, element_id)
        if element_id in at_level:
            _sweep(world, report, who, element_id)
        world.complete(report.case_id, element_id, who, data)
    late = world.open_task(report.case_id, "Task_JawabUpt")
    assert late.due_at is not None
    move_past(clock, late.due_at)
    world.wait_for_event(report.case_id, "Batas waktu terlampaui")
    wait_until(
        lambda: any(m["To"] == YANKES_EMAIL for m in world.mails(report.code)),
        timeout=30,
        what="the escalation e-mail to Admin Eselon 1",
    )
    _sweep(world, report, "sardjito", "Task_JawabUpt")
    answer_text = "Tindak lanjut untuk pelapor anonim."
    world.complete(report.case_id, "Task_JawabUpt", "sardjito", {"jawabanSubstantif": answer_text})
    [(letter, _entry)] = letters(world, report, 1)
    world.waiting_request(report.case_id)
    for admin in ADMINS:
        _sweep(world, report, admin)

    # The reporter: tracking page with code and PIN, the letter at their own address.
    page = world.tracking_page(report.code, report.pin)
    assert "Surat Tindak Lanjut Laporan SP4N-LAPOR!" in page
    wait_until(
        lambda: bool(world.attachments(report.case_id, report.code, "lapor_jawaban", SECRET_EMAIL)),
        timeout=30,
        what="the letter e-mailed to the anonymous reporter",
    )
    body = pdf_text(letter)
    assert "Pelapor SP4N-LAPOR!" in body and answer_text in body

    # What the case and the process hold for staff (the form data of every task page).
    with world.sessions() as db:
        tasks = list(db.scalars(select(HumanTask).where(HumanTask.case_id == report.case_id)))
    case = world.case(report.case_id)
    assert case.anonymous and case.applicant_name == "Pelapor anonim"
    held = repr(case.data) + "".join(repr(t.variables) + repr(t.result) for t in tasks)
    assert not [s for s in SECRETS if s in held], "identity in the case data or the process"

    # Every e-mail that went to anyone but the reporter.
    for message in world.mails(report.code):
        if message["To"] == SECRET_EMAIL:
            continue
        text = message.as_string() + "".join(
            pdf_text(part.get_content())
            for part in message.iter_attachments()
            if part.get_content_type() == "application/pdf"
        )
        assert not [s for s in SECRETS if s in text], message["To"]


# --- the national view --------------------------------------------------------------------------


def figures(world: World) -> dict[str | None, routing.AgencyFigures]:
    """Today's figures per agency (the module's other reports included)."""
    start = datetime.now(UTC) - timedelta(days=1)
    with world.sessions() as db:
        rows = routing.by_agency(db, SERVICE, start, start + timedelta(days=2), LAPOR.returns)
    return {row.unit_code: row for row in rows}


def test_admin_nasional_sees_per_agency_what_arrived_was_returned_archived_and_closed(
    world: World, clock: BrokerClock
):
    """A report returned by the ministry and archived by Admin Nasional counts for the national
    step (returned, archived); one answered at echelon 1 and left without a reply for 10 days
    counts for the ministry (closed by the system); the page shows them to Admin Nasional only.
    """
    before = figures(world)
    returned = Report()
    report_online(world, returned, "kemenkes")
    path: list[tuple[str, str, dict[str, Any]]] = [
        (
            "Task_VerifikasiNasional",
            "nasional",
            {"keputusanNasional": "disposisi", "unitInstansi": "kemenkes"},
        ),
        ("Task_TerimaInstansi", "kemenkes", {"laporanDiterima": True}),
        (
            "Task_VerifikasiInstansi",
            "kemenkes",
            {"wewenangInstansi": "tidak", "alasanPengembalianInstansi": "Bukan kewenangan."},
        ),
        (
            "Task_VerifikasiNasional",
            "nasional",
            {"keputusanNasional": "arsip", "alasanArsip": "Bukan pengaduan."},
        ),
    ]
    for element_id, who, data in path:
        world.complete(returned.case_id, element_id, who, data)
    closed = Report()
    client = world.staff("kemenkes")
    form = f"/tugas/daftarkan/{SERVICE}"
    answer = post_intake(
        client, form, client.get(form).get_data(as_text=True), {"data": REPORT}, saluran="surat"
    )
    started(world, closed, *received(client, answer))
    for element_id, who, data in [
        *DIRECT,
        ("Task_VerifikasiEselon1", "yankes", {"tindakLanjutEselon1": "jawab"}),
        ("Task_JawabEselon1", "yankes", {"jawabanSubstantif": ANSWER}),
    ]:
        world.complete(closed.case_id, element_id, who, data)
    asked = world.waiting_request(closed.case_id)
    with world.sessions() as db:
        request = db.get(DocumentRequest, asked)
        assert request is not None and request.asks_reply
    move_past(clock, broker_now(clock) + timedelta(days=10))

    def both_closed() -> bool:
        return all(world.case(r.case_id).closed_at is not None for r in (returned, closed))

    wait_until(both_closed, timeout=60, what="both reports closed")
    after = figures(world)

    def grew(unit: str | None, name: str) -> int:
        old = before.get(unit)
        return getattr(after[unit], name) - (getattr(old, name) if old else 0)

    assert [grew(None, n) for n in ("received", "returned", "archived", "open")] == [1, 1, 1, 0]
    assert [grew("kemenkes", n) for n in ("received", "closed_by_system", "settled", "open")] == [
        1,
        1,
        0,
        0,
    ]
    page = " ".join(
        world.staff("nasional").get(f"/sla/rute/{SERVICE}").get_data(as_text=True).split()
    )
    assert "Laporan per instansi" in page and "Masih di Admin Nasional" in page
    assert '<th scope="row">Kementerian Kesehatan</th>' in page, page
    assert "Ditutup sistem" in page and "Pernah dikembalikan" in page
    assert world.staff("kemenkes").get(f"/sla/rute/{SERVICE}").status_code == 403
    dashboard = world.staff("nasional").get("/sla").get_data(as_text=True)
    assert f'href="/sla/rute/{SERVICE}"' in dashboard


# --- the happy path in Chromium, as the real actors would drive it ------------------------------


@pytest.fixture(scope="module")
def live(world: World) -> Iterator[str]:
    with serving(world.app) as url:
        yield url


def choose(page: Page, field: str, option: str) -> None:
    """A form-js select: open the field's list, pick the option."""
    page.locator(".fjs-form-field", has_text=field).locator(".fjs-select-display").click()
    page.get_by_text(option, exact=True).click()


def test_a_report_runs_in_the_browser_from_the_citizen_down_to_the_upt_and_back(
    world: World, live: str, new_page: Callable[[], Page]
):
    citizen = new_page()
    citizen.goto(f"{live}/layanan/{SERVICE}")
    expect(citizen.locator("[data-alur-form][data-ready=true]")).to_be_attached()
    assert problems_of(citizen) == []
    citizen.get_by_label("Instansi tujuan").select_option("lapor-nasional")
    citizen.get_by_role("radio", name="Pengaduan", exact=True).check()
    fill(citizen, "Judul laporan", "Antrean loket farmasi rawat jalan")
    fill(citizen, "Isi laporan", REPORT["matter"])
    fill(citizen, "Nama pelapor", REPORT["applicantName"])
    fill(citizen, "Alamat e-mail", REPORT["applicantEmail"])
    citizen.get_by_role("button", name="Kirim permohonan").click()
    citizen.wait_for_url(re.compile(r"/diterima$"))
    code = citizen.locator("#kode-pelacakan").inner_text().strip()
    pin = citizen.locator("#pin").inner_text().strip()
    report = Report()
    started(world, report, code, pin)

    staff = new_page()
    work(staff, live, "nasional", code, "Verifikasi, identifikasi dan disposisi ke instansi")
    staff.get_by_role("radio", name="Disposisikan ke instansi").check()
    choose(staff, "Instansi tujuan", "Kementerian Kesehatan")
    finish(staff)

    work(staff, live, "kemenkes", code, "Terima disposisi laporan")
    staff.get_by_label("Laporan telah diterima dan dibaca", exact=False).check()
    finish(staff)
    work(staff, live, "kemenkes", code, "Verifikasi dan identifikasi laporan")
    # The reason is asked only when the report goes back to Admin Nasional.
    staff.get_by_role("radio", name="Bukan kewenangan instansi", exact=False).check()
    expect(staff.get_by_label("Alasan pengembalian", exact=False)).to_be_visible()
    staff.get_by_role("radio", name="Sesuai kewenangan instansi").check()
    expect(staff.get_by_label("Alasan pengembalian", exact=False)).to_have_count(0)
    finish(staff)
    work(staff, live, "kemenkes", code, "Disposisi laporan ke Admin Eselon 1")
    choose(staff, "Unit Eselon 1 tujuan", "Direktorat Jenderal Pelayanan Kesehatan")
    finish(staff)

    work(staff, live, "yankes", code, "Terima laporan dari Admin Instansi")
    staff.get_by_label("Laporan telah diterima dan dibaca", exact=False).check()
    finish(staff)
    work(staff, live, "yankes", code, "Beri respon awal kepada pelapor")
    fill(staff, "Respon awal kepada pelapor", FIRST_RESPONSE)
    finish(staff)
    work(staff, live, "yankes", code, "Verifikasi laporan terdisposisi")
    staff.get_by_role("radio", name="Disposisikan ke UPT").check()
    choose(staff, "UPT tujuan", "RSUP Dr. Sardjito Yogyakarta")
    finish(staff)

    work(staff, live, "sardjito", code, "Terima laporan dari Admin Eselon 1")
    staff.get_by_label("Laporan telah diterima dan dibaca", exact=False).check()
    finish(staff)
    work(staff, live, "sardjito", code, "Tindak lanjut substantif oleh UPT")
    fill(staff, "Tindak lanjut substantif", ANSWER)
    finish(staff)
    world.waiting_request(report.case_id)

    citizen.goto(f"{live}/lacak")
    citizen.get_by_label("Kode pelacakan").fill(code)
    citizen.get_by_label("PIN").fill(pin)
    citizen.get_by_role("button", name="Lacak").click()
    expect(citizen.locator("#status")).to_have_text(
        "Sudah ditindaklanjuti, menunggu tanggapan Anda"
    )
    assert problems_of(citizen) == []
    letter = citizen.get_by_role(
        "link", name=re.compile(r"^Surat Tindak Lanjut Laporan SP4N-LAPOR! .*\.pdf$")
    )
    with citizen.expect_download() as download:
        letter.click()
    assert ANSWER in pdf_text(Path(download.value.path()).read_bytes())
    for width, name in ((1280, "desktop"), (360, "ponsel")):
        citizen.set_viewport_size({"width": width, "height": 900})
        screenshot(citizen, f"lapor-lacak-{name}")
        citizen.goto(f"{live}/layanan/{SERVICE}/laporan")
        assert problems_of(citizen) == []
        expect(citizen.get_by_text(ANSWER).first).to_be_visible()
        screenshot(citizen, f"lapor-daftar-laporan-{name}")
        citizen.go_back()


# --- the printed SOP, the forms ---------------------------------------------------------------


def test_every_limit_of_the_seed_is_a_code_the_installation_may_set():
    """Every clock of the diagram names a limit code and the seed's figure; the shipped
    calendar file lists every code (commented out: the seed's figures apply)."""
    diagram = bpmn.read((REPO / "bpmn" / "lapor_disposisi_pengaduan.bpmn").read_bytes())
    [process] = diagram.processes
    clocks = {
        node.headers["kodeBatas"]: node.headers["batas"]
        for node in process.nodes
        if node.job_type == "alur.sla.hitung"
    }
    assert clocks == {
        "lapor.verifikasi_nasional": "3 hari",
        "lapor.terima_instansi": "60 menit",
        "lapor.verifikasi_instansi": "3 hari",
        "lapor.disposisi_instansi": "3 hari kerja",
        "lapor.terima_eselon1": "60 menit",
        "lapor.respon_awal": "3 hari kerja",
        "lapor.verifikasi_eselon1": "60 menit",
        "lapor.jawaban_eselon1": "3 hari",
        "lapor.terima_upt": "60 menit",
        "lapor.jawaban_upt": "60 menit",
        "lapor.penutupan": "10 hari",
    }
    shipped = (REPO / "deploy" / "kalender.toml").read_text(encoding="utf-8")
    for code, limit in clocks.items():
        assert f'# "{code}" = "{limit}"' in shipped, code


def test_a_unit_outside_the_list_is_refused_and_nothing_moves(world: World):
    """A disposition to a unit the diagram did not list (another agency's unit, by a forged
    request) is refused with a Bahasa message; the task stays open."""
    report = Report()
    report_online(world, report, "lapor-nasional")
    task = world.open_task(report.case_id, "Task_VerifikasiNasional")
    client = world.staff("nasional")
    page = client.get(f"/tugas/{task.id}").get_data(as_text=True)
    client.post(f"/tugas/{task.id}/klaim", data={"csrf_token": csrf_of(page)})
    page = client.get(f"/tugas/{task.id}").get_data(as_text=True)
    refused = client.post(
        f"/tugas/{task.id}/selesaikan",
        data={
            "csrf_token": csrf_of(page),
            "data": json.dumps(
                {"keputusanNasional": "disposisi", "unitInstansi": "kemenkes-yankes"}
            ),
        },
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 400, refused.get_data(as_text=True)
    assert "unitInstansi" in refused.get_json()["errors"]
    assert world.open_task(report.case_id, "Task_VerifikasiNasional").id == task.id
