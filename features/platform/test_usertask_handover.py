"""A user-task job taken by a bridge that stops before storing it is not lost for 30 days.

A bridge holds a new job for a minute (``alur.usertasks.ACTIVATION_MS``); once the task's row
is written it leases the job for 30 days. So a job taken by a worker process that then stops
or fails (a deploy, a crash, a job pushed to a stream being closed, the database away) comes
back a minute later to whichever bridge runs, and a stored task stays with its bridge. Its own
module: no other bridge may run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alur.usertasks import JOB_TYPE, Bridge
from features.support.engine import Engine, advance_until, offered_jobs
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage.db import make_engine, make_sessionmaker
from storage.models import HumanTask

pytestmark = pytest.mark.platform
DIAGRAMS = Path(__file__).resolve().parent / "diagrams"


def offered(gateway: pb_grpc.GatewayStub) -> set[int]:
    """The instance keys of the user-task jobs offered right now."""
    return {job.processInstanceKey for job in offered_jobs(gateway, JOB_TYPE, "uji-pengamat")}


def run_bridge(engine: Engine, sessions: sessionmaker[Session], name: str) -> Callable[[], None]:
    """Start a bridge on the engine's loop; returns what stops it."""
    bridge = Bridge(engine.channel, sessions, sweep_seconds=3600, name=name)
    running = engine.submit(bridge.run())

    def stop() -> None:
        engine.call(bridge.stop())
        running.result(10)

    return stop


def test_a_job_a_failing_bridge_took_comes_back_and_a_stored_one_stays(
    engine: Engine,
    fresh_db: sessionmaker[Session],
    tmp_path: Path,
    gateway: pb_grpc.GatewayStub,
    clock: BrokerClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    engine.deploy([DIAGRAMS / "uji_tugas_manusia.bpmn", DIAGRAMS / "uji-periksa.form"])
    # A bridge that takes the job and cannot write the row: its database has no tables.
    broken_db = make_engine(f"sqlite:///{tmp_path / 'tanpa-tabel.db'}")
    stop_broken = run_bridge(engine, make_sessionmaker(broken_db), "uji-jembatan-rusak")
    try:
        instance = engine.start(
            "Uji_TugasManusia", {"tenggat": "2026-12-03T16:00:00+07:00", "pemohon": "Siti"}
        )
        wait_until(
            lambda: "no such table: deployment" in caplog.text,  # in storing the task
            timeout=30,
            what="the broken bridge to take the job and fail",
        )
    finally:
        stop_broken()
        broken_db.dispose()

    def stored() -> HumanTask | None:
        with fresh_db() as session:
            return session.scalar(
                select(HumanTask).where(HumanTask.process_instance_key == instance)
            )

    stop = run_bridge(engine, fresh_db, "uji-jembatan-baru")
    try:
        advance_until(  # past the broken bridge's minute: the job comes back to this one
            clock, 10_000, lambda: stored() is not None, timeout=30, what="the task's row"
        )
    finally:
        stop()
    clock.add(60 * 60 * 1000)  # an hour on: a stored task's job is leased, not offered again
    assert instance not in offered(gateway)
