"""Fixtures of the platform tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc
from sqlalchemy.orm import Session, sessionmaker

from stack.local import Stack
from storage.db import make_engine, make_sessionmaker


@pytest.fixture
def gateway(stack: Stack) -> Iterator[pb_grpc.GatewayStub]:
    """The broker's gRPC gateway, for tests that drive jobs by hand (``offered_jobs``)."""
    channel = grpc.insecure_channel(stack.settings.zeebe_address)
    yield pb_grpc.GatewayStub(channel)
    channel.close()


@pytest.fixture(scope="session")
def sessions(stack: Stack) -> Iterator[sessionmaker[Session]]:
    """Sessions of the stack's own database, the one its broker's exporter writes to."""
    engine = make_engine(stack.settings.database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


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
