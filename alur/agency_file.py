"""The agencies' file (``deploy/agencies.toml``): an installation's agencies, their
letterheads, registers and unit trees, loaded in one command (issue 24).

:func:`read` parses and checks a file without a database: every value meets the rules of
``storage.agencies`` (a refusal names its key), the registers of the file never repeat each
other's numbers, a logo is a PNG or JPEG within the limit, a unit's ``layanan`` (the
services whose cases it receives for its agency, ``Unit.services``: a service many agencies
run, such as a DPMPTSP's complaints, has one receiving unit per agency) names services of
Alur's catalogue. The SOP cross-check (``alur.sopcheck``) and the printed SOP table resolve
agency codes and registers against it.
:func:`load` writes a file into the database: ``python -m alur.cli agencies load
deploy/agencies.toml``; ``make run`` loads only what the database lacks (``only_new``), so an
edit made in ``/admin`` survives a restart.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from alur import agencies, sops
from alur.agencies import Agency
from alur.letter_parts import Logo
from alur.numbering import Register
from storage import accounts
from storage import agencies as stored

SHIPPED = Path(__file__).resolve().parent.parent / "deploy" / "agencies.toml"

_AGENCY_KEYS = {
    "nama": "name",
    "kop_atas": "parent",
    "kop_bawah": "units",
    "alamat": "address",
    "kontak": "contact",
    "tempat": "place",
    "zona_waktu": "timezone",
    "nama_untuk_pemohon": "display_name",
}
_REGISTER_KEYS = {"kode": "code", "judul": "title", "pola": "pattern", "jenis": "kind"}
_UNIT_KEYS = {"kode", "nama", "induk", "layanan"}
#: The storage rules' field names -> the file's keys, to name a refusal's key.
_FILE_KEY = {v: k for k, v in {**_AGENCY_KEYS, **_REGISTER_KEYS}.items()} | {
    "code": "kode",
    "register_code": "kode",
    "logo": "logo",
}


class AgencyFileError(ValueError):
    """The file cannot be loaded: ``<path>: <key>: <what is wrong>`` (in Bahasa)."""


@dataclass(frozen=True)
class FileUnit:
    code: str
    name: str
    parent_code: str | None
    #: None: a unit of an agency not in the file (``[[unit]]``).
    agency_code: str | None
    #: The services (``Service.code``) whose cases it receives for its agency (``layanan``).
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileAgency:
    code: str
    letterhead: stored.Letterhead
    registers: tuple[stored.RegisterFields, ...]
    logo: bytes | None = field(default=None, repr=False)
    #: The agency's own days off: date -> name.
    days_off: Mapping[date, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AgencyFile:
    path: Path
    agencies: tuple[FileAgency, ...]
    units: tuple[FileUnit, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(a.code for a in self.agencies)

    @property
    def register_keys(self) -> frozenset[tuple[str, str]]:
        """(agency, register code) of every register in the file."""
        return frozenset((a.code, r.code) for a in self.agencies for r in a.registers)

    @property
    def unit_codes(self) -> frozenset[str]:
        return frozenset(u.code for u in self.units)

    def unit_name(self, code: str) -> str:
        return next(unit.name for unit in self.units if unit.code == code)

    def agency(self, code: str) -> Agency:
        """The agency as letters use it, straight from the file; KeyError if absent."""
        found = next((a for a in self.agencies if a.code == code), None)
        if found is None:
            raise KeyError(f"unknown agency {code!r}")
        logo = None
        if found.logo is not None:
            logo = Logo(stored.inspect_logo(found.logo).content_type, found.logo)
        return agencies.of_fields(found.code, found.letterhead, logo)

    def register(self, agency: str, code: str) -> Register:
        """The register straight from the file; KeyError if absent."""
        for item in self.agencies:
            for reg in item.registers if item.code == agency else ():
                if reg.code == code:
                    return Register(agency, reg.code, reg.title, reg.pattern, reg.kind)
        raise KeyError(f"no register {code!r} for agency {agency!r}")


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, key: str, message: str) -> AgencyFileError:
        return AgencyFileError(f"{self.path}: {key}: {message}")

    def keys(self, data: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.error(f"{where}{key}", f"kunci tidak dikenal (yang dikenal: {known})")

    def text(self, data: Mapping[str, Any], key: str, where: str, required: bool = False) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise self.error(where + key, f"harus berupa teks dalam tanda kutip, bukan {value!r}")
        if required and not value.strip():
            raise self.error(where + key, "wajib diisi")
        return value

    def table(self, value: Any, key: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.error(key, "harus berupa tabel ([...])")
        return value

    def tables(self, value: Any, key: str) -> list[Mapping[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self.error(key, f"harus berupa daftar tabel ([[{key}]])")
        return value

    def refused(self, where: str, refusal: stored.AgencyRefused) -> AgencyFileError:
        key = _FILE_KEY.get(refusal.field, refusal.field)
        return self.error(where + key, refusal.message)


def read(path: Path) -> AgencyFile:
    """The agencies' file at ``path``, checked as a whole.

    Raises:
        AgencyFileError: the file is not TOML, names an unknown key, or holds a value the
            agency rules refuse (the message names the key).
    """
    reader = _Reader(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise reader.error("(berkas)", f"bukan TOML yang benar: {exc}") from exc
    reader.keys(data, "", {"instansi", "unit"})
    sections = reader.table(data.get("instansi", {}), "instansi")
    found: list[FileAgency] = []
    units: list[FileUnit] = []
    for code, section in sections.items():
        where = f"instansi.{code}."
        if refusal := stored.code_refusal(code):
            raise reader.error(f"instansi.{code}", refusal)
        agency, own_units = _agency(reader, code, reader.table(section, where[:-1]), where)
        found.append(agency)
        units += own_units
    others = reader.tables(data.get("unit", []), "unit")
    units += [_unit(reader, item, f"unit[{n}].", None) for n, item in enumerate(others)]
    _check_registers(reader, found)
    _check_units(reader, units)
    return AgencyFile(path, tuple(found), tuple(units))


def _agency(
    reader: _Reader, code: str, section: Mapping[str, Any], where: str
) -> tuple[FileAgency, list[FileUnit]]:
    reader.keys(section, where, {*_AGENCY_KEYS, "logo", "register", "unit", "libur"})
    lines = section.get("kop_bawah", [])
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise reader.error(
            where + "kop_bawah", 'harus berupa daftar teks, mis. ["Republik Indonesia"]'
        )
    values = {
        name: reader.text(section, key, where, required=key in {"nama", "tempat", "zona_waktu"})
        for key, name in _AGENCY_KEYS.items()
        if key != "kop_bawah"
    }
    letterhead = stored.Letterhead(units=tuple(lines), **values)
    if errors := stored.letterhead_refusals(letterhead):
        raise reader.refused(where, stored.AgencyRefused(errors))
    logo = None
    if "logo" in section:
        relative = reader.text(section, "logo", where, required=True)
        image = reader.path.parent / relative
        if not image.is_file():
            raise reader.error(
                where + "logo", f"berkas {relative} tidak ada (path relatif terhadap berkas ini)"
            )
        logo = image.read_bytes()
        try:
            stored.inspect_logo(logo)
        except stored.AgencyRefused as refusal:
            raise reader.refused(where, refusal) from None
    registers = []
    for n, item in enumerate(reader.tables(section.get("register", []), where + "register")):
        at = f"{where}register[{n}]."
        reader.keys(item, at, set(_REGISTER_KEYS))
        fields = stored.RegisterFields(
            **{
                name: reader.text(item, key, at, required=True)
                for key, name in _REGISTER_KEYS.items()
            }
        )
        if errors := stored.register_refusals(fields):
            raise reader.refused(at, stored.AgencyRefused(errors))
        registers.append(fields)
    units = [
        _unit(reader, item, f"{where}unit[{n}].", code)
        for n, item in enumerate(reader.tables(section.get("unit", []), where + "unit"))
    ]
    days = _days_off(reader, reader.table(section.get("libur", {}), where + "libur"), where)
    return FileAgency(code, letterhead, tuple(registers), logo, days), units


def _days_off(reader: _Reader, table: Mapping[str, Any], where: str) -> dict[date, str]:
    """``"TTTT-BB-HH" = "nama"`` lines, as ``deploy/kalender.toml`` writes them."""
    days: dict[date, str] = {}
    for key, name in table.items():
        at = f"{where}libur.{key}"
        try:
            day = date.fromisoformat(key)
        except ValueError:
            raise reader.error(at, 'tanggal ditulis "TTTT-BB-HH", mis. "2026-10-12"') from None
        if not isinstance(name, str):
            raise reader.error(at, "nama hari libur harus berupa teks dalam tanda kutip")
        if errors := stored.day_off_refusals(day, name):
            raise reader.error(at, next(iter(errors.values())))
        days[day] = name.strip()
    return days


def _unit(reader: _Reader, item: Mapping[str, Any], where: str, agency: str | None) -> FileUnit:
    reader.keys(item, where, _UNIT_KEYS)
    code = reader.text(item, "kode", where, required=True)
    if not accounts.UNIT_CODE.fullmatch(code):
        raise reader.error(
            where + "kode",
            "kode unit hanya boleh huruf kecil, angka, titik, garis bawah atau tanda hubung,"
            " paling banyak 64 karakter, diawali huruf atau angka",
        )
    name = reader.text(item, "nama", where, required=True)
    if len(name) > 255:
        raise reader.error(where + "nama", "paling banyak 255 karakter")
    parent = reader.text(item, "induk", where) or None
    return FileUnit(code, name, parent, agency, _services(reader, item, where))


def _services(reader: _Reader, item: Mapping[str, Any], where: str) -> tuple[str, ...]:
    """``layanan``: the codes of the services whose cases the unit receives, e.g.
    ``["pengaduan-dpmptsp"]``; each a service of Alur's catalogue, once."""
    value = item.get("layanan", [])
    example = 'mis. ["pengaduan-dpmptsp"]'
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise reader.error(where + "layanan", f"harus berupa daftar kode layanan, {example}")
    known = {service.code for service in sops.CATALOG}
    for code in value:
        if code not in known:
            raise reader.error(
                where + "layanan",
                f"layanan {code!r} tidak dikenal (yang dikenal: {', '.join(sorted(known))})",
            )
        if value.count(code) > 1:
            raise reader.error(where + "layanan", f"layanan {code} ditulis dua kali")
    return tuple(value)


