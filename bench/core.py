"""What every benchmark shares: figures, targets, sizes, what it needs, and its context.

A benchmark is a module ``bench/<name>.py`` with one function ``run(ctx, size)`` returning
:class:`Figure` s, registered in :data:`bench.registry.REGISTRY` with the servers it needs.
It prints figures and never asserts timings: targets are only compared, in the report.
"""

from __future__ import annotations

import math
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Literal, Protocol

from sqlalchemy import create_engine, make_url

from stack.local import Stack

Size = Literal["tiny", "full"]
SIZES: tuple[Size, ...] = ("tiny", "full")
#: The databases a benchmark needing :attr:`Need.DATABASE` runs on, each in turn.
Lane = Literal["sqlite", "postgresql"]
LANES: tuple[Lane, ...] = ("sqlite", "postgresql")
Say = Callable[[str], None]


class Need(Enum):
    """What a benchmark needs running; the harness starts only what the selected ones need."""

    #: An empty database per lane: a SQLite file, a database in a private PostgreSQL cluster.
    DATABASE = "database"
    #: Zeebe, SeaweedFS and SMTP started by :meth:`stack.local.Stack.start_servers`.
    STACK = "stack"


@dataclass(frozen=True)
class Target:
    """What a figure should be: below (``<``) or above (``>``) ``bound``."""

    op: Literal["<", ">"]
    bound: float

    def met(self, value: float) -> bool:
        return value < self.bound if self.op == "<" else value > self.bound

    def __str__(self) -> str:
        return f"{self.op} {self.bound:g}"


@dataclass(frozen=True)
class Figure:
    """One measured value, e.g. ``sqlite.inbox.p95`` = 12.3 ms (target < 100)."""

    name: str
    value: float
    unit: str
    target: Target | None = None
    note: str = ""
    #: Filled in by the harness: the benchmark that produced it.
    benchmark: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self.value)


class Benchmark(Protocol):
    """A benchmark module: ``run`` measures at ``size`` and returns its figures."""

    def run(self, ctx: Context, size: Size) -> list[Figure]: ...


@dataclass
class Context:
    """What a benchmark gets from the harness (or from the test session).

    Servers come from providers called on first use, so whoever builds the context decides
    whether they are started here (``python -m bench``) or are the test session's.
    """

    root: Path
    lanes: tuple[Lane, ...]
    stack_provider: Callable[[], Stack]
    postgres_provider: Callable[[], str]
    plans: bool = False
    say: Say = lambda _message: None
    #: Per benchmark, anything worth keeping beside the figures (query plans, data sizes).
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    benchmark: str = ""
    needs: frozenset[Need] = frozenset()

    def begin(self, name: str, needs: frozenset[Need]) -> None:
        """Switch to benchmark ``name``, which may use only what it declared."""
        self.benchmark, self.needs = name, needs
        self.details.setdefault(name, {})

    def _require(self, need: Need) -> None:
        if need not in self.needs:
            raise RuntimeError(f"benchmark {self.benchmark!r} did not declare {need.value!r}")

    def stack(self) -> Stack:
        """The running stack's plan and processes (Zeebe, SeaweedFS, SMTP, schema)."""
        self._require(Need.STACK)
        return self.stack_provider()

    def database(self, lane: Lane, name: str) -> str:
        """The URL of a new, empty database called ``name`` on ``lane`` (not migrated)."""
        self._require(Need.DATABASE)
        if lane == "sqlite":
            folder = self.root / "sqlite"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{name}.db"
            for leftover in folder.glob(f"{name}.db*"):
                leftover.unlink()
            return f"sqlite:///{path}"
        server = make_url(self.postgres_provider())
        engine = create_engine(server, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            engine.dispose()
        return server.set(database=name).render_as_string(hide_password=False)

    def keep(self, key: str, value: Any) -> None:
        """Save ``value`` (JSON-able) under ``key`` in the current benchmark's details."""
        self.details[self.benchmark][key] = value


# -- measuring -------------------------------------------------------------------------------


def run_checked(argv: list[str], cwd: Path, env: Mapping[str, str] | None = None) -> None:
    """Run a command to its end; raise with the tail of its output if it fails."""
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise RuntimeError(f"{' '.join(argv)} failed (exit {result.returncode}):\n{tail}")


def nearest_rank(values: Iterable[float], pct: float) -> float:
    """The nearest-rank ``pct``-th percentile (the ``ceil(pct/100 * n)``-th smallest)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = math.ceil(pct / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


def timed(action: Callable[[int], object], repetitions: int, *, warmup: int = 3) -> list[float]:
    """Milliseconds of ``action(i)`` for i in ``range(repetitions)``, after ``warmup`` calls
    (i = -1, -2, ...) that are not counted: connections opened, statements prepared."""
    for index in range(warmup):
        action(-1 - index)
    found = []
    for index in range(repetitions):
        started = time.perf_counter_ns()
        action(index)
        found.append((time.perf_counter_ns() - started) / 1e6)
    return found


def latency(
    name: str, samples: list[float], *, p95_below: float | None = None, note: str = ""
) -> list[Figure]:
    """``<name>.p50`` and ``<name>.p95`` in milliseconds; the target applies to the p95."""
    count = f"{len(samples)} runs" + (f"; {note}" if note else "")
    return [
        Figure(f"{name}.p50", nearest_rank(samples, 50), "ms", note=count),
        Figure(
            f"{name}.p95",
            nearest_rank(samples, 95),
            "ms",
            Target("<", p95_below) if p95_below is not None else None,
            note=count,
        ),
    ]
