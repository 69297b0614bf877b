"""Time limits of the SOPs as timer-ready due dates, pauses of the SLA clock, escalation.

``alur.sla.hitung`` (compute a due date)
    headers ``batas`` (the seed's limit: "1 hari", "2 hari kerja", "60 menit", "1 minggu",
    "60 hari kerja", "2 bulan", "hari yang sama", ...; without the header, the variable
    ``batas``, for a limit set while the case runs: SOP 3's analyst sets 2 to 10 working days,
    mapped ``=string(targetHariKerja) + " hari kerja"``), ``instansi`` (whose working-day
    calendar; without the header, the case's agency, that of its unit), ``variabel`` (where
    the due date goes); variable ``sekarang`` (the start: give it with the input mapping
    ``=now()`` so it is the broker's time). A limit that does not parse fails the job. Returns
    ``<variabel>`` as an ISO-8601 date-time with offset, for ``timeDate="=<variabel>"`` timers
    and task due dates. Header ``kodeBatas`` (optional, e.g. ``lapor.verifikasi_nasional``):
    the installation may give that code another limit in the calendar file's
    ``[batas_waktu]`` (or the agency's ``[instansi.<kode>.batas_waktu]``), which then replaces
    ``batas`` — a newer regulation without changing the diagram; ``batas`` stays the seed's.
    "hari yang sama" (SOP 4 face to face: "dalam 1 (satu) hari saat kedatangan") is due at the
    end of the agency's working hours on the day of ``sekarang`` in its zone (16:00 WIB for
    08:00-16:00); from a day off, or at or after closing time, at the end of that day
    (``...T23:59:59.999999+07:00``). *Interpretation*: the visitor is served on the day they
    come; the seed gives no hours (``alur.workdays``).
``alur.sla.jeda`` / ``alur.sla.lanjut`` (pause / resume the SLA clock)
    headers ``variabel``, ``instansi`` (as for computing: without it, the case's agency);
    variable ``sekarang`` (``=now()``). Resuming moves ``<variabel>`` later by the working
    time spent paused (e.g. the SPBE 60 working days do not count the coordination team's
    validation); elements entered after it use the new date.
    For a job of a case (variable ``caseId``), computing, pausing and resuming also write the
    case's clock (``storage.case_clocks``); jobs without a case only set the variables. The
    staff task page and the tracking page show (``alur.clocks``) the clocks computed with the
    header ``layanan="true"``: the service's time limit (SOP 2's 60 working days), not a
    step's own due date, which would read as late long after its step was done in time.
``alur.sla.terlambat`` (escalate; behind a non-interrupting timer)
    headers ``langkah`` (the step that ran late), ``pengawas`` (the supervising role);
    marks the case overdue, writes the timeline, e-mails the supervisors — the holders of that
    role in the unit the step was at (variable ``unitCode``, which the escalation's input
    mapping may set: a report routed between units) or above it; the work continues.

No ``from __future__ import annotations``: pyzeebe matches ``job: Job`` by its annotation.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pyzeebe import Job, ZeebeTaskRouter
from sqlalchemy.orm import Session

from alur import clocks, mail, roles, workdays
from alur.contract import HEADER_AGENCY, SLA_COMPUTE, SLA_ESCALATE, SLA_PAUSE, SLA_RESUME
from storage import case_clocks, cases
from storage.accounts import active_holders, unit_ancestry
from storage.models import Case, StaffUser, utcnow
from workers.deps import Deps
from workers.variables import (
    JobInputError,
    case_agency_code,
    case_id_of,
    load_case,
    now_of,
    parse_instant,
)

COMPUTE = SLA_COMPUTE
PAUSE = SLA_PAUSE
RESUME = SLA_RESUME
ESCALATE = SLA_ESCALATE
#: The time limit: a header, or a variable when the diagram sets it while the case runs.
LIMIT = "batas"
#: Header of ``hitung``: ``"true"`` when the limit is the service's, shown on the case's pages.
SERVICE = "layanan"
#: Header of ``hitung``: the limit's code, under which the installation may set another limit
#: in the calendar file's ``[batas_waktu]`` (``alur.workdays.Calendar.limits``).
LIMIT_CODE = "kodeBatas"


def _calendar(
    deps: Deps, agency: str | None, start: datetime, case_id: int | None = None
) -> workdays.Calendar:
    """The calendar file's calendar for ``agency`` (the header ``instansi``; None: the task
    has none, so the agency of case ``case_id``), plus the agency's own days off as the
    agency data has them now (edited in ``/admin/instansi``: no restart). An empty agency (or
    None without a case) is the file's default calendar."""
    if agency is None and case_id is not None:
        with deps.sessions() as db:
            agency = case_agency_code(db, load_case(db, case_id))
    years = range(start.year - 1, start.year + 3)
    with deps.sessions() as db:
        return clocks.agency_calendar(db, deps.settings.calendar_file, agency, years)


