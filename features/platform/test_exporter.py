"""Alur hears the engine (issue 23): the broker's own records reach Alur's database.

Every broker Alur starts loads Alur's exporter (``exporter/``, ``stack.exporter``), which writes
the records Alur needs into ``engine_record`` and acknowledges a position only after its commit.
Proven here on the session's broker (a job completed by a named worker, an instance completed,
an instance cancelled) and on brokers of their own: one that starts before the table exists,
raises and resolves an incident, and is killed (once while records wait for the database) and
started again on its data (nothing lost, nothing twice, the position kept); and one of the
other pinned Zeebe version (8.6.0 by default) writing to PostgreSQL.
"""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc
from sqlalchemy import Engine as DbEngine
from sqlalchemy import select
from sqlalchemy.orm import Session

from alur import settings as alur_settings
from features.support.engine import Engine
from features.support.testjobs import Reports
from stack import exporter
from stack import zeebe as zeebe_server
from stack.local import Stack
from stack.ports import free_ports
from stack.procs import Managed, Supervisor, wait_until
from storage import engine_records, migrate
from storage.db import make_engine
from storage.models import EngineRecord

pytestmark = pytest.mark.platform
DIAGRAMS = Path(__file__).resolve().parent / "diagrams"
GEMA = DIAGRAMS / "uji_gema.bpmn"
TIMER = DIAGRAMS / "uji_timer_dua_bulan.bpmn"
#: What one completed Uji_Gema instance leaves, in the order it happened.
GEMA_HISTORY = [
    ("JOB", "COMPLETED", None, "Task_Gema"),
    ("PROCESS_INSTANCE", "ELEMENT_COMPLETED", "SERVICE_TASK", "Task_Gema"),
    ("PROCESS_INSTANCE", "ELEMENT_COMPLETED", "END_EVENT", "End_Uji"),
    ("PROCESS_INSTANCE", "ELEMENT_COMPLETED", "PROCESS", "Uji_Gema"),
]


def history(records: list[EngineRecord]) -> list[tuple[str, str, str | None, str | None]]:
    return [(r.value_type, r.intent, r.element_type, r.element_id) for r in records]


def instance_rows(db: DbEngine, key: int) -> list[EngineRecord]:
    with Session(db) as session:
        return engine_records.of_instance(session, key)


def wait_for_rows(
    db: DbEngine, key: int, done: Callable[[list[EngineRecord]], bool], what: str
) -> list[EngineRecord]:
    found: list[EngineRecord] = []

    def arrived() -> bool:
        found[:] = instance_rows(db, key)
        return done(found)

    wait_until(arrived, timeout=30, interval=0.05, what=what)
    return found


def process_ended(records: list[EngineRecord]) -> bool:
    return any(r.element_type == "PROCESS" for r in records)


# -- the session's broker --------------------------------------------------------------------


@pytest.fixture(scope="module")
def session_db(stack: Stack) -> Iterator[DbEngine]:
    db = make_engine(stack.settings.database_url)
    yield db
    db.dispose()


def test_the_stacks_broker_exports_into_the_stacks_database(stack: Stack) -> None:
    env = stack.zeebe.environ()
    assert env["ZEEBE_BROKER_EXPORTERS_ALUR_CLASSNAME"] == exporter.CLASS_NAME
    database = stack.settings.database_url.removeprefix("sqlite:///")
    assert env["ZEEBE_BROKER_EXPORTERS_ALUR_ARGS_URL"] == f"jdbc:sqlite:{database}"
    assert Path(env["ZEEBE_BROKER_EXPORTERS_ALUR_JARPATH"]).is_file()


