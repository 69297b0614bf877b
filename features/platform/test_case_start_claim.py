"""Which cases still wait for their process instance, and the claim that lets one worker, not
two, start each (``storage.cases.awaiting_start`` and ``claim_start``, used by
``alur.intake.start_waiting``), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage import case_status, cases, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import Case, utcnow

pytestmark = pytest.mark.platform


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


def add_case(
    sessions: sessionmaker[Session], status: str, *, age: timedelta, instance: int | None = None
) -> int:
    with sessions() as db:
        case, _pin = cases.create(
            db,
            cases.NewCase(
                service_code="uji",
                bpmn_process_id="Uji",
                unit_code=None,
                applicant_name="Pemohon",
                applicant_email=None,
                subject="Uji",
                data={},
            ),
        )
        case.status = status
        case.created_at = utcnow() - age
        case.process_instance_key = instance
        db.commit()
        return case.id


def test_waiting_and_abandoned_cases_are_listed(sessions: sessionmaker[Session]):
    cutoff = utcnow() - timedelta(minutes=2)
    waiting = add_case(sessions, case_status.WAITING, age=timedelta(0))
    abandoned = add_case(sessions, case_status.RECEIVED, age=timedelta(minutes=5))
    stuck = add_case(sessions, case_status.STARTING, age=timedelta(minutes=5))
    add_case(sessions, case_status.RECEIVED, age=timedelta(0))  # its web request still runs
    add_case(sessions, case_status.STARTING, age=timedelta(0))  # a worker is starting it
    add_case(sessions, case_status.RUNNING, age=timedelta(minutes=5), instance=7)
    add_case(sessions, case_status.WAITING, age=timedelta(minutes=5), instance=8)
    with sessions() as db:
        found = cases.awaiting_start(db, cutoff)
    assert found == [
        (waiting, case_status.WAITING),
        (abandoned, case_status.RECEIVED),
        (stuck, case_status.STARTING),
    ]


def test_of_two_workers_that_listed_a_case_one_claims_it(sessions: sessionmaker[Session]):
    case_id = add_case(sessions, case_status.WAITING, age=timedelta(0))
    with sessions() as first, sessions() as second:
        [(listed, seen)] = cases.awaiting_start(first, utcnow())
        assert cases.awaiting_start(second, utcnow()) == [(listed, seen)]
        won = cases.claim_start(first, listed, seen)
        assert won is not None and won.status == case_status.STARTING
        assert cases.claim_start(second, listed, seen) is None  # it is "memulai" now
    with sessions() as db:
        case = db.get(Case, case_id)
        assert case is not None and case.status == case_status.STARTING


def test_a_case_with_an_instance_is_never_claimed(sessions: sessionmaker[Session]):
    case_id = add_case(sessions, case_status.WAITING, age=timedelta(0), instance=42)
    with sessions() as db:
        assert cases.claim_start(db, case_id, case_status.WAITING) is None
        case = db.get(Case, case_id)
        assert case is not None and case.status == case_status.WAITING
    finished = add_case(sessions, case_status.DONE, age=timedelta(0))
    with sessions() as db:
        assert cases.claim_start(db, finished, case_status.DONE) is None
