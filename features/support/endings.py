"""How a task and a case ended (issue 23), checked everywhere people see it.

A case of a unit of its own runs the test diagram ``uji_tugas_manusia.bpmn`` (one user task,
an interrupting two-day timer); :meth:`Endings.check` waits until an ending shows, then
asserts it in the task row (and the inbox's copy), the case timeline, the applicant's tracking
page as the web app renders it, and the SLA dashboard's figures of that unit. The unit of its
own makes the figures exact: they count this case and nothing else.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import lxml.html
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alur import engine_events
from alur.usertasks import VAR_CASE_ID, VAR_UNIT_CODE
from features.support import caseids
from features.support.engine import Engine
from stack import zeebe as zeebe_server
from stack.local import Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import cases, deployments, sla, tasks
from storage.cases import NewCase
from storage.models import Case, HumanTask
from web import create_app

T = TypeVar("T")
DIAGRAMS = Path(__file__).resolve().parent.parent / "platform" / "diagrams"
#: The diagram and its task's form.
FILES = (DIAGRAMS / "uji_tugas_manusia.bpmn", DIAGRAMS / "uji-periksa.form")
PROCESS_ID = "Uji_TugasManusia"
TASK = "Periksa berkas"
DAY_MS = 24 * 60 * 60 * 1000
#: The tracking page's milestones of a case being handled, none of them reached but receipt.
RECEIVED_ONLY = (
    ("Diterima", True),
    ("Sedang ditangani", False),
    ("Diputuskan", False),
    ("Surat dikirim", False),
)


def restart_broker(
    stack: Stack, clock: BrokerClock, while_down: Callable[[], None] | None = None
) -> None:
    """Stop Zeebe, call ``while_down``, start Zeebe on the same data, and put its clock back
    where it was.

    Only in a module marked ``restarts_broker``: after a restart the controlled clock starts
    again at system time, which the tests sorted before it must never see."""
    before = clock.now_ms()
    stack.supervisor.stop(stack.children["zeebe"])
    if while_down is not None:
        while_down()
    stack.children["zeebe"] = zeebe_server.start(stack.zeebe, stack.supervisor)
    behind = before - clock.now_ms()
    if behind > 0:
        clock.add(behind)


def deploy(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """Deploy the diagram and its form, recorded as ``alur.deploys`` does: the task bridge
    reads the step's name (what staff and the timeline say) from the recorded diagram."""
    with sessions() as db:
        deployments.record(db, engine.deploy(FILES), "uji")


def broker_now(clock: BrokerClock) -> datetime:
    """The broker's time (tests move it forward; due dates and records follow it)."""
    return datetime.fromtimestamp(clock.now_ms() / 1000, UTC)


@dataclass(frozen=True)
class Started:
    """A case of a unit of its own, its instance's open task, and what its applicant holds."""

    case_id: int
    tracking_code: str
    pin: str
    unit: str
    task: HumanTask

    @property
    def instance(self) -> int:
        return self.task.process_instance_key


@dataclass(frozen=True)
class Page:
    """What the applicant's tracking page shows: the status, each milestone with whether it
    was reached, and the public timeline's lines (without their times)."""

    status: str
    milestones: tuple[tuple[str, bool], ...]
    timeline: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figures:
    """The SLA dashboard's figures of one unit (``storage.sla``)."""

    open_cases: int
    overdue_cases: int = 0
    #: Tasks completed with a due date, and how many by it (the on-time rate).
    completed: int = 0
    on_time: int = 0
    overdue_tasks: int = 0
    #: Tasks completed per step (the time-per-step table).
    steps: tuple[tuple[str, int], ...] = ()


#: A case being handled whose task is still open.
OPEN = Figures(open_cases=1)


@dataclass(frozen=True)
class Ending:
    """How one ending must show everywhere (the instance has ended: the case is closed)."""

    task_status: str
    end_reason: str
    #: The timeline entries the engine's records made, in order: kind, words of the title,
    #: public (shown to the applicant).
    notes: tuple[tuple[str, str, bool], ...]
    case_status: str
    page: Page
    figures: Figures


@dataclass(frozen=True)
class Seen:
    """What Alur's database says about a case and its task."""

    task_status: str
    end_reason: str | None
    inbox: tuple[str, ...]
    notes: tuple[tuple[str, str, bool], ...]
    case_status: str
    case_closed: bool
    figures: Figures

    def fits(self, ending: Ending) -> bool:
        """Whether the database shows ``ending`` (the page is read once it does)."""
        return (
            (self.task_status, self.end_reason, self.case_status)
            == (ending.task_status, ending.end_reason, ending.case_status)
            and set(self.inbox) == {ending.task_status}
            and self.case_closed
            and notes_fit(self.notes, ending.notes)
            and self.figures == ending.figures
        )


