"""Reading the process variables and task headers every case task needs.

No ``from __future__ import annotations``: this module's ``Job`` annotations stay objects.
"""

from datetime import datetime

from pyzeebe import Job
from sqlalchemy.orm import Session

from alur import agencies, feel, numbering
from alur.contract import HEADER_AGENCY, HEADER_REGISTER
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


def agency_of(db: Session, headers: dict[str, str]) -> agencies.Agency:
    """The agency the task header ``instansi`` names, as stored now."""
    code = headers.get(HEADER_AGENCY, "")
    try:
        return agencies.agency(db, code)
    except KeyError:
        raise JobInputError(f"header {HEADER_AGENCY}={code!r} is not an agency") from None


def agency_and_register(
    db: Session, headers: dict[str, str]
) -> tuple[agencies.Agency, numbering.Register]:
    """The agency and register the task headers ``instansi`` and ``register`` name, as stored
    now."""
    agency = agency_of(db, headers)
    wanted = headers.get(HEADER_REGISTER, "")
    try:
        register = numbering.register(db, agency.code, wanted)
    except KeyError:
        raise JobInputError(
            f"header {HEADER_REGISTER}={wanted!r} is not a register of agency {agency.code!r}"
        ) from None
    return agency, register
