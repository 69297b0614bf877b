"""Synchronous access to the real broker for tests and BDD steps.

pyzeebe is async and its gRPC channel belongs to the loop that made it, so one background
thread owns a loop, the channel, the client and any workers; tests call in with plain
function calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import CancelledError, Future
from pathlib import Path
from typing import Any, TypeVar

from pyzeebe import ZeebeClient, ZeebeTaskRouter, ZeebeWorker
from pyzeebe.errors import (
    ProcessInstanceNotFoundError,
    ZeebeBackPressureError,
    ZeebeGatewayUnavailableError,
)
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc

from alur.engine import aio_channel, deploy
from alur.settings import Settings
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage.deployments import Deployed
from workers.runtime import build_worker

T = TypeVar("T")
TRANSIENT = (ZeebeBackPressureError, ZeebeGatewayUnavailableError)


class Engine:
    """A client of the broker at ``settings.zeebe_address``, usable from sync code."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="engine", daemon=True)
        self.thread.start()
        self.client: ZeebeClient = self.call(self._connect())
        self._workers: list[tuple[ZeebeWorker, Future[None]]] = []
        #: Keys of the instances ``start`` created, in order (see ``cancel_started``).
        self.started: list[int] = []

    async def _connect(self) -> ZeebeClient:
        self.channel = aio_channel(self.settings.zeebe_address)
        return ZeebeClient(self.channel)

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return self.submit(coroutine).result(timeout)

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        """Run ``coroutine`` on the engine's loop without waiting for it."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def _retrying(self, make: Any, timeout: float = 60) -> Any:
        """Retry back-pressure (seen right after a large clock jump) for up to ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.call(make(), timeout)
            except TRANSIENT:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def deploy(self, paths: Iterable[Path]) -> list[Deployed]:
        files = list(paths)
        return self._retrying(lambda: deploy(self.client, files))

    def start(self, process_id: str, variables: dict[str, Any] | None = None) -> int:
        """Create an instance; returns its key."""
        response = self._retrying(
            lambda: self.client.run_process(process_id, variables=variables or {})
        )
        key = int(response.process_instance_key)
        self.started.append(key)
        return key

    def cancel_started(self, since: int = 0) -> int:
        """Cancel the instances ``start`` created from position ``since`` on that still run;
        returns how many. A test's leftovers must not reach the next test's workers: they
        share job types, and case ids of different test databases collide."""
        cancelled = self.cancel(self.started[since:])
        del self.started[since:]
        return cancelled

    def cancel(self, keys: Iterable[int]) -> int:
        """Cancel the instances ``keys`` that still run; returns how many."""
        cancelled = 0
        for key in keys:
            try:
                self._retrying(lambda key=key: self.client.cancel_process_instance(key), 10)
                cancelled += 1
            except ProcessInstanceNotFoundError:  # finished (or cancelled) already
                pass
        return cancelled

    def start_and_wait(
        self, process_id: str, variables: dict[str, Any] | None = None, timeout_s: float = 30
    ) -> dict[str, Any]:
        """Create an instance and wait for it to complete; returns its variables."""
        response = self._retrying(
            lambda: self.client.run_process_with_result(
                process_id, variables=variables or {}, timeout=int(timeout_s * 1000)
            ),
            timeout=timeout_s + 10,
        )
        return dict(response.variables)

    def run_worker(self, routers: Iterable[ZeebeTaskRouter]) -> ZeebeWorker:
        """Start a worker built exactly like the worker process builds it."""
        worker = build_worker(self.channel, self.settings, routers, name="alur-test")
        future = asyncio.run_coroutine_threadsafe(worker.work(), self.loop)
        self._workers.append((worker, future))
        return worker

    def stop_worker(self, worker: ZeebeWorker) -> None:
        for entry in list(self._workers):
            if entry[0] is worker:
                self.call(worker.stop())
                # Make sure the worker's job streams are closed at the gateway before another
                # worker of the same job types starts: a job pushed to a stream nobody reads
                # comes back only after its timeout (a once-in-three flake of the SMTP test).
                entry[1].cancel()
                with contextlib.suppress(CancelledError, TimeoutError):
                    entry[1].result(30)
                self._workers.remove(entry)

    def close(self) -> None:
        for worker, _ in list(self._workers):
            self.stop_worker(worker)
        self.call(self.channel.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def offered_jobs(gateway: pb_grpc.GatewayStub, job_type: str, worker: str) -> list[pb.ActivatedJob]:
    """The jobs of ``job_type`` offered right now, activated for a minute by ``worker`` (no
    long polling: what is activatable at once)."""
    request = pb.ActivateJobsRequest(
        type=job_type, worker=worker, timeout=60_000, maxJobsToActivate=100, requestTimeout=-1
    )
    return [job for response in gateway.ActivateJobs(request) for job in response.jobs]


def advance_until(
    clock: BrokerClock,
    step_ms: int,
    done: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    interval: float = 1.0,
) -> None:
    """Move the broker's clock on by ``step_ms`` before each look at ``done``: for waits on
    job backoffs, job timeouts and slow retries, which all run on the broker's clock."""

    def moved_and_done() -> bool:
        clock.add(step_ms)
        return done()

    wait_until(moved_and_done, timeout=timeout, interval=interval, what=what)
