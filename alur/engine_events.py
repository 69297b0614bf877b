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
- a process instance **completed** closes its case if the diagram did not.

Every change is conditional on the row's current state and every timeline entry is keyed by
the record's log position, so applying a record twice (after a crash between applying and
saving the cursor) changes nothing. The task bridge's sweep stays as the safety net.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from alur import milestones
from storage import cases, engine_records, tasks
from storage.models import Case, EngineRecord

log = logging.getLogger("alur.engine_events")

USER_TASK_JOB = "io.camunda.zeebe:userTask"
ROOT = -1  # parentProcessInstanceKey of an instance no call activity started

#: Why a task ended, kept on the task (``human_task.end_reason``).
IN_ALUR, OTHER_CLIENT = "alur", "klien_lain"
MOVED_ON, CASE_STOPPED = "proses_berlanjut", "kasus_dihentikan"

#: The timeline kind of a task the engine cancelled (not "tugas": no one worked on it).
TASK_CANCELLED = "tugas_batal"

#: The case status of an instance stopped from outside Alur.
STOPPED = "dihentikan"
STOPPED_FOR_APPLICANT = (
    "Permohonan Anda dihentikan oleh petugas dan tidak diproses lebih lanjut. Hubungi kantor"
    " layanan bila Anda memerlukan penjelasan."
)


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


def _task_completed(db: Session, record: EngineRecord, outside: Outside) -> None:
    task = tasks.by_job_key(db, record.record_key)
    if task is None:
        return
    at = moment(record)
    if tasks.end(db, task.id, tasks.COMPLETED, from_status=tasks.COMPLETING, reason=IN_ALUR, at=at):
        return
    variables = engine_records.value_of(record).get("variables") or {}
    who = outside.who(record.worker)
    if not tasks.end(
        db,
        task.id,
        tasks.COMPLETED,
        from_status=tasks.OPEN,
        reason=OTHER_CLIENT,
        at=at,
        result=variables if isinstance(variables, dict) else {},
        ended_by=who,
    ):
        return
    by = f" (pekerja «{who}»)" if who else ""
    _note(
        db,
        task.case_id,
        record,
        f"{task.name or task.element_id} diselesaikan di luar Alur, oleh klien Zeebe lain{by}",
        detail={"taskId": task.id, "elementId": task.element_id, "akhir": OTHER_CLIENT},
    )


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
            db, task.id, tasks.CANCELLED, from_status=status, reason=reason, at=moment(record)
        )
    if not ended:
        return
    why = "karena kasusnya dihentikan" if stopped else "karena proses berlanjut tanpa tugas ini"
    _note(
        db,
        task.case_id,
        record,
        f"{task.name or task.element_id} dibatalkan {why}",
        kind=TASK_CANCELLED,
        detail={"taskId": task.id, "elementId": task.element_id, "akhir": reason},
    )


def _case_stopped(db: Session, record: EngineRecord) -> None:
    case = _case_of(db, record)
    if case is None or case.status in cases.FINAL_STATUSES:
        return
    case.status = STOPPED
    case.outcome = "Dihentikan di mesin proses, di luar Alur"
    case.closed_at = case.closed_at or moment(record)
    db.commit()
    _note(
        db,
        case.id,
        record,
        "Permohonan dihentikan di mesin proses (di luar Alur); tidak ada langkah lanjutan",
        kind=milestones.STOPPED,
        public=True,
        detail={"untukPemohon": STOPPED_FOR_APPLICANT},
    )


def _case_finished(db: Session, record: EngineRecord) -> None:
    case = _case_of(db, record)
    if case is None or case.closed_at is not None:
        return
    case.closed_at = moment(record)
    db.commit()


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
    if case_id is None or db.get(Case, case_id) is None:
        return
    event = cases.record_once(
        db,
        case_id,
        kind,
        title,
        source_key=f"engine:{record.partition_id}:{record.position}",
        actor="sistem",
        public=public,
        detail=detail,
    )
    if event:
        log.info("case %s: %s", case_id, title)


class Listener:
    """Reads new engine records and applies them, in log order; runs in the worker process."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        outside: Outside,
        *,
        poll_seconds: float = 0.1,
        batch: int = 500,
    ) -> None:
        self.sessions = sessions
        self.outside = outside
        self.poll_seconds = poll_seconds
        self.batch = batch
        self._stopped = asyncio.Event()

    def apply_batch(self) -> int:
        """Apply the next records after the saved cursor; how many there were."""
        with self.sessions() as db:
            cursor = engine_records.load_cursor(db)
            found = engine_records.read_each(db, cursor, self.batch)
            for record in found:
                apply(db, record, self.outside)
            if found:
                engine_records.save_cursor(db, engine_records.advance(cursor, found))
                db.commit()
            return len(found)

    async def run(self) -> None:
        while not self._stopped.is_set():
            try:
                applied = await asyncio.to_thread(self.apply_batch)
            except Exception as exc:  # noqa: BLE001 - the database away: keep the cursor, retry
                log.warning("applying engine records: %s: %s; retrying", type(exc).__name__, exc)
                applied = 0
            if applied < self.batch:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._stopped.wait(), self.poll_seconds)

    async def stop(self) -> None:
        self._stopped.set()
