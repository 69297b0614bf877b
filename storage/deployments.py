"""The record of what was deployed to Zeebe, for version history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Deployment


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
