"""The review chain of issue 25 on the real broker, S3 and database, through the staff app.

Staff claim and complete their tasks through the web app's own endpoints (the task page's
form action, with the draft version the page showed); the worker and the task bridge run as
in the worker process. The issued letter is read back from S3 and checked by poppler's
``pdfsig`` as well as by Alur's own verification.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import func, select

from alur import bpmn, review_chain, signature_check
from features.support.browser import (
    WIDTHS,
    fits,
    open_context,
    screenshot,
    sign_in_browser,
)
from features.support.engine import Engine
from features.support.pdfsig import pdfsig
from features.support.sopworld import PASSWORD, Account, pdf_text, running
from features.support.sopworld import SopWorld as World
from features.web.conftest import serving
from features.web.test_pages import problems_of
from stack.local import REPO, Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import cases, documents, letter_drafts
from storage.models import CaseDocument, LetterSignature
from workers import letters as letter_worker

scenarios("platform/review_chain.feature")

DIAGRAMS = Path(__file__).resolve().parent / "diagrams"
PROCESS_ID = "Uji_Paraf"
CHAIN = "balasan"
UNIT = "dpmptsp-jatim"
STAFF = {
    "analis": Account("Fajar Nugroho, S.H.", "dpmptsp.analis", UNIT, "Analis Kebijakan Ahli Muda"),
    "kabid": Account(
        "Endang Susilowati, S.E., M.M.",
        "dpmptsp.kabid",
        UNIT,
        "Kepala Bidang Pengaduan",
        "197506182000032004",
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
        "Kepala Dinas Penanaman Modal dan PTSP",
        "196912251995031002",
    ),
}
#: The tiers as the scenarios name them: (username, element id of their task).
TIERS = {
    "head of division": ("kabid", "Task_ParafKabid"),
    "secretary": ("sekretaris", "Task_ParafSekretaris"),
    "head of office": ("kadis", "Task_Tandatangani"),
}
ANSWER = "Izin usaha Saudara telah diterbitkan pada 2 Desember dan dapat diunduh di laman OSS."
REVISED = ANSWER + " Dasar hukum: Peraturan Pemerintah Nomor 28 Tahun 2025."


@dataclass
class Chain:
    """What a scenario learnt about its case."""

    case_id: int = 0
    instance: int = 0
    pages: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    clock = stack.clock
    # The engine's clock ahead of this machine's, as other tests leave it: drafts and letters
    # are dated by the engine, the web app must not date a draft before it.
    if clock.now_ms() < (datetime.now(UTC) + timedelta(days=7)).timestamp() * 1000:
        clock.add(10 * 86_400_000)
    resources = [DIAGRAMS / "uji_paraf.bpmn", DIAGRAMS / "uji-draf.form"]
    resources += [REPO / "forms" / "surat-paraf.form", REPO / "forms" / "surat-tandatangan.form"]
    with running(stack, engine, tmp_path_factory.mktemp("paraf"), resources, STAFF) as world:
        yield world


@pytest.fixture
def chain() -> Chain:
    return Chain()


def work(world: World, chain: Chain, element_id: str, who: str, data: dict[str, Any]) -> str:
    return world.work_chain(chain.case_id, element_id, who, data)


def approve(world: World, chain: Chain, tier: str) -> None:
    who, element = TIERS[tier]
    chain.pages[who] = work(world, chain, element, who, {"keputusanDraf": "setuju"})


@given("the review-chain test process is deployed")
def _(world: World) -> None:
    # Deployed by the fixture; the chain is what the diagram's task headers declare.
    diagram = bpmn.read((DIAGRAMS / "uji_paraf.bpmn").read_bytes())
    steps = [review_chain.step_of(node.headers) for node in diagram.processes[0].nodes]
    assert [(s.chain, s.stage.value) for s in steps if s] == [
        (CHAIN, "susun"),
        (CHAIN, "paraf"),
        (CHAIN, "paraf"),
        (CHAIN, "tandatangan"),
    ]


@when("a complaint answer is drafted")
def _(world: World, chain: Chain, clock: BrokerClock) -> None:
    draft_answer(world, chain, clock)


def draft_answer(world: World, chain: Chain, clock: BrokerClock) -> None:
    """A complaint case of the analyst's unit and its process, which opens the draft."""
    with world.sessions() as db:
        case, _ = cases.create(
            db,
            cases.NewCase(
                "pengaduan-dpmptsp",
                PROCESS_ID,
                UNIT,
                "Budi Santoso",
                None,
                "Pengaduan izin usaha",
                {},
            ),
        )
        db.commit()
        chain.case_id = case.id
    # Dated by the broker's clock (other tests move it on), never by today's date.
    received = datetime.fromtimestamp(clock.now_ms() / 1000, UTC) - timedelta(days=3)
    chain.instance = world.engine.start(
        PROCESS_ID,
        {
            "caseId": chain.case_id,
            "registerNumber": "17/REG-PGD/DPMPTSP/2026",
            "receivedOn": received.date().isoformat(),
            "summary": "Izin usaha belum terbit setelah 20 hari kerja.",
            "answer": ANSWER,
        },
    )


