"""Letters rendered to PDF: Jinja2 templates (autoescaped) laid out by WeasyPrint.

Every letter extends ``templates/letters/base.html`` (letterhead, double rule, metadata) and
is styled by the one static stylesheet ``templates/letters/letters.css``, passed to WeasyPrint
as a stylesheet, never through the template context (autoescape would mangle it). The first
letter is the receipt (*tanda terima*) a citizen downloads after submitting a request.

The official products of the five SOPs are :class:`Letter` values rendered by
:func:`render_letter`: one kind per product in :data:`alur.letter_kinds.KINDS`, laid out as
an Indonesian *surat dinas* (``surat_dinas.html``: Nomor/Sifat/Lampiran/Hal, place and date,
Yth., body, signer, Tembusan), a *nota dinas* or a *berita acara*. Each kind names the case
data it needs in ``Letter.fields``; a letter is checked when it is built, not when rendered.
Its parts (letterhead, addressee, signer) are in :mod:`alur.letter_parts`; dates and numbers
are written out by :mod:`alur.dates` and :mod:`alur.bahasa`.

WeasyPrint is imported on first render, not at import: it takes about a second and needs
Pango, which building a letter does not.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from alur import feel
from alur.bahasa import terbilang
from alur.dates import DEFAULT_TZ, bulan, hari, local_date, show_date, show_datetime, show_time
from alur.letter_kinds import EARLIER_DATES, FIELDS, KINDS, VOCABULARIES
from alur.letter_parts import (
    DEFAULT_LETTERHEAD,
    Addressee,
    DraftMark,
    Letterhead,
    Paraf,
    Signer,
    Verification,
    day,
    moment,
    short_sha256,
    signer,
)

LETTERS_DIR = Path(__file__).parent / "templates" / "letters"
STYLESHEET = LETTERS_DIR / "letters.css"

#: The Nomor of a draft: a number is taken from the register only when the letter is issued
#: (the same words as ``alur.letter_content.DRAFT_NUMBER``).
DRAFT_NUMBER = "(nomor diberikan saat surat terbit)"
#: Error correction of the printed QR code: M (15 %) survives a crease or a stamp's ink.
QR_ERROR = "m"

#: Every rendered document is PDF/A-3b (WeasyPrint's variant: XMP identification, sRGB output
#: intent, a file identifier; fonts are always embedded, as subsets).
PDF_VARIANT = "pdf/a-3b"
#: The PDF/A output intent: the sRGB colour space every colour of a letter is in.
OUTPUT_INTENT = "--alur-srgb"

# Letters embed nothing from outside: only data: URIs (the check-mark font in letters.css,
# an agency logo passed as bytes) may be fetched, so text that reaches an attribute cannot
# make the renderer open files or call URLs.
_ALLOWED_PROTOCOLS = ("data",)


@dataclass(frozen=True)
class Receipt:
    """What a *tanda terima* shows. The applicant's PIN is deliberately not a field.

    ``requirements`` lists each required document as ``(label, filename)``, with ``None``
    for one not submitted. ``timezone`` is the agency's (WIB, WITA or WIT on the page).
    ``channel`` (its label) and ``registered_by`` (a name) are set when staff registered the
    request on the applicant's behalf; an online application has neither.
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
    channel: str | None = None
    registered_by: str | None = None

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


