"""Case ids no other test database of the session uses.

Every test module has a database of its own, but the session shares one broker, and each
module's task bridge and incident listener mirror what the broker does for every module's
instances, named by their ``caseId``: two databases' cases with the same id would see each
other's tasks and incidents (a case counted overdue, an incident that is not its own). An
installation has one broker and one database, so the product needs nothing of this; a module
whose checks read such figures starts its case ids at a random place far from the others'.
"""

from __future__ import annotations

import random

from sqlalchemy import text, update
from sqlalchemy.orm import Session

from storage import case_status, cases
from storage.models import Case, utcnow

_drawn: set[int] = set()


def move_first(db: Session, case: Case) -> Case:
    """The database's first case moved to an id of its own, its next cases following it
    (SQLite continues after the highest id; PostgreSQL's sequence is moved there); any other
    case as it is. The case must have nothing referring to it yet."""
    if case.id != 1:
        return case
    while (start := random.randrange(1_000_000, 2_000_000_000, 100_000)) in _drawn:
        pass
    _drawn.add(start)
    db.execute(update(Case).where(Case.id == 1).values(id=start))
    if db.get_bind().dialect.name == "postgresql":
        moved_to = text("SELECT setval(pg_get_serial_sequence('case_file', 'id'), :n)")
        db.execute(moved_to, {"n": start})
    db.commit()
    moved = db.get(Case, start)
    assert moved is not None
    return moved


def start_far(db: Session) -> int:
    """Make the database's next case ids far from other test databases': a closed placeholder
    case at a random id (SQLite continues after the highest id; PostgreSQL's sequence is moved
    there too), for a module whose cases the web app creates (so none can be moved after).
    Returns the placeholder's id."""
    placeholder, _pin = cases.create(
        db,
        cases.NewCase(
            service_code="uji-penanda",
            bpmn_process_id="Uji_Penanda",
            unit_code=None,
            applicant_name="Penanda nomor perkara uji",
            applicant_email=None,
            subject="Penanda",
            data={},
        ),
    )
    placeholder.status = case_status.DONE
    placeholder.closed_at = utcnow()
    db.commit()
    if placeholder.id != 1:
        return placeholder.id
    return move_first(db, placeholder).id
