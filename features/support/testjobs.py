"""Job handlers for the platform's test diagrams (``features/platform/diagrams``).

No ``from __future__ import annotations`` here: pyzeebe recognises a ``job: Job`` parameter
by comparing the annotation object, which postponed annotations turn into a string.
"""

import threading
from collections import Counter

from pyzeebe import Job, ZeebeTaskRouter

from workers.runtime import JobLimits


class Reports:
    """Instances that reached an ``alur-uji.lapor`` task: how often, by instance key."""

    def __init__(self) -> None:
        self._events: dict[int, threading.Event] = {}
        self.counts: Counter[int] = Counter()
        self._lock = threading.Lock()

    def event(self, key: int) -> threading.Event:
        with self._lock:
            return self._events.setdefault(key, threading.Event())

    def record(self, key: int) -> None:
        with self._lock:
            self.counts[key] += 1
        self.event(key).set()


def build_test_router(reports: Reports) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter()
    limits = JobLimits()

    @router.task(task_type="alur-uji.gema", **limits.task_options())
    async def echo(pesan: str) -> dict[str, str]:
        return {"balasan": pesan}

    @router.task(task_type="alur-uji.lapor", single_value=False, **limits.task_options())
    async def report(job: Job) -> dict[str, bool]:
        reports.record(job.process_instance_key)
        return {"dilaporkan": True}

    return router