def test_a_job_completed_by_a_worker_and_the_instances_end_reach_the_table(
    engine: Engine, reports: Reports, session_db: DbEngine
) -> None:
    engine.deploy([GEMA])
    key = engine.start("Uji_Gema", {"pesan": "halo"})
    rows = wait_for_rows(session_db, key, process_ended, "the instance's end in engine_record")
    assert history(rows) == GEMA_HISTORY
    positions = [r.position for r in rows]
    assert positions == sorted(set(positions))
    job = rows[0]
    assert (job.job_type, job.worker, job.bpmn_process_id) == (
        "alur-uji.gema",
        "alur-test",
        "Uji_Gema",
    )
    assert engine_records.value_of(job)["variables"] == {"balasan": "halo"}
    # The job's step is the service task's element instance.
    assert job.element_instance_key == rows[1].record_key
    assert rows[-1].record_key == key
    assert json.loads(rows[-1].record_json)["intent"] == "ELEMENT_COMPLETED"


def test_a_cancelled_instance_is_recorded_as_terminated(
    engine: Engine, session_db: DbEngine
) -> None:
    engine.deploy([TIMER])
    key = engine.start("Uji_TimerDuaBulan")
    engine.call(engine.client.cancel_process_instance(key))
    rows = wait_for_rows(session_db, key, process_ended, "the cancelled instance's end")
    assert history(rows) == [
        # The cancellation's start comes first: what Alur tells "cancelled with its case" by.
        ("PROCESS_INSTANCE", "ELEMENT_TERMINATING", "PROCESS", "Uji_TimerDuaBulan"),
        ("PROCESS_INSTANCE", "ELEMENT_TERMINATED", "INTERMEDIATE_CATCH_EVENT", "Timer_DuaBulan"),
        ("PROCESS_INSTANCE", "ELEMENT_TERMINATED", "PROCESS", "Uji_TimerDuaBulan"),
    ]


# -- brokers of their own --------------------------------------------------------------------


@dataclass
class OwnBroker:
    """A broker of a test's own, exporting into a database of its own."""

    config: zeebe_server.ZeebeConfig
    supervisor: Supervisor
    database_url: str
    db: DbEngine
    child: Managed | None = None
    channel: grpc.Channel | None = None

    def start(self) -> None:
        self.child = zeebe_server.start(self.config, self.supervisor)
        self.channel = grpc.insecure_channel(self.config.gateway_address)

    def kill(self) -> None:
        """SIGKILL (no grace): whatever was not acknowledged is handed over again."""
        assert self.child is not None
        self.close_channel()
        self.supervisor.stop(self.child, timeout=0)

    def stop(self) -> None:
        self.close_channel()
        self.supervisor.stop_all(timeout=5)
        self.db.dispose()

    def close_channel(self) -> None:
        if self.channel is not None:
            self.channel.close()
            self.channel = None

    def gateway(self) -> pb_grpc.GatewayStub:
        assert self.channel is not None
        return pb_grpc.GatewayStub(self.channel)

    def partitions(self) -> dict[str, Any]:
        url = f"{self.config.management_url}/actuator/partitions"
        with urllib.request.urlopen(url, timeout=10) as response:
            return dict(json.loads(response.read()))

    def log(self) -> str:
        assert self.child is not None
        return self.child.log_path.read_text(errors="replace")

    def positions_told(self) -> list[int]:
        """The positions the exporter started from, as it logged them at each start."""
        text = self.log()
        return [
            int(n) for n in re.findall(r"Alur exporter on partition 1 .* position (-?\d+)", text)
        ]


def own_broker(root: Path, version: str, database_url: str, *, migrated: bool = True) -> OwnBroker:
    stack_settings = alur_settings.load_stack()
    java_home = zeebe_server.java_home(stack_settings.java_home)
    if migrated:
        migrate.upgrade(database_url)
    jar = exporter.ensure_built(version, stack_settings.cache_dir)
    config = zeebe_server.ZeebeConfig(
        home=zeebe_server.ensure_distribution(version, stack_settings.cache_dir),
        data_dir=root / "data",
        java_home=java_home,
        ports=zeebe_server.ZeebePorts(*free_ports(5)),
        heap=stack_settings.zeebe_heap,
        exporter=exporter.ExporterConfig(jar, exporter.jdbc_target(database_url)),
    )
    return OwnBroker(config, Supervisor(root / "logs"), database_url, make_engine(database_url))


