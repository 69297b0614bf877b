"""The SLA dashboard: open cases, on-time rate, overdue tasks and time per step, per SOP and
unit, each member seeing the units they work for; the figures match hand-computed ones, on
SQLite through the page and on SQLite and PostgreSQL through the storage queries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from alur import letters, services
from features.web.conftest import PASSWORD, sign_in
from stack.local import Stack
from storage import accounts, incidents, migrate, sla
from storage.db import make_engine, make_sessionmaker
from storage.models import Case, HumanTask, HumanTaskGroup
from web import create_app
from web.sla import format_duration, format_percent, parse_period, period_bounds

DPM, KPR, LAP, KASN = (
    "DPMPTSP_Pengaduan",
    "KemenPANRB_KonsultasiSurat",
    "LAPOR_DisposisiPengaduan",
    "KASN_KonsultasiMerit",
)
JATIM, JABAR, PEMPROV = "dpmptsp-jatim", "dpmptsp-jabar", "pemprov-jatim"
UNITS = {
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
}
XSS = '<script>alert("x")</script>'
KASN_OVERDUE = 103
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def sop(process_id: str) -> str:
    found = services.by_process(services.CATALOG, process_id)
    assert found is not None
    return found.name


@dataclass
class Seeded:
    url: str
    now: datetime
    tasks: dict[str, int] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)


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
        )
        self.db.add(found)
        self.db.flush()
        self.seeded.codes[label] = code
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
    return create_app(replace(stack.settings, database_url=sqlite_db.url))


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
    assert len(sla.open_cases(db, any_db.now, None)) == 4
    assert sla.open_cases(db, any_db.now, {JATIM}, process_id=KPR) == [
        sla.OpenCases(KPR, JATIM, 1, 1)
    ]


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
    assert parse_period(MultiDict(), today) == (date(2026, 6, 1), today, [])
    first, last, problems = parse_period(
        MultiDict({"dari": "2026-06-20", "sampai": "2026-06-10"}), today
    )
    assert (first, last) == (date(2026, 6, 10), date(2026, 6, 20)) and problems
    first, last, problems = parse_period(MultiDict({"dari": "kemarin"}), today)
    assert (first, last) == (date(2026, 6, 1), today) and "tidak valid" in problems[0]
    first, _, problems = parse_period(MultiDict({"dari": "2020-01-01"}), today)
    assert first == today - sla.MAX_PERIOD + DAY and problems


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
    today = letters.local_date(datetime.now(UTC))
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
    assert rows(page, "permohonan-terbuka", "tfoot") == [["Jumlah", "9", "5"]]
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
