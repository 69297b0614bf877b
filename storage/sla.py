"""The SLA dashboard's figures: open cases, their service clocks, on-time rate, overdue tasks,
time per step.

Every function takes its scope explicitly: ``units`` is the set of unit codes whose rows count
(``None``: every unit and the national rows), ``national`` adds the rows without a unit (cases
and tasks of national processes such as SP4N-LAPOR!), ``process_id`` keeps one SOP. Periods are
half-open ``[start, end)`` of aware instants; "now" is an argument too, so the figures never
read the clock. Counts are aggregated in SQL; only the step durations (for the 90th
percentile, as integers) are loaded into Python, see :func:`step_times`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    extract,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from storage.case_status import FINAL
from storage.models import Case, CaseClock, HumanTask
from storage.tasks import COMPLETED, OPEN

#: How many overdue tasks the list shows; the rest are only counted.
OVERDUE_LIMIT = 100
#: How many service clocks the list shows (the most urgent); the rest are only counted.
CLOCK_LIMIT = 200
#: The longest period the dashboard computes at once (bounds what :func:`step_times` loads).
MAX_PERIOD = timedelta(days=366)


@dataclass(frozen=True)
class OpenCases:
    """Cases of one SOP in one unit not yet in a final status, and how many passed a limit."""

    process_id: str
    unit_code: str | None
    open: int
    overdue: int


def on_time_rate(on_time: int, completed: int) -> float | None:
    """The share completed by the due date, in percent (None without any task)."""
    return 100 * on_time / completed if completed else None


@dataclass(frozen=True)
class OnTime:
    """Tasks of one SOP in one unit completed in the period that had a due date."""

    process_id: str
    unit_code: str | None
    completed: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return on_time_rate(self.on_time, self.completed)


@dataclass(frozen=True)
class OnTimeSpan:
    """Tasks with a due date completed in ``[start, end)``, and how many by their due date."""

    start: datetime
    end: datetime
    completed: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return on_time_rate(self.on_time, self.completed)


@dataclass(frozen=True)
class OnTimeSeries:
    """The on-time figures of a period cut into spans (:func:`on_time_series`): per span,
    every SOP and unit together, and per (SOP, unit) over the whole period."""

    spans: tuple[OnTimeSpan, ...]
    rows: tuple[OnTime, ...]


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


def scope(
    column: InstrumentedAttribute[str | None],
    units: Collection[str] | None,
    national: bool,
) -> ColumnElement[bool]:
    """Rows of ``units`` (None: every row), plus those without a unit if ``national``."""
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
        .where(Case.status.not_in(FINAL), scope(Case.unit_code, units, national))
        .group_by(Case.bpmn_process_id, Case.unit_code)
        .order_by(Case.bpmn_process_id, Case.unit_code)
    )
    if process_id:
        stmt = stmt.where(Case.bpmn_process_id == process_id)
    return [
        OpenCases(pid, unit, int(count), int(late))
        for pid, unit, count, late in session.execute(stmt)
    ]


#: The states of a service clock, most urgent first (the order of :func:`service_clocks`).
OVERDUE, RUNNING, PAUSED = 0, 1, 2


@dataclass(frozen=True)
class ServiceClock:
    """The service time limit of an open case (``case_clock`` with ``service``)."""

    tracking_code: str
    process_id: str
    unit_code: str | None
    clock: CaseClock


@dataclass(frozen=True)
class ServiceClocks:
    """The most urgent service clocks (at most the limit asked for) and, over all of them,
    how many run, are paused and are past their due date."""

    clocks: tuple[ServiceClock, ...]
    running: int
    paused: int
    overdue: int

    @property
    def total(self) -> int:
        return self.running + self.paused + self.overdue

    @property
    def rest(self) -> int:
        return self.total - len(self.clocks)


def service_clocks(
    session: Session,
    now: datetime,
    units: Collection[str] | None,
    *,
    national: bool = False,
    process_id: str | None = None,
    limit: int = CLOCK_LIMIT,
) -> ServiceClocks:
    """The service clocks of the open cases (not closed, not in a final status) at ``now``:
    past their due date first (the longest ago first), then running by due date, paused
    last (by due date); a clock is paused while ``paused_since`` is set, whatever its due
    date (as :func:`alur.clocks.describe` reads it). The counts cover every clock, the list
    the first ``limit``."""
    state = case(
        (CaseClock.paused_since.is_not(None), PAUSED),
        (CaseClock.due_at <= now, OVERDUE),
        else_=RUNNING,
    )
    where: list[ColumnElement[bool]] = [
        CaseClock.service.is_(True),
        Case.closed_at.is_(None),
        Case.status.not_in(FINAL),
        scope(Case.unit_code, units, national),
    ]
    if process_id:
        where.append(Case.bpmn_process_id == process_id)
    joined = select(state.label("state")).join(Case, Case.id == CaseClock.case_id).where(*where)
    counted = joined.subquery()
    counts = {
        int(found): int(count)
        for found, count in session.execute(
            select(counted.c.state, func.count()).group_by(counted.c.state)
        )
    }
    stmt = (
        select(Case.tracking_code, Case.bpmn_process_id, Case.unit_code, CaseClock)
        .join(Case, Case.id == CaseClock.case_id)
        .where(*where)
        .order_by(state, CaseClock.due_at, CaseClock.id)
        .limit(limit)
    )
    clocks = tuple(
        ServiceClock(code, pid, unit, clock) for code, pid, unit, clock in session.execute(stmt)
    )
    return ServiceClocks(
        clocks, counts.get(RUNNING, 0), counts.get(PAUSED, 0), counts.get(OVERDUE, 0)
    )


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
        scope(HumanTask.unit_code, units, national),
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


def on_time_series(
    session: Session,
    edges: Sequence[datetime],
    units: Collection[str] | None,
    *,
    national: bool = False,
    process_id: str | None = None,
) -> OnTimeSeries:
    """:func:`on_time` over consecutive spans, and over the whole period, in one pass.

    ``edges`` are ascending instants; span ``i`` is ``[edges[i], edges[i + 1])``. The result
    has one :class:`OnTimeSpan` per span, in order, spans without any task included (zero
    counts), and the rows :func:`on_time` gives for ``[edges[0], edges[-1])`` (per SOP and
    unit, national rows first within an SOP): the dashboard reads both from the same pass
    over the index instead of two.

    The database puts each task in its span with a ``CASE`` over the edges (any spans: days,
    weeks, calendar months) and counts per (SOP, unit, span). The ``CASE`` is grouped in a
    subquery: PostgreSQL does not recognise a ``GROUP BY`` expression with bound parameters
    as the selected one.
    """
    if len(edges) < 2:
        return OnTimeSeries((), ())
    if any(later <= earlier for earlier, later in pairwise(edges)):
        raise ValueError("edges must be strictly ascending")
    span: ColumnElement[int] = literal(0)
    if len(edges) > 2:
        span = case(
            *((HumanTask.closed_at < edge, index) for index, edge in enumerate(edges[1:-1])),
            else_=len(edges) - 2,
        )
    kept = case((HumanTask.closed_at <= HumanTask.due_at, 1), else_=0)
    tasks = (
        select(
            HumanTask.bpmn_process_id.label("process_id"),
            HumanTask.unit_code.label("unit_code"),
            span.label("span"),
            kept.label("kept"),
        )
        .where(
            _completed(edges[0], edges[-1], units, national, process_id),
            HumanTask.due_at.is_not(None),
        )
        .subquery()
    )
    stmt = select(
        tasks.c.process_id,
        tasks.c.unit_code,
        tasks.c.span,
        func.count(),
        func.coalesce(func.sum(tasks.c.kept), 0),
    ).group_by(tasks.c.process_id, tasks.c.unit_code, tasks.c.span)
    per_span: dict[int, tuple[int, int]] = {}
    per_row: dict[tuple[str, str | None], tuple[int, int]] = {}
    for pid, unit, index, count, on in session.execute(stmt):
        done, kept_count = per_span.get(int(index), (0, 0))
        per_span[int(index)] = (done + int(count), kept_count + int(on))
        done, kept_count = per_row.get((pid, unit), (0, 0))
        per_row[(pid, unit)] = (done + int(count), kept_count + int(on))
    return OnTimeSeries(
        tuple(
            OnTimeSpan(start, end, *per_span.get(index, (0, 0)))
            for index, (start, end) in enumerate(pairwise(edges))
        ),
        tuple(
            OnTime(pid, unit, done, kept_count)
            for (pid, unit), (done, kept_count) in sorted(
                per_row.items(), key=lambda item: (item[0][0], item[0][1] is not None, item[0][1])
            )
        ),
    )


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
        scope(HumanTask.unit_code, units, national),
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
    """Per (SOP, step name), in that order: average and 90th percentile of ``closed_at -
    created_at`` of the tasks completed in ``[start, end)``.

    The percentile is the nearest-rank one (the ``ceil(0.9 * n)``-th smallest duration). The
    database computes each duration in whole microseconds (:func:`_duration_us`) and hands
    over one row per step with its durations joined in a string (``group_concat`` on SQLite,
    ``string_agg`` on PostgreSQL); Python sorts those integers and picks the rank: the same
    answer on both databases, to the microsecond. ``percentile_cont`` would interpolate (9.1 h
    where the nearest rank is 9 h), ``percentile_disc`` computes its rank in floating point
    (64th instead of 63rd of 70), and SQLite has neither; on SQLite, window functions and one
    ``ORDER BY ... OFFSET`` per step were measured several times slower than this
    (``python -m bench --only national``).

    Limit: the durations of every completed task of the period and scope travel to Python:
    at issue 13's national scale about 70,000 for one unit over a year, 350,000 for an agency
    and the four units beneath it. The web page caps the period at ``MAX_PERIOD``.
    """
    step = func.coalesce(func.nullif(HumanTask.name, ""), HumanTask.element_id)
    micros = cast(_duration_us(session.connection().dialect), String)
    stmt = (
        select(HumanTask.bpmn_process_id, step, func.aggregate_strings(micros, ","))
        .where(_completed(start, end, units, national, process_id))
        .group_by(HumanTask.bpmn_process_id, step)
    )
    found = []
    for pid, name, joined in session.execute(stmt):
        durations = sorted(map(int, joined.split(",")))
        count = len(durations)
        found.append(
            StepTime(
                pid,
                name,
                count,
                timedelta(microseconds=sum(durations)) / count,
                timedelta(microseconds=durations[_rank(count, 90) - 1]),
            )
        )
    return sorted(found, key=lambda step_time: (step_time.process_id, step_time.name))


def _duration_us(dialect: Dialect) -> ColumnElement[int]:
    """``closed_at - created_at`` in whole microseconds, exact, computed by the database."""
    closed, created = HumanTask.closed_at, HumanTask.created_at
    if dialect.name == "postgresql":
        # EXTRACT gives numeric seconds with the microseconds, exactly.
        seconds = extract("epoch", closed) - extract("epoch", created)
        return cast(seconds * 1_000_000, BigInteger)
    # SQLite keeps an instant as UTC text, 'YYYY-MM-DD HH:MM:SS.ffffff' (UTCDateTime): whole
    # seconds from unixepoch() (strftime('%s') before 3.38, twice slower), microseconds from
    # the text. julianday() would be faster but keeps only milliseconds.
    whole: ColumnElement[int]
    if (dialect.server_version_info or (0,)) >= (3, 38):
        whole = func.unixepoch(closed) - func.unixepoch(created)
    else:
        whole = cast(func.strftime("%s", closed), Integer) - cast(
            func.strftime("%s", created), Integer
        )
    micros = cast(func.substr(closed, 21, 6), Integer) - cast(func.substr(created, 21, 6), Integer)
    return whole * 1_000_000 + micros


def _rank(count: int, pct: int) -> int:
    """The 1-based nearest rank of the ``pct``-th percentile among ``count`` values."""
    return max(-(-pct * count // 100), 1)  # ceil(pct / 100 * n) in integers


def percentile(ordered: list[timedelta], pct: int) -> timedelta:
    """The nearest-rank ``pct``-th percentile of the ascending, non-empty ``ordered``."""
    return ordered[_rank(len(ordered), pct) - 1]
