"""Every router of the worker process. A test checks the diagrams against this list."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from pyzeebe import ZeebeTaskRouter

from alur import lint
from alur.roles import ROLES
from workers import cases, letters, sla
from workers.deps import Deps

#: The variables each job type's worker returns to the process (``alur lint`` checks what the
#: diagrams read against it; a test checks it against the workers). ``{h}`` stands for the
#: value of the task header ``h``.
JOB_OUTPUTS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        letters.ISSUE: frozenset({letters.OUTPUT}),
        letters.SEND: frozenset({"suratTerkirim"}),
        cases.RECORD: frozenset({"nomorRegister"}),
        cases.STATUS: frozenset(),
        sla.COMPUTE: frozenset({"{variabel}"}),
        sla.PAUSE: frozenset({"{variabel}JedaMulai"}),
        sla.RESUME: frozenset({"{variabel}", "{variabel}JedaMulai", "{variabel}Dijeda"}),
        sla.ESCALATE: frozenset({"terlambat"}),
    }
)
#: Every job type the routers handle (``alur lint`` checks diagrams against it; a test checks
#: it against the routers).
JOB_TYPES = frozenset(JOB_OUTPUTS)


def build_routers(deps: Deps) -> list[ZeebeTaskRouter]:
    """The routers for the job types the diagrams in ``bpmn/`` use."""
    return [letters.build_router(deps), cases.build_router(deps), sla.build_router(deps)]


def lint_context(forms_dir: Path) -> lint.Context:
    """What ``alur lint`` and the modeler check diagrams against: these workers, the forms in
    ``forms_dir`` and the roles."""
    return lint.Context(
        job_types=JOB_TYPES,
        form_ids=lint.form_ids(forms_dir),
        roles=frozenset(ROLES),
        variables=lint.known_variables(forms_dir, JOB_OUTPUTS),
    )
