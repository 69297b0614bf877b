"""The units a disposition may choose from (``alur.unit.daftar``, SP4N-LAPOR!), on the real
broker with the workers, the task bridge and the staff app: the test diagram
``uji_daftar_unit.bpmn`` lists the units directly beneath the agency a report is addressed to
(input ``unitInduk``) and the units receiving a service (header ``layanan``), then Admin
Instansi chooses one in a form whose select takes its options from that list (``valuesKey``).
The task's variables hold the children of the agency by name (not the units beneath them),
the receiving units by the agency name applicants read; a unit the list does not hold is
refused beside the field, in Bahasa, and one it holds is taken.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from features.support import caseids
from features.support.engine import Engine
from features.support.sopworld import Account, SopWorld, running
from features.web.conftest import csrf_of
from stack.local import Stack
from storage import cases
from storage.models import HumanTask

pytestmark = pytest.mark.platform

HERE = Path(__file__).resolve().parent / "diagrams"
PROCESS_ID = "Uji_DaftarUnit"
TASK = "Task_PilihUnit"
STAFF = {
    "kemenkes": Account(
        "Andi Saputra, S.I.Kom.", "lapor.admin_instansi", "kemenkes", "Pranata Humas"
    ),
}
#: Echelon-1 units of this module's own beside the one ``deploy/agencies.toml`` gives the
#: ministry (``kemenkes-yankes``, whose UPT ``kemenkes-rsup-sardjito`` is a level further down).
UNITS = [
    ("kemenkes", "Kementerian Kesehatan", None),
    ("kemenkes-kesmas", "Direktorat Jenderal Kesehatan Masyarakat", "kemenkes"),
    ("kemenkes-farmalkes", "Direktorat Jenderal Kefarmasian dan Alat Kesehatan", "kemenkes"),
]
CHILDREN = [
    {"label": "Direktorat Jenderal Kefarmasian dan Alat Kesehatan", "value": "kemenkes-farmalkes"},
    {"label": "Direktorat Jenderal Kesehatan Masyarakat", "value": "kemenkes-kesmas"},
    {"label": "Direktorat Jenderal Pelayanan Kesehatan", "value": "kemenkes-yankes"},
]  # fmt: skip
#: The units receiving ``pengaduan-dpmptsp`` in ``deploy/agencies.toml``, as applicants read
#: their agencies (``alur.services.receivers``).
RECEIVERS = [
    {
        "label": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Sleman",
        "value": "dpmptsp-sleman",
    },
    {
        "label": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Jawa Timur",
        "value": "dpmptsp-jatim",
    },
]


@pytest.fixture(scope="module")
def world(
    stack: Stack, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SopWorld]:
    resources = [HERE / "uji_daftar_unit.bpmn", HERE / "uji-pilih-unit.form"]
    folder = tmp_path_factory.mktemp("daftar-unit")
    with running(stack, engine, folder, resources, STAFF, UNITS) as made:
        yield made


def reported(world: SopWorld, engine: Engine, **variables: object) -> tuple[int, HumanTask]:
    """A report addressed to the Ministry of Health: case id and its open disposition task."""
    with world.sessions() as db:
        case, _ = cases.create(
            db,
            cases.NewCase("lapor", PROCESS_ID, "kemenkes", "Budi", None, "Antrean pasien", {}),
        )
        db.commit()
        case_id = caseids.move_first(db, case).id
    engine.start(PROCESS_ID, {"caseId": case_id, "unitInstansi": "kemenkes", **variables})
    return case_id, world.open_task(case_id, TASK)


def submit(client: FlaskClient, task_id: int, page: str, unit: str) -> TestResponse:
    """The disposition form sent with ``unitTujuan`` = ``unit``, as its page sends it."""
    return client.post(
        f"/tugas/{task_id}/selesaikan",
        data={"csrf_token": csrf_of(page), "data": json.dumps({"unitTujuan": unit})},
        headers={"Accept": "application/json"},
    )


def test_the_disposition_offers_the_units_beneath_and_refuses_any_other(
    world: SopWorld, engine: Engine
):
    _case_id, task = reported(world, engine)
    assert task.variables["daftarUnit"] == CHILDREN
    assert task.variables["daftarPenerima"] == RECEIVERS

    client = world.staff("kemenkes")
    page = client.get(f"/tugas/{task.id}").get_data(as_text=True)
    claimed = client.post(f"/tugas/{task.id}/klaim", data={"csrf_token": csrf_of(page)})
    assert claimed.status_code == 302
    page = client.get(f"/tugas/{task.id}").get_data(as_text=True)
    # A UPT two levels down, a unit of another agency, the agency itself: not in the list.
    for unit in ("kemenkes-rsup-sardjito", "dpmptsp-jatim", "kemenkes"):
        refused = submit(client, task.id, page, unit)
        assert refused.status_code == 400, unit
        assert refused.get_json() == {
            "message": "Periksa kembali isian yang ditandai.",
            "errors": {"unitTujuan": "Pilihan tidak dikenal."},
        }
    with world.sessions() as db:
        row = db.get(HumanTask, task.id)
        assert row is not None and row.status == "open" and row.result is None

    taken = submit(client, task.id, page, "kemenkes-kesmas")
    assert taken.status_code == 200, taken.get_json()
    with world.sessions() as db:
        row = db.get(HumanTask, task.id)
        assert row is not None and row.status == "completed"
        assert row.result == {"unitTujuan": "kemenkes-kesmas"}


def test_the_unit_in_kecuali_is_left_out(world: SopWorld, engine: Engine):
    _case_id, task = reported(world, engine, kecuali="kemenkes-yankes")
    assert task.variables["daftarUnit"] == CHILDREN[:2]
    assert task.variables["daftarPenerima"] == RECEIVERS  # not among them: nothing left out
