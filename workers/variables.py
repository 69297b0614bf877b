"""Reading the process variables and task headers every case task needs.

The agency a task works for (its register, letterhead, calendar) is the one its header
``instansi`` names, or, without that header, the case's: the agency of the case's unit or of
the nearest unit above it (``Unit.agency_code``). SOPs of one agency name it in the header;
a service many agencies run (SOP 3, a DPMPTSP's complaints) leaves it out.

No ``from __future__ import annotations``: this module's ``Job`` annotations stay objects.
"""

from datetime import datetime

from pyzeebe import Job
from sqlalchemy.orm import Session

from alur import agencies, feel, numbering
from alur.contract import HEADER_AGENCY, HEADER_REGISTER
from storage import accounts
from storage.models import Case, utcnow

#: The broker's "now", given by the task's input mapping ``sekarang`` = ``=now()``: the
#: process's own time (the tests move it), used to date letters, register entries and SLAs.
NOW = "sekarang"


class JobInputError(ValueError):
    """A task configured or fed wrongly: it fails, and ends as an incident with this message."""


def case_id_of(job: Job) -> int:
    value = job.variables.get("caseId")
    if not isinstance(value, int) or isinstance(value, bool):
        raise JobInputError("the process has no caseId variable")
    return value


def load_case(db: Session, case_id: int) -> Case:
    case = db.get(Case, case_id)
    if case is None:
        raise JobInputError(f"case {case_id} does not exist")
    return case


def parse_instant(raw: object) -> datetime:
    """An instant from a variable: ISO-8601, with a FEEL ``[zone]`` suffix tolerated."""
    if not isinstance(raw, str):
        raise JobInputError(f"expected an ISO-8601 date-time, got {raw!r}")
    try:
        value = feel.parse_date_time(raw)
    except ValueError as exc:
        raise JobInputError(f"not an ISO-8601 date-time: {raw!r}") from exc
    if value.tzinfo is None:
        raise JobInputError(f"date-time without offset: {raw!r}")
    return value


def now_of(job: Job) -> datetime:
    """The broker's time from ``sekarang`` if the task maps it, else this machine's."""
    raw = job.variables.get(NOW)
    return parse_instant(raw) if raw is not None else utcnow()


def case_agency_code(db: Session, case: Case) -> str:
    """The code of the case's agency: that of its unit, or of the nearest unit above it with
    one (``storage.accounts.unit_agency``).

    Raises:
        JobInputError: the case has no unit, or its unit (and every unit above it) belongs to
            no agency: the task must name one in its header ``instansi``.
    """
    if case.unit_code is None:
        raise JobInputError(
            f"case {case.id} has no unit, so no agency: give the task the header {HEADER_AGENCY}"
        )
    code = accounts.unit_agency(db, case.unit_code)
    if code is None:
        raise JobInputError(
            f"unit {case.unit_code!r} of case {case.id} belongs to no agency (nor does a unit"
            f" above it): give the unit its agency in /admin/unit, or the task the header"
            f" {HEADER_AGENCY}"
        )
    return code


def agency_of(db: Session, headers: dict[str, str], case: Case) -> agencies.Agency:
    """The agency the task header ``instansi`` names; without that header, the case's (its
    unit's: :func:`case_agency_code`), as stored now. A service many agencies run leaves the
    header out, so each case is numbered, dated and lettered by its own agency."""
    if HEADER_AGENCY in headers:
        code = headers[HEADER_AGENCY]
        where = f"header {HEADER_AGENCY}={code!r}"
    else:
        code = case_agency_code(db, case)
        where = f"agency {code!r} of unit {case.unit_code!r} (case {case.id})"
    try:
        return agencies.agency(db, code)
    except KeyError:
        raise JobInputError(f"{where} is not an agency") from None


def agency_and_register(
    db: Session, headers: dict[str, str], case: Case
) -> tuple[agencies.Agency, numbering.Register]:
    """The agency (:func:`agency_of`) and its register the task header ``register`` names, as
    stored now."""
    agency = agency_of(db, headers, case)
    wanted = headers.get(HEADER_REGISTER, "")
    try:
        register = numbering.register(db, agency.code, wanted)
    except KeyError:
        raise JobInputError(
            f"header {HEADER_REGISTER}={wanted!r} is not a register of agency {agency.code!r}"
        ) from None
    return agency, register
