"""Who sees which human task, the inbox queries, and claiming and assigning.

A task reaches staff through its candidate groups (roles) and its unit: a member sees it when
they hold one of the task's roles and belong to the task's unit or to a unit above it (a task
without a unit is national: the role alone decides). A supervisor (``alur.roles.SUPERVISES``)
also sees the team's tasks and may assign them. Claiming is the app's own record; Zeebe is
told nothing until completion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Select, distinct, exists, false, func, or_, select, update
from sqlalchemy.orm import Session

from storage.accounts import unit_ancestry
from storage.models import HumanTask, HumanTaskGroup, StaffRole, StaffUser, utcnow
from storage.tasks import CANCELLED, COMPLETED, COMPLETING, OPEN, set_group_claimed

#: A task is "due soon" when its deadline is closer than this.
DUE_SOON = timedelta(days=1)
PAGE_SIZE = 50


@dataclass(frozen=True)
class Viewer:
    """A staff member as the inbox sees them."""

    username: str
    unit_code: str
    roles: frozenset[str]
    supervised: frozenset[str] = frozenset()
    #: The member's unit and every unit beneath it (``storage.accounts.unit_scope``).
    units: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", self.units | {self.unit_code})


class View(Enum):
    MINE = "saya"  # claimed by me, still to do
    AVAILABLE = "tersedia"  # my roles' unclaimed tasks
    TEAM = "tim"  # open tasks of the roles I supervise, claimed or not
    DONE = "selesai"  # what I completed


class SlaState(Enum):
    NONE = "tanpa-tenggat"
    ON_TIME = "tepat-waktu"
    DUE_SOON = "segera"
    OVERDUE = "terlambat"


SLA_LABELS = {
    SlaState.NONE: "Tanpa tenggat",
    SlaState.ON_TIME: "Tepat waktu",
    SlaState.DUE_SOON: "Segera jatuh tempo",
    SlaState.OVERDUE: "Terlambat",
}


#: What a task's status says to the member on its page.
STATUS_NOTES = {
    COMPLETING: "Tugas ini sedang diselesaikan; proses akan berlanjut sebentar lagi.",
    COMPLETED: "Tugas ini sudah diselesaikan.",
    CANCELLED: (
        "Tugas ini dibatalkan oleh proses (misalnya batas waktunya terlampaui atau kasusnya"
        " dihentikan); tidak ada yang perlu dikerjakan lagi."
    ),
}


#: What the note says instead when the engine's record told how the task ended
#: (``human_task.end_reason``, see ``alur.engine_events``).
END_NOTES = {
    "klien_lain": (
        "Tugas ini diselesaikan di luar Alur, oleh klien Zeebe lain; jawabannya tercatat di"
        " bawah dan proses sudah berlanjut."
    ),
    "proses_berlanjut": (
        "Tugas ini dibatalkan karena proses berlanjut tanpanya (misalnya batas waktunya"
        " terlampaui); tidak ada yang perlu dikerjakan lagi."
    ),
    "kasus_dihentikan": (
        "Tugas ini dibatalkan karena kasusnya dihentikan; tidak ada yang perlu dikerjakan lagi."
    ),
}


def status_note(task: HumanTask) -> str:
    """The sentence the task page shows about a task that is no longer open."""
    return END_NOTES.get(task.end_reason or "", "") or STATUS_NOTES.get(task.status, "")


def sla_state(task: HumanTask, now: datetime) -> SlaState:
    if task.due_at is None:
        return SlaState.NONE
    end = task.closed_at or now
    if end > task.due_at:
        return SlaState.OVERDUE
    if task.closed_at is None and task.due_at - now <= DUE_SOON:
        return SlaState.DUE_SOON
    return SlaState.ON_TIME


def _in_unit(task: HumanTask, viewer: Viewer) -> bool:
    return task.unit_code is None or task.unit_code in viewer.units


def is_candidate(task: HumanTask, viewer: Viewer) -> bool:
    """Holds one of the task's roles in the task's unit."""
    return bool(set(task.candidate_groups) & viewer.roles) and _in_unit(task, viewer)


def is_supervisor(task: HumanTask, viewer: Viewer) -> bool:
    return bool(set(task.candidate_groups) & viewer.supervised) and _in_unit(task, viewer)


def may_see(task: HumanTask, viewer: Viewer) -> bool:
    return (
        task.assignee == viewer.username
        or task.completed_by == viewer.username
        or is_candidate(task, viewer)
        or is_supervisor(task, viewer)
    )


def routed_to(session: Session, case_id: int, viewer: Viewer) -> bool:
    """Whether the case is routed to the viewer now: one of its open tasks is theirs, or one
    they may take or supervise (a case whose service follows its routing, SP4N-LAPOR!)."""
    open_tasks = session.scalars(
        select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.status == OPEN)
    )
    return any(
        task.assignee == viewer.username
        or is_candidate(task, viewer)
        or is_supervisor(task, viewer)
        for task in open_tasks
    )


def may_complete(task: HumanTask, viewer: Viewer) -> bool:
    return task.status == OPEN and task.assignee == viewer.username


def _in_scope(viewer: Viewer, roles: frozenset[str], *, unclaimed: bool) -> Select[Any]:
    """Group rows of open tasks with one of ``roles`` in the viewer's units (or national),
    unclaimed ones only if asked, as ranges of ``ix_human_task_group_inbox``.

    Open is read from the group rows: a test of ``human_task.status`` would have SQLite scan
    every open task of the country through ``ix_human_task_inbox``."""
    group = HumanTaskGroup
    stmt = select(group.task_id).where(
        group.role.in_(roles),
        group.status == OPEN,
        or_(group.unit_code.is_(None), group.unit_code.in_(viewer.units)),
    )
    if unclaimed:
        stmt = stmt.where(group.claimed == false())
    return stmt


def _first(rows: Select[Any], sort: str, limit: int) -> Select[Any]:
    """The first ``limit`` tasks of ``rows`` in the inbox's order, from the group index alone
    (a task held through two of the viewer's roles counts once)."""
    group = HumanTaskGroup
    order: tuple[Any, ...]
    if sort == "terbaru":
        order = (group.created_at.desc(), group.task_id.desc())
    else:
        order = (group.due_at.is_(None), group.due_at, group.created_at, group.task_id)
    grouped = rows.group_by(group.task_id, group.due_at, group.created_at)
    return grouped.order_by(*order).limit(limit)


def query(
    viewer: Viewer,
    view: View,
    *,
    process_id: str | None = None,
    tracking_code: str | None = None,
    sort: str = "tenggat",
    limit: int | None = None,
    offset: int = 0,
) -> Select[HumanTask]:
    """The inbox's rows for ``view``, filtered; ``sort`` is "tenggat" (due) or "terbaru";
    ``limit`` rows at most after skipping ``offset`` (the page is then chosen from the group
    index)."""
    stmt = select(HumanTask)
    roles = _roles_of(viewer, view)
    if roles is not None:
        rows = _in_scope(viewer, roles, unclaimed=view is View.AVAILABLE)
        if limit is not None and not (process_id or tracking_code):
            rows = _first(rows, sort, offset + limit)
        stmt = stmt.where(HumanTask.id.in_(rows))
        if view is View.AVAILABLE:
            stmt = stmt.where(HumanTask.assignee.is_(None))
    elif view is View.MINE:
        stmt = stmt.where(
            HumanTask.assignee == viewer.username,
            HumanTask.status.in_((OPEN, COMPLETING)),
        )
    else:
        stmt = stmt.where(
            HumanTask.completed_by == viewer.username,
            HumanTask.status.in_((COMPLETING, COMPLETED)),
        )
    if process_id:
        stmt = stmt.where(HumanTask.bpmn_process_id == process_id)
    if tracking_code:
        stmt = stmt.where(HumanTask.tracking_code == tracking_code.strip().upper())
    if view is View.DONE:
        stmt = stmt.order_by(HumanTask.closed_at.desc(), HumanTask.id.desc())
    elif sort == "terbaru":
        stmt = stmt.order_by(HumanTask.created_at.desc(), HumanTask.id.desc())
    else:
        # Tasks with a deadline first, the nearest first; then the oldest.
        stmt = stmt.order_by(
            HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at, HumanTask.id
        )
    return stmt.offset(offset or None).limit(limit)


def _roles_of(viewer: Viewer, view: View) -> frozenset[str] | None:
    """The roles a task of ``view`` must have one of (None: the view is not by role)."""
    if view is View.AVAILABLE:
        return viewer.roles
    if view is View.TEAM:
        return viewer.supervised
    return None


def counts(session: Session, viewer: Viewer) -> dict[View, int]:
    """How many tasks each tab holds (shown on the tabs); the role tabs from the group
    index alone."""
    found = {}
    for view in View:
        roles = _roles_of(viewer, view)
        if roles == frozenset():
            found[view] = 0  # no role to match: nothing to count (and no query)
            continue
        if roles is not None:
            rows = _in_scope(viewer, roles, unclaimed=view is View.AVAILABLE).subquery()
            stmt = select(func.count(distinct(rows.c.task_id)))
        else:
            stmt = query(viewer, view).order_by(None).with_only_columns(func.count())
        found[view] = int(session.scalar(stmt) or 0)
    return found


def claim(session: Session, task_id: int, viewer: Viewer) -> bool:
    """Take an unclaimed open task; False if someone was quicker or it is not open."""
    task = session.get(HumanTask, task_id)
    if task is None or not is_candidate(task, viewer):
        return False
    return _set_assignee(session, task_id, viewer.username, only_if_unclaimed=True)


def unclaim(session: Session, task_id: int, viewer: Viewer) -> bool:
    changed = session.execute(
        update(HumanTask)
        .where(
            HumanTask.id == task_id,
            HumanTask.status == OPEN,
            HumanTask.assignee == viewer.username,
        )
        .values(assignee=None, claimed_at=None)
    ).rowcount  # type: ignore[attr-defined]
    if changed == 1:
        set_group_claimed(session, task_id, False)
    session.commit()
    return bool(changed == 1)


def assignable(session: Session, task: HumanTask) -> list[StaffUser]:
    """Active staff who could take ``task``: a role of the task, in its unit or above."""
    stmt = (
        select(StaffUser)
        .where(
            StaffUser.active.is_(True),
            exists().where(
                StaffRole.user_id == StaffUser.id, StaffRole.role.in_(task.candidate_groups)
            ),
        )
        .order_by(StaffUser.full_name)
    )
    if task.unit_code is not None:
        stmt = stmt.where(StaffUser.unit_code.in_(unit_ancestry(session, task.unit_code)))
    return list(session.scalars(stmt))


def assign(session: Session, task_id: int, viewer: Viewer, username: str) -> bool:
    """A supervisor hands an open task to a member who could take it."""
    task = session.get(HumanTask, task_id)
    if task is None or task.status != OPEN or not is_supervisor(task, viewer):
        return False
    if username not in {user.username for user in assignable(session, task)}:
        return False
    return _set_assignee(session, task_id, username, only_if_unclaimed=False)


def _set_assignee(
    session: Session, task_id: int, username: str, *, only_if_unclaimed: bool
) -> bool:
    stmt = update(HumanTask).where(HumanTask.id == task_id, HumanTask.status == OPEN)
    if only_if_unclaimed:
        stmt = stmt.where(HumanTask.assignee.is_(None))
    changed = session.execute(stmt.values(assignee=username, claimed_at=utcnow())).rowcount  # type: ignore[attr-defined]
    if changed == 1:
        set_group_claimed(session, task_id, True)
    session.commit()
    return bool(changed == 1)


def completer_of(session: Session, case_id: int, element_id: str) -> StaffUser | None:
    """The staff member who completed the case's task of ``element_id`` last (``None``: no
    such task was completed by a known account)."""
    username = session.scalar(
        select(HumanTask.completed_by)
        .where(
            HumanTask.case_id == case_id,
            HumanTask.element_id == element_id,
            HumanTask.status == COMPLETED,
        )
        .order_by(HumanTask.id.desc())
        .limit(1)
    )
    if username is None:
        return None
    return session.scalar(select(StaffUser).where(StaffUser.username == username))
