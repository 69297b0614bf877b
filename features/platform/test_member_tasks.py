"""One user task per member agency, each in that agency's inbox only (issue 28, SOP 2 step 7).

The national SPBE coordination team validates a proposal through its member agencies: each
member's own staff, in their own inbox, in parallel. On the real broker, with the task bridge
and the staff app: the test diagram ``uji_validasi_anggota.bpmn`` has a parallel
multi-instance user task over the member units' codes (``anggotaTim``), whose input mapping
gives each instance a local ``unitCode``, its member unit (the bridge reads ``unitCode`` from
the job's variables, where the local one hides the case's). A case of the Deputy's unit
starts it for three of the six members: each member's staff see exactly their own task, and
can open, claim and complete only that one; a member left out sees none; the team's own unit,
above its members, sees all three. The instance ends when the third member has answered, and
each task keeps its own member's answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from features.support import caseids
from features.support.engine import Engine
from features.support.sopworld import Account, SopWorld, running
from features.web.conftest import claim_and_complete, csrf_of
from stack.local import Stack
from stack.procs import wait_until
from storage import cases, engine_records
from storage.models import HumanTask

pytestmark = pytest.mark.platform

HERE = Path(__file__).resolve().parent / "diagrams"
PROCESS_ID = "Uji_ValidasiAnggota"
TASK = "Task_ValidasiAnggota"
ROLE = "spbe.tim_koordinasi"
DEPUTY_UNIT = "kemenpanrb-kelembagaan"
#: The members asked in this test, and the staff member of each who answers.
MEMBERS = {
    "spbe-komdigi": "komdigi",
    "spbe-kemenkeu": "kemenkeu",
    "spbe-bssn": "bssn",
}
STAFF = {
    "komdigi": Account(
        "Arief Nugroho, S.T., M.Kom.", ROLE, "spbe-komdigi",
        "Direktur Tata Kelola Pemerintah Digital", "197706142002121003",
    ),
    "kemenkeu": Account(
        "Dimas Aryo Wibowo, S.Kom., M.M.", ROLE, "spbe-kemenkeu",
        "Kepala Bidang Tata Kelola Teknologi Informasi", "198203252006021002",
    ),
    "bssn": Account(
        "Putri Andayani, S.S.T., M.T.", ROLE, "spbe-bssn",
        "Direktur Keamanan Siber dan Sandi Pemerintah Pusat", "198405172008012002",
    ),
    # A member the proposal was not sent to.
    "brin": Account(
        "Dr. Eng. Teguh Santoso, M.Eng.", ROLE, "spbe-brin", "Peneliti Ahli Utama",
        "197502112000031002",
    ),
    # The team's secretary, in the unit above the members.
    "sekretaris": Account(
        "Ratna Kusumawati, S.Kom., M.T.I.", ROLE, "spbe-tim-koordinasi",
        "Sekretaris Tim Koordinasi SPBE Nasional", "198102172006042001",
    ),
    "deputi": Account(
        "Dr. Sri Wahyuni, M.A.P.", "kemenpanrb.deputi", DEPUTY_UNIT,
        "Deputi Bidang Kelembagaan dan Tata Laksana", "196904231994032001",
    ),
}  # fmt: skip
ANSWERS = {
    "spbe-komdigi": {"hasilValidasi": "setuju", "catatanValidasi": "Tidak tumpang tindih."},
    "spbe-kemenkeu": {"hasilValidasi": "perbaiki", "catatanValidasi": "Rincian biaya kurang."},
    "spbe-bssn": {"hasilValidasi": "setuju", "catatanValidasi": "Uji keamanan sebelum rilis."},
}


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SopWorld]:
    resources = [HERE / "uji_validasi_anggota.bpmn", HERE / "uji-validasi-anggota.form"]
    folder = tmp_path_factory.mktemp("validasi-anggota")
    with running(stack, engine, folder, resources, STAFF) as made:
        yield made


def start(world: SopWorld, engine: Engine) -> tuple[int, int]:
    """A proposal of the Deputy's unit, sent to the three members: case id, instance key."""
    with world.sessions() as db:
        case, _ = cases.create(
            db,
            cases.NewCase(
                "pertimbangan-spbe", PROCESS_ID, DEPUTY_UNIT, "Pemerintah Kabupaten Sleman",
                None, "Usulan aplikasi SILAKDES", {},
            ),
        )  # fmt: skip
        db.commit()
        case_id = caseids.move_first(db, case).id
    instance = engine.start(
        PROCESS_ID, {"caseId": case_id, "unitCode": DEPUTY_UNIT, "anggotaTim": list(MEMBERS)}
    )
    return case_id, instance


