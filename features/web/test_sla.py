"""The SLA dashboard: open cases and their service clocks, on-time rate, overdue tasks and time
per step, per SOP and unit, each member seeing the units they work for; the figures match
hand-computed ones, on SQLite through the page and on SQLite and PostgreSQL through the
storage queries. The charts (on-time rate per day, week or month; time per step) draw those
figures, and the period's dates are typed day first; both are checked on fixed dates around a
year end (2098/2099), never on today's. The service clocks are seeded relative to the seed's
"now" and the page is given that same instant, so what they say never depends on the day the
test runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from playwright.sync_api import Browser, Locator, expect
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from alur import clocks, dates, services, sops
from features.support.browser import WIDTHS, open_context, screenshot, sign_in_browser
from features.web.conftest import PASSWORD, serving, sign_in
from features.web.test_pages import problems_of
from stack.local import Stack
from storage import accounts, incidents, migrate, sla
from storage.db import make_engine, make_sessionmaker
from storage.models import Case, CaseClock, HumanTask, HumanTaskGroup
from web import charts, create_app
from web.sla import Period, format_duration, format_percent, parse_period, period_bounds

DPM, KPR, LAP, KASN = (
    "DPMPTSP_Pengaduan",
    "KemenPANRB_KonsultasiSurat",
    "LAPOR_DisposisiPengaduan",
    "KASN_KonsultasiMerit",
)
JATIM, JABAR, PEMPROV = "dpmptsp-jatim", "dpmptsp-jabar", "pemprov-jatim"
#: A unit whose tasks were all completed on fixed dates around the end of 2098.
KOTA = "dpmptsp-kota-uji"
#: A unit no member of the tests works for (only the administrator sees it).
KOTA_LAIN = "dpmptsp-kota-lain"
UNITS = {
    KOTA: ("DPMPTSP Kota Uji", None),
    KOTA_LAIN: ("DPMPTSP Kota Lain", None),
    PEMPROV: ("Pemerintah Provinsi Jawa Timur", None),
    JATIM: ("DPMPTSP Provinsi Jawa Timur", PEMPROV),
    JABAR: ("DPMPTSP Provinsi Jawa Barat", None),
    "kemenpanrb": ("Kementerian PANRB", None),
    "kasn": ("Komisi Aparatur Sipil Negara", None),
}
#: username -> (unit, roles)
STAFF = {
    "fo": (JATIM, ["dpmptsp.front_office"]),
    "jabar": (JABAR, ["dpmptsp.front_office"]),
    "gubernur": (PEMPROV, ["dpmptsp.kadis"]),  # the unit above DPMPTSP Jawa Timur
    "nasional": ("kemenpanrb", ["lapor.admin_nasional"]),
    "admin": ("kemenpanrb", ["alur.admin"]),
    "kasn": ("kasn", ["kasn.sekretariat"]),
    "kota": (KOTA, ["dpmptsp.front_office"]),
}
XSS = '<script>alert("x")</script>'
KASN_OVERDUE = 103
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
WIB = ZoneInfo("Asia/Jakarta")
#: The calendar file the app counts with here (the repository's), and the agency whose
#: calendar (07.30-16.00, not the default 08.00-16.00) counts Kota Uji's service clocks.
CALENDAR_FILE = Path(__file__).resolve().parents[2] / "deploy" / "kalender.toml"
CLOCK_AGENCY = "dpmptsp"


def wib(
    year: int, month: int, day: int, hour: int = 12, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


#: KOTA's completed tasks: (step, closed, due or None, took). Hand-computed figures:
#: the weeks of 15 Dec 2098 - 15 Jan 2099 (Monday to Sunday, cut at the ends) hold 4 (3 on
#: time), 0, 3 (2), 1 (1) and 1 (0) tasks with a due date; December 7 (5), January 4 (2).
#: In that period "Verifikasi berkas" took 2 h four times and 10 h once (mean 3 h 36 min, p90
#: the 5th of 5: 10 h), "Telaah pengaduan" a day five times.
FIXED = [
    # Outside the period: a second before it starts (late) ...
    ("Telaah pengaduan", wib(2098, 12, 14, 23, 59, 59), wib(2098, 12, 10), 3 * DAY),
    # The week of 15 December: 3 of 4 on time, one exactly at its due date.
    ("Verifikasi berkas", wib(2098, 12, 15, 0, 0), wib(2098, 12, 15, 8), 2 * HOUR),
    ("Verifikasi berkas", wib(2098, 12, 17, 10), wib(2098, 12, 17, 10), 2 * HOUR),
    ("Verifikasi berkas", wib(2098, 12, 19), wib(2098, 12, 20), 2 * HOUR),
    ("Verifikasi berkas", wib(2098, 12, 21, 23, 59, 59), wib(2098, 12, 21), 2 * HOUR),
    ("Verifikasi berkas", wib(2098, 12, 18), None, 10 * HOUR),  # no due date: time only
    # The week of 22 December: nothing. The week across the year end: 2 of 3, the first at
    # 00.00 WIB on Monday 29 December (17.00 UTC on the 28th: the later week's).
    ("Telaah pengaduan", wib(2098, 12, 29, 0, 0), wib(2098, 12, 30), DAY),
    ("Telaah pengaduan", wib(2098, 12, 31, 23, 30), wib(2098, 12, 31, 23, 59), DAY),
    ("Telaah pengaduan", wib(2099, 1, 1, 0, 30), wib(2098, 12, 31, 23, 59), DAY),
    ("Telaah pengaduan", wib(2099, 1, 8), wib(2099, 1, 9), DAY),
    ("Telaah pengaduan", wib(2099, 1, 15, 23), wib(2099, 1, 15, 17), DAY),
    # ... and the instant it ends (on time).
    ("Telaah pengaduan", wib(2099, 1, 16, 0, 0), wib(2099, 1, 20), 3 * DAY),
]


def sop(process_id: str) -> str:
    found = services.by_process(sops.CATALOG, process_id)
    assert found is not None
    return found.name


@dataclass
class Seeded:
    url: str
    now: datetime
    tasks: dict[str, int] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    #: The due instants of the service clocks, by their case's label.
    dues: dict[str, datetime] = field(default_factory=dict)


class Seeder:
    """Inserts cases and tasks with known instants, relative to ``now``."""

    def __init__(self, db: Session, seeded: Seeded) -> None:
        self.db, self.seeded, self.now, self.serial = db, seeded, seeded.now, 0

    def case(
        self,
        label: str,
        process: str,
        unit: str | None,
        status: str = "diproses",
        *,
        overdue: bool = False,
        closed: datetime | None = None,
    ) -> Case:
        self.serial += 1
        code = f"ALR-{self.serial:04d}-SLA0"
        found = Case(
            tracking_code=code,
            pin_hash="-",
            service_code=process,
            bpmn_process_id=process,
            unit_code=unit,
            applicant_name="Pemohon Uji",
            subject="Uji SLA",
            data={},
            status=status,
            overdue_at=self.now - 2 * DAY if overdue else None,
            created_at=self.now - 20 * DAY,
            closed_at=closed,
        )
        self.db.add(found)
        self.db.flush()
        self.seeded.codes[label] = code
        return found

    def clock(
        self,
        label: str,
        case: Case,
        due: datetime,
        *,
        limit: str = "",
        paused_since: datetime | None = None,
        agency: str = CLOCK_AGENCY,
        service: bool = True,
        name: str = "tenggatLayanan",
    ) -> CaseClock:
        """A clock of ``case`` as the ``sla`` worker leaves it (``service``: the service's)."""
        found = CaseClock(
            case_id=case.id,
            name=name,
            due_at=due,
            paused_since=paused_since,
            paused_minutes=0,
            limit=limit,
            agency=agency,
            service=service,
            updated_at=self.now,
        )
        self.db.add(found)
        self.db.flush()
        self.seeded.dues[label] = due
        return found

    def task(
        self,
        name: str,
        process: str,
        unit: str | None,
        *,
        status: str = "open",
        due: datetime | None = None,
        closed: datetime | None = None,
        took: timedelta = HOUR,
        case: Case | None = None,
        assignee: str | None = None,
        label: str | None = None,
    ) -> HumanTask:
        self.serial += 1
        created = (closed - took) if closed else self.now - 10 * DAY
        found = HumanTask(
            job_key=10_000 + self.serial,
            process_instance_key=20_000 + self.serial,
            process_definition_key=1,
            bpmn_process_id=process,
            element_id=f"Langkah_{self.serial}",
            name=name,
            element_instance_key=30_000 + self.serial,
            candidate_groups=["dpmptsp.front_office"],
            assignee=assignee,
            due_at=due,
            variables={},
            status=status,
            completed_by=assignee if status == "completed" else None,
            created_at=created,
            closed_at=closed,
            case_id=case.id if case else None,
            tracking_code=case.tracking_code if case else None,
            unit_code=unit,
            groups=[HumanTaskGroup(role="dpmptsp.front_office")],
        )
        self.db.add(found)
        self.db.flush()
        if label:
            self.seeded.tasks[label] = found.id
        return found


def seed(url: str) -> Seeded:
    """Migrate ``url`` and fill it with the figures the tests compute by hand."""
    migrate.upgrade(url)
    engine = make_engine(url)
    seeded = Seeded(url, datetime.now(UTC).replace(microsecond=0))
    now = seeded.now
    with make_sessionmaker(engine)() as db:
        for code, (name, parent) in UNITS.items():
            accounts.ensure_unit(db, code, name, parent)
        for username, (unit, roles) in STAFF.items():
            accounts.create_user(
                db, username, PASSWORD, full_name=username.title(), unit_code=unit, roles=roles
            )
        put = Seeder(db, seeded)
        # Open cases. DPMPTSP Jawa Timur: 5 open, 2 overdue (one marked, one by its task).
        put.case("diterima", DPM, JATIM, "diterima")
        marked = put.case("marked", DPM, JATIM, overdue=True)
        late = put.case("late", DPM, JATIM)
        waiting = put.case("waiting", DPM, JATIM, "menunggu")
        settled = put.case("settled", DPM, JATIM)
        put.case("selesai", DPM, JATIM, "selesai", overdue=True)
        put.case("ditolak", DPM, JATIM, "ditolak")
        put.case("dibatalkan", DPM, JATIM, "dibatalkan")
        letter = put.case("letter", KPR, JATIM, overdue=True)  # a second SOP in the unit
        jabar = put.case("jabar-1", DPM, JABAR, overdue=True)
        put.case("jabar-2", DPM, JABAR)
        national = put.case("national", LAP, None, overdue=True)
        # Service clocks (issue 28) in Kota Uji on DPMPTSP's calendar: one past its due date,
        # one running with 12 working days left, one paused (its due date passed while
        # paused: still paused, not overdue). Left out of Kota Uji's list: a closed case's
        # clock, a step's own due date and another unit's clock (running, due before the one
        # with 12 days left: the administrator sees it second).
        calendar = clocks.agency_calendar(
            db, CALENDAR_FILE, CLOCK_AGENCY, clocks.years_around(now, now + 90 * DAY)
        )
        put.clock(
            "jam-terlampaui",
            put.case("jam-terlampaui", DPM, KOTA, overdue=True),
            now - 3 * DAY,
            limit="10 hari kerja",
        )
        put.clock(
            "jam-berjalan",
            put.case("jam-berjalan", KPR, KOTA),
            calendar.add_working_days(now, 12),
            limit="14 hari kerja",
        )
        put.clock(
            "jam-dijeda", put.case("jam-dijeda", DPM, KOTA), now - DAY, paused_since=now - 2 * DAY
        )
        closed = put.case("jam-selesai", DPM, KOTA, "selesai", closed=now - DAY)
        put.clock("jam-selesai", closed, now - 5 * DAY, limit="10 hari kerja")
        stepped = put.case("jam-langkah", DPM, KOTA)
        put.clock("jam-langkah", stepped, now - 10 * DAY, name="tenggatVerifikasi", service=False)
        put.clock("jam-lain", put.case("jam-lain", DPM, KOTA_LAIN), now + 5 * DAY, agency="")

        # Open tasks past their due date, and some that are not.
        put.task(
            "Verifikasi pengaduan",
            DPM,
            JATIM,
            due=now - 3 * DAY - 5.5 * HOUR,
            case=late,
            assignee="fo",
            label="oldest",
        )
        put.task(XSS, DPM, JATIM, due=now - 2.5 * HOUR, case=marked, label="xss")
        put.task("Disposisi pimpinan", KPR, JATIM, due=now - DAY, case=letter, label="letter")
        put.task("Belum jatuh tempo", DPM, JATIM, due=now + 2 * DAY, case=waiting)
        put.task("Tanpa tenggat", DPM, JATIM)
        put.task("Sedang dikirim", DPM, JATIM, status="completing", due=now - DAY)
        put.task("Dibatalkan", DPM, JATIM, status="cancelled", due=now - DAY, closed=now - DAY)
        put.task("Tugas Jawa Barat", DPM, JABAR, due=now - 5 * DAY, case=jabar, label="jabar")
        put.task(
            "Disposisi nasional", LAP, None, due=now - 4 * DAY, case=national, label="national"
        )
        for index in range(KASN_OVERDUE):
            put.task(f"Telaah KASN {index:03d}", KASN, "kasn", due=now - HOUR - index * HOUR / 60)

        # Completed with a due date in Jawa Timur: 3 of 4 on time (one exactly at its due).
        done = {"status": "completed", "assignee": "fo"}
        step = "Telaah pengaduan"
        put.task(step, DPM, JATIM, due=now - DAY, closed=now - 2 * DAY, case=settled, **done)
        put.task(step, DPM, JATIM, due=now - 2 * DAY, closed=now - 2 * DAY, **done)
        put.task(step, DPM, JATIM, due=now - 2 * DAY, closed=now - 3 * DAY, **done)
        put.task(step, DPM, JATIM, due=now - 2 * DAY, closed=now - DAY, **done)
        # ... and one long before the period: late, and ten days long.
        put.task(step, DPM, JATIM, due=now - 61 * DAY, closed=now - 60 * DAY, took=10 * DAY, **done)
        # Without a due date: durations of 1 to 10 hours.
        for hours in range(1, 11):
            put.task("Verifikasi berkas", DPM, JATIM, closed=now - DAY, took=hours * HOUR, **done)
        for took in (DAY, 2 * DAY + 3 * HOUR, 4 * DAY):
            put.task("Jawaban surat", KPR, JATIM, closed=now - 2 * DAY, took=took, **done)
        # Another unit's, and a national one.
        put.task(step, DPM, JABAR, due=now - 2 * DAY, closed=now - DAY, took=20 * HOUR, **done)
        put.task(
            "Verifikasi laporan",
            LAP,
            None,
            due=now,
            closed=now - DAY,
            took=timedelta(minutes=45),
            **done,
        )
        for name, closed, due, took in FIXED:
            put.task(name, DPM, KOTA, due=due, closed=closed, took=took, **done)
        db.commit()
    engine.dispose()
    return seeded


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    return seed(f"sqlite:///{tmp_path_factory.mktemp('sla') / 'alur.db'}")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def any_db(request: pytest.FixtureRequest, sqlite_db: Seeded) -> Seeded:
    if request.param == "sqlite":
        return sqlite_db
    url: str = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    with engine.begin() as connection:  # start from an empty schema
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return seed(url)


@pytest.fixture
def db(any_db: Seeded) -> Iterator[Session]:
    engine = make_engine(any_db.url)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="module")
