"""Benchmark 2 of issue 13: SOP 1 under load, as people use it.

**What runs.** The harness's stack (Zeebe with its controlled clock, SeaweedFS, the SMTP sink)
and, started here as ``make run`` starts them (:mod:`bench.sop1_app`), the worker process
``python -m workers`` and the web app (gunicorn, 2 workers x 4 threads) on a fresh, migrated
SQLite database with every diagram and form deployed and SOP 1's staff in
``kemenpanrb-kelembagaan``. Nothing is mocked: service tasks number, render, store in S3,
e-mail the SMTP sink and write the audit trail.

**Who drives it** (:mod:`bench.sop1_driver`, real HTTP on loopback): applicants submit the
intake (multipart: answers and an identity-card PDF) at a fixed arrival rate (evenly spaced,
open loop); staff sessions signed in per role keep their inbox open, claim each task and
complete it with valid form data along the approved path (disposition → analysis "can be
held" → schedule → held). People answer at once: the human tasks add no think time. The
broker's clock is not moved; nothing on this path waits for a timer.

**Step-up.** After a few warm-up cases (first renders, imports; not counted), the arrival rate
rises step by step (full: 0.25, 0.5, 1, 2, 4, 8 cases/s, 40 s each, without pause) until a
step is not sustained; then, after the backlog drained, one more step halfway between the
last rate held and that one. A step is *sustained* when, over its second half (the first
half absorbs the change of rate and the time a case takes): the backlog — applicants that
came minus cases closed ``selesai``, sampled every second, so intakes not answered yet count
— grows by at most ``max(0.1 x rate, 0.1)`` cases/s (least-squares slope); at least 80 % of
the cases that came in that half closed in it (less one, for small counts); and at most 1 %
of the requests failed. ``sop1.sustained_cases_per_s`` is the highest sustained arrival rate.
During the step-up each role's inbox is reloaded every second. At tiny size a handful of
cases arrive at one low rate for 10 s, too short for a trend: that rate is "the highest
sustained" when all its cases closed afterwards (within the drain time).

**Next visible** (``sop1.next_visible.p50/p95/p99``, target p95 < 300 ms): from the start of
a form's POST (the intake, or a member completing a task) to the end of the first load of the
inbox of the role acting next (``/tugas?tampilan=tersedia``, what the inbox serves) that lists
that case's next task, pooled over the four hand-overs (intake → disposition, disposition →
analysis, analysis → schedule, schedule → held). It is measured in a phase of its own at half
the highest sustained rate, after the backlog has drained; while a form waits for its next
task, the inbox of the role acting next is reloaded every 50 ms (one load after the other
when a load takes longer; otherwise every second), so the figure can be late by up to 50 ms
plus one inbox load (the details keep how long loads took). At tiny size the one step is
measured that way. Per hand-over figures, the same measured from the POST's answer, and the
same during each step (with 1 s reloads, so coarse) are kept in the details.

**Job latency** (``sop1.job_p99.<job type>``): see :mod:`bench.sop1_jobs` — from the end of
the step before (the previous job's timeline entry, the receipt's record, or a member's
submit) to the job's own timeline entry; p99 over the jobs of the cases of the latency phase.

**CPU and memory** (``sop1.cpu.<process>``, ``sop1.rss_mb.<process>``): from ``/proc``
(:mod:`bench.procstat`), each server as its whole process tree: CPU in % of one core
averaged over the highest sustained step (100 = one core busy), resident memory at its peak
over the run. The details hold CPU per step for every process, the driver (this process)
and the whole machine (which is shared: other work shows there too).

**The bound** (``sop1.letter_bound_cases_per_s``): rendering a letter is the step issue 13
names as the most expensive. Measured alone before the load (:mod:`bench.sop1_letters`): the
reply letter and the receipt, each rendered N times in this process, CPU time per render. A
case renders one of each, so at best the machine completes ``cores / (reply CPU s + receipt
CPU s)`` cases/s — "letter renders/s per core x cores / letters per case" with 2 letters per
case and the per-core rate taken over the two documents a case actually renders (the reply
letter's own rate is the figure ``sop1.letter_renders_per_core_s``; the bound from it alone
is in the details). The ratio reached is ``sop1.sustained_cases_per_s / bound`` (target >
0.7). The intake's argon2 hash of the applicant's PIN costs about as much CPU as one render;
it is measured too (details ``pin_hash``) but not counted in the bound.

**Staff.** Tiny: one leadership account and two officers; full: three and eight, so the
driver's people are not what runs out (the details' ``queued_max`` shows tasks an inbox
showed that no member had started on yet).
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, text

from bench import procstat, sop1_app, sop1_letters
from bench.core import Context, Figure, Size, Target, nearest_rank
from bench.sop1_driver import TRANSITIONS, WIB, Driver
from bench.sop1_jobs import JobLatency, case_durations, job_latencies, read_diagram
from stack.local import REPO, Stack
from storage.db import make_engine

DIAGRAM = REPO / "bpmn" / "kemenpanrb_konsultasi_surat.bpmn"
#: Service-task job types on the approved path, each with a ``sop1.job_p99.<type>`` figure.
JOB_TYPES = (
    "alur.sla.hitung",
    "alur.register.catat",
    "alur.surat.kirim",
    "alur.surat.terbitkan",
    "alur.perkara.status",
)
#: The processes with CPU and memory figures: name in the figure -> the stack's child name.
SERVERS = {"broker": "zeebe", "seaweedfs": "seaweedfs", "smtp": "smtp"}
MEASURED = ("broker", "worker", "web", "seaweedfs")
#: Every figure the benchmark produces, at any size.
FIGURES = frozenset(
    {
        "sop1.sustained_cases_per_s",
        *(f"sop1.next_visible.p{pct}" for pct in (50, 95, 99)),
        *(f"sop1.job_p99.{job_type}" for job_type in JOB_TYPES),
        "sop1.letter_renders_per_core_s",
        "sop1.letter_bound_cases_per_s",
        "sop1.ratio_to_bound",
        *(f"sop1.cpu.{name}" for name in MEASURED),
        *(f"sop1.rss_mb.{name}" for name in MEASURED),
    }
)
NEXT_VISIBLE_TARGET_MS = 300.0
RATIO_TARGET = 0.7


@dataclass(frozen=True)
class Plan:
    rates: tuple[float, ...]
    #: Seconds each step of the step-up lasts.
    window: float
    #: Seconds between inbox loads; while latency is measured, when a task is awaited.
    interval: float
    tight: float
    #: Cases run through before the step-up (imports, caches, first renders), not counted.
    warmup: int
    #: Seconds of the latency phase at half the highest sustained rate; None: the one step
    #: of the step-up is measured tightly instead.
    latency_window: float | None
    leads: int
    officers: int
    renders: int
    #: At most this long is waited for unfinished cases to close.
    drain: float


PLANS: dict[str, Plan] = {
    "tiny": Plan(
        rates=(0.5,),
        window=10.0,
        interval=1.0,
        tight=0.05,
        warmup=2,
        latency_window=None,
        leads=1,
        officers=2,
        renders=3,
        drain=40.0,
    ),
    "full": Plan(
        rates=(0.25, 0.5, 1.0, 2.0, 4.0, 8.0),
        window=40.0,
        interval=1.0,
        tight=0.05,
        warmup=4,
        latency_window=60.0,
        leads=3,
        officers=8,
        renders=20,
        drain=120.0,
    ),
}


# -- sampling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tick:
    """One sample, every second: the cases, the inbox, CPU and memory."""

    at: float
    arrived: int  # applicants that came (answered or not)
    cases: int  # accepted intakes (case rows)
    done: int  # cases closed "selesai"
    open_tasks: int
    waiting: int  # applicants still waiting for the intake's answer
    queued: int  # tasks shown in an inbox that no member has started yet
    cpu: procstat.CpuReading
    rss: dict[str, int]  # resident bytes of each process tree
    machine: tuple[float, float]

    @property
    def backlog(self) -> int:
        """Applicants whose case has not closed yet, including those the intake has not
        answered."""
        return self.arrived - self.done

    @property
    def unfinished(self) -> int:
        """Accepted cases not closed yet."""
        return self.cases - self.done


class Monitor:
    """Samples the database and ``/proc`` every ``every`` seconds in a thread of its own."""

    def __init__(
        self, url: str, servers: dict[str, int], driver: Driver, every: float = 1.0
    ) -> None:
        self.engine: Engine = make_engine(url)
        #: Process trees measured (servers, worker, web), and this process without its
        #: children (they are the servers).
        self.servers = servers
        self.alone = {"driver": os.getpid()}
        self.driver = driver
        self.every = every
        self.ticks: list[Tick] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="monitor", daemon=True)

    def start(self) -> None:
        self.tick()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
        self.engine.dispose()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - a missed sample is not worth stopping for
                continue

    def tick(self) -> Tick:
        with self.engine.connect() as connection:
            statuses: dict[str, int] = {
                str(status): int(count)
                for status, count in connection.execute(
                    text("SELECT status, count(*) FROM case_file GROUP BY status")
                )
            }
            open_tasks = connection.execute(
                text("SELECT count(*) FROM human_task WHERE status = 'open'")
            ).scalar_one()
        found = Tick(
            at=time.monotonic(),
            arrived=self.driver.arrived,
            cases=int(sum(statuses.values())),
            done=int(statuses.get("selesai", 0)),
            open_tasks=int(open_tasks),
            waiting=self.driver.inflight,
            queued=self.driver.queued,
            cpu=procstat.CpuReading.take(self.servers, alone=self.alone),
            rss={name: tree_rss(pid) for name, pid in self.servers.items()},
            machine=machine_busy(),
        )
        with self._lock:
            self.ticks.append(found)
        return found

    def between(self, start: float, end: float) -> list[Tick]:
        with self._lock:
            return [tick for tick in self.ticks if start <= tick.at <= end]

    def latest(self) -> Tick:
        with self._lock:
            return self.ticks[-1]


# -- steps ---------------------------------------------------------------------------------


@dataclass
class Step:
    """One arrival rate held for a while, and what came of it."""

    phase: str
    rate: float
    seconds: float
    planned: int
    accepted: int
    errors: int
    waiting_at_end: int
    #: Most tasks waiting for a member of the driver at once (should stay small).
    queued_max: int
    open_tasks_end: int
    backlog_start: int
    backlog_end: int
    #: Over the second half: backlog growth, arrivals and closures per second.
    backlog_slope: float
    arrival_rate: float
    completion_rate: float
    sustained: bool
    cpu: dict[str, float] = field(default_factory=dict)
    machine_busy_pct: float = 0.0
    intake_p50_ms: float | None = None
    complete_p50_ms: float | None = None


def _slope(points: list[tuple[float, float]]) -> float:
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def _cpu(ticks: list[Tick]) -> tuple[dict[str, float], float]:
    """Mean CPU % of a core per process between the first and last tick, and the machine's
    busy share in % of all its cores."""
    if len(ticks) < 2:
        return {}, 0.0
    first, last = ticks[0], ticks[-1]
    per_process = {
        name: 100.0 * used / wall if wall > 0 else 0.0
        for name, (used, wall) in last.cpu.since(first.cpu).items()
    }
    busy = last.machine[0] - first.machine[0]
    total = last.machine[1] - first.machine[1]
    return per_process, (100.0 * busy / total if total > 0 else 0.0)


def run_step(driver: Driver, monitor: Monitor, rate: float, seconds: float, phase: str) -> Step:
    recorder = driver.recorder
    recorder.phase = phase
    errors_before = sum(recorder.errors.values())
    began = time.monotonic()
    start_tick = monitor.tick()
    planned = max(1, round(rate * seconds))
    driver.arrive(rate, seconds)
    rest = began + seconds - time.monotonic()
    if rest > 0:
        time.sleep(rest)
    end_tick = monitor.tick()
    ended = end_tick.at
    ticks = monitor.between(began, ended)
    half = [tick for tick in ticks if tick.at >= began + seconds / 2]
    span = half[-1].at - half[0].at if len(half) >= 2 else 0.0
    came = half[-1].arrived - half[0].arrived if half else 0
    closed = half[-1].done - half[0].done if half else 0
    slope = _slope([(tick.at, float(tick.backlog)) for tick in half])
    accepted = sum(1 for entry in recorder.intakes if entry[0] == phase)
    errors = sum(recorder.errors.values()) - errors_before
    requests = planned * 12  # about a dozen requests per case, intake and four tasks
    sustained = (
        slope <= max(0.1 * rate, 0.1) and closed >= 0.8 * came - 1 and errors <= 0.01 * requests
    )
    cpu, machine = _cpu(ticks)
    intake_ms = [ms for p, ms in recorder.intake_ms if p == phase]
    complete_ms = [ms for p, _, ms in recorder.complete_ms if p == phase]
    return Step(
        phase=phase,
        rate=rate,
        seconds=round(ended - began, 1),
        planned=planned,
        accepted=accepted,
        errors=errors,
        waiting_at_end=end_tick.waiting,
        queued_max=max((tick.queued for tick in ticks), default=0),
        open_tasks_end=end_tick.open_tasks,
        backlog_start=start_tick.backlog,
        backlog_end=end_tick.backlog,
        backlog_slope=round(slope, 3),
        arrival_rate=round(came / span, 3) if span else 0.0,
        completion_rate=round(closed / span, 3) if span else 0.0,
        sustained=sustained,
        cpu={name: round(value, 1) for name, value in cpu.items()},
        machine_busy_pct=round(machine, 1),
        intake_p50_ms=round(nearest_rank(intake_ms, 50), 1) if intake_ms else None,
        complete_p50_ms=round(nearest_rank(complete_ms, 50), 1) if complete_ms else None,
    )


def say_step(ctx: Context, step: Step) -> None:
    ctx.say(
        f"      closed {step.completion_rate:.2f}/s of {step.arrival_rate:.2f}/s, "
        f"backlog {step.backlog_start}→{step.backlog_end} ({step.backlog_slope:+.2f}/s), "
        f"CPU {step.cpu}, machine {step.machine_busy_pct:.0f}% → "
        f"{'sustained' if step.sustained else 'NOT sustained'}"
    )


def drain(driver: Driver, monitor: Monitor, timeout: float) -> bool:
    """Wait until every accepted case has closed and no applicant waits; False on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tick = monitor.tick()
        if tick.unfinished == 0 and tick.waiting == 0:
            return True
        time.sleep(0.5)
    return False


