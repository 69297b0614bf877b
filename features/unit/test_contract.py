"""The BPMN contract (``alur.contract``: job types and their outputs) lives in the core, and the
workers register exactly its job types, so the two cannot drift apart; linting a diagram loads
no worker module."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

from pyzeebe import ZeebeTaskRouter

from alur import contract
from stack.local import REPO
from workers import registry
from workers.runtime import JobLimits


def registered_job_types() -> set[str]:
    """The job types the worker process's routers handle (built without a broker)."""
    deps = SimpleNamespace(router=ZeebeTaskRouter, limits=JobLimits())
    routers = registry.build_routers(deps)  # type: ignore[arg-type]
    return {task.type for router in routers for task in router.tasks}


def test_the_workers_register_exactly_the_job_types_of_the_contract():
    assert registered_job_types() == contract.JOB_TYPES
    assert set(contract.JOB_OUTPUTS) == contract.JOB_TYPES


def test_the_registry_hands_on_the_contract_itself():
    assert registry.JOB_OUTPUTS is contract.JOB_OUTPUTS
    assert registry.JOB_TYPES is contract.JOB_TYPES


def test_the_lint_and_the_modeler_load_no_worker_module():
    script = (
        "import sys; from pathlib import Path; import web, web.modeler; from alur import lint; "
        "lint.lint(sorted(Path('bpmn').glob('*.bpmn')), lint.default_context(Path('forms'))); "
        "print(sorted(m for m in sys.modules if m == 'workers' or m.startswith('workers.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
