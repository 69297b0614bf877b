"""What one SOP declares, in one place (issue 24).

Adding an SOP means its diagram in ``bpmn/``, its forms in ``forms/``, its letter templates,
its feature file, and one :class:`Sop` in ``alur/sops/``: the catalogue entry, the lanes as
roles (Bahasa labels, who supervises whom), the agency that runs it (a code resolved against
the agencies' data), the registers it numbers in, and its demo accounts. Everything else
Alur derives from the declarations (``alur.sops``): the catalogue, the role list and its
groups, supervision, the national roles, the demo seed. ``features/unit/test_sops.py``
cross-checks every reference between declarations, diagrams, forms and agencies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from alur.services import Service


@dataclass(frozen=True)
class Role:
    """A lane of the SOP: the candidate group its diagram names and what staff read."""

    code: str
    label: str
    #: Roles whose tasks a holder sees as a team in the same unit and may assign.
    supervises: tuple[str, ...] = ()
    #: Sees the rows without a unit (a national process such as SP4N-LAPOR!).
    national: bool = False


@dataclass(frozen=True)
class DemoAccount:
    """An account ``make run`` creates so every lane can be tried (local demo only)."""

    username: str
    full_name: str
    position: str
    #: A unit of the agencies' data (``deploy/agencies.toml``).
    unit_code: str
    roles: tuple[str, ...]
    nip: str | None = None


@dataclass(frozen=True)
class Sop:
    """One SOP of the five, as Alur runs it."""

    #: The SOP's number in the mission (1-5); orders the catalogue.
    number: int
    #: The code of the agency that runs it (``alur.agencies``); its letterhead and registers.
    agency: str
    service: Service
    roles: tuple[Role, ...]
    #: The heading each role-code prefix of its lanes is listed under in ``/admin``.
    group_labels: Mapping[str, str]
    #: The registers (codes) its diagrams number in; each must exist for the agency.
    registers: tuple[str, ...] = ()
    demo_accounts: tuple[DemoAccount, ...] = field(default_factory=tuple)

    @property
    def process_id(self) -> str:
        return self.service.bpmn_process_id
