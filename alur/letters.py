"""Letters rendered to PDF: Jinja2 templates (autoescaped) laid out by WeasyPrint.

Every letter extends ``templates/letters/base.html`` (letterhead, double rule, metadata) and
is styled by the one static stylesheet ``templates/letters/letters.css``, passed to WeasyPrint
as a stylesheet, never through the template context (autoescape would mangle it). The first
letter is the receipt (*tanda terima*) a citizen downloads after submitting a request.

The official products of the five SOPs are :class:`Letter` values rendered by
:func:`render_letter`: one :class:`LetterKind` per product in :data:`KINDS`, laid out as an
Indonesian *surat dinas* (``surat_dinas.html``: Nomor/Sifat/Lampiran/Hal, place and date,
Yth., body, signer, Tembusan), a *nota dinas* or a *berita acara*. Each kind names the case
data it needs in ``Letter.fields``; a letter is checked when it is built, not when rendered.

WeasyPrint is imported on first render, not at import: it takes about a second and needs
Pango, which the date helpers here do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time

from alur import feel

LETTERS_DIR = Path(__file__).parent / "templates" / "letters"
STYLESHEET = LETTERS_DIR / "letters.css"
LOCALE = "id_ID"
DEFAULT_TZ = "Asia/Jakarta"

# Letters embed nothing from outside: only data: URIs (the check-mark font in letters.css,
# an agency logo passed as bytes) may be fetched, so text that reaches an attribute cannot
# make the renderer open files or call URLs.
_ALLOWED_PROTOCOLS = ("data",)


def format_date(d: date) -> str:
    """``date(2026, 12, 3)`` → ``"3 Desember 2026"``.

    A datetime is refused: its date depends on the time zone, so convert it first (or use
    :func:`format_datetime`).
    """
    if isinstance(d, datetime):
        raise TypeError("format_date takes a date; convert a datetime to local time first")
    return _babel_date(d, "d MMMM y", locale=LOCALE)


def local_date(dt: datetime, tz: str = DEFAULT_TZ) -> date:
    """The calendar date of the aware datetime ``dt`` in the time zone ``tz``."""
    return _localize(dt, tz).date()


def format_datetime(dt: datetime, tz: str = DEFAULT_TZ) -> str:
    """An aware datetime → ``"Kamis, 3 Desember 2026 pukul 09.30 WIB"`` (WITA, WIT by zone)."""
    local = _localize(dt, tz)
    day = _babel_date(local, "EEEE, d MMMM y", locale=LOCALE)
    time = _babel_time(local, "HH.mm z", tzinfo=local.tzinfo, locale=LOCALE)
    return f"{day} pukul {time}"


def _localize(dt: datetime, tz: str) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("a naive datetime has no time zone; pass an aware datetime")
    return dt.astimezone(ZoneInfo(tz))


_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def hari(d: date) -> str:
    """The day of the week of ``d`` in Bahasa Indonesia: ``date(2026, 12, 3)`` → ``"Kamis"``."""
    if isinstance(d, datetime):
        raise TypeError("hari takes a date; convert a datetime to local time first")
    return _DAYS[d.weekday()]


def bulan(d: date) -> str:
    """The month of ``d`` in Bahasa Indonesia: ``date(2026, 12, 3)`` → ``"Desember"``."""
    if isinstance(d, datetime):
        raise TypeError("bulan takes a date; convert a datetime to local time first")
    return _babel_date(d, "MMMM", locale=LOCALE)


_UNITS = (
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "sebelas",
)  # fmt: skip
_SCALES = ((1_000_000_000, "miliar"), (1_000_000, "juta"), (1_000, "ribu"))
TERBILANG_MAX = 999_999_999_999


def terbilang(n: int) -> str:
    """``n`` in Indonesian words, as official documents write numbers out.

    ``2026`` → ``"dua ribu dua puluh enam"``, ``111`` → ``"seratus sebelas"``, ``1000`` →
    ``"seribu"``; 0 to 999 999 999 999 (``"... miliar"``).

    Raises:
        TypeError: ``n`` is not an int (a bool is refused too).
        ValueError: ``n`` is negative or above :data:`TERBILANG_MAX`.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"terbilang takes an int, not {type(n).__name__}")
    if not 0 <= n <= TERBILANG_MAX:
        raise ValueError(f"terbilang covers 0 to {TERBILANG_MAX:_}, not {n}")
    if n == 0:
        return "nol"
    words: list[str] = []
    for scale, name in _SCALES:
        group, n = divmod(n, scale)
        if group == 1 and name == "ribu":
            words.append("seribu")  # but "satu juta", "satu miliar"
        elif group:
            words += [*_below_thousand(group), name]
    return " ".join(words + _below_thousand(n))


