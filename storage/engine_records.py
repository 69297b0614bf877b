"""The engine's own records, as Alur's exporter wrote them into ``engine_record`` (issue 23).

Zeebe orders records within a partition only: positions of two partitions say nothing about
which came first. So a reader keeps a cursor per partition, the last position it has applied,
and reads each partition after its own cursor (:func:`read_after`, :func:`read_each`). A process
instance lives on one partition, so its records in position order are its history in order
(:func:`of_instance`).

The exporter commits a partition's rows in log order and only ever adds rows after the ones
committed (a record handed over again after a restart lands on its own row, which is there):
a reader that has seen position P of a partition will never find a new row at or before P.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage.models import EngineCursor, EngineRecord

#: Rows read at most per call when the caller does not say.
DEFAULT_LIMIT = 500
#: Zeebe's first partition id; the others follow without gaps.
FIRST_PARTITION = 1


def read_after(
    session: Session, partition_id: int, after: int = -1, limit: int = DEFAULT_LIMIT
) -> list[EngineRecord]:
    """Up to ``limit`` records of ``partition_id`` whose position is after ``after``, in log
    order (one range of the primary key)."""
    query = (
        select(EngineRecord)
        .where(EngineRecord.partition_id == partition_id, EngineRecord.position > after)
        .order_by(EngineRecord.position)
        .limit(limit)
    )
    return list(session.scalars(query))


def partitions(session: Session) -> list[int]:
    """The partitions that have records."""
    query = select(EngineRecord.partition_id).distinct().order_by(EngineRecord.partition_id)
    return list(session.scalars(query))


def read_each(
    session: Session, cursor: Mapping[int, int], limit: int = DEFAULT_LIMIT
) -> list[EngineRecord]:
    """For every partition, up to ``limit`` records after its position in ``cursor`` (from the
    start for a partition the cursor does not name), partition by partition, each in log order.

    Zeebe numbers its partitions 1, 2, ... N, so the partitions to read are the cursor's, the
    first, and the one after the highest known: a partition whose first records arrive later is
    found by that probe, one index seek, instead of a scan of the whole table per poll."""
    known = set(cursor) | {FIRST_PARTITION}
    found: list[EngineRecord] = []
    for partition_id in sorted(known | {max(known) + 1}):
        found += read_after(session, partition_id, cursor.get(partition_id, -1), limit)
    return found


def advance(cursor: Mapping[int, int], records: Sequence[EngineRecord]) -> dict[int, int]:
    """``cursor`` moved past ``records`` (each partition to the last position read)."""
    moved = dict(cursor)
    for record in records:
        moved[record.partition_id] = max(moved.get(record.partition_id, -1), record.position)
    return moved


def of_instance(session: Session, process_instance_key: int) -> list[EngineRecord]:
    """Every record of one process instance, in the order they happened."""
    query = (
        select(EngineRecord)
        .where(EngineRecord.process_instance_key == process_instance_key)
        .order_by(EngineRecord.position)
    )
    return list(session.scalars(query))


def value_of(record: EngineRecord) -> dict[str, Any]:
    """The record's value as Zeebe wrote it (variables, headers, error message...)."""
    value = json.loads(record.record_json).get("value", {})
    return value if isinstance(value, dict) else {}


def load_cursor(session: Session) -> dict[int, int]:
    """Where the listener got to: the last applied position per partition."""
    return {row.partition_id: row.position for row in session.scalars(select(EngineCursor))}


def save_cursor(session: Session, cursor: Mapping[int, int]) -> None:
    """Store ``cursor`` (the caller commits, in the transaction that applied the records)."""
    for partition_id, position in cursor.items():
        row = session.get(EngineCursor, partition_id)
        if row is None:
            session.add(EngineCursor(partition_id=partition_id, position=position))
        elif row.position != position:
            row.position = position


def termination_began(session: Session, process_instance_key: int, *, before: int) -> bool:
    """Whether the instance's own termination (an operator cancelled it) was recorded before
    log position ``before`` (the same partition: an instance lives on one)."""
    query = select(EngineRecord.position).where(
        EngineRecord.process_instance_key == process_instance_key,
        EngineRecord.record_key == process_instance_key,
        EngineRecord.intent == "ELEMENT_TERMINATING",
        EngineRecord.position < before,
    )
    return session.scalar(query.limit(1)) is not None


def prune(session: Session, cursor: Mapping[int, int], before_ms: int, limit: int = 10_000) -> int:
    """Delete up to ``limit`` records per partition that the listener has applied (at or before
    its cursor) and the broker wrote before ``before_ms``; how many. The caller commits.

    Only the listener reads old records, and only those of instances still running
    (:func:`termination_began`); the exporter never writes them again, because the broker
    re-exports only after the position it last acknowledged."""
    deleted = 0
    for partition_id, applied in cursor.items():
        oldest = session.scalars(
            select(EngineRecord.position)
            .where(
                EngineRecord.partition_id == partition_id,
                EngineRecord.position <= applied,
                EngineRecord.timestamp_ms < before_ms,
            )
            .order_by(EngineRecord.position)
            .limit(limit)
        ).all()
        upto = oldest[-1] if oldest else None
        if upto is None:
            continue
        result = session.execute(
            delete(EngineRecord).where(
                EngineRecord.partition_id == partition_id,
                EngineRecord.position <= upto,
                EngineRecord.timestamp_ms < before_ms,
            )
        )
        deleted += result.rowcount  # type: ignore[attr-defined]
    return deleted


#: The PostgreSQL advisory-lock key of the listener's lead (any constant; "alur" + issue 23).
LEAD_LOCK = 0x616C_7572_0023


class Lead:
    """Which of several worker processes applies the records: the one holding a PostgreSQL
    session-level advisory lock, on a connection of its own that it keeps open. The lock goes
    with the connection, so a crashed leader's is released and another process takes over.

    Applying twice would change nothing (every change is idempotent) but would double the
    reads; on SQLite, one machine, every listener leads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._held: Connection | None = None

    def take(self) -> bool:
        """Whether this process leads now (taking the lead if it is free)."""
        if self.engine.dialect.name != "postgresql":
            return True
        if self._held is not None:
            try:
                self._held.exec_driver_sql("SELECT 1")
                return True
            except DBAPIError:  # the connection (so the lock) is gone: try again below
                self.release()
        held = self.engine.connect()
        try:
            got = held.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LEAD_LOCK})
            won = bool(got.scalar())
            held.commit()
        except DBAPIError:
            held.close()
            raise
        if won:
            self._held = held
        else:
            held.close()
        return won

    def release(self) -> None:
        """Give the lead up (closing the connection releases the lock)."""
        if self._held is not None:
            with contextlib.suppress(DBAPIError):
                self._held.invalidate()
            self._held.close()
            self._held = None