def app(stack: Stack, sqlite_db: Seeded) -> Flask:
    return create_app(
        replace(stack.settings, database_url=sqlite_db.url, calendar_file=CALENDAR_FILE)
    )


@pytest.fixture(scope="module")
def clients(app: Flask) -> dict[str, FlaskClient]:
    found = {}
    for username in STAFF:
        client = app.test_client()
        sign_in(client, username)
        found[username] = client
    return found


def page_of(client: FlaskClient, **query: str) -> str:
    response = client.get("/sla", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows(page: str, table_id: str, part: str = "tbody") -> list[list[str]]:
    """The cells' text of one table's body (or ``tfoot``); [] when the table is absent."""
    found = lxml.html.fromstring(page).xpath(f'//table[@id="{table_id}"]/{part}/tr')
    return [[" ".join(c.text_content().split()) for c in r.xpath("./th|./td")] for r in found]


def links(page: str) -> list[str]:
    return lxml.html.fromstring(page).xpath('//table[@id="tugas-terlambat"]/tbody/tr//a/@href')


# -- storage queries, on SQLite and PostgreSQL ------------------------------------------------


def test_open_cases_per_sop_and_unit_with_the_overdue_ones(db: Session, any_db: Seeded):
    found = sla.open_cases(db, any_db.now, {JATIM})
    assert found == [sla.OpenCases(DPM, JATIM, 5, 2), sla.OpenCases(KPR, JATIM, 1, 1)]
    assert sla.open_cases(db, any_db.now, {JABAR}) == [sla.OpenCases(DPM, JABAR, 2, 1)]
    assert sla.open_cases(db, any_db.now, set(), national=True) == [sla.OpenCases(LAP, None, 1, 1)]
    # With Kota Uji's two SOPs and Kota Lain's, which have service clocks.
    assert len(sla.open_cases(db, any_db.now, None)) == 7
    assert sla.open_cases(db, any_db.now, {JATIM}, process_id=KPR) == [
        sla.OpenCases(KPR, JATIM, 1, 1)
    ]


def codes_of(found: sla.ServiceClocks, seeded: Seeded) -> list[str]:
    """The labels of the listed clocks' cases, in the list's order."""
    label = {code: name for name, code in seeded.codes.items()}
    return [label[row.tracking_code] for row in found.clocks]


def test_service_clocks_of_open_cases_most_urgent_first(db: Session, any_db: Seeded):
    now = any_db.now
    found = sla.service_clocks(db, now, {KOTA})
    # Past due first, then running, paused last (its due date passed while paused); not the
    # closed case's, nor a step's own due date, nor another unit's.
    assert codes_of(found, any_db) == ["jam-terlampaui", "jam-berjalan", "jam-dijeda"]
    assert (found.running, found.paused, found.overdue, found.total, found.rest) == (1, 1, 1, 3, 0)
    first = found.clocks[0]
    assert (first.process_id, first.unit_code, first.clock.limit, first.clock.agency) == (
        DPM,
        KOTA,
        "10 hari kerja",
        CLOCK_AGENCY,
    )
    assert first.clock.due_at == now - 3 * DAY and found.clocks[2].clock.paused_since is not None
    # Everything: running ones by due date (Kota Lain's in 5 days before 12 working days).
    everything = sla.service_clocks(db, now, None)
    assert codes_of(everything, any_db) == [
        "jam-terlampaui",
        "jam-lain",
        "jam-berjalan",
        "jam-dijeda",
    ]
    assert (everything.running, everything.paused, everything.overdue) == (2, 1, 1)
    # Capped: the most urgent kept, every clock still counted.
    capped = sla.service_clocks(db, now, None, limit=2)
    assert codes_of(capped, any_db) == ["jam-terlampaui", "jam-lain"]
    assert (capped.total, capped.rest, capped.running) == (4, 2, 2)
    # One SOP; another unit; the national rows (none have a clock).
    kpr = sla.service_clocks(db, now, {KOTA}, process_id=KPR)
    assert codes_of(kpr, any_db) == ["jam-berjalan"] and (kpr.running, kpr.overdue) == (1, 0)
    assert codes_of(sla.service_clocks(db, now, {KOTA_LAIN}), any_db) == ["jam-lain"]
    assert sla.service_clocks(db, now, {JATIM}, national=True).total == 0
    # At its due instant the running clock is past due (as the pages read it), after the
    # one that was past due first.
    later = sla.service_clocks(db, any_db.dues["jam-berjalan"], {KOTA})
    assert codes_of(later, any_db) == ["jam-terlampaui", "jam-berjalan", "jam-dijeda"]
    assert (later.running, later.paused, later.overdue) == (0, 1, 2)


def test_each_clock_is_read_on_its_agencys_calendar_built_once(db: Session, any_db: Seeded):
    now = any_db.now
    calendars = clocks.Calendars(db, CALENDAR_FILE)
    found = [
        clocks.shown(calendars, row.clock, now) for row in sla.service_clocks(db, now, None).clocks
    ]
    assert [(s.paused, s.overdue) for s in found] == [
        (False, True),
        (False, False),
        (False, False),
        (True, False),
    ]
    # 12 working days of DPMPTSP's 8.5 hours (07.30-16.00) left.
    assert found[2].text.endswith(", sisa 12 hari kerja") and found[2].limit == "14 hari kerja"
    dpmptsp = calendars.of(CLOCK_AGENCY, clocks.years_around(now, any_db.dues["jam-berjalan"]))
    assert dpmptsp.hours.day_length == timedelta(hours=8, minutes=30)
    assert calendars.of(CLOCK_AGENCY, clocks.years_around(now)) is dpmptsp  # built once
    assert calendars.of("", clocks.years_around(now)) is not dpmptsp


def test_on_time_counts_tasks_completed_in_the_period(db: Session, any_db: Seeded):
    start, end = any_db.now - 30 * DAY, any_db.now
    assert sla.on_time(db, start, end, {JATIM}) == [sla.OnTime(DPM, JATIM, 4, 3)]
    assert sla.on_time(db, start, end, {JATIM})[0].rate == 75.0
    longer = sla.on_time(db, any_db.now - 70 * DAY, end, {JATIM, PEMPROV})
    assert longer == [sla.OnTime(DPM, JATIM, 5, 3)]
    assert sla.on_time(db, start, end, {JABAR}) == [sla.OnTime(DPM, JABAR, 1, 0)]
    assert sla.on_time(db, start, end, set(), national=True) == [sla.OnTime(LAP, None, 1, 1)]
    everything = sla.total_on_time(sla.on_time(db, start, end, None))
    assert (everything.completed, everything.on_time) == (6, 4)


def test_overdue_tasks_oldest_first_with_the_rest_counted(db: Session, any_db: Seeded):
    now = any_db.now
    found = sla.overdue_tasks(db, now, {JATIM})
    assert [t.task_id for t in found.tasks] == [
        any_db.tasks["oldest"],
        any_db.tasks["letter"],
        any_db.tasks["xss"],
    ]
    assert found.total == 3 and found.rest == 0
    oldest = found.tasks[0]
    assert (oldest.name, oldest.process_id, oldest.unit_code) == (
        "Verifikasi pengaduan",
        DPM,
        JATIM,
    )
    assert oldest.tracking_code == any_db.codes["late"] and oldest.assignee == "fo"
    assert [t.late(now) for t in found.tasks] == [3 * DAY + 5.5 * HOUR, DAY, 2.5 * HOUR]
    kasn = sla.overdue_tasks(db, now, {"kasn"})
    assert len(kasn.tasks) == 100 and kasn.total == KASN_OVERDUE and kasn.rest == 3
    assert kasn.tasks[0].name == f"Telaah KASN {KASN_OVERDUE - 1:03d}"  # due the longest ago
    assert sla.overdue_tasks(db, now, {JATIM}, process_id=KPR).total == 1


def test_average_and_nearest_rank_p90_per_step(db: Session, any_db: Seeded):
    found = sla.step_times(db, any_db.now - 30 * DAY, any_db.now, {JATIM})
    assert found == [
        sla.StepTime(DPM, "Telaah pengaduan", 4, HOUR, HOUR),
        # 1..10 hours: mean 5.5 h; nearest rank ceil(0.9 * 10) = 9th -> 9 h (not 9.1 h).
        sla.StepTime(DPM, "Verifikasi berkas", 10, 5.5 * HOUR, 9 * HOUR),
        # 24, 51 and 96 hours: mean 57 h; ceil(0.9 * 3) = 3rd -> 4 days.
        sla.StepTime(KPR, "Jawaban surat", 3, 2 * DAY + 9 * HOUR, 4 * DAY),
    ]
    longer = sla.step_times(db, any_db.now - 70 * DAY, any_db.now, {JATIM}, process_id=DPM)
    # Four of 1 h and one of 10 days: mean 48.8 h, p90 = 5th of 5.
    assert longer[0] == sla.StepTime(DPM, "Telaah pengaduan", 5, 48.8 * HOUR, 10 * DAY)
    assert sla.step_times(db, any_db.now - 30 * DAY, any_db.now, set(), national=True) == [
        sla.StepTime(LAP, "Verifikasi laporan", 1, timedelta(minutes=45), timedelta(minutes=45))
    ]


def test_nothing_is_counted_for_an_empty_scope(db: Session, any_db: Seeded):
    start, end = any_db.now - 30 * DAY, any_db.now
    assert sla.open_cases(db, end, set()) == []
    assert sla.on_time(db, start, end, set()) == []
    assert sla.overdue_tasks(db, end, set()).total == 0
    assert sla.step_times(db, start, end, set()) == []
    assert sla.service_clocks(db, end, set()) == sla.ServiceClocks((), 0, 0, 0)


def test_the_on_time_rate_per_span_across_a_year_end(db: Session):
    weeks = [
        wib(2098, 12, 15, 0),
        wib(2098, 12, 22, 0),
        wib(2098, 12, 29, 0),
        wib(2099, 1, 5, 0),
        wib(2099, 1, 12, 0),
        wib(2099, 1, 16, 0),
    ]
    found = sla.on_time_series(db, weeks, {KOTA})
    assert [(s.start, s.end) for s in found.spans] == list(pairwise(weeks))
    assert [(s.completed, s.on_time) for s in found.spans] == [
        (4, 3),
        (0, 0),
        (3, 2),
        (1, 1),
        (1, 0),
    ]
    assert [s.rate for s in found.spans] == [75.0, None, 200 / 3, 100.0, 0.0]
    # The same pass gives the period's rows per SOP and unit, as on_time does.
    assert found.rows == (sla.OnTime(DPM, KOTA, 9, 6),)
    assert list(found.rows) == sla.on_time(db, weeks[0], weeks[-1], {KOTA})
    whole = sla.on_time_series(db, weeks[::5], {KOTA})
    assert [(s.completed, s.on_time) for s in whole.spans] == [(9, 6)]
    months = [wib(2098, 12, 1, 0), wib(2099, 1, 1, 0), wib(2099, 2, 1, 0)]
    found = sla.on_time_series(db, months, {KOTA}, process_id=DPM)
    assert [(s.completed, s.on_time) for s in found.spans] == [(7, 5), (4, 2)]
    assert [s.completed for s in sla.on_time_series(db, months, {JATIM}).spans] == [0, 0]
    other_sop = sla.on_time_series(db, months, {KOTA}, process_id=KPR)
    assert [s.completed for s in other_sop.spans] == [0, 0] and other_sop.rows == ()
    assert sla.on_time_series(db, months[:1], {KOTA}) == sla.OnTimeSeries((), ())
    with pytest.raises(ValueError):
        sla.on_time_series(db, months[::-1], {KOTA})


def test_the_rows_per_sop_and_unit_match_on_time_for_every_scope(db: Session, any_db: Seeded):
    end = any_db.now
    edges = [end - 70 * DAY, end - 30 * DAY, end - 2 * DAY, end]
    for units, national in [({JATIM}, False), (None, True), (set(), True), ({JABAR}, False)]:
        found = sla.on_time_series(db, edges, units, national=national)
        expected = sla.on_time(db, edges[0], end, units, national=national)
        assert sorted(found.rows, key=repr) == sorted(expected, key=repr)
        total = sla.total_on_time(expected)
        assert sum(s.completed for s in found.spans) == total.completed
        assert sum(s.on_time for s in found.spans) == total.on_time


# -- formatting and the period -----------------------------------------------------------------


def test_durations_percentages_and_periods_in_indonesian():
    assert format_duration(2 * DAY + 3 * HOUR + timedelta(minutes=20)) == "2 hari 3 jam"
    assert format_duration(timedelta(minutes=45, seconds=59)) == "45 menit"
    assert format_duration(5 * HOUR) == "5 jam" and format_duration(DAY) == "1 hari"
    assert format_duration(timedelta(seconds=30)) == "kurang dari 1 menit"
    assert format_percent(87.5) == "87,5 %" and format_percent(200 / 3) == "66,7 %"
    assert format_percent(None) == "—"
    start, end = period_bounds(date(2026, 3, 1), date(2026, 3, 31))
    assert start == datetime(2026, 2, 28, 17, tzinfo=UTC)  # 00.00 WIB
    assert end == datetime(2026, 3, 31, 17, tzinfo=UTC)
    today = date(2026, 6, 30)
    assert parse_period(MultiDict(), today) == Period(date(2026, 6, 1), today)
    swapped = parse_period(MultiDict({"dari": "20/06/2026", "sampai": "10/06/2026"}), today)
    assert (swapped.first, swapped.last) == (date(2026, 6, 10), date(2026, 6, 20))
    assert swapped.problems and swapped.refused == {}
    longest = parse_period(MultiDict({"dari": "01/01/2020"}), today)
    assert longest.first == today - sla.MAX_PERIOD + DAY and longest.problems


@pytest.mark.parametrize(
    ("dari", "sampai"),
    [
        ("28/12/2098", "05/01/2099"),  # day first, across the year end
        ("28-12-2098", "5/1/2099"),
        ("28 Desember 2098", "5 Januari 2099"),
        ("Minggu, 28 Des 2098", "5 jan 2099"),
        ("2098-12-28", "2099-01-05"),  # the ISO dates of older links
    ],
)
def test_the_period_is_read_day_first(dari: str, sampai: str):
    today = date(2099, 3, 1)  # fixed: the period never depends on the day the test runs
    period = parse_period(MultiDict({"dari": dari, "sampai": sampai}), today)
    assert period == Period(date(2098, 12, 28), date(2099, 1, 5))
    # The fields show the dates the Indonesian way.
    assert (period.value("dari"), period.value("sampai")) == ("28/12/2098", "05/01/2099")


def test_a_day_of_twelve_or_less_is_never_read_as_the_month():
    today = date(2099, 3, 1)
    period = parse_period(MultiDict({"dari": "03/12/2098", "sampai": "11/01/2099"}), today)
    assert (period.first, period.last) == (date(2098, 12, 3), date(2099, 1, 11))
    assert (period.value("dari"), period.value("sampai")) == ("03/12/2098", "11/01/2099")


def test_an_unreadable_date_says_why_in_bahasa_and_keeps_what_was_typed():
    today = date(2099, 3, 1)
    # Month first, as an English browser would show it: there is no month 28.
    period = parse_period(MultiDict({"dari": "12/28/2098", "sampai": "31/02/2099"}), today)
    assert (period.first, period.last) == (today - 29 * DAY, today)
    assert [p.field for p in period.problems] == ["dari", "sampai"]
    dari, sampai = (p.text for p in period.problems)
    assert "Bulan 28 tidak ada" in dari and "dipakai 31 Januari 2099" in dari
    assert "Tanggal 31 tidak ada pada bulan Februari 2099" in sampai and "1 Maret 2099" in sampai
    assert period.refused == {"dari": "12/28/2098", "sampai": "31/02/2099"}
    assert (period.value("dari"), period.value("sampai")) == ("12/28/2098", "31/02/2099")
    short = parse_period(MultiDict({"dari": "28/12/98", "sampai": "kemarin"}), today)
    assert "empat angka" in short.problems[0].text and "tidak terbaca" in short.problems[1].text


def test_charts_escape_their_text_and_draw_no_column_without_figures():
    drawn = charts.percent_columns(
        [
            charts.Column(("<b>1</b>",), None, "—", 'tidak ada "tugas"'),
            charts.Column(("2",), 40.0, "40,0 %", "<script>"),
        ],
        chart_id="uji",
        title="Judul & <i>uji</i>",
        desc="Uraian",
    )
    wrapper = etree.fromstring(str(drawn))  # well-formed XML
    assert wrapper.get("class") == "chart-wrap" and wrapper.get("tabindex") is None
    [svg] = wrapper
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "uji-judul"
    assert svg.findtext(f"{{{SVG}}}title") == "Judul & <i>uji</i>"
    [rect] = svg.iter(f"{{{SVG}}}rect")  # the empty span has no column
    assert float(rect.get("height")) == pytest.approx(0.4 * 160)
    assert "<script>" not in str(drawn) and "<b>" not in str(drawn)
    bars = charts.bar_groups(
        [charts.BarGroup("SOP", (charts.BarRow(XSS, (charts.Bar(0, "0 menit", "#000"),), XSS),))],
        chart_id="b",
        title="t",
        desc="d",
        legend=(("#000", "Rata-rata"),),
    )
    assert "<script>" not in str(bars)
    assert [r.get("width") for r in etree.fromstring(str(bars)).iter(f"{{{SVG}}}rect")][1:] == [
        "0%"
    ]
    # Many columns: a minimum width, and a wrapper that scrolls and takes the focus for it.
    many = [charts.Column((str(day),), 50.0, "50,0 %", str(day)) for day in range(9)]
    wide = etree.fromstring(str(charts.percent_columns(many, chart_id="w", title="T", desc="D")))
    assert (wide.get("tabindex"), wide.get("role"), wide.get("aria-label")) == ("0", "region", "T")
    assert "chart-wide" in wide[0].get("class", "")


# -- the page ------------------------------------------------------------------------------------


def test_a_member_sees_their_units_figures(clients: dict[str, FlaskClient]):
    page = page_of(clients["fo"])
    assert rows(page, "permohonan-terbuka") == [
        [sop(KPR), UNITS[JATIM][0], "1", "1"],
        [sop(DPM), UNITS[JATIM][0], "5", "2"],
    ]
    assert rows(page, "permohonan-terbuka", "tfoot") == [["Jumlah", "6", "3"]]
    assert rows(page, "ketepatan-waktu") == [[sop(DPM), UNITS[JATIM][0], "4", "3", "75,0 %"]]
    assert rows(page, "waktu-langkah") == [
        [sop(KPR), "Jawaban surat", "3", "2 hari 9 jam", "4 hari"],
        [sop(DPM), "Telaah pengaduan", "4", "1 jam", "1 jam"],
        [sop(DPM), "Verifikasi berkas", "10", "5 jam 30 menit", "9 jam"],
    ]
    assert "75,0 %" in page and "(3 dari 4)" in " ".join(page.split())
    # The charts draw the same figures: a column per week (which weeks depends on the day the
    # test runs, so only their sums), a label and two bars per step.
    assert chart(page, "grafik-ketepatan").get("role") == "img"
    weeks = rows(page, "ketepatan-waktu-berkala")
    assert (sum(int(w[1]) for w in weeks), sum(int(w[2]) for w in weeks)) == (4, 3)
    bars = chart(page, "grafik-langkah")
    assert texts(bars, "chart-heading") == [sop(KPR), sop(DPM)]
    assert texts(bars, "chart-row-label") == [row[1] for row in rows(page, "waktu-langkah")]
    assert texts(bars, "chart-bar-text") == [
        text for row in rows(page, "waktu-langkah") for text in row[3:]
    ]


def test_overdue_list_oldest_first_linking_to_the_task(
    clients: dict[str, FlaskClient], sqlite_db: Seeded
):
    page = page_of(clients["fo"])
    late = rows(page, "tugas-terlambat")
    assert [row[0] for row in late] == ["Verifikasi pengaduan", "Disposisi pimpinan", XSS]
    first = late[0]
    assert first[1:4] == [sop(DPM), UNITS[JATIM][0], sqlite_db.codes["late"]]
    assert first[5] == "3 hari 5 jam" and first[6] == "Fo"  # the person, by name
    assert late[1][5] == "1 hari" and late[2][6] == "belum diklaim"
    assert late[2][5].startswith("2 jam ")  # 2 h 30 min, plus the seconds the test took
    assert "WIB" in first[4]
    ids = [sqlite_db.tasks[key] for key in ("oldest", "letter", "xss")]
    assert links(page) == [f"/tugas/{task_id}" for task_id in ids]


def test_task_names_are_shown_as_text(clients: dict[str, FlaskClient]):
    page = page_of(clients["fo"])
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_the_period_filter_leaves_out_tasks_outside_it(clients: dict[str, FlaskClient]):
    today = dates.local_date(datetime.now(UTC))
    longer = page_of(clients["fo"], dari=(today - 70 * DAY).isoformat(), sampai=today.isoformat())
    assert rows(longer, "ketepatan-waktu") == [[sop(DPM), UNITS[JATIM][0], "5", "3", "60,0 %"]]
    assert [sop(DPM), "Telaah pengaduan", "5", "2 hari", "10 hari"] in rows(longer, "waktu-langkah")
    earlier = page_of(
        clients["fo"], dari=(today - 50 * DAY).isoformat(), sampai=(today - 40 * DAY).isoformat()
    )
    assert rows(earlier, "ketepatan-waktu") == [] and rows(earlier, "waktu-langkah") == []
    assert "Tidak ada tugas bertenggat yang diselesaikan" in earlier
    # Open cases and overdue tasks are today's, whatever the period.
    assert len(rows(earlier, "tugas-terlambat")) == 3
    assert rows(earlier, "permohonan-terbuka", "tfoot") == [["Jumlah", "6", "3"]]


def test_another_units_member_sees_only_their_own(clients: dict[str, FlaskClient]):
    page = page_of(clients["jabar"])
    assert rows(page, "permohonan-terbuka") == [[sop(DPM), UNITS[JABAR][0], "2", "1"]]
    assert rows(page, "ketepatan-waktu") == [[sop(DPM), UNITS[JABAR][0], "1", "0", "0,0 %"]]
    assert [row[0] for row in rows(page, "tugas-terlambat")] == ["Tugas Jawa Barat"]
    assert rows(page, "waktu-langkah") == [[sop(DPM), "Telaah pengaduan", "1", "20 jam", "20 jam"]]
    assert "Jawa Timur" not in page
    mine = page_of(clients["fo"])
    assert "Jawa Barat" not in mine and "Disposisi nasional" not in mine
    assert "Telaah KASN" not in mine
    # Asking for a unit outside one's scope shows one's own figures, nothing more.
    asked = page_of(clients["fo"], unit=JABAR)
    assert "Jawa Barat" not in asked and len(rows(asked, "tugas-terlambat")) == 3


def test_a_parent_units_member_sees_the_child_units_figures(clients: dict[str, FlaskClient]):
    page = page_of(clients["gubernur"])
    assert rows(page, "permohonan-terbuka", "tfoot") == [["Jumlah", "6", "3"]]
    assert rows(page, "ketepatan-waktu") == [[sop(DPM), UNITS[JATIM][0], "4", "3", "75,0 %"]]
    assert len(rows(page, "tugas-terlambat")) == 3 and "Jawa Barat" not in page
    child = page_of(clients["gubernur"], unit=JATIM, sop=KPR)
    assert rows(child, "permohonan-terbuka") == [[sop(KPR), UNITS[JATIM][0], "1", "1"]]
    assert [row[0] for row in rows(child, "tugas-terlambat")] == ["Disposisi pimpinan"]


def test_national_rows_for_national_roles_only(clients: dict[str, FlaskClient]):
    page = page_of(clients["nasional"])
    assert rows(page, "permohonan-terbuka") == [[sop(LAP), "Nasional (tanpa unit)", "1", "1"]]
    assert rows(page, "ketepatan-waktu") == [
        [sop(LAP), "Nasional (tanpa unit)", "1", "1", "100,0 %"]
    ]
    assert rows(page, "waktu-langkah") == [
        [sop(LAP), "Verifikasi laporan", "1", "45 menit", "45 menit"]
    ]
    assert [row[0] for row in rows(page, "tugas-terlambat")] == ["Disposisi nasional"]


def test_the_administrator_sees_everything_and_filters(clients: dict[str, FlaskClient]):
    page = page_of(clients["admin"])
    assert rows(page, "permohonan-terbuka", "tfoot") == [["Jumlah", "14", "6"]]
    assert rows(page, "ketepatan-waktu", "tfoot") == [["Jumlah", "6", "4", "66,7 %"]]
    assert len(rows(page, "tugas-terlambat")) == 100
    rest = 3 + 1 + 1 + KASN_OVERDUE - 100
    assert f"dan {rest} tugas terlambat lainnya tidak ditampilkan" in page
    jabar = page_of(clients["admin"], unit=JABAR)
    assert rows(jabar, "permohonan-terbuka") == [[sop(DPM), UNITS[JABAR][0], "2", "1"]]
    national = page_of(clients["admin"], unit="-")
    assert [row[0] for row in rows(national, "tugas-terlambat")] == ["Disposisi nasional"]


def test_only_the_first_hundred_overdue_tasks_are_listed(clients: dict[str, FlaskClient]):
    page = page_of(clients["kasn"])
    late = rows(page, "tugas-terlambat")
    assert len(late) == 100 and late[0][0] == f"Telaah KASN {KASN_OVERDUE - 1:03d}"
    assert "dan 3 tugas terlambat lainnya tidak ditampilkan" in page


# -- the service clocks on the page -------------------------------------------------------------


def limits_of(page: str) -> tuple[list[list[str]], str]:
    """The rows of the section "Batas waktu layanan", and its summary line (or its empty
    sentence)."""
    tree = lxml.html.fromstring(page)
    [section] = tree.xpath('//section[@aria-labelledby="judul-batas-waktu"]')
    summary = section.xpath('./p[@id="ringkasan-batas-waktu" or @class="empty"]')
    return rows(page, "batas-waktu-layanan"), " ".join(summary[0].text_content().split())


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch, sqlite_db: Seeded) -> datetime:
    """The page reads the clocks at the seed's "now", the instant they were set from."""
    monkeypatch.setattr("web.sla.utcnow", lambda: sqlite_db.now)
    return sqlite_db.now


