"""Agencies as data: letterhead, place of signing, time zone, logo, registers, and who changed
what and when (issue 24).

Every caller (the admin pages, ``alur agencies load``, a script) goes through these
functions, and every rule holds for all of them: a value the rules refuse raises
:class:`AgencyRefused` with a Bahasa message per field *before* anything is written, so bad
input changes nothing. Each change writes its :class:`~storage.models.AgencyChange` row in the
same transaction (flushed; the caller commits). Reading is per use: a worker or the web app
that reads an agency after an edit is committed gets the edited one, without a restart.
"""

from __future__ import annotations

import hashlib
import re
import string
import struct
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Agency, AgencyChange, AgencyDayOff, AgencyRegister, Unit, utcnow

#: The time zones of Indonesia, and what letters print after a time.
TIMEZONES: dict[str, str] = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
#: Kinds of register, each with the columns its book shows (``alur.register_columns``).
REGISTER_KINDS: dict[str, str] = {
    "surat-masuk": "Agenda surat masuk",
    "surat-keluar": "Surat keluar",
    "nota-dinas": "Nota dinas",
    "pengaduan": "Buku register pengaduan",
    "berita-acara": "Berita acara",
}
#: What a number pattern may hold besides fixed text.
PLACEHOLDERS = ("seq", "bulan", "tahun")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
#: A rendered number must fit ``register_entry.number``.
MAX_NUMBER = 64
MAX_PATTERN = 48
LOGO_MAX_BYTES = 512 * 1024
LOGO_MIN_SIDE, LOGO_MAX_SIDE = 16, 4000
MAX_UNIT_LINES = 4
CODE = re.compile(r"[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?")
_CODE_RULE = (
    "huruf kecil, angka dan tanda hubung (-), paling banyak 32 karakter, diawali huruf dan"
    " tidak diakhiri tanda hubung"
)