def open_tasks(world: SopWorld, case_id: int) -> list[HumanTask]:
    with world.sessions() as db:
        return list(
            db.scalars(
                select(HumanTask).where(
                    HumanTask.case_id == case_id,
                    HumanTask.element_id == TASK,
                    HumanTask.status == "open",
                )
            )
        )


def ended(stack_sessions: sessionmaker[Session], instance: int) -> bool:
    with stack_sessions() as db:
        return any(
            r.element_type == "PROCESS" and r.intent == "ELEMENT_COMPLETED"
            for r in engine_records.of_instance(db, instance)
        )


def test_each_member_works_only_its_own_task_and_the_instance_ends_with_the_last(
    world: SopWorld, engine: Engine, sessions: sessionmaker[Session]
):
    case_id, instance = start(world, engine)
    wait_until(
        lambda: len(open_tasks(world, case_id)) == len(MEMBERS),
        timeout=60,
        what="a task per member",
    )
    task_of = {task.unit_code or "": task for task in open_tasks(world, case_id)}
    assert set(task_of) == set(MEMBERS)  # one per member unit, each of its own unit
    for unit, task in task_of.items():
        assert task.candidate_groups == [ROLE]
        assert task.name == "Validasi dan analisis usulan oleh instansi anggota"
        assert task.variables["unitCode"] == unit and task.variables["anggota"] == unit
    ids = {unit: task.id for unit, task in task_of.items()}

    # Each member's staff see exactly their own task; nobody else's opens for them.
    for unit, username in MEMBERS.items():
        assert world.available(username) == {ids[unit]}
        client = world.staff(username)
        assert client.get(f"/tugas/{ids[unit]}").status_code == 200
        for other, other_id in ids.items():
            if other == unit:
                continue
            assert client.get(f"/tugas/{other_id}").status_code in (403, 404)
            token = csrf_of(client.get(f"/tugas/{ids[unit]}").get_data(as_text=True))
            claim = client.post(f"/tugas/{other_id}/klaim", data={"csrf_token": token})
            assert claim.status_code in (403, 404)
            done = client.post(
                f"/tugas/{other_id}/selesaikan",
                data={"csrf_token": token, "data": "{}"},
                headers={"Accept": "application/json"},
            )
            assert done.status_code in (403, 404)
    # A member not asked, and the Deputy (another role), see none; the team, above, sees all.
    assert world.available("brin") == set() and world.available("deputi") == set()
    for task_id in ids.values():
        assert world.staff("brin").get(f"/tugas/{task_id}").status_code in (403, 404)
    assert world.available("sekretaris") == set(ids.values())
    with world.sessions() as db:  # nobody claimed another member's task on the way
        rows = [db.get(HumanTask, task_id) for task_id in ids.values()]
        assert all(row is not None and row.assignee is None for row in rows)

    # Each member completes its own; the instance waits for all three.
    *first, last = MEMBERS
    for unit in first:
        claim_and_complete(world.staff(MEMBERS[unit]), ids[unit], ANSWERS[unit])
    wait_until(lambda: len(open_tasks(world, case_id)) == 1, timeout=30, what="one task left")
    assert not ended(sessions, instance)
    world.complete(case_id, TASK, MEMBERS[last], ANSWERS[last])
    wait_until(lambda: ended(sessions, instance), timeout=60, what="the instance's end")

    with world.sessions() as db:
        for unit, task_id in ids.items():
            row = db.get(HumanTask, task_id)
            assert row is not None and row.status == "completed"
            assert row.completed_by == MEMBERS[unit]
            assert row.result == ANSWERS[unit]
    assert world.available("sekretaris") == set()
