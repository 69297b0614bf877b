"""The SLA clock of a case on the staff task page and the applicant's tracking page (issue 28).

On the real broker, with the workers, the task bridge and the staff app: the test diagram
``uji_jam_sla.bpmn`` computes 5 working days on the KemenPAN-RB calendar
(``alur.sla.hitung``, variable ``tenggatUji``), pauses the clock after a first task
(``alur.sla.jeda``) and resumes it after a second (``alur.sla.lanjut``), with the broker's
controlled clock moved on in between. Both pages say the clock runs with 5 working days left,
then that it is paused since when, then — the due date moved later by the working time spent
paused — that it runs again. The pages read the time as the broker has it (the web app's
``utcnow`` follows the controlled clock here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from alur import clocks, dates
from features.support import caseids
from features.support.engine import Engine
from features.support.sopworld import Account, SopWorld, broker_now, running
from stack.local import Stack
from stack.zeebe import BrokerClock
from storage import case_clocks, cases
from storage.models import CaseClock

pytestmark = pytest.mark.platform

HERE = Path(__file__).resolve().parent / "diagrams"
PROCESS_ID = "Uji_JamSla"
UNIT = "kemenpanrb-kelembagaan"
AGENCY = "kemenpanrb"
CLOCK = "tenggatUji"
DAY_MS = 24 * 3600 * 1000
STAFF = {
    "deputi": Account(
        "Dr. Sri Wahyuni, M.A.P.", "kemenpanrb.deputi", UNIT,
        "Deputi Bidang Kelembagaan dan Tata Laksana", "196904231994032001",
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SopWorld]:
    resources = [HERE / "uji_jam_sla.bpmn", HERE / "uji-periksa.form"]
    folder = tmp_path_factory.mktemp("jam-sla")
    with running(stack, engine, folder, resources, STAFF) as made:
        yield made


def the_clock(world: SopWorld, case_id: int) -> CaseClock:
    with world.sessions() as db:
        row = case_clocks.get(db, case_id, CLOCK)
        assert row is not None
        return row


def clock_text(page: str) -> str:
    """The line "Batas waktu layanan ..." of a page, whitespace collapsed."""
    found = re.search(r'<p class="sla-clock"[^>]*>(.*?)</p>', page, re.S)
    assert found is not None, "the page shows no clock"
    return " ".join(re.sub(r"<[^>]+>", "", found[1]).split())


def pages(world: SopWorld, case_id: int, element_id: str, code: str, pin: str) -> list[str]:
    """The clock line of the task page of ``element_id`` and of the tracking page."""
    task = world.open_task(case_id, element_id)
    staff = world.staff("deputi").get(f"/tugas/{task.id}").get_data(as_text=True)
    return [clock_text(staff), clock_text(world.tracking_page(code, pin))]


def test_the_pages_show_the_clock_running_paused_and_running_again_later(
    world: SopWorld, engine: Engine, clock: BrokerClock, monkeypatch: pytest.MonkeyPatch
):
    for module in ("web.tasks", "web.public"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: broker_now(clock))
    with world.sessions() as db:
        case, pin = cases.create(
            db,
            cases.NewCase("uji-jam-sla", PROCESS_ID, UNIT, "Siti Rahmawati", None, "Uji", {}),
        )
        db.commit()
        case_id, code = caseids.move_first(db, case).id, case.tracking_code
    engine.start(PROCESS_ID, {"caseId": case_id, "unitCode": UNIT})

    # Computed: 5 working days, both pages say it runs.
    world.open_task(case_id, "Task_Pertama")
    started = the_clock(world, case_id)
    assert (started.limit, started.agency, started.paused_since) == ("5 hari kerja", AGENCY, None)
    assert started.service  # the header layanan: the service's time limit, shown
    due = dates.show_datetime(started.due_at)
    for line in pages(world, case_id, "Task_Pertama", code, pin):
        assert line == (
            f"Batas waktu layanan (5 hari kerja): Berjalan — tenggat {due}, sisa 5 hari kerja"
        )
    with world.sessions() as db:  # a case without a clock, or with a step's only: none shown
        other, other_pin = cases.create(
            db, cases.NewCase("uji-jam-sla", PROCESS_ID, UNIT, "Budi", None, "Uji", {})
        )
        db.commit()
        other_code = other.tracking_code
        assert "sla-clock" not in world.tracking_page(other_code, other_pin)
        case_clocks.computed(
            db, case_id=other.id, name="tenggatLangkah", due_at=started.due_at,
            limit="1 hari", agency=AGENCY,
        )  # fmt: skip
        assert "sla-clock" not in world.tracking_page(other_code, other_pin)

    # Paused after the first task.
    world.complete(case_id, "Task_Pertama", "deputi", {"berkasLengkap": True})
    world.open_task(case_id, "Task_Kedua")
    paused = the_clock(world, case_id)
    assert paused.paused_since is not None and paused.due_at == started.due_at
    since = dates.show_datetime(paused.paused_since)
    for line in pages(world, case_id, "Task_Kedua", code, pin):
        assert line == f"Batas waktu layanan (5 hari kerja): Dijeda sejak {since} (tidak dihitung)"

    # Two days later (more, should they hold no working time), resumed: the due date moves.
    with world.sessions() as db:
        calendar = clocks.agency_calendar(
            db,
            world.deps.settings.calendar_file,
            AGENCY,
            clocks.years_around(paused.paused_since, started.due_at),
        )
    clock.add(2 * DAY_MS)
    while calendar.elapsed_working_minutes(paused.paused_since, broker_now(clock)) == 0:
        clock.add(DAY_MS)
    before: datetime = broker_now(clock)
    world.complete(case_id, "Task_Kedua", "deputi", {"berkasLengkap": True})
    world.open_task(case_id, "Task_Ketiga")
    after = broker_now(clock)
    resumed = the_clock(world, case_id)
    assert resumed.paused_since is None
    low = calendar.elapsed_working_minutes(paused.paused_since, before)
    high = calendar.elapsed_working_minutes(paused.paused_since, after)
    assert low <= resumed.paused_minutes <= high and resumed.paused_minutes > 0
    assert resumed.due_at == calendar.add_working_minutes(started.due_at, resumed.paused_minutes)
    assert resumed.due_at > started.due_at
    moved = dates.show_datetime(resumed.due_at)
    for line in pages(world, case_id, "Task_Ketiga", code, pin):
        assert line == (
            f"Batas waktu layanan (5 hari kerja): Berjalan — tenggat {moved}, sisa 5 hari kerja"
        )

    # A redelivered job writes the same values: recording them again changes nothing.
    with world.sessions() as db:
        case_clocks.resumed(
            db,
            case_id=case_id,
            name=CLOCK,
            due_at=resumed.due_at,
            paused_minutes=resumed.paused_minutes,
            agency=AGENCY,
        )
        rows = case_clocks.of_case(db, case_id)
        assert [(r.due_at, r.paused_since, r.paused_minutes) for r in rows] == [
            (resumed.due_at, None, resumed.paused_minutes)
        ]