class AgencyRefused(ValueError):
    """A change of agency data the rules refuse; nothing was changed.

    ``errors`` maps each field that is wrong (the admin form's field names: ``code``,
    ``name``, ``timezone``, ``logo``, ``pattern``, ...) to what to tell the person, in Bahasa.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))

    @property
    def field(self) -> str:
        return next(iter(self.errors))

    @property
    def message(self) -> str:
        return self.errors[self.field]


@dataclass(frozen=True)
class Letterhead:
    """What an administrator edits of an agency besides its code, logo and registers."""

    name: str
    place: str
    timezone: str = "Asia/Jakarta"
    #: The line above the name ("Pemerintah Provinsi Jawa Timur").
    parent: str = ""
    #: The lines under the name.
    units: tuple[str, ...] = ()
    address: str = ""
    contact: str = ""
    #: What applicants read as the agency's name; empty: ``name``.
    display_name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", tuple(self.units))


@dataclass(frozen=True)
class RegisterFields:
    """One register of an agency as an administrator writes it."""

    code: str
    title: str
    pattern: str
    kind: str


@dataclass(frozen=True)
class Picture:
    """A logo that passed the checks: its type, read from its bytes, and its size."""

    content_type: str
    width: int
    height: int


@dataclass(frozen=True)
class Outcome:
    """What a save did: ``created``, ``updated`` or ``unchanged``."""

    what: str
    changes: dict[str, Any] = field(default_factory=dict)


# -- the rules -------------------------------------------------------------------------------


def code_refusal(code: str, what: str = "Kode instansi") -> str | None:
    """What is wrong with ``code`` as an agency's (or, with ``what``, a register's) code."""
    if not code:
        return f"{what} wajib diisi."
    if not CODE.fullmatch(code):
        return f"{what} hanya boleh {_CODE_RULE}, misalnya dpmptsp-sleman."
    return None


def _text(errors: dict[str, str], key: str, value: str, label: str, limit: int) -> None:
    if len(value) > limit:
        errors[key] = f"{label} paling banyak {limit} karakter."
    elif "\n" in value or "\r" in value:
        errors[key] = f"{label} ditulis dalam satu baris."


def letterhead_refusals(fields: Letterhead) -> dict[str, str]:
    """Each field of ``fields`` the rules refuse, with its Bahasa message."""
    errors: dict[str, str] = {}
    if not fields.name.strip():
        errors["name"] = "Nama instansi wajib diisi."
    _text(errors, "name", fields.name, "Nama instansi", 255)
    _text(errors, "parent", fields.parent, "Baris di atas nama", 255)
    if len(fields.units) > MAX_UNIT_LINES:
        errors["units"] = f"Baris di bawah nama paling banyak {MAX_UNIT_LINES} baris."
    elif any(not line.strip() for line in fields.units):
        errors["units"] = "Baris di bawah nama tidak boleh kosong."
    else:
        for line in fields.units:
            _text(errors, "units", line, "Setiap baris di bawah nama", 255)
    _text(errors, "address", fields.address, "Alamat", 500)
    _text(errors, "contact", fields.contact, "Kontak", 500)
    if not fields.place.strip():
        errors["place"] = "Tempat penandatanganan wajib diisi, misalnya Surabaya."
    _text(errors, "place", fields.place, "Tempat penandatanganan", 100)
    if fields.timezone not in TIMEZONES:
        choices = ", ".join(f"{zone} ({label})" for zone, label in TIMEZONES.items())
        errors["timezone"] = f"Zona waktu harus salah satu dari: {choices}."
    _text(errors, "display_name", fields.display_name, "Nama untuk pemohon", 255)
    return errors


def _fields_of(pattern: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return list(string.Formatter().parse(pattern))


def pattern_refusal(pattern: str) -> str | None:
    """What is wrong with ``pattern`` as a number pattern, or None."""
    if not pattern.strip():
        return "Pola nomor wajib diisi, misalnya B-{seq}/DPMPTSP/{bulan}/{tahun}."
    if len(pattern) > MAX_PATTERN:
        return f"Pola nomor paling banyak {MAX_PATTERN} karakter."
    if pattern != pattern.strip() or any(c.isspace() and c != " " for c in pattern):
        return "Pola nomor ditulis dalam satu baris, tanpa spasi di awal atau akhir."
    try:
        parts = _fields_of(pattern)
    except ValueError:
        return (
            "Kurung kurawal pada pola nomor tidak berpasangan: tulis {seq}, {bulan} atau {tahun}."
        )
    allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            return f"Pola nomor memuat {shown} yang tidak dikenal; yang boleh hanya {allowed}."
    names = [name for _literal, name, _spec, _conv in parts if name is not None]
    if "seq" not in names:
        return "Pola nomor harus memuat {seq}, nomor urut dalam tahun itu."
    if names.count("seq") > 1:
        return "Pola nomor memuat {seq} lebih dari sekali."
    if "tahun" not in names:
        return (
            "Pola nomor harus memuat {tahun}: nomor urut dimulai lagi dari 1 setiap tahun, jadi"
            " tanpa tahun nomornya akan berulang."
        )
    if len(render(pattern, 999_999, date(2026, 8, 1))) > MAX_NUMBER:
        return f"Nomor yang dihasilkan pola ini bisa lebih dari {MAX_NUMBER} karakter."
    return None


def render(pattern: str, seq: int, on: date) -> str:
    """The number ``seq`` of ``pattern`` on ``on``: ``B-123/DPMPTSP/XI/2026``."""
    return pattern.format(seq=seq, bulan=ROMAN_MONTHS[on.month - 1], tahun=on.year)


def _matcher(pattern: str) -> re.Pattern[str]:
    pieces = {
        "seq": "[0-9]+",
        "bulan": "(?:" + "|".join(ROMAN_MONTHS) + ")",
        "tahun": "[0-9]{4}",
    }
    regex = "".join(
        re.escape(literal) + (pieces[name] if name else "")
        for literal, name, _spec, _conv in _fields_of(pattern)
    )
    return re.compile(regex)


def _samples(pattern: str) -> list[str]:
    return [
        render(pattern, seq, date(2026, month, 1))
        for seq in (1, 7, 12, 123, 4567)
        for month in range(1, 13)
    ]


def may_collide(pattern: str, other: str) -> bool:
    """Whether the two patterns can write the same number (found by writing numbers of each
    and reading them with the other; numbers are unique across every register)."""
    mine, theirs = _matcher(pattern), _matcher(other)
    return any(theirs.fullmatch(n) for n in _samples(pattern)) or any(
        mine.fullmatch(n) for n in _samples(other)
    )


def register_refusals(
    fields: RegisterFields, others: Iterable[AgencyRegister] = ()
) -> dict[str, str]:
    """Each field of ``fields`` the rules refuse; ``others`` are the registers whose numbers
    it must never repeat (every register but itself)."""
    errors: dict[str, str] = {}
    if refused := code_refusal(fields.code, "Kode register"):
        errors["register_code"] = refused
    if not fields.title.strip():
        errors["title"] = "Judul register wajib diisi."
    _text(errors, "title", fields.title, "Judul register", 255)
    if refused := pattern_refusal(fields.pattern):
        errors["pattern"] = refused
    else:
        for other in others:
            if may_collide(fields.pattern, other.pattern):
                errors["pattern"] = (
                    f"Pola nomor ini dapat menghasilkan nomor yang sama dengan register"
                    f" {other.code} milik instansi {other.agency_code} ({other.pattern})."
                    " Tambahkan kode pembeda, misalnya singkatan instansi."
                )
                break
    if fields.kind not in REGISTER_KINDS:
        errors["kind"] = "Jenis register harus salah satu dari: " + ", ".join(REGISTER_KINDS) + "."
    return errors


_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
# Start-of-frame markers (they carry the size); C4, C8 and CC are other segments.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def inspect_logo(data: bytes) -> Picture:
    """The logo's type and size, read from its bytes (what the upload claims is ignored).

    Raises:
        AgencyRefused: empty, larger than ``LOGO_MAX_BYTES``, not a PNG or JPEG image, damaged,
            or smaller or larger than the sides allow.
    """

    def refuse(message: str) -> AgencyRefused:
        return AgencyRefused({"logo": message})

    if not data:
        raise refuse("Pilih berkas logo (gambar PNG atau JPEG).")
    if len(data) > LOGO_MAX_BYTES:
        raise refuse(
            f"Logo paling besar {LOGO_MAX_BYTES // 1024} KB; berkas ini"
            f" {-(-len(data) // 1024)} KB. Perkecil gambarnya lalu unggah lagi."
        )
    if data.startswith(_PNG):
        content_type, size = "image/png", _png_size(data)
    elif data.startswith(_JPEG):
        content_type, size = "image/jpeg", _jpeg_size(data)
    else:
        raise refuse("Logo harus berupa gambar PNG atau JPEG.")
    if size is None:
        raise refuse("Berkas logo rusak: gambarnya tidak dapat dibaca.")
    width, height = size
    if not (LOGO_MIN_SIDE <= width <= LOGO_MAX_SIDE and LOGO_MIN_SIDE <= height <= LOGO_MAX_SIDE):
        raise refuse(
            f"Ukuran logo harus {LOGO_MIN_SIDE} sampai {LOGO_MAX_SIDE} piksel per sisi; logo"
            f" ini {width} x {height} piksel."
        )
    return Picture(content_type, width, height)


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from IHDR, once every chunk up to IEND is whole and its CRC right."""
    at, size = len(_PNG), None
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        crc = data[at + 8 + length : at + 12 + length]
        if len(body) != length or len(crc) != 4:
            return None
        if struct.unpack(">I", crc)[0] != zlib.crc32(kind + body):
            return None
        if size is None:
            if kind != b"IHDR" or length != 13:
                return None
            size = struct.unpack(">II", body[:8])
        if kind == b"IEND":
            return size
        at += 12 + length
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first start-of-frame segment before the scan."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xDA:  # the scan: no frame header before it
            return None
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2 or at + 2 + length > len(data):
            return None
        if marker in _SOF:
            if length < 7:
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None