# -- summaries ------------------------------------------------------------------------------


def percentiles(values: Iterable[float]) -> dict[str, float] | None:
    found = list(values)
    if not found:
        return None
    return {
        "n": len(found),
        "min": round(min(found), 1),
        **{f"p{pct}": round(nearest_rank(found, pct), 1) for pct in (50, 95, 99)},
        "max": round(max(found), 1),
    }


def broker_schedule(stack: Stack) -> datetime:
    """A consultation at 00.01 WIB of the broker's today: already due, since "Laksanakan
    konsultasi" reaches the inbox only once its scheduled time has come and a benchmark does
    not wait for it (letters are dated by the broker's clock, which tests may have moved
    forward; the form refuses only days before the real today, which is never later)."""
    now = datetime.fromtimestamp(stack.clock.now_ms() / 1000, UTC).astimezone(WIB)
    day = now.date()
    return datetime(day.year, day.month, day.day, 0, 1, tzinfo=WIB)


def _roots(stack: Stack, app: sop1_app.App) -> dict[str, int]:
    roots = {name: stack.children[child].pid for name, child in SERVERS.items()}
    roots.update(app.pids())
    return roots


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its live descendants."""
    return sum(procstat.rss_bytes(member) for member in [pid, *procstat.children(pid)])


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from ``/proc/stat``: busy
    is all but idle and iowait, whoever used it (other work on a shared machine too)."""
    with open("/proc/stat") as stat:
        values = [int(value) for value in stat.readline().split()[1:9]]
    ticks = procstat.TICKS_PER_SECOND
    return (sum(values) - values[3] - values[4]) / ticks, sum(values) / ticks


