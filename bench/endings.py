"""Benchmark 7 (issue 23): from an ending in the broker to the task leaving every inbox.

A human task leaves the inbox when its row is no longer open. Here a task ends in the engine,
without Alur's web app: an operator cancels its instance, or another Zeebe client completes
its job. The broker's exporter writes the record into ``engine_record``; the worker process's
:class:`alur.engine_events.Listener` applies it. Measured per ending, on the machine's clock
(the broker's may have been moved forward by tests): the command sent → the moment this
process sees the task row closed (polled every 2 ms), split into *export* (sent → the
exporter's commit, ``written_at_ms``, the broker machine's clock: the same machine here) and
*apply* (commit → row closed).

At full size the task table holds 100,000 other open tasks (the national scale of benchmark
3) and ``engine_record`` a history of 1,000,000 records of another partition that the listener
is already past, so its reads and updates run against tables of that size. The bridge (new
tasks into the table) and the listener run in this process, as the worker process runs them;
the bridge's sweep is slowed right down, so every ending must come from the engine's records.

Figures: ``endings.cancelled.p50/p95`` and ``endings.other_client.p50/p95`` (ms, target p95
< 1,000), ``endings.export_p50`` and ``endings.apply_p50``, and the sizes. Full size: 100
endings of each kind; tiny: 5 each, 500 open tasks, 5,000 history records.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import grpc
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from alur.engine import connect, sync_channel
from alur.engine_events import Listener, Outside
from alur.gateway import Deployer
from alur.usertasks import Bridge
from bench.core import Context, Figure, Size, Target, nearest_rank
from storage import engine_records, tasks
from storage.db import make_engine, make_sessionmaker
from storage.models import EngineRecord, HumanTask

DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "one_user_task.bpmn"
PROCESS = "Bench_OneUserTask"
BRIDGE = "bench-endings"
KINDS = ("cancelled", "other_client")
#: Every figure the benchmark produces, at any size.
FIGURES = (
    *(f"endings.{kind}.{stat}" for kind in KINDS for stat in ("p50", "p95")),
    "endings.export_p50",
    "endings.apply_p50",
    "endings.open_tasks",
    "endings.history",
)


@dataclass(frozen=True)
class Plan:
    endings: int
    open_tasks: int
    history: int


PLANS: dict[Size, Plan] = {
    "tiny": Plan(5, 500, 5_000),
    "full": Plan(100, 100_000, 1_000_000),
}
#: A partition no broker here has: the history rows, which the listener is already past.
HISTORY_PARTITION = 99
FAKE_KEYS = 8_000_000_000_000_000


@dataclass(frozen=True)
class Ending:
    kind: str
    total_ms: float
    export_ms: float
    apply_ms: float


def seed(sessions: sessionmaker[Session], plan: Plan) -> None:
    """The other open tasks and the engine's history, in bulk (no ORM objects)."""
    with sessions() as db:
        for start in range(0, plan.open_tasks, 10_000):
            db.execute(
                insert(HumanTask),
                [
                    {
                        "job_key": FAKE_KEYS + n,
                        "process_instance_key": FAKE_KEYS + n,
                        "process_definition_key": 1,
                        "bpmn_process_id": "Bench_Lain",
                        "element_id": "Task_Lain",
                        "name": "Tugas lain",
                        "element_instance_key": FAKE_KEYS + n,
                        "candidate_groups": ["bench.lain"],
                        "variables": {},
                        "status": tasks.OPEN,
                    }
                    for n in range(start, min(start + 10_000, plan.open_tasks))
                ],
            )
        body = json.dumps({"value": {}})
        for start in range(0, plan.history, 20_000):
            db.execute(
                insert(EngineRecord),
                [
                    {
                        "partition_id": HISTORY_PARTITION,
                        "position": n,
                        "record_key": FAKE_KEYS + n,
                        "value_type": "JOB",
                        "intent": "COMPLETED",
                        "timestamp_ms": 0,
                        "process_instance_key": FAKE_KEYS + n,
                        "job_type": "bench.lain",
                        "record_json": body,
                        "written_at_ms": 0,
                    }
                    for n in range(start, min(start + 20_000, plan.history))
                ],
            )
        cursor = engine_records.load_cursor(db)
        cursor[HISTORY_PARTITION] = plan.history - 1
        engine_records.save_cursor(db, cursor)
        db.commit()