def _who_refusal(who: str) -> None:
    if not who.strip() or len(who) > 255:
        raise ValueError(f"who changed it must be named (at most 255 characters): {who!r}")


# -- reading ---------------------------------------------------------------------------------


def get(session: Session, code: str) -> Agency | None:
    return session.get(Agency, code)


def require(session: Session, code: str) -> Agency:
    """The agency ``code``.

    Raises:
        AgencyRefused: no agency has that code (field ``code``).
    """
    found = session.get(Agency, code) if code else None
    if found is None:
        raise AgencyRefused({"code": f"Instansi dengan kode {code!r} tidak dikenal."})
    return found


def list_agencies(session: Session) -> list[Agency]:
    """Every agency, by name."""
    return list(session.scalars(select(Agency).order_by(Agency.name, Agency.code)))


def names(session: Session) -> dict[str, str]:
    """Each agency's code -> the name applicants read."""
    rows = session.execute(select(Agency.code, Agency.display_name, Agency.name))
    return {code: display or name for code, display, name in rows}


def registers(session: Session, agency_code: str | None = None) -> list[AgencyRegister]:
    """The registers of ``agency_code`` (default: of every agency), by agency and title."""
    query = select(AgencyRegister).order_by(AgencyRegister.agency_code, AgencyRegister.title)
    if agency_code is not None:
        query = query.where(AgencyRegister.agency_code == agency_code)
    return list(session.scalars(query))


