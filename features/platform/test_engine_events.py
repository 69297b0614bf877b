"""How a task and a case ended, as the engine recorded it (issue 23), on the real broker.

The broker's exporter writes its records into the session database; a
:class:`alur.engine_events.Listener` applies them. Each ending is checked where people see it
(``features.support.endings``): the task row and the inbox, the case timeline, the applicant's
tracking page and the SLA figures.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc
from sqlalchemy.orm import Session, sessionmaker

from alur.engine_events import Listener, Outside
from alur.usertasks import Bridge
from features.support import endings
from features.support.endings import COMPLETED_ELSEWHERE, DAY_MS, MOVED_ON, STOPPED, Endings
from features.support.engine import Engine
from features.support.testjobs import Reports
from stack.local import Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock

pytestmark = pytest.mark.platform
BRIDGE = "alur-test-events"


@pytest.fixture(scope="module")
def ends(stack: Stack, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[Endings]:
    """The task bridge (new tasks into the table) and the listener (how they ended)."""
    endings.deploy(engine, sessions)
    # The sweep is slowed right down: the endings must come from the engine's records.
    bridge = Bridge(engine.channel, sessions, sweep_seconds=3600, name=BRIDGE)
    listener = Listener(sessions, Outside(frozenset({BRIDGE})))
    runs = [engine.submit(bridge.run()), engine.submit(listener.run())]
    yield Endings(engine, sessions, stack.clock, endings.tracking_app(stack))
    engine.call(listener.stop())
    engine.call(bridge.stop())
    for run in runs:
        run.result(10)


def test_a_task_completed_by_another_client_is_recorded_as_such(
    ends: Endings, reports: Reports, gateway: pb_grpc.GatewayStub
):
    case = ends.start()
    gateway.CompleteJob(
        pb.CompleteJobRequest(jobKey=case.task.job_key, variables='{"keputusan": "lengkap"}'),
        timeout=10,
    )
    wait_until(reports.event(case.instance).is_set, timeout=15, what="the process moving on")
    done = ends.check(case, COMPLETED_ELSEWHERE)
    assert done.result == {"keputusan": "lengkap"}  # what the next task shows as decided
    assert done.completed_by is None and done.ended_by is None  # the job was Alur's bridge's


def test_a_case_cancelled_by_an_operator_is_shown_stopped(
    ends: Endings, gateway: pb_grpc.GatewayStub
):
    case = ends.start()
    gateway.CancelProcessInstance(
        pb.CancelProcessInstanceRequest(processInstanceKey=case.instance), timeout=10
    )
    ends.check(case, STOPPED)


def test_a_task_taken_by_an_interrupting_timer_leaves_the_inbox(ends: Endings, clock: BrokerClock):
    case = ends.start()
    clock.add(3 * DAY_MS)  # past the two-day timer, and past the task's due date
    ends.check(case, MOVED_ON)  # not in the overdue list: no one could still do it
