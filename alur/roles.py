"""Staff roles: the lanes the SOPs declare (``alur.sops``), plus Alur's own administration.

A role code is what a diagram names in ``zeebe:assignmentDefinition candidateGroups``; the
label is what staff read.
"""

from __future__ import annotations

__all__ = ["ADMIN", "GROUP_LABELS", "NATIONAL", "OWNERS", "PROCESS_OWNER", "ROLES", "SUPERVISES"]

from alur import sops
from alur.sop import Role
from storage.accounts import ADMIN

#: Alur's own roles: administrators (accounts, units, every figure; ``storage.accounts``
#: keeps one active) and process owners (who edit and deploy the diagrams).
PROCESS_OWNER = "alur.pemilik_proses"
PLATFORM: tuple[Role, ...] = (
    Role(PROCESS_OWNER, "Pemilik Proses (penyunting diagram)"),
    Role(ADMIN, "Administrator Alur", national=True),
)
#: The heading Alur's own roles are listed under in ``/admin``.
PLATFORM_GROUP = ("alur", "Alur")

_DECLARED = {**sops.roles_of(sops.SOPS), **{role.code: role for role in PLATFORM}}

#: Every role code and its label: the SOPs' lanes in the SOPs' order, then Alur's own.
ROLES: dict[str, str] = {code: role.label for code, role in _DECLARED.items()}

#: Who supervises whom: a holder of the key role sees the team's tasks of the listed roles
#: in the same unit and may assign them to a member (the heads named in the SOPs).
SUPERVISES: dict[str, frozenset[str]] = {
    code: frozenset(role.supervises) for code, role in _DECLARED.items() if role.supervises
}

#: Roles that also see the rows without a unit (national processes such as SP4N-LAPOR!).
NATIONAL: frozenset[str] = frozenset(code for code, role in _DECLARED.items() if role.national)

#: The ``/admin`` heading of each role-code prefix, in the order of ``ROLES``.
GROUP_LABELS: dict[str, str] = {
    **sops.group_labels(sops.SOPS),
    PLATFORM_GROUP[0]: PLATFORM_GROUP[1],
}


#: Who may edit and deploy diagrams.
OWNERS = (PROCESS_OWNER, ADMIN)


def label(code: str) -> str:
    return ROLES.get(code, code)


def supervised(roles: set[str] | frozenset[str]) -> frozenset[str]:
    """The roles whose tasks a holder of ``roles`` may see as a team and assign."""
    found: set[str] = set()
    for role in roles:
        found |= SUPERVISES.get(role, frozenset())
    return frozenset(found)
