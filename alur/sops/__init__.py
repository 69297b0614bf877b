"""The SOPs Alur runs, one declaration each (``alur.sop``), and what is derived from them.

A new SOP is one module here with its ``SOP``, added to :data:`SOPS`; the catalogue, the roles
and their groups, supervision, national roles, register readers and demo accounts follow.
"""

from __future__ import annotations

from collections.abc import Iterable

from alur.services import Service
from alur.sop import DemoAccount, Role, Sop
from alur.sops import konsultasi_kasn, konsultasi_surat, lapor, pengaduan_dpmptsp, pertimbangan_spbe

#: In the mission's order (the catalogue lists them so).
SOPS: tuple[Sop, ...] = (
    konsultasi_surat.SOP,
    pertimbangan_spbe.SOP,
    pengaduan_dpmptsp.SOP,
    konsultasi_kasn.SOP,
    lapor.SOP,
)

#: The public services, one per SOP, in the same order.
CATALOG: tuple[Service, ...] = tuple(sop.service for sop in SOPS)


class DeclarationError(ValueError):
    """Two declarations disagree (the same role or group declared differently)."""


def prefix(role_code: str) -> str:
    """The group of a role code: what comes before its first dot (``kemenpanrb``)."""
    return role_code.split(".", 1)[0]


def roles_of(sops: Iterable[Sop]) -> dict[str, Role]:
    """Every role the declarations name, by code, in declaration order; a role several SOPs
    declare must be declared the same way."""
    found: dict[str, Role] = {}
    for sop in sops:
        for role in sop.roles:
            if role.code in found and found[role.code] != role:
                raise DeclarationError(f"role {role.code!r} is declared differently twice")
            found[role.code] = role
    return found


def group_labels(sops: Iterable[Sop]) -> dict[str, str]:
    """The ``/admin`` heading of each role group, with the SOPs that use it:
    ``Kementerian PANRB (SOP 1 dan 2)``."""
    labels: dict[str, str] = {}
    numbers: dict[str, list[int]] = {}
    for sop in sops:
        for group, label in sop.group_labels.items():
            if labels.setdefault(group, label) != label:
                raise DeclarationError(f"group {group!r} is labelled differently twice")
        for group in {prefix(role.code) for role in sop.roles}:
            numbers.setdefault(group, []).append(sop.number)
    return {group: f"{label} ({_sops(numbers.get(group, []))})" for group, label in labels.items()}


def _sops(numbers: list[int]) -> str:
    ordered = [str(n) for n in sorted(set(numbers))]
    if len(ordered) <= 1:
        return f"SOP {''.join(ordered)}"
    return f"SOP {', '.join(ordered[:-1])} dan {ordered[-1]}"


def readers(sops: Iterable[Sop], agency: str) -> tuple[str, ...]:
    """The role-code prefixes of the staff who read an agency's registers: its SOPs' lanes."""
    found = {prefix(r.code) for sop in sops if sop.agency == agency for r in sop.roles}
    return tuple(sorted(f"{group}." for group in found))


def demo_accounts(sops: Iterable[Sop]) -> tuple[DemoAccount, ...]:
    """Every SOP's demo accounts, in declaration order."""
    return tuple(account for sop in sops for account in sop.demo_accounts)
