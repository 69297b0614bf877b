"""The shipped diagrams and forms deploy to the real broker together.

Their contract (workers, forms, roles, documentation, ids, DI) is ``alur lint``'s, checked
over every shipped diagram in ``features/unit/test_lint.py``.
"""

from __future__ import annotations

from features.support.engine import Engine
from stack.local import REPO

DIAGRAMS = sorted((REPO / "bpmn").glob("*.bpmn"))


def test_every_shipped_diagram_deploys_to_the_broker(engine: Engine):
    deployed = engine.deploy([*DIAGRAMS, *sorted((REPO / "forms").glob("*.form"))])
    assert {d.resource_name for d in deployed if d.kind == "process"} == {p.name for p in DIAGRAMS}
