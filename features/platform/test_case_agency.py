"""One service run by many agencies (issue 27): a task without the header ``instansi`` works for
the case's agency, that of its unit (or the nearest unit above it with one).

On the real broker, with the real workers: two cases of the same diagram, one received by the
DPMPTSP of Jawa Timur and one by the DPMPTSP of Sleman (both from ``deploy/agencies.toml``),
are each numbered in their own agency's register with its own pattern (both starting at 1), get
their letter on their own letterhead, and their time limit, set in the variable ``batas`` as
SOP 3's analyst sets it, on their own agency's calendar. A case of a unit of no agency fails
with an incident that says so. The header still wins when a task has it. Each agency's staff
see only their own agency's tasks, letters and registers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pyzeebe import Job
from sqlalchemy import select

from alur import dates
from features.support.engine import Engine
from features.support.letterworld import SPEC
from features.support.sopworld import Account, SopWorld, broker_now, pdf_text, running
from stack.local import Stack
from stack.procs import wait_until
from stack.zeebe import BrokerClock
from storage import agencies, case_clocks, cases, documents, incidents
from storage.models import CaseDocument, HumanTask, RegisterEntry
from workers import audit, letters, sla
from workers import cases as case_tasks
from workers.variables import JobInputError

pytestmark = pytest.mark.platform

HERE = Path(__file__).resolve().parent / "diagrams"
PROCESS_ID = "Uji_InstansiPerkara"
WIB = ZoneInfo("Asia/Jakarta")
#: When the time limit starts (a Wednesday); the Thursday after is a day off of Sleman's own.
START = datetime(2027, 10, 13, 7, 45, tzinfo=WIB)
SLEMAN_DAY_OFF = date(2027, 10, 14)
NO_AGENCY = "uji-tanpa-instansi"
STAFF = {
    "fo-jatim": Account("Nur Aini", "dpmptsp.front_office", "dpmptsp-jatim"),
    "fo-sleman": Account("Sri Wahyuni", "dpmptsp.front_office", "dpmptsp-sleman"),
    "kadis-jatim": Account(
        "Ir. Bambang Wicaksono, M.T.", "dpmptsp.kadis", "dpmptsp-jatim", "Kepala Dinas",
        "196805201993031007",
    ),
    "kadis-sleman": Account(
        "Drs. Sutrisno, M.M.", "dpmptsp.kadis", "dpmptsp-sleman", "Kepala Dinas",
        "197205121998031004",
    ),
}  # fmt: skip


@dataclass
class Started:
    case_id: int
    code: str


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SopWorld]:
    resources = [HERE / "uji_instansi_perkara.bpmn", HERE / "uji-periksa.form"]
    units = [(NO_AGENCY, "Unit Uji Tanpa Instansi", None)]
    folder = tmp_path_factory.mktemp("instansi-perkara")
    with running(stack, engine, folder, resources, STAFF, units) as made:
        with made.sessions() as db:
            agencies.add_day_off(db, "dpmptsp-sleman", SLEMAN_DAY_OFF, "Libur uji Sleman", "uji")
            db.commit()
        yield made


def start(world: SopWorld, engine: Engine, unit: str, target_days: Any = 3) -> Started:
    """A complaint case received by ``unit``, its process started."""
    with world.sessions() as db:
        case, _ = cases.create(
            db,
            cases.NewCase(
                "pengaduan-dpmptsp", PROCESS_ID, unit, "Budi Santoso", None,
                "Izin usaha belum terbit", {},
            ),
        )  # fmt: skip
        db.commit()
        started = Started(case.id, case.tracking_code)
    engine.start(
        PROCESS_ID,
        {
            "caseId": started.case_id,
            "unitCode": unit,
            "mulai": START.isoformat(),
            "targetHariKerja": target_days,
            "surat": SPEC,
        },
    )
    return started


def entries(world: SopWorld, case_id: int) -> dict[str, RegisterEntry]:
    """The case's register entries by register code."""
    with world.sessions() as db:
        rows = db.scalars(select(RegisterEntry).where(RegisterEntry.case_id == case_id))
        return {row.register: row for row in rows}


def letter_text(world: SopWorld, case_id: int) -> str:
    with world.sessions() as db:
        doc = db.scalar(
            select(CaseDocument).where(
                CaseDocument.case_id == case_id, CaseDocument.kind == "pengaduan_jawaban"
            )
        )
    assert doc is not None
    return pdf_text(documents.read_document(world.deps.s3, doc))


