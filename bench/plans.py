"""The statements an operation sends, and the database's plan for each.

:func:`recording` catches the SQL exactly as the application's own functions send it (with
their parameters); :func:`explain` asks the same database for its plan: ``EXPLAIN QUERY
PLAN`` on SQLite, ``EXPLAIN`` on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any


@contextmanager
def recording(engine: Engine) -> Iterator[list[Statement]]:
    """Every statement ``engine`` executes inside the block."""
    found: list[Statement] = []

    def before(
        conn: Any, cursor: Any, sql: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        found.append(Statement(sql, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", before)


def explain(engine: Engine, statement: Statement) -> list[str]:
    """The plan of ``statement``, one line per step, indented as the database nests them."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement.sql}", statement.parameters
            ).all()
            depth: dict[int, int] = {0: -1}
            lines = []
            for node, parent, _unused, detail in rows:
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + str(detail))
            return lines
        rows = connection.exec_driver_sql(f"EXPLAIN {statement.sql}", statement.parameters).all()
        return [str(row[0]) for row in rows]


def one_line(sql: str) -> str:
    return " ".join(sql.split())