@when("the analyst sends the draft up")
def _(world: World, chain: Chain) -> None:
    page = work(world, chain, "Task_SusunDraf", "analis", {})
    assert "Draf Surat Jawaban Pengaduan" in page and "Versi 1" in page
    assert "Pratinjau PDF" in page, "the drafter can preview the letter before sending it up"
    task_id = world.open_task(chain.case_id, "Task_ParafKabid").id
    preview = world.staff("kabid").get(f"/tugas/{task_id}/draf.pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")
    text = pdf_text(preview.data)
    assert "DRAF" in text and ANSWER[:40] in text


@when(parsers.parse("the {tier} initials it"))
@when(parsers.parse("the {tier} approves it for signature"))
def _(world: World, chain: Chain, tier: str) -> None:
    approve(world, chain, tier)


@when(parsers.parse("the draft is approved below the {tier}"))
def _(world: World, chain: Chain, tier: str) -> None:
    for lower in list(TIERS)[: list(TIERS).index(tier)]:
        approve(world, chain, lower)


@when(parsers.parse('the {tier} returns it with the note "{note}"'))
def _(world: World, chain: Chain, tier: str, note: str) -> None:
    who, element = TIERS[tier]
    work(world, chain, element, who, {"keputusanDraf": "kembalikan", "catatanDraf": note})


@then("the analyst's task shows the note")
def _(world: World, chain: Chain) -> None:
    task_id = world.open_task(chain.case_id, "Task_SusunDraf").id
    page = world.staff("analis").get(f"/tugas/{task_id}").get_data(as_text=True)
    assert "Dikembalikan oleh" in page and "Lengkapi dasar hukum dalam jawaban." in page


@when("the analyst revises the answer and sends it up")
def _(world: World, chain: Chain) -> None:
    work(world, chain, "Task_SusunDraf", "analis", {"answer": REVISED})


@then("the head of division sees what changed since version 1")
def _(world: World, chain: Chain) -> None:
    task_id = world.open_task(chain.case_id, "Task_ParafKabid").id
    page = world.staff("kabid").get(f"/tugas/{task_id}").get_data(as_text=True)
    assert "Perubahan sejak versi 1" in page
    assert "Peraturan Pemerintah Nomor 28 Tahun 2025" in page


@when("every tier approves it")
def _(world: World, chain: Chain) -> None:
    for tier in TIERS:
        approve(world, chain, tier)


def issued(world: World, chain: Chain) -> tuple[CaseDocument, bytes]:
    """The issued letter, once its signature is on record for the verification page."""

    def find() -> CaseDocument | None:
        with world.sessions() as db:
            return db.scalar(
                select(CaseDocument)
                .join(LetterSignature, LetterSignature.document_id == CaseDocument.id)
                .where(
                    CaseDocument.case_id == chain.case_id,
                    CaseDocument.kind == "pengaduan_jawaban",
                )
            )

    wait_until(lambda: find() is not None, timeout=60, what="the issued, signed letter")
    doc = find()
    assert doc is not None
    return doc, documents.read_document(world.deps.s3, doc)


@then(
    parsers.parse("the letter is issued from version {version:d} with that version's content hash")
)
def _(world: World, chain: Chain, version: int) -> None:
    doc, pdf = issued(world, chain)
    with world.sessions() as db:
        draft = letter_drafts.latest(db, chain.case_id, CHAIN)
        seal = db.scalar(select(LetterSignature).where(LetterSignature.document_id == doc.id))
    assert draft is not None and draft.version == version
    assert seal is not None and seal.content_sha256 == draft.content_sha256
    assert seal.signed_sha256 == doc.sha256
    text = pdf_text(pdf)
    assert draft.content_sha256[:4] in text.replace(" ", "").lower()
    expected = REVISED if version > 1 else ANSWER
    assert " ".join(expected.split())[:60] in text
    assert "DRAF" not in text
    assert seal.code in text, "the letter prints its verification code"


@then("it carries the initials of the head of division and the secretary")
def _(world: World, chain: Chain) -> None:
    _, pdf = issued(world, chain)
    text = pdf_text(pdf)
    for who in ("kabid", "sekretaris"):
        assert STAFF[who].name in text, f"the initials of {who} are not printed"


@then("its electronic signature is valid and names the head of office")
def _(world: World, chain: Chain) -> None:
    _, pdf = issued(world, chain)
    said = pdfsig(pdf)
    assert said.valid and said.whole_document, said.output
    assert STAFF["kadis"].name in said.signer, said.output
    report = signature_check.check(pdf, world.deps.signing().trust_roots())
    assert report.status == "sah", report.reason
    assert STAFF["kadis"].name in (report.signer_name or "")


