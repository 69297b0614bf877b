"""What the routers need, built once by the worker process (or a test) and passed in."""

from __future__ import annotations

from dataclasses import dataclass

from minio import Minio
from pyzeebe import ZeebeTaskRouter
from sqlalchemy.orm import Session, sessionmaker

from alur.settings import Settings
from workers.audit import Steps
from workers.runtime import JobLimits, job_limits


@dataclass(frozen=True)
class Deps:
    settings: Settings
    sessions: sessionmaker[Session]
    s3: Minio
    limits: JobLimits
    steps: Steps

    def router(self) -> ZeebeTaskRouter:
        """A router whose tasks write the case timeline and retry with backoff."""
        return ZeebeTaskRouter(after=[self.steps.after], exception_handler=self.steps.on_error)


def make_deps(settings: Settings, sessions: sessionmaker[Session], s3: Minio) -> Deps:
    """What the routers need, with the job limits and retry timing ``settings`` name."""
    return Deps(
        settings=settings,
        sessions=sessions,
        s3=s3,
        limits=job_limits(settings),
        steps=Steps(sessions, settings.job_retry_backoff_ms, settings.job_incident_retry_ms),
    )
