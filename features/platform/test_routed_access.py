"""A case that follows its routing (issue 29, SP4N-LAPOR!): only the units it is routed to now
open it. On the real broker with the task bridge and the staff app: a report of the routed
service ``lapor`` goes from an agency's Admin Instansi to its echelon-1 unit (the test diagram
``uji_dirutekan.bpmn``, each task's ``unitCode`` from a variable, as SP4N-LAPOR!'s
dispositions set it); once the agency has disposed it away, its admin opens neither the task
they completed nor the report's documents, while the echelon-1 admin does. The same flow of a
service that is not routed leaves the agency's admin their own completed task, as every other
SOP does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from features.support import caseids
from features.support.engine import Engine
from features.support.sopworld import Account, SopWorld, running
from stack.local import Stack
from storage import access, accounts, cases
from storage.inbox import Viewer
from storage.models import CaseDocument, HumanTask

pytestmark = pytest.mark.platform

HERE = Path(__file__).resolve().parent / "diagrams"
PROCESS_ID = "Uji_Dirutekan"
STAFF = {
    "kemenkes": Account(
        "Andi Saputra, S.I.Kom.", "lapor.admin_instansi", "kemenkes", "Pranata Humas"
    ),
    "yankes": Account(
        "Maya Anggraini, S.K.M.", "lapor.admin_eselon1", "kemenkes-yankes", "Pengelola Pengaduan"
    ),
    "kasn": Account("Siti Rahmah", "lapor.admin_eselon1", "kasn", "Pengelola Pengaduan"),
}
#: Down to the agency's own echelon-1 unit, and away to another agency's unit.
DOWN = {"unitInstansi": "kemenkes", "unitEselon1": "kemenkes-yankes"}
AWAY = {"unitInstansi": "kemenkes", "unitEselon1": "kasn"}


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SopWorld]:
    resources = [HERE / "uji_dirutekan.bpmn", HERE / "uji-periksa.form"]
    with running(stack, engine, tmp_path_factory.mktemp("dirutekan"), resources, STAFF) as made:
        yield made


def disposed(
    world: SopWorld, engine: Engine, service: str, route: dict[str, str] = AWAY
) -> tuple[int, int, int]:
    """A report of ``service`` the agency disposed along ``route``: case id, the agency's
    completed task, the next unit's open task."""
    with world.sessions() as db:
        case, _ = cases.create(
            db,
            cases.NewCase(service, PROCESS_ID, "kemenkes", "Budi", None, "Antrean pasien", {}),
        )
        db.commit()
        case_id = caseids.move_first(db, case).id
        db.add(
            CaseDocument(
                case_id=case_id,
                kind="lampiran",
                filename="bukti.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
                bucket="uji",
                object_key=f"uji/dirutekan/{case_id}.pdf",
                uploaded_by="pemohon",
            )
        )
        db.commit()
    engine.start(PROCESS_ID, {"caseId": case_id, **route})
    agency_task = world.open_task(case_id, "Task_Instansi").id
    world.complete(case_id, "Task_Instansi", "kemenkes", {"berkasLengkap": True})
    return case_id, agency_task, world.open_task(case_id, "Task_Eselon1").id


def viewer(world: SopWorld, username: str) -> Viewer:
    """The member as the inbox sees them: their role in their unit and the units below it."""
    account = STAFF[username]
    with world.sessions() as db:
        units = accounts.unit_scope(db, account.unit)
    return Viewer(username, account.unit, frozenset({account.role}), frozenset(), units)


def test_a_unit_that_disposed_a_report_away_no_longer_opens_it(world: SopWorld, engine: Engine):
    case_id, agency_task, echelon_task = disposed(world, engine, "lapor")
    agency, echelon = world.staff("kemenkes"), world.staff("kasn")
    assert agency.get(f"/tugas/{agency_task}").status_code == 403
    assert echelon.get(f"/tugas/{echelon_task}").status_code == 200
    with world.sessions() as db:
        doc = db.query(CaseDocument).filter(CaseDocument.case_id == case_id).one()
        completed = db.get(HumanTask, agency_task)
        assert completed is not None and completed.completed_by == "kemenkes"
        routed = {"lapor"}
        assert not access.staff_may_read(db, viewer(world, "kemenkes"), doc, routed)
        assert access.staff_may_read(db, viewer(world, "kasn"), doc, routed)
    assert agency.get(f"/dokumen/{doc.id}").status_code == 403


def test_a_unit_follows_a_report_it_disposed_down_to_a_unit_below_it(
    world: SopWorld, engine: Engine
):
    """Issue 29: handlers see what is routed to them "or to a unit below them" (Admin
    Instansi supervises the Eselon 1 admins beneath it)."""
    _case_id, agency_task, echelon_task = disposed(world, engine, "lapor", DOWN)
    agency = world.staff("kemenkes")
    assert agency.get(f"/tugas/{echelon_task}").status_code == 200
    assert agency.get(f"/tugas/{agency_task}").status_code == 200
    assert world.staff("yankes").get(f"/tugas/{echelon_task}").status_code == 200


def test_a_service_that_is_not_routed_keeps_a_unit_s_own_completed_task_open_to_it(
    world: SopWorld, engine: Engine
):
    _case_id, agency_task, _echelon_task = disposed(world, engine, "pertimbangan-spbe")
    assert world.staff("kemenkes").get(f"/tugas/{agency_task}").status_code == 200
