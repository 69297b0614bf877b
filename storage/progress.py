"""What is recorded about one process instance, for the picture of where a case stands.

Zeebe here keeps no history that could be asked (no Operate, no Elasticsearch), so the steps a
case went through are read from what Alur wrote itself: the human tasks the bridge mirrored,
the service steps ``workers.audit`` put in the case timeline (kind ``langkah``, with the
element id in ``detail``) and the incidents still open. ``alur.progress`` turns them into
marks on the diagram.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import deployments
from storage.models import CaseEvent, HumanTask, JobIncident

#: Timeline kind of a service step that was done (``workers.audit.Steps``).
STEP_DONE = "langkah"


@dataclass(frozen=True)
class History:
    """The deployed diagram of the instance and every recorded step of it, oldest first."""

    diagram: str | None
    tasks: list[HumanTask] = field(default_factory=list)
    steps: list[CaseEvent] = field(default_factory=list)
    incidents: list[JobIncident] = field(default_factory=list)


def history(
    session: Session,
    process_instance_key: int,
    process_definition_key: int | None,
    case_id: int | None,
) -> History:
    """The instance's diagram, human tasks, recorded service steps and open incidents."""
    diagram = (
        deployments.content_of(session, "process", process_definition_key)
        if process_definition_key is not None
        else None
    )
    tasks = session.scalars(
        select(HumanTask)
        .where(HumanTask.process_instance_key == process_instance_key)
        .order_by(HumanTask.created_at, HumanTask.id)
    )
    steps: list[CaseEvent] = []
    if case_id is not None:
        steps = list(
            session.scalars(
                select(CaseEvent)
                .where(CaseEvent.case_id == case_id, CaseEvent.kind == STEP_DONE)
                .order_by(CaseEvent.at, CaseEvent.id)
            )
        )
    incidents = session.scalars(
        select(JobIncident)
        .where(
            JobIncident.process_instance_key == process_instance_key,
            JobIncident.resolved_at.is_(None),
        )
        .order_by(JobIncident.opened_at, JobIncident.id)
    )
    return History(diagram, list(tasks), steps, list(incidents))