@dataclass(frozen=True, kw_only=True)
class Letter:
    """An official letter (or nota dinas, or minutes) ready to render.

    ``number`` is the number already allocated from the agency's register; ``date`` the
    letter's own date (a date, not a datetime). ``fields`` holds the case data of the kind:
    ``KINDS[kind].required`` and any of ``KINDS[kind].optional`` (see
    :data:`alur.letter_kinds.FIELDS`); they are checked and normalised here (text stripped,
    paragraphs and lists as tuples).

    A *berita acara* has no Nomor/Sifat/Lampiran/Hal block and no *Yth.*: its ``addressee``
    is the complainant, a party who signs it, and ``subject`` names the complaint. A *nota
    dinas* prints no place, only its ``Tanggal`` row, and the signer's position as "Dari".

    Sign-off: ``paraf`` are the reviewers' initials, printed in a small table beside the
    signature. ``draft`` makes the letter a preview of a draft: "DRAF" across every page, its
    version, and a ``number`` that may be :data:`DRAFT_NUMBER` (only a draft's may).
    ``verification`` prints the electronic-signature block (a QR code of its url, the code and
    the statement) where the signer's name is; a draft has none. ``content_sha256`` is printed
    in the footer as *Sidik isi* (the draft's own when only ``draft`` is given; both must agree)
    so the issued letter can be matched with the approved draft.

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
    paraf: tuple[Paraf, ...] = ()
    draft: DraftMark | None = None
    verification: Verification | None = None
    content_sha256: str | None = None

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
        self._check_sign_off()
        checked = kind.validate(self.kind, self.fields, FIELDS)
        object.__setattr__(self, "fields", MappingProxyType(checked))
        for key in EARLIER_DATES:
            if key in self.fields and self.fields[key] > self.date:
                raise ValueError(f"{key} is after the letter's date")
        if kind.check is not None:
            kind.check(self)

    def _check_sign_off(self) -> None:
        if not all(isinstance(p, Paraf) for p in self.paraf):
            raise TypeError("each paraf must be a Paraf")
        object.__setattr__(self, "paraf", tuple(self.paraf))
        if self.draft is not None and not isinstance(self.draft, DraftMark):
            raise TypeError("a letter's draft must be a DraftMark")
        if self.verification is not None and not isinstance(self.verification, Verification):
            raise TypeError("a letter's verification must be a Verification")
        if self.draft is None and self.number.strip() == DRAFT_NUMBER:
            raise ValueError("only a draft may go without a number")
        if self.draft is not None and self.verification is not None:
            raise ValueError("a draft is not signed: it has no verification")
        if self.content_sha256 is not None:
            short_sha256(self.content_sha256)  # a SHA-256 in lowercase hex, or ValueError
            if self.draft is not None and self.draft.content_sha256 != self.content_sha256:
                raise ValueError("the draft's content_sha256 differs from the letter's")

    @property
    def title(self) -> str:
        """The kind's title and the number (a draft's: its version): the PDF's title."""
        if self.draft is not None:
            return f"Draf {KINDS[self.kind].title} versi {self.draft.version}"
        return f"{KINDS[self.kind].title} {self.number}"

    @property
    def sidik(self) -> str | None:
        """The *Sidik isi* printed in the footer: the content's SHA-256, short and grouped."""
        digest = self.content_sha256 or (self.draft.content_sha256 if self.draft else None)
        return short_sha256(digest) if digest else None