def deploy(gateway: pb_grpc.GatewayStub, path: Path) -> None:
    resource = pb.Resource(name=path.name, content=path.read_bytes())
    gateway.DeployResource(pb.DeployResourceRequest(resources=[resource]), timeout=30)


def start(gateway: pb_grpc.GatewayStub, process_id: str) -> int:
    request = pb.CreateProcessInstanceRequest(
        bpmnProcessId=process_id, version=-1, variables=json.dumps({"pesan": "halo"})
    )
    return int(gateway.CreateProcessInstance(request, timeout=30).processInstanceKey)


def take_job(gateway: pb_grpc.GatewayStub, worker: str) -> pb.ActivatedJob:
    request = pb.ActivateJobsRequest(
        type="alur-uji.gema",
        worker=worker,
        timeout=60_000,
        maxJobsToActivate=1,
        requestTimeout=10_000,
    )
    (job,) = [
        job for response in gateway.ActivateJobs(request, timeout=30) for job in response.jobs
    ]
    return job


def complete(gateway: pb_grpc.GatewayStub, job: pb.ActivatedJob) -> None:
    request = pb.CompleteJobRequest(jobKey=job.key, variables=json.dumps({"balasan": "halo"}))
    gateway.CompleteJob(request, timeout=30)


def run_gema(broker: OwnBroker, worker: str, *, wait: bool = True) -> int:
    """One Uji_Gema instance worked by hand to its end; its key (once its end is in the table,
    with ``wait``)."""
    gateway = broker.gateway()
    key = start(gateway, "Uji_Gema")
    complete(gateway, take_job(gateway, worker))
    if wait:
        wait_for_rows(broker.db, key, process_ended, f"{worker}'s instance in engine_record")
    return key


def run_with_incident(broker: OwnBroker) -> int:
    """An instance whose job fails with no retries left (an incident), is given a retry, the
    incident resolved, and the job completed."""
    gateway = broker.gateway()
    key = start(gateway, "Uji_Gema")
    job = take_job(gateway, "uji-insiden")
    gateway.FailJob(pb.FailJobRequest(jobKey=job.key, retries=0, errorMessage="rusak"), timeout=30)
    rows = wait_for_rows(
        broker.db, key, lambda rs: any(r.value_type == "INCIDENT" for r in rs), "the incident"
    )
    incident = next(r for r in rows if r.value_type == "INCIDENT")
    gateway.UpdateJobRetries(pb.UpdateJobRetriesRequest(jobKey=job.key, retries=1), timeout=30)
    gateway.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.record_key), timeout=30)
    complete(gateway, take_job(gateway, "uji-insiden"))
    wait_for_rows(broker.db, key, process_ended, "the instance after its incident")
    return key


def every_row(db: DbEngine) -> list[tuple[Any, ...]]:
    """Every column of every row, in log order."""
    columns = list(EngineRecord.__table__.columns)
    with db.connect() as connection:
        query = select(*columns).order_by(EngineRecord.partition_id, EngineRecord.position)
        return [tuple(row) for row in connection.execute(query)]


def every_record(db: DbEngine) -> list[EngineRecord]:
    with Session(db) as session:
        query = select(EngineRecord).order_by(EngineRecord.partition_id, EngineRecord.position)
        return list(session.scalars(query))


@pytest.fixture
def restarted(tmp_path: Path) -> Iterator[OwnBroker]:
    version = alur_settings.load_stack().zeebe_version
    broker = own_broker(tmp_path, version, f"sqlite:///{tmp_path / 'alur.db'}", migrated=False)
    try:
        yield broker
    finally:
        broker.stop()


