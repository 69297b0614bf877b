"""Job latency of SOP 1's service tasks, from what the application records and the driver saw.

**Job latency** of a service task is the time from the moment its element could start to the
moment its worker finished the work:

- the end is the step's timeline entry (``case_event`` of kind ``langkah``, one per job,
  written by ``workers.audit.Steps.after`` once the handler returned, just before the job is
  completed at the broker);
- the start is the end of the element before it in the diagram (its incoming sequence flow,
  through gateways): the previous service task's timeline entry; for the first element after
  the start event, the stored instant of the receipt (``case_document.created_at`` of
  ``tanda_terima``), written just before the intake commits and starts the instance; for an
  element after a human task, the instant the member submitted that task's form (the start
  of the driver's POST to ``/tugas/<id>/selesaikan``).

So it covers the broker's work between the steps (the previous step's completion, this job's
creation), the job's delivery to the worker (stream or poll), the handler's own work and its
timeline write. All instants come from this machine's clock. The receipt's instant is a commit
and one ``CreateProcessInstance`` early. After a human task the start is early by the web
app's handling of the submission before it tells Zeebe (validation, the outbox write): the
web app's own record, the task's ``closed_at``, comes only after Zeebe answered — too late,
it made the fastest job after it (``alur.perkara.status``) negative — so the member's submit
is used, and the latency measured from ``closed_at`` is kept beside it (``after_record_ms``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alur.intake import RECEIPT
from storage.models import Case, CaseDocument, CaseEvent, HumanTask

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
START = "start"


@dataclass(frozen=True)
class Diagram:
    """Which element comes before each service task; the user tasks' names."""

    before: dict[str, str]
    #: Element id -> name of each user task (what the inbox shows).
    user_tasks: dict[str, str]


def read_diagram(path: Path) -> Diagram:
    root = ET.parse(path).getroot()
    process = root.find(f"{BPMN}process")
    if process is None:
        raise ValueError(f"{path} has no process")
    kinds = {el.get("id", ""): el.tag.removeprefix(BPMN) for el in process}
    incoming: dict[str, list[str]] = defaultdict(list)
    for flow in process.iter(f"{BPMN}sequenceFlow"):
        incoming[flow.get("targetRef", "")].append(flow.get("sourceRef", ""))

    def origin(element: str) -> str | None:
        """The step whose end lets ``element`` start (through gateways); None if several."""
        sources = incoming.get(element, [])
        if len(sources) != 1:
            return None
        source = sources[0]
        kind = kinds.get(source, "")
        if kind == "startEvent":
            return START
        if kind.endswith("Gateway"):
            return origin(source)
        return source

    before = {}
    for element, kind in kinds.items():
        found = origin(element) if kind == "serviceTask" else None
        if found is not None:
            before[element] = found
    users = {
        el.get("id", ""): el.get("name", "")
        for el in process
        if el.tag.removeprefix(BPMN) == "userTask"
    }
    return Diagram(before, users)


@dataclass(frozen=True)
class JobLatency:
    case_code: str
    job_type: str
    element_id: str
    #: As defined above (after a human task: from the member's submit).
    ms: float
    #: After a human task, from the task's ``closed_at`` instead; otherwise the same as ``ms``.
    after_record_ms: float


def job_latencies(
    sessions: sessionmaker[Session],
    diagram: Diagram,
    submits: Mapping[tuple[str, str], datetime],
) -> list[JobLatency]:
    """One latency per service-task job of every case whose start is known.

    ``submits`` holds when a member submitted a task's form, by (tracking code, task name).
    """
    with sessions() as db:
        codes = dict(db.execute(select(Case.id, Case.tracking_code)).all())
        ends: dict[tuple[int, str], datetime] = {}
        recorded: dict[tuple[int, str], datetime] = {}
        jobs: list[tuple[int, str, str, datetime]] = []
        for case_id, at, detail in db.execute(
            select(CaseEvent.case_id, CaseEvent.at, CaseEvent.detail).where(
                CaseEvent.kind == "langkah"
            )
        ):
            element, job_type = detail.get("elementId"), detail.get("jobType")
            if isinstance(element, str) and isinstance(job_type, str):
                ends[(case_id, element)] = at
                jobs.append((case_id, element, job_type, at))
        for case_id, element, closed in db.execute(
            select(HumanTask.case_id, HumanTask.element_id, HumanTask.closed_at).where(
                HumanTask.status == "completed"
            )
        ):
            if case_id is None or closed is None:
                continue
            recorded[(case_id, element)] = closed
            submitted = submits.get((codes.get(case_id, ""), diagram.user_tasks.get(element, "")))
            if submitted is not None:
                ends[(case_id, element)] = submitted
        for case_id, created in db.execute(
            select(CaseDocument.case_id, CaseDocument.created_at).where(
                CaseDocument.kind == RECEIPT
            )
        ):
            if case_id is not None:
                ends[(case_id, START)] = created
    found = []
    for case_id, element, job_type, at in jobs:
        before = diagram.before.get(element)
        if before is None:
            continue
        began = ends.get((case_id, before))
        if began is None:
            continue
        record = recorded.get((case_id, before), began)
        found.append(
            JobLatency(
                codes.get(case_id, ""),
                job_type,
                element,
                (at - began).total_seconds() * 1000,
                (at - record).total_seconds() * 1000,
            )
        )
    return found


def case_durations(sessions: sessionmaker[Session]) -> dict[str, float]:
    """Seconds from the intake (the case row) to the case's closure, by tracking code."""
    with sessions() as db:
        rows = db.execute(
            select(Case.tracking_code, Case.created_at, Case.closed_at).where(
                Case.closed_at.is_not(None)
            )
        )
        return {
            code: (closed - created).total_seconds()
            for code, created, closed in rows
            if closed is not None
        }
