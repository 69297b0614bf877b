"""How Alur runs pyzeebe: job streaming and limits that do not throttle a job type.

pyzeebe's defaults (32 running jobs per type, then a 5 s sleep) cap a busy job type at a
few jobs per second; these settings let the broker, not the worker, set the pace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import grpc
from pyzeebe import ZeebeTaskRouter, ZeebeWorker

from alur.settings import Settings


@dataclass(frozen=True)
class JobLimits:
    """Per-task pyzeebe options every router passes to ``router.task(...)``."""

    max_running_jobs: int = 256
    timeout_ms: int = 60_000

    def task_options(self, **overrides: Any) -> dict[str, Any]:
        options: dict[str, Any] = {
            "max_running_jobs": self.max_running_jobs,
            "max_jobs_to_activate": self.max_running_jobs,
            "timeout_ms": self.timeout_ms,
        }
        options.update(overrides)
        return options


def job_limits(settings: Settings) -> JobLimits:
    return JobLimits(max_running_jobs=settings.worker_max_running_jobs)


def build_worker(
    channel: grpc.aio.Channel,
    settings: Settings,
    routers: Iterable[ZeebeTaskRouter],
    *,
    name: str = "alur-workers",
) -> ZeebeWorker:
    worker = ZeebeWorker(
        channel,
        name=name,
        request_timeout=settings.worker_request_timeout_ms,
        poll_retry_delay=settings.worker_poll_retry_delay,  # type: ignore[arg-type]
        max_connection_retries=-1,  # a broker restart must not end the worker
        stream_enabled=settings.worker_stream_enabled,
    )
    for router in routers:
        worker.include_router(router)
    return worker
