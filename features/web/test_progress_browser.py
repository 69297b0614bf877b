"""The picture of where a case stands, in real Chromium: a real SOP 1 case (intake, the
workers' service steps, disposition and analysis done through the staff app, a timer that
fired) shown with ``_progress.html``'s ``progress_diagram`` in the bpmn-js viewer, the marks
on the right SVG elements, the text alternative beside it, at a desktop's and a phone's width.
The citizens' tracking page shows no diagram.

The macro is rendered by a page this module adds to its own app (the task page includes it
the same way). Its ``now`` is the broker's: the tests move the broker's clock ahead of the
wall clock, and a due date comes from the broker's clock (in production they are one).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alur import progress
from alur.usertasks import Bridge
from features.support.browser import WIDTHS, open_context, screenshot
from features.support.engine import Engine
from features.web.conftest import claim_and_complete, csrf_of, serving, sign_in
from stack.local import REPO, Stack, load_agencies
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import accounts, cases, deployments, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import Case, CaseEvent, HumanTask
from web import create_app
from workers.deps import make_deps
from workers.registry import build_routers

pytestmark = pytest.mark.platform

WIB = ZoneInfo("Asia/Jakarta")
PASSWORD = "Rahasia-Sekali-2026"
UNIT = "kemenpanrb-kelembagaan"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
STAFF = {
    "pimpinan": ("Dr. Aba Subagja, M.Si.", "kemenpanrb.pimpinan"),
    "petugas": ("Rudi Hartono, S.Sos.", "kemenpanrb.petugas"),
}
PAGE = """{% extends "base.html" %}
{% from "_progress.html" import progress_diagram, progress_assets %}
{% block title %}{{ task.name }}{% endblock %}
{% block head %}{{ progress_assets() }}{% endblock %}
{% block content %}<h1>{{ task.name }}</h1>{{ progress_diagram(picture) }}{% endblock %}"""


@dataclass
class World:
    app: Flask
    sessions: sessionmaker[Session]
    clock: BrokerClock


def broker_now(clock: BrokerClock) -> datetime:
    return datetime.fromtimestamp(clock.now_ms() / 1000, UTC)


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('kemajuan') / 'alur.db'}"
    migrate.upgrade(url)
    db_engine = make_engine(url)
    sessions = make_sessionmaker(db_engine)
    settings = replace(stack.settings, database_url=url, job_retry_backoff_ms=1000)
    with sessions() as db:
        paths = [REPO / "bpmn" / "kemenpanrb_konsultasi_surat.bpmn"]
        paths += sorted((REPO / "forms").glob("kemenpanrb-konsultasi-*.form"))
        paths += sorted((REPO / "forms").glob("surat-*.form"))
        deployments.record(db, engine.deploy(paths), "uji")
        accounts.ensure_unit(db, "kemenpanrb", "Kementerian PANRB")
        accounts.ensure_unit(db, UNIT, "Deputi Kelembagaan dan Tata Laksana", "kemenpanrb")
        for username, (name, role) in STAFF.items():
            user = accounts.create_user(
                db, username, PASSWORD, full_name=name, unit_code=UNIT, roles=[role]
            )
            user.email = f"{username}@menpan.example.id"
        db.commit()
    # deploy/agencies.toml as make run loads it (units made above stay as they are)
    load_agencies(url)
    deps = make_deps(settings, sessions, stack.s3_client())
    worker = engine.run_worker(build_routers(deps))
    bridge = Bridge(engine.channel, sessions, sweep_seconds=0.3, name="alur-test-kemajuan")
    running = engine.submit(bridge.run())
    app = create_app(settings)

    @app.get("/uji/kemajuan/<int:task_id>")
    def picture(task_id: int) -> str:
        with sessions() as db:
            task = db.get(HumanTask, task_id)
            assert task is not None
            case = db.get(Case, task.case_id) if task.case_id else None
            shown = progress.of_task(db, task, case, broker_now(stack.clock))
        return render_template_string(PAGE, task=task, picture=shown)

    yield World(app, sessions, stack.clock)
    engine.call(bridge.stop())
    running.result(10)
    engine.stop_worker(worker)
    db_engine.dispose()


@pytest.fixture(scope="module")
def live(world: World) -> Iterator[str]:
    with serving(world.app) as url:
        yield url


def apply(client: FlaskClient) -> str:
    """An institution asks for a consultation through the public intake: its tracking code."""
    page = client.get("/layanan/konsultasi-kemenpanrb").get_data(as_text=True)
    data = {
        "applicantType": "institusi",
        "applicantName": "Dinas Kominfo Kabupaten Sleman",
        "institutionName": "Pemerintah Kabupaten Sleman",
        "applicantEmail": "kominfo@sleman.example.id",
        "applicantPhone": "081234567890",
        "topic": "spbe",
        "subject": "Konsultasi arsitektur SPBE daerah",
        "matter": "Penyusunan arsitektur SPBE pemerintah daerah.",
        "purpose": "Mendapat arahan penyusunan arsitektur SPBE.",
        "requestedTime": (datetime.now(WIB) + timedelta(days=30)).strftime("%Y-%m-%dT10:00+07:00"),
        "identityDocument": "files::ktp",
    }
    response = client.post(
        "/layanan/konsultasi-kemenpanrb/ajukan",
        data={
            "csrf_token": csrf_of(page),
            "data": json.dumps(data),
            "files::ktp": (io.BytesIO(PDF), "ktp.pdf"),
        },
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    received = client.get(response.get_json()["redirect"]).get_data(as_text=True)
    match = re.search(r'id="kode-pelacakan">([^<]+)<', received)
    assert match
    return match.group(1)


def open_task(world: World, case_id: int, element_id: str) -> HumanTask:
    def find() -> HumanTask | None:
        with world.sessions() as db:
            return db.scalar(
                select(HumanTask).where(
                    HumanTask.case_id == case_id,
                    HumanTask.element_id == element_id,
                    HumanTask.status == "open",
                )
            )

    wait_until(lambda: find() is not None, timeout=20, what=f"the task {element_id}")
    task = find()
    assert task is not None
    return task


def step_recorded(world: World, case_id: int, element_id: str) -> bool:
    with world.sessions() as db:
        events = db.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == "langkah")
        )
        return any(e.detail.get("elementId") == element_id for e in events)


def staff_client(world: World, username: str) -> FlaskClient:
    client = world.app.test_client()
    sign_in(client, username)
    return client


@pytest.fixture(scope="module")
def waiting_case(world: World) -> dict[str, Any]:
    """A case past its decision, waiting at "Tetapkan jadwal" after its due date: the timer on
    that step fired and the escalation ran."""
    applicant = world.app.test_client()
    code = apply(applicant)
    with world.sessions() as db:
        found = cases.by_code(db, code)
        assert found is not None
        case_id = found.id
    disposition = open_task(world, case_id, "Task_DisposisiPimpinan")
    claim_and_complete(
        staff_client(world, "pimpinan"),
        disposition.id,
        {"officers": "Rudi Hartono", "dispositionNote": "Mohon ditelaah."},
    )
    officer = staff_client(world, "petugas")
    analysis = open_task(world, case_id, "Task_AnalisisKonsultasi")
    claim_and_complete(
        officer, analysis.id, {"canBeHeld": "ya", "analysis": "Materi sesuai kewenangan."}
    )
    schedule = open_task(world, case_id, "Task_TetapkanJadwal")
    assert schedule.due_at is not None
    late_by = schedule.due_at - broker_now(world.clock) + timedelta(minutes=1)
    if late_by > timedelta(0):
        world.clock.add(int(late_by.total_seconds() * 1000))
    wait_until(
        lambda: step_recorded(world, case_id, "Task_EskalasiTetapkanJadwal"),
        timeout=30,
        what="the escalation of the late schedule",
    )
    return {"code": code, "case_id": case_id, "task_id": schedule.id, "applicant": applicant}


def has_class(page: Page, element_id: str, marker: str) -> bool:
    node = page.locator(f'.djs-element[data-element-id="{element_id}"]')
    expect(node).to_have_count(1)
    return marker in (node.get_attribute("class") or "").split()


DONE = [
    "Start_SuratPermohonanDiterima",
    "Task_HitungTenggatJawaban",  # service steps, from the workers' timeline entries
    "Task_CatatSuratMasuk",
    "Task_KirimTandaTerima",
    "Task_DisposisiPimpinan",  # human tasks
    "Task_AnalisisKonsultasi",
    "Gateway_DapatDilaksanakan",  # passed on the way
    "Timer_TenggatTetapkanJadwal",  # fired
    "Task_EskalasiTetapkanJadwal",
    "End_EskalasiTetapkanJadwal",
]
TAKEN = [
    "Flow_KeHitungTenggat",
    "Flow_KeCatatSurat",
    "Flow_KeTandaTerima",
    "Flow_KeDisposisi",
    "Flow_KeAnalisis",
    "Flow_KeKeputusan",
    "Flow_Dapat",
    "Flow_KeEskalasiTetapkanJadwal",
    "Flow_KeAkhirEskalasiTetapkanJadwal",
]
NOT_REACHED = [
    "Task_TerbitkanSuratPenolakan",
    "Task_TerbitkanSuratJawaban",
    "Timer_TenggatDisposisiPimpinan",
    "End_KonsultasiSelesai",
]


@pytest.fixture(params=sorted(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    context = open_context(browser, request.param)
    yield request.param, context.new_page()
    context.close()


def test_the_diagram_marks_the_steps_done_the_current_late_step_and_the_path_taken(
    world: World, live: str, waiting_case: dict[str, Any], sized: tuple[str, Page]
):
    size, page = sized
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live}/uji/kemajuan/{waiting_case['task_id']}")
    expect(page.locator("[data-alur-progress]")).to_have_attribute("data-ready", "true")
    assert problems == []

    for element_id in DONE:
        assert has_class(page, element_id, "alur-selesai"), element_id
    for flow_id in TAKEN:
        assert has_class(page, flow_id, "alur-ditempuh"), flow_id
    assert has_class(page, "Task_TetapkanJadwal", "alur-sedang")
    assert has_class(page, "Task_TetapkanJadwal", "alur-terlambat")
    assert not has_class(page, "Task_TetapkanJadwal", "alur-selesai")
    assert not has_class(page, "Flow_TidakDapat", "alur-ditempuh")  # the other branch
    assert not has_class(page, "Task_AnalisisKonsultasi", "alur-sedang")
    for element_id in NOT_REACHED:
        assert not has_class(page, element_id, "alur-selesai"), element_id
    # The marks are drawn: the current step's outline is thick and blue.
    outline = page.locator(
        '.djs-element[data-element-id="Task_TetapkanJadwal"] .djs-visual > rect'
    ).first
    assert outline.evaluate("e => getComputedStyle(e).strokeWidth") == "5px"

    legend = page.locator(".progress-legend")
    for label in ("Selesai", "Sedang dikerjakan", "Terlambat", "Jalur yang ditempuh"):
        expect(legend).to_contain_text(label)
    steps = page.locator("ol.progress-steps > li")
    expect(steps.first).to_contain_text(
        re.compile(r"^Surat permohonan konsultasi diterima — \w+, \d{1,2} \w+ \d{4} pukul")
    )
    expect(steps.filter(has_text="Disposisi pimpinan")).to_contain_text(
        "oleh Dr. Aba Subagja, M.Si."
    )
    expect(steps.filter(has_text="Kirim tanda terima")).to_contain_text(
        re.compile(r"selesai \w+, \d{1,2} \w+ \d{4} pukul \d{2}\.\d{2} WIB")
    )
    expect(steps.last).to_contain_text("Sedang dikerjakan: Tetapkan jadwal dan narahubung")
    expect(steps.last.locator(".badge.terlambat")).to_have_text("Terlambat")
    told = [" ".join(t.split()).split(" — ")[0] for t in steps.all_inner_texts()]
    in_order = [
        "Surat permohonan konsultasi diterima",
        "Hitung tenggat surat jawaban",
        "Catat surat permohonan",
        "Kirim tanda terima",
        "Disposisi pimpinan",
        "Analisis konsultasi",
    ]
    assert [name for name in told if name in in_order] == in_order

    screenshot(page, f"kemajuan-perkara-{size}")
    # A wide diagram scrolls inside its frame; the page itself never scrolls sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_citizens_tracking_page_shows_no_diagram(waiting_case: dict[str, Any]):
    applicant: FlaskClient = waiting_case["applicant"]
    page = applicant.get(f"/lacak/{waiting_case['code']}").get_data(as_text=True)
    assert waiting_case["code"] in page
    assert "data-alur-progress" not in page and "Posisi perkara dalam SOP" not in page
    assert "camunda-cloud-navigated-viewer" not in page


def test_the_marks_of_a_case_come_from_its_recorded_steps(
    world: World, waiting_case: dict[str, Any]
):
    with world.sessions() as db:
        case = db.get(Case, waiting_case["case_id"])
        assert case is not None
        shown = progress.of_case(db, case, broker_now(world.clock))
    assert shown is not None
    data = shown.data()
    assert set(DONE) <= set(data["done"]) and set(TAKEN) <= set(data["taken"])
    assert data["current"] == ["Task_TetapkanJadwal"] and data["focus"] == "Task_TetapkanJadwal"
    assert data["overdue"] == ["Task_TetapkanJadwal"]
    assert "Flow_TidakDapat" not in data["taken"]


def test_the_task_page_shows_where_its_case_stands(
    world: World, live: str, waiting_case: dict[str, Any], sized: tuple[str, Page]
):
    size, page = sized
    page.goto(f"{live}/masuk")
    page.get_by_label("Nama pengguna").fill("petugas")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Keluar")).to_be_visible()
    page.goto(f"{live}/tugas/{waiting_case['task_id']}")
    expect(page.locator("[data-alur-progress]")).to_have_attribute("data-ready", "true")

    assert has_class(page, "Task_TetapkanJadwal", "alur-sedang")
    assert has_class(page, "Flow_Dapat", "alur-ditempuh")
    assert has_class(page, "Task_AnalisisKonsultasi", "alur-selesai")
    expect(page.locator("ol.progress-steps > li").last).to_contain_text(
        "Sedang dikerjakan: Tetapkan jadwal dan narahubung"
    )
    screenshot(page, f"tugas-kemajuan-{size}")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
