"""The database away (a PostgreSQL cluster stopped) while a case runs: its jobs fail and keep
being retried — no incident row can be written then, so the workers' log and Zeebe's job
message say why — and once the database is back the case finishes with everything once."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from features.support.engine import Engine, advance_until
from features.support.letterworld import (
    PROCESS_ID,
    SPEC,
    World,
    letter_effects,
    make_world,
    new_case,
)
from features.support.tally import Tally
from features.support.testjobs import Reports
from stack import postgres
from stack.local import Stack
from stack.procs import Supervisor
from stack.zeebe import BrokerClock
from storage import incidents

pytestmark = [pytest.mark.platform, pytest.mark.postgres, pytest.mark.faults]


@dataclass
class Cluster:
    server: postgres.Postgres
    root: Path
    supervisor: Supervisor

    def stop(self) -> None:
        assert self.server.child is not None
        postgres.halt(self.server, self.supervisor)

    def start(self) -> None:
        postgres.serve(self.server, self.root / "cluster", self.supervisor)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster of its own: the session's one must not go away."""
    root = Path(tempfile.mkdtemp(prefix="alur-pg-outage-"))
    root.chmod(0o711)
    supervisor = Supervisor(root / "logs")
    try:
        yield Cluster(postgres.start(root / "cluster", supervisor), root, supervisor)
    finally:
        supervisor.stop_all()
        postgres.remove(root)


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    made = make_world(stack, engine, tmp_path_factory.mktemp("dbaway"), cluster.server.url)
    yield made
    made.close()


def test_the_database_away_stops_nothing_for_good(
    world: World,
    cluster: Cluster,
    stack: Stack,
    engine: Engine,
    clock: BrokerClock,
    reports: Reports,
    tally: Tally,
):
    settings = replace(world.deps.settings, job_incident_retry_ms=30_000)
    workers = stack.start_workers(settings, name="workers-db-away")
    case = new_case(world)
    try:
        cluster.stop()
        instance = engine.start(PROCESS_ID, {"caseId": case.id, "surat": SPEC})

        advance_until(  # the quick retries' backoff runs on the broker's clock
            clock,
            5_000,
            lambda: "incident open" in workers.log_path.read_text(errors="replace"),
            timeout=120,
            what="three failed attempts",
        )
        assert workers.alive(), "the worker process must outlive the database outage"
        assert not reports.event(instance).is_set()
        cluster.start()

        advance_until(
            clock,
            30_000,
            lambda: reports.event(instance).wait(1),
            timeout=120,
            what="the case to resume",
        )
    finally:
        stack.supervisor.stop(workers)
        if cluster.server.child is None or not cluster.server.child.alive():
            cluster.start()
    found = letter_effects(world, case.id)
    with world.sessions() as db:
        # This case's: the workers also take jobs of other modules' instances on the shared
        # broker, whose cases this database does not know.
        still_open = [
            i for i in incidents.open_incidents(db, None, national=True) if i.case_id == case.id
        ]
    tally.add("faults", 1, int(reports.counts[instance] == 1 and not still_open))
    tally.add("numbers", 2, len(found["entries"]))
    tally.add("letters", 1, len(found["letters"]))
    tally.add("lost", 1, found["gaps"])
    assert reports.counts[instance] == 1
    assert not still_open
    assert sorted(e.register for e in found["entries"]) == ["pengaduan", "surat-keluar"]
    assert len(found["letters"]) == 1 and found["gaps"] == 0
    titles = found["titles"]
    assert len(titles) == len(set(titles)), titles
