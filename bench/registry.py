"""Every benchmark, in the order they run: add a line here for a new ``bench/<name>.py``."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import cast

from bench.core import Benchmark, Need


@dataclass(frozen=True)
class Entry:
    """A benchmark module and what it needs running (nothing else is started for it)."""

    name: str
    title: str
    needs: frozenset[Need]

    def load(self) -> Benchmark:
        module = importlib.import_module(f"bench.{self.name}")
        if not callable(getattr(module, "run", None)):
            raise TypeError(f"bench.{self.name} has no run(ctx, size)")
        return cast(Benchmark, module)


REGISTRY: list[Entry] = [
    Entry(
        "engine",
        "Engine ceiling, side by side: Alur's worker runtime and Zeebe's Java client "
        "(issue 13, benchmark 1)",
        frozenset({Need.STACK}),
    ),
    Entry(
        "national",
        "Inbox and dashboard at national scale (issue 13, benchmark 3)",
        frozenset({Need.DATABASE}),
    ),
    Entry(
        "sop1_load",
        "SOP 1 under load, as people use it (issue 13, benchmark 2)",
        frozenset({Need.STACK}),
    ),
    Entry(
        "suite",
        "Time travel and the test suite (issue 13, benchmark 4)",
        frozenset({Need.STACK}),
    ),
    Entry(
        "sweep",
        "The task bridge's sweep: broker cost per open task, pass time at national scale",
        frozenset({Need.STACK}),
    ),
    Entry(
        "endings",
        "An ending in the broker to the task leaving every inbox (issue 23, benchmark 7)",
        frozenset({Need.STACK}),
    ),
    Entry(
        "startup",
        "Start-up and footprint (issue 13, benchmark 5)",
        frozenset({Need.STACK}),
    ),
]


def find(name: str) -> Entry:
    for entry in REGISTRY:
        if entry.name == name:
            return entry
    known = ", ".join(entry.name for entry in REGISTRY)
    raise KeyError(f"no benchmark {name!r} (known: {known})")
