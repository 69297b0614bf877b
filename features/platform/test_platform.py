"""Scenarios of platform.feature: smoke chain and time travel on the real broker.

No ``from __future__ import annotations`` here: pyzeebe recognises a ``job: Job`` parameter
by comparing the annotation object, which postponed annotations turn into a string.
"""

import threading
from collections.abc import Iterator

import pytest
from pytest_bdd import given, scenarios, then
from pyzeebe import Job, ZeebeTaskRouter

from features.support.engine import Engine
from workers.runtime import JobLimits

scenarios("platform/platform.feature")


class Finished:
    """Instances that reached the ``alur-uji.lapor`` task, by key."""

    def __init__(self) -> None:
        self._events: dict[int, threading.Event] = {}
        self._lock = threading.Lock()

    def event(self, key: int) -> threading.Event:
        with self._lock:
            return self._events.setdefault(key, threading.Event())


def build_test_router(finished: Finished) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter()
    limits = JobLimits()

    @router.task(task_type="alur-uji.gema", **limits.task_options())
    async def echo(pesan: str) -> dict[str, str]:
        return {"balasan": pesan}

    @router.task(task_type="alur-uji.lapor", single_value=False, **limits.task_options())
    async def report(job: Job) -> dict[str, bool]:
        finished.event(job.process_instance_key).set()
        return {"dilaporkan": True}

    return router


@pytest.fixture(scope="module")
def finished(engine: Engine) -> Iterator[Finished]:
    tracker = Finished()
    worker = engine.run_worker([build_test_router(tracker)])
    yield tracker
    engine.stop_worker(worker)


@given("a worker handles the test job types")
def _(finished: Finished) -> None:
    assert finished is not None


@then("the instance is still waiting for its timer")
def _(finished: Finished, instance_key: int) -> None:
    # The worker answers within milliseconds once the timer fires; a second is generous.
    assert not finished.event(instance_key).wait(1.0)


@then("the instance reports that it finished")
def _(finished: Finished, instance_key: int) -> None:
    assert finished.event(instance_key).wait(30), "the timer did not fire after the clock moved"
