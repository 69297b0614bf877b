"""Benchmark 3 of issue 13: the inbox and the SLA dashboard at national scale.

Full size: 100,000 open human tasks across 50 units and every SOP role of ``alur.roles``,
1,000 staff accounts, 1,000,000 finished cases in a year of history with their completed
tasks and timelines. On SQLite and on PostgreSQL in turn, it measures p50/p95 of what the
application itself runs (``storage.inbox``, ``storage.cases``, ``storage.sla``, called as
``web/tasks.py``, ``web/public.py`` and ``web/sla.py`` call them):

- ``inbox``: a member's first page of *Tersedia untuk peran saya* (their roles, their units,
  nearest deadline first) with the tab counts, as ``/tugas`` loads it;
- ``tracking``: the tracking-code lookup of ``/lacak`` (``cases.by_code``); the PIN's argon2
  check, slow on purpose, is its own figure ``pin_check``;
- ``timeline``: a case's timeline as the task page shows it;
- ``dashboard``: ``/sla`` for one unit (and the units beneath it) over a year.

The data come from :mod:`bench.national_data` (bulk inserts, one argon2 hash reused for every
PIN and password); how long generating them takes is a figure too. ``--plans`` prints each
operation's statements and query plans; the JSON keeps them either way.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from alur import dates, roles
from bench import plans
from bench.core import Context, Figure, Lane, Size, latency, timed
from bench.national_data import SCALES, Member, Scale, World, generate, tracking_code
from storage import accounts, cases, inbox, migrate, sla
from storage.db import make_engine, make_sessionmaker
from web.sla import period_bounds, span_edges, spans

#: The measured operations and the p95 each should stay under (None: no target). The
#: dashboard's target is for one unit; an agency's dashboard covers it and its four units.
TARGETS_MS: dict[str, float | None] = {
    "inbox": 100.0,
    "tracking": 50.0,
    "timeline": 100.0,
    "dashboard": 500.0,
    "dashboard_agency": None,
}
OPERATIONS = tuple(TARGETS_MS)
PIN = "K7QM-2XWP"


def database_bytes(engine: Engine) -> int:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
            size = connection.exec_driver_sql("PRAGMA page_size").scalar_one()
            return int(pages) * int(size)
        found = connection.exec_driver_sql("SELECT pg_database_size(current_database())")
        return int(found.scalar_one())


# -- the operations, as the web app runs them ------------------------------------------------


def open_inbox(sessions: sessionmaker[Session], member: Member) -> int:
    """``GET /tugas?tampilan=tersedia``: the viewer (``web.tasks.viewer``), the first page
    sorted by due date, and the counts on the tabs (``web.tasks.index``)."""
    with sessions() as db:
        units = accounts.unit_scope(db, member.unit)
    me = inbox.Viewer(
        member.username, member.unit, member.roles, roles.supervised(member.roles), units
    )
    with sessions() as db:
        page = inbox.PAGE_SIZE + 1  # as web.tasks.index asks: one more, for "next page"
        stmt = inbox.query(me, inbox.View.AVAILABLE, sort="tenggat", limit=page)
        rows = list(db.scalars(stmt))
        inbox.counts(db, me)
        db.expunge_all()
    return len(rows)


def look_up(sessions: sessionmaker[Session], code: str) -> bool:
    """The query of ``POST /lacak`` (``cases.open_with_pin`` before its argon2 check)."""
    with sessions() as db:
        return cases.by_code(db, code) is not None


def read_timeline(sessions: sessionmaker[Session], case_id: int) -> int:
    """The case timeline of the task page (every event, oldest first)."""
    with sessions() as db:
        return len(cases.timeline(db, case_id))


def open_dashboard(
    sessions: sessionmaker[Session], unit: str, now: datetime, start: datetime, end: datetime
) -> int:
    """``GET /sla?unit=<unit>&dari=...&sampai=...`` over a year: what ``web.sla.index`` asks
    the database for a chosen unit (that unit and the units beneath it)."""
    with sessions() as db:
        accounts.unit_tree(db)
        units = accounts.unit_scope(db, unit)
        opened = sla.open_cases(db, now, units)
        cuts = spans(dates.local_date(start), dates.local_date(end) - timedelta(days=1))[1]
        kept = sla.on_time_series(db, span_edges(cuts), units).rows  # table and chart
        late = sla.overdue_tasks(db, now, units)
        steps = sla.step_times(db, start, end, units)
    return len(opened) + len(kept) + len(late.tasks) + len(steps)


# -- the benchmark -----------------------------------------------------------------------------


def _lane(ctx: Context, lane: Lane, scale: Scale, now: int, pin_hash: str) -> list[Figure]:
    url = ctx.database(lane, "bench_national")
    ctx.say(f"    {lane}: migrating and generating the national-scale data")
    migrate.upgrade(url)
    began = time.monotonic()
    world = generate(url, scale, now, pin_hash, ctx.say)
    generated = time.monotonic() - began
    rows = sum(world.counts.values())
    ctx.say(f"    {lane}: {rows:,} rows in {generated:.0f} s")
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        return [
            Figure(
                f"{lane}.generate",
                generated,
                "s",
                note=f"{rows:,} rows; indexes and statistics {world.index_seconds:.0f} s of it",
            ),
            Figure(f"{lane}.size", database_bytes(engine) / 2**20, "MiB"),
            *_measure(ctx, lane, engine, sessions, world, scale),
        ]
    finally:
        ctx.details[ctx.benchmark].setdefault("rows", {})[lane] = world.counts
        engine.dispose()


def _measure(
    ctx: Context,
    lane: Lane,
    engine: Engine,
    sessions: sessionmaker[Session],
    world: World,
    scale: Scale,
) -> list[Figure]:
    now = datetime.fromtimestamp(world.now, UTC)
    last = dates.local_date(now)
    start, end = period_bounds(last - timedelta(days=364), last)
    picks = random.Random(2026)  # the same users, codes and units on every lane
    n = scale.repetitions
    members = [picks.choice(world.members) for _ in range(n + 5)]
    codes = [tracking_code(picks.randrange(1, world.cases + 1)) for _ in range(n + 5)]
    timelines = [picks.choice(world.finished) for _ in range(n + 5)]
    leaves = [code for code, _, parent in world.units if parent is not None]
    agencies = [code for code, _, parent in world.units if parent is None]
    units = [picks.choice(leaves) for _ in range(n + 5)]
    tops = [picks.choice(agencies) for _ in range(n + 5)]
    actions: dict[str, Callable[[int], object]] = {
        "inbox": lambda i: open_inbox(sessions, members[i]),
        "tracking": lambda i: look_up(sessions, codes[i]),
        "timeline": lambda i: read_timeline(sessions, timelines[i]),
        "dashboard": lambda i: open_dashboard(sessions, units[i], now, start, end),
        "dashboard_agency": lambda i: open_dashboard(sessions, tops[i], now, start, end),
    }
    notes = {
        "inbox": "first page of 'tersedia' + tab counts, random member",
        "tracking": "cases.by_code, random case",
        "timeline": "every event of a random finished case",
        "dashboard": "one unit (no units beneath), a year",
        "dashboard_agency": "an agency and its four units, a year",
    }
    figures = []
    for name, action in actions.items():
        runs = scale.agency_repetitions if name == "dashboard_agency" else n
        samples = timed(action, runs)
        figures += latency(f"{lane}.{name}", samples, p95_below=TARGETS_MS[name], note=notes[name])
        ctx.say(
            f"    {lane}.{name}: p50 {figures[-2].value:.1f} ms, p95 {figures[-1].value:.1f} ms"
        )
    _plans(ctx, lane, engine, actions)
    return figures


def _plans(
    ctx: Context, lane: Lane, engine: Engine, actions: dict[str, Callable[[int], object]]
) -> None:
    """Each operation's statements and their plans, into the details (and printed if asked)."""
    found: dict[str, list[dict[str, object]]] = {}
    for name, action in actions.items():
        with plans.recording(engine) as statements:
            action(-1)
        found[name] = []
        for statement in statements:
            plan = plans.explain(engine, statement)
            found[name].append({"sql": plans.one_line(statement.sql), "plan": plan})
            if ctx.plans:
                ctx.say(f"--- {lane} {name}: {plans.one_line(statement.sql)}")
                for line in plan:
                    ctx.say(f"      {line}")
    ctx.details[ctx.benchmark].setdefault("plans", {})[lane] = found


def run(ctx: Context, size: Size) -> list[Figure]:
    scale = SCALES[size]
    ctx.keep("scale", dict(vars(scale)))
    now = int(time.time())
    hasher = PasswordHasher()  # storage.cases hashes PINs with the same default parameters
    pin_hash = hasher.hash(PIN)  # one hash for every case's PIN and every password
    figures = latency(
        "pin_check",
        timed(lambda _i: hasher.verify(pin_hash, PIN), scale.pin_checks, warmup=1),
        note="argon2id verify of one PIN, as /lacak does after the lookup",
    )
    for lane in ctx.lanes:
        figures += _lane(ctx, lane, scale, now, pin_hash)
    return figures