@pytest.fixture(scope="module")
def two(world: SopWorld, engine: Engine) -> tuple[Started, Started]:
    """A case of each DPMPTSP, both waiting at the review task."""
    jatim, sleman = start(world, engine, "dpmptsp-jatim"), start(world, engine, "dpmptsp-sleman")
    world.open_task(jatim.case_id, "Task_Periksa", timeout=60)
    world.open_task(sleman.case_id, "Task_Periksa", timeout=60)
    return jatim, sleman


def test_each_case_is_numbered_lettered_and_timed_by_its_own_agency(
    world: SopWorld, two: tuple[Started, Started]
):
    jatim, sleman = two
    numbers = {}
    for started, mark in ((jatim, "DPMPTSP"), (sleman, "DPMPTSP-SLM")):
        found = entries(world, started.case_id)
        on = dates.local_date(found["pengaduan"].created_at, "Asia/Jakarta")
        month = agencies.ROMAN_MONTHS[on.month - 1]
        # Numbers of each agency's own registers, both starting at 1 in this new database.
        assert found["pengaduan"].number == f"1/REG-PGD/{mark}/{on.year}"
        assert found["surat-keluar"].number == f"B-1/{mark}/{month}/{on.year}"
        numbers[started.code] = found["pengaduan"].number
    assert {e.agency for e in entries(world, jatim.case_id).values()} == {"dpmptsp"}
    assert {e.agency for e in entries(world, sleman.case_id).values()} == {"dpmptsp-sleman"}
    assert any(
        t == f"Dicatat dalam Buku Register Pengaduan DPMPTSP Kabupaten Sleman nomor "
        f"{numbers[sleman.code]}"
        for t in world.timeline(sleman.case_id)
    )

    # Each letter on its own agency's letterhead, signed in its own place by its own head.
    east, west = letter_text(world, jatim.case_id), letter_text(world, sleman.case_id)
    assert "PEMERINTAH PROVINSI JAWA TIMUR" in east and "Surabaya, " in east
    assert "Ir. Bambang Wicaksono, M.T." in east and "SLEMAN" not in east
    assert "PEMERINTAH KABUPATEN SLEMAN" in west and "Sleman, " in west
    assert "Jl. Parasamya, Beran, Tridadi" in west and "Drs. Sutrisno, M.M." in west
    assert "JAWA TIMUR" not in west

    # "3 hari kerja" from the variable batas, on each agency's calendar: Jawa Timur opens at
    # 07.30, Sleman at 08.00 and is closed on the Thursday (its own day off, agency data).
    due = {}
    for started, agency in ((jatim, "dpmptsp"), (sleman, "dpmptsp-sleman")):
        task = world.open_task(started.case_id, "Task_Periksa")
        assert task.due_at is not None
        expected = sla.compute_due(world.deps, start=START, limit="3 hari kerja", agency=agency)
        assert task.due_at == expected, agency
        due[agency] = expected.astimezone(WIB)
    assert due["dpmptsp"] == datetime(2027, 10, 18, 7, 45, tzinfo=WIB)
    assert due["dpmptsp-sleman"] == datetime(2027, 10, 18, 16, 0, tzinfo=WIB)


def test_the_header_still_names_the_agency_when_a_task_has_it(
    world: SopWorld, two: tuple[Started, Started], clock: BrokerClock
):
    """SOPs 1 and 4 name their agency in the header: it wins over the case's unit."""
    _, sleman = two
    with world.sessions() as db:  # another case of Sleman's unit, no process needed
        other, _ = cases.create(
            db,
            cases.NewCase("pengaduan-dpmptsp", PROCESS_ID, "dpmptsp-sleman", "Ani", None, "x", {}),
        )
        db.commit()
        other_id = other.id
    number = case_tasks.record_in_register(
        world.deps,
        case_id=other_id,
        step_key="uji-kepala",
        headers={"instansi": "dpmptsp", "register": "pengaduan"},
        at=broker_now(clock),  # the year of case 1's number, whatever day the suite runs
    )
    assert number.startswith("2/REG-PGD/DPMPTSP/")  # Jawa Timur's register, after its case 1
    assert entries(world, other_id)["pengaduan"].agency == "dpmptsp"
    own = sla.build_router(world.deps)
    compute = next(t for t in own.tasks if t.type == sla.COMPUTE).original_function
    by_header = compute(job({"instansi": "dpmptsp", "batas": "2 hari kerja"}, sleman.case_id))
    by_case = compute(job({"batas": "2 hari kerja"}, sleman.case_id))
    assert (
        by_header["tenggat"]
        == sla.compute_due(
            world.deps, start=START, limit="2 hari kerja", agency="dpmptsp"
        ).isoformat()
    )
    assert (
        by_case["tenggat"]
        == sla.compute_due(
            world.deps, start=START, limit="2 hari kerja", agency="dpmptsp-sleman"
        ).isoformat()
    )
    # The header's limit wins over the variable; a variable that is no limit fails the job.
    both = compute(job({"batas": "2 hari kerja"}, sleman.case_id, batas="10 hari kerja"))
    assert both == by_case
    for wrong in ("sepuluh hari kerja", 5, ""):
        with pytest.raises(JobInputError, match="time limit"):
            compute(job({}, sleman.case_id, batas=wrong))