def _check_registers(reader: _Reader, found: list[FileAgency]) -> None:
    """No two registers of the file can write the same number."""
    seen: list[tuple[str, int, stored.RegisterFields]] = []
    for agency in found:
        codes: set[str] = set()
        for n, reg in enumerate(agency.registers):
            where = f"instansi.{agency.code}.register[{n}]."
            if reg.code in codes:
                raise reader.error(where + "kode", f"register {reg.code} ditulis dua kali")
            codes.add(reg.code)
            for other_agency, _m, other in seen:
                if stored.may_collide(reg.pattern, other.pattern):
                    raise reader.error(
                        where + "pola",
                        f"pola ini dapat menghasilkan nomor yang sama dengan register"
                        f" {other.code} milik instansi {other_agency} ({other.pattern})",
                    )
            seen.append((agency.code, n, reg))


def _check_units(reader: _Reader, units: list[FileUnit]) -> None:
    """Unit codes are unique and each parent is written before its children."""
    known: set[str] = set()
    for unit in units:
        if unit.code in known:
            raise reader.error(f"unit {unit.code}", "kode unit ditulis dua kali")
        if unit.parent_code is not None and unit.parent_code not in known:
            raise reader.error(
                f"unit {unit.code}.induk",
                f"unit induk {unit.parent_code} belum ditulis di atasnya",
            )
        known.add(unit.code)


