"""``python -m bench [--size tiny|full] [--only NAME ...] [--json PATH] [--plans]`` and
``python -m bench compare A.json B.json``.

Starts its own isolated servers the way the tests do (``stack.local.test_stack``, the private
PostgreSQL cluster of ``stack.postgres``), in a throw-away directory, and only those the
selected benchmarks need; prints one table and writes the same figures as JSON.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar, cast

from bench import registry, report
from bench.core import LANES, SIZES, Context, Figure, Lane, Need, Size
from stack import postgres
from stack.local import Stack, test_stack
from stack.procs import Supervisor

T = TypeVar("T")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _once(start: Callable[[], T]) -> Callable[[], T]:
    """``start`` on the first call; the same result afterwards."""
    started: list[T] = []

    def get() -> T:
        if not started:
            started.append(start())
        return started[0]

    return get


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run Alur's benchmarks on an isolated stack; "
        "`python -m bench compare A.json B.json` compares two results.",
    )
    parser.add_argument("--size", choices=SIZES, default="full")
    names = [entry.name for entry in registry.REGISTRY]
    parser.add_argument("--only", nargs="+", choices=names, metavar="NAME", help=", ".join(names))
    parser.add_argument("--json", type=Path, help="where to write the figures (default var/bench/)")
    parser.add_argument(
        "--databases",
        nargs="+",
        choices=LANES,
        default=list(LANES),
        help="the database lanes of benchmarks that use a database",
    )
    parser.add_argument("--plans", action="store_true", help="print the query plans too")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away directory")
    return parser


def run(args: argparse.Namespace) -> int:
    size = cast(Size, args.size)
    entries = [registry.find(name) for name in args.only] if args.only else registry.REGISTRY
    lanes = tuple(lane for lane in LANES if lane in args.databases)
    started = datetime.now(UTC)
    # The server may run as the postgres user: a directory others can enter, not 0700.
    root = Path(tempfile.mkdtemp(prefix="alur-bench-"))
    root.chmod(0o711)
    supervisor = Supervisor(root / "logs")
    stacks: list[Stack] = []

    def start_stack() -> Stack:
        say("==> Starting Zeebe, SeaweedFS and SMTP (isolated, loopback)")
        began = time.monotonic()
        running = test_stack(root / "stack")
        stacks.append(running)
        running.start_servers(log=lambda message: say(f"    {message.strip()}"))
        say(f"    ready in {time.monotonic() - began:.1f} s")
        return running

    def start_postgres() -> str:
        say("==> Starting a private PostgreSQL cluster (loopback)")
        began = time.monotonic()
        server = postgres.start(root / "postgres" / "cluster", supervisor)
        say(f"    ready in {time.monotonic() - began:.1f} s")
        return server.url

    ctx = Context(
        root=root,
        lanes=cast(tuple[Lane, ...], lanes),
        stack_provider=_once(start_stack),
        postgres_provider=_once(start_postgres),
        plans=args.plans,
        say=say,
    )
    figures: list[Figure] = []
    failed: list[str] = []
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        for entry in entries:
            say(f"==> {entry.name}: {entry.title} (size {size})")
            ctx.begin(entry.name, entry.needs)
            # Servers first, so their start-up is not part of any figure.
            if Need.STACK in entry.needs:
                ctx.stack()
            if Need.DATABASE in entry.needs and "postgresql" in lanes:
                ctx.postgres_provider()
            began = time.monotonic()
            try:
                produced = entry.load().run(ctx, size)
            except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others
                traceback.print_exc()
                failed.append(entry.name)
                continue
            figures += [
                Figure(f.name, f.value, f.unit, f.target, f.note, entry.name) for f in produced
            ]
            say(f"    {entry.name} done in {time.monotonic() - began:.0f} s")
    except KeyboardInterrupt:
        say("!! interrupted: stopping every server")
        failed.append("(interrupted)")
    finally:
        for running in stacks:
            running.stop()
        supervisor.stop_all()
        if args.keep:
            say(f"    kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    finished = datetime.now(UTC)
    path: Path = args.json or report.default_path(started)
    report.write(
        path,
        figures,
        size=size,
        started=started,
        finished=finished,
        details=ctx.details,
        failed=failed,
    )
    print()
    print("\n".join(report.table(figures)))
    print()
    print(f"Figures written to {path}")
    if failed:
        print(f"Failed: {', '.join(failed)}")
    return 1 if failed else 0


def compare(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench compare")
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    print("\n".join(report.compare(args.a, args.b)))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["compare"]:
        return compare(args[1:])
    return run(run_parser().parse_args(args))


if __name__ == "__main__":
    sys.exit(main())
