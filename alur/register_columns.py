"""The columns of each kind of register book: what its documents need (issue 24).

A register's kind (``storage.agencies.REGISTER_KINDS``, chosen in the register's row) sets
which columns its book shows on screen, in CSV and in PDF. An incoming-letter agenda lists
who sent what and the letter's own number and date; an outgoing-letter book whom each letter
went to, its subject and kind; the complaint register the channel, the complainant and the
complaint. Each column reads one :class:`Line`: the register entry, the case it records (if
any) and the entry's date in the agency's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from alur import dates, letter_kinds, services
from storage import case_status
from storage.agencies import REGISTER_KINDS
from storage.models import Case, RegisterEntry


@dataclass(frozen=True)
class Line:
    """One entry of a register book, as its columns read it."""

    entry: RegisterEntry
    case: Case | None
    #: The entry's date in the agency's time zone.
    on: date


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Line], str]


def _number(line: Line) -> str:
    return line.entry.number


def _date(line: Line) -> str:
    return dates.show_date(line.on)


def _applicant(line: Line) -> str:
    """Who filed the case (with their institution, when the form asked for it)."""
    if line.case is None:
        return line.entry.party
    institution = line.case.data.get("institutionName")
    name = line.case.applicant_name
    return f"{name}, {institution}" if isinstance(institution, str) and institution else name


def _party(line: Line) -> str:
    """Whom the document went to (recorded with the number), else the applicant."""
    return line.entry.party or (line.case.applicant_name if line.case else "")


def _case_subject(line: Line) -> str:
    return line.case.subject if line.case else line.entry.subject


def _document_subject(line: Line) -> str:
    """The document's own subject (a letter's *perihal*), not the applicant's."""
    return line.entry.subject


def _document_kind(line: Line) -> str:
    kind = letter_kinds.KINDS.get(line.entry.kind)
    return kind.title if kind else ""


def _their_letter(line: Line) -> str:
    """The incoming letter's own number and date, as the applicant gave them."""
    data = line.case.data if line.case else {}
    number = data.get("letterNumber")
    raw = data.get("letterDate")
    parts = [str(number)] if isinstance(number, str) and number else []
    if isinstance(raw, str) and raw:
        try:
            parts.append(dates.show_date(date.fromisoformat(raw[:10])))
        except ValueError:
            parts.append(raw)
    return ", ".join(parts)


def _channel(line: Line) -> str:
    """The channel an intake form field names, else the one the case was registered with."""
    if line.case is None:
        return services.ONLINE[1]
    value = line.case.data.get("channel")
    if not isinstance(value, str):
        value = line.case.channel
    return services.COMPLAINT_CHANNELS.get(value, value)


def _status(line: Line) -> str:
    return case_status.label(line.case.status) if line.case else ""


def _outcome(line: Line) -> str:
    return (line.case.outcome or "") if line.case else ""


def _tracking_code(line: Line) -> str:
    return line.case.tracking_code if line.case else ""


COLUMNS: Mapping[str, tuple[Column, ...]] = MappingProxyType(
    {
        "surat-masuk": (
            Column("No. agenda", _number),
            Column("Tanggal diterima", _date),
            Column("Pengirim", _applicant),
            Column("Nomor dan tanggal surat", _their_letter),
            Column("Perihal", _case_subject),
            Column("Status", _status),
        ),
        "surat-keluar": (
            Column("Nomor surat", _number),
            Column("Tanggal", _date),
            Column("Tujuan", _party),
            Column("Perihal", _document_subject),
            Column("Jenis surat", _document_kind),
            Column("Kode pelacakan", _tracking_code),
        ),
        "nota-dinas": (
            Column("Nomor", _number),
            Column("Tanggal", _date),
            Column("Kepada", _party),
            Column("Hal", _document_subject),
            Column("Kode pelacakan", _tracking_code),
        ),
        "pengaduan": (
            Column("No. register", _number),
            Column("Tanggal", _date),
            Column("Saluran", _channel),
            Column("Pengadu", _applicant),
            Column("Pokok aduan", _case_subject),
            Column("Status", _status),
            Column("Hasil", _outcome),
        ),
        "berita-acara": (
            Column("Nomor berita acara", _number),
            Column("Tanggal", _date),
            Column("Pengadu", _party),
            Column("Perihal", _document_subject),
            Column("Hasil penyelesaian", _outcome),
        ),
    }
)

if set(COLUMNS) != set(REGISTER_KINDS):  # pragma: no cover - caught at import, in every test
    raise RuntimeError("alur.register_columns and storage.agencies.REGISTER_KINDS disagree")


def columns(kind: str) -> tuple[Column, ...]:
    """The columns of a register of ``kind`` (an unknown kind: the outgoing-letter book's)."""
    return COLUMNS.get(kind, COLUMNS["surat-keluar"])


def cells(kind: str, line: Line) -> tuple[str, ...]:
    return tuple(column.value(line) for column in columns(kind))