def _below_thousand(n: int) -> list[str]:
    """1..999 in words; 0 gives no word (it is silent inside a larger number)."""
    hundreds, rest = divmod(n, 100)
    words = ["seratus"] if hundreds == 1 else [_UNITS[hundreds], "ratus"] if hundreds else []
    if 0 < rest < 12:
        words.append(_UNITS[rest])
    elif 12 <= rest < 20:
        words += [_UNITS[rest - 10], "belas"]
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        words += [_UNITS[tens], "puluh"] + ([_UNITS[ones]] if ones else [])
    return words


@dataclass(frozen=True)
class Letterhead:
    """The *kop surat*: agency name, sub-unit lines, address and contact line.

    ``parent`` is the optional line above the name ("Pemerintah Provinsi DKI Jakarta").
    """

    name: str
    units: tuple[str, ...] = ()
    address: str = ""
    contact: str = ""
    parent: str = ""


#: The letterhead of an installation that has not configured its agency's own.
DEFAULT_LETTERHEAD = Letterhead(name="Alur", units=("Layanan Publik Terpadu",))


@dataclass(frozen=True)
class Receipt:
    """What a *tanda terima* shows. The applicant's PIN is deliberately not a field.

    ``requirements`` lists each required document as ``(label, filename)``, with ``None``
    for one not submitted. ``timezone`` is the agency's (WIB, WITA or WIT on the page).
    """

    tracking_code: str
    service_name: str
    applicant_name: str
    submitted_at: datetime
    subject: str
    requirements: Sequence[tuple[str, str | None]]
    tracking_url: str
    applicant_email: str | None = None
    letterhead: Letterhead = field(default=DEFAULT_LETTERHEAD)
    place: str = "Jakarta"
    timezone: str = DEFAULT_TZ

    def __post_init__(self) -> None:
        if not self.tracking_code.strip():
            raise ValueError("a receipt needs a tracking code")
        if self.submitted_at.tzinfo is None or self.submitted_at.utcoffset() is None:
            raise ValueError("submitted_at must be an aware datetime")
        if not self.tracking_url.startswith(("https://", "http://")):
            raise ValueError(f"tracking_url must be an http(s) URL: {self.tracking_url!r}")
        ZoneInfo(self.timezone)  # fails early on an unknown zone
        object.__setattr__(
            self, "requirements", tuple((label, name) for label, name in self.requirements)
        )


# Official letters #################################################################################


@dataclass(frozen=True)
class Signer:
    """Who signs: name, position (``"\\n"`` separates lines, e.g. an "a.n." line) and NIP.

    A political official (a Minister) has no NIP: leave it ``None`` and no NIP line is printed.
    """

    name: str
    position: str
    nip: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip() or not self.position.strip():
            raise ValueError("a signer needs a name and a position")


@dataclass(frozen=True)
class Addressee:
    """The *Yth.* block: name (with any title), position, institution and address lines."""

    name: str
    position: str = ""
    institution: str = ""
    address: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("an addressee needs a name")
        object.__setattr__(self, "address", tuple(self.address))