def test_the_service_clocks_most_urgent_first_with_their_state_in_bahasa(
    clients: dict[str, FlaskClient], sqlite_db: Seeded, frozen: datetime
):
    page = page_of(clients["kota"])
    [heading] = lxml.html.fromstring(page).xpath('//h2[@id="judul-batas-waktu"]')
    assert heading.text_content() == "Batas waktu layanan"
    codes, dues, kota = sqlite_db.codes, sqlite_db.dues, UNITS[KOTA][0]
    running = dates.show_datetime(dues["jam-berjalan"])
    found, summary = limits_of(page)
    assert found == [
        [
            codes["jam-terlampaui"],
            sop(DPM),
            kota,
            "10 hari kerja",
            f"Terlampaui sejak {dates.show_datetime(frozen - 3 * DAY)}",
        ],
        [
            codes["jam-berjalan"],
            sop(KPR),
            kota,
            "14 hari kerja",
            f"Berjalan — tenggat {running}, sisa 12 hari kerja",
        ],
        [
            codes["jam-dijeda"],
            sop(DPM),
            kota,
            "—",
            f"Dijeda sejak {dates.show_datetime(frozen - 2 * DAY)} (tidak dihitung)",
        ],
    ]
    assert summary == "1 berjalan, 1 dijeda, 1 terlampaui"
    assert "yang paling mendesak;" not in page  # not capped
    # The SOP filter narrows the list and its counts.
    dpm_rows, dpm_summary = limits_of(page_of(clients["kota"], sop=DPM))
    assert [row[0] for row in dpm_rows] == [codes["jam-terlampaui"], codes["jam-dijeda"]]
    assert dpm_summary == "0 berjalan, 1 dijeda, 1 terlampaui"
    kpr_rows, kpr_summary = limits_of(page_of(clients["kota"], sop=KPR))
    assert kpr_rows == found[1:2] and kpr_summary == "1 berjalan, 0 dijeda, 0 terlampaui"


