"""How a task and a case ended, as the engine recorded it (issue 23), on the real broker.

The broker's exporter writes its records into the session database; a
:class:`alur.engine_events.Listener` applies them. Each ending is checked where people see it:
the task row (and so the inbox), the case timeline, the applicant's tracking milestones and
the SLA figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc
from sqlalchemy.orm import Session, sessionmaker

from alur import engine_events, milestones
from alur.engine_events import Listener, Outside
from alur.usertasks import VAR_CASE_ID, VAR_UNIT_CODE, Bridge
from features.support.engine import Engine
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import cases, sla, tasks
from storage.cases import NewCase
from storage.models import Case, HumanTask

pytestmark = pytest.mark.platform
DIAGRAMS = Path(__file__).resolve().parent / "diagrams"
BRIDGE = "alur-test-events"
DAY_MS = 24 * 60 * 60 * 1000
UNIT = "UJI-AKHIR"


@pytest.fixture(scope="module")
def listening(engine: Engine, sessions: sessionmaker[Session]) -> Iterator[None]:
    """The task bridge (new tasks into the table) and the listener (how they ended)."""
    engine.deploy([DIAGRAMS / "uji_tugas_manusia.bpmn", DIAGRAMS / "uji-periksa.form"])
    # The sweep is slowed right down: the endings must come from the engine's records.
    bridge = Bridge(engine.channel, sessions, sweep_seconds=3600, name=BRIDGE)
    listener = Listener(sessions, Outside(frozenset({BRIDGE})))
    runs = [engine.submit(bridge.run()), engine.submit(listener.run())]
    yield
    engine.call(listener.stop())
    engine.call(bridge.stop())
    for run in runs:
        run.result(10)


def new_case(sessions: sessionmaker[Session]) -> int:
    with sessions() as db:
        case, _pin = cases.create(
            db,
            NewCase(
                service_code="uji",
                bpmn_process_id="Uji_TugasManusia",
                unit_code=UNIT,
                applicant_name="Siti",
                applicant_email=None,
                subject="Uji akhir tugas",
                data={},
            ),
        )
        case.status = "diproses"
        db.commit()
        return case.id


def start(
    engine: Engine, sessions: sessionmaker[Session], clock: BrokerClock
) -> tuple[Case, HumanTask]:
    case_id = new_case(sessions)
    now = datetime.fromtimestamp(clock.now_ms() / 1000, UTC)
    due = (now + timedelta(days=2)).isoformat()
    variables = {"tenggat": due, VAR_CASE_ID: case_id, VAR_UNIT_CODE: UNIT}
    instance = engine.start("Uji_TugasManusia", variables)
    with sessions() as db:
        case = db.get(Case, case_id)
        assert case is not None
        case.process_instance_key = instance
        db.commit()
    task = wait_for(sessions, instance, lambda t: t.status == tasks.OPEN, "the open task")
    with sessions() as db:
        case = db.get(Case, case_id)
        assert case is not None
        db.expunge(case)
    return case, task


def wait_for(
    sessions: sessionmaker[Session], instance: int, check: Callable[[HumanTask], bool], what: str
) -> HumanTask:
    found: list[HumanTask] = []

    def ready() -> bool:
        with sessions() as db:
            rows = cases.tasks_of_instance(db, instance)
            db.expunge_all()
        found[:] = rows
        return bool(rows) and check(rows[0])

    wait_until(ready, timeout=15, what=what)
    return found[0]


def open_cases(sessions: sessionmaker[Session]) -> int:
    with sessions() as db:
        rows = sla.open_cases(db, datetime.now(UTC), [UNIT])
    return sum(row.open for row in rows)


def timeline(sessions: sessionmaker[Session], case_id: int) -> list[tuple[str, str, bool]]:
    with sessions() as db:
        return [(e.kind, e.title, e.public) for e in cases.timeline(db, case_id)]


def test_a_task_completed_by_another_client_is_recorded_as_such(
    listening: None,
    engine: Engine,
    sessions: sessionmaker[Session],
    clock: BrokerClock,
    gateway: pb_grpc.GatewayStub,
):
    case, task = start(engine, sessions, clock)
    gateway.CompleteJob(
        pb.CompleteJobRequest(jobKey=task.job_key, variables='{"keputusan": "lengkap"}'),
        timeout=10,
    )
    done = wait_for(sessions, task.process_instance_key, lambda t: t.status == "completed", "done")
    assert done.end_reason == engine_events.OTHER_CLIENT
    assert done.result == {"keputusan": "lengkap"}  # what the next task shows as decided
    assert done.completed_by is None and done.closed_at is not None
    assert any(
        kind == "tugas" and "diselesaikan di luar Alur" in title
        for kind, title, _ in timeline(sessions, case.id)
    )
    # Counted by the SLA figures: completed, with its due date.
    with sessions() as db:
        counted = sla.on_time(
            db, done.created_at - timedelta(days=1), done.closed_at + timedelta(days=1), [UNIT]
        )
    assert sum(row.completed for row in counted) >= 1


def test_a_case_cancelled_by_an_operator_is_shown_stopped(
    listening: None,
    engine: Engine,
    sessions: sessionmaker[Session],
    clock: BrokerClock,
    gateway: pb_grpc.GatewayStub,
):
    case, task = start(engine, sessions, clock)
    open_before = open_cases(sessions)
    gateway.CancelProcessInstance(
        pb.CancelProcessInstanceRequest(processInstanceKey=task.process_instance_key), timeout=10
    )
    gone = wait_for(sessions, task.process_instance_key, lambda t: t.status == "cancelled", "gone")
    assert gone.end_reason == engine_events.CASE_STOPPED

    def stopped() -> bool:
        with sessions() as db:
            found = db.get(Case, case.id)
            return found is not None and found.status == engine_events.STOPPED

    wait_until(stopped, timeout=10, what="the case stopped")
    with sessions() as db:
        found = db.get(Case, case.id)
        assert found is not None and found.closed_at is not None
        events = cases.timeline(db, case.id)
        progress = milestones.milestones(found.created_at, events)
    public = [e for e in events if e.public]
    assert [e.kind for e in public] == [milestones.STOPPED]
    assert public[0].detail["untukPemohon"] == engine_events.STOPPED_FOR_APPLICANT
    # The tracking page: received, then stopped; nothing further promised.
    assert [m.label for m in progress] == ["Diterima", "Dihentikan"]
    assert all(m.reached for m in progress)
    # The SLA dashboard no longer counts it as open.
    assert open_cases(sessions) == open_before - 1


def test_a_task_taken_by_an_interrupting_timer_leaves_the_inbox(
    listening: None, engine: Engine, sessions: sessionmaker[Session], clock: BrokerClock
):
    case, task = start(engine, sessions, clock)
    clock.add(3 * DAY_MS)
    gone = wait_for(sessions, task.process_instance_key, lambda t: t.status == "cancelled", "gone")
    assert gone.end_reason == engine_events.MOVED_ON
    assert any(
        "dibatalkan karena proses berlanjut" in title
        for _kind, title, _ in timeline(sessions, case.id)
    )
    with sessions() as db:
        found = db.get(Case, case.id)
        assert found is not None and found.status != engine_events.STOPPED