def _limit(job: Job) -> str:
    """The header ``batas``, else the variable ``batas`` (a limit set while the case runs);
    what does not parse as a limit fails the job in :func:`compute_due`."""
    if LIMIT in job.custom_headers:
        return job.custom_headers[LIMIT]
    value = job.variables.get(LIMIT)
    return "" if value is None else str(value)


def _agency(job: Job) -> tuple[str | None, int | None]:
    """The header ``instansi``, or (None, the case's id): the case's agency."""
    if HEADER_AGENCY in job.custom_headers:
        return job.custom_headers[HEADER_AGENCY], None
    return None, case_id_of(job)


def set_clock(deps: Deps, job: Job, write: Callable[[Session, int, str], object]) -> None:
    """``write(db, case id, agency code)`` the clock of the job's case (its ``caseId``; the
    agency whose calendar counts: the header ``instansi``, or the case's); nothing for a job
    without a case."""
    case_id = job.variables.get("caseId")
    if not isinstance(case_id, int) or isinstance(case_id, bool):
        return
    with deps.sessions() as db:
        case = db.get(Case, case_id)
        if case is None:
            return
        agency = job.custom_headers.get(HEADER_AGENCY)
        if agency is None:
            try:
                agency = case_agency_code(db, case)
            except JobInputError:  # a pause needs no calendar: count with the default one
                agency = ""
        write(db, case_id, agency)


def _unit_of(job: Job) -> str | None:
    """The unit the late step was at: the job's ``unitCode`` (None: the case's unit)."""
    unit = job.variables.get("unitCode")
    return unit if isinstance(unit, str) and unit else None


def _name(job: Job) -> str:
    name = job.custom_headers.get("variabel", "")
    if not name.isidentifier():
        raise JobInputError(f"header variabel={name!r} is not a variable name")
    return name


def compute_due(
    deps: Deps,
    *,
    start: datetime,
    limit: str,
    agency: str | None,
    case_id: int | None = None,
) -> datetime:
    """The due instant of ``limit`` counted from ``start`` on the agency's calendar (the
    agency ``agency``, or with None that of case ``case_id``)."""
    try:
        parsed = workdays.parse_limit(limit)
    except ValueError as exc:
        raise JobInputError(str(exc)) from exc
    return workdays.due(_calendar(deps, agency, start, case_id), start, parsed)


def resume_due(
    deps: Deps,
    *,
    due: datetime,
    paused_at: datetime,
    now: datetime,
    agency: str | None,
    case_id: int | None = None,
) -> tuple[datetime, int]:
    """The due instant moved by the working minutes spent paused, and those minutes."""
    calendar = _calendar(deps, agency, paused_at, case_id)
    paused = calendar.elapsed_working_minutes(paused_at, now)
    return calendar.add_working_minutes(due, paused) if paused else due, paused


def escalate(
    deps: Deps,
    *,
    case_id: int,
    step_key: str,
    step: str,
    supervisor: str,
    unit_code: str | None = None,
) -> int:
    """Mark the case overdue, write the timeline, e-mail the supervisors of ``unit_code`` (the
    case's unit when None). Returns how many."""
    with deps.sessions() as db:
        case = load_case(db, case_id)
        if case.overdue_at is None:
            case.overdue_at = utcnow()
            db.commit()
        cases.record_once(
            db,
            case.id,
            "sla",
            f"Batas waktu terlampaui: {step}",
            source_key=f"sla:{step_key}",
            actor="sistem",
            detail={"step": step, "supervisor": supervisor},
        )
        people = _supervisors(db, supervisor, unit_code or case.unit_code)
        settings = deps.settings
        for person in people:
            assert person.email is not None
            mail.deliver(
                db,
                deps.s3,
                key=f"sla:{step_key}:{person.id}",
                case_id=case.id,
                recipient=person.email,
                subject=f"Batas waktu terlampaui: {step} [{case.tracking_code}]",
                body=(
                    f"Yth. {person.full_name},\n\n"
                    f"Permohonan {case.tracking_code} ({case.subject}) telah melewati batas "
                    f'waktu pada langkah "{step}". Mohon segera ditindaklanjuti melalui '
                    f"kotak tugas Alur: {settings.public_base_url.rstrip('/')}/tugas\n"
                ),
                documents=[],
                sender=settings.mail_from,
                host=settings.smtp_host,
                port=settings.smtp_port,
                domain=mail.sender_domain(settings.mail_from),
                now=utcnow(),
            )
        return len(people)


