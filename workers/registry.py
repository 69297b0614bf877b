"""Every router of the worker process: one handler for each job type of the contract
(``alur.contract``; ``features/unit/test_contract.py`` checks they agree)."""

from __future__ import annotations

from pyzeebe import ZeebeTaskRouter

from alur.contract import JOB_OUTPUTS, JOB_TYPES
from workers import cases, documents_request, letters, sla, units
from workers.deps import Deps

__all__ = ["JOB_OUTPUTS", "JOB_TYPES", "build_routers"]


def build_routers(deps: Deps) -> list[ZeebeTaskRouter]:
    """The routers for the job types the diagrams in ``bpmn/`` use."""
    return [
        letters.build_router(deps),
        cases.build_router(deps),
        sla.build_router(deps),
        documents_request.build_router(deps),
        units.build_router(deps),
    ]