@contextmanager
def running(address: str, sessions: sessionmaker[Session]) -> Iterator[None]:
    """The bridge and the listener on an event loop of their own, as in the worker process.

    The bridge's one sweep at start asks about the seeded tasks, whose made-up job keys name
    a partition this broker lacks: it logs UNAVAILABLE for them, which is not measured here."""
    quiet = logging.getLogger("alur.usertasks")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    stop = asyncio.Event()

    async def work() -> None:
        async with connect(address) as channel:
            bridge = Bridge(channel, sessions, sweep_seconds=3600, name=BRIDGE)
            listener = Listener(sessions, Outside(frozenset({BRIDGE})))
            runs = [asyncio.ensure_future(bridge.run()), asyncio.ensure_future(listener.run())]
            await stop.wait()
            await listener.stop()
            await bridge.stop()
            await asyncio.gather(*runs)

    done = asyncio.run_coroutine_threadsafe(work(), loop)
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stop.set)
        done.result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        quiet.setLevel(level)  # the process goes on (the test session): its warnings count


def wait_for_task(sessions: sessionmaker[Session], instance: int, status: str) -> float:
    """Poll every 2 ms until the instance's task has ``status``; when it was seen (epoch ms)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with sessions() as db:
            found = db.scalar(
                select(HumanTask.status).where(HumanTask.process_instance_key == instance)
            )
        if found == status:
            return time.time() * 1000
        time.sleep(0.002)
    raise RuntimeError(f"the task of instance {instance} never became {status}")


def one(kind: str, stub: pb_grpc.GatewayStub, sessions: sessionmaker[Session]) -> Ending:
    instance = int(
        stub.CreateProcessInstance(
            pb.CreateProcessInstanceRequest(bpmnProcessId=PROCESS, version=-1), timeout=10
        ).processInstanceKey
    )
    wait_for_task(sessions, instance, tasks.OPEN)
    with sessions() as db:
        job_key = db.scalar(
            select(HumanTask.job_key).where(HumanTask.process_instance_key == instance)
        )
    assert job_key is not None
    sent = time.time() * 1000
    if kind == "cancelled":
        stub.CancelProcessInstance(
            pb.CancelProcessInstanceRequest(processInstanceKey=instance), timeout=10
        )
        seen = wait_for_task(sessions, instance, tasks.CANCELLED)
        intent = "CANCELED"
    else:
        stub.CompleteJob(pb.CompleteJobRequest(jobKey=job_key, variables="{}"), timeout=10)
        seen = wait_for_task(sessions, instance, tasks.COMPLETED)
        intent = "COMPLETED"
    with sessions() as db:
        record = db.scalar(
            select(EngineRecord).where(
                EngineRecord.record_key == job_key, EngineRecord.intent == intent
            )
        )
        assert record is not None
        written = record.written_at_ms
    return Ending(kind, seen - sent, written - sent, seen - written)


def run(ctx: Context, size: Size) -> list[Figure]:
    plan = PLANS[size]
    stack = ctx.stack()
    engine = make_engine(stack.settings.database_url)
    sessions = make_sessionmaker(engine)
    try:
        started = time.monotonic()
        seed(sessions, plan)
        ctx.say(
            f"    {plan.open_tasks} open tasks and {plan.history} history records in "
            f"{time.monotonic() - started:.1f} s"
        )
        deployer = Deployer(stack.settings.zeebe_address)
        try:
            deployer.deploy_process(DIAGRAM.name, DIAGRAM.read_text(encoding="utf-8"))
        finally:
            deployer.close()
        endings: list[Ending] = []
        with running(stack.settings.zeebe_address, sessions):
            channel: grpc.Channel = sync_channel(stack.settings.zeebe_address)
            stub = pb_grpc.GatewayStub(channel)
            try:
                for n in range(plan.endings * len(KINDS)):
                    endings.append(one(KINDS[n % len(KINDS)], stub, sessions))
            finally:
                channel.close()
    finally:
        engine.dispose()
    ctx.keep("endings", [e.__dict__ for e in endings])
    return figures(endings, plan)


def figures(endings: list[Ending], plan: Plan) -> list[Figure]:
    found: list[Figure] = []
    for kind in KINDS:
        mine = [e.total_ms for e in endings if e.kind == kind]
        note = f"{len(mine)} endings, {plan.open_tasks} other open tasks"
        found += [
            Figure(f"endings.{kind}.p50", nearest_rank(mine, 50), "ms", note=note),
            Figure(f"endings.{kind}.p95", nearest_rank(mine, 95), "ms", Target("<", 1000)),
        ]
    found += [
        Figure(
            "endings.export_p50",
            nearest_rank([e.export_ms for e in endings], 50),
            "ms",
            note="command sent -> the exporter's commit",
        ),
        Figure(
            "endings.apply_p50",
            nearest_rank([e.apply_ms for e in endings], 50),
            "ms",
            note="the exporter's commit -> the task row closed",
        ),
        Figure("endings.open_tasks", plan.open_tasks, "tasks"),
        Figure("endings.history", plan.history, "records"),
    ]
    return found
