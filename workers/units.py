"""The units a disposition may choose from (SP4N-LAPOR!: the agency, then an echelon-1 unit
below it, then a UPT below that), as the options of a form's select.

``alur.unit.daftar`` (the units to choose from)
    header ``variabel`` (required): the variable it returns. Header ``layanan`` (a service
    code): the units receiving that service (``alur.services.receivers``, labelled as
    applicants read them: the agency's name); without it, variable ``unitInduk`` (a unit
    code): the units directly beneath that unit, labelled with their names. Variable
    ``kecuali`` (optional, a unit code or null): a unit left out of the list (the one that
    returned the report, say). Returns ``<variabel>``: ``[{"label": ..., "value": <unit
    code>}, ...]`` by label, the shape form-js reads from a select's ``valuesKey``; the web
    app refuses a submitted value that is not among them (``alur.forms``). An empty list is an
    answer; an unknown service or unit, or a missing header or variable, fails the job.

Units are data (``deploy/agencies.toml``, ``/admin/unit``): the list is read at each job, so a
unit added since the diagram was deployed is offered from the next case on.

No ``from __future__ import annotations``: pyzeebe matches ``job: Job`` by its annotation.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyzeebe import Job, ZeebeTaskRouter

from alur import services
from alur.contract import UNIT_LIST
from alur.sops import CATALOG
from storage import accounts
from workers.deps import Deps
from workers.variables import JobInputError

LIST = UNIT_LIST
#: The header naming the variable returned.
HEADER_VARIABLE = "variabel"
#: The header naming a service: the units receiving it are the options.
HEADER_SERVICE = "layanan"
#: The variable naming the unit whose direct children are the options (without ``layanan``).
PARENT = "unitInduk"
#: The variable naming a unit left out of the options (optional; null leaves none out).
EXCLUDED = "kecuali"


@dataclass(frozen=True)
class Source:
    """Where the options come from: the units receiving ``service``, or (None) those directly
    beneath ``parent``; ``excluded`` left out."""

    service: str | None
    parent: str | None
    excluded: str | None


def output_of(headers: Mapping[str, str]) -> str:
    """The variable the header ``variabel`` names."""
    name = headers.get(HEADER_VARIABLE, "")
    if not name.isidentifier():
        raise JobInputError(f"header {HEADER_VARIABLE}={name!r} is not a variable name")
    return name


def _code(name: str, raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise JobInputError(f"variable {name} must be a unit code, not {raw!r}")
    return raw.strip()


def source_of(headers: Mapping[str, str], variables: Mapping[str, Any]) -> Source:
    """What the job's header ``layanan`` or variable ``unitInduk``, and ``kecuali``, ask for."""
    raw_excluded = variables.get(EXCLUDED)
    excluded = None if raw_excluded is None else _code(EXCLUDED, raw_excluded)
    if HEADER_SERVICE in headers:
        service = headers[HEADER_SERVICE].strip()
        if not service:
            raise JobInputError(f"header {HEADER_SERVICE} is empty: give a service code")
        return Source(service, None, excluded)
    if PARENT not in variables:
        raise JobInputError(
            f"neither header {HEADER_SERVICE} nor variable {PARENT}: say which units to list"
        )
    return Source(None, _code(PARENT, variables[PARENT]), excluded)


def unit_options(deps: Deps, source: Source) -> list[dict[str, str]]:
    """The units ``source`` asks for as select options (label, unit code), by label."""
    with deps.sessions() as db:
        if source.excluded is not None and accounts.get_unit(db, source.excluded) is None:
            raise JobInputError(f"variable {EXCLUDED}={source.excluded!r} is not a unit")
        if source.service is not None:
            service = services.by_code(CATALOG, source.service)
            if service is None:
                raise JobInputError(
                    f"header {HEADER_SERVICE}={source.service!r} is not a service of Alur"
                )
            found = [(r.label, r.unit_code) for r in services.receivers(db, service)]
        else:
            assert source.parent is not None
            if accounts.get_unit(db, source.parent) is None:
                raise JobInputError(f"variable {PARENT}={source.parent!r} is not a unit")
            found = [(unit.name, unit.code) for unit in accounts.child_units(db, source.parent)]
    return [
        {"label": label, "value": code} for label, code in sorted(found) if code != source.excluded
    ]


def build_router(deps: Deps) -> ZeebeTaskRouter:
    router = deps.router()
    options = deps.limits.task_options()

    @router.task(task_type=LIST, single_value=False, **options)
    def list_units(job: Job) -> dict[str, Any]:
        """The units a disposition may choose from, in the variable the header names."""
        headers = dict(job.custom_headers)
        name = output_of(headers)
        return {name: unit_options(deps, source_of(headers, job.variables))}

    return router
