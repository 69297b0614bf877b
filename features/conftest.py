"""Fixtures shared by every feature: one isolated, real stack per test session.

The stack (Zeebe with its controlled clock, SeaweedFS, SQLite, and PostgreSQL for its lane)
runs on free loopback ports in a throw-away directory and is torn down at the end.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from features.support import sessionfiles
from features.support.engine import Engine
from features.support.testjobs import Reports, build_test_router
from stack import postgres
from stack.local import Stack, test_stack
from stack.procs import Supervisor
from stack.zeebe import BrokerClock
from storage import migrate
from storage.db import make_engine, make_sessionmaker

pytest_plugins = [
    "features.steps.engine_steps",
    "features.support.browser",
    "features.support.tally",
]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("stack")
    running = test_stack(root)
    try:
        running.start_servers(log=lambda _message: None)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def engine(stack: Stack) -> Iterator[Engine]:
    client = Engine(stack.settings)
    yield client
    client.close()


@pytest.fixture(autouse=True)
def _cancel_leftover_instances(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test that used the broker, cancel the instances it started that still run
    (``Engine.cancel_started``): a test that failed half-way must not leave jobs behind for
    the workers of the tests after it."""
    if "engine" not in request.fixturenames:
        yield
        return
    engine: Engine = request.getfixturevalue("engine")
    since = len(engine.started)
    yield
    engine.cancel_started(since)


@pytest.fixture(scope="session")
def reports(engine: Engine) -> Iterator[Reports]:
    """A worker for the test diagrams' job types, built like the worker process builds one."""
    tracker = Reports()
    worker = engine.run_worker([build_test_router(tracker)])
    yield tracker
    engine.stop_worker(worker)


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """Sessions of a new SQLite database of the test's own, migrated to head."""
    url = f"sqlite:///{tmp_path / 'alur.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def clock(stack: Stack) -> BrokerClock:
    """The broker's controlled clock. It only ever moves forward.

    Moving it back to system time (``DELETE /actuator/clock``) after a jump of weeks stalls
    the broker's scheduled work: a timer created afterwards did not fire when the clock was
    moved past it (seen with 8.6.0 before ``stack.zeebe.BROKER_FIXES``, whose bug may have
    been the cause). So no test resets it; every test reasons from the
    broker's own ``now`` and moves forward from there, which keeps scenarios independent.
    """
    return stack.clock


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A private PostgreSQL cluster for the PostgreSQL lane."""
    # Not under pytest's 0700 temp dirs: the server may run as the postgres user.
    root = Path(tempfile.mkdtemp(prefix="alur-postgres-"))
    root.chmod(0o711)
    supervisor = Supervisor(root / "logs")
    try:
        server = postgres.start(root / "cluster", supervisor)
        yield server.url
    finally:
        supervisor.stop_all()
        postgres.remove(root)


# -- wall time per test, for the suite benchmark (bench/suite.py) ------------------------------
TIMES_FILE = "ALUR_TEST_TIMES"
_times: list[dict[str, object]] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Setup + call + teardown of each test, and whether it is a BDD scenario."""
    started = time.perf_counter()
    yield
    _times.append(
        {
            "test": item.nodeid,
            # The node id's file: a scenario bound with scenarios() is defined in pytest-bdd.
            "file": item.nodeid.split("::", 1)[0],
            "seconds": round(time.perf_counter() - started, 4),
            # pytest-bdd's scenario functions take this fixture; plain tests do not.
            "scenario": "_pytest_bdd_example" in getattr(item, "fixturenames", ()),
        }
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that restart the shared broker run last: after a restart its controlled clock
    starts again at system time, and every other test reasons from a clock that only moves
    forward (see ``clock``)."""
    items.sort(key=lambda item: item.get_closest_marker("restarts_broker") is not None)


def pytest_sessionstart(session: pytest.Session) -> None:
    sessionfiles.clear_parts(session.config, TIMES_FILE)


def pytest_sessionfinish(session: pytest.Session) -> None:
    sessionfiles.write(
        session.config, TIMES_FILE, _times, lambda parts: [row for part in parts for row in part]
    )
