"""What the engine says happened (issue 23): the exporter's records applied to Alur's mirror.

Alur's exporter inside the broker (``exporter/``) writes the records Alur needs into
``engine_record``, in log order, without gaps or duplicates. :class:`Listener` reads them
after its cursor and makes the task rows, the case timeline, the tracking page and the SLA
figures say how each task and case really ended:

- a user-task job **completed** while Alur still had the task open was completed by another
  Zeebe client: the task is completed with the variables the engine received, marked so, and
  the timeline says who did it as far as the engine knows (the worker name on the job);
  a task Alur was completing (``completing``) is simply completed;
- a user-task job **cancelled** leaves the inbox at once: because its case was stopped (the
  instance's termination began earlier in the log) or because the process moved on without
  it (an interrupting event);
- a process instance **terminated** from outside ends its case as *dihentikan*: final, with a
  public timeline entry in the applicant's words and no further steps promised;
- a process instance **completed** closes its case if the diagram did not;
- an **incident** the engine raised (a condition it cannot evaluate, a job another client
  failed for good) is shown to staff like the incidents of Alur's own workers, on the SLA
  dashboard and in the case timeline, until the engine records it resolved.

Every change is conditional on the row's current state and every timeline entry is keyed by
the record's log position, so applying a record twice (after a crash between applying and
saving the cursor) changes nothing. The task bridge's sweep stays as the safety net.

Several worker processes may run a listener: the one holding the lead
(:class:`storage.engine_records.Lead`) applies, the others wait to take over. The leader keeps
its cursor in memory and reads it from the database again only when it takes the lead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from alur import diagrams, milestones
from storage import case_status, cases, deployments, engine_records, incidents, tasks
from storage.models import Case, EngineRecord, utcnow

log = logging.getLogger("alur.engine_events")

USER_TASK_JOB = "io.camunda.zeebe:userTask"
ROOT = -1  # parentProcessInstanceKey of an instance no call activity started

#: Why a task ended, kept on the task (``human_task.end_reason``).
IN_ALUR, OTHER_CLIENT = "alur", "klien_lain"
MOVED_ON, CASE_STOPPED = "proses_berlanjut", "kasus_dihentikan"

#: The timeline kind of a task the engine cancelled (not "tugas": no one worked on it).
TASK_CANCELLED = "tugas_batal"

#: The case status of an instance stopped from outside Alur.
STOPPED = case_status.STOPPED
STOPPED_FOR_APPLICANT = (
    "Permohonan Anda dihentikan oleh petugas dan tidak diproses lebih lanjut. Hubungi kantor"
    " layanan bila Anda memerlukan penjelasan."
)

#: What staff read for each kind of incident the engine raises (Zeebe's ``errorType``).
INCIDENT_REASONS = {
    "CONDITION_ERROR": "syarat percabangan di diagram tidak dapat dinilai",
    "EXTRACT_VALUE_ERROR": "nilai yang dibutuhkan diagram tidak dapat dibaca",
    "IO_MAPPING_ERROR": "pemetaan data langkah ini gagal",
    "JOB_NO_RETRIES": "pekerjaan gagal dan tidak akan dicoba lagi",
    "EXECUTION_LISTENER_NO_RETRIES": "pendengar langkah gagal dan tidak akan dicoba lagi",
    "UNHANDLED_ERROR_EVENT": "galat yang dilempar tidak ditangani diagram",
    "CALLED_ELEMENT_ERROR": "proses yang dipanggil tidak ditemukan",
    "CALLED_DECISION_ERROR": "keputusan (DMN) yang dipanggil tidak ditemukan",
    "DECISION_EVALUATION_ERROR": "keputusan (DMN) tidak dapat dinilai",
    "FORM_NOT_FOUND": "formulir langkah ini tidak ditemukan",
    "MESSAGE_SIZE_EXCEEDED": "data langkah ini terlalu besar",
    "RESOURCE_NOT_FOUND": "sumber daya yang dibutuhkan tidak ditemukan",
}
INCIDENT_REASON_OTHER = "mesin proses menahan langkah ini karena galat"


def moment(record: EngineRecord) -> datetime:
    """When the broker wrote the record (its own clock, which tests move forward)."""
    return datetime.fromtimestamp(record.timestamp_ms / 1000, UTC)


@dataclass(frozen=True)
class Outside:
    """Names of Alur's own workers: a job they completed was completed *in* Alur."""

    own_workers: frozenset[str]

    def who(self, worker: str | None) -> str | None:
        """The other client's worker name, when the job carries one that is not Alur's."""
        return worker if worker and worker not in self.own_workers else None