def get_register(session: Session, agency_code: str, code: str) -> AgencyRegister | None:
    return session.get(AgencyRegister, (agency_code, code))


def history(session: Session, agency_code: str) -> list[AgencyChange]:
    """Every change of the agency, newest first."""
    query = (
        select(AgencyChange)
        .where(AgencyChange.agency_code == agency_code)
        .order_by(AgencyChange.at.desc(), AgencyChange.id.desc())
    )
    return list(session.scalars(query))


def days_off(
    session: Session, agency_code: str, years: Iterable[int] | None = None
) -> dict[date, str]:
    """The agency's own days off (date -> name), in date order; only of ``years`` if given."""
    query = select(AgencyDayOff).where(AgencyDayOff.agency_code == agency_code)
    if years is not None:
        wanted = sorted(set(years))
        if not wanted:
            return {}
        query = query.where(
            AgencyDayOff.day >= date(wanted[0], 1, 1), AgencyDayOff.day <= date(wanted[-1], 12, 31)
        )
        return {
            row.day: row.name
            for row in session.scalars(query.order_by(AgencyDayOff.day))
            if row.day.year in wanted
        }
    return {row.day: row.name for row in session.scalars(query.order_by(AgencyDayOff.day))}


def units_of(session: Session, agency_code: str) -> list[Unit]:
    """The units of the agency's tree, by name."""
    query = select(Unit).where(Unit.agency_code == agency_code).order_by(Unit.name, Unit.code)
    return list(session.scalars(query))


# -- changing --------------------------------------------------------------------------------


def letterhead_of(row: Agency) -> Letterhead:
    """The letterhead fields of a stored agency."""
    return Letterhead(
        name=row.name,
        place=row.place,
        timezone=row.timezone,
        parent=row.parent,
        units=tuple(row.units or ()),
        address=row.address,
        contact=row.contact,
        display_name=row.display_name,
    )


def _wanted(fields: Letterhead) -> dict[str, Any]:
    values = asdict(fields)
    values["units"] = [line.strip() for line in fields.units]
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: {"before": before.get(key), "after": after[key]}
        for key in after
        if before.get(key) != after[key]
    }