@dataclass
class Outcome:
    steps: list[Step]
    latency: Step | None
    highest: float
    highest_step: Step
    note: str
    drained: bool
    peak_rss: dict[str, int]
    latency_phase: str
    samples_by_phase: dict[str, dict[str, Any]]
    jobs: list[JobLatency]
    codes_by_phase: dict[str, set[str]]
    errors: dict[str, int]
    #: Seconds from intake to closure, by tracking code.
    durations: dict[str, float]
    #: Every sample: seconds since the first, applicants arrived, cases accepted and closed,
    #: open tasks, applicants waiting, tasks waiting for a driver's member.
    timeline: list[tuple[float, int, int, int, int, int, int]]
    #: Per phase, the time one inbox load took (how late "next visible" can be, beside the
    #: reload interval).
    inbox_ms: dict[str, dict[str, float] | None]


def drive(ctx: Context, plan: Plan, stack: Stack, app: sop1_app.App) -> Outcome:
    # Tiny: the one step is where latency is measured, so inboxes are reloaded tightly.
    tight = plan.tight if plan.latency_window is None else plan.interval
    driver = Driver(
        app.base_url, app.members, broker_schedule(stack), interval=plan.interval, tight=tight
    )
    monitor = Monitor(app.settings.database_url, _roots(stack, app), driver)
    steps: list[Step] = []
    latency: Step | None = None
    drained = True
    try:
        driver.start()
        monitor.start()
        ctx.say(f"    warming up with {plan.warmup} cases")
        driver.recorder.phase = "warm-up"
        driver.arrive(float(plan.warmup), 1.0)
        if not drain(driver, monitor, plan.drain):
            raise RuntimeError(f"the {plan.warmup} warm-up cases did not finish")
        for rate in plan.rates:
            ctx.say(f"    {rate:g} cases/s for {plan.window:.0f} s")
            step = run_step(driver, monitor, rate, plan.window, f"step {rate:g}/s")
            steps.append(step)
            say_step(ctx, step)
            if not step.sustained:
                break
        held = [step for step in steps if step.sustained]
        if held and not steps[-1].sustained and steps[-1].rate / held[-1].rate > 1.4:
            # One more step halfway between the last rate held and the first that was not.
            ctx.say("    draining the backlog")
            drain(driver, monitor, plan.drain)
            rate = round((held[-1].rate + steps[-1].rate) / 2, 3)
            ctx.say(f"    {rate:g} cases/s for {plan.window:.0f} s (halfway)")
            steps.append(run_step(driver, monitor, rate, plan.window, f"step {rate:g}/s"))
            say_step(ctx, steps[-1])
        ctx.say("    draining the backlog")
        drained = drain(driver, monitor, plan.drain)
        if len(plan.rates) == 1:
            # One short step: too short to see a trend. It held if all its cases closed.
            steps[0].sustained = drained and steps[0].errors == 0
        held = [step for step in steps if step.sustained]
        if held:
            highest_step = max(held, key=lambda step: step.rate)
            note = f"steps of {plan.window:.0f} s: " + ", ".join(
                f"{s.rate:g}{'' if s.sustained else ' (not sustained)'}" for s in steps
            )
        else:
            highest_step = steps[0]
            note = f"not even {steps[0].rate:g}/s was sustained: its closure rate is shown"
        highest = highest_step.rate if held else max(steps[0].completion_rate, 0.001)
        if len(plan.rates) == 1:
            note = f"tiny: only {plan.rates[0]:g}/s tried ({plan.window:.0f} s)" + (
                ", its cases all closed" if held else ", not sustained: closure rate shown"
            )
        latency_phase = steps[0].phase
        if plan.latency_window is not None:
            rate = highest / 2
            latency_phase = f"latency {rate:g}/s"
            ctx.say(f"    next-visible latency at {rate:g} cases/s for {plan.latency_window:.0f} s")
            driver.tight = plan.tight
            latency = run_step(driver, monitor, rate, plan.latency_window, latency_phase)
            drained = drain(driver, monitor, plan.drain) and drained
    finally:
        driver.stop()
        monitor.stop()
    peak: dict[str, int] = defaultdict(int)
    for tick in monitor.ticks:
        for name, value in tick.rss.items():
            peak[name] = max(peak[name], value)
    recorder = driver.recorder
    by_phase: dict[str, dict[str, Any]] = {}
    for phase in {sample.phase for sample in recorder.samples}:
        mine = [s for s in recorder.samples if s.phase == phase]
        by_phase[phase] = {
            "all": percentiles(s.from_submit_ms for s in mine),
            "all_from_answer": percentiles(s.from_answer_ms for s in mine),
            **{
                t: percentiles(s.from_submit_ms for s in mine if s.transition == t)
                for t in TRANSITIONS
            },
        }
    codes: dict[str, set[str]] = defaultdict(set)
    for phase, _, code in recorder.intakes:
        codes[phase].add(code)
    loads: dict[str, list[float]] = defaultdict(list)
    for phase, ms in recorder.inbox_ms:
        loads[phase].append(ms)
    return Outcome(
        steps=steps,
        latency=latency,
        highest=highest,
        highest_step=highest_step,
        note=note,
        drained=drained,
        peak_rss=dict(peak),
        latency_phase=latency_phase,
        samples_by_phase=by_phase,
        jobs=job_latencies(app.sessions, read_diagram(DIAGRAM), dict(recorder.submits)),
        durations=case_durations(app.sessions),
        codes_by_phase=dict(codes),
        errors=dict(recorder.errors),
        inbox_ms={phase: percentiles(values) for phase, values in loads.items()},
        timeline=[
            (
                round(tick.at - monitor.ticks[0].at, 1),
                tick.arrived,
                tick.cases,
                tick.done,
                tick.open_tasks,
                tick.waiting,
                tick.queued,
            )
            for tick in monitor.ticks
        ],
    )


