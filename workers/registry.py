"""Every router of the worker process. A test checks the diagrams against this list."""

from __future__ import annotations

from pyzeebe import ZeebeTaskRouter

from workers import cases, letters, sla
from workers.deps import Deps

#: Every job type the routers handle (``alur lint`` checks diagrams against it; a test checks
#: it against the routers).
JOB_TYPES = frozenset(
    {
        letters.ISSUE,
        letters.SEND,
        cases.RECORD,
        cases.STATUS,
        sla.COMPUTE,
        sla.PAUSE,
        sla.RESUME,
        sla.ESCALATE,
    }
)


def build_routers(deps: Deps) -> list[ZeebeTaskRouter]:
    """The routers for the job types the diagrams in ``bpmn/`` use."""
    return [letters.build_router(deps), cases.build_router(deps), sla.build_router(deps)]
