"""Human tasks: Zeebe's user-task jobs mirrored into the task table, completed exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alur.usertasks import Bridge, Completer, Outcome
from features.support.engine import Engine
from features.support.tally import Tally
from features.support.testjobs import Reports
from stack.local import REPO, Stack
from stack.ports import free_ports
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import tasks
from storage.models import HumanTask
from storage.tasks import NewTask

pytestmark = pytest.mark.platform
DIAGRAMS = Path(__file__).resolve().parent / "diagrams"
DAY_MS = 24 * 60 * 60 * 1000


@pytest.fixture(scope="module")
def bridge(engine: Engine, sessions: sessionmaker[Session], reports: Reports) -> Iterator[Bridge]:
    engine.deploy([DIAGRAMS / "uji_tugas_manusia.bpmn", DIAGRAMS / "uji-periksa.form"])
    running = Bridge(engine.channel, sessions, sweep_seconds=0.3, name="alur-test-usertasks")
    future = engine.submit(running.run())
    yield running
    engine.call(running.stop())
    future.result(10)


@pytest.fixture
def completer(stack: Stack) -> Iterator[Completer]:
    client = Completer(stack.settings.zeebe_address)
    yield client
    client.close()


def _task_of(sessions: sessionmaker[Session], instance_key: int) -> HumanTask | None:
    with sessions() as session:
        return session.scalar(
            select(HumanTask).where(HumanTask.process_instance_key == instance_key)
        )


def _start_case(engine: Engine, sessions: sessionmaker[Session]) -> HumanTask:
    due = "2026-12-03T16:00:00+07:00"
    instance = engine.start("Uji_TugasManusia", {"tenggat": due, "pemohon": "Siti"})
    wait_until(lambda: _task_of(sessions, instance) is not None, timeout=10, what="the task row")
    row = _task_of(sessions, instance)
    assert row is not None
    return row


def test_a_new_task_appears_with_its_form_groups_and_due_date(
    bridge: Bridge, engine: Engine, sessions: sessionmaker[Session]
):
    started = time.monotonic()
    row = _start_case(engine, sessions)
    assert time.monotonic() - started < 10
    assert row.status == tasks.OPEN
    assert row.element_id == "Task_PeriksaBerkas"
    assert row.bpmn_process_id == "Uji_TugasManusia"
    assert row.candidate_groups == ["uji:petugas", "uji:kepala"]
    assert row.form_key  # the key of the deployed form uji-periksa
    assert row.due_at is not None
    assert row.due_at.astimezone(UTC) == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert row.variables["pemohon"] == "Siti"


def test_completing_moves_the_process_on_exactly_once(
    bridge: Bridge,
    engine: Engine,
    sessions: sessionmaker[Session],
    completer: Completer,
    reports: Reports,
):
    row = _start_case(engine, sessions)
    outcome = completer.complete(sessions, row.id, "petugas1", {"berkasLengkap": True})
    assert outcome is Outcome.COMPLETED
    assert reports.event(row.process_instance_key).wait(10)
    again = completer.complete(sessions, row.id, "petugas2", {"berkasLengkap": False})
    assert again is Outcome.NOT_OPEN
    done = _task_of(sessions, row.process_instance_key)
    assert done is not None
    assert (done.status, done.completed_by, done.result) == (
        tasks.COMPLETED,
        "petugas1",
        {"berkasLengkap": True},
    )
    assert reports.counts[row.process_instance_key] == 1


def test_a_task_cancelled_by_an_interrupting_timer_leaves_the_inbox(
    bridge: Bridge, engine: Engine, sessions: sessionmaker[Session], clock: BrokerClock
):
    row = _start_case(engine, sessions)
    clock.add(3 * DAY_MS)
    wait_until(
        lambda: _task_of(sessions, row.process_instance_key).status == tasks.CANCELLED,  # type: ignore[union-attr]
        timeout=20,
        what="the cancelled task to leave the inbox",
    )


@pytest.mark.faults
def test_a_crash_between_database_and_zeebe_still_completes_once(
    bridge: Bridge,
    engine: Engine,
    sessions: sessionmaker[Session],
    stack: Stack,
    reports: Reports,
    tally: Tally,
):
    row = _start_case(engine, sessions)
    script = (
        "import sys\n"
        "from alur.usertasks import Completer\n"
        "from storage.db import make_engine, make_sessionmaker\n"
        "sessions = make_sessionmaker(make_engine(sys.argv[1]))\n"
        "Completer(sys.argv[2]).complete(sessions, int(sys.argv[3]), 'petugas1',"
        " {'berkasLengkap': True})\n"
    )
    env = {**os.environ, "ALUR_FAULT_POINT": "usertask.after_db_write", "PYTHONPATH": str(REPO)}
    crashed = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            stack.settings.database_url,
            stack.settings.zeebe_address,
            str(row.id),
        ],
        env=env,
        check=False,
        timeout=60,
    )
    assert crashed.returncode == -9  # killed after the database write, before Zeebe heard
    # The bridge's sweep finds the stored submission and completes the job.
    reached = reports.event(row.process_instance_key).wait(20)
    tally.add("faults", 1, int(reached and reports.counts[row.process_instance_key] == 1))
    tally.add("cases", 1, int(reached))
    assert reached
    wait_until(
        lambda: _task_of(sessions, row.process_instance_key).status == tasks.COMPLETED,  # type: ignore[union-attr]
        timeout=10,
        what="the task to be marked completed",
    )
    assert reports.counts[row.process_instance_key] == 1


def _copy_task(into: sessionmaker[Session], row: HumanTask, job_key: int) -> None:
    """``row`` as an open task of ``into`` with ``job_key`` (a real one, or one Zeebe lacks)."""
    with into() as session:
        tasks.upsert(
            session,
            NewTask(
                job_key=job_key,
                process_instance_key=row.process_instance_key,
                process_definition_key=row.process_definition_key,
                bpmn_process_id=row.bpmn_process_id,
                element_id=row.element_id,
                element_instance_key=row.element_instance_key,
                form_key=row.form_key,
                candidate_groups=list(row.candidate_groups),
                assignee=None,
                due_at=row.due_at,
                variables={},
            ),
        )


def _open_keys(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        return tasks.job_keys(session, tasks.OPEN)


def test_each_sweep_asks_zeebe_about_one_batch_and_goes_round(
    bridge: Bridge, engine: Engine, sessions: sessionmaker[Session], fresh_db: sessionmaker[Session]
):
    """At national scale one command per open task every few seconds would swamp the broker:
    a sweep takes the next ``sweep_batch`` tasks by job key and starts again at the end."""
    real = _start_case(engine, sessions)
    _copy_task(fresh_db, real, real.job_key)
    gone = [real.job_key + 10**9 + n for n in range(1, 6)]  # keys Zeebe has not handed out
    for key in gone:
        _copy_task(fresh_db, real, key)
    sweeper = Bridge(engine.channel, fresh_db, sweep_seconds=60, sweep_batch=2, name="uji-sapu")
    seen = []
    for _ in range(4):
        engine.call(sweeper.sweep())
        seen.append(_open_keys(fresh_db))
    assert (
        seen
        == [
            [real.job_key, *gone[1:]],  # the real job's lease renewed, the first gone key dropped
            [real.job_key, *gone[3:]],
            [real.job_key],
            [real.job_key],  # nothing after the last key: the next sweep starts from the lowest
        ]
    )
    with sessions() as session:
        assert tasks.by_job_key(session, real.job_key).status == tasks.OPEN  # type: ignore[union-attr]


def test_opening_a_task_zeebe_no_longer_has_shows_it_cancelled(
    bridge: Bridge,
    engine: Engine,
    sessions: sessionmaker[Session],
    fresh_db: sessionmaker[Session],
    completer: Completer,
):
    """The task page asks Zeebe before offering the form: a task the sweep has not reached
    yet is not worked on in vain."""
    real = _start_case(engine, sessions)
    _copy_task(fresh_db, real, real.job_key)
    gone = real.job_key + 10**9
    _copy_task(fresh_db, real, gone)
    assert completer.still_open(fresh_db, real.job_key) is True
    assert completer.still_open(fresh_db, gone) is False
    with fresh_db() as session:
        assert tasks.by_job_key(session, gone).status == tasks.CANCELLED  # type: ignore[union-attr]
        assert tasks.by_job_key(session, real.job_key).status == tasks.OPEN  # type: ignore[union-attr]


def test_a_task_page_with_zeebe_away_still_opens_the_task(
    bridge: Bridge, engine: Engine, sessions: sessionmaker[Session], fresh_db: sessionmaker[Session]
):
    """No answer is not "gone": the task stays open and the sweep asks again later."""
    real = _start_case(engine, sessions)
    _copy_task(fresh_db, real, real.job_key)
    [port] = free_ports(1)
    away = Completer(f"127.0.0.1:{port}")  # nothing listens there
    try:
        assert away.still_open(fresh_db, real.job_key) is True
    finally:
        away.close()
    assert _open_keys(fresh_db) == [real.job_key]