def run(ctx: Context, size: Size) -> list[Figure]:
    plan = PLANS[size]
    stack = ctx.stack()
    cores = os.cpu_count() or 1
    began = time.monotonic()
    ctx.say(f"    rendering letters alone ({plan.renders} each)")
    reply, receipt = sop1_letters.measure_both(plan.renders)
    pin = sop1_letters.measure_pin_hash(plan.renders)
    per_case_cpu_s = (reply.cpu_median_ms + receipt.cpu_median_ms) / 1000
    bound = cores / per_case_cpu_s
    ctx.say(
        f"      reply {reply.cpu_median_ms:.0f} ms, receipt {receipt.cpu_median_ms:.0f} ms CPU: "
        f"bound {bound:.2f} cases/s on {cores} cores"
    )
    ctx.say(f"    starting the worker process and the web app ({time.monotonic() - began:.0f} s)")
    app = sop1_app.start(stack, ctx.root / "sop1", sop1_app.staff(plan.leads, plan.officers))
    try:
        ctx.say(f"    driving ({time.monotonic() - began:.0f} s)")
        outcome = drive(ctx, plan, stack, app)
    finally:
        app.stop()
    ctx.say(f"    done ({time.monotonic() - began:.0f} s)")
    ctx.keep("pin_hash", pin.as_details())
    return figures(ctx, plan, outcome, reply, receipt, bound, cores)


