"""Benchmark 5: start-up time and footprint.

Full size, on a fresh isolated stack in the benchmark's directory:

- ``startup.install_check_s``: ``python -m stack install`` with everything cached (what
  ``make run`` does before starting anything: Debian packages, npm assets, Zeebe present).
- ``startup.cold_ready_s``: from nothing to "ready" as ``make run`` does it — Zeebe,
  SeaweedFS and SMTP started, the database migrated, demo accounts seeded, diagrams and forms
  deployed, the worker process and the web app answering ``/kesehatan`` — on an empty data
  directory; ``startup.ready_s`` adds the install check (target < 40 s).
- ``startup.warm_ready_s``: the same on the data the first start left (a restart).
- ``startup.first_install_s``: ``make install`` in a fresh clone of this commit (a new
  virtualenv and ``npm ci``; pip's, npm's and Maven's caches and the unpacked Zeebe under
  ``~/.cache/alur`` are the machine's, so a machine that never ran Alur also downloads about
  300 MB of Zeebe and the Python wheels).
- ``startup.rss_mb.<process>`` idle, once ready, with each process's descendants (the JVM's
  heap is capped at 512 MB in ``stack/zeebe.py``); ``startup.rss_mb.total``.

Tiny size: the install check, and the worker process and web app started against the test
session's servers (their start time and idle memory).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from alur.deploys import deploy_all
from bench.core import Context, Figure, Size, Target, run_checked
from bench.procstat import children, rss_bytes
from stack.local import REPO, Stack, test_stack
from stack.procs import Supervisor
from storage import migrate

READY_LIMIT_S = 40.0
MB = 1024 * 1024


def run(ctx: Context, size: Size) -> list[Figure]:
    figures = [_install_check(ctx)]
    if size == "full":
        figures += _cold_and_warm(ctx, figures[0].value)
        figures.append(_first_install(ctx))
    else:
        figures += _apps_only(ctx)
    return figures


def _install_check(ctx: Context) -> Figure:
    started = time.monotonic()
    run_checked([sys.executable, "-m", "stack", "install"], REPO)
    return Figure("startup.install_check_s", time.monotonic() - started, "s", note="all cached")


def _start_all(stack: Stack) -> float:
    """What ``make run`` starts after the install check; seconds until the web app answers."""
    started = time.monotonic()
    stack.start_servers(log=lambda _message: None)
    stack.deploy(log=lambda _message: None)
    stack.start_workers()
    stack.start_web()
    return time.monotonic() - started


def _memory(stack: Stack, prefix: str) -> list[Figure]:
    """Resident memory of each started process with its descendants, and the total."""
    figures = []
    total = 0
    for name, child in sorted(stack.children.items()):
        resident = sum(rss_bytes(pid) for pid in [child.pid, *children(child.pid)])
        total += resident
        figures.append(Figure(f"{prefix}.rss_mb.{name}", resident / MB, "MB", note="idle"))
    figures.append(Figure(f"{prefix}.rss_mb.total", total / MB, "MB", note="idle"))
    return figures


def _cold_and_warm(ctx: Context, install_check: float) -> list[Figure]:
    root = ctx.root / "startup"
    environ = {"ALUR_DEMO_ACCOUNTS": "true"}
    stack = test_stack(root, environ)
    try:
        cold = _start_all(stack)
        memory = _memory(stack, "startup")
    finally:
        stack.stop()
    stack = test_stack(root, environ)  # new ports, the same data directory
    try:
        warm = _start_all(stack)
    finally:
        stack.stop()
    return [
        Figure(
            "startup.ready_s",
            install_check + cold,
            "s",
            Target("<", READY_LIMIT_S),
            note="install check + cold start",
        ),
        Figure("startup.cold_ready_s", cold, "s", note="empty data directory"),
        Figure("startup.warm_ready_s", warm, "s", note="restart on the same data"),
        *memory,
    ]


def _first_install(ctx: Context) -> Figure:
    """``make install`` in a fresh clone of this commit."""
    clone = Path(tempfile.mkdtemp(prefix="alur-clone-", dir=ctx.root))
    try:
        run_checked(["git", "clone", "-q", str(REPO), str(clone / "alur")], ctx.root)
        started = time.monotonic()
        run_checked(["make", "--no-print-directory", "install"], clone / "alur")
        seconds = time.monotonic() - started
    finally:
        shutil.rmtree(clone, ignore_errors=True)
    return Figure(
        "startup.first_install_s",
        seconds,
        "s",
        note="fresh clone; the machine's pip/npm/Maven caches and ~/.cache/alur",
    )


def _apps_only(ctx: Context) -> list[Figure]:
    """Tiny: the worker process and web app against the session's servers."""
    shared = ctx.stack()
    url = f"sqlite:///{ctx.root / 'startup.db'}"
    settings = replace(shared.settings, database_url=url, demo_accounts=False)
    migrate.upgrade(url)
    deploy_all(settings, "bench")
    apps = replace(shared, settings=settings, supervisor=Supervisor(ctx.root / "logs"), children={})
    started = time.monotonic()
    try:
        apps.start_workers()
        apps.start_web()
        seconds = time.monotonic() - started
        memory = _memory(apps, "startup.apps")
    finally:
        apps.stop()
    return [Figure("startup.apps_ready_s", seconds, "s", note="workers + web"), *memory]
