"""Every service task of a case lands in the case timeline; failures retry with backoff.

``Steps`` gives a router two hooks: ``after`` writes "<step> selesai" to the timeline of the
job's case (``caseId``) once per job, however often Zeebe delivers it; ``on_error`` fails the
job with an exponential backoff (a BPMN error for ``BusinessError``), and remembers the job so
``after`` — which pyzeebe runs for failed jobs too — records nothing for it.
A task header ``publik: "true"`` shows the step to the applicant.
"""

import asyncio
import logging

from pyzeebe import Job, JobController
from pyzeebe.errors import BusinessError
from sqlalchemy.orm import Session, sessionmaker

from alur import diagrams
from storage import cases, deployments
from storage.models import Case

log = logging.getLogger("alur.workers")
HEADER_PUBLIC = "publik"


def backoff_ms(job: Job, base_ms: int, cap_ms: int = 10 * 60 * 1000) -> int:
    """Doubling waits (base, 2 base, 4 base, ...) as the job's retries run down (of 3)."""
    spent = max(0, 3 - job.retries)
    return int(min(cap_ms, base_ms * 2**spent))


class Steps:
    def __init__(self, sessions: sessionmaker[Session], backoff_base_ms: int) -> None:
        self.sessions = sessions
        self.backoff_base_ms = backoff_base_ms
        self._failed: set[int] = set()

    async def on_error(self, error: Exception, job: Job, controller: JobController) -> None:
        self._failed.add(job.key)
        if isinstance(error, BusinessError):
            await controller.set_error_status(str(error), error_code=error.error_code)
            return
        wait = backoff_ms(job, self.backoff_base_ms)
        log.warning("%s job %s failed (%s); retry in %d ms", job.type, job.key, error, wait)
        await controller.set_failure_status(
            f"{type(error).__name__}: {error}", retry_back_off_ms=wait
        )

    async def after(self, job: Job) -> Job:
        if job.key in self._failed:
            self._failed.discard(job.key)
            return job
        case_id = job.variables.get("caseId")
        if isinstance(case_id, int):
            await asyncio.to_thread(self._record, job, case_id)
        return job

    def _record(self, job: Job, case_id: int) -> None:
        with self.sessions() as db:
            if db.get(Case, case_id) is None:
                return
            xml = deployments.content_of(db, "process", job.process_definition_key)
            name = diagrams.element_name(xml, job.element_id)
            cases.record_once(
                db,
                case_id,
                "langkah",
                f"{name} selesai",
                source_key=f"job:{job.key}",
                actor="sistem",
                public=job.custom_headers.get(HEADER_PUBLIC) == "true",
                detail={"elementId": job.element_id, "jobType": job.type},
            )