def test_an_installation_sets_its_own_limit_for_a_coded_step(
    world: SopWorld, two: tuple[Started, Started], tmp_path: Path
):
    """The header ``kodeBatas`` names a limit the installation may set in the calendar file
    (a newer regulation, no change to the diagram): the agency's own table first, then the
    installation's, else the diagram's ``batas``; the case's clock records the limit used."""
    jatim, sleman = two
    shipped = world.deps.settings.calendar_file.read_text(encoding="utf-8")
    own = tmp_path / "kalender.toml"
    own.write_text(
        shipped.replace("[batas_waktu]\n", '[batas_waktu]\n"uji.verifikasi" = "5 hari kerja"\n', 1)
        + '\n[instansi.dpmptsp-sleman.batas_waktu]\n"uji.verifikasi" = "1 hari kerja"\n',
        encoding="utf-8",
    )
    deps = replace(world.deps, settings=replace(world.deps.settings, calendar_file=own))
    router = sla.build_router(deps)
    compute = next(t for t in router.tasks if t.type == sla.COMPUTE).original_function
    coded = {"batas": "3 hari kerja", "kodeBatas": "uji.verifikasi", "layanan": "true"}
    for started, agency, limit in (
        (jatim, "dpmptsp", "5 hari kerja"),
        (sleman, "dpmptsp-sleman", "1 hari kerja"),
    ):
        due = compute(job(coded, started.case_id))["tenggat"]
        expected = sla.compute_due(deps, start=START, limit=limit, agency=agency)
        assert due == expected.isoformat(), agency
        with world.sessions() as db:
            clock = case_clocks.get(db, started.case_id, "tenggat")
            assert clock is not None and clock.limit == limit
    # A code the file does not set keeps the diagram's limit.
    plain = compute(job({**coded, "kodeBatas": "uji.lain"}, jatim.case_id))["tenggat"]
    assert (
        plain
        == sla.compute_due(deps, start=START, limit="3 hari kerja", agency="dpmptsp").isoformat()
    )


def job(headers: dict[str, str], case_id: int, **variables: Any) -> Job:
    """A job of ``alur.sla.hitung`` as the broker hands it over."""
    values = {"caseId": case_id, "sekarang": START.isoformat(), **variables}
    return Job(
        1, sla.COMPUTE, 1, PROCESS_ID, 1, 1, "Task_X", 1, {"variabel": "tenggat", **headers},
        "uji", 3, 0, values,
    )  # fmt: skip


