"""The listener's bookkeeping on both databases: which partitions it reads, which process
leads when several run, and how old records are forgotten (issue 23).

The records are written here as the exporter writes them (one row per log position); what the
broker puts in them is tested against the real broker in ``test_exporter.py`` and
``test_engine_events.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alur.coroutines import run_coroutine
from alur.engine_events import Listener, Outside
from storage import engine_records, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import EngineCursor, EngineRecord

pytestmark = pytest.mark.platform
DAY_MS = 24 * 60 * 60 * 1000


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def _write(db: Session, partition: int, position: int, timestamp_ms: int = 0) -> None:
    db.add(
        EngineRecord(
            partition_id=partition,
            position=position,
            record_key=position,
            value_type="JOB",
            intent="COMPLETED",
            timestamp_ms=timestamp_ms,
            process_instance_key=None,
            job_type="uji.lain",
            record_json='{"value": {}}',
            written_at_ms=timestamp_ms,
        )
    )


def _positions(db: Session) -> list[tuple[int, int]]:
    rows = db.execute(
        select(EngineRecord.partition_id, EngineRecord.position).order_by(
            EngineRecord.partition_id, EngineRecord.position
        )
    )
    return [(p, q) for p, q in rows]


def test_partitions_are_found_as_their_first_records_arrive(sessions: sessionmaker[Session]):
    with sessions() as db:
        assert engine_records.read_each(db, {}) == []
        _write(db, 1, 5)
        _write(db, 2, 3)
        db.commit()
        cursor = engine_records.advance({}, engine_records.read_each(db, {}))
        assert cursor == {1: 5, 2: 3}
        _write(db, 3, 8)  # the third partition's first record, after the cursor existed
        _write(db, 1, 9)
        db.commit()
        found = engine_records.read_each(db, cursor)
        assert [(r.partition_id, r.position) for r in found] == [(1, 9), (3, 8)]


def test_applied_records_older_than_the_keep_period_are_forgotten(
    sessions: sessionmaker[Session],
):
    with sessions() as db:
        for position in range(1, 7):
            _write(db, 1, position, timestamp_ms=position * DAY_MS)
        _write(db, 2, 1, timestamp_ms=DAY_MS)
        db.commit()
        # Applied up to 4 on partition 1 and nothing on partition 2; older than day 3 is old.
        deleted = engine_records.prune(db, {1: 4}, before_ms=3 * DAY_MS, limit=1)
        db.commit()
        assert deleted == 1  # one per call at this limit: position 1
        assert engine_records.prune(db, {1: 4}, before_ms=3 * DAY_MS) == 1
        db.commit()
        assert engine_records.prune(db, {1: 4}, before_ms=3 * DAY_MS) == 0
        # Not yet applied (5, 6 and partition 2) or recent (3, 4): kept.
        assert _positions(db) == [(1, 3), (1, 4), (1, 5), (1, 6), (2, 1)]


def test_the_listener_forgets_only_what_it_applied(sessions: sessionmaker[Session]):
    with sessions() as db:
        for position in range(1, 4):
            _write(db, 1, position, timestamp_ms=DAY_MS)  # 1970: long past any keep period
        db.commit()
    listener = Listener(sessions, Outside(frozenset()), batch=2, keep_days=30)
    assert listener.prune() == 0  # nothing applied yet
    assert listener.apply_batch() == 2
    assert listener.prune() == 2
    assert listener.apply_batch() == 1  # the cursor, kept in memory, goes on after the pruned
    with sessions() as db:
        assert db.scalar(select(EngineCursor.position)) == 3
    listener.lead.release()


@pytest.mark.postgres
def test_one_listener_leads_and_another_takes_over_when_it_stops(postgres_url: str):
    engine = make_engine(postgres_url)
    with engine.begin() as connection:  # an empty schema of this test's own
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    migrate.upgrade(postgres_url)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        _write(db, 1, 1)
        db.commit()
    first = Listener(sessions, Outside(frozenset()))
    second = Listener(sessions, Outside(frozenset()))
    try:
        assert first.apply_batch() == 1
        with sessions() as db:
            _write(db, 1, 2)
            db.commit()
        assert second.apply_batch() == 0  # not leading: leaves the record to the leader
        assert first.apply_batch() == 1

        run_coroutine(
            lambda: _stopped(first)
        )  # the leader stops (a crash closes its connection too)
        with sessions() as db:
            _write(db, 1, 3)
            db.commit()
        assert second.apply_batch() == 1  # took over, from the cursor the leader saved
        with sessions() as db:
            assert db.scalar(select(EngineCursor.position)) == 3
    finally:
        first.lead.release()
        second.lead.release()
        engine.dispose()


async def _stopped(listener: Listener) -> None:
    await listener.stop()
    await listener.run()  # returns at once, giving the lead up
