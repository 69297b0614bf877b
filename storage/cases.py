"""Cases: what an applicant submitted, the tracking code and PIN, and the case timeline.

The timeline is append-only: ``record`` inserts; nothing here updates or deletes an event.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import case_status
from storage.models import Case, CaseEvent, HumanTask, utcnow

#: Crockford's base-32 alphabet: no I, L, O, U — nothing to misread on a phone call.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("alur-tidak-ada-berkas")


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_tracking_code() -> str:
    """ALR-XXXX-XXXX: 40 random bits."""
    return f"{PREFIX}{_random(4)}-{_random(4)}"


def new_pin() -> str:
    """XXXX-XXXX: 40 random bits, shown once to the applicant, stored only as a hash."""
    return f"{_random(4)}-{_random(4)}"


PREFIX = "ALR-"
#: The channel of the online intake, every case's until another is recorded.
ONLINE_CHANNEL = "daring"
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def normalise_code(raw: str) -> str:
    """Forgive case, spaces and the letters people confuse with digits (O/0, I/L/1)."""
    text = "".join(raw.split()).upper()[:32]
    if text.startswith(PREFIX):
        return PREFIX + text[len(PREFIX) :].translate(_CONFUSED)
    return text.translate(_CONFUSED)


@dataclass(frozen=True)
class NewCase:
    service_code: str
    bpmn_process_id: str
    unit_code: str | None
    applicant_name: str
    applicant_email: str | None
    subject: str
    data: dict[str, Any]
    #: How it came (a channel code of its service); the online form's by default.
    channel: str = ONLINE_CHANNEL
    #: The member of staff who registered it on the applicant's behalf (None: online).
    registered_by: str | None = None
    #: The applicant stays anonymous to the units handling it (``Case.anonymous``).
    anonymous: bool = False
    #: The public must not see it (``Case.confidential``).
    confidential: bool = False
    #: The case it complains about (``Case.related_case_id``).
    related_case_id: int | None = None


#: What staff read for the applicant of an anonymous case (SP4N-LAPOR!'s *Anonim*).
ANONYMOUS_NAME = "Pelapor anonim"


def create(session: Session, new: NewCase) -> tuple[Case, str]:
    """Insert the case with a fresh tracking code; return it and its PIN (not stored)."""
    for _ in range(5):
        case, pin = prepare(session, new)
        try:
            add(session, case)
        except TrackingCodeTaken:
            continue
        return case, pin
    raise RuntimeError("could not draw a free tracking code")


class TrackingCodeTaken(RuntimeError):
    """Another case took the drawn tracking code between :func:`prepare` and :func:`add`."""


def prepare(session: Session, new: NewCase) -> tuple[Case, str]:
    """The case with a free tracking code, its PIN's hash and its time of receipt, not yet
    added: what a receipt prints is known before any row is written. Returns it and the PIN.
    """
    pin = new_pin()
    code = new_tracking_code()
    while by_code(session, code) is not None:
        code = new_tracking_code()
    case = Case(
        tracking_code=code,
        pin_hash=_hasher.hash(pin),
        service_code=new.service_code,
        bpmn_process_id=new.bpmn_process_id,
        unit_code=new.unit_code,
        applicant_name=new.applicant_name,
        applicant_email=new.applicant_email,
        subject=new.subject,
        data=new.data,
        channel=new.channel,
        registered_by=new.registered_by,
        anonymous=new.anonymous,
        confidential=new.confidential,
        related_case_id=new.related_case_id,
        status=case_status.RECEIVED,
        created_at=utcnow(),
    )
    return case, pin


def add(session: Session, case: Case) -> Case:
    """Insert a case from :func:`prepare` (flushed; the caller commits).

    Raises:
        TrackingCodeTaken: the code was drawn by another case meanwhile (the session is
            rolled back).
    """
    session.add(case)
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise TrackingCodeTaken(case.tracking_code) from error
    return case


def awaiting_start(session: Session, abandoned_before: datetime) -> list[tuple[int, str]]:
    """Cases without a process instance that a worker should start, as (id, status): those
    waiting for Zeebe (``menunggu``), and those still ``diterima`` or ``memulai`` since before
    ``abandoned_before`` (the web request or the worker starting them died)."""
    rows = session.execute(
        select(Case.id, Case.status)
        .where(
            Case.process_instance_key.is_(None),
            or_(
                Case.status == case_status.WAITING,
                Case.status.in_((case_status.RECEIVED, case_status.STARTING))
                & (Case.created_at < abandoned_before),
            ),
        )
        .order_by(Case.id)
    )
    return [(case_id, status) for case_id, status in rows]


def claim_start(session: Session, case_id: int, seen_status: str) -> Case | None:
    """Claim a case :func:`awaiting_start` listed, to start its process: its status becomes
    ``memulai`` only while it has no instance and still has ``seen_status``, so of two workers
    that listed it one wins (a worker that died after its claim leaves ``memulai``, which
    :func:`awaiting_start` lists again once abandoned). Commits. The case if this call won."""
    claimed = session.execute(
        update(Case)
        .where(
            Case.id == case_id,
            Case.process_instance_key.is_(None),
            Case.status == seen_status,
            Case.status.in_(case_status.NOT_STARTED),
        )
        .values(status=case_status.STARTING)
    ).rowcount  # type: ignore[attr-defined]
    session.commit()
    return session.get(Case, case_id) if claimed == 1 else None


def by_instance(session: Session, process_instance_key: int) -> Case | None:
    return session.scalar(select(Case).where(Case.process_instance_key == process_instance_key))


def by_code(session: Session, code: str) -> Case | None:
    return session.scalar(select(Case).where(Case.tracking_code == normalise_code(code)))


def open_with_pin(session: Session, code: str, pin: str) -> Case | None:
    """The case if code and PIN match. Unknown code and wrong PIN take the same time."""
    case = by_code(session, code)
    stored = case.pin_hash if case is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, normalise_code(pin))
    except (VerificationError, InvalidHashError):
        return None
    return case


def record(
    session: Session,
    case_id: int,
    kind: str,
    title: str,
    *,
    actor: str | None = None,
    public: bool = False,
    detail: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one event to the case timeline (the caller commits)."""
    event = CaseEvent(
        case_id=case_id,
        at=utcnow(),
        kind=kind,
        title=title,
        actor=actor,
        public=public,
        detail=detail or {},
    )
    session.add(event)
    return event


