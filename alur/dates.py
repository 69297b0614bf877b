"""Dates as people in Indonesia write them: read, checked and shown.

Indonesians write the day first (``25/12/2026``, ``25-12-2026``, ``25 Desember 2026``); the
browser's form (``web/static/alur-dates.js``) and the server read a date with the same rules,
so a date can never swap day and month on its way in. Each refusal says why in Bahasa:
unreadable, ambiguous (a year of two digits, no year), a day or month that does not exist,
or a day already past. Both implementations are held to the vectors in
``features/unit/date_vectors.json``.

Shown, a date is ``3 Desember 2026`` and a moment ``Kamis, 3 Desember 2026 pukul 09.30 WIB``
in the office's time zone (WIB, WITA or WIT): the letters, the web pages and the registers all
show them through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_time as _babel_time

from alur.bahasa import LOCALE

#: The time zone of an office that names none (WIB).
DEFAULT_TZ = "Asia/Jakarta"

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

#: Month names and abbreviations a person may type, Indonesian first, English as well (a
#: date copied from an English document is still unambiguous).
_MONTH_WORDS: dict[str, int] = {}
for _number, _words in enumerate(
    (
        "januari jan january",
        "februari feb pebruari peb february",
        "maret mar march",
        "april apr",
        "mei may",
        "juni jun june",
        "juli jul july",
        "agustus agu agt ags aug august",
        "september sep sept",
        "oktober okt oct october",
        "november nov nop",
        "desember des dec december",
    ),
    start=1,
):
    for _word in _words.split():
        _MONTH_WORDS[_word] = _number

_WEEKDAY = re.compile(
    r"^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*,?\s+"
)
_ISO = re.compile(r"^([0-9]{4})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})$")
_NUMERIC = re.compile(r"^([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]+)$")
_NO_YEAR = re.compile(r"^([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})$")
_WORDS = re.compile(r"^([0-9]{1,2})\s*[\s.\-/]\s*([a-z']+)\.?\s*[\s.\-/,]\s*([0-9]+)$")
_WORDS_NO_YEAR = re.compile(r"^([0-9]{1,2})\s+([a-z]+)\.?$")
_TIME = re.compile(r"^([0-9]{1,2})\s*[.:]\s*([0-9]{2})(?:\s*(?:wib|wita|wit))?$")

UNREADABLE = (
    "Tanggal tidak terbaca. Tulis tanggal/bulan/tahun, mis. 25/12/2026 atau 25 Desember 2026."
)
SHORT_YEAR = "Tahun {year} bisa berarti beberapa abad: tulis tahun dengan empat angka, mis. 2026."
NO_YEAR = "Tahunnya belum ditulis: tulis tanggal/bulan/tahun, mis. 25/12/2026."
NO_MONTH = (
    "Bulan {month} tidak ada. Tulis tanggal lebih dulu, lalu bulan, lalu tahun"
    " (mis. 25/12/2026 untuk 25 Desember 2026)."
)
NO_DAY = "Tanggal {day} tidak ada pada bulan {month} {year}."
PAST = "Tanggal {shown} sudah lewat: pilih hari ini ({today}) atau sesudahnya."
BAD_TIME = "Jam tidak terbaca. Tulis jam.menit dalam 24 jam, mis. 09.30 atau 14.00."


class DateProblem(ValueError):
    """A date or time that cannot be taken; ``message`` says why, in Bahasa Indonesia."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Parts:
    day: int
    month: int
    year: int


def today(tz: str = DEFAULT_TZ) -> date:
    """Today's date where the office is (the server's own clock may run on UTC)."""
    return datetime.now(ZoneInfo(tz)).date()


def show_date(d: date) -> str:
    """``date(2026, 12, 25)`` → ``"25 Desember 2026"``.

    A datetime is refused: its date depends on the time zone, so convert it first (with
    :func:`local_date`), or show it with :func:`show_datetime`.
    """
    _refuse_datetime(d, "show_date")
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def local_date(dt: datetime, tz: str = DEFAULT_TZ) -> date:
    """The calendar date of the aware datetime ``dt`` in the time zone ``tz``."""
    return _localize(dt, tz).date()


def show_datetime(dt: datetime, tz: str = DEFAULT_TZ) -> str:
    """An aware datetime → ``"Kamis, 3 Desember 2026 pukul 09.30 WIB"`` (WITA, WIT by zone)."""
    local = _localize(dt, tz)
    time_of_day = _babel_time(local, "HH.mm z", tzinfo=local.tzinfo, locale=LOCALE)
    return f"{hari(local.date())}, {show_date(local.date())} pukul {time_of_day}"


