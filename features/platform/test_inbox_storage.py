"""The inbox's queries on SQLite and PostgreSQL: who sees which open task, and the copy of
each task's status and unit on its group rows that the inbox reads them from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage import accounts, inbox, migrate, tasks
from storage.db import make_engine, make_sessionmaker
from storage.models import Base, HumanTaskGroup

pytestmark = pytest.mark.platform

_keys = count(1)


@pytest.fixture
def db(database_url: str) -> Iterator[Session]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _task(db: Session, groups: list[str], unit: str | None, due: datetime | None = None) -> int:
    key = next(_keys)
    row, _ = tasks.upsert(
        db,
        tasks.NewTask(
            job_key=key,
            process_instance_key=key,
            process_definition_key=1,
            bpmn_process_id="Uji",
            element_id=f"Task_{key}",
            element_instance_key=key,
            form_key=None,
            candidate_groups=groups,
            assignee=None,
            due_at=due,
            variables={},
            unit_code=unit,
        ),
    )
    return row.id


def _page(db: Session, viewer: inbox.Viewer, view: inbox.View, **options: Any) -> list[int]:
    return [task.id for task in db.scalars(inbox.query(viewer, view, **options))]


def _ids(db: Session, viewer: inbox.Viewer, view: inbox.View) -> set[int]:
    return set(_page(db, viewer, view))


def test_a_member_sees_open_tasks_of_their_roles_in_their_units_and_national_ones(db: Session):
    mine = _task(db, ["lapor.admin_upt", "lapor.admin_eselon1"], "UPT-1")
    national = _task(db, ["lapor.admin_upt"], None)
    _task(db, ["lapor.admin_upt"], "UPT-2")  # another unit
    _task(db, ["kasn.asisten"], "UPT-1")  # another role
    me = inbox.Viewer("budi", "UPT-1", frozenset({"lapor.admin_upt"}))
    assert _ids(db, me, inbox.View.AVAILABLE) == {mine, national}
    assert inbox.counts(db, me)[inbox.View.AVAILABLE] == 2

    assert inbox.claim(db, mine, me)
    assert _ids(db, me, inbox.View.AVAILABLE) == {national}
    assert _ids(db, me, inbox.View.MINE) == {mine}


def test_a_supervisor_sees_the_team_until_the_task_is_completed_or_cancelled(db: Session):
    first = _task(db, ["lapor.admin_upt"], "UPT-1")
    second = _task(db, ["lapor.admin_upt"], "UPT-1")
    boss = inbox.Viewer("kepala", "UPT-1", frozenset(), supervised=frozenset({"lapor.admin_upt"}))
    assert _ids(db, boss, inbox.View.TEAM) == {first, second}

    assert tasks.begin_completion(db, first, "budi", {}) is not None
    second_job = db.scalar(text("SELECT job_key FROM human_task WHERE id = :id"), {"id": second})
    assert tasks.close(db, second_job, tasks.CANCELLED, from_status=tasks.OPEN)
    assert _ids(db, boss, inbox.View.TEAM) == set()
    statuses = dict(db.execute(select(HumanTaskGroup.task_id, HumanTaskGroup.status)).all())
    assert statuses == {first: tasks.COMPLETING, second: tasks.CANCELLED}


def test_the_first_page_is_chosen_from_the_group_rows_in_the_inbox_order(db: Session):
    """The page's limit sits inside the group query (PostgreSQL then reads no task row it
    does not show): claimed tasks, duplicates through two roles and the sort still right."""
    soon = datetime(2026, 12, 1, 9, tzinfo=UTC)
    later, latest = soon + timedelta(days=1), soon + timedelta(days=2)
    both_roles = _task(db, ["lapor.admin_upt", "lapor.admin_eselon1"], "UPT-1", later)
    claimed = _task(db, ["lapor.admin_upt"], "UPT-1", soon)
    no_deadline = _task(db, ["lapor.admin_eselon1"], None)
    last = _task(db, ["lapor.admin_upt"], "UPT-1", latest)
    roles = frozenset({"lapor.admin_upt", "lapor.admin_eselon1"})
    me = inbox.Viewer("budi", "UPT-1", roles)
    boss = inbox.Viewer("kepala", "UPT-1", frozenset(), supervised=roles)
    assert inbox.claim(db, claimed, inbox.Viewer("sari", "UPT-1", roles))

    available = inbox.View.AVAILABLE
    assert _page(db, me, available, limit=2) == [both_roles, last]
    assert _page(db, me, available, limit=50) == [both_roles, last, no_deadline]
    assert _page(db, me, available, limit=2, sort="terbaru") == [last, no_deadline]
    assert _page(db, me, available, limit=1, offset=1) == [last]  # the next pages
    assert _page(db, me, available, limit=2, offset=2) == [no_deadline]
    assert _page(db, boss, inbox.View.TEAM, limit=2) == [claimed, both_roles]
    found = inbox.counts(db, me)
    assert (found[available], inbox.counts(db, boss)[inbox.View.TEAM]) == (3, 4)

    assert inbox.unclaim(db, claimed, inbox.Viewer("sari", "UPT-1", roles))
    assert _page(db, me, available, limit=1) == [claimed]
    accounts.ensure_unit(db, "UPT-1", "UPT Uji")
    accounts.create_user(
        db, "budi", "rahasia-uji-1", full_name="Budi", unit_code="UPT-1", roles=["lapor.admin_upt"]
    )
    db.commit()
    assert inbox.assign(db, last, boss, "budi")
    assert _page(db, me, available, limit=50) == [claimed, both_roles, no_deadline]
    copies = dict(db.execute(select(HumanTaskGroup.task_id, HumanTaskGroup.claimed)).all())
    assert copies == {both_roles: False, claimed: False, no_deadline: False, last: True}


def test_the_migrations_build_exactly_the_models_schema(database_url: str):
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_the_group_rows_get_their_tasks_status_and_unit_when_migrated(database_url: str):
    migrate.upgrade(database_url, "0009")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            for task_id, status, unit in [(1, "open", "UPT-1"), (2, "completed", None)]:
                connection.execute(
                    text(
                        "INSERT INTO human_task (id, job_key, process_instance_key,"
                        " process_definition_key, bpmn_process_id, element_id, name,"
                        " element_instance_key, candidate_groups, variables, status,"
                        " created_at, unit_code)"
                        " VALUES (:id, :id, :id, 1, 'Uji', 'Task_Uji', '', :id, '[]', '{}',"
                        " :status, CURRENT_TIMESTAMP, :unit)"
                    ),
                    {"id": task_id, "status": status, "unit": unit},
                )
                connection.execute(
                    text("INSERT INTO human_task_group (task_id, role) VALUES (:id, 'peran')"),
                    {"id": task_id},
                )
        migrate.upgrade(database_url)
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT task_id, status, unit_code FROM human_task_group ORDER BY task_id")
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [(1, "open", "UPT-1"), (2, "completed", None)]


def test_the_group_rows_get_their_tasks_claim_and_dates_when_migrated(database_url: str):
    migrate.upgrade(database_url, "0012")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            for task_id, assignee, due in [(1, "budi", "2026-12-01 09:00:00"), (2, None, None)]:
                connection.execute(
                    text(
                        "INSERT INTO human_task (id, job_key, process_instance_key,"
                        " process_definition_key, bpmn_process_id, element_id, name,"
                        " element_instance_key, candidate_groups, variables, status,"
                        " created_at, assignee, due_at)"
                        " VALUES (:id, :id, :id, 1, 'Uji', 'Task_Uji', '', :id, '[]', '{}',"
                        " 'open', '2026-11-30 08:00:00', :assignee, :due)"
                    ),
                    {"id": task_id, "assignee": assignee, "due": due},
                )
                connection.execute(
                    text("INSERT INTO human_task_group (task_id, role) VALUES (:id, 'peran')"),
                    {"id": task_id},
                )
        migrate.upgrade(database_url)
        with make_sessionmaker(engine)() as session:
            rows = session.execute(
                select(
                    HumanTaskGroup.task_id,
                    HumanTaskGroup.claimed,
                    HumanTaskGroup.due_at,
                    HumanTaskGroup.created_at,
                ).order_by(HumanTaskGroup.task_id)
            ).all()
    finally:
        engine.dispose()
    created = datetime(2026, 11, 30, 8, tzinfo=UTC)
    assert [tuple(row) for row in rows] == [
        (1, True, datetime(2026, 12, 1, 9, tzinfo=UTC), created),
        (2, False, None, created),
    ]
