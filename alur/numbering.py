"""Official numbers in each agency's format: which registers exist and how numbers read.

A register is one series of numbers of one agency (outgoing letters, minutes, the complaint
register book, ...); it starts again at 1 every year. Registers are agency data
(``storage.agencies``, edited in ``/admin/instansi``, loaded from ``deploy/agencies.toml``):
each use reads the register afresh, so an edited pattern numbers the next document.
``storage.numbering`` hands out the numbers; this module only knows their shape.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from alur import sops
from storage import accounts
from storage import agencies as stored
from storage.accounts import ADMIN
from storage.agencies import ROMAN_MONTHS
from storage.models import AgencyRegister

__all__ = [
    "ROMAN_MONTHS",
    "Register",
    "all_registers",
    "may_read",
    "of_row",
    "readable",
    "readers_of",
    "register",
]


@dataclass(frozen=True)
class Register:
    agency: str
    code: str
    title: str
    #: ``{seq}`` the number in the year, ``{bulan}`` the month in Roman numerals, ``{tahun}``.
    pattern: str
    #: Which documents it records, and so which columns its book shows
    #: (``storage.agencies.REGISTER_KINDS``, ``alur.register_columns``).
    kind: str = "surat-keluar"

    def render(self, seq: int, on: date) -> str:
        """The number as written on the document, e.g. ``B-123/DPMPTSP/XI/2026``."""
        return stored.render(self.pattern, seq, on)


def of_row(row: AgencyRegister) -> Register:
    return Register(row.agency_code, row.code, row.title, row.pattern, row.kind)


def readers_of(session: Session, agency: str) -> tuple[str, ...]:
    """Role-code prefixes of the staff who may read ``agency``'s registers: the lanes of the
    SOPs it runs, those declaring it and those whose service its units receive (a DPMPTSP of
    a regency running SOP 3)."""
    served = accounts.services_of_agency(session, agency)
    found = {
        sops.prefix(role.code)
        for sop in sops.SOPS
        if sop.agency == agency or sop.service.code in served
        for role in sop.roles
    }
    return tuple(sorted(f"{group}." for group in found)) or (f"{agency}.",)


def readable(
    session: Session, registers: Iterable[Register], roles: Collection[str], unit_code: str
) -> list[Register]:
    """Those of ``registers`` a member holding ``roles`` in unit ``unit_code`` reads.

    Alur's administrators read every register; other staff those of their own agency (their
    unit's, or the nearest unit above it with one) when they hold a role of an SOP it runs
    (:func:`readers_of`), so one agency never reads another's. A member of a unit of no
    agency reads by role alone, as before units had agencies.
    """
    if ADMIN in roles:
        return list(registers)
    own = accounts.unit_agency(session, unit_code)
    prefixes: dict[str, tuple[str, ...]] = {}
    found = []
    for register in registers:
        if own is not None and own != register.agency:
            continue
        if register.agency not in prefixes:
            prefixes[register.agency] = readers_of(session, register.agency)
        if any(role.startswith(prefixes[register.agency]) for role in roles):
            found.append(register)
    return found


def may_read(session: Session, register: Register, roles: Collection[str], unit_code: str) -> bool:
    """Whether a member holding ``roles`` in unit ``unit_code`` reads ``register``
    (:func:`readable`)."""
    return bool(readable(session, [register], roles, unit_code))


def register(session: Session, agency: str, code: str) -> Register:
    """The register ``code`` of ``agency`` as stored now; KeyError names what is missing."""
    row = stored.get_register(session, agency, code) if agency and code else None
    if row is None:
        raise KeyError(f"no register {code!r} for agency {agency!r}")
    return of_row(row)


def all_registers(session: Session) -> list[Register]:
    """Every register of every agency, by agency and title."""
    return [of_row(row) for row in stored.registers(session)]
