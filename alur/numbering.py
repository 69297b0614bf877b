"""Official numbers in each agency's format: which registers exist and how numbers read.

A register is one series of numbers of one agency (outgoing letters, minutes, the complaint
register book, ...); it starts again at 1 every year. ``storage.numbering`` hands out the
numbers; this module only knows their shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True)
class Register:
    agency: str
    code: str
    title: str
    #: ``{seq}`` the number in the year, ``{bulan}`` the month in Roman numerals, ``{tahun}``.
    pattern: str

    @property
    def readers(self) -> tuple[str, ...]:
        """Role-code prefixes of the staff who may read this register (its agency's lanes)."""
        return READERS.get(self.agency, (f"{self.agency}.",))

    def render(self, seq: int, on: date) -> str:
        """The number as written on the document, e.g. ``B-123/DPMPTSP/XI/2026``."""
        return self.pattern.format(seq=seq, bulan=ROMAN_MONTHS[on.month - 1], tahun=on.year)


REGISTERS: tuple[Register, ...] = (
    Register(
        "kemenpanrb",
        "surat-masuk",
        "Agenda surat masuk Kementerian PANRB",
        "{seq}/SM/{bulan}/{tahun}",
    ),
    Register(
        "kemenpanrb",
        "surat-keluar",
        "Surat keluar Kementerian PANRB",
        "B-{seq}/KL.01/{bulan}/{tahun}",
    ),
    Register(
        "kemenpanrb",
        "nota-dinas",
        "Nota dinas Deputi Kelembagaan dan Tata Laksana",
        "ND-{seq}/D.KT/{bulan}/{tahun}",
    ),
    Register(
        "dpmptsp", "pengaduan", "Buku Register Pengaduan DPMPTSP", "{seq}/REG-PGD/DPMPTSP/{tahun}"
    ),
    Register("dpmptsp", "surat-keluar", "Surat keluar DPMPTSP", "B-{seq}/DPMPTSP/{bulan}/{tahun}"),
    Register(
        "dpmptsp",
        "berita-acara",
        "Berita acara penyelesaian pengaduan",
        "BA-{seq}/DPMPTSP/{bulan}/{tahun}",
    ),
    Register("kasn", "surat-keluar", "Surat keluar KASN", "B-{seq}/KASN/{bulan}/{tahun}"),
    Register("lapor", "jawaban", "Jawaban laporan SP4N-LAPOR!", "{seq}/LAPOR/{bulan}/{tahun}"),
)


#: The agencies whose staff hold roles under more than one prefix.
READERS: dict[str, tuple[str, ...]] = {"kemenpanrb": ("kemenpanrb.", "spbe.")}


def may_read(register: Register, roles: set[str] | frozenset[str]) -> bool:
    """Staff of the register's agency and Alur's administrators read a register."""
    return "alur.admin" in roles or any(r.startswith(register.readers) for r in roles)


def register(agency: str, code: str) -> Register:
    """The register ``code`` of ``agency``; KeyError names what is missing."""
    for item in REGISTERS:
        if item.agency == agency and item.code == code:
            return item
    raise KeyError(f"no register {code!r} for agency {agency!r}")