def test_the_service_clocks_follow_each_members_reach(
    clients: dict[str, FlaskClient], sqlite_db: Seeded, frozen: datetime
):
    codes = sqlite_db.codes
    assert limits_of(page_of(clients["fo"])) == (
        [],
        "Tidak ada permohonan terbuka dengan batas waktu layanan.",
    )
    found, summary = limits_of(page_of(clients["admin"]))
    assert [row[0] for row in found] == [
        codes["jam-terlampaui"],
        codes["jam-lain"],
        codes["jam-berjalan"],
        codes["jam-dijeda"],
    ]
    assert found[1][2:4] == [UNITS[KOTA_LAIN][0], "—"] and summary.startswith("2 berjalan")
    other, _ = limits_of(page_of(clients["admin"], unit=KOTA_LAIN))
    assert [row[0] for row in other] == [codes["jam-lain"]]
    # Asking for a unit outside one's reach shows one's own clocks, nothing more.
    asked, _ = limits_of(page_of(clients["kota"], unit=KOTA_LAIN))
    assert codes["jam-lain"] not in {row[0] for row in asked} and len(asked) == 3


def test_a_long_list_of_service_clocks_keeps_the_most_urgent(
    clients: dict[str, FlaskClient], frozen: datetime, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(sla, "CLOCK_LIMIT", 2)
    page = page_of(clients["kota"])
    found, summary = limits_of(page)
    assert [row[4].split()[0] for row in found] == ["Terlampaui", "Berjalan"]
    assert summary == "1 berjalan, 1 dijeda, 1 terlampaui"  # every clock counted
    text = " ".join(page.split())
    assert "Ditampilkan 2 yang paling mendesak; 1 batas waktu lainnya tidak ditampilkan." in text


def test_strangers_are_sent_to_sign_in(app: Flask):
    response = app.test_client().get("/sla")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_an_open_incident_shows_to_its_unit_escaped_and_leaves_when_resolved(
    clients: dict[str, FlaskClient], sqlite_db: Seeded
):
    engine = make_engine(sqlite_db.url)
    failure = incidents.Failure(
        job_key=987_654,
        process_instance_key=87_654,
        bpmn_process_id=DPM,
        element_id="Task_KirimSurat",
        step="Kirim surat ke pemohon",
        job_type="alur.surat.kirim",
        reason="Server surel (SMTP) tidak dapat dihubungi atau menolak pesan.",
        detail=f"MailError: SMTP 127.0.0.1:9: ConnectionRefusedError {XSS}",
        tracking_code="ALR-INSI-DEN0",
        unit_code=JATIM,
        earlier_attempts=2,
    )
    try:
        with make_sessionmaker(engine)() as db:
            assert incidents.record_failure(db, failure, sqlite_db.now)
        page = page_of(clients["fo"])
        [row] = rows(page, "gangguan-teknis")
        assert row[0] == "Kirim surat ke pemohon" and row[3] == "ALR-INSI-DEN0"
        assert "SMTP" in row[4] and row[6] == "3"
        assert XSS not in page and "&lt;script&gt;" in page
        assert rows(page_of(clients["gubernur"]), "gangguan-teknis") == [row]  # unit above
        assert rows(page_of(clients["jabar"]), "gangguan-teknis") == []  # another province
        with make_sessionmaker(engine)() as db:
            assert incidents.resolve(db, failure.job_key, sqlite_db.now) is not None
        assert rows(page_of(clients["fo"]), "gangguan-teknis") == []
    finally:
        engine.dispose()


# -- the charts and the period on the page, on fixed dates ---------------------------------------

SVG = "http://www.w3.org/2000/svg"
#: Spans are written with an en dash; the expectations below with a hyphen (ruff's RUF001).
EN_DASH = "\u2013"


def plain(value: Any) -> Any:
    """``value`` (text, or lists and tuples of it) with its en dashes as hyphens."""
    if isinstance(value, str):
        return value.replace(EN_DASH, "-")
    if isinstance(value, list | tuple):
        return type(value)(plain(item) for item in value)
    return value


#: The weeks of 15 December 2098 to 15 January 2099 (see FIXED).
WEEKS = {"dari": "15/12/2098", "sampai": "15/01/2099"}


def chart(page: str, chart_id: str) -> etree._Element:
    """The chart's ``<svg>``, parsed as XML (it must be well formed)."""
    match = re.search(rf'<svg id="{chart_id}".*?</svg>', page, re.S)
    assert match, f"no chart {chart_id}"
    return etree.fromstring(match.group(0))


def texts(element: etree._Element, css_class: str) -> list[str]:
    found = element.iter(f"{{{SVG}}}text")
    return [plain(t.text or "") for t in found if t.get("class") == css_class]


def columns(svg: etree._Element) -> list[dict[str, object]]:
    """Per column: its lines under it, its value text, its height (None: no column), its
    tooltip."""
    found = []
    for group in svg.iter(f"{{{SVG}}}g"):
        rect = group.find(f"{{{SVG}}}rect")
        found.append(
            {
                "label": tuple(texts(group, "chart-label")),
                "value": texts(group, "chart-value")[0],
                "height": None if rect is None else round(float(rect.get("height", "")), 2),
                "detail": plain(group.findtext(f"{{{SVG}}}title")),
            }
        )
    return found


def field_of(page: str, name: str) -> lxml.html.HtmlElement:
    [found] = lxml.html.fromstring(page).xpath(f'//form[@class="filters"]//input[@name="{name}"]')
    return found


def test_the_on_time_chart_has_a_column_per_week_across_the_year_end(
    clients: dict[str, FlaskClient],
):
    page = page_of(clients["kota"], **WEEKS)
    svg = chart(page, "grafik-ketepatan")
    assert svg.get("role") == "img" and "chart-wide" not in svg.get("class", "")
    title = svg.findtext(f"{{{SVG}}}title") or ""
    assert f"2098 {EN_DASH} 15" in title
    assert plain(title) == (
        "Persentase tugas selesai tepat waktu per minggu, 15 Desember 2098 - 15 Januari 2099"
    )
    plot = charts.PLOT_BOTTOM - charts.PLOT_TOP  # 100 % is the plot's full height
    assert columns(svg) == [
        {
            "label": ("15 Des", "- 21 Des"),
            "value": "75,0 %",
            "height": 0.75 * plot,
            "detail": "15-21 Desember 2098: 3 dari 4 tugas tepat waktu (75,0 %)",
        },
        {
            "label": ("22 Des", "- 28 Des"),
            "value": "—",
            "height": None,
            "detail": "22-28 Desember 2098: tidak ada tugas bertenggat yang diselesaikan",
        },
        {
            "label": ("29 Des", "- 4 Jan"),
            "value": "66,7 %",
            "height": round(plot * 2 / 3, 2),
            "detail": ("29 Desember 2098 - 4 Januari 2099: 2 dari 3 tugas tepat waktu (66,7 %)"),
        },
        {
            "label": ("5 Jan", "- 11 Jan"),
            "value": "100,0 %",
            "height": plot,
            "detail": "5-11 Januari 2099: 1 dari 1 tugas tepat waktu (100,0 %)",
        },
        {
            "label": ("12 Jan", "- 15 Jan"),
            "value": "0,0 %",
            "height": 0.0,
            "detail": "12-15 Januari 2099: 0 dari 1 tugas tepat waktu (0,0 %)",
        },
    ]
    desc = plain(svg.findtext(f"{{{SVG}}}desc") or "")
    assert desc.startswith("15-21 Desember 2098: 3 dari 4 tugas tepat waktu (75,0 %); 22-28")
    # The same figures as a table, and the whole period's beside them.
    assert plain(rows(page, "ketepatan-waktu-berkala")) == [
        ["15-21 Desember 2098", "4", "3", "75,0 %"],
        ["22-28 Desember 2098", "0", "0", "—"],
        ["29 Desember 2098 - 4 Januari 2099", "3", "2", "66,7 %"],
        ["5-11 Januari 2099", "1", "1", "100,0 %"],
        ["12-15 Januari 2099", "1", "0", "0,0 %"],
    ]
    assert rows(page, "ketepatan-waktu") == [[sop(DPM), UNITS[KOTA][0], "9", "6", "66,7 %"]]


def test_the_step_chart_draws_the_average_and_p90_of_each_step(
    clients: dict[str, FlaskClient],
):
    page = page_of(clients["kota"], **WEEKS)
    assert rows(page, "waktu-langkah") == [
        [sop(DPM), "Telaah pengaduan", "5", "1 hari", "1 hari"],
        [sop(DPM), "Verifikasi berkas", "5", "3 jam 36 menit", "10 jam"],
    ]
    svg = chart(page, "grafik-langkah")
    assert svg.get("role") == "img"
    assert (svg.findtext(f"{{{SVG}}}title") or "").startswith(
        "Waktu per langkah: rata-rata dan P90"
    )
    assert texts(svg, "chart-heading") == [sop(DPM)]
    drawn = {}
    for row in svg.iter(f"{{{SVG}}}g"):
        [label] = texts(row, "chart-row-label")
        bars = row.findall(f"{{{SVG}}}rect")
        drawn[label] = (
            [(bar.get("width"), bar.get("fill")) for bar in bars],
            texts(row, "chart-bar-text"),
        )
    # One scale for every bar: the longest (a day) takes 65 % of the width.
    assert drawn == {
        "Telaah pengaduan": (
            [("65%", charts.BLUE), ("65%", charts.ORANGE)],
            ["1 hari", "1 hari"],
        ),
        "Verifikasi berkas": (
            # 3.6 h and 10 h of 24 h: 9.75 % and 27.083 %.
            [("9.75%", charts.BLUE), ("27.083%", charts.ORANGE)],
            ["3 jam 36 menit", "10 jam"],
        ),
    }
    assert "Verifikasi berkas: rata-rata 3 jam 36 menit, P90 10 jam (5 tugas)" in (
        svg.findtext(f"{{{SVG}}}desc") or ""
    )


def test_a_short_period_is_charted_per_day_and_a_long_one_per_month(
    clients: dict[str, FlaskClient],
):
    days = page_of(clients["kota"], dari="28/12/2098", sampai="05/01/2099")
    svg = chart(days, "grafik-ketepatan")
    assert "chart-wide" in svg.get("class", "")  # nine columns: it keeps room for each
    assert "per hari" in (svg.findtext(f"{{{SVG}}}title") or "")
    found = columns(svg)
    assert [c["label"] for c in found] == [
        ("28 Des",),
        ("29 Des",),
        ("30 Des",),
        ("31 Des",),
        ("1 Jan",),
        ("2 Jan",),
        ("3 Jan",),
        ("4 Jan",),
        ("5 Jan",),
    ]
    assert [c["value"] for c in found] == [
        "—",
        "100,0 %",
        "—",
        "100,0 %",
        "0,0 %",
        "—",
        "—",
        "—",
        "—",
    ]
    months = page_of(clients["kota"], dari="01/06/2098", sampai="31/01/2099")
    found = columns(chart(months, "grafik-ketepatan"))
    assert [c["label"] for c in found] == [
        ("Jun", "2098"),
        ("Jul", "2098"),
        ("Agu", "2098"),
        ("Sep", "2098"),
        ("Okt", "2098"),
        ("Nov", "2098"),
        ("Des", "2098"),
        ("Jan", "2099"),
    ]
    assert [c["value"] for c in found][-3:] == ["—", "71,4 %", "50,0 %"]
    assert plain(rows(months, "ketepatan-waktu-berkala"))[-2:] == [
        ["Desember 2098", "7", "5", "71,4 %"],
        ["Januari 2099", "4", "2", "50,0 %"],
    ]


def test_no_chart_without_tasks_in_the_period(clients: dict[str, FlaskClient]):
    page = page_of(clients["kota"], dari="01/03/2099", sampai="31/03/2099")
    assert "<svg" not in page
    assert "Tidak ada tugas bertenggat yang diselesaikan" in page


def test_the_period_fields_take_dates_day_first_and_old_iso_links(
    clients: dict[str, FlaskClient],
):
    typed = page_of(clients["kota"], dari="28/12/2098", sampai="05/01/2099")
    for name in ("dari", "sampai"):
        found = field_of(typed, name)
        assert (found.get("type"), found.get("placeholder")) == ("text", "hh/bb/tttt")
        assert found.get("aria-invalid") is None
    assert field_of(typed, "dari").get("value") == "28/12/2098"
    assert field_of(typed, "sampai").get("value") == "05/01/2099"
    period = "Tugas yang diselesaikan pada 28 Desember 2098 - 5 Januari 2099 (WIB)."
    assert period in plain(" ".join(typed.split()))
    iso = page_of(clients["kota"], dari="2098-12-28", sampai="2099-01-05")
    assert period in plain(" ".join(iso.split()))
    assert field_of(iso, "dari").get("value") == "28/12/2098"
    assert rows(iso, "ketepatan-waktu-berkala") == rows(typed, "ketepatan-waktu-berkala")
    # 3 December, not 12 March.
    early = page_of(clients["kota"], dari="03/12/2098", sampai="05/01/2099")
    assert "pada 3 Desember 2098 - 5 Januari 2099" in plain(" ".join(early.split()))


def test_a_date_typed_month_first_is_refused_with_its_reason(clients: dict[str, FlaskClient]):
    page = page_of(clients["kota"], dari="12/28/2098", sampai="05/01/2099")
    [problem] = lxml.html.fromstring(page).xpath('//p[@id="masalah-dari"]')
    assert "Bulan 28 tidak ada" in problem.text_content()
    assert "Untuk sementara dipakai 7 Desember 2098" in problem.text_content()
    dari = field_of(page, "dari")
    assert dari.get("value") == "12/28/2098"  # what was typed stays, to be corrected
    assert (dari.get("aria-invalid"), dari.get("aria-describedby")) == ("true", "masalah-dari")
    assert field_of(page, "sampai").get("aria-invalid") is None
    assert "pada 7 Desember 2098 - 5 Januari 2099" in plain(" ".join(page.split()))
    hostile = page_of(clients["kota"], dari=XSS)
    assert "<script>alert" not in hostile and field_of(hostile, "dari").get("value") == XSS


@pytest.mark.platform
@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_the_dashboard_in_chromium_at_a_desktops_and_a_phones_width(
    app: Flask, browser: Browser, size: str
):
    width, _ = WIDTHS[size]
    context = open_context(browser, size)
    try:
        page = context.new_page()

        def field(label: str) -> Locator:
            return page.get_by_role("textbox", name=re.compile(f"^{label} "))

        def fits() -> bool:
            """Nothing sticks out sideways: the page scrolls only up and down (a phone
            browser widens its layout to what sticks out, so compare with the width)."""
            return bool(page.evaluate(f"() => document.documentElement.scrollWidth <= {width}"))

        with serving(app) as base:
            sign_in_browser(page, base, "kota", PASSWORD)
            page.goto(f"{base}/sla")
            # Typed as people in Indonesia write dates, across a year end.
            field("Dari").fill("15/12/2098")
            field("Sampai").fill("15/01/2099")
            page.get_by_role("button", name="Terapkan").click()
            expect(page.locator(".sla-period")).to_contain_text(
                f"15 Desember 2098 {EN_DASH} 15 Januari 2099"
            )
            expect(field("Dari")).to_have_value("15/12/2098")
            rate = page.get_by_role("img", name=re.compile("tepat waktu per minggu"))
            steps = page.get_by_role("img", name=re.compile("Waktu per langkah"))
            expect(rate).to_be_visible()
            expect(steps).to_be_visible()
            # The page scrolls only up and down; the charts fit their column.
            assert fits(), page.evaluate("() => document.documentElement.scrollWidth")
            for chart_box in (rate.bounding_box(), steps.bounding_box()):
                assert chart_box is not None and chart_box["x"] + chart_box["width"] <= width
            # Columns left to right in order, their text at its own size at either width.
            labels = page.locator("#grafik-ketepatan .chart-label")
            expect(labels).to_have_count(10)
            lefts = [
                box["x"] for box in (labels.nth(i).bounding_box() for i in (0, 2, 4, 6, 8)) if box
            ]
            assert lefts == sorted(lefts) and len(lefts) == 5
            first = labels.first.bounding_box()
            assert first is not None and first["height"] >= 10
            bar_texts = page.locator("#grafik-langkah .chart-bar-text")
            expect(bar_texts).to_have_count(4)
            for index in range(4):  # each duration after its bar, inside the chart
                box = bar_texts.nth(index).bounding_box()
                assert box is not None and box["x"] + box["width"] <= width
            # The service clocks of the open cases, most urgent first (read at the moment
            # the page is served, so only their states here).
            limits = page.get_by_role("region", name="Tabel batas waktu layanan")
            expect(limits.get_by_role("row")).to_have_count(4)  # the header and 3 clocks
            expect(page.locator("#ringkasan-batas-waktu")).to_have_text(
                "1 berjalan, 1 dijeda, 1 terlampaui"
            )
            expect(limits.get_by_role("row").nth(1)).to_contain_text("Terlampaui sejak")
            expect(limits.get_by_role("row").nth(3)).to_contain_text("Dijeda sejak")
            # In Bahasa, no ISO dates, no serious or critical axe-core finding.
            assert problems_of(page) == []
            screenshot(page, f"dasbor-sla-{size}")

            # Nine days: the chart keeps room per column and scrolls inside its wrapper on
            # a phone, never the page.
            field("Dari").fill("28/12/2098")
            field("Sampai").fill("05/01/2099")
            page.get_by_role("button", name="Terapkan").click()
            expect(page.get_by_role("img", name=re.compile("per hari"))).to_be_visible()
            assert fits(), page.evaluate("() => document.documentElement.scrollWidth")
            scrolls = page.evaluate(
                "() => { const w = document.querySelector('#grafik-ketepatan').parentElement;"
                " return w.scrollWidth > w.clientWidth + 1; }"
            )
            assert scrolls == (size == "ponsel")
            assert problems_of(page) == []  # the scrolling frame takes the focus
            screenshot(page, f"dasbor-sla-harian-{size}")

            # Month first, as an English browser shows dates: refused, with the reason.
            field("Dari").fill("12/28/2098")
            page.get_by_role("button", name="Terapkan").click()
            expect(page.locator("#masalah-dari")).to_contain_text("Bulan 28 tidak ada")
            expect(field("Dari")).to_have_attribute("aria-invalid", "true")
            expect(field("Dari")).to_have_value("12/28/2098")
            assert fits() and problems_of(page) == []
            screenshot(page, f"dasbor-sla-tanggal-salah-{size}", full_page=False)
    finally:
        context.close()
