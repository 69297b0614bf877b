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

from storage.models import Case

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
