"""Benchmark 4: the test suite's wall time, and time travel through the longest SOP timeline.

Suite: at full size the README's test command (``make test``: install check, lint, every test)
runs in a subprocess and its wall time is the figure; ``features/conftest.py`` writes each
test's setup + call + teardown time to ``ALUR_TEST_TIMES``, from which come the time per test
file and the slowest BDD scenario (target: each scenario < 5 s, whole suite < 20 min). At tiny
size only one small test file runs (no stack), so the figures exist but say little.

Time travel: SOP 2's timeline, the longest of the five — 60 working days from a complete
proposal, then 2 months waiting for the proposer's follow-up — as two timers on the broker's
controlled clock (``bench/diagrams/longest_timeline.bpmn``; the first due date comes from the
working-day calendar). The clock is moved a week at a time, as a scenario would, until the
instance completes; the figure is the wall time. Tiny size: 5 working days then 1 day (the
test session shares one clock that only moves forward, so it is not pushed months ahead).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from pyzeebe.proto.gateway_pb2 import (
    ActivateJobsRequest,
    CompleteJobRequest,
    CreateProcessInstanceRequest,
)

from alur import workdays
from alur.gateway import Deployer
from bench.core import Context, Figure, Size, Target, run_checked
from stack.local import REPO

DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "longest_timeline.bpmn"
PROCESS = "Bench_GarisWaktuTerpanjang"
#: The job of the timeline's last step, which the benchmark itself completes.
DONE_JOB = "bench.garis-waktu.selesai"
#: (working-day limit, follow-up wait) per size.
TIMELINES: dict[Size, tuple[str, str]] = {
    "full": ("60 hari kerja", "P2M"),
    "tiny": ("5 hari kerja", "P1D"),
}
#: What a tiny run of the suite part runs: one test file that needs no stack.
TINY_TESTS = ("features/unit/test_stepdiff.py",)
STEP_MS = 7 * 24 * 3600 * 1000
SUITE_LIMIT_S = 20 * 60
SCENARIO_LIMIT_S = 5.0


def run(ctx: Context, size: Size) -> list[Figure]:
    return suite(ctx, size) + timeline(ctx, size)


def suite(ctx: Context, size: Size) -> list[Figure]:
    """Wall time of the test command and of each test file, and the slowest scenario."""
    times_file = ctx.root / "test-times.json"
    env = {**os.environ, "ALUR_TEST_TIMES": str(times_file)}
    if size == "full":
        command = ["make", "--no-print-directory", "test"]
        what = "make test (install check, lint, every test)"
    else:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TINY_TESTS]
        what = "tiny: " + " ".join(TINY_TESTS)
    ctx.say(f"suite: {' '.join(command)}")
    started = time.monotonic()
    run_checked(command, REPO, env)
    wall = time.monotonic() - started
    tests = json.loads(times_file.read_text(encoding="utf-8"))
    per_file: dict[str, float] = defaultdict(float)
    for test in tests:
        per_file[test["file"]] += test["seconds"]
    scenarios = [t for t in tests if t["scenario"]]
    slow = sorted((t for t in scenarios if t["seconds"] >= SCENARIO_LIMIT_S), key=_seconds)
    ctx.keep("tests", len(tests))
    ctx.keep("slow_scenarios", [[t["test"], t["seconds"]] for t in reversed(slow)])
    figures = [
        Figure("suite.wall_s", wall, "s", Target("<", SUITE_LIMIT_S), note=what),
        Figure("suite.tests", float(len(tests)), "tests"),
    ]
    if scenarios:
        longest = max(scenarios, key=_seconds)
        figures.append(
            Figure(
                "suite.scenario_max_s",
                longest["seconds"],
                "s",
                Target("<", SCENARIO_LIMIT_S),
                note=f"{longest['test']}; {len(slow)} of {len(scenarios)} scenarios ≥ 5 s",
            )
        )
    for name, seconds in sorted(per_file.items(), key=lambda item: -item[1]):
        figures.append(Figure(f"suite.file.{name}", seconds, "s"))
    return figures


def _seconds(test: dict[str, object]) -> float:
    value = test["seconds"]
    return float(value) if isinstance(value, int | float) else 0.0


def timeline(ctx: Context, size: Size) -> list[Figure]:
    """Wall time to run SOP 2's longest timeline through on the controlled clock."""
    stack = ctx.stack()
    settings = stack.settings
    clock = stack.clock
    limit_text, follow_up = TIMELINES[size]
    deployer = Deployer(settings.zeebe_address)
    try:
        deployer.deploy_process(DIAGRAM.name, DIAGRAM.read_text(encoding="utf-8"))
        now = datetime.fromtimestamp(clock.now_ms() / 1000, UTC)
        calendar = workdays.calendar_for(
            settings.calendar_file, "kemenpanrb", range(now.year, now.year + 2)
        )
        due = workdays.due(calendar, now, workdays.parse_limit(limit_text))
        variables = {"tenggatKajian": due.isoformat(), "tenggatTindakLanjut": follow_up}
        deployer.stub.CreateProcessInstance(
            CreateProcessInstanceRequest(
                bpmnProcessId=PROCESS, version=-1, variables=json.dumps(variables)
            ),
            timeout=30,
        )
        started_clock = clock.now_ms()
        started = time.monotonic()
        steps = 0
        # Gateway timeouts run on the broker's clock too: no long poll may span a move.
        while not _finished(deployer):
            if time.monotonic() - started > 300:
                raise RuntimeError(f"the timeline did not run through after {steps} moves")
            clock.add(STEP_MS)
            steps += 1
            time.sleep(0.05)
        wall = time.monotonic() - started
        simulated_days = (clock.now_ms() - started_clock) / 86_400_000
    finally:
        deployer.close()
    what = f"{limit_text} then {follow_up}"
    ctx.keep("timeline", {"limits": what, "clock_steps": steps, "days": simulated_days})
    return [
        Figure(
            "timeline.wall_s",
            wall,
            "s",
            Target("<", SCENARIO_LIMIT_S),
            note=f"{what}; {steps} clock moves of 7 days",
        ),
        Figure("timeline.simulated_days", simulated_days, "days", note=what),
    ]


def _finished(deployer: Deployer) -> bool:
    """Whether the timeline's last step is there; if so, complete it (ending the instance)."""
    request = ActivateJobsRequest(
        type=DONE_JOB, worker="alur-bench", timeout=60_000, maxJobsToActivate=1, requestTimeout=-1
    )
    for response in deployer.stub.ActivateJobs(request, timeout=30):
        for job in response.jobs:
            deployer.stub.CompleteJob(CompleteJobRequest(jobKey=job.key), timeout=30)
            return True
    return False