def apply(db: Session, record: EngineRecord, outside: Outside) -> None:
    """Make Alur's rows agree with one record. Idempotent."""
    if record.value_type == "JOB" and record.job_type == USER_TASK_JOB:
        if record.intent == "COMPLETED":
            _task_completed(db, record, outside)
        elif record.intent == "CANCELED":
            _task_cancelled(db, record)
    elif record.value_type == "PROCESS_INSTANCE" and record.element_type == "PROCESS":
        if engine_records.value_of(record).get("parentProcessInstanceKey", ROOT) != ROOT:
            return
        if record.intent == "ELEMENT_TERMINATED":
            _case_stopped(db, record)
        elif record.intent == "ELEMENT_COMPLETED":
            _case_finished(db, record)
    elif record.value_type == "INCIDENT":
        if record.intent == "CREATED":
            _incident_raised(db, record)
        elif record.intent == "RESOLVED":
            _incident_resolved(db, record)


def _task_completed(db: Session, record: EngineRecord, outside: Outside) -> None:
    task = tasks.by_job_key(db, record.record_key)
    if task is None:
        return
    at = moment(record)
    if tasks.end(db, task.id, tasks.COMPLETED, from_status=tasks.COMPLETING, reason=IN_ALUR, at=at):
        return
    variables = engine_records.value_of(record).get("variables") or {}
    who = outside.who(record.worker)
    ended = tasks.end(
        db,
        task.id,
        tasks.COMPLETED,
        from_status=tasks.OPEN,
        reason=OTHER_CLIENT,
        at=at,
        result=variables if isinstance(variables, dict) else {},
        ended_by=who,
        commit=False,
    )
    if ended:
        by = f" (pekerja «{who}»)" if who else ""
        _note(
            db,
            task.case_id,
            record,
            f"{task.name or task.element_id} diselesaikan di luar Alur, oleh klien Zeebe lain{by}",
            detail={"taskId": task.id, "elementId": task.element_id, "akhir": OTHER_CLIENT},
        )
    db.commit()


def _task_cancelled(db: Session, record: EngineRecord) -> None:
    task = tasks.by_job_key(db, record.record_key)
    if task is None:
        return
    stopped = engine_records.termination_began(
        db, task.process_instance_key, before=record.position
    )
    reason = CASE_STOPPED if stopped else MOVED_ON
    ended = False
    for status in (tasks.OPEN, tasks.COMPLETING):
        ended = ended or tasks.end(
            db,
            task.id,
            tasks.CANCELLED,
            from_status=status,
            reason=reason,
            at=moment(record),
            commit=False,
        )
    if ended:
        why = "karena kasusnya dihentikan" if stopped else "karena proses berlanjut tanpa tugas ini"
        _note(
            db,
            task.case_id,
            record,
            f"{task.name or task.element_id} dibatalkan {why}",
            kind=TASK_CANCELLED,
            detail={"taskId": task.id, "elementId": task.element_id, "akhir": reason},
        )
    db.commit()


def _case_stopped(db: Session, record: EngineRecord) -> None:
    case = _case_of(db, record)
    if case is None or case_status.is_final(case.status):
        return
    case.status = STOPPED
    case.outcome = "Dihentikan di mesin proses, di luar Alur"
    case.closed_at = case.closed_at or moment(record)
    _note(
        db,
        case.id,
        record,
        "Permohonan dihentikan di mesin proses (di luar Alur); tidak ada langkah lanjutan",
        kind=milestones.STOPPED,
        public=True,
        detail={"untukPemohon": STOPPED_FOR_APPLICANT},
    )
    db.commit()


def _case_finished(db: Session, record: EngineRecord) -> None:
    """The instance reached its end: the case is closed, and done if the diagram did not say
    how it ended (a diagram normally sets the final status in a step before its end)."""
    case = _case_of(db, record)
    if case is None or case.closed_at is not None:
        return
    case.closed_at = moment(record)
    if not case_status.is_final(case.status):
        case.status = case_status.DONE
        _note(
            db,
            case.id,
            record,
            f"Status permohonan: {case_status.label(case_status.DONE)}",
            kind="status",
            public=True,
        )
    db.commit()


def _incident_raised(db: Session, record: EngineRecord) -> None:
    value = engine_records.value_of(record)
    error_type = str(value.get("errorType") or "UNKNOWN")
    reason = INCIDENT_REASONS.get(error_type, INCIDENT_REASON_OTHER)
    element_id = record.element_id or ""
    definition = value.get("processDefinitionKey")
    xml = deployments.content_of(db, "process", definition) if definition else None
    step = diagrams.element_name(xml, element_id) if element_id else "?"
    case = _case_of(db, record)
    raised_detail = str(value.get("errorMessage") or "")
    incidents.record_raised(
        db,
        incidents.Raised(
            incident_key=record.record_key,
            process_instance_key=record.process_instance_key or 0,
            bpmn_process_id=record.bpmn_process_id or "",
            element_id=element_id,
            step=step,
            error_type=error_type,
            reason=reason,
            detail=raised_detail,
            case_id=case.id if case else None,
            tracking_code=case.tracking_code if case else None,
            unit_code=case.unit_code if case else None,
        ),
        moment(record),
    )
    if case is not None:  # written once: the entry is keyed by the record's position
        _note_once(
            db,
            case.id,
            record,
            f"Gangguan teknis di mesin proses pada langkah {step}: {reason}",
            kind="insiden",
            detail={"elementId": element_id, "jenis": error_type, "error": raised_detail},
        )


