"""Who may download which case document.

Staff read a document when they may see a task of its case, or the task it was uploaded with
(``storage.inbox.may_see``: the task's roles in their unit or one above it, their own claim or
completion, or a role they supervise); the member who registered a case on its applicant's
behalf also reads what the applicant reads (its receipt, to hand over). Anyone not signed in
as staff, an applicant's browser,
reads only the documents made public to the applicant, of a case that browser proved it may
see (it submitted the case, or gave its tracking code and PIN).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.inbox import Viewer, may_see, routed_to
from storage.models import Case, CaseDocument, HumanTask


def may_download(
    session: Session,
    doc: CaseDocument,
    *,
    staff: Viewer | None,
    applicant_cases: Collection[int] = (),
    routed_services: Collection[str] = (),
) -> bool:
    """Whether ``staff`` (signed-in staff), or else a browser that proved it may see
    ``applicant_cases``, may download ``doc``; ``routed_services``: the services whose cases
    only the units they are routed to now may open (:func:`storage.inbox.routed_to`)."""
    if staff is not None:
        return staff_may_read(session, staff, doc, routed_services)
    return doc.public and doc.case_id is not None and doc.case_id in applicant_cases


def staff_may_read(
    session: Session, staff: Viewer, doc: CaseDocument, routed_services: Collection[str] = ()
) -> bool:
    """Staff read a document when they may see a task of its case (or the task it came with),
    or, if they registered the case for its applicant, when the applicant may read it; a case
    of a routed service, only while it is routed to them."""
    case = session.get(Case, doc.case_id) if doc.case_id is not None else None
    if case is not None and case.service_code in routed_services:
        return routed_to(session, case.id, staff)
    if doc.public and case is not None and case.registered_by == staff.username:
        return True
    candidates: list[HumanTask] = []
    if doc.human_task_id is not None:
        task = session.get(HumanTask, doc.human_task_id)
        candidates += [task] if task else []
    if doc.case_id is not None:
        candidates += session.scalars(select(HumanTask).where(HumanTask.case_id == doc.case_id))
    return any(may_see(task, staff) for task in candidates)
