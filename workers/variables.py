"""Reading the process variables every case task needs.

No ``from __future__ import annotations``: this module's ``Job`` annotations stay objects.
"""

from pyzeebe import Job
from sqlalchemy.orm import Session

from storage.models import Case


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
