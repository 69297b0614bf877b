"""Endings that happen just before a broker restart reach Alur after it, each applied once.

Alur's listener is down; another client completes one case's task and an operator cancels
another case while Alur's database is locked, so the exporter cannot write their records
before the broker restarts on its data; then the listener comes back. The exporter must have
lost and repeated nothing across the restart (each instance's records complete, in log order,
one end per job), and each ending must show once everywhere: one timeline entry, the row
ended once, the SLA figures counting it once.

Runs last (``restarts_broker``): after a restart the broker's controlled clock starts again
at system time.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc
from sqlalchemy.orm import Session, sessionmaker

from alur.engine_events import Listener, Outside
from alur.usertasks import Bridge
from features.support import endings
from features.support.endings import COMPLETED_ELSEWHERE, STOPPED, Endings, restart_broker
from features.support.engine import Engine, advance_until
from features.support.testjobs import Reports
from stack.local import Stack
from storage import engine_records, tasks
from storage.models import EngineRecord

pytestmark = [pytest.mark.platform, pytest.mark.faults, pytest.mark.restarts_broker]
BRIDGE = "alur-test-broker-restart"
PROCESS, TASK = endings.PROCESS_ID, "Task_PeriksaBerkas"
#: What each instance leaves in engine_record, in log order.
COMPLETED_HISTORY = [
    ("JOB", "COMPLETED", None, TASK),
    ("PROCESS_INSTANCE", "ELEMENT_COMPLETED", "USER_TASK", TASK),
    ("JOB", "COMPLETED", None, "Task_Lapor"),
    ("PROCESS_INSTANCE", "ELEMENT_COMPLETED", "SERVICE_TASK", "Task_Lapor"),
    ("PROCESS_INSTANCE", "ELEMENT_COMPLETED", "END_EVENT", "End_Selesai"),
    ("PROCESS_INSTANCE", "ELEMENT_COMPLETED", "PROCESS", PROCESS),
]
CANCELLED_HISTORY = [
    ("PROCESS_INSTANCE", "ELEMENT_TERMINATING", "PROCESS", PROCESS),
    ("JOB", "CANCELED", None, TASK),
    ("PROCESS_INSTANCE", "ELEMENT_TERMINATED", "USER_TASK", TASK),
    ("PROCESS_INSTANCE", "ELEMENT_TERMINATED", "PROCESS", PROCESS),
]


@pytest.fixture
def ends(stack: Stack, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[Endings]:
    """A task bridge on the stack's database (it rides out the restart), and no listener."""
    endings.deploy(engine, sessions)
    running = Bridge(engine.channel, sessions, sweep_seconds=3600, name=BRIDGE)
    future = engine.submit(running.run())
    yield Endings(engine, sessions, stack.clock, endings.tracking_app(stack))
    engine.call(running.stop())
    future.result(10)


def history(records: list[EngineRecord]) -> list[tuple[str, str, str | None, str | None]]:
    return [(r.value_type, r.intent, r.element_type, r.element_id) for r in records]


def exporter_starts(stack: Stack, partition: int) -> list[int]:
    """The positions Alur's exporter started from on ``partition``, as the broker logged them."""
    text = stack.children["zeebe"].log_path.read_text(errors="replace")
    starts = re.findall(rf"Alur exporter on partition {partition} .* position (-?\d+)", text)
    return [int(position) for position in starts]


def test_endings_before_a_broker_restart_are_applied_once_after_it(
    ends: Endings,
    engine: Engine,
    stack: Stack,
    reports: Reports,
    gateway: pb_grpc.GatewayStub,
):
    outside = Outside(frozenset({BRIDGE}))
    first = Listener(ends.sessions, outside)
    running = engine.submit(first.run())
    completed, stopped = ends.start(), ends.start()
    engine.call(first.stop())
    running.result(10)

    # The records are still on their way when the broker stops: Alur's database is locked
    # (the exporter's inserts wait), so they reach it only from the restarted broker.
    wanted = {completed.instance: COMPLETED_HISTORY, stopped.instance: CANCELLED_HISTORY}
    found: dict[int, list[EngineRecord]] = {}
    assert stack.settings.database_url.startswith("sqlite:///")
    blocker = sqlite3.connect(stack.settings.database_url.removeprefix("sqlite:///"))
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        gateway.CompleteJob(
            pb.CompleteJobRequest(
                jobKey=completed.task.job_key, variables='{"keputusan": "lengkap"}'
            ),
            timeout=10,
        )
        gateway.CancelProcessInstance(
            pb.CancelProcessInstanceRequest(processInstanceKey=stopped.instance), timeout=10
        )
        with ends.sessions() as db:  # WAL: reading is still allowed
            assert all(engine_records.of_instance(db, key) == [] for key in wanted)
        restart_broker(stack, ends.clock, while_down=blocker.close)  # closing: lock released
    finally:
        blocker.close()

    # The exporter, across the restart: every record of both instances, in log order, once.
    def exported() -> bool:
        with ends.sessions() as db:
            for instance in wanted:
                found[instance] = engine_records.of_instance(db, instance)
        return all(len(found[key]) >= len(records) for key, records in wanted.items())

    # The clock moves on for a job of the completed case taken just before the restart.
    advance_until(ends.clock, 10_000, exported, timeout=120, what="both instances' records")
    for instance, records in wanted.items():
        assert history(found[instance]) == records
        assert len({r.partition_id for r in found[instance]}) == 1
        positions = [r.position for r in found[instance]]
        assert positions == sorted(set(positions))
    # Handed over again by the restarted broker, which resumed before them (they were never
    # acknowledged); the table's key kept each once.
    starts = exporter_starts(stack, found[stopped.instance][0].partition_id)
    assert len(starts) >= 2  # the session's start and the restart
    assert starts[-1] < min(r.position for rows in found.values() for r in rows)
    assert reports.counts[completed.instance] == 1  # the next step ran once

    # Nothing applied while the listener was down.
    for case in (completed, stopped):
        assert ends.task(case).status == tasks.OPEN
        assert ends.timeline(case.case_id) == []
        assert ends.figures(case) == endings.OPEN

    back = Listener(ends.sessions, outside)
    running = engine.submit(back.run())
    done = ends.check(completed, COMPLETED_ELSEWHERE)
    ends.check(stopped, STOPPED)
    engine.call(back.stop())
    running.result(10)
    assert done.result == {"keputusan": "lengkap"}
