"""Letters rendered to PDF: Jinja2 templates (autoescaped) laid out by WeasyPrint.

Every letter extends ``templates/letters/base.html`` (letterhead, double rule, metadata) and
is styled by the one static stylesheet ``templates/letters/letters.css``, passed to WeasyPrint
as a stylesheet, never through the template context (autoescape would mangle it). The first
letter is the receipt (*tanda terima*) a citizen downloads after submitting a request; later
letters reuse :func:`render_pdf` with their own template.

WeasyPrint is imported on first render, not at import: it takes about a second and needs
Pango, which the date helpers here do not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time

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