def figures(
    ctx: Context,
    plan: Plan,
    outcome: Outcome,
    reply: sop1_letters.Renders,
    receipt: sop1_letters.Renders,
    bound: float,
    cores: int,
) -> list[Figure]:
    phase = outcome.latency_phase
    visible = outcome.samples_by_phase.get(phase, {}).get("all")
    latency_rate = outcome.latency.rate if outcome.latency else outcome.steps[0].rate
    interval = plan.tight
    found = [
        Figure(
            "sop1.sustained_cases_per_s",
            outcome.highest,
            "cases/s",
            note=outcome.note + ("" if outcome.drained else "; backlog did not drain in time"),
        )
    ]
    where = f"at {latency_rate:g} cases/s, inbox reloaded every {interval * 1000:.0f} ms"
    for pct in (50, 95, 99):
        value = float(visible[f"p{pct}"]) if visible else float("nan")
        found.append(
            Figure(
                f"sop1.next_visible.p{pct}",
                value,
                "ms",
                Target("<", NEXT_VISIBLE_TARGET_MS) if pct == 95 else None,
                note=f"{visible['n'] if visible else 0} hand-overs {where}",
            )
        )
    codes = outcome.codes_by_phase.get(phase, set())
    jobs_by_type: dict[str, list[float]] = defaultdict(list)
    for job in outcome.jobs:
        if job.case_code in codes:
            jobs_by_type[job.job_type].append(job.ms)
    for job_type in JOB_TYPES:
        values = jobs_by_type.get(job_type, [])
        found.append(
            Figure(
                f"sop1.job_p99.{job_type}",
                nearest_rank(values, 99) if values else float("nan"),
                "ms",
                note=f"{len(values)} jobs at {latency_rate:g} cases/s",
            )
        )
    found += [
        Figure(
            "sop1.letter_renders_per_core_s",
            reply.per_core_per_s,
            "renders/s",
            note=f"reply letter, {reply.cpu_median_ms:.0f} ms CPU median of {len(reply.cpu_ms)}; "
            f"receipt {receipt.cpu_median_ms:.0f} ms",
        ),
        Figure(
            "sop1.letter_bound_cases_per_s",
            bound,
            "cases/s",
            note=f"{cores} cores / (reply + receipt CPU per case)",
        ),
        Figure(
            "sop1.ratio_to_bound",
            outcome.highest / bound,
            "ratio",
            Target(">", RATIO_TARGET),
            note="highest sustained / letter bound",
        ),
    ]
    step = outcome.highest_step
    for name in MEASURED:
        found.append(
            Figure(
                f"sop1.cpu.{name}",
                step.cpu.get(name, float("nan")),
                "% core",
                note=f"mean over the {step.rate:g} cases/s step",
            )
        )
    for name in MEASURED:
        found.append(
            Figure(
                f"sop1.rss_mb.{name}",
                outcome.peak_rss.get(name, 0) / 1e6,
                "MB",
                note="peak over the run",
            )
        )
    jobs_table: dict[str, dict[str, Any]] = {}
    for phase_name, phase_codes in outcome.codes_by_phase.items():
        per_type: dict[str, list[float]] = defaultdict(list)
        after_record: dict[str, list[float]] = defaultdict(list)
        for job in outcome.jobs:
            if job.case_code in phase_codes:
                per_type[job.job_type].append(job.ms)
                if job.after_record_ms != job.ms:
                    after_record[job.job_type].append(job.after_record_ms)
        jobs_table[phase_name] = {t: percentiles(v) for t, v in sorted(per_type.items())}
        jobs_table[phase_name]["after_human_task_from_closed_at"] = {
            t: percentiles(v) for t, v in sorted(after_record.items())
        }
    ctx.keep("plan", asdict(plan))
    ctx.keep("steps", [asdict(s) for s in outcome.steps])
    ctx.keep("latency_phase", asdict(outcome.latency) if outcome.latency else None)
    ctx.keep("next_visible_ms", outcome.samples_by_phase)
    ctx.keep("inbox_load_ms", outcome.inbox_ms)
    ctx.keep("job_latency_ms", jobs_table)
    ctx.keep(
        "case_duration_s",
        {
            phase_name: percentiles(
                outcome.durations[code] for code in phase_codes if code in outcome.durations
            )
            for phase_name, phase_codes in outcome.codes_by_phase.items()
        },
    )
    ctx.keep("letters", {"reply": reply.as_details(), "receipt": receipt.as_details()})
    ctx.keep(
        "bound",
        {
            "cores": cores,
            "from_both_documents": round(bound, 3),
            "from_reply_letter_only": round(reply.per_core_per_s * cores / 2, 3),
        },
    )
    ctx.keep("peak_rss_mb", {k: round(v / 1e6, 1) for k, v in outcome.peak_rss.items()})
    ctx.keep("errors", outcome.errors)
    ctx.keep(
        "timeline",
        {
            "columns": ["s", "arrived", "accepted", "closed", "open_tasks", "waiting", "queued"],
            "rows": outcome.timeline,
        },
    )
    ctx.keep("drained", outcome.drained)
    return found
