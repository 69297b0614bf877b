"""What the routers need, built once by the worker process (or a test) and passed in."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from minio import Minio
from pyzeebe import ZeebeTaskRouter
from sqlalchemy.orm import Session, sessionmaker

from alur.settings import Settings
from alur.signing import SigningBackend
from alur.signing import backend as signing_backend
from workers.audit import Steps
from workers.runtime import JobLimits, job_limits


@dataclass(frozen=True)
class Deps:
    settings: Settings
    sessions: sessionmaker[Session]
    s3: Minio
    limits: JobLimits
    steps: Steps
    _signing: list[SigningBackend] = field(default_factory=list, repr=False)
    _signing_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def signing(self) -> SigningBackend:
        """The signing backend the settings name, made on first use (a local certificate
        authority is created then, if the installation has none yet)."""
        with self._signing_lock:
            if not self._signing:
                self._signing.append(signing_backend(self.settings))
            return self._signing[0]

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
