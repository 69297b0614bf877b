"""The same Alembic migrations build the schema on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import DBAPIError

from storage import cases, deployments, migrate
from storage.db import make_engine, make_sessionmaker
from storage.deployments import Deployed
from storage.models import Base, Deployment

pytestmark = pytest.mark.platform


def test_migrations_create_every_table_of_the_models(database_url: str):
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "alembic_version" in tables
        migrate.upgrade(database_url)  # a second run changes nothing and does not fail
    finally:
        engine.dispose()


def test_recording_a_deployment_twice_keeps_one_row(database_url: str):
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    item = Deployed("process", "Uji_Gema", "uji_gema.bpmn", 1, 2251799813685249, "ab" * 32)
    try:
        with make_sessionmaker(engine)() as session:
            assert len(deployments.record(session, [item], "uji")) == 1
            assert deployments.record(session, [item], "uji") == []
            rows = session.scalars(select(Deployment)).all()
            assert [(r.resource_id, r.version, r.zeebe_key) for r in rows] == [
                ("Uji_Gema", 1, 2251799813685249)
            ]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "change", ["UPDATE case_event SET title = 'diubah'", "DELETE FROM case_event"]
)
def test_the_case_timeline_is_append_only(database_url: str, change: str):
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session:
            case, _ = cases.create(
                session,
                cases.NewCase("uji", "Uji", None, "Siti", None, "Perihal", {}),
            )
            cases.record(session, case.id, "diterima", "Permohonan diterima", public=True)
            session.commit()
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.exec_driver_sql(change)
        with make_sessionmaker(engine)() as session:
            assert [e.title for e in cases.timeline(session, case.id)] == ["Permohonan diterima"]
    finally:
        engine.dispose()