@lru_cache(maxsize=1)
def shipped() -> AgencyFile:
    """The repository's own ``deploy/agencies.toml``."""
    return read(SHIPPED)


@dataclass
class Report:
    """What :func:`load` did: counts of ``created``, ``updated`` and ``unchanged`` things."""

    agencies: dict[str, int] = field(default_factory=dict)
    registers: dict[str, int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    days_off: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def count(tally: dict[str, int], what: str) -> None:
        tally[what] = tally.get(what, 0) + 1

    def lines(self) -> list[str]:
        """What the command prints, in Bahasa."""
        words = {"created": "dibuat", "updated": "diubah", "unchanged": "tetap"}
        out = []
        for label, tally in (
            ("Instansi", self.agencies),
            ("Register", self.registers),
            ("Unit", self.units),
            ("Hari libur instansi", self.days_off),
        ):
            parts = [f"{tally[k]} {w}" for k, w in words.items() if tally.get(k)]
            out.append(f"{label}: {', '.join(parts) or 'tidak ada'}.")
        return out


def load(session: Session, data: AgencyFile, who: str, *, only_new: bool = False) -> Report:
    """Write the file's agencies, registers and units into the database and commit, all or
    nothing. Things that exist are set to the file's values (each change in the agency's
    history, by ``who``), or left alone with ``only_new`` (which still gives a unit that
    receives no service yet the file's ``layanan``: a database from before that key). An
    agency without ``logo`` in the file keeps the logo it has; registers, units and days off
    absent from the file stay.

    Raises:
        AgencyFileError: the database refuses something the file holds (a register whose
            pattern can repeat one the database has); nothing was written.
    """
    report = Report()
    try:
        for item in data.agencies:
            _load_agency(session, item, who, only_new, report)
        for unit in data.units:
            if only_new:
                report.count(report.units, _add_unit(session, unit))
            else:
                existed = accounts.get_unit(session, unit.code) is not None
                changed = accounts.save_unit(
                    session,
                    unit.code,
                    unit.name,
                    unit.parent_code,
                    unit.agency_code,
                    unit.services,
                )
                what = "unchanged" if not changed else "updated" if existed else "created"
                report.count(report.units, what)
        session.commit()
    except stored.AgencyRefused as refusal:
        session.rollback()
        raise AgencyFileError(f"{data.path}: {refusal.message}") from refusal
    except BaseException:
        session.rollback()
        raise
    return report


def _add_unit(session: Session, unit: FileUnit) -> str:
    """A unit the database lacks, or the services of a unit that receives none yet (a
    database from before ``layanan``); what it did."""
    row = accounts.get_unit(session, unit.code)
    if row is None:
        accounts.ensure_unit(
            session, unit.code, unit.name, unit.parent_code, unit.agency_code, unit.services
        )
        return "created"
    if unit.services and not row.services:
        row.services = list(unit.services)
        session.flush()
        return "updated"
    return "unchanged"


def _load_agency(
    session: Session, item: FileAgency, who: str, only_new: bool, report: Report
) -> None:
    exists = stored.get(session, item.code) is not None
    if not exists:
        stored.create(session, item.code, item.letterhead, who)
        report.count(report.agencies, "created")
    elif only_new:
        report.count(report.agencies, "unchanged")
    else:
        changed = stored.update(session, item.code, item.letterhead, who).what == "updated"
        if item.logo is not None:
            changed |= stored.set_logo(session, item.code, item.logo, who).what == "updated"
        report.count(report.agencies, "updated" if changed else "unchanged")
    if item.logo is not None and not exists:
        stored.set_logo(session, item.code, item.logo, who)
    for reg in item.registers:
        if stored.get_register(session, item.code, reg.code) is None:
            stored.add_register(session, item.code, reg, who)
            report.count(report.registers, "created")
        elif only_new:
            report.count(report.registers, "unchanged")
        else:
            outcome = stored.update_register(session, item.code, reg, who)
            report.count(report.registers, outcome.what)
    stored_days = stored.days_off(session, item.code)
    for day, name in item.days_off.items():
        if day not in stored_days:
            stored.add_day_off(session, item.code, day, name, who)
            report.count(report.days_off, "created")
        elif only_new or stored_days[day] == name:
            report.count(report.days_off, "unchanged")
        else:  # renamed in the file
            stored.remove_day_off(session, item.code, day, who)
            stored.add_day_off(session, item.code, day, name, who)
            report.count(report.days_off, "updated")
