"""Benchmark 6: what the task bridge's sweep costs the broker, and how long a pass takes.

Every open human task holds an activated job; the bridge's sweep (``alur.usertasks``) renews
its lease and learns whether Zeebe still has it with one ``UpdateJobTimeout`` command per task,
``ALUR_USERTASK_SWEEP_BATCH`` tasks every ``ALUR_USERTASK_SWEEP_SECONDS``. This measures that
path as the bridge runs it — the next batch read from the task table, one command per task,
in turn — over jobs that stay activated, as human tasks' jobs do:

- ``bench/diagrams/one_waiting_job.bpmn`` instances each hold a job of type ``bench.sweep``
  (its own type, so no other worker takes them), activated here with the bridge's 30-day
  lease and written to a task table (SQLite, migrated to head) under their job keys;
- a :class:`alur.usertasks.Bridge` (not running its loops) sweeps them with back-to-back
  calls to ``sweep()`` until every task was asked once; every task must still be open after.

Figures: ``sweep.probes_per_s`` (one bridge, commands answered per second), the broker's CPU
per command (``/proc`` of its JVM over the pass) and, from those, the broker's share of a core
at the configured rate and the minutes a pass over 100,000 open tasks takes (the configured
rate, or the measured one if lower). Full size: 10,000 tasks; tiny: 200.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from pathlib import Path

from pyzeebe.grpc_internals.zeebe_adapter import ZeebeAdapter
from sqlalchemy.orm import Session, sessionmaker

from alur.coroutines import run_coroutine
from alur.engine import connect
from alur.gateway import Deployer
from alur.usertasks import LEASE_MS, Bridge
from bench import engine as engine_bench
from bench.core import Context, Figure, Size
from bench.procstat import cpu_seconds
from storage import migrate, tasks
from storage.db import make_engine, make_sessionmaker
from storage.tasks import NewTask

DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "one_waiting_job.bpmn"
PROCESS = "Bench_OneWaitingJob"
JOB_TYPE = "bench.sweep"
TASKS: dict[Size, int] = {"tiny": 200, "full": 10_000}
#: The national scale of benchmark 3: open human tasks across the country.
NATIONAL_OPEN_TASKS = 100_000
FIGURES = (
    "sweep.tasks",
    "sweep.probes_per_s",
    "sweep.broker_cpu_ms_per_probe",
    "sweep.broker_share_at_rate",
    "sweep.pass_min_100k",
)


@dataclass(frozen=True)
class Pass:
    tasks: int
    seconds: float
    broker_cpu_s: float
    sweeps: int


def run(ctx: Context, size: Size) -> list[Figure]:
    stack = ctx.stack()
    settings = stack.settings
    deployer = Deployer(settings.zeebe_address)
    try:
        deployer.deploy_process(DIAGRAM.name, DIAGRAM.read_text(encoding="utf-8"))
    finally:
        deployer.close()
    count = TASKS[size]
    ctx.say(f"    creating {count:,} instances that each hold one waiting job")
    engine_bench.create(settings.zeebe_address, count, process=PROCESS)
    folder = ctx.root / "sweep"
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'tasks.db'}"
    migrate.upgrade(url)
    db_engine = make_engine(url)
    try:
        sessions = make_sessionmaker(db_engine)
        measured = run_coroutine(
            lambda: _measure(
                settings.zeebe_address,
                sessions,
                count,
                settings.usertask_sweep_batch,
                stack.children["zeebe"].pid,
            )
        )
    finally:
        db_engine.dispose()
    rate = settings.usertask_sweep_batch / settings.usertask_sweep_seconds
    ctx.keep(
        "pass",
        {
            "tasks": measured.tasks,
            "seconds": round(measured.seconds, 2),
            "sweeps": measured.sweeps,
            "batch": settings.usertask_sweep_batch,
            "interval_s": settings.usertask_sweep_seconds,
        },
    )
    return figures(measured, rate)


def figures(measured: Pass, rate: float) -> list[Figure]:
    """The figures of a pass, with ``rate`` the configured commands per second."""
    probes_per_s = measured.tasks / measured.seconds
    cpu_ms = measured.broker_cpu_s * 1000 / measured.tasks
    pace = min(rate, probes_per_s)
    return [
        Figure("sweep.tasks", measured.tasks, "tasks"),
        Figure("sweep.probes_per_s", probes_per_s, "/s", note="one bridge, back to back"),
        Figure("sweep.broker_cpu_ms_per_probe", cpu_ms, "ms"),
        Figure(
            "sweep.broker_share_at_rate",
            cpu_ms * rate / 10,
            "% core",
            note=f"at the configured {rate:g} commands/s",
        ),
        Figure(
            "sweep.pass_min_100k",
            NATIONAL_OPEN_TASKS / pace / 60,
            "min",
            note=f"{NATIONAL_OPEN_TASKS:,} open tasks at {pace:.0f} commands/s",
        ),
    ]


async def _measure(
    address: str, sessions: sessionmaker[Session], count: int, batch: int, broker_pid: int
) -> Pass:
    async with connect(address) as channel:
        keys = await _activate(ZeebeAdapter(channel, max_connection_retries=-1), count)
        await asyncio.to_thread(_record, sessions, keys)
        sweeper = Bridge(channel, sessions, sweep_seconds=3600, sweep_batch=batch, name="bench")
        sweeps = math.ceil(count / batch)  # each asks the next batch: every task once
        cpu_before, started = cpu_seconds(broker_pid), time.monotonic()
        for _ in range(sweeps):
            await sweeper.sweep()
        seconds = time.monotonic() - started
        broker_cpu_s = cpu_seconds(broker_pid) - cpu_before
    with sessions() as session:
        still_open = len(tasks.job_keys(session, tasks.OPEN))
    if still_open != count:
        raise RuntimeError(f"the sweep dropped {count - still_open} of {count} live tasks")
    return Pass(count, seconds, broker_cpu_s, sweeps)


async def _activate(adapter: ZeebeAdapter, count: int) -> list[int]:
    """Activate ``count`` jobs of ``JOB_TYPE`` with the bridge's lease; their keys."""
    keys: list[int] = []
    deadline = time.monotonic() + 300
    while len(keys) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(keys)} of {count} jobs could be activated")
        async for job in adapter.activate_jobs(
            task_type=JOB_TYPE,
            worker="bench-sweep",
            timeout=LEASE_MS,
            max_jobs_to_activate=min(1000, count - len(keys)),
            variables_to_fetch=[],
            request_timeout=2_000,
        ):
            keys.append(job.key)
    return keys


def _record(sessions: sessionmaker[Session], keys: list[int]) -> None:
    """The jobs as open tasks of the task table, as the bridge would have stored them."""
    with sessions() as session:
        for key in keys:
            tasks.upsert(
                session,
                NewTask(
                    job_key=key,
                    process_instance_key=key,
                    process_definition_key=1,
                    bpmn_process_id=PROCESS,
                    element_id="Task_Waiting",
                    element_instance_key=key,
                    form_key=None,
                    candidate_groups=["bench.peran"],
                    assignee=None,
                    due_at=None,
                    variables={},
                ),
            )