def timeline(session: Session, case_id: int, *, public_only: bool = False) -> list[CaseEvent]:
    stmt = select(CaseEvent).where(CaseEvent.case_id == case_id)
    if public_only:
        stmt = stmt.where(CaseEvent.public.is_(True))
    return list(session.scalars(stmt.order_by(CaseEvent.at, CaseEvent.id)))


def published(session: Session, service_code: str, *, limit: int, offset: int = 0) -> list[Case]:
    """The service's cases the public may see, newest first: not confidential, not archived,
    and verified — a member of staff completed a task of it (an unread report, spam among
    them, is not published)."""
    verified = (
        select(HumanTask.id)
        .where(HumanTask.case_id == Case.id, HumanTask.status == "completed")
        .exists()
    )
    stmt = (
        select(Case)
        .where(
            Case.service_code == service_code,
            Case.confidential.is_(False),
            Case.status.not_in((*case_status.NOT_STARTED, case_status.ARCHIVED)),
            verified,
        )
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(stmt))


def answers_given(session: Session, case_ids: list[int], key: str) -> dict[int, list[HumanTask]]:
    """The completed tasks of ``case_ids`` whose form answered ``key``, per case, oldest
    first: what a service publishes (SP4N-LAPOR!'s follow-ups)."""
    stmt = (
        select(HumanTask)
        .where(HumanTask.case_id.in_(case_ids), HumanTask.status == "completed")
        .order_by(HumanTask.closed_at, HumanTask.id)
    )
    found: dict[int, list[HumanTask]] = {}
    for task in session.scalars(stmt):
        if task.case_id is not None and (task.result or {}).get(key):
            found.setdefault(task.case_id, []).append(task)
    return found


def tasks_of_instance(session: Session, process_instance_key: int) -> list[HumanTask]:
    """Every human task of one process instance, oldest first: the earlier decisions."""
    stmt = select(HumanTask).where(HumanTask.process_instance_key == process_instance_key)
    return list(session.scalars(stmt.order_by(HumanTask.created_at, HumanTask.id)))


def record_once(
    session: Session,
    case_id: int,
    kind: str,
    title: str,
    *,
    source_key: str,
    actor: str | None = None,
    public: bool = False,
    detail: dict[str, Any] | None = None,
) -> bool:
    """Append the event unless ``source_key`` produced one already; commits. True if added."""
    event = record(session, case_id, kind, title, actor=actor, public=public, detail=detail)
    event.source_key = source_key
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True
