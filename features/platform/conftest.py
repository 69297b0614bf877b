"""Fixtures of the platform tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.db import make_engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'alur.db'}"
    url: str = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    with engine.begin() as connection:  # each test starts from an empty schema
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url