#: Codes of ``fields["topic"]`` (SOP 1) → the words printed.
TOPICS = {
    "kelembagaan": "kelembagaan",
    "tata_laksana": "tata laksana",
    "spbe": "Sistem Pemerintahan Berbasis Elektronik (SPBE)",
}
#: Codes of ``fields["mode"]``: how the consultation is held (SOP 1, step 3).
MODES = {"tatap_muka": "tatap muka", "daring": "daring (dalam jaringan)"}
#: Codes of ``fields["recommendation"]`` (SOP 2): the Minister's consideration.
RECOMMENDATIONS = {
    "direkomendasikan": "DIREKOMENDASIKAN",
    "direkomendasikan dengan catatan": "DIREKOMENDASIKAN DENGAN CATATAN",
    "tidak direkomendasikan": "TIDAK DIREKOMENDASIKAN",
}
#: Codes of ``fields["category"]``: the three kinds of SP4N-LAPOR! report (SOP 5).
REPORT_CATEGORIES = {
    "pengaduan": "Pengaduan",
    "aspirasi": "Aspirasi",
    "permintaan_informasi": "Permintaan Informasi",
}
#: Who initials the settlement minutes before they are signed (SOP 3, steps 6 and 7).
DEFAULT_INITIALS = (
    "Kepala Bidang Pengaduan, Kebijakan dan Pelaporan Layanan",
    "Sekretaris Dinas",
)

# A check takes a field's key and value and returns the value the templates get (a string
# stripped, paragraphs as a tuple) or raises TypeError/ValueError naming the field.
Check = Callable[[str, Any], Any]


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"field {key!r} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"field {key!r} is empty")
    return value.strip()


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"field {key!r} must be a string or a sequence of strings")
    return tuple(value)


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def _paragraphs(key: str, value: Any) -> tuple[str, ...]:
    """Paragraphs: a sequence of strings, or one string whose paragraphs a blank line ends."""
    parts = _BLANK_LINE.split(value) if isinstance(value, str) else _strings(key, value)
    paragraphs = tuple(p.strip() for p in parts if p.strip())
    if not paragraphs:
        raise ValueError(f"field {key!r} is empty")
    return paragraphs


def _items(key: str, value: Any) -> tuple[str, ...]:
    """Entries of a list (legal bases, notes); may be empty."""
    return tuple(item.strip() for item in _strings(key, value) if item.strip())


def _day(key: str, value: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"field {key!r} must be a date (not a datetime)")
    return value


def _moment(key: str, value: Any) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise TypeError(f"field {key!r} must be an aware datetime")
    return value


def _zone(key: str, value: Any) -> str:
    try:
        ZoneInfo(_text(key, value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"field {key!r} is not a time zone: {value!r}") from exc
    return str(value)


def _flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"field {key!r} must be True or False")
    return value


def _days(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"field {key!r} must be a whole number of days, at least 1")
    return value


def _signer(key: str, value: Any) -> Signer:
    if not isinstance(value, Signer):
        raise TypeError(f"field {key!r} must be a Signer")
    return value


def _choice(options: Mapping[str, str]) -> Check:
    def check(key: str, value: Any) -> str:
        if value not in options:
            raise ValueError(f"field {key!r} must be one of {', '.join(options)}; got {value!r}")
        return str(value)

    return check


#: Every key a letter's ``fields`` may hold, with its check. Kinds pick from these.
FIELDS: Mapping[str, Check] = MappingProxyType(
    {
        # The applicant's letter (or e-mail) being answered.
        "request_number": _text,
        "request_date": _day,
        # Consultations (SOP 1 at KemenPAN-RB, SOP 4 at KASN).
        "topic": _choice(TOPICS),
        "matter": _paragraphs,  # the consultation matter as the applicant put it
        "mode": _choice(MODES),
        "schedule": _moment,  # when the consultation is held
        "timezone": _zone,  # the zone the schedule is printed in (WIB, WITA, WIT)
        "venue": _text,  # room and address (tatap muka), meeting link (daring), minutes' place
        "contact_name": _text,  # the officer the applicant contacts
        "contact": _text,  # their phone and/or e-mail
        "reason": _paragraphs,  # why a request is refused or cannot be processed
        "advice": _paragraphs,  # what the applicant can do instead
        "response": _paragraphs,  # KASN's analysis and answer
        "legal_basis": _items,  # regulations cited, one per entry
        # Complaints (SOP 3 at the DPMPTSP).
        "register_number": _text,  # the entry in the Buku Register Pengaduan
        "received_on": _day,
        "channel": _text,  # how it came in: "surat", "SP4N-LAPOR!", ...
        "summary": _paragraphs,
        "answer": _paragraphs,
        "settlement": _paragraphs,  # what both sides agreed
        "officer": _signer,  # the DPMPTSP officer who signs the minutes with the complainant
        "initials": _items,  # positions that initial the minutes, lowest first
        # Special SPBE applications (SOP 2).
        "proposal_number": _text,
        "proposal_date": _day,
        "institution": _text,  # the proposing ministry, agency or regional government
        "application": _text,  # the application's name
        "review_summary": _paragraphs,
        "recommendation": _choice(RECOMMENDATIONS),
        "notes": _items,  # conditions or reasons attached to the recommendation
        "meetings": _items,  # the meetings and technical discussions held
        # SP4N-LAPOR! (SOP 5).
        "tracking_id": _text,
        "category": _choice(REPORT_CATEGORIES),
        "submitted_on": _day,
        "unit": _text,  # the unit that gave the substantive answer
        "anonymous": _flag,  # the reporter's identity is hidden: no name or address printed
        "close_after_days": _days,  # the system closes the report this long after the answer
    }
)

