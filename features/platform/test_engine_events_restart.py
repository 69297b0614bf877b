"""An ending that happens while Alur's listener is down is applied when it comes back, once.

The listener keeps its place per partition in ``engine_cursor``; the exporter keeps the
records in ``engine_record`` whatever Alur does meanwhile (its own restart guarantees are in
``test_exporter.py``). Its own module: the listener of ``test_engine_events.py`` must not be
running while this one is stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc
from sqlalchemy.orm import Session, sessionmaker

from alur import engine_events
from alur.engine_events import Listener, Outside
from alur.usertasks import Bridge
from features.platform.test_engine_events import start, timeline, wait_for
from features.support.engine import Engine
from stack.local import Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import engine_records, tasks
from storage.models import HumanTask

pytestmark = pytest.mark.platform
DIAGRAMS = Path(__file__).resolve().parent / "diagrams"
BRIDGE = "alur-test-restart"


@pytest.fixture
def bridge(engine: Engine, sessions: sessionmaker[Session]) -> Iterator[None]:
    engine.deploy([DIAGRAMS / "uji_tugas_manusia.bpmn", DIAGRAMS / "uji-periksa.form"])
    running = Bridge(engine.channel, sessions, sweep_seconds=3600, name=BRIDGE)
    future = engine.submit(running.run())
    yield
    engine.call(running.stop())
    future.result(10)


def test_an_ending_while_the_listener_was_down_is_applied_once_on_its_return(
    bridge: None,
    engine: Engine,
    sessions: sessionmaker[Session],
    stack: Stack,
    clock: BrokerClock,
):
    outside = Outside(frozenset({BRIDGE}))
    first = Listener(sessions, outside)
    running = engine.submit(first.run())
    case, task = start(engine, sessions, clock)
    instance, case_id = task.process_instance_key, case.id
    engine.call(first.stop())
    running.result(10)

    with grpc.insecure_channel(stack.settings.zeebe_address) as channel:
        pb_grpc.GatewayStub(channel).CompleteJob(
            pb.CompleteJobRequest(jobKey=task.job_key, variables='{"keputusan": "lengkap"}'),
            timeout=10,
        )

    def exported() -> bool:
        with sessions() as db:
            return any(
                r.intent == "COMPLETED" and r.record_key == task.job_key
                for r in engine_records.of_instance(db, instance)
            )

    wait_until(exported, timeout=10, what="the completion exported")
    with sessions() as db:
        row = db.get(HumanTask, task.id)
        assert row is not None and row.status == tasks.OPEN  # nobody applied it yet

    for _ in range(2):  # back, and back again: the second finds nothing left to do
        again = Listener(sessions, outside)
        running = engine.submit(again.run())
        done = wait_for(sessions, instance, lambda t: t.status == "completed", "applied")
        engine.call(again.stop())
        running.result(10)
    assert done.end_reason == engine_events.OTHER_CLIENT
    outside_notes = [t for _k, t, _p in timeline(sessions, case_id) if "di luar Alur" in t]
    assert len(outside_notes) == 1
