"""The SLA dashboard's figures: open cases, on-time rate, overdue tasks, time per step.

Every function takes its scope explicitly: ``units`` is the set of unit codes whose rows count
(``None``: every unit and the national rows), ``national`` adds the rows without a unit (cases
and tasks of national processes such as SP4N-LAPOR!), ``process_id`` keeps one SOP. Periods are
half-open ``[start, end)`` of aware instants; "now" is an argument too, so the figures never
read the clock. Counts are aggregated in SQL; only the step durations (for the 90th
percentile) are loaded into Python, see :func:`step_times`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy import and_, case, exists, false, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Case, HumanTask
from storage.tasks import COMPLETED, OPEN

#: Case statuses after which nothing is waiting for anyone.
FINAL_STATUSES = ("selesai", "ditolak", "dibatalkan")
#: How many overdue tasks the list shows; the rest are only counted.
OVERDUE_LIMIT = 100
#: The longest period the dashboard computes at once (bounds what :func:`step_times` loads).
MAX_PERIOD = timedelta(days=366)


@dataclass(frozen=True)
class OpenCases:
    """Cases of one SOP in one unit not yet in a final status, and how many passed a limit."""

    process_id: str
    unit_code: str | None
    open: int
    overdue: int


@dataclass(frozen=True)
class OnTime:
    """Tasks of one SOP in one unit completed in the period that had a due date."""

    process_id: str
    unit_code: str | None
    completed: int
    on_time: int

    @property
    def rate(self) -> float | None:
        """The share completed by the due date, in percent (None without any task)."""
        return 100 * self.on_time / self.completed if self.completed else None


@dataclass(frozen=True)
class OverdueTask:
    """An open task past its due date."""

    task_id: int
    name: str
    process_id: str
    unit_code: str | None
    tracking_code: str | None
    due_at: datetime
    assignee: str | None

    def late(self, now: datetime) -> timedelta:
        return now - self.due_at


@dataclass(frozen=True)
class OverdueList:
    """The oldest overdue tasks (at most ``OVERDUE_LIMIT``) and how many there are in all."""

    tasks: tuple[OverdueTask, ...]
    total: int

    @property
    def rest(self) -> int:
        return self.total - len(self.tasks)


@dataclass(frozen=True)
class StepTime:
    """How long one step of one SOP took, from the task's creation to its completion."""

    process_id: str
    name: str
    count: int
    average: timedelta
    p90: timedelta


def total_on_time(rows: Iterable[OnTime]) -> OnTime:
    """The rows added up (process and unit empty)."""
    found = list(rows)
    return OnTime("", None, sum(r.completed for r in found), sum(r.on_time for r in found))


def _scope(
    column: InstrumentedAttribute[str | None],
    units: Collection[str] | None,
    national: bool,
) -> ColumnElement[bool]:
    if units is None:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if units:
        clauses.append(column.in_(sorted(units)))
    if national:
        clauses.append(column.is_(None))
    return or_(*clauses) if clauses else false()


def open_cases(
    session: Session,
    now: datetime,
    units: Collection[str] | None,
    *,
    national: bool = False,
    process_id: str | None = None,
) -> list[OpenCases]:
    """Cases not in a final status per (SOP, unit), with those overdue at ``now``.

    A case is overdue when an escalation marked it (``overdue_at``) or one of its open tasks
    is past its due date.
    """
    late_task = exists().where(
        HumanTask.case_id == Case.id,
        HumanTask.status == OPEN,
        HumanTask.due_at < now,
    )
    overdue = or_(Case.overdue_at.is_not(None), late_task)
    stmt = (
        select(
            Case.bpmn_process_id,
            Case.unit_code,
            func.count(),
            func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
        )
        .where(Case.status.not_in(FINAL_STATUSES), _scope(Case.unit_code, units, national))
        .group_by(Case.bpmn_process_id, Case.unit_code)
        .order_by(Case.bpmn_process_id, Case.unit_code)
    )
    if process_id:
        stmt = stmt.where(Case.bpmn_process_id == process_id)
    return [
        OpenCases(pid, unit, int(count), int(late))
        for pid, unit, count, late in session.execute(stmt)
    ]


def _completed(
    start: datetime,
    end: datetime,
    units: Collection[str] | None,
    national: bool,
    process_id: str | None,
) -> ColumnElement[bool]:
    clauses = [
        HumanTask.status == COMPLETED,
        HumanTask.closed_at >= start,
        HumanTask.closed_at < end,
        _scope(HumanTask.unit_code, units, national),
    ]
    if process_id:
        clauses.append(HumanTask.bpmn_process_id == process_id)
    return and_(*clauses)


