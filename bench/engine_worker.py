"""The Alur side of benchmark 1 (``bench/engine.py``): ``python -m bench.engine_worker EVENTS
TYPE...``.

Alur's worker runtime as ``make run`` builds it in ``python -m workers``: the settings from
the environment (:func:`alur.settings.load`), the channel of :func:`alur.engine.connect`, the
per-task options of :func:`workers.runtime.job_limits` and the worker of
:func:`workers.runtime.build_worker` (job streaming, 256 running jobs per type, 0.1 s retry
delay). Only the routers differ: one no-op task per job type (TYPE number k is step k of the
diagram), written the way Alur's tasks are (a plain ``def f(job: Job) -> dict`` with
``single_value=False``, which pyzeebe runs in its thread pool). They skip the audit decorators
of ``workers.deps.Deps.router`` (a database write per job): that is the tasks' work, measured by
benchmark 2, not the runtime's.

Protocol with the benchmark, the same as the Java worker's (``bench/java/noop-worker``): prints
``ready``, then ``done N`` (jobs of the last step handled so far) whenever N changes, at most
every 20 ms; end of stdin stops it: it stops the worker (running jobs finish), writes one line
per job, ``<step> <process instance key> <epoch microseconds>``, to EVENTS and prints
``stopped F`` with F the completions the broker refused (pyzeebe logs each as an error of its
job executor; a no-op task cannot fail otherwise).

No ``from __future__ import annotations``: pyzeebe matches ``job: Job`` by its annotation.
"""

import asyncio
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyzeebe import Job, ZeebeTaskRouter

from alur import settings as alur_settings
from alur.engine import connect
from workers.runtime import JobLimits, build_worker, job_limits

TICK_SECONDS = 0.02


class Recorder:
    """When each job reached its task function, kept in memory until the worker stops."""

    def __init__(self) -> None:
        #: (step, process instance key, epoch microseconds); list.append is thread-safe.
        self.events: list[tuple[int, int, int]] = []
        self.last_step: list[int] = []

    def noop(self, step: int, last: bool) -> Callable[[Job], dict[str, Any]]:
        def noop(job: Job) -> dict[str, Any]:
            self.events.append((step, job.process_instance_key, time.time_ns() // 1000))
            if last:
                self.last_step.append(job.process_instance_key)
            return {}

        return noop

    def write(self, path: Path) -> None:
        lines = [f"{step} {instance} {micros}\n" for step, instance, micros in self.events]
        path.write_text("".join(lines), encoding="utf-8")


class Refusals(logging.Handler):
    """Counts the errors pyzeebe's job executor logs: completions the broker refused."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def build_router(recorder: Recorder, job_types: list[str], limits: JobLimits) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter()
    options = limits.task_options()
    for index, job_type in enumerate(job_types):
        task = recorder.noop(index + 1, index == len(job_types) - 1)
        router.task(task_type=job_type, single_value=False, **options)(task)
    return router


async def tick(recorder: Recorder) -> None:
    told = -1
    while True:
        done = len(recorder.last_step)
        if done != told:
            told = done
            print(f"done {done}", flush=True)
        await asyncio.sleep(TICK_SECONDS)


async def serve(events: Path, job_types: list[str]) -> None:
    settings = alur_settings.load()
    recorder = Recorder()
    refusals = Refusals()
    logging.getLogger("pyzeebe.worker.job_executor").addHandler(refusals)
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()

    def wait_for_end_of_stdin() -> None:
        sys.stdin.buffer.read()
        loop.call_soon_threadsafe(stopping.set)

    async with connect(settings.zeebe_address) as channel:
        router = build_router(recorder, job_types, job_limits(settings))
        worker = build_worker(channel, settings, [router], name="bench-noop-alur")
        working = asyncio.create_task(worker.work())
        ticking = asyncio.create_task(tick(recorder))
        threading.Thread(target=wait_for_end_of_stdin, daemon=True).start()
        print("ready", flush=True)
        await stopping.wait()
        await worker.stop()
        await working
        ticking.cancel()
    recorder.write(events)
    print(f"stopped {refusals.count}", flush=True)


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        sys.exit("usage: python -m bench.engine_worker EVENTS_FILE TYPE...")
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(serve(Path(argv[0]), argv[1:]))


if __name__ == "__main__":
    main(sys.argv[1:])
