"""The table printed at the end, the JSON file beside it, and two files side by side."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.core import Figure, Target

REPO = Path(__file__).resolve().parent.parent
#: Where results go unless ``--json`` says otherwise (``var/`` is local state, not committed).
RESULTS = REPO / "var" / "bench"
FORMAT = 1


def _run(argv: Sequence[str]) -> str:
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, check=False, cwd=REPO)
    except OSError:
        return ""
    return (done.stdout or done.stderr).strip()


def git_sha() -> str:
    return _run(["git", "rev-parse", "--short", "HEAD"]) or "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_bytes() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _java_version() -> str:
    from alur import settings
    from stack import zeebe

    try:
        home = zeebe.java_home(settings.load_stack().java_home)
    except Exception:  # noqa: BLE001 - a missing runtime only leaves the field empty
        return ""
    lines = _run([f"{home}/bin/java", "-version"]).splitlines()
    return lines[0] if lines else ""


def _postgres_version() -> str:
    from stack import postgres

    binary = Path(f"/usr/lib/postgresql/{postgres.VERSION}/bin/postgres")
    return _run([str(binary), "--version"]) if binary.is_file() else ""


def machine() -> dict[str, Any]:
    """What the figures depend on besides the code."""
    status = _run(["git", "status", "--porcelain", "--untracked-files=no"])
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_bytes": _ram_bytes(),
        "load_average": list(os.getloadavg()),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "java": _java_version(),
        "postgresql": _postgres_version(),
        "sqlite": sqlite3.sqlite_version,
        "git_sha": git_sha(),
        "git_dirty": bool(status),
    }


def default_path(now: datetime) -> Path:
    return RESULTS / f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{git_sha()}.json"


def _figure_json(figure: Figure) -> dict[str, Any]:
    found = asdict(figure)
    found["met"] = figure.met
    return found


def write(
    path: Path,
    figures: list[Figure],
    *,
    size: str,
    started: datetime,
    finished: datetime,
    details: dict[str, Any],
    failed: list[str],
) -> None:
    document = {
        "format": FORMAT,
        "size": size,
        "started_at": started.isoformat(),
        "finished_at": finished.isoformat(),
        "machine": machine(),
        "failed": failed,
        "figures": [_figure_json(figure) for figure in figures],
        "details": details,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def number(value: float) -> str:
    """Three significant figures or so, with thousands separated."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _columns(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number_, row in enumerate(rows):
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if number_ == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines


def table(figures: list[Figure]) -> list[str]:
    """One line per figure: benchmark, name, value, unit, target, met/missed."""
    rows = [["benchmark", "figure", "value", "unit", "target", "result"]]
    for figure in figures:
        result = {None: "", True: "met", False: "MISSED"}[figure.met]
        target = str(figure.target) if figure.target else ""
        rows.append(
            [figure.benchmark, figure.name, number(figure.value), figure.unit, target, result]
        )
    return _columns(rows, right={2})


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text())
    return document


def _describe(document: dict[str, Any]) -> str:
    m = document.get("machine", {})
    dirty = "+" if m.get("git_dirty") else ""
    return (
        f"{m.get('git_sha', '?')}{dirty}, size {document.get('size')}, "
        f"{document.get('started_at', '?')[:19]}, {m.get('cpu_count')} x {m.get('cpu_model')}"
    )


def compare(first: Path, second: Path) -> list[str]:
    """Both files' figures side by side with the ratio B/A."""
    a, b = _load(first), _load(second)
    values: dict[tuple[str, str], dict[str, Any]] = {}
    order: list[tuple[str, str]] = []
    for label, document in (("a", a), ("b", b)):
        for figure in document["figures"]:
            k = (figure["benchmark"], figure["name"])
            if k not in values:
                values[k] = {"unit": figure["unit"], "target": figure.get("target")}
                order.append(k)
            values[k][label] = figure["value"]
    rows = [["benchmark", "figure", "A", "B", "B/A", "unit", "target"]]
    for k in order:
        found = values[k]
        va, vb = found.get("a"), found.get("b")
        ratio = f"{vb / va:.2f}" if va and vb is not None else ""
        target = found["target"]
        rows.append(
            [
                k[0],
                k[1],
                number(va) if va is not None else "-",
                number(vb) if vb is not None else "-",
                ratio,
                found["unit"],
                str(Target(target["op"], target["bound"])) if target else "",
            ]
        )
    head = [f"A: {first.name}: {_describe(a)}", f"B: {second.name}: {_describe(b)}", ""]
    return head + _columns(rows, right={2, 3, 4})