def on_time(
    session: Session,
    start: datetime,
    end: datetime,
    units: Collection[str] | None,
    *,
    national: bool = False,
    process_id: str | None = None,
) -> list[OnTime]:
    """Per (SOP, unit): tasks completed in ``[start, end)`` with a due date, and how many of
    them were completed by it (``closed_at <= due_at``)."""
    stmt = (
        select(
            HumanTask.bpmn_process_id,
            HumanTask.unit_code,
            func.count(),
            func.coalesce(func.sum(case((HumanTask.closed_at <= HumanTask.due_at, 1), else_=0)), 0),
        )
        .where(_completed(start, end, units, national, process_id), HumanTask.due_at.is_not(None))
        .group_by(HumanTask.bpmn_process_id, HumanTask.unit_code)
        .order_by(HumanTask.bpmn_process_id, HumanTask.unit_code)
    )
    return [
        OnTime(pid, unit, int(count), int(kept)) for pid, unit, count, kept in session.execute(stmt)
    ]


def overdue_tasks(
    session: Session,
    now: datetime,
    units: Collection[str] | None,
    *,
    national: bool = False,
    process_id: str | None = None,
    limit: int = OVERDUE_LIMIT,
) -> OverdueList:
    """Open tasks past their due date at ``now``, the longest overdue first."""
    where: list[ColumnElement[bool]] = [
        HumanTask.status == OPEN,
        HumanTask.due_at < now,
        _scope(HumanTask.unit_code, units, national),
    ]
    if process_id:
        where.append(HumanTask.bpmn_process_id == process_id)
    total = session.scalar(select(func.count()).select_from(HumanTask).where(*where)) or 0
    stmt = (
        select(
            HumanTask.id,
            HumanTask.name,
            HumanTask.bpmn_process_id,
            HumanTask.unit_code,
            HumanTask.tracking_code,
            HumanTask.due_at,
            HumanTask.assignee,
        )
        .where(*where)
        .order_by(HumanTask.due_at, HumanTask.id)
        .limit(limit)
    )
    tasks = tuple(
        OverdueTask(task_id, name, pid, unit, code, due, assignee)
        for task_id, name, pid, unit, code, due, assignee in session.execute(stmt)
        if due is not None
    )
    return OverdueList(tasks, int(total))


def step_times(
    session: Session,
    start: datetime,
    end: datetime,
    units: Collection[str] | None,
    *,
    national: bool = False,
    process_id: str | None = None,
) -> list[StepTime]:
    """Per (SOP, step name): average and 90th percentile of ``closed_at - created_at`` of the
    tasks completed in ``[start, end)``.

    The percentile is the nearest-rank one (the ``ceil(0.9 * n)``-th smallest duration),
    computed in Python so SQLite and PostgreSQL give the same answer (SQLite has no
    percentile function). The average comes from the same rows rather than a second,
    dialect-specific query (date arithmetic differs between the two databases).

    Limit: this loads one row (two instants) per completed task of the period and scope. A
    province or a ministry completes a few thousand tasks a month, which is nothing; at issue
    13's national scale (every agency's SP4N-LAPOR! disposition steps, millions of tasks a
    year) the national figures would load millions of rows per request. Until then the web
    page caps the period at ``MAX_PERIOD``; beyond that, move the percentile into
    PostgreSQL (``percentile_disc(0.9) WITHIN GROUP (ORDER BY ...)``) or into a daily summary
    table filled by a worker.
    """
    step = func.coalesce(func.nullif(HumanTask.name, ""), HumanTask.element_id)
    stmt = (
        select(HumanTask.bpmn_process_id, step, HumanTask.created_at, HumanTask.closed_at)
        .where(_completed(start, end, units, national, process_id))
        .order_by(HumanTask.bpmn_process_id, step)
    )
    found = []
    rows = session.execute(stmt)
    for (pid, name), group in groupby(rows, key=lambda row: (row[0], row[1])):
        durations = sorted(closed - created for _, _, created, closed in group if closed)
        if durations:
            found.append(
                StepTime(pid, name, len(durations), _average(durations), percentile(durations, 90))
            )
    return found


def _average(durations: list[timedelta]) -> timedelta:
    return sum(durations, timedelta()) / len(durations)


def percentile(ordered: list[timedelta], pct: int) -> timedelta:
    """The nearest-rank ``pct``-th percentile of the ascending, non-empty ``ordered``."""
    rank = -(-pct * len(ordered) // 100)  # ceil(pct / 100 * n) in integers
    return ordered[max(rank, 1) - 1]
