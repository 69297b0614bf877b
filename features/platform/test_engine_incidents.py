"""An incident the engine raises reaches staff, and leaves when the engine resolves it (issue 23).

Alur's own workers never let a job's retries run out (``workers.audit`` keeps retrying and
opens Alur's incident itself), but the engine raises incidents Alur's workers never see: here a
gateway whose conditions need a variable the case does not have (Zeebe: EXTRACT_VALUE_ERROR).
The exporter's INCIDENT records open and resolve it where staff look: the open incidents of the
SLA dashboard and the case timeline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc
from sqlalchemy.orm import Session, sessionmaker

from alur import engine_events
from alur.engine_events import Listener, Outside
from features.support.engine import Engine
from stack.procs import wait_until
from storage import cases, deployments, engine_records, incidents
from storage.cases import NewCase
from storage.models import Case, JobIncident

pytestmark = pytest.mark.platform
DIAGRAM = Path(__file__).resolve().parent / "diagrams" / "uji_insiden.bpmn"
UNIT = "UJI-INSIDEN"


@pytest.fixture(scope="module")
def listening(engine: Engine, sessions: sessionmaker[Session]) -> Iterator[None]:
    with sessions() as db:  # the diagram on record, as a deployment from /admin keeps it
        deployments.record(db, engine.deploy([DIAGRAM]), deployed_by="uji")
        db.commit()
    listener = Listener(sessions, Outside(frozenset()))
    run = engine.submit(listener.run())
    yield
    engine.call(listener.stop())
    run.result(10)


def _case(sessions: sessionmaker[Session], instance_of: Engine) -> tuple[int, int]:
    with sessions() as db:
        case, _pin = cases.create(
            db,
            NewCase(
                service_code="uji",
                bpmn_process_id="Uji_Insiden",
                unit_code=UNIT,
                applicant_name="Siti",
                applicant_email=None,
                subject="Uji insiden",
                data={},
            ),
        )
        case.status = "diproses"
        db.commit()
        case_id = case.id
    instance = instance_of.start("Uji_Insiden", {"caseId": case_id})
    with sessions() as db:
        found = db.get(Case, case_id)
        assert found is not None
        found.process_instance_key = instance
        db.commit()
    return case_id, instance


def _incident(sessions: sessionmaker[Session], instance: int) -> JobIncident | None:
    with sessions() as db:
        rows = [
            i
            for i in incidents.open_incidents(db, [UNIT]) + _resolved(db, instance)
            if i.process_instance_key == instance
        ]
        db.expunge_all()
    return rows[0] if rows else None


def _resolved(db: Session, instance: int) -> list[JobIncident]:
    return [
        i
        for i in db.query(JobIncident).filter(JobIncident.process_instance_key == instance)
        if i.resolved_at is not None
    ]


def _titles(sessions: sessionmaker[Session], case_id: int) -> list[str]:
    with sessions() as db:
        return [e.title for e in cases.timeline(db, case_id) if e.kind == "insiden"]


def test_an_engine_incident_is_shown_to_staff_until_the_engine_resolves_it(
    listening: None,
    engine: Engine,
    sessions: sessionmaker[Session],
    gateway: pb_grpc.GatewayStub,
):
    case_id, instance = _case(sessions, engine)

    wait_until(lambda: _incident(sessions, instance) is not None, timeout=15, what="the incident")
    raised = _incident(sessions, instance)
    assert raised is not None and raised.resolved_at is None
    assert raised.step == "Jumlah cukup?"  # the step's name in the diagram
    assert raised.reason == engine_events.INCIDENT_REASONS["EXTRACT_VALUE_ERROR"]
    assert raised.job_key is None and raised.unit_code == UNIT and raised.case_id == case_id
    with sessions() as db:  # on the SLA dashboard's list
        assert raised.id in {i.id for i in incidents.open_incidents(db, [UNIT])}
    assert _titles(sessions, case_id) == [
        "Gangguan teknis di mesin proses pada langkah Jumlah cukup?:"
        " nilai yang dibutuhkan diagram tidak dapat dibaca"
    ]

    # An operator gives the missing value and resolves it with another Zeebe client.
    gateway.SetVariables(
        pb.SetVariablesRequest(elementInstanceKey=instance, variables=json.dumps({"jumlah": 2})),
        timeout=10,
    )
    assert raised.incident_key is not None
    gateway.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=raised.incident_key), timeout=10)

    def resolved() -> bool:
        found = _incident(sessions, instance)
        return found is not None and found.resolved_at is not None

    wait_until(resolved, timeout=15, what="the incident resolved")
    with sessions() as db:
        assert raised.id not in {i.id for i in incidents.open_incidents(db, [UNIT])}
        ended = [r.element_id for r in engine_records.of_instance(db, instance)]
    assert "End_Cukup" in ended  # the case went on the way the value says
    assert _titles(sessions, case_id)[-1] == (
        "Gangguan teknis di mesin proses pada langkah Jumlah cukup? teratasi"
    )
