"""The human-task table: what the staff inbox shows, kept in step with Zeebe.

Plain functions over a session; each commits its own unit of work so that the state a
crash can interrupt is always one of the documented states.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import HumanTask, HumanTaskGroup, utcnow

OPEN, COMPLETING, COMPLETED, CANCELLED = "open", "completing", "completed", "cancelled"


@dataclass(frozen=True)
class NewTask:
    """A user task as Zeebe announced it (see ``alur.usertasks``)."""

    job_key: int
    process_instance_key: int
    process_definition_key: int
    bpmn_process_id: str
    element_id: str
    element_instance_key: int
    form_key: str | None
    candidate_groups: list[str]
    assignee: str | None
    due_at: datetime | None
    variables: dict[str, Any]
    name: str = ""
    case_id: int | None = None
    tracking_code: str | None = None
    unit_code: str | None = None


def upsert(session: Session, task: NewTask) -> tuple[HumanTask, bool]:
    """Insert the task unless its job is known already (Zeebe delivers at least once).

    Returns the row and whether it was created.
    """
    existing = by_job_key(session, task.job_key)
    if existing is not None:
        return existing, False
    now = utcnow()
    row = HumanTask(**asdict(task), status=OPEN, created_at=now)
    row.groups = [
        HumanTaskGroup(
            role=role,
            status=OPEN,
            unit_code=task.unit_code,
            claimed=task.assignee is not None,
            due_at=task.due_at,
            created_at=now,
        )
        for role in dict.fromkeys(task.candidate_groups)
    ]
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # another bridge inserted it a moment ago
        session.rollback()
        found = by_job_key(session, task.job_key)
        assert found is not None
        return found, False
    return row, True


def by_job_key(session: Session, job_key: int) -> HumanTask | None:
    return session.scalar(select(HumanTask).where(HumanTask.job_key == job_key))


def job_keys(
    session: Session, status: str, *, after: int = 0, limit: int | None = None
) -> list[int]:
    """Job keys of tasks in ``status``, ascending, from just ``after`` (at most ``limit``)."""
    stmt = (
        select(HumanTask.job_key)
        .where(HumanTask.status == status, HumanTask.job_key > after)
        .order_by(HumanTask.job_key)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def get(session: Session, task_id: int) -> HumanTask | None:
    return session.get(HumanTask, task_id)


def begin_completion(
    session: Session, task_id: int, user: str, result: dict[str, Any]
) -> HumanTask | None:
    """open -> completing, storing the submitted variables. None if the task is not open.

    The conditional UPDATE makes two people submitting at once end with one winner.
    """
    changed = session.execute(
        update(HumanTask)
        .where(HumanTask.id == task_id, HumanTask.status == OPEN)
        .values(status=COMPLETING, result=result, completed_by=user)
    ).rowcount  # type: ignore[attr-defined]
    if changed == 1:
        _set_group_status(session, HumanTaskGroup.task_id == task_id, COMPLETING)
    session.commit()
    if changed != 1:
        return None
    return session.get(HumanTask, task_id)


def close(session: Session, job_key: int, status: str, *, from_status: str) -> bool:
    """Move a task to a final state if it is still in ``from_status``; commits."""
    of_job = select(HumanTask.id).where(HumanTask.job_key == job_key).scalar_subquery()
    return _finish(
        session,
        and_(HumanTask.job_key == job_key, HumanTask.status == from_status),
        HumanTaskGroup.task_id == of_job,
        {"status": status, "closed_at": utcnow()},
    )


def end(
    session: Session,
    task_id: int,
    status: str,
    *,
    from_status: str,
    reason: str,
    at: datetime,
    result: dict[str, Any] | None = None,
    ended_by: str | None = None,
    commit: bool = True,
) -> bool:
    """Close a task as the engine's record says it ended, if it is still in ``from_status``;
    commits unless told not to (the caller then commits it with what it records alongside).
    ``reason`` says how (``alur.engine_events``); ``result`` replaces the stored variables
    when the engine's are the truth (completed by another client)."""
    values: dict[str, Any] = {"status": status, "closed_at": at, "end_reason": reason}
    if result is not None:
        values["result"] = result
    if ended_by is not None:
        values["ended_by"] = ended_by
    return _finish(
        session,
        and_(HumanTask.id == task_id, HumanTask.status == from_status),
        HumanTaskGroup.task_id == task_id,
        values,
        commit=commit,
    )


def _finish(
    session: Session,
    which: ColumnElement[bool],
    groups: ColumnElement[bool],
    values: dict[str, Any],
    *,
    commit: bool = True,
) -> bool:
    """Update the one task ``which`` selects, and its inbox copies with it; commits unless
    told not to."""
    changed = session.execute(update(HumanTask).where(which).values(**values)).rowcount  # type: ignore[attr-defined]
    if changed == 1:
        _set_group_status(session, groups, values["status"])
    if commit:
        session.commit()
    return bool(changed == 1)


def _set_group_status(session: Session, which: ColumnElement[bool], status: str) -> None:
    """The copy of the task's status the inbox reads (``HumanTaskGroup``), in the same
    transaction as the task's own."""
    session.execute(update(HumanTaskGroup).where(which).values(status=status))


def set_group_claimed(session: Session, task_id: int, claimed: bool) -> None:
    """The copy of "the task has an assignee" the inbox reads, in the caller's transaction."""
    session.execute(
        update(HumanTaskGroup).where(HumanTaskGroup.task_id == task_id).values(claimed=claimed)
    )
