"""Official numbers: unique and gap-free with workers allocating at once, the same on retry,
no hole and no duplicate when a worker dies mid-allocation — on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from alur.agency_file import shipped
from alur.numbering import ROMAN_MONTHS
from stack.local import REPO
from storage import migrate, numbering
from storage.db import make_engine, make_sessionmaker
from storage.models import RegisterEntry

pytestmark = pytest.mark.platform
REGISTER = shipped().register("dpmptsp", "surat-keluar")
ON = date(2026, 11, 23)


@pytest.fixture
def db(database_url: str) -> Iterator[tuple[str, Engine, sessionmaker[Session]]]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    yield database_url, engine, make_sessionmaker(engine)
    engine.dispose()


def allocate(sessions: sessionmaker[Session], key: str) -> RegisterEntry:
    with sessions() as session:
        return numbering.allocate(
            session,
            agency=REGISTER.agency,
            register=REGISTER.code,
            year=ON.year,
            key=key,
            render=lambda seq: REGISTER.render(seq, ON),
        )


def workers(url: str, prefix: str, count: int, crash: str | None = None) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "features.support.allocate", url, prefix, str(count)]
    return subprocess.Popen([*argv, *([crash] if crash else [])], cwd=REPO)


def seqs(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        return [e.seq for e in numbering.entries(session, REGISTER.agency, REGISTER.code, ON.year)]


def test_the_number_reads_in_the_agency_format():
    assert REGISTER.render(123, ON) == "B-123/DPMPTSP/XI/2026"
    assert ROMAN_MONTHS[11] == "XII"


def test_four_worker_processes_at_once_get_unique_gap_free_numbers(db):
    url, _, sessions = db
    procs = [workers(url, f"w{i}", 25) for i in range(4)]
    assert [p.wait(120) for p in procs] == [0, 0, 0, 0]
    assert seqs(sessions) == list(range(1, 101))
    with sessions() as session:
        numbers = set(session.scalars(select(RegisterEntry.number)))
    assert len(numbers) == 100


def test_a_retried_request_gets_the_number_it_got_before(db):
    _, _, sessions = db
    first = allocate(sessions, "job-1")
    other = allocate(sessions, "job-2")
    again = allocate(sessions, "job-1")
    assert (first.seq, other.seq, again.seq) == (1, 2, 1)
    assert again.number == first.number == "B-1/DPMPTSP/XI/2026"


def test_the_same_request_twice_at_once_gets_one_number(db):
    _, _, sessions = db
    results: list[RegisterEntry] = []
    start = threading.Barrier(4)

    def run() -> None:
        start.wait()
        results.append(allocate(sessions, "job-twice"))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert {r.number for r in results} == {"B-1/DPMPTSP/XI/2026"}
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(RegisterEntry)) == 1


def test_a_worker_killed_before_its_commit_leaves_no_hole(db):
    url, _, sessions = db
    allocate(sessions, "before")
    assert workers(url, "dies", 1, "before-commit").wait(60) == -9
    assert seqs(sessions) == [1]  # the increment died with the transaction
    retried = allocate(sessions, "dies-0")  # Zeebe redelivers the job
    assert retried.seq == 2
    assert seqs(sessions) == [1, 2]


def test_a_worker_killed_after_its_commit_gets_the_same_number_on_retry(db):
    url, _, sessions = db
    assert workers(url, "dies", 1, "after-commit").wait(60) == -9
    retried = allocate(sessions, "dies-0")
    assert retried.seq == 1
    assert allocate(sessions, "next").seq == 2
    assert seqs(sessions) == [1, 2]
