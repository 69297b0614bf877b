"""Fast loading of generated rows: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Rows are tuples of plain values written the way SQLAlchemy stores them, so the application
reads them back as if it had written them: instants as ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC
(what ``UTCDateTime`` stores on SQLite; PostgreSQL parses the same text as a UTC
``timestamptz`` because the loading session's time zone is UTC), JSON as its text, booleans
as ``bool``. Nothing goes through the ORM.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import psycopg
from sqlalchemy import Executable

from storage.db import make_engine

Row = tuple[Any, ...]
_DAYS: dict[int, str] = {}
_SECONDS = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(86400)]


def instant(epoch: int) -> str:
    """The stored text of the UTC instant ``epoch`` (whole seconds since 1970)."""
    day, second = divmod(epoch, 86400)
    text = _DAYS.get(day)
    if text is None:
        text = _DAYS[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86400))
    return text + _SECONDS[second]


class Loader:
    """One connection that appends rows to tables, runs derived inserts, commits when told."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.dialect = self.engine.dialect.name
        self.connection = self.engine.connect()
        if self.dialect == "sqlite":
            # Only this connection, only while loading: the rows are consistent by
            # construction, and a crash loses nothing that matters.
            for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-1048576"):
                self.connection.exec_driver_sql(f"PRAGMA {pragma}")
        else:
            self.connection.exec_driver_sql("SET TIME ZONE 'UTC'")
            self.connection.exec_driver_sql("SET synchronous_commit = off")
            # No foreign-key trigger per row (the benchmark's cluster user is a superuser).
            self.connection.exec_driver_sql("SET session_replication_role = replica")

    def _psycopg(self) -> psycopg.Connection[Any]:
        raw = self.connection.connection.driver_connection
        assert isinstance(raw, psycopg.Connection)
        return raw

    def put(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if self.dialect == "sqlite":
            marks = ", ".join("?" for _ in columns)
            self.connection.exec_driver_sql(
                f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows)
            )
            return
        with (
            self._psycopg().cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def run(self, statement: Executable) -> None:
        """Execute a statement (an ``INSERT ... SELECT``) in the loading transaction."""
        self.connection.execute(statement)

    def count(self, table: str) -> int:
        return int(self.connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())

    def drop_indexes(self, tables: Sequence[str]) -> list[str]:
        """Drop the plain (not unique) indexes of ``tables``; return the statements that
        create them again, as the database itself reports them (:meth:`create_indexes`).

        Building an index once over loaded rows is several times faster than keeping it up
        to date row by row; unique indexes stay, so the load is still checked."""
        names = ", ".join(f"'{table}'" for table in tables)
        if self.dialect == "sqlite":
            found = self.connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                f"AND tbl_name IN ({names}) AND sql IS NOT NULL"
            ).all()
        else:
            found = self.connection.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                f"AND tablename IN ({names})"
            ).all()
        plain = {str(name): str(sql) for name, sql in found if not sql.startswith("CREATE UNIQUE")}
        for name in plain:
            self.connection.exec_driver_sql(f'DROP INDEX "{name}"')
        self.connection.commit()
        return list(plain.values())

    def create_indexes(self, statements: Sequence[str]) -> None:
        for statement in statements:
            self.connection.exec_driver_sql(statement)
        self.connection.commit()

    def commit(self) -> None:
        self.connection.commit()

    def finish(self, sequences: Sequence[str]) -> None:
        """Commit and close. On PostgreSQL, move the id sequences of ``sequences`` past the
        loaded ids, then VACUUM (the visibility map, for index-only scans) and ANALYZE, as
        autovacuum would soon after such a load. SQLite gets no ANALYZE: the application
        never runs one, so its planner works without statistics there too."""
        self.connection.commit()
        if self.dialect == "postgresql":
            for table in sequences:
                self.connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            self.connection.commit()
            raw = self._psycopg()
            raw.autocommit = True
            with raw.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
            raw.autocommit = False
        self.connection.close()
        self.engine.dispose()