def _supervisors(db: Session, role: str, unit_code: str | None) -> list[StaffUser]:
    """The active holders of ``role`` with an e-mail address in the unit or above it (any
    unit for a national case or a national role, which no unit bounds)."""
    national = unit_code is None or role in roles.NATIONAL
    units = None if national or unit_code is None else unit_ancestry(db, unit_code)
    return [user for user in active_holders(db, role, units) if user.email is not None]


def build_router(deps: Deps) -> ZeebeTaskRouter:
    router = deps.router()
    options = deps.limits.task_options()

    @router.task(task_type=COMPUTE, single_value=False, **options)
    def compute(job: Job) -> dict[str, Any]:
        """Turn the time limit (header or variable ``batas``) into a due date-time variable."""
        agency, case_id = _agency(job)
        name, limit, start = _name(job), _limit(job), now_of(job)
        code = job.custom_headers.get(LIMIT_CODE, "")
        if code:  # the installation's own limit, if it set one, else the diagram's
            limit = _calendar(deps, agency, start, case_id).limit(code, limit)
        due = compute_due(deps, start=start, limit=limit, agency=agency, case_id=case_id)
        set_clock(
            deps,
            job,
            lambda db, case_id, code: case_clocks.computed(
                db,
                case_id=case_id,
                name=name,
                due_at=due,
                limit=limit,
                agency=code,
                service=job.custom_headers.get(SERVICE) == "true",
            ),
        )
        return {name: due.isoformat()}

    @router.task(task_type=PAUSE, single_value=False, **options)
    def pause(job: Job) -> dict[str, Any]:
        """Stop the SLA clock of ``variabel`` (remember when)."""
        name, since = _name(job), now_of(job)
        due = job.variables.get(name)
        if due is not None:  # a clock the diagram started: the case's page shows it paused
            due_at = parse_instant(due)
            set_clock(
                deps,
                job,
                lambda db, case_id, code: case_clocks.paused(
                    db, case_id=case_id, name=name, since=since, due_at=due_at, agency=code
                ),
            )
        return {f"{name}JedaMulai": since.isoformat()}

    @router.task(task_type=RESUME, single_value=False, **options)
    def resume(job: Job) -> dict[str, Any]:
        """Start the SLA clock again: the due date moves by the time spent paused."""
        name = _name(job)
        paused_at = job.variables.get(f"{name}JedaMulai")
        if paused_at is None:  # resumed twice (a redelivered job): nothing more to move
            return {}
        agency, case_id = _agency(job)
        due, minutes = resume_due(
            deps,
            due=parse_instant(job.variables.get(name)),
            paused_at=parse_instant(paused_at),
            now=now_of(job),
            agency=agency,
            case_id=case_id,
        )
        before = job.variables.get(f"{name}Dijeda")
        total = minutes + (before if isinstance(before, int) else 0)
        set_clock(
            deps,
            job,
            lambda db, case_id, code: case_clocks.resumed(
                db, case_id=case_id, name=name, due_at=due, paused_minutes=total, agency=code
            ),
        )
        return {name: due.isoformat(), f"{name}JedaMulai": None, f"{name}Dijeda": total}

    @router.task(task_type=ESCALATE, single_value=False, **options)
    def overdue(job: Job) -> dict[str, Any]:
        """Record that a step ran late and tell its supervisors; the work goes on."""
        escalate(
            deps,
            case_id=case_id_of(job),
            step_key=str(job.element_instance_key),
            step=job.custom_headers.get("langkah", job.element_id),
            supervisor=job.custom_headers.get("pengawas", ""),
            unit_code=_unit_of(job),
        )
        return {"terlambat": True}

    return router
