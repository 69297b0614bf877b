"""Every router of the worker process. A test checks the diagrams against this list."""

from __future__ import annotations

from pyzeebe import ZeebeTaskRouter

from workers.runtime import JobLimits


def build_routers(limits: JobLimits) -> list[ZeebeTaskRouter]:
    """The routers for the job types the diagrams in ``bpmn/`` use."""
    del limits  # the SOP routers arrive with their diagrams
    return []