# Dates of what a letter answers: none may come after the letter itself.
_EARLIER_DATES = ("request_date", "received_on", "proposal_date", "submitted_on")


@dataclass(frozen=True)
class LetterKind:
    """One official product: its template, its title (Bahasa) and the fields it takes.

    ``defaults`` fill optional fields left out; ``check`` tests fields against each other.
    """

    template: str
    title: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    check: Callable[[Letter], None] | None = None

    def __post_init__(self) -> None:
        unknown = [key for key in (*self.required, *self.optional) if key not in FIELDS]
        if unknown:
            raise ValueError(f"no check for field(s) {', '.join(unknown)}")
        object.__setattr__(self, "defaults", MappingProxyType(dict(self.defaults)))

    def validate(self, code: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """``fields`` checked and normalised; ``None`` counts as absent."""
        given = {key: value for key, value in fields.items() if value is not None}
        missing = [key for key in self.required if key not in given]
        if missing:
            raise ValueError(f"{code} letter is missing required field(s): {', '.join(missing)}")
        unknown = sorted(set(given) - {*self.required, *self.optional})
        if unknown:
            raise ValueError(
                f"{code} letter does not take field(s): {', '.join(unknown)}"
                f" (it takes {', '.join((*self.required, *self.optional))})"
            )
        return {key: FIELDS[key](key, value) for key, value in given.items()}


def _schedule_not_before_letter(letter: Letter) -> None:
    tz = letter.fields.get("timezone", DEFAULT_TZ)
    if local_date(letter.fields["schedule"], tz) < letter.date:
        raise ValueError("schedule is before the letter's date")


def _notes_with_conditions(letter: Letter) -> None:
    if letter.fields["recommendation"] == "direkomendasikan dengan catatan" and not (
        letter.fields.get("notes")
    ):
        raise ValueError("a recommendation 'dengan catatan' needs its notes")


def document_title(kind: str) -> str:
    """What a stored document is, for people: ``tanda_terima`` → ``"Tanda terima permohonan"``,
    a letter kind → its title."""
    letter = KINDS.get(kind)
    if letter is not None:
        return letter.title
    return OTHER_DOCUMENTS.get(kind, kind.replace("_", " ").capitalize())


#: Documents that are not letters: uploads and the receipt.
OTHER_DOCUMENTS = MappingProxyType(
    {
        "lampiran": "Berkas dari pemohon",
        "tanda_terima": "Tanda terima permohonan",
        "surat": "Surat",
    }
)


#: The official products of the five SOPs, by code.
KINDS: Mapping[str, LetterKind] = MappingProxyType(
    {
        # SOP 1, step 4: the reply approving a consultation, with schedule and contact.
        "konsultasi_jawaban": LetterKind(
            template="konsultasi_jawaban.html",
            title="Surat Jawaban Konsultasi",
            required=(
                "request_number",
                "request_date",
                "topic",
                "mode",
                "schedule",
                "venue",
                "contact_name",
                "contact",
            ),
            optional=("matter", "timezone"),
            defaults={"timezone": DEFAULT_TZ},
            check=_schedule_not_before_letter,
        ),
        # SOP 1, step 5: the rejection letter.
        "konsultasi_penolakan": LetterKind(
            template="konsultasi_penolakan.html",
            title="Surat Penolakan Konsultasi",
            required=("request_number", "request_date", "topic", "reason"),
            optional=("matter", "advice"),
        ),
        # SOP 4, steps 4-8: KASN's reply to a written consultation.
        "kasn_tanggapan": LetterKind(
            template="kasn_tanggapan.html",
            title="Surat Tanggapan atas Konsultasi",
            required=("request_date", "matter", "response"),
            optional=("request_number", "legal_basis"),
        ),
        # SOP 4, step 3: the confirmation that a consultation cannot be processed.
        "kasn_konfirmasi": LetterKind(
            template="kasn_konfirmasi.html",
            title="Surat Konfirmasi Permohonan Konsultasi",
            required=("request_date", "matter", "reason"),
            optional=("request_number", "advice"),
        ),
        # SOP 3, procedure B: the reply to a complaint, signed by the Kepala Dinas.
        "pengaduan_jawaban": LetterKind(
            template="pengaduan_jawaban.html",
            title="Surat Jawaban Pengaduan",
            required=("register_number", "received_on", "summary", "answer"),
            optional=("channel",),
        ),
        # SOP 3, procedure A: the settlement minutes, initialled, signed and numbered.
        "berita_acara_pengaduan": LetterKind(
            template="berita_acara_pengaduan.html",
            title="Berita Acara Penyelesaian Pengaduan",
            required=("register_number", "received_on", "summary", "settlement", "officer"),
            optional=("venue", "channel", "initials"),
            defaults={"initials": DEFAULT_INITIALS},
        ),
        # SOP 2, steps 9 and 11: the Minister's consideration/recommendation letter.
        "spbe_rekomendasi": LetterKind(
            template="spbe_rekomendasi.html",
            title="Surat Pertimbangan dan Rekomendasi Aplikasi Khusus SPBE",
            required=(
                "proposal_number",
                "proposal_date",
                "institution",
                "application",
                "review_summary",
                "recommendation",
            ),
            optional=("notes", "legal_basis"),
            check=_notes_with_conditions,
        ),
        # SOP 2, step 9: the Deputy reports the review to the Minister.
        "nota_dinas": LetterKind(
            template="nota_dinas.html",
            title="Nota Dinas",
            required=("institution", "application", "review_summary", "recommendation"),
            optional=("proposal_number", "proposal_date", "meetings", "notes"),
            check=_notes_with_conditions,
        ),
        # SOP 5, steps 8 and 10: the substantive answer to an SP4N-LAPOR! report.
        "lapor_jawaban": LetterKind(
            template="lapor_jawaban.html",
            title="Surat Tindak Lanjut Laporan SP4N-LAPOR!",
            required=("tracking_id", "category", "summary", "answer", "unit"),
            optional=("submitted_on", "anonymous", "close_after_days"),
            defaults={"anonymous": False},
        ),
    }
)


@dataclass(frozen=True, kw_only=True)
class Letter:
    """An official letter (or nota dinas, or minutes) ready to render.

    ``number`` is the number already allocated from the agency's register; ``date`` the
    letter's own date (a date, not a datetime). ``fields`` holds the case data of the kind:
    ``KINDS[kind].required`` and any of ``KINDS[kind].optional`` (see :data:`FIELDS`); they
    are checked and normalised here (text stripped, paragraphs and lists as tuples).

    A *berita acara* has no Nomor/Sifat/Lampiran/Hal block and no *Yth.*: its ``addressee``
    is the complainant, a party who signs it, and ``subject`` names the complaint. A *nota
    dinas* prints no place, only its ``Tanggal`` row, and the signer's position as "Dari".

    Raises:
        ValueError: an unknown kind, a missing or unknown field, or an invalid value.
        TypeError: a field of the wrong type.
    """

    kind: str
    number: str
    date: date
    place: str
    letterhead: Letterhead
    addressee: Addressee
    subject: str
    signer: Signer
    sifat: str = "Biasa"
    lampiran: str = "-"
    cc: tuple[str, ...] = ()
    fields: Mapping[str, Any] = field(hash=False)

    def __post_init__(self) -> None:
        kind = KINDS.get(self.kind)
        if kind is None:
            raise ValueError(f"unknown letter kind {self.kind!r}; one of {', '.join(KINDS)}")
        if isinstance(self.date, datetime) or not isinstance(self.date, date):
            raise TypeError("a letter's date must be a date; convert a datetime first")
        for name in ("number", "place", "subject", "sifat", "lampiran"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise TypeError(f"a letter's {name} must be a string")
            if not value.strip():
                raise ValueError(f"a letter needs a {name}")
        if not all(isinstance(entry, str) and entry.strip() for entry in self.cc):
            raise ValueError("each Tembusan (cc) entry must be a non-empty string")
        object.__setattr__(self, "cc", tuple(self.cc))
        object.__setattr__(self, "fields", MappingProxyType(kind.validate(self.kind, self.fields)))
        for key in _EARLIER_DATES:
            if key in self.fields and self.fields[key] > self.date:
                raise ValueError(f"{key} is after the letter's date")
        if kind.check is not None:
            kind.check(self)

    @property
    def title(self) -> str:
        """The kind's title and the number: the PDF's title."""
        return f"{KINDS[self.kind].title} {self.number}"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(LETTERS_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tanggal"] = format_date
    env.filters["waktu"] = format_datetime
    env.filters["hari"] = hari
    env.filters["bulan"] = bulan
    env.filters["terbilang"] = terbilang
    return env


def render_html(template: str, context: Mapping[str, Any]) -> str:
    """The HTML of the letter template ``template`` (a name in templates/letters)."""
    return _environment().get_template(template).render(context)


def render_pdf(template: str, context: Mapping[str, Any]) -> bytes:
    """Render the letter template ``template`` with ``context`` to an A4 PDF.

    Templates extending ``base.html`` need ``letterhead`` in the context; the PDF's title
    comes from the template's ``title`` block, its author is "Alur".
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    html = render_html(template, context)
    fetcher = URLFetcher(allowed_protocols=_ALLOWED_PROTOCOLS)
    # One font configuration per document: it holds the stylesheet's @font-face and is
    # not shared between threads rendering at the same time.
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, base_url=str(LETTERS_DIR), url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
    return pdf


def render_receipt(receipt: Receipt) -> bytes:
    """The *tanda terima* of a submitted request, as a PDF."""
    return render_pdf(
        "tanda_terima.html",
        {
            "letterhead": receipt.letterhead,
            "receipt": receipt,
            "submitted_at": format_datetime(receipt.submitted_at, receipt.timezone),
            "issued_on": format_date(local_date(receipt.submitted_at, receipt.timezone)),
        },
    )


def _letter_context(letter: Letter) -> dict[str, Any]:
    kind = KINDS[letter.kind]
    return {
        "letter": letter,
        "kind": kind,
        "letterhead": letter.letterhead,
        # Every optional field is present (None, or its default) so templates can test it.
        "f": dict.fromkeys(kind.optional) | dict(kind.defaults) | dict(letter.fields),
        "dated": format_date(letter.date),
        "topics": TOPICS,
        "modes": MODES,
        "recommendations": RECOMMENDATIONS,
        "categories": REPORT_CATEGORIES,
    }


def letter_html(letter: Letter) -> str:
    """The HTML of ``letter`` as :func:`render_letter` lays it out (for previews)."""
    return render_html(KINDS[letter.kind].template, _letter_context(letter))


def render_letter(letter: Letter) -> bytes:
    """``letter`` as an A4 PDF titled "<kind title> <number>", author "Alur"."""
    return render_pdf(KINDS[letter.kind].template, _letter_context(letter))


def fields_from_json(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Letter fields as process variables carry them (JSON) turned into their Python types.

    Dates and date-times arrive as ISO-8601 strings (a FEEL date-time may end in ``[zone]``),
    a signer as ``{"name", "position", "nip"}``; everything else is already what it should be.
    ``Letter`` validates the result.
    """
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        check = FIELDS.get(key)
        if isinstance(value, str) and check is _day:
            fields[key] = date.fromisoformat(value[:10])
        elif isinstance(value, str) and check is _moment:
            fields[key] = feel.parse_date_time(value)
        elif isinstance(value, Mapping) and check is _signer:
            fields[key] = Signer(
                name=str(value.get("name", "")),
                position=str(value.get("position", "")),
                nip=str(value["nip"]) if value.get("nip") else None,
            )
        else:
            fields[key] = value
    return fields