def fields_from_json(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Letter fields as process variables carry them (JSON) turned into their Python types.

    Dates and date-times arrive as ISO-8601 strings (a FEEL date-time may end in ``[zone]``),
    a signer as ``{"name", "position", "nip"}``; everything else is already what it should be.
    ``Letter`` validates the result.
    """
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        check = FIELDS.get(key)
        if isinstance(value, str) and check is day:
            fields[key] = date.fromisoformat(value[:10])
        elif isinstance(value, str) and check is moment:
            fields[key] = feel.parse_date_time(value)
        elif isinstance(value, Mapping) and check is signer:
            fields[key] = Signer(
                name=str(value.get("name", "")),
                position=str(value.get("position", "")),
                nip=str(value["nip"]) if value.get("nip") else None,
            )
        else:
            fields[key] = value
    return fields


# Rendering ########################################################################################


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(LETTERS_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tanggal"] = show_date
    env.filters["waktu"] = show_datetime
    env.filters["hari"] = hari
    env.filters["bulan"] = bulan
    env.filters["terbilang"] = terbilang
    return env


def render_html(template: str, context: Mapping[str, Any]) -> str:
    """The HTML of the letter template ``template`` (a name in templates/letters)."""
    return _environment().get_template(template).render(context)


def render_pdf(template: str, context: Mapping[str, Any]) -> bytes:
    """Render the letter template ``template`` with ``context`` to an A4 PDF/A-3b.

    Templates extending ``base.html`` need ``letterhead`` in the context; the PDF's title
    comes from the template's ``title`` block, its author is "Alur". Every document is
    :data:`PDF_VARIANT` (archives keep it; its XMP says ``pdfaid:part=3``,
    ``pdfaid:conformance=B``) with every font it uses embedded, so that a signature added by
    :mod:`alur.signing` as an incremental update keeps it conforming.
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
    profiles: dict[str, Any] = {}
    output_intent = CSS(string=_output_intent_css(), url_fetcher=fetcher, color_profiles=profiles)
    document = HTML(string=html, base_url=str(LETTERS_DIR), url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        stylesheets=[stylesheet, output_intent],
        font_config=fonts,
        color_profiles=profiles,
        pdf_variant=PDF_VARIANT,
        output_intent=OUTPUT_INTENT,
    )
    return pdf


@lru_cache(maxsize=1)
def _output_intent_css() -> str:
    """The ``@color-profile`` rule of :data:`OUTPUT_INTENT`: WeasyPrint's own sRGB profile
    (``sRGB2014.icc``, which its ``output_intent="srgb"`` would use) as a ``data:`` URI.

    Not ``"srgb"`` itself: WeasyPrint 70 opens that file for every PDF and never closes it,
    so each render left a ResourceWarning (an error under the tests' ``filterwarnings``).
    """
    from importlib.resources import files

    profile = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    encoded = base64.b64encode(profile).decode("ascii")
    return (
        f"@color-profile {OUTPUT_INTENT} "
        f"{{ src: url(data:application/vnd.iccprofile;base64,{encoded});"
        " components: r, g, b }"
    )


def render_receipt(receipt: Receipt) -> bytes:
    """The *tanda terima* of a submitted request, as a PDF."""
    return render_pdf(
        "tanda_terima.html",
        {
            "letterhead": receipt.letterhead,
            "receipt": receipt,
            "submitted_at": show_datetime(receipt.submitted_at, receipt.timezone),
            "issued_on": show_date(local_date(receipt.submitted_at, receipt.timezone)),
        },
    )


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG ``data:`` URI, one pixel per module with the quiet zone
    of four modules around it; the letter scales it (crisp, without smoothing)."""
    import segno

    return str(segno.make(text, error=QR_ERROR, micro=False).png_data_uri(scale=1, border=4))


def _paraf_rows(letter: Letter) -> list[dict[str, str]]:
    """Each paraf as the table prints it: position, name, and date and time in its zone."""
    return [
        {
            "position": " ".join(p.position.split()),
            "name": p.name,
            "date": show_date(local_date(p.at, p.timezone)),
            "time": show_time(p.at, p.timezone),
        }
        for p in letter.paraf
    ]


def _letter_context(letter: Letter) -> dict[str, Any]:
    kind = KINDS[letter.kind]
    verification = letter.verification
    return {
        "letter": letter,
        "kind": kind,
        "letterhead": letter.letterhead,
        # Every optional field is present (None, or its default) so templates can test it.
        "f": dict.fromkeys(kind.optional) | dict(kind.defaults) | dict(letter.fields),
        "dated": show_date(letter.date),
        "paraf": _paraf_rows(letter),
        "draft": letter.draft,
        "sidik": letter.sidik,
        "verification": verification,
        "qr": qr_data_uri(verification.url) if verification else None,
        **VOCABULARIES,
    }


def letter_html(letter: Letter) -> str:
    """The HTML of ``letter`` as :func:`render_letter` lays it out (for previews)."""
    return render_html(KINDS[letter.kind].template, _letter_context(letter))


def render_letter(letter: Letter) -> bytes:
    """``letter`` as an A4 PDF titled "<kind title> <number>", author "Alur"."""
    return render_pdf(KINDS[letter.kind].template, _letter_context(letter))