def _record(
    session: Session,
    agency_code: str,
    who: str,
    action: str,
    changes: dict[str, Any],
    subject: str = "",
) -> None:
    session.add(
        AgencyChange(
            agency_code=agency_code,
            at=utcnow(),
            who=who,
            action=action,
            subject=subject,
            changes=changes,
        )
    )


def create(session: Session, code: str, fields: Letterhead, who: str) -> Agency:
    """A new agency (flushed with its history row; the caller commits).

    Raises:
        AgencyRefused: a bad code, a code already taken, or a field the rules refuse.
    """
    _who_refusal(who)
    errors = letterhead_refusals(fields)
    if refused := code_refusal(code):
        errors = {"code": refused, **errors}
    elif session.get(Agency, code) is not None:
        errors = {"code": f"Kode instansi {code} sudah dipakai.", **errors}
    if errors:
        raise AgencyRefused(errors)
    values = _wanted(fields)
    row = Agency(code=code, updated_at=utcnow(), **values)
    session.add(row)
    session.flush()
    _record(session, code, who, "agency.created", _diff({}, values))
    session.flush()
    return row


def update(session: Session, code: str, fields: Letterhead, who: str) -> Outcome:
    """Replace the agency's letterhead fields; a history row names what changed (none, and no
    row, when nothing did). Flushed; the caller commits.

    Raises:
        AgencyRefused: an unknown agency, or a field the rules refuse.
    """
    _who_refusal(who)
    row = require(session, code)
    errors = letterhead_refusals(fields)
    if errors:
        raise AgencyRefused(errors)
    values = _wanted(fields)
    changes = _diff(_wanted(letterhead_of(row)), values)
    if not changes:
        return Outcome("unchanged")
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    _record(session, code, who, "agency.updated", changes)
    session.flush()
    return Outcome("updated", changes)


def set_logo(session: Session, code: str, data: bytes, who: str) -> Outcome:
    """Replace the agency's logo with ``data`` (PNG or JPEG, see :func:`inspect_logo`).

    Raises:
        AgencyRefused: an unknown agency, or a file the logo rules refuse.
    """
    _who_refusal(who)
    row = require(session, code)
    picture = inspect_logo(data)
    digest = hashlib.sha256(data).hexdigest()
    if row.logo_sha256 == digest:
        return Outcome("unchanged")
    changes = {"logo": {"before": row.logo_sha256, "after": digest}}
    row.logo, row.logo_type, row.logo_sha256 = data, picture.content_type, digest
    row.updated_at = utcnow()
    _record(session, code, who, "logo.set", changes)
    session.flush()
    return Outcome("updated", changes)


def remove_logo(session: Session, code: str, who: str) -> Outcome:
    """Letters of the agency print no logo from now on."""
    _who_refusal(who)
    row = require(session, code)
    if row.logo is None:
        return Outcome("unchanged")
    changes = {"logo": {"before": row.logo_sha256, "after": None}}
    row.logo = row.logo_type = row.logo_sha256 = None
    row.updated_at = utcnow()
    _record(session, code, who, "logo.removed", changes)
    session.flush()
    return Outcome("updated", changes)


def _others(session: Session, agency_code: str, code: str) -> list[AgencyRegister]:
    return [r for r in registers(session) if (r.agency_code, r.code) != (agency_code, code)]


def add_register(
    session: Session, agency_code: str, fields: RegisterFields, who: str
) -> AgencyRegister:
    """A new register of the agency (flushed with its history row).

    Raises:
        AgencyRefused: an unknown agency, a code the agency already has, or a field the rules
            refuse (a pattern without ``{seq}`` or ``{tahun}``, with unknown placeholders, or
            able to repeat another register's numbers).
    """
    _who_refusal(who)
    require(session, agency_code)
    errors = register_refusals(fields, _others(session, agency_code, fields.code))
    if "register_code" not in errors and get_register(session, agency_code, fields.code):
        errors["register_code"] = f"Instansi ini sudah punya register berkode {fields.code}."
    if errors:
        raise AgencyRefused(errors)
    values = {"title": fields.title.strip(), "pattern": fields.pattern, "kind": fields.kind}
    row = AgencyRegister(agency_code=agency_code, code=fields.code, updated_at=utcnow(), **values)
    session.add(row)
    _touch(session, agency_code)
    _record(session, agency_code, who, "register.created", _diff({}, values), fields.code)
    session.flush()
    return row