def notes_fit(
    seen: tuple[tuple[str, str, bool], ...], want: tuple[tuple[str, str, bool], ...]
) -> bool:
    """Each entry of the kind and publicity wanted, its title holding the words wanted."""
    return len(seen) == len(want) and all(
        kind == k and words in title and public == p
        for (kind, title, public), (k, words, p) in zip(seen, want, strict=True)
    )


#: The test diagram's path after the task has no step that sets the final status, so when
#: the instance completes the listener closes the case as done: decided, no longer open.
DONE_BY_ENGINE = ("status", "Status permohonan: Selesai", True)
DECIDED = (
    ("Diterima", True),
    ("Sedang ditangani", True),
    ("Diputuskan", True),
    ("Surat dikirim", False),
)

#: A task completed by another Zeebe client: the step is done (counted on time), the
#: instance goes on to its end.
COMPLETED_ELSEWHERE = Ending(
    task_status=tasks.COMPLETED,
    end_reason=engine_events.OTHER_CLIENT,
    notes=(("tugas", f"{TASK} diselesaikan di luar Alur", False), DONE_BY_ENGINE),
    case_status="selesai",
    page=Page("Selesai", DECIDED, ("Status permohonan: Selesai",)),
    figures=Figures(open_cases=0, completed=1, on_time=1, steps=((TASK, 1),)),
)
#: An instance an operator cancelled: the case is stopped, nothing further is promised.
STOPPED = Ending(
    task_status=tasks.CANCELLED,
    end_reason=engine_events.CASE_STOPPED,
    notes=(
        (engine_events.TASK_CANCELLED, f"{TASK} dibatalkan karena kasusnya dihentikan", False),
        ("henti", "Permohonan dihentikan di mesin proses", True),
    ),
    case_status=engine_events.STOPPED,
    page=Page(
        "Dihentikan",
        (("Diterima", True), ("Dihentikan", True)),
        (engine_events.STOPPED_FOR_APPLICANT,),
    ),
    figures=Figures(open_cases=0),
)
#: A task an interrupting timer took: it leaves the inbox (and the overdue list), no one
#: worked on it; the instance goes on to its end.
MOVED_ON = Ending(
    task_status=tasks.CANCELLED,
    end_reason=engine_events.MOVED_ON,
    notes=(
        (engine_events.TASK_CANCELLED, f"{TASK} dibatalkan karena proses berlanjut", False),
        DONE_BY_ENGINE,
    ),
    case_status="selesai",
    page=Page("Selesai", DECIDED, ("Status permohonan: Selesai",)),
    figures=Figures(open_cases=0),
)


def settle(look: Callable[[], T], done: Callable[[T], bool], timeout: float = 15) -> T:
    """Look until ``done`` holds or ``timeout`` passes; the last look (to assert on)."""
    deadline = time.monotonic() + timeout
    seen = look()
    while not done(seen) and time.monotonic() < deadline:
        time.sleep(0.1)
        seen = look()
    return seen


