"""Every benchmark of ``bench/`` at its tiny size, so none of them can rot: it runs on the
session's stack and produces each of its figures with a finite, positive value (a difference
between two sets of runs, finite).

Nothing here asserts a timing: figures depend on the machine and on what else runs on it.
``make bench`` (``python -m bench``) prints them at full size and writes them as JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench import endings, engine, national, report, sop1_load, suite, sweep
from bench.core import LANES, Context, Figure, Lane, Need, Target
from bench.registry import REGISTRY, Entry

pytestmark = pytest.mark.bench


def national_figures(lane: Lane) -> set[str]:
    operations = {f"{lane}.{op}.{stat}" for op in national.OPERATIONS for stat in ("p50", "p95")}
    return {"pin_check.p50", "pin_check.p95", f"{lane}.generate", f"{lane}.size", *operations}


ENGINE_FIGURES = (
    "instances_per_s",
    "jobs_per_s",
    "job_latency_p50",
    "job_latency_p99",
    "cpu_broker",
    "broker_cpu_per_instance",
    "cpu_worker",
    "worker_rss",
)


def engine_figures(lane: Lane) -> set[str]:
    """The default Zeebe's figures as ``engine.*`` and the exporter's cost on the default
    (``engine.exporter.*``); at full size every other pinned version's are beside them as
    ``engine.<version>.*``."""
    assert not engine.PLANS["tiny"].every_version
    workers = ("alur", "java")
    measured = {f"engine.{w}.{n}" for w in workers for n in ENGINE_FIGURES}
    return {*engine.EXPORTER_FIGURES, "engine.ratio", *measured}


def suite_figures(lane: Lane) -> set[str]:
    files = {f"suite.file.{name}" for name in suite.TINY_TESTS}
    return {"suite.wall_s", "suite.tests", "timeline.wall_s", "timeline.simulated_days", *files}


def startup_figures(lane: Lane) -> set[str]:
    memory = {f"startup.apps.rss_mb.{name}" for name in ("web", "workers", "total")}
    return {"startup.install_check_s", "startup.apps_ready_s", *memory}


#: The figures each registered benchmark produces at tiny size, on one database lane.
EXPECTED: dict[str, Callable[[Lane], set[str]]] = {
    "engine": engine_figures,
    "national": national_figures,
    "sop1_load": lambda _lane: set(sop1_load.FIGURES),
    "suite": suite_figures,
    "sweep": lambda _lane: set(sweep.FIGURES),
    "endings": lambda _lane: set(endings.FIGURES),
    "startup": startup_figures,
}

#: Figures that are differences, finite but of either sign.
SIGNED: dict[str, frozenset[str]] = {"engine": engine.SIGNED_FIGURES}


def runs() -> list[object]:
    """One run per benchmark and database lane it uses (PostgreSQL in its own lane)."""
    found = []
    for entry in REGISTRY:
        lanes = LANES if Need.DATABASE in entry.needs else LANES[:1]
        for lane in lanes:
            marks = [pytest.mark.postgres] if lane == "postgresql" else []
            found.append(pytest.param(entry, lane, marks=marks, id=f"{entry.name}-{lane}"))
    return found


def test_every_benchmark_says_which_figures_it_produces():
    assert {entry.name for entry in REGISTRY} == set(EXPECTED)


@pytest.mark.parametrize(("entry", "lane"), runs())
def test_a_benchmark_produces_its_figures_at_tiny_size(
    entry: Entry, lane: Lane, request: pytest.FixtureRequest, tmp_path: Path
):
    # The session's servers, started only if this benchmark needs them.
    ctx = Context(
        root=tmp_path,
        lanes=(lane,),
        stack_provider=lambda: request.getfixturevalue("stack"),
        postgres_provider=lambda: request.getfixturevalue("postgres_url"),
    )
    ctx.begin(entry.name, entry.needs)
    figures = entry.load().run(ctx, "tiny")
    values = {figure.name: figure.value for figure in figures}
    assert len(values) == len(figures), "a figure name appears twice"
    assert set(values) == EXPECTED[entry.name](lane)
    # A difference between two sets of runs may come out negative at this size.
    signed = SIGNED.get(entry.name, frozenset())
    assert [
        name
        for name, value in values.items()
        if not (math.isfinite(value) and (value > 0 or name in signed))
    ] == []


def test_results_are_written_as_json_and_compared(tmp_path: Path):
    now = datetime.now(UTC)
    figures = [
        Figure("sqlite.inbox.p95", 12.5, "ms", Target("<", 100), benchmark="national"),
        Figure("sqlite.generate", 3.0, "s", benchmark="national"),
    ]
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path, factor in ((first, 1), (second, 2)):
        scaled = [
            Figure(f.name, f.value * factor, f.unit, f.target, f.note, f.benchmark) for f in figures
        ]
        report.write(path, scaled, size="tiny", started=now, finished=now, details={}, failed=[])
    written = json.loads(first.read_text())
    assert written["machine"]["cpu_count"] and written["machine"]["git_sha"]
    assert [(f["name"], f["met"]) for f in written["figures"]] == [
        ("sqlite.inbox.p95", True),
        ("sqlite.generate", None),
    ]
    lines = report.compare(first, second)
    assert any("sqlite.inbox.p95" in line and "2.00" in line for line in lines)
    assert any("met" in line for line in report.table(figures))