def show_time(dt: datetime, tz: str = DEFAULT_TZ) -> str:
    """The time of day of an aware datetime in ``tz`` → ``"09.30 WIB"`` (WITA, WIT by zone)."""
    local = _localize(dt, tz)
    return _babel_time(local, "HH.mm z", tzinfo=local.tzinfo, locale=LOCALE)


def _localize(dt: datetime, tz: str) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("a naive datetime has no time zone; pass an aware datetime")
    return dt.astimezone(ZoneInfo(tz))


DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def hari(d: date) -> str:
    """The day of the week of ``d`` in Bahasa Indonesia: ``date(2026, 12, 3)`` → ``"Kamis"``."""
    _refuse_datetime(d, "hari")
    return DAYS[d.weekday()]


def bulan(d: date) -> str:
    """The month of ``d`` in Bahasa Indonesia: ``date(2026, 12, 3)`` → ``"Desember"``."""
    _refuse_datetime(d, "bulan")
    return MONTHS[d.month - 1]


def _refuse_datetime(d: date, name: str) -> None:
    if isinstance(d, datetime):
        raise TypeError(f"{name} takes a date; convert a datetime to local time first")


def read_date(text: str, *, today: date | None = None) -> date:
    """The date written in ``text``; with ``today``, a date before it is refused.

    Raises :class:`DateProblem` with the reason for anything else.
    """
    parts = _parts(_normalise(text))
    if not 1 <= parts.month <= 12:
        raise DateProblem(NO_MONTH.format(month=parts.month))
    try:
        day = date(parts.year, parts.month, parts.day)
    except ValueError:
        raise DateProblem(
            NO_DAY.format(day=parts.day, month=MONTHS[parts.month - 1], year=parts.year)
        ) from None
    if today is not None and day < today:
        raise DateProblem(PAST.format(shown=show_date(day), today=show_date(today)))
    return day


def read_time(text: str) -> time:
    """A time of day written ``09.30``, ``9:30`` or ``14.00 WIB`` (24 hours)."""
    match = _TIME.fullmatch(_normalise(text))
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise DateProblem(BAD_TIME)
    return time(int(match[1]), int(match[2]))


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).lower()


def _parts(text: str) -> _Parts:
    text = _WEEKDAY.sub("", text)
    if match := _ISO.fullmatch(text):
        return _Parts(int(match[3]), int(match[2]), int(match[1]))
    if match := _NUMERIC.fullmatch(text):
        return _Parts(int(match[1]), int(match[2]), _year(match[3]))
    if match := _WORDS.fullmatch(text):
        month = _MONTH_WORDS.get(match[2].rstrip("."))
        if month is None:
            raise DateProblem(UNREADABLE)
        return _Parts(int(match[1]), month, _year(match[3]))
    if _NO_YEAR.fullmatch(text) or (
        (match := _WORDS_NO_YEAR.fullmatch(text)) and match[2] in _MONTH_WORDS
    ):
        raise DateProblem(NO_YEAR)
    raise DateProblem(UNREADABLE)


def _year(digits: str) -> int:
    if len(digits) != 4:
        raise DateProblem(SHORT_YEAR.format(year=digits))
    return int(digits)


def show_value(value: str) -> str:
    """A form's date, time or date-time value (ISO, as form-js sends it) as a person reads it:
    ``2026-12-10T10:00+07:00`` → ``"10 Desember 2026 pukul 10.00 WIB"``; anything else is
    returned as it is."""
    day_part, separator, _ = value.partition("T")
    try:
        day = date.fromisoformat(day_part)
    except ValueError:
        day = None
    if day is not None and not separator:
        return show_date(day)
    if day is not None:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        zone = _zone_label(moment)
        return f"{show_date(day)} pukul {moment:%H.%M}{zone}"
    match = re.fullmatch(r"([0-9]{2}):([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?", value)
    if match:
        zone = {"+07:00": " WIB", "+08:00": " WITA", "+09:00": " WIT"}.get(match[3] or "", "")
        return f"{match[1]}.{match[2]}{zone}"
    return value


_ZONES = {7 * 3600: "WIB", 8 * 3600: "WITA", 9 * 3600: "WIT"}


def _zone_label(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return ""
    label = _ZONES.get(int(offset.total_seconds()))
    return f" {label}" if label else f" (UTC{moment:%z})"