@dataclass
class Endings:
    """Cases on the test diagram and the checks of how they ended, on one database."""

    engine: Engine
    sessions: sessionmaker[Session]
    clock: BrokerClock
    app: Flask

    def new_case(self, unit: str) -> tuple[int, str, str]:
        """A case being handled (``diproses``) in ``unit``: its id, tracking code and PIN."""
        with self.sessions() as db:
            case, pin = cases.create(
                db,
                NewCase(
                    service_code="uji",
                    bpmn_process_id=PROCESS_ID,
                    unit_code=unit,
                    applicant_name="Siti",
                    applicant_email=None,
                    subject="Uji akhir tugas",
                    data={},
                ),
            )
            case.status = "diproses"
            db.commit()
            case = caseids.move_first(db, case)
            return case.id, case.tracking_code, pin

    def start(self) -> Started:
        """A new case of a unit of its own, its instance, and its task open in the table
        (needs a task bridge on this database); its figures are those of an open case."""
        unit = f"UJI-AKHIR-{uuid.uuid4().hex[:8]}"
        case_id, code, pin = self.new_case(unit)
        for _ in range(5):
            # The broker is shared with other modules' databases, and this database's task
            # bridge mirrors their user tasks too, with their caseId: a task of a case with
            # the same id in another module's database would count as this case's (late)
            # task. Take a case id no mirrored task names (not a concern of one installation,
            # whose broker and database are its own).
            if not self.named_by_mirrored_tasks(case_id):
                break
            case_id, code, pin = self.new_case(unit)
        due = (broker_now(self.clock) + timedelta(days=2)).isoformat()
        variables = {"tenggat": due, VAR_CASE_ID: case_id, VAR_UNIT_CODE: unit}
        instance = self.engine.start(PROCESS_ID, variables)
        with self.sessions() as db:
            case = db.get(Case, case_id)
            assert case is not None
            case.process_instance_key = instance
            db.commit()
        task = self.wait_for(instance, lambda t: t.status == tasks.OPEN, "the open task")
        started = Started(case_id, code, pin, unit, task)
        opened = self.figures(started)
        assert opened == OPEN, opened
        return started

    def named_by_mirrored_tasks(self, case_id: int) -> bool:
        with self.sessions() as db:
            found = db.scalar(select(HumanTask.id).where(HumanTask.case_id == case_id).limit(1))
        return found is not None

    def wait_for(self, instance: int, check: Callable[[HumanTask], bool], what: str) -> HumanTask:
        """The instance's first task, once ``check`` holds for it."""
        found: list[HumanTask] = []

        def ready() -> bool:
            with self.sessions() as db:
                rows = cases.tasks_of_instance(db, instance)
                db.expunge_all()
            found[:] = rows
            return bool(rows) and check(rows[0])

        wait_until(ready, timeout=15, what=what)
        return found[0]

    def task(self, started: Started) -> HumanTask:
        """The task's row as it is now."""
        with self.sessions() as db:
            task = db.get(HumanTask, started.task.id)
            assert task is not None
            db.expunge(task)
        return task

    def timeline(self, case_id: int) -> list[tuple[str, str, bool]]:
        """The case's timeline: kind, title, public."""
        with self.sessions() as db:
            return [(e.kind, e.title, e.public) for e in cases.timeline(db, case_id)]

    def figures(self, started: Started) -> Figures:
        """The SLA figures of the case's unit, now on the broker's clock."""
        now = broker_now(self.clock)
        start, end, units = now - timedelta(days=180), now + timedelta(days=1), [started.unit]
        with self.sessions() as db:
            open_rows = sla.open_cases(db, now, units)
            done = sla.total_on_time(sla.on_time(db, start, end, units))
            overdue = sla.overdue_tasks(db, now, units)
            steps = sla.step_times(db, start, end, units)
        return Figures(
            open_cases=sum(row.open for row in open_rows),
            overdue_cases=sum(row.overdue for row in open_rows),
            completed=done.completed,
            on_time=done.on_time,
            overdue_tasks=overdue.total,
            steps=tuple((step.name, step.count) for step in steps),
        )

    def seen(self, started: Started) -> Seen:
        """The task row, its inbox copies, the timeline, the case and its unit's figures."""
        with self.sessions() as db:
            task = db.get(HumanTask, started.task.id)
            case = db.get(Case, started.case_id)
            assert task is not None and case is not None
            seen = Seen(
                task_status=task.status,
                end_reason=task.end_reason,
                inbox=tuple(group.status for group in task.groups),
                notes=tuple(
                    (e.kind, e.title, e.public) for e in cases.timeline(db, started.case_id)
                ),
                case_status=case.status,
                case_closed=case.closed_at is not None,
                figures=self.figures(started),
            )
        return seen

    def check(self, started: Started, ending: Ending) -> HumanTask:
        """Wait until ``ending`` shows, then assert it everywhere; the task row."""
        seen = settle(lambda: self.seen(started), lambda s: s.fits(ending))
        assert (seen.task_status, seen.end_reason) == (ending.task_status, ending.end_reason)
        assert set(seen.inbox) == {ending.task_status}, "the inbox's copy of the status"
        assert notes_fit(seen.notes, ending.notes), seen.notes
        assert (seen.case_status, seen.case_closed) == (ending.case_status, True)
        assert seen.figures == ending.figures
        page = tracking_page(self.app, started.tracking_code, started.pin)
        assert page == ending.page, page
        task = self.task(started)
        assert task.closed_at is not None
        return task


def tracking_app(stack: Stack) -> Flask:
    """The web app on the stack's own database, the one its broker's exporter writes to."""
    return create_app(stack.settings)


def tracking_page(app: Flask, code: str, pin: str) -> Page:
    """Open the case as its applicant does (code and PIN at ``/lacak``) and read the page."""
    client = app.test_client()
    form = client.get("/lacak").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, "the tracking form carries no CSRF token"
    answer = client.post("/lacak", data={"kode": code, "pin": pin, "csrf_token": token.group(1)})
    assert (answer.status_code, answer.location) == (302, f"/lacak/{code}")
    shown = client.get(answer.location)
    assert shown.status_code == 200
    page = lxml.html.fromstring(shown.get_data(as_text=True))
    [status] = page.xpath('//span[@id="status"]')
    milestones = tuple(
        (li.xpath("string(.//span[@class='what']/strong)").strip(), li.get("class") == "reached")
        for li in page.xpath('//ol[@id="tahapan"]/li')
    )
    lines = []
    for li in page.xpath('//ol[@class="timeline"]/li'):
        when = li.xpath("string(./time)")
        lines.append(" ".join(li.text_content().replace(when, "", 1).split()))
    return Page(status.text_content().strip(), milestones, tuple(lines))
