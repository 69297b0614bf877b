"""An ending that happens while Alur's listener is down is applied when it comes back, once.

The listener keeps its place per partition in ``engine_cursor``; the exporter keeps the
records in ``engine_record`` whatever Alur does meanwhile (its own restart guarantees are in
``test_exporter.py``; a broker restart in between is ``test_engine_events_broker_restart.py``).
Its own module: the listener of ``test_engine_events.py`` must not be running while this one
is stopped.
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
from features.support.endings import COMPLETED_ELSEWHERE, Endings
from features.support.engine import Engine
from features.support.testjobs import Reports
from stack.local import Stack
from stack.procs import wait_until
from storage import engine_records, tasks

pytestmark = pytest.mark.platform
BRIDGE = "alur-test-restart"


@pytest.fixture
def ends(stack: Stack, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[Endings]:
    """A task bridge on the stack's database, and no listener."""
    endings.deploy(engine, sessions)
    running = Bridge(engine.channel, sessions, sweep_seconds=3600, name=BRIDGE)
    future = engine.submit(running.run())
    yield Endings(engine, sessions, stack.clock, endings.tracking_app(stack))
    engine.call(running.stop())
    future.result(10)


def test_an_ending_while_the_listener_was_down_is_applied_once_on_its_return(
    ends: Endings, engine: Engine, reports: Reports, gateway: pb_grpc.GatewayStub
):
    outside = Outside(frozenset({BRIDGE}))
    first = Listener(ends.sessions, outside)
    running = engine.submit(first.run())
    case = ends.start()
    engine.call(first.stop())
    running.result(10)

    gateway.CompleteJob(
        pb.CompleteJobRequest(jobKey=case.task.job_key, variables='{"keputusan": "lengkap"}'),
        timeout=10,
    )

    def exported() -> bool:
        with ends.sessions() as db:
            return any(
                r.value_type == "PROCESS_INSTANCE" and r.element_type == "PROCESS"
                for r in engine_records.of_instance(db, case.instance)
            )

    wait_until(exported, timeout=15, what="the instance's end exported")
    assert ends.task(case).status == tasks.OPEN  # nobody applied it yet
    assert ends.timeline(case.case_id) == []
    assert ends.figures(case) == endings.OPEN

    with ends.sessions() as db:
        where = engine_records.load_cursor(db)
    back = Listener(ends.sessions, outside)
    running = engine.submit(back.run())
    ends.check(case, COMPLETED_ELSEWHERE)
    engine.call(back.stop())
    running.result(10)

    # The same records once more, as after a crash between applying them and saving the
    # cursor: nothing changes.
    with ends.sessions() as db:
        engine_records.save_cursor(db, where)
        db.commit()
    replay = Listener(ends.sessions, outside)
    while replay.apply_batch():
        pass
    ends.check(case, COMPLETED_ELSEWHERE)
