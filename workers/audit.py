"""Every service task of a case lands in the case timeline; failures retry, then show.

``Steps`` gives a router two hooks: ``after`` writes "<step> selesai" to the timeline of the
job's case (``caseId``) once per job, however often Zeebe delivers it; ``on_error`` fails the
job with an exponential backoff (a BPMN error for ``BusinessError``), and remembers the job so
``after`` — which pyzeebe runs for failed jobs too — records nothing for it.

When a job has spent its quick retries (S3, the database or SMTP away for longer, or data a
step cannot use), it does not fall into a Zeebe incident — those cannot be listed or resolved
without Operate here — but keeps one retry and is tried again every ``incident_retry_ms``;
meanwhile an incident (``storage.incidents``) tells staff on the SLA dashboard and in the case
timeline which step waits and why. The attempt that succeeds resolves it, so work resumes by
itself once the server is back.

A task header ``publik`` makes what a step produces the applicant's (its letter, its
register entry, its e-mail, each with its own line on the tracking page); when its value is a
sentence rather than ``true``, the step itself is also shown to the applicant in those words
("Berkas Anda sedang diperiksa").
"""

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import replace

from pyzeebe import Job, JobController
from pyzeebe.errors import BusinessError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from alur import diagrams, faults
from alur.mail import MailError
from storage import cases, deployments, incidents
from storage.models import Case, utcnow
from workers.variables import JobInputError

log = logging.getLogger("alur.workers")
HEADER_PUBLIC = "publik"
#: The sentence the applicant reads instead of the staff title (``case_event.detail``).
FOR_APPLICANT = "untukPemohon"
#: Quick attempts before the incident opens; each job starts with this many retries.
QUICK_RETRIES = 3
#: Between attempts once the incident is open.
INCIDENT_RETRY_MS = 5 * 60 * 1000


def backoff_ms(job: Job, base_ms: int, cap_ms: int = 10 * 60 * 1000) -> int:
    """Doubling waits (base, 2 base, 4 base, ...) as the job's retries run down (of 3)."""
    spent = max(0, QUICK_RETRIES - job.retries)
    return int(min(cap_ms, base_ms * 2**spent))


def reason_of(error: Exception) -> str:
    """Why a step fails, in words staff understand (the technical message is kept apart)."""
    module = type(error).__module__
    if isinstance(error, MailError):
        return "Server surel (SMTP) tidak dapat dihubungi atau menolak pesan."
    if isinstance(error, SQLAlchemyError):
        return "Basis data tidak dapat dihubungi."
    if module.startswith(("urllib3", "minio")):
        return "Penyimpanan dokumen (S3) tidak dapat dihubungi atau menolak permintaan."
    if isinstance(error, JobInputError):
        return "Data perkara atau pengaturan langkah ini tidak sesuai; perlu diperiksa."
    return "Kesalahan tak terduga pada pekerja proses."


class Steps:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        backoff_base_ms: int,
        incident_retry_ms: int = INCIDENT_RETRY_MS,
    ) -> None:
        self.sessions = sessions
        self.backoff_base_ms = backoff_base_ms
        self.incident_retry_ms = incident_retry_ms
        self._failed: set[int] = set()

    async def on_error(self, error: Exception, job: Job, controller: JobController) -> None:
        self._failed.add(job.key)
        if isinstance(error, BusinessError):
            await controller.set_error_status(str(error), error_code=error.error_code)
            return
        message = f"{type(error).__name__}: {error}"
        if job.retries > 1:
            wait = backoff_ms(job, self.backoff_base_ms)
            log.warning("%s job %s failed (%s); retry in %d ms", job.type, job.key, error, wait)
            await controller.set_failure_status(message, retry_back_off_ms=wait)
            return
        log.error("%s job %s failed again (%s); incident open", job.type, job.key, error)
        try:
            await asyncio.to_thread(self._record_failure, job, error, message)
        except Exception:  # the database itself may be what is away
            log.exception("could not record the incident of job %s", job.key)
        # pyzeebe fails a job with its retries minus one; a copy with two keeps one.
        keeping = JobController(replace(job, retries=2), controller._zeebe_adapter)
        await keeping.set_failure_status(message, retry_back_off_ms=self.incident_retry_ms)

    async def after(self, job: Job) -> Job:
        if job.key in self._failed:
            self._failed.discard(job.key)
            return job
        case_id = job.variables.get("caseId")
        if isinstance(case_id, int):
            await asyncio.to_thread(self._record, job, case_id)
        if job.retries < QUICK_RETRIES:  # it failed before: an incident may be open
            await asyncio.to_thread(self._resolve, job)
        faults.point("job.before_complete")  # pyzeebe completes the job after this hook
        return job

    def _step_name(self, db: Session, job: Job) -> str:
        xml = deployments.content_of(db, "process", job.process_definition_key)
        return diagrams.element_name(xml, job.element_id)

    def _record(self, job: Job, case_id: int) -> None:
        with self.sessions() as db:
            if db.get(Case, case_id) is None:
                return
            detail = {"elementId": job.element_id, "jobType": job.type}
            wording = for_applicant(job.custom_headers)
            if wording:
                detail[FOR_APPLICANT] = wording
            cases.record_once(
                db,
                case_id,
                "langkah",
                diagrams.step_done(self._step_name(db, job)),
                source_key=f"job:{job.key}",
                actor="sistem",
                public=wording is not None,
                detail=detail,
            )

    def _record_failure(self, job: Job, error: Exception, message: str) -> None:
        with self.sessions() as db:
            case_id = job.variables.get("caseId")
            case = db.get(Case, case_id) if isinstance(case_id, int) else None
            step = self._step_name(db, job)
            reason = reason_of(error)
            opened = incidents.record_failure(
                db,
                incidents.Failure(
                    job_key=job.key,
                    process_instance_key=job.process_instance_key,
                    bpmn_process_id=job.bpmn_process_id,
                    element_id=job.element_id,
                    step=step,
                    job_type=job.type,
                    reason=reason,
                    detail=message,
                    case_id=case.id if case else None,
                    tracking_code=case.tracking_code if case else None,
                    unit_code=case.unit_code if case else None,
                    earlier_attempts=QUICK_RETRIES - 1,
                ),
                utcnow(),
            )
            if opened and case is not None:
                cases.record_once(
                    db,
                    case.id,
                    "insiden",
                    f"Gangguan teknis pada langkah {step}: {reason}",
                    source_key=f"insiden:{job.key}",
                    actor="sistem",
                    detail={"elementId": job.element_id, "jobType": job.type, "error": message},
                )

    def _resolve(self, job: Job) -> None:
        with self.sessions() as db:
            incident = incidents.resolve(db, job.key, utcnow())
            if incident is None or incident.case_id is None:
                return
            cases.record_once(
                db,
                incident.case_id,
                "insiden",
                f"Gangguan teknis pada langkah {incident.step} teratasi",
                source_key=f"insiden-pulih:{job.key}",
                actor="sistem",
            )


def is_public(headers: Mapping[str, str]) -> bool:
    """The step's ``publik`` header shows it to the applicant (any value but ``false``)."""
    value = (headers.get(HEADER_PUBLIC) or "").strip()
    return bool(value) and value != "false"


def for_applicant(headers: Mapping[str, str]) -> str | None:
    """The sentence the diagram gives the applicant for this step, if any."""
    value = (headers.get(HEADER_PUBLIC) or "").strip()
    return value if is_public(headers) and value != "true" else None
