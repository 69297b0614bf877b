"""Case bookkeeping any SOP diagram uses: entering a register, setting the case's status.

``alur.register.catat`` (record in a register)
    headers ``instansi`` and ``register`` (``alur.numbering``), ``publik``; variable
    ``sekarang`` (``=now()``) dates the entry; returns
    ``nomorRegister``: the entry's number (the same on every delivery of the job). Without
    ``instansi`` the register is that of the case's agency (its unit's,
    ``workers.variables.agency_of``): each agency running the service numbers its own cases.
``alur.perkara.status`` (case status)
    header ``status`` (``diproses``, ``selesai``, ``ditolak``, ``dibatalkan``,
    ``diarsipkan``); variable ``hasilAkhir`` (optional): the outcome in a sentence, shown in
    registers and to the applicant. A final status closes the case.

No ``from __future__ import annotations``: pyzeebe matches ``job: Job`` by its annotation.
"""

from datetime import datetime
from typing import Any

from pyzeebe import Job, ZeebeTaskRouter

from alur import dates, milestones
from alur.contract import CASE_STATUS, REGISTER_RECORD
from storage import case_status, cases
from storage import numbering as registers
from storage.models import utcnow
from workers import audit
from workers.deps import Deps
from workers.variables import JobInputError, agency_and_register, case_id_of, load_case, now_of

RECORD = REGISTER_RECORD
STATUS = CASE_STATUS
#: The statuses a diagram may set (``storage.case_status``).
STATUSES = case_status.BY_DIAGRAM


def record_in_register(
    deps: Deps,
    *,
    case_id: int,
    step_key: str,
    headers: dict[str, str],
    at: datetime | None = None,
) -> str:
    """The case's number in the register the headers name; the same for the same step."""
    with deps.sessions() as db:
        case = load_case(db, case_id)
        agency, register = agency_and_register(db, headers, case)
        given = at or utcnow()
        today = dates.local_date(given, agency.timezone)
        entry = registers.allocate(
            db,
            agency=agency.code,
            register=register.code,
            year=today.year,
            key=f"register:{step_key}",
            render=lambda seq: register.render(seq, today),
            case_id=case.id,
            kind="register",
            subject=case.subject,
            party=case.applicant_name,
            at=given,
        )
        cases.record_once(
            db,
            case.id,
            "register",
            f"Dicatat dalam {register.title} nomor {entry.number}",
            source_key=f"register:{step_key}",
            actor="sistem",
            public=audit.is_public(headers),
            detail={
                "number": entry.number,
                audit.FOR_APPLICANT: (
                    f"Permohonan Anda dicatat dalam {register.title} nomor {entry.number}"
                ),
            },
        )
        return entry.number


def set_status(
    deps: Deps, *, case_id: int, step_key: str, status: str, outcome: str | None
) -> None:
    """Set the case's status (and outcome); a final status closes it."""
    if status not in STATUSES:
        raise JobInputError(f"header status={status!r}; one of {', '.join(STATUSES)}")
    with deps.sessions() as db:
        case = load_case(db, case_id)
        case.status = status
        if outcome:
            case.outcome = outcome[:500]
        if case_status.is_final(status) and case.closed_at is None:
            case.closed_at = utcnow()
        db.commit()
        title = f"Status permohonan: {case_status.label(status)}" + (
            f" — {outcome}" if outcome else ""
        )
        # A status on the way (diproses) tells the applicant the request is being handled,
        # not that it is decided (alur.milestones).
        kind = "status" if case_status.is_final(status) else milestones.STAGE
        cases.record_once(db, case.id, kind, title, source_key=f"status:{step_key}", public=True)


def build_router(deps: Deps) -> ZeebeTaskRouter:
    router = deps.router()
    options = deps.limits.task_options()

    @router.task(task_type=RECORD, single_value=False, **options)
    def record(job: Job) -> dict[str, Any]:
        """Enter the case in the register the headers name."""
        number = record_in_register(
            deps,
            case_id=case_id_of(job),
            step_key=str(job.element_instance_key),
            headers=dict(job.custom_headers),
            at=now_of(job),
        )
        return {"nomorRegister": number}

    @router.task(task_type=STATUS, single_value=False, **options)
    def status(job: Job) -> dict[str, Any]:
        """Set the case's status the header names (and its outcome)."""
        outcome = job.variables.get("hasilAkhir")
        set_status(
            deps,
            case_id=case_id_of(job),
            step_key=str(job.element_instance_key),
            status=job.custom_headers.get("status", ""),
            outcome=outcome if isinstance(outcome, str) else None,
        )
        return {}

    return router