def _incident_resolved(db: Session, record: EngineRecord) -> None:
    incidents.resolve_raised(db, record.record_key, moment(record))
    incident = incidents.raised(db, record.record_key)
    if incident is not None and incident.case_id is not None:
        _note_once(
            db,
            incident.case_id,
            record,
            f"Gangguan teknis di mesin proses pada langkah {incident.step} teratasi",
            kind="insiden",
            detail={"elementId": incident.element_id},
        )


def _case_of(db: Session, record: EngineRecord) -> Case | None:
    if record.process_instance_key is None:
        return None
    return cases.by_instance(db, record.process_instance_key)


def _note(
    db: Session,
    case_id: int | None,
    record: EngineRecord,
    title: str,
    *,
    kind: str = "tugas",
    public: bool = False,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add the timeline entry that says what the record did, dated when it happened, keyed by
    its log position; the caller commits it with the change it describes, so neither is kept
    without the other."""
    if case_id is None or db.get(Case, case_id) is None:
        return
    event = cases.record(db, case_id, kind, title, actor="sistem", public=public, detail=detail)
    event.at = moment(record)
    event.source_key = _source_key(record)
    log.info("case %s: %s", case_id, title)


def _note_once(
    db: Session,
    case_id: int,
    record: EngineRecord,
    title: str,
    *,
    kind: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add the entry unless applying the record before already did; commits."""
    _note(db, case_id, record, title, kind=kind, detail=detail)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()


def _source_key(record: EngineRecord) -> str:
    return f"engine:{record.partition_id}:{record.position}"


class Listener:
    """Reads new engine records and applies them, in log order; runs in the worker process.

    Also forgets the records applied more than ``keep_days`` ago (checked every
    ``prune_seconds``), so ``engine_record`` stays the size of a month of work."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        outside: Outside,
        *,
        poll_seconds: float = 0.1,
        batch: int = 500,
        keep_days: float = 30,
        prune_seconds: float = 3600,
    ) -> None:
        self.sessions = sessions
        self.outside = outside
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.keep = timedelta(days=keep_days)
        self.prune_seconds = prune_seconds
        self._stopped = asyncio.Event()
        with sessions() as db:
            self.lead = engine_records.Lead(db.get_bind().engine)
        #: The last applied position per partition; None: read it from the database.
        self._cursor: dict[int, int] | None = None
        self._pruned_at = 0.0

    def apply_batch(self) -> int:
        """Apply the next records after the cursor, if this process leads; how many there were."""
        if not self.lead.take():
            self._cursor = None  # another process applies meanwhile: re-read when leading
            return 0
        with self.sessions() as db:
            cursor = self._cursor
            if cursor is None:
                cursor = engine_records.load_cursor(db)
            found = engine_records.read_each(db, cursor, self.batch)
            for record in found:
                apply(db, record, self.outside)
            if found:
                cursor = engine_records.advance(cursor, found)
                engine_records.save_cursor(db, cursor)
                db.commit()
            self._cursor = cursor
            return len(found)

    def prune(self) -> int:
        """Forget applied records older than the keep period; how many."""
        if self._cursor is None:
            return 0
        before_ms = int((utcnow() - self.keep).timestamp() * 1000)
        with self.sessions() as db:
            deleted = engine_records.prune(db, self._cursor, before_ms)
            db.commit()
        if deleted:
            log.info("forgot %d applied engine record(s) older than %s", deleted, self.keep)
        return deleted

    def _step(self) -> int:
        try:
            applied = self.apply_batch()
            now = time.monotonic()
            if applied < self.batch and now - self._pruned_at >= self.prune_seconds:
                self._pruned_at = now
                self.prune()
            return applied
        except Exception as exc:  # noqa: BLE001 - the database away: re-read the cursor, retry
            log.warning("applying engine records: %s: %s; retrying", type(exc).__name__, exc)
            self._cursor = None
            return 0

    async def run(self) -> None:
        try:
            while not self._stopped.is_set():
                applied = await asyncio.to_thread(self._step)
                if applied < self.batch:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._stopped.wait(), self.poll_seconds)
        finally:
            # Not in a thread: this also runs while a cancelled loop is closing.
            self.lead.release()

    async def stop(self) -> None:
        self._stopped.set()
