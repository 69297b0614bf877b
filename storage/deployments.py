"""The record of what was deployed to Zeebe, for version history."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from storage.models import Case, Deployment, DiagramDraft


@dataclass(frozen=True)
class Deployed:
    """A resource Zeebe accepted: a process or a form, with the version it got."""

    kind: str  # "process" or "form"
    resource_id: str  # bpmnProcessId or formId
    resource_name: str
    version: int
    key: int
    sha256: str
    content: str | None = None


def record(session: Session, deployed: Iterable[Deployed], deployed_by: str) -> list[Deployment]:
    """Store each newly deployed resource once (Zeebe reuses the key of an unchanged one)."""
    added = []
    for item in deployed:
        if session.scalar(select(Deployment.id).where(Deployment.zeebe_key == item.key)):
            continue
        row = Deployment(
            kind=item.kind,
            resource_id=item.resource_id,
            resource_name=item.resource_name,
            version=item.version,
            zeebe_key=item.key,
            sha256=item.sha256,
            content=item.content,
            deployed_by=deployed_by,
        )
        session.add(row)
        added.append(row)
    session.commit()
    return added


def content_of(session: Session, kind: str, key: int) -> str | None:
    """The deployed text of a process definition or form, by the key Zeebe gave it."""
    return session.scalar(
        select(Deployment.content).where(Deployment.kind == kind, Deployment.zeebe_key == key)
    )


def shipped_already(session: Session, kind: str, resource_name: str, sha256: str) -> bool:
    """Whether this exact text of a resource was deployed before (at any version)."""
    return (
        session.scalar(
            select(Deployment.id).where(
                Deployment.kind == kind,
                Deployment.resource_name == resource_name,
                Deployment.sha256 == sha256,
            )
        )
        is not None
    )


def _newest_first(bpmn_process_id: str) -> Select[Deployment]:
    return (
        select(Deployment)
        .where(Deployment.kind == "process", Deployment.resource_id == bpmn_process_id)
        .order_by(Deployment.version.desc())
    )


def versions(session: Session, bpmn_process_id: str) -> list[Deployment]:
    """Every recorded version of a process, newest first."""
    return list(session.scalars(_newest_first(bpmn_process_id)))


def latest(session: Session, bpmn_process_id: str) -> Deployment | None:
    """The newest recorded version of a process: what new cases start on."""
    return session.scalar(_newest_first(bpmn_process_id).limit(1))


def running_cases(session: Session, bpmn_process_id: str) -> dict[int, list[Case]]:
    """Open cases of a process by the process definition key (version) they run on."""
    rows = session.scalars(
        select(Case)
        .where(
            Case.bpmn_process_id == bpmn_process_id,
            Case.closed_at.is_(None),
            Case.process_definition_key.is_not(None),
        )
        .order_by(Case.created_at)
    )
    found: dict[int, list[Case]] = {}
    for case in rows:
        found.setdefault(int(case.process_definition_key or 0), []).append(case)
    return found


def save_draft(
    session: Session,
    *,
    bpmn_process_id: str,
    resource_name: str,
    content: str,
    findings: list[dict[str, Any]],
    saved_by: str,
) -> DiagramDraft:
    """Keep a diagram a process owner saved, with its lint findings."""
    draft = DiagramDraft(
        bpmn_process_id=bpmn_process_id,
        resource_name=resource_name,
        content=content,
        sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        findings=findings,
        saved_by=saved_by,
    )
    session.add(draft)
    session.commit()
    return draft


def open_draft(session: Session, bpmn_process_id: str) -> DiagramDraft | None:
    """The newest saved draft not deployed yet, if it is newer than the latest version."""
    draft = session.scalar(
        select(DiagramDraft)
        .where(DiagramDraft.bpmn_process_id == bpmn_process_id)
        .order_by(DiagramDraft.id.desc())
        .limit(1)
    )
    if draft is None or draft.deployed_key is not None:
        return None
    newest = latest(session, bpmn_process_id)
    if newest is not None and newest.deployed_at > draft.saved_at:
        return None
    return draft


def draft(session: Session, bpmn_process_id: str, draft_id: object) -> DiagramDraft | None:
    """A saved draft of this process by its id (``None`` for another process's draft)."""
    if not isinstance(draft_id, int) or isinstance(draft_id, bool):
        return None
    found = session.get(DiagramDraft, draft_id)
    return found if found is not None and found.bpmn_process_id == bpmn_process_id else None


def latest_of_resource(session: Session, kind: str, resource_name: str) -> Deployment | None:
    """The newest recorded deployment of a resource file name."""
    return session.scalar(
        select(Deployment)
        .where(Deployment.kind == kind, Deployment.resource_name == resource_name)
        .order_by(Deployment.version.desc())
        .limit(1)
    )
