"""The parts of every letter, whatever the SOP: the generic machinery of letter kinds.

A letter has a :class:`Letterhead` (*kop surat*), an :class:`Addressee` (*Yth.*) and a
:class:`Signer`; a :class:`LetterKind` describes one official product (its template, title
and the case data fields it takes), and each field has a :data:`Check`. Which kinds, fields
and vocabularies there are is data, in :mod:`alur.letter_kinds`; a letter is put together,
checked and rendered in :mod:`alur.letters`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from alur.letters import Letter


@dataclass(frozen=True)
class Logo:
    """An agency's logo as its letters embed it: a PNG or JPEG checked by
    ``storage.agencies.inspect_logo`` before it was stored."""

    content_type: str
    data: bytes = field(repr=False)

    @property
    def data_uri(self) -> str:
        """The image inside the page (the PDF renderer opens no file and no URL)."""
        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True)
class Letterhead:
    """The *kop surat*: agency name, sub-unit lines, address and contact line, and a logo.

    ``parent`` is the optional line above the name ("Pemerintah Provinsi DKI Jakarta").
    """

    name: str
    units: tuple[str, ...] = ()
    address: str = ""
    contact: str = ""
    parent: str = ""
    logo: Logo | None = None


#: The letterhead of an installation that has not configured its agency's own.
DEFAULT_LETTERHEAD = Letterhead(name="Alur", units=("Layanan Publik Terpadu",))


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
class Paraf:
    """One reviewer's initials (*paraf*) on a letter before it was signed: their position,
    name and when they initialled, printed in ``timezone`` (the agency's: WIB, WITA or WIT)."""

    position: str
    name: str
    at: datetime
    timezone: str

    def __post_init__(self) -> None:
        if not self.position.strip() or not self.name.strip():
            raise ValueError("a paraf needs a position and a name")
        if not isinstance(self.at, datetime) or self.at.utcoffset() is None:
            raise ValueError("a paraf's time must be an aware datetime")
        ZoneInfo(self.timezone)  # fails early on an unknown zone


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _check_sha256(value: str, what: str) -> None:
    if not isinstance(value, str) or not _SHA256.match(value):
        raise ValueError(f"{what} must be a SHA-256 in lowercase hex, not {value!r}")


def short_sha256(value: str) -> str:
    """The first 16 hex digits of a SHA-256 in groups of four (``"3f2a 9c1b 7d40 e2a8"``): the
    *sidik isi* printed on drafts and issued letters, short enough to compare by eye."""
    _check_sha256(value, "a content hash")
    return " ".join(value[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class DraftMark:
    """A letter shown as a draft (*draf*): its version and the SHA-256 of its content."""

    version: int
    content_sha256: str

    def __post_init__(self) -> None:
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            raise ValueError(f"a draft version is a whole number from 1, not {self.version!r}")
        _check_sha256(self.content_sha256, "a draft's content_sha256")


@dataclass(frozen=True)
class Verification:
    """How a signed letter is checked: its verification ``code`` (``ABCDE-FGHJK``) and the
    public page ``url`` that the printed QR code opens (``…/verifikasi/ABCDE-FGHJK``)."""

    code: str
    url: str

    def __post_init__(self) -> None:
        if not self.code.strip() or self.code != self.code.strip():
            raise ValueError(f"a verification code must be non-empty text: {self.code!r}")
        if not self.url.startswith(("https://", "http://")) or any(c.isspace() for c in self.url):
            raise ValueError(f"a verification url must be an http(s) URL: {self.url!r}")

    @property
    def page(self) -> str:
        """The verification page without the code (where one types it): the url with its
        last segment removed when that segment is the code, else the url itself."""
        stem, _, last = self.url.rstrip("/").rpartition("/")
        return stem if last == self.code and "://" in stem else self.url


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


# Field checks #####################################################################################

#: A check takes a field's key and value and returns the value the templates get (a string
#: stripped, paragraphs as a tuple) or raises TypeError/ValueError naming the field.
Check = Callable[[str, Any], Any]


def text(key: str, value: Any) -> str:
    """A non-empty string, stripped."""
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


def paragraphs(key: str, value: Any) -> tuple[str, ...]:
    """Paragraphs: a sequence of strings, or one string whose paragraphs a blank line ends."""
    parts = _BLANK_LINE.split(value) if isinstance(value, str) else _strings(key, value)
    found = tuple(p.strip() for p in parts if p.strip())
    if not found:
        raise ValueError(f"field {key!r} is empty")
    return found


def items(key: str, value: Any) -> tuple[str, ...]:
    """Entries of a list (legal bases, notes); may be empty. One string is one entry per line
    (a form's textarea "satu per baris")."""
    lines = value.splitlines() if isinstance(value, str) else _strings(key, value)
    return tuple(item.strip() for item in lines if item.strip())


def day(key: str, value: Any) -> date:
    """A date (not a datetime, whose date depends on the time zone)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"field {key!r} must be a date (not a datetime)")
    return value


def moment(key: str, value: Any) -> datetime:
    """An aware datetime."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise TypeError(f"field {key!r} must be an aware datetime")
    return value


def zone(key: str, value: Any) -> str:
    """A time zone name (``Asia/Makassar``)."""
    try:
        ZoneInfo(text(key, value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"field {key!r} is not a time zone: {value!r}") from exc
    return str(value)


def flag(key: str, value: Any) -> bool:
    """True or False."""
    if not isinstance(value, bool):
        raise TypeError(f"field {key!r} must be True or False")
    return value


def days(key: str, value: Any) -> int:
    """A whole number of days, at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"field {key!r} must be a whole number of days, at least 1")
    return value


def signer(key: str, value: Any) -> Signer:
    """A :class:`Signer` (another party who signs, such as an officer on the minutes), or the
    mapping ``{"name", "position", "nip"}`` a stored draft keeps of one."""
    if isinstance(value, Mapping) and not isinstance(value, Signer):
        name, position, nip = value.get("name"), value.get("position", ""), value.get("nip")
        if not isinstance(name, str) or not name.strip() or not isinstance(position, str):
            raise ValueError(f"field {key!r} needs a name and a position")
        if nip is not None and not isinstance(nip, str):
            raise ValueError(f"field {key!r}: the NIP must be text")
        return Signer(name=name.strip(), position=position, nip=nip or None)
    if not isinstance(value, Signer):
        raise TypeError(f"field {key!r} must be a Signer")
    return value


def choice(options: Mapping[str, str]) -> Check:
    """A check that takes one of the codes of the vocabulary ``options``."""

    def check(key: str, value: Any) -> str:
        if value not in options:
            raise ValueError(f"field {key!r} must be one of {', '.join(options)}; got {value!r}")
        return str(value)

    return check


# Kinds ############################################################################################


@dataclass(frozen=True)
class LetterKind:
    """One official product: its template, its title (Bahasa) and the fields it takes.

    ``defaults`` fill optional fields left out; ``check`` tests fields against each other.
    Which checks the fields have is the kinds' catalogue's business (``letter_kinds.FIELDS``).
    """

    template: str
    title: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    check: Callable[[Letter], None] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "defaults", MappingProxyType(dict(self.defaults)))

    @property
    def field_keys(self) -> tuple[str, ...]:
        """Every field the kind takes, required first."""
        return (*self.required, *self.optional)

    def validate(
        self, code: str, fields: Mapping[str, Any], checks: Mapping[str, Check]
    ) -> dict[str, Any]:
        """``fields`` checked with ``checks`` and normalised; ``None`` counts as absent."""
        given = {key: value for key, value in fields.items() if value is not None}
        missing = [key for key in self.required if key not in given]
        if missing:
            raise ValueError(f"{code} letter is missing required field(s): {', '.join(missing)}")
        unknown = sorted(set(given) - set(self.field_keys))
        if unknown:
            raise ValueError(
                f"{code} letter does not take field(s): {', '.join(unknown)}"
                f" (it takes {', '.join(self.field_keys)})"
            )
        return {key: checks[key](key, value) for key, value in given.items()}