def test_a_broker_killed_and_started_again_loses_nothing_and_writes_nothing_twice(
    restarted: OwnBroker,
) -> None:
    broker = restarted
    broker.start()
    deploy(broker.gateway(), GEMA)
    # Before the schema exists (compose starts the brokers before `migrate`): kept, not lost.
    first = run_gema(broker, "uji-sebelum", wait=False)
    wait_until(
        lambda: "no such table: engine_record" in broker.log(),
        timeout=30,
        what="the exporter's complaint about the missing table",
    )
    migrate.upgrade(broker.database_url)
    wait_for_rows(broker.db, first, process_ended, "the first instance, once migrated")
    # A snapshot keeps the exporter's acknowledged position in the broker's state.
    request = urllib.request.Request(
        f"{broker.config.management_url}/actuator/partitions/takeSnapshot", method="POST"
    )
    urllib.request.urlopen(request, timeout=10).close()
    wait_until(
        lambda: broker.partitions()["1"]["snapshotId"] is not None, timeout=30, what="a snapshot"
    )
    with_incident = run_with_incident(broker)
    before = every_row(broker.db)
    assert broker.partitions()["1"]["exportedPosition"] >= max(row[1] for row in before)

    # Killed while an instance's records wait for the database (Python holds its write lock).
    blocker = sqlite3.connect(broker.database_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        unwritten = run_gema(broker, "uji-tertahan", wait=False)
        assert instance_rows(broker.db, unwritten) == []  # WAL: reading is still allowed
        broker.kill()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    broker.start()
    after_restart = run_gema(broker, "uji-sesudah")

    after = every_row(broker.db)
    # Nothing lost, nothing rewritten: every row is there as it was (written_at_ms too).
    assert after[: len(before)] == before
    # The restart resumed from the position the snapshot kept, before the last rows: those
    # records were handed over again, and the primary key took none of them twice.
    kept = broker.positions_told()[-1]
    assert -1 < kept < max(row[1] for row in before)
    rows = every_record(broker.db)
    events = [(r.value_type, r.intent, r.record_key) for r in rows]
    assert len(events) == len(set(events))
    by_instance = {
        key: history([r for r in rows if r.process_instance_key == key])
        for key in (first, unwritten, after_restart)
    }
    assert by_instance == dict.fromkeys((first, unwritten, after_restart), GEMA_HISTORY)
    incident = [(r.value_type, r.intent) for r in rows if r.process_instance_key == with_incident]
    assert incident == [
        ("JOB", "FAILED"),
        ("INCIDENT", "CREATED"),
        ("INCIDENT", "RESOLVED"),
        ("JOB", "COMPLETED"),
        ("PROCESS_INSTANCE", "ELEMENT_COMPLETED"),
        ("PROCESS_INSTANCE", "ELEMENT_COMPLETED"),
        ("PROCESS_INSTANCE", "ELEMENT_COMPLETED"),
    ]
    workers = {r.process_instance_key: r.worker for r in rows if r.intent == "COMPLETED"}
    assert workers == {
        first: "uji-sebelum",
        with_incident: "uji-insiden",
        unwritten: "uji-tertahan",
        after_restart: "uji-sesudah",
    }
    # Promptly: on a busy two-core machine a few hundred milliseconds; ten seconds is generous.
    delays = sorted(r.written_at_ms - r.timestamp_ms for r in rows)
    assert delays[len(delays) // 2] < 10_000, delays


def other_version() -> str:
    """The pinned Zeebe version the session's broker is not (8.6.0 by default)."""
    session = alur_settings.load_stack().zeebe_version
    return next(v for v in sorted(zeebe_server.KNOWN_SHA256) if v != session)


@pytest.mark.postgres
def test_the_other_pinned_zeebe_loads_the_exporter_and_it_writes_to_postgresql(
    tmp_path: Path, postgres_url: str
) -> None:
    version = other_version()
    broker = own_broker(tmp_path, version, fresh_postgres(postgres_url))
    try:
        broker.start()
        deploy(broker.gateway(), GEMA)
        key = run_gema(broker, "uji-pg")
        rows = instance_rows(broker.db, key)
        assert history(rows) == GEMA_HISTORY
        assert rows[0].worker == "uji-pg"
        assert json.loads(rows[0].record_json)["brokerVersion"] == version
    finally:
        broker.stop()


def fresh_postgres(url: str) -> str:
    """``url`` with an empty public schema (the session's PostgreSQL cluster is shared)."""
    db = make_engine(url)
    with db.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    db.dispose()
    return url
