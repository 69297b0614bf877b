"""Scenarios of sla.feature on the real broker with its controlled clock, a real database,
the task bridge and the SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alur import workdays
from alur.usertasks import Bridge, Completer, Outcome
from features.support.engine import Engine
from features.support.testjobs import Reports
from stack.local import Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import accounts, cases, deployments, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import Case, HumanTask
from workers.audit import Steps
from workers.deps import Deps
from workers.registry import build_routers
from workers.runtime import job_limits

scenarios("sla/sla.feature")

DIAGRAMS = Path(__file__).resolve().parent / "diagrams"
WIB = ZoneInfo("Asia/Jakarta")
PASSWORD = "Rahasia-Sekali-2026"
KABID_EMAIL = "kabid@dpmptsp.example.id"


@dataclass
class World:
    stack: Stack
    engine: Engine
    sessions: sessionmaker[Session]
    root: Path


@dataclass
class Scenario:
    friday: datetime
    day_off: date
    deps: Deps
    case_id: int = 0
    instance: int = 0
    due: datetime | None = None


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, reports: Reports, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    root = tmp_path_factory.mktemp("sla")
    url = f"sqlite:///{root / 'alur.db'}"
    migrate.upgrade(url)
    db_engine = make_engine(url)
    sessions = make_sessionmaker(db_engine)
    with sessions() as db:
        deployments.record(db, engine.deploy(sorted(DIAGRAMS.iterdir())), "uji")
        accounts.ensure_unit(db, "dpmptsp-jatim", "DPMPTSP Provinsi Jawa Timur")
        for username, role in [
            ("siti", "dpmptsp.front_office"),
            ("rina", "dpmptsp.kabid"),
            ("tim", "spbe.tim_koordinasi"),
        ]:
            accounts.create_user(
                db, username, PASSWORD, full_name=username, unit_code="dpmptsp-jatim", roles=[role]
            )
        rina = accounts.find_user(db, "rina")
        assert rina is not None
        rina.email = KABID_EMAIL
        db.commit()
    bridge = Bridge(engine.channel, sessions, sweep_seconds=0.3, name="alur-test-sla")
    running = engine.submit(bridge.run())
    yield World(stack, engine, sessions, root)
    engine.call(bridge.stop())
    running.result(10)
    db_engine.dispose()


#: The controlled clock keeps running between moves: instants it stamps are a little later.
SLACK = timedelta(seconds=30)


def about(actual: datetime | None, expected: datetime) -> bool:
    return actual is not None and expected <= actual <= expected + SLACK


def broker_now(clock: BrokerClock) -> datetime:
    return datetime.fromtimestamp(clock.now_ms() / 1000, UTC)


def move_to(clock: BrokerClock, instant: datetime) -> None:
    delta = int((instant - broker_now(clock)).total_seconds() * 1000)
    assert delta > 0, "the broker clock only moves forward"
    clock.add(delta)


@given("the DPMPTSP calendar has a day off on a Monday", target_fixture="scenario")
def _(world: World, clock: BrokerClock, request: pytest.FixtureRequest) -> Scenario:
    now = broker_now(clock).astimezone(WIB)
    friday = now.date() + timedelta(days=(4 - now.weekday()) % 7 or 7)
    if datetime.combine(friday, time(14), WIB) <= now + timedelta(hours=1):
        friday += timedelta(days=7)
    # The scenarios count working days by hand: skip weeks with a national day off (the
    # shared broker clock may stand anywhere in the year, e.g. just before Christmas).
    national = workdays.national_days_off({friday.year, friday.year + 1})
    while any(friday + timedelta(days=n) in national for n in range(14)):
        friday += timedelta(days=7)
    day_off = friday + timedelta(days=3)
    path = world.root / f"kalender-{request.node.name}-{friday}.toml"
    path.write_text(
        'zona_waktu = "Asia/Jakarta"\njam_mulai = "08:00"\njam_selesai = "16:00"\n'
        'hari_kerja = ["senin", "selasa", "rabu", "kamis", "jumat"]\n'
        "[instansi.dpmptsp]\n"
        f'[instansi.dpmptsp.libur]\n"{day_off.isoformat()}" = "Libur uji DPMPTSP"\n',
        encoding="utf-8",
    )
    settings = replace(world.stack.settings, database_url="sqlite://unused", calendar_file=path)
    deps = Deps(
        settings=settings,
        sessions=world.sessions,
        s3=world.stack.s3_client(),
        limits=job_limits(settings),
        steps=Steps(world.sessions, 1000),
    )
    return Scenario(datetime.combine(friday, time(14), WIB), day_off, deps)


@given("the broker clock stands at the Friday before it, 14:00 WIB")
def _(scenario: Scenario, clock: BrokerClock) -> None:
    move_to(clock, scenario.friday)


@pytest.fixture
def worker(world: World, scenario: Scenario) -> Iterator[None]:
    running = world.engine.run_worker(build_routers(scenario.deps))
    yield
    world.engine.stop_worker(running)


def task_of(world: World, scenario: Scenario, element_id: str) -> HumanTask:
    def find() -> HumanTask | None:
        with world.sessions() as db:
            return db.scalar(
                select(HumanTask).where(
                    HumanTask.process_instance_key == scenario.instance,
                    HumanTask.element_id == element_id,
                )
            )

    wait_until(lambda: find() is not None, timeout=15, what=f"the task {element_id}")
    task = find()
    assert task is not None
    return task


@when(parsers.parse('a case starts with the limit "{limit}"'))
def _(world: World, scenario: Scenario, worker: None, limit: str) -> None:
    assert limit == "2 hari kerja"  # the diagram's header: the scenario reads what it sets
    with world.sessions() as db:
        case, _ = cases.create(
            db,
            cases.NewCase(
                "pengaduan-dpmptsp", "Uji_Sla", "dpmptsp-jatim", "Budi", None, "Uji SLA", {}
            ),
        )
        db.commit()
        scenario.case_id = case.id
    scenario.instance = world.engine.start(
        "Uji_Sla", {"caseId": scenario.case_id, "unitCode": "dpmptsp-jatim"}
    )
    scenario.due = task_of(world, scenario, "Task_PeriksaPermohonan").due_at


@then("the check is due on the Wednesday after, at 14:00 WIB")
def _(scenario: Scenario) -> None:
    wednesday = scenario.friday + timedelta(days=5)  # Saturday, Sunday, the day off skipped
    assert about(scenario.due, wednesday)
    assert scenario.day_off == (scenario.friday + timedelta(days=3)).date()


@when("the broker clock moves to one minute before the due date")
def _(scenario: Scenario, clock: BrokerClock) -> None:
    assert scenario.due is not None
    move_to(clock, scenario.due - timedelta(minutes=1))


@when("the broker clock moves two minutes on")
def _(clock: BrokerClock) -> None:
    clock.add(2 * 60 * 1000)


def case_row(world: World, scenario: Scenario) -> Case:
    with world.sessions() as db:
        case = db.get(Case, scenario.case_id)
        assert case is not None
        return case


@then("nothing has been escalated")
def _(world: World, scenario: Scenario) -> None:
    # An escalation job completes within a second of its timer; give it two.
    with pytest.raises(Exception, match="timed out"):
        wait_until(lambda: case_row(world, scenario).overdue_at is not None, timeout=2, what="x")
    with world.sessions() as db:
        assert not [e for e in cases.timeline(db, scenario.case_id) if e.kind == "sla"]


@then(parsers.parse('the case is marked overdue with "{title}" in its timeline'))
def _(world: World, scenario: Scenario, title: str) -> None:
    def escalated() -> bool:
        with world.sessions() as db:
            return title in [e.title for e in cases.timeline(db, scenario.case_id)]

    wait_until(escalated, timeout=15, what="the escalation")
    assert case_row(world, scenario).overdue_at is not None


@then("the head of division is told by e-mail")
def _(world: World, scenario: Scenario) -> None:
    code = case_row(world, scenario).tracking_code

    def told() -> list:
        return [
            m
            for m in world.stack.smtp.messages()
            if m["To"] == KABID_EMAIL and code in str(m["Subject"])
        ]

    wait_until(lambda: told(), timeout=10, what="the e-mail to the head of division")
    assert len(told()) == 1


@then("the check is still open")
def _(world: World, scenario: Scenario) -> None:
    assert task_of(world, scenario, "Task_PeriksaPermohonan").status == "open"


def complete(world: World, scenario: Scenario, element_id: str, user: str) -> None:
    task = task_of(world, scenario, element_id)
    completer = Completer(world.stack.settings.zeebe_address)
    try:
        outcome = completer.complete(world.sessions, task.id, user, {"catatan": "ok"})
    finally:
        completer.close()
    assert outcome is Outcome.COMPLETED


@when("the front office completes the check at once")
def _(world: World, scenario: Scenario) -> None:
    complete(world, scenario, "Task_PeriksaPermohonan", "siti")


@when(parsers.parse("the coordination team validates for {days:d} working days"))
def _(world: World, scenario: Scenario, clock: BrokerClock, days: int) -> None:
    task_of(world, scenario, "Task_ValidasiTim")
    # Friday 14-16 (2 h), the day off, then Tuesday and Wednesday (16 h), Thursday 08-14.
    assert days == 3
    # The pause began a moment after 14:00 Friday; a minute's margin makes it 3 full days.
    move_to(clock, scenario.friday + timedelta(days=6, minutes=1))
    complete(world, scenario, "Task_ValidasiTim", "tim")


@then(parsers.parse("the approval is due {days:d} working days after the check was"))
def _(world: World, scenario: Scenario, days: int) -> None:
    approval = task_of(world, scenario, "Task_SetujuiPermohonan")
    assert about(scenario.due, scenario.friday + timedelta(days=5))  # Wednesday 14:00
    # Wednesday 14:00 + 24 working hours: Wed 2 h, Thu 8 h, Fri 8 h, (weekend), Mon 6 h.
    assert days == 3
    assert about(approval.due_at, scenario.friday + timedelta(days=10))
    scenario.due = approval.due_at


@when("the broker clock moves past the approval's due date")
def _(scenario: Scenario, clock: BrokerClock) -> None:
    assert scenario.due is not None
    move_to(clock, scenario.due + timedelta(minutes=1))
