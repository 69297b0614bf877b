"""The same Alembic migrations build the schema on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from storage import deployments, migrate
from storage.db import make_engine, make_sessionmaker
from storage.deployments import Deployed
from storage.models import Base, Deployment

pytestmark = pytest.mark.platform


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'alur.db'}"
    url: str = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    with engine.begin() as connection:  # each test starts from an empty schema
        Base.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()
    return url


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
