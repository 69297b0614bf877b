"""The inbox's queries on SQLite and PostgreSQL: who sees which open task, and the copy of
each task's status and unit on its group rows that the inbox reads them from."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage import inbox, migrate, tasks
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


def _task(db: Session, groups: list[str], unit: str | None) -> int:
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
            due_at=None,
            variables={},
            unit_code=unit,
        ),
    )
    return row.id


def _ids(db: Session, viewer: inbox.Viewer, view: inbox.View) -> set[int]:
    return {task.id for task in db.scalars(inbox.query(viewer, view))}


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