@then("issuing it again changes nothing")
def _(world: World, chain: Chain) -> None:
    doc, _ = issued(world, chain)
    with world.sessions() as db:
        step_key = db.scalar(
            select(LetterSignature.source_key).where(LetterSignature.document_id == doc.id)
        )
    assert step_key is not None
    again = letter_worker.issue_letter(
        world.deps,
        case_id=chain.case_id,
        step_key=step_key.removeprefix("surat:"),
        headers={
            "jenis": "pengaduan_jawaban",
            "instansi": "dpmptsp",
            "register": "surat-keluar",
            "draf": CHAIN,
        },
        spec={},
    )
    assert again.document_id == doc.id
    with world.sessions() as db:
        letters = db.scalar(
            select(func.count())
            .select_from(CaseDocument)
            .where(CaseDocument.case_id == chain.case_id, CaseDocument.kind == "pengaduan_jawaban")
        )
        seals = db.scalar(
            select(func.count())
            .select_from(LetterSignature)
            .where(LetterSignature.case_id == chain.case_id)
        )
    assert (letters, seals) == (1, 1)


def titles(world: World, chain: Chain) -> list[str]:
    with world.sessions() as db:
        return [event.title for event in cases.timeline(db, chain.case_id)]


@then("the timeline shows the draft, both initials and the signature")
def _(world: World, chain: Chain) -> None:
    wait_until(
        lambda: any("ditandatangani secara elektronik" in t for t in titles(world, chain)),
        timeout=30,
        what="the signature in the timeline",
    )
    said = titles(world, chain)
    expected = [
        r"Draf Surat Jawaban Pengaduan versi 1 disusun",
        r"Draf Surat Jawaban Pengaduan versi 1 diajukan untuk diperiksa",
        r"Draf Surat Jawaban Pengaduan versi 1 diparaf",
        r"Draf Surat Jawaban Pengaduan versi 1 diparaf",
        r"Draf Surat Jawaban Pengaduan versi 1 disetujui untuk ditandatangani",
        r"Surat Jawaban Pengaduan nomor \S+ diterbitkan, ditandatangani secara elektronik oleh "
        + re.escape(STAFF["kadis"].name),
    ]
    chain_events = [t for t in said if t.startswith(("Draf ", "Surat Jawaban"))]
    assert len(chain_events) == len(expected), said
    for title, pattern in zip(chain_events, expected, strict=True):
        assert re.fullmatch(pattern, title), (title, pattern)


@then("the timeline shows the return with its note")
def _(world: World, chain: Chain) -> None:
    said = titles(world, chain)
    assert any(
        re.fullmatch(
            r"Draf Surat Jawaban Pengaduan versi 1 dikembalikan untuk diperbaiki: "
            r"Lengkapi dasar hukum dalam jawaban\.",
            title,
        )
        for title in said
    ), said
    assert "Draf Surat Jawaban Pengaduan versi 2 diajukan untuk diperiksa" in said


# The reviewer's page in Chromium ###########################################################


def test_a_reviewer_sees_the_draft_and_what_changed_at_both_widths(
    world: World, clock: BrokerClock, browser: Browser
):
    """The head of division, after a return and a revision: the draft's PDF link, the
    decisions so far and the change since the version they returned, readable at a desktop's
    and a phone's width (no English, no ISO dates, no serious axe finding)."""
    chain = Chain()
    draft_answer(world, chain, clock)
    work(world, chain, "Task_SusunDraf", "analis", {})
    work(
        world,
        chain,
        "Task_ParafKabid",
        "kabid",
        {"keputusanDraf": "kembalikan", "catatanDraf": "Lengkapi dasar hukum dalam jawaban."},
    )
    work(world, chain, "Task_SusunDraf", "analis", {"answer": REVISED})
    task_id = world.open_task(chain.case_id, "Task_ParafKabid").id
    with serving(world.app) as base:
        for size in sorted(WIDTHS):
            context = open_context(browser, size)
            page = context.new_page()
            sign_in_browser(page, base, "kabid", PASSWORD)
            page.goto(f"{base}/tugas/{task_id}")
            panel = page.get_by_role("region", name="Draf surat")
            expect(panel).to_contain_text("Versi 2")
            expect(panel).to_contain_text("Perubahan sejak versi 1")
            expect(panel).to_contain_text("Peraturan Pemerintah Nomor 28 Tahun 2025")
            expect(panel.get_by_role("link", name="Buka pratinjau PDF versi 2")).to_be_visible()
            screenshot(page, f"draf-surat-peninjau-{size}")
            assert problems_of(page) == [], size
            assert fits(page), size
            context.close()
