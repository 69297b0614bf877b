# ruff: noqa: E501
"""``alur.unit.daftar`` (``workers.units``) on a database of its own, without a broker: the
options it returns for a unit's children and for a service's receiving units, what it leaves
out, and the jobs it fails (each into an incident, with a message saying what is wrong)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from pyzeebe import Job, ZeebeTaskRouter
from sqlalchemy.orm import Session, sessionmaker

from alur.contract import UNIT_LIST
from storage import accounts
from workers import units
from workers.runtime import JobLimits
from workers.variables import JobInputError

SERVICE = "pengaduan-dpmptsp"


@pytest.fixture
def db(fresh_db: sessionmaker[Session]) -> sessionmaker[Session]:
    with fresh_db() as session:
        accounts.ensure_unit(session, "kemenkes", "Kementerian Kesehatan")
        accounts.ensure_unit(session, "kemenkes-yankes", "Ditjen Pelayanan Kesehatan", "kemenkes")
        accounts.ensure_unit(session, "kemenkes-kesmas", "Ditjen Kesehatan Masyarakat", "kemenkes")
        accounts.ensure_unit(session, "kemenkes-rs", "RSUP Dr. Sardjito", "kemenkes-yankes")
        accounts.ensure_unit(session, "dpmptsp-b", "DPMPTSP Bantul", services=[SERVICE])
        accounts.ensure_unit(session, "dpmptsp-a", "DPMPTSP Aceh", services=[SERVICE])
        session.commit()
    return fresh_db


def run(
    sessions: sessionmaker[Session], headers: dict[str, str], variables: dict[str, Any]
) -> dict[str, Any]:
    """The registered handler run on a job with ``headers`` and ``variables``."""
    deps = SimpleNamespace(router=ZeebeTaskRouter, limits=JobLimits(), sessions=sessions)
    router = units.build_router(deps)  # type: ignore[arg-type]
    (task,) = [task for task in router.tasks if task.type == UNIT_LIST]
    job = Job(1, UNIT_LIST, 1, "Uji", 1, 1, "Task_X", 1, headers, "uji", 3, 0, variables)
    returned = task.original_function(job)
    assert isinstance(returned, dict)
    return returned


def test_the_options_are_the_unit_s_direct_children_by_name(db: sessionmaker[Session]):
    assert run(db, {"variabel": "daftarUnit"}, {"unitInduk": "kemenkes"}) == {
        "daftarUnit": [
            {"label": "Ditjen Kesehatan Masyarakat", "value": "kemenkes-kesmas"},
            {"label": "Ditjen Pelayanan Kesehatan", "value": "kemenkes-yankes"},
        ]
    }


def test_the_options_are_the_units_receiving_the_service_whatever_unitInduk_says(
    db: sessionmaker[Session],
):
    headers = {"variabel": "daftarInstansi", "layanan": SERVICE}
    # Units of no agency are labelled with their names (alur.services.receivers).
    assert run(db, headers, {"unitInduk": "kemenkes"}) == {
        "daftarInstansi": [
            {"label": "DPMPTSP Aceh", "value": "dpmptsp-a"},
            {"label": "DPMPTSP Bantul", "value": "dpmptsp-b"},
        ]
    }


def test_the_unit_in_kecuali_is_left_out_and_null_leaves_none_out(db: sessionmaker[Session]):
    headers = {"variabel": "daftar"}
    left = run(db, headers, {"unitInduk": "kemenkes", "kecuali": "kemenkes-yankes"})
    assert [o["value"] for o in left["daftar"]] == ["kemenkes-kesmas"]
    every = run(db, headers, {"unitInduk": "kemenkes", "kecuali": None})
    assert [o["value"] for o in every["daftar"]] == ["kemenkes-kesmas", "kemenkes-yankes"]
    receivers = run(db, {**headers, "layanan": SERVICE}, {"kecuali": "dpmptsp-a"})
    assert [o["value"] for o in receivers["daftar"]] == ["dpmptsp-b"]


def test_a_unit_without_children_or_a_service_without_receivers_is_an_empty_list(
    db: sessionmaker[Session],
):
    assert run(db, {"variabel": "daftar"}, {"unitInduk": "kemenkes-rs"}) == {"daftar": []}
    assert run(db, {"variabel": "daftar", "layanan": "lapor"}, {}) == {"daftar": []}


@pytest.mark.parametrize(
    ("headers", "variables", "message"),
    [
        ({}, {"unitInduk": "kemenkes"}, "header variabel='' is not a variable name"),
        ({"variabel": "daftar unit"}, {"unitInduk": "kemenkes"}, "header variabel='daftar unit' is not a variable name"),
        ({"variabel": "d"}, {}, "neither header layanan nor variable unitInduk: say which units to list"),
        ({"variabel": "d"}, {"unitInduk": None}, "variable unitInduk must be a unit code, not None"),
        ({"variabel": "d"}, {"unitInduk": 7}, "variable unitInduk must be a unit code, not 7"),
        ({"variabel": "d"}, {"unitInduk": "kemenkes-x"}, "variable unitInduk='kemenkes-x' is not a unit"),
        ({"variabel": "d"}, {"unitInduk": "kemenkes", "kecuali": "x"}, "variable kecuali='x' is not a unit"),
        ({"variabel": "d"}, {"unitInduk": "kemenkes", "kecuali": ["x"]}, "variable kecuali must be a unit code, not ['x']"),
        ({"variabel": "d", "layanan": ""}, {}, "header layanan is empty: give a service code"),
        ({"variabel": "d", "layanan": "pengaduan"}, {}, "header layanan='pengaduan' is not a service of Alur"),
    ],
    ids=["no-variabel", "bad-variabel", "no-source", "null-parent", "number-parent", "unknown-parent", "unknown-kecuali", "list-kecuali", "empty-service", "unknown-service"],
)  # fmt: skip
def test_a_job_configured_or_fed_wrongly_fails_saying_why(
    db: sessionmaker[Session], headers: dict[str, str], variables: dict[str, Any], message: str
):
    with pytest.raises(JobInputError) as failed:
        run(db, headers, variables)
    assert str(failed.value) == message