def update_register(
    session: Session, agency_code: str, fields: RegisterFields, who: str
) -> Outcome:
    """Replace the title, pattern and kind of the agency's register ``fields.code`` (its code
    never changes). Numbers given before keep the text they were given with.

    Raises:
        AgencyRefused: an unknown agency or register, or a field the rules refuse.
    """
    _who_refusal(who)
    require(session, agency_code)
    row = get_register(session, agency_code, fields.code)
    if row is None:
        raise AgencyRefused(
            {"register_code": f"Instansi ini tidak punya register berkode {fields.code!r}."}
        )
    errors = register_refusals(fields, _others(session, agency_code, fields.code))
    if errors:
        raise AgencyRefused(errors)
    values = {"title": fields.title.strip(), "pattern": fields.pattern, "kind": fields.kind}
    changes = _diff({"title": row.title, "pattern": row.pattern, "kind": row.kind}, values)
    if not changes:
        return Outcome("unchanged")
    row.title, row.pattern, row.kind = values["title"], values["pattern"], values["kind"]
    row.updated_at = utcnow()
    _touch(session, agency_code)
    _record(session, agency_code, who, "register.updated", changes, fields.code)
    session.flush()
    return Outcome("updated", changes)


def day_off_refusals(day: Any, name: str) -> dict[str, str]:
    """What is wrong with a day off: ``day`` a date, ``name`` its name in one line."""
    errors: dict[str, str] = {}
    if not isinstance(day, date) or not 2000 <= day.year <= 2100:
        errors["day"] = "Tanggal libur harus tanggal antara tahun 2000 dan 2100."
    if not name.strip():
        errors["day_name"] = "Nama hari libur wajib diisi, misalnya Hari Jadi Kabupaten Sleman."
    _text(errors, "day_name", name, "Nama hari libur", 255)
    return errors


def add_day_off(session: Session, agency_code: str, day: date, name: str, who: str) -> None:
    """A day the agency's offices are closed (flushed with its history row); its time limits
    count no working time on it from the next computation on.

    Raises:
        AgencyRefused: an unknown agency, a date already a day off, or an empty name.
    """
    _who_refusal(who)
    require(session, agency_code)
    errors = day_off_refusals(day, name)
    if not errors and session.get(AgencyDayOff, (agency_code, day)) is not None:
        errors["day"] = "Tanggal ini sudah menjadi hari libur instansi ini."
    if errors:
        raise AgencyRefused(errors)
    session.add(AgencyDayOff(agency_code=agency_code, day=day, name=name.strip()))
    _touch(session, agency_code)
    changes = {"day_name": {"before": None, "after": name.strip()}}
    _record(session, agency_code, who, "day_off.added", changes, day.isoformat())
    session.flush()


def remove_day_off(session: Session, agency_code: str, day: date, who: str) -> Outcome:
    """The day is a working day of the agency again (unless the national list says not)."""
    _who_refusal(who)
    require(session, agency_code)
    row = session.get(AgencyDayOff, (agency_code, day))
    if row is None:
        return Outcome("unchanged")
    changes = {"day_name": {"before": row.name, "after": None}}
    session.delete(row)
    _touch(session, agency_code)
    _record(session, agency_code, who, "day_off.removed", changes, day.isoformat())
    session.flush()
    return Outcome("updated", changes)


def _touch(session: Session, agency_code: str) -> None:
    row = session.get(Agency, agency_code)
    if row is not None:
        row.updated_at = utcnow()
