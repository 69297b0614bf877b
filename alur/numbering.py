"""Official numbers in each agency's format: which registers exist and how numbers read.

A register is one series of numbers of one agency (outgoing letters, minutes, the complaint
register book, ...); it starts again at 1 every year. Registers are agency data
(``storage.agencies``, edited in ``/admin/instansi``, loaded from ``deploy/agencies.toml``):
each use reads the register afresh, so an edited pattern numbers the next document.
``storage.numbering`` hands out the numbers; this module only knows their shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from alur import sops
from storage import agencies as stored
from storage.accounts import ADMIN
from storage.agencies import ROMAN_MONTHS
from storage.models import AgencyRegister

__all__ = ["ROMAN_MONTHS", "Register", "all_registers", "may_read", "of_row", "register"]


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

    @property
    def readers(self) -> tuple[str, ...]:
        """Role-code prefixes of the staff who may read this register (its agency's lanes)."""
        return sops.readers(sops.SOPS, self.agency) or (f"{self.agency}.",)

    def render(self, seq: int, on: date) -> str:
        """The number as written on the document, e.g. ``B-123/DPMPTSP/XI/2026``."""
        return stored.render(self.pattern, seq, on)


def of_row(row: AgencyRegister) -> Register:
    return Register(row.agency_code, row.code, row.title, row.pattern, row.kind)


def may_read(register: Register, roles: set[str] | frozenset[str]) -> bool:
    """Staff of the register's agency and Alur's administrators read a register."""
    return ADMIN in roles or any(r.startswith(register.readers) for r in roles)


def register(session: Session, agency: str, code: str) -> Register:
    """The register ``code`` of ``agency`` as stored now; KeyError names what is missing."""
    row = stored.get_register(session, agency, code) if agency and code else None
    if row is None:
        raise KeyError(f"no register {code!r} for agency {agency!r}")
    return of_row(row)


def all_registers(session: Session) -> list[Register]:
    """Every register of every agency, by agency and title."""
    return [of_row(row) for row in stored.registers(session)]