def test_a_case_whose_unit_has_no_agency_stops_with_an_incident_that_says_so(
    world: SopWorld, engine: Engine
):
    lost = start(world, engine, NO_AGENCY)
    reason = (
        f"unit '{NO_AGENCY}' of case {lost.case_id} belongs to no agency (nor does a unit above"
        " it): give the unit its agency in /admin/unit, or the task the header instansi"
    )

    def incident() -> Any:
        with world.sessions() as db:
            found = [i for i in incidents.open_incidents(db, None) if i.case_id == lost.case_id]
            return found[0] if found else None

    wait_until(lambda: incident() is not None, timeout=45, what="the incident of the case")
    opened = incident()
    assert opened.element_id == "Task_HitungTenggat" and opened.unit_code == NO_AGENCY
    assert opened.reason == audit.reason_of(JobInputError())  # what staff read
    assert opened.reason.startswith("Data perkara atau pengaturan langkah ini tidak sesuai")
    assert opened.detail == f"JobInputError: {reason}"
    assert f"Gangguan teknis pada langkah Hitung tenggat: {opened.reason}" in world.timeline(
        lost.case_id
    )
    assert entries(world, lost.case_id) == {}  # nothing numbered
    # The register and the letter refuse it the same way.
    with pytest.raises(JobInputError) as refused:
        case_tasks.record_in_register(
            world.deps, case_id=lost.case_id, step_key="uji-x", headers={"register": "pengaduan"}
        )
    assert str(refused.value) == reason
    with pytest.raises(JobInputError) as refused:
        letters.issue_letter(
            world.deps,
            case_id=lost.case_id,
            step_key="uji-y",
            headers={"jenis": "pengaduan_jawaban", "register": "surat-keluar"},
            spec=SPEC,
        )
    assert str(refused.value) == reason
    # A case of no unit at all (a national one) names that.
    with world.sessions() as db:
        national, _ = cases.create(
            db, cases.NewCase("pengaduan-dpmptsp", PROCESS_ID, None, "Budi", None, "x", {})
        )
        db.commit()
        national_id = national.id
    with pytest.raises(JobInputError, match="has no unit, so no agency"):
        case_tasks.record_in_register(
            world.deps, case_id=national_id, step_key="uji-z", headers={"register": "pengaduan"}
        )
    assert entries(world, national_id) == {}


def test_each_agency_s_staff_see_only_its_own_tasks_letters_and_registers(
    world: SopWorld, two: tuple[Started, Started]
):
    jatim, sleman = two
    tasks = {
        "fo-jatim": world.open_task(jatim.case_id, "Task_Periksa"),
        "fo-sleman": world.open_task(sleman.case_id, "Task_Periksa"),
    }
    assert {t.unit_code for t in tasks.values()} == {"dpmptsp-jatim", "dpmptsp-sleman"}
    letter_of = {}
    with world.sessions() as db:
        for who, started in (("fo-jatim", jatim), ("fo-sleman", sleman)):
            doc = db.scalar(
                select(CaseDocument).where(
                    CaseDocument.case_id == started.case_id,
                    CaseDocument.kind == "pengaduan_jawaban",
                )
            )
            assert doc is not None
            letter_of[who] = doc.id
    own_code = {"fo-jatim": jatim.code, "fo-sleman": sleman.code}
    numbered = {
        who: entries(world, started.case_id)["pengaduan"]
        for who, started in (("fo-jatim", jatim), ("fo-sleman", sleman))
    }
    books = {"fo-jatim": "/register/dpmptsp", "fo-sleman": "/register/dpmptsp-sleman"}
    for me, other in (("fo-jatim", "fo-sleman"), ("fo-sleman", "fo-jatim")):
        client = world.staff(me)
        # Their own task, letter and register book...
        assert client.get(f"/tugas/{tasks[me].id}").status_code == 200
        assert client.get(f"/dokumen/{letter_of[me]}").status_code == 200
        book = client.get(f"{books[me]}/pengaduan?tahun={numbered[me].year}")
        assert book.status_code == 200 and numbered[me].number in book.get_data(as_text=True)
        listing = client.get("/tugas?tampilan=tersedia").get_data(as_text=True)
        assert f'href="/tugas/{tasks[me].id}"' in listing
        assert f'href="/tugas/{tasks[other].id}"' not in listing
        # ... and none of the other agency's, though they hold the same role of the same SOP.
        assert client.get(f"/tugas/{tasks[other].id}").status_code == 403
        assert client.get(f"/dokumen/{letter_of[other]}").status_code == 403
        for code in ("pengaduan", "surat-keluar", "berita-acara"):
            assert client.get(f"{books[other]}/{code}").status_code == 403, (me, code)
            assert client.get(f"{books[other]}/{code}.csv").status_code == 403, (me, code)
        found = client.get(f"/tugas?kode={own_code[other]}").get_data(as_text=True)
        assert f'href="/tugas/{tasks[other].id}"' not in found
        index = client.get("/register").get_data(as_text=True)
        assert f'href="{books[me]}/pengaduan' in index
        assert f'href="{books[other]}/' not in index
    with world.sessions() as db:  # nobody claimed anything on the way
        rows = [db.get(HumanTask, t.id) for t in tasks.values()]
        assert all(row is not None and row.assignee is None for row in rows)
