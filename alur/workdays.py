"""The working-day calendar: SOP time limits ("3 hari kerja", "1 minggu", "hari yang sama")
turned into instants.

Pure code: every function takes the calendar (zone, working hours, days off) and the start
instant as arguments and never reads the clock; only :func:`load_calendar` and
:func:`calendar_for` read a file. A worker turns the result into an ISO date-time for a timer.

Working time is the union, over working days, of ``[hours.start, hours.end)`` in the
calendar's zone, minus the pause intervals passed in (the SLA clock stopped, e.g. while the
SPBE coordination team validates a proposal). A working day is a weekday in
``hours.weekdays`` that is not in ``days_off``. Boundaries:

- adding ``n > 0`` working minutes returns the *earliest* instant at which ``n`` minutes have
  passed, so a limit that uses up a day exactly ends at that day's closing time (16:00), not
  at the next morning's opening;
- adding ``0`` returns the next working moment at or after the start (the start itself when
  it is inside working time; Monday 08:00 from a Saturday; the next morning from 16:00);
- ``elapsed_working_minutes(s, add_working_minutes(s, n, p), p) == n`` for every ``n >= 0``
  (elapsed time is rounded down to whole minutes; added time is exact);
- "N hari kerja" is N times the length of the working hours (8 h for 08:00-16:00), counted
  from the start's time of day: "2 hari kerja" from Friday 14:00 with Monday off ends
  Wednesday 14:00;
- "hari yang sama" (the same day; SOP 4, face to face: "dalam 1 (satu) hari saat kedatangan")
  is due at the end of the working hours of the day the clock starts, in the calendar's zone
  (16:00 for 08:00-16:00, also from a start before opening time); when the clock starts on a
  day that is not a working day, or at or after closing time, it is due at the end of that
  calendar day (23:59:59.999999 local). *Interpretation*: the visitor is served on the day
  they come; the seed gives no hours. It is a day, not an amount of time: a start inside a
  pause counts from the pause's end, a later pause does not move it here (resuming the SLA
  clock in the worker moves it by the working time paused, as it does every limit).

Every datetime must be aware (naive ones raise :class:`ValueError`); results are in the
calendar's zone. Arithmetic is done in UTC, so zones with daylight saving are safe too.
"""

from __future__ import annotations

import calendar as _stdcalendar
import functools
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

Unit = Literal["menit", "jam", "hari", "minggu", "bulan"]
#: One pause of the SLA clock: ``[start, end)``, both aware.
Pause = tuple[datetime, datetime]

#: Bahasa weekday names (Mon=0) as written in the calendar file. ("minggu" is Sunday here;
#: in a time limit, "1 minggu" is one week.)
WEEKDAYS: dict[str, int] = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "sabtu": 5,
    "minggu": 6,
}

_MINUTE = timedelta(minutes=1)
_UNIT_SPAN: dict[str, timedelta] = {
    "menit": timedelta(minutes=1),
    "jam": timedelta(hours=1),
    "hari": timedelta(days=1),
    "minggu": timedelta(weeks=1),
}


@dataclass(frozen=True)
class WorkingHours:
    """Office hours of every working day: ``[start, end)`` on the given weekdays (Mon=0)."""

    start: time = time(8, 0)
    end: time = time(16, 0)
    weekdays: frozenset[int] = frozenset(range(5))

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("working hours are wall-clock times without a zone")
        if not self.start < self.end:
            raise ValueError(f"working hours end ({self.end}) must be after start ({self.start})")
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError(
                f"working weekdays must be a non-empty subset of 0..6: {self.weekdays}"
            )

    @property
    def day_length(self) -> timedelta:
        """Length of one working day (8 h for 08:00-16:00): the unit of "hari kerja"."""
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)


@dataclass(frozen=True)
class Calendar:
    """Working time of one agency: zone, office hours and days off (date -> Bahasa name).

    ``years``, when given, are the years whose days off ``days_off`` is known to hold (as
    :func:`load_calendar` sets it): arithmetic that needs a day of another year raises
    :class:`ValueError` instead of silently treating its holidays as working days.
    """

    zone: ZoneInfo
    hours: WorkingHours
    days_off: Mapping[date, str]
    years: frozenset[int] | None = field(default=None)
    #: The installation's own time limits by their code in the diagrams (``kodeBatas``), as
    #: written in the file's ``[batas_waktu]`` (the agency's own table wins): a newer
    #: regulation's limit without a change to the diagram.
    limits: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A read-only copy: a calendar may be shared between threads through calendar_for.
        object.__setattr__(self, "days_off", MappingProxyType(dict(self.days_off)))
        object.__setattr__(self, "limits", MappingProxyType(dict(self.limits)))

    def limit(self, code: str, default: str) -> str:
        """The limit the installation set for ``code``, else the diagram's ``default``."""
        return self.limits.get(code, default) if code else default

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working weekday and not a day off.

        Raises:
            ValueError: ``d`` lies in a year the calendar was not loaded for.
        """
        if self.years is not None and d.year not in self.years:
            covered = ", ".join(str(y) for y in sorted(self.years)) or "no year"
            raise ValueError(
                f"the calendar knows the days off of {covered} only; load it with {d.year} "
                f"as well to count through {d.isoformat()}"
            )
        return d.weekday() in self.hours.weekdays and d not in self.days_off

    def next_working_moment(self, at: datetime, pauses: Sequence[Pause] = ()) -> datetime:
        """The first instant of working time at or after ``at`` (in the calendar's zone)."""
        return self.add_working_minutes(at, 0, pauses)

    def add_working_minutes(
        self, start: datetime, minutes: int, pauses: Sequence[Pause] = ()
    ) -> datetime:
        """The instant ``minutes`` working minutes after ``start``.

        Args:
            start: aware instant; outside working time, counting begins at the next working
                moment.
            minutes: ``>= 0``; ``0`` gives the next working moment at or after ``start``.
            pauses: ``[start, end)`` intervals that do not count (the SLA clock stopped).

        Returns:
            The earliest instant at which the minutes are used up, in the calendar's zone: a
            limit ending exactly at closing time stays at closing time.

        Raises:
            ValueError: naive datetimes, a negative amount, a reversed pause, or a day outside
                the calendar's years.
        """
        return self._add(start, _nonnegative(minutes, "minutes") * _MINUTE, pauses)

    def add_working_hours(
        self, start: datetime, hours: int, pauses: Sequence[Pause] = ()
    ) -> datetime:
        """The instant ``hours`` working hours after ``start`` (see :meth:`add_working_minutes`)."""
        return self._add(start, _nonnegative(hours, "hours") * timedelta(hours=1), pauses)

    def add_working_days(
        self, start: datetime, days: int, pauses: Sequence[Pause] = ()
    ) -> datetime:
        """The instant ``days`` working days after ``start``; a day is the working hours' length.

        "2 hari kerja" from Friday 14:00 (Monday off, 08:00-16:00) ends Wednesday 14:00; from a
        Saturday it ends Tuesday 16:00 (counted from Monday 08:00).
        """
        return self._add(start, _nonnegative(days, "days") * self.hours.day_length, pauses)

    def end_of_same_day(self, start: datetime, pauses: Sequence[Pause] = ()) -> datetime:
        """The due instant of "hari yang sama" counted from ``start`` (see the module's notes).

        The end of the working hours of the day the clock starts in the calendar's zone
        (Monday 09:00 -> Monday 16:00 for 08:00-16:00); the end of that calendar day
        (23:59:59.999999) when the day is not a working day or the clock starts at or after
        closing time. A start inside a pause counts from the pause's end.

        Raises:
            ValueError: a naive datetime, a reversed pause, or a day outside the calendar's years.
        """
        begin = _utc(start, "start")
        for pause_start, pause_end in _merge(pauses):
            if pause_start <= begin < pause_end:
                begin = pause_end
        day = begin.astimezone(self.zone).date()
        if self.is_working_day(day):
            closes = datetime.combine(day, self.hours.end, tzinfo=self.zone)
            if begin < closes:
                return closes
        return datetime.combine(day, time.max, tzinfo=self.zone)

    def elapsed_working_minutes(
        self, start: datetime, end: datetime, pauses: Sequence[Pause] = ()
    ) -> int:
        """Whole working minutes between ``start`` and ``end``, pauses excluded; 0 if end <= start.

        Raises:
            ValueError: naive datetimes, a reversed pause, or a day outside the calendar's years.
        """
        begin, finish = _utc(start, "start"), _utc(end, "end")
        merged = _merge(pauses)
        if finish <= begin:
            return 0
        total = timedelta(0)
        for a, b in self._intervals(begin, merged, until=finish):
            if a >= finish:
                break
            total += min(b, finish) - a
        return total // _MINUTE

    def _add(self, start: datetime, amount: timedelta, pauses: Sequence[Pause]) -> datetime:
        remaining = amount
        for a, b in self._intervals(_utc(start, "start"), _merge(pauses)):
            if remaining <= b - a:
                return (a + remaining).astimezone(self.zone)
            remaining -= b - a
        raise AssertionError("unreachable: working time never ends")  # pragma: no cover

    def _intervals(
        self, begin: datetime, pauses: list[Pause], until: datetime | None = None
    ) -> Iterator[Pause]:
        """Working time at or after ``begin`` as ordered UTC intervals, pauses cut out."""
        day = begin.astimezone(self.zone).date()
        last = None if until is None else until.astimezone(self.zone).date()
        while last is None or day <= last:
            if self.is_working_day(day):
                opens = datetime.combine(day, self.hours.start, tzinfo=self.zone).astimezone(UTC)
                closes = datetime.combine(day, self.hours.end, tzinfo=self.zone).astimezone(UTC)
                if max(opens, begin) < closes:
                    yield from _cut(max(opens, begin), closes, pauses)
            day += timedelta(days=1)


def _nonnegative(amount: int, name: str) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError(f"{name} must be a whole number >= 0, not {amount!r}")
    return amount


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def _merge(pauses: Sequence[Pause]) -> list[Pause]:
    """Pauses in UTC, sorted, overlapping or touching ones joined, empty ones dropped."""
    spans = []
    for i, (a, b) in enumerate(pauses):
        ua, ub = _utc(a, f"pauses[{i}] start"), _utc(b, f"pauses[{i}] end")
        if ub < ua:
            raise ValueError(
                f"pauses[{i}] ends ({b.isoformat()}) before it starts ({a.isoformat()})"
            )
        if ua < ub:
            spans.append((ua, ub))
    spans.sort()
    merged: list[Pause] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _cut(a: datetime, b: datetime, pauses: list[Pause]) -> Iterator[Pause]:
    """``[a, b)`` minus the (sorted, merged) pauses."""
    cursor = a
    for pa, pb in pauses:
        if pb <= cursor:
            continue
        if pa >= b:
            break
        if pa > cursor:
            yield cursor, pa
        cursor = pb
        if cursor >= b:
            return
    yield cursor, b


# --- calendar time --------------------------------------------------------------------------


def add_months(start: datetime, months: int) -> datetime:
    """Same wall-clock time ``months`` later in its zone; the day clamps (31 Jan -> 28 Feb)."""
    _utc(start, "start")
    year, index = divmod(start.month - 1 + _nonnegative(months, "months"), 12)
    year += start.year
    if year > 9999:
        raise ValueError(f"{months} months after {start.isoformat()} is past the year 9999")
    day = min(start.day, _stdcalendar.monthrange(year, index + 1)[1])
    return start.replace(year=year, month=index + 1, day=day)


def add_calendar(
    start: datetime, amount: int, unit: Unit, pauses: Sequence[Pause] = ()
) -> datetime:
    """``start`` plus ``amount`` calendar units ("1 hari" = 24 h, "1 minggu" = 7 days).

    "bulan" adds calendar months with day clamping (:func:`add_months`). Time inside a pause
    does not count, as for working time; the result is in ``start``'s zone.

    Raises:
        ValueError: a naive datetime, a negative amount, an unknown unit or a reversed pause.
    """
    begin = _utc(start, "start")
    _nonnegative(amount, "amount")
    if unit == "bulan":
        span = add_months(start, amount).astimezone(UTC) - begin
    elif unit in _UNIT_SPAN:
        span = amount * _UNIT_SPAN[unit]
    else:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(get_args(Unit))}")
    cursor, remaining = begin, span
    for pa, pb in _merge(pauses):
        if pb <= cursor:
            continue
        if cursor + remaining <= pa:
            break
        remaining -= max(pa - cursor, timedelta(0))
        cursor = pb
    assert start.tzinfo is not None
    return (cursor + remaining).astimezone(start.tzinfo)


# --- limits as the SOPs write them ----------------------------------------------------------

_LIMIT = re.compile(
    r"(?P<amount>[0-9]{1,4}) (?P<unit>menit|jam|hari|minggu|bulan)(?P<working> kerja)?"
)


@dataclass(frozen=True)
class Limit:
    """A time limit of an SOP step: ``amount`` ``unit``, in working or in calendar time."""

    amount: int
    unit: Unit
    working: bool

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}{' kerja' if self.working else ''}"


_SAME_DAY = "hari yang sama"


@dataclass(frozen=True)
class SameDay:
    """The limit "hari yang sama": due when the day the clock starts ends (see the module)."""

    def __str__(self) -> str:
        return _SAME_DAY


#: The one "hari yang sama" limit.
SAME_DAY = SameDay()


def parse_limit(text: str) -> Limit | SameDay:
    """Parse a limit written as in the SOPs: "60 menit", "1 minggu", "2 hari kerja", "2 bulan",
    "hari yang sama".

    A number in digits (1-9999), one of menit / jam / hari / minggu / bulan, and "kerja" for
    working time (menit, jam and hari only); or "hari yang sama" (:data:`SAME_DAY`). Case and
    surrounding or repeated spaces are ignored.

    Raises:
        ValueError: anything else ("dua hari", "-1 hari", "3 tahun", "0 hari", "1 bulan kerja",
            "1 hari yang sama").
    """
    normal = " ".join(str(text).lower().split())
    if normal == _SAME_DAY:
        return SAME_DAY
    match = _LIMIT.fullmatch(normal)
    if match is None:
        raise ValueError(
            f"time limit {text!r} not understood: write a number in digits, then menit, jam,"
            " hari, minggu or bulan, and 'kerja' for working time (e.g. '3 hari kerja'), or"
            " 'hari yang sama'"
        )
    amount, unit, working = int(match["amount"]), match["unit"], match["working"] is not None
    if amount == 0:
        raise ValueError(f"time limit {text!r} is zero")
    if working and unit not in ("menit", "jam", "hari"):
        raise ValueError(f"time limit {text!r}: only menit, jam and hari can be 'kerja'")
    return Limit(amount, cast(Unit, unit), working)


def due(
    calendar: Calendar, start: datetime, limit: Limit | SameDay, pauses: Sequence[Pause] = ()
) -> datetime:
    """The instant ``limit`` after ``start`` under ``calendar``, in the calendar's zone.

    Working limits walk working time (see :class:`Calendar`); calendar limits add plain time
    (months with day clamping in the calendar's zone). Pauses do not count in either.
    "hari yang sama" ends with the day the clock starts (:meth:`Calendar.end_of_same_day`): a
    pause only moves that start.

    Raises:
        ValueError: a naive datetime, a reversed pause, or a day outside the calendar's years.
    """
    if isinstance(limit, SameDay):
        return calendar.end_of_same_day(start, pauses)
    if limit.working:
        if limit.unit == "menit":
            return calendar.add_working_minutes(start, limit.amount, pauses)
        if limit.unit == "jam":
            return calendar.add_working_hours(start, limit.amount, pauses)
        if limit.unit == "hari":
            return calendar.add_working_days(start, limit.amount, pauses)
        raise ValueError(f"{limit} cannot be counted in working time")
    local = _utc(start, "start").astimezone(calendar.zone)
    return add_calendar(local, limit.amount, limit.unit, pauses).astimezone(calendar.zone)


# --- where the days off come from -----------------------------------------------------------


def national_days_off(years: Iterable[int]) -> dict[date, str]:
    """National holidays and *cuti bersama* of ``years``, named in Bahasa Indonesia.

    From the ``holidays`` package (public and government categories); years it does not know
    decrees for get the fixed and estimated ("perkiraan") holidays only. Decrees it lacks go
    in the calendar file.
    """
    wanted = sorted(set(years))
    if not wanted:
        return {}
    known = holidays.country_holidays(
        "ID", categories=("public", "government"), language="id", years=wanted
    )
    return {d: str(name) for d, name in sorted(known.items())}


_KEYS = {
    "zona_waktu",
    "jam_mulai",
    "jam_selesai",
    "hari_kerja",
    "libur",
    "hari_masuk",
    "batas_waktu",
}
#: A limit's code as diagrams write it in the header ``kodeBatas``: ``lapor.verifikasi``.
LIMIT_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_TIME = re.compile(r"[0-2][0-9]:[0-5][0-9]")


class _Reader:
    """Checks one calendar file, naming the file and key of every mistake."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, key: str, message: str) -> ValueError:
        return ValueError(f"{self.path}: {key}: {message}")

    def table(self, data: Mapping[str, Any], prefix: str, allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                raise self.error(prefix + key, f"unknown key (known: {', '.join(sorted(allowed))})")

    def limits(self, value: Any, key: str) -> dict[str, str]:
        """``[batas_waktu]``: limit code -> a limit as the SOPs write it ("3 hari kerja")."""
        if not isinstance(value, dict):
            raise self.error(key, 'expected a table of "kode.batas" = "3 hari kerja"')
        found = {}
        for code, limit in value.items():
            where = f"{key}.{code}"
            if not LIMIT_CODE.fullmatch(code):
                raise self.error(where, "a limit code is lowercase words joined by dots")
            if not isinstance(limit, str):
                raise self.error(where, f"expected a limit such as '3 hari kerja', not {limit!r}")
            try:
                parse_limit(limit)
            except ValueError as exc:
                raise self.error(where, str(exc)) from exc
            found[code] = limit
        return found

    def parse_zone(self, value: Any, key: str) -> ZoneInfo:
        if not isinstance(value, str):
            raise self.error(key, f"expected a zone name such as 'Asia/Jakarta', not {value!r}")
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise self.error(key, f"unknown time zone {value!r}") from exc

    def parse_time(self, value: Any, key: str) -> time:
        if isinstance(value, time) and value.tzinfo is None:
            return value
        if isinstance(value, str) and _TIME.fullmatch(value):
            try:
                return time.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(key, f"expected a time 'JJ:MM' such as '07:30', not {value!r}")

    def weekdays(self, value: Any, key: str) -> frozenset[int]:
        if not isinstance(value, list) or not value:
            raise self.error(key, f"expected a list of day names such as ['senin'], not {value!r}")
        days = set()
        for item in value:
            if not isinstance(item, str) or item.strip().lower() not in WEEKDAYS:
                raise self.error(key, f"unknown day {item!r} (senin ... minggu)")
            days.add(WEEKDAYS[item.strip().lower()])
        return frozenset(days)

    def parse_date(self, value: Any, key: str) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                    return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(key, f"expected a date 'TTTT-BB-HH' such as '2026-12-31', not {value!r}")

    def days_off(self, value: Any, key: str) -> dict[date, str]:
        if not isinstance(value, dict):
            raise self.error(key, 'expected a table of \'"TTTT-BB-HH" = "nama"\' lines')
        found = {}
        for raw, name in value.items():
            inner = f'{key}."{raw}"'
            if not isinstance(name, str) or not name.strip():
                raise self.error(inner, f"expected the day's name as text, not {name!r}")
            found[self.parse_date(raw, inner)] = name.strip()
        return found

    def dates(self, value: Any, key: str) -> set[date]:
        if not isinstance(value, list):
            raise self.error(key, f"expected a list of dates, not {value!r}")
        return {self.parse_date(item, f"{key}[{i}]") for i, item in enumerate(value)}


def _add_names(into: dict[date, str], more: Mapping[date, str]) -> None:
    for d, name in more.items():
        if d in into and name not in into[d].split("; "):
            into[d] = f"{into[d]}; {name}"
        else:
            into.setdefault(d, name)


def load_calendar(path: Path, agency: str | None, years: Iterable[int]) -> Calendar:
    """Read the calendar file (``deploy/kalender.toml``) for ``agency`` and ``years``.

    Days off are the package's national holidays and *cuti bersama* of ``years``, plus the
    file's ``libur`` and the agency's own ``libur``, minus the ``hari_masuk`` dates (global
    and the agency's). Zone, hours and weekdays come from ``[instansi.<agency>]`` when set
    there, else from the top of the file; an agency without a section (or ``None``) gets the
    top-level calendar.

    Raises:
        ValueError: the file is not TOML, has an unknown key, or a malformed zone, time,
            weekday or date; the message names the file and the key.
        OSError: the file cannot be read.
    """
    wanted = frozenset(years)
    check = _Reader(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    check.table(data, "", _KEYS | {"instansi"})
    sections = data.get("instansi", {})
    if not isinstance(sections, dict) or not all(isinstance(s, dict) for s in sections.values()):
        raise check.error("instansi", "expected [instansi.<kode>] tables")
    own: dict[str, Any] = {}
    prefix = ""
    if agency is not None and agency in sections:
        own, prefix = sections[agency], f"instansi.{agency}."
        check.table(own, prefix, _KEYS)
    for code, section in sections.items():
        check.table(section, f"instansi.{code}.", _KEYS)

    def pick(key: str) -> tuple[Any, str]:
        return (own[key], prefix + key) if key in own else (data.get(key), key)

    zone_value, zone_key = pick("zona_waktu")
    zone = (
        ZoneInfo("Asia/Jakarta") if zone_value is None else check.parse_zone(zone_value, zone_key)
    )
    defaults = WorkingHours()
    start_value, start_key = pick("jam_mulai")
    end_value, end_key = pick("jam_selesai")
    days_value, days_key = pick("hari_kerja")
    start = defaults.start if start_value is None else check.parse_time(start_value, start_key)
    end = defaults.end if end_value is None else check.parse_time(end_value, end_key)
    weekdays = defaults.weekdays if days_value is None else check.weekdays(days_value, days_key)
    if not start < end:
        raise check.error(end_key, f"closing time {end} is not after opening time {start}")

    days_off = national_days_off(wanted)
    _add_names(days_off, check.days_off(data.get("libur", {}), "libur"))
    _add_names(days_off, check.days_off(own.get("libur", {}), prefix + "libur"))
    for d in check.dates(data.get("hari_masuk", []), "hari_masuk") | check.dates(
        own.get("hari_masuk", []), prefix + "hari_masuk"
    ):
        days_off.pop(d, None)
    limits = check.limits(data.get("batas_waktu", {}), "batas_waktu")
    limits |= check.limits(own.get("batas_waktu", {}), prefix + "batas_waktu")
    for code, section in sections.items():  # every agency's table is checked, not only ours
        check.limits(section.get("batas_waktu", {}), f"instansi.{code}.batas_waktu")
    return Calendar(
        zone,
        WorkingHours(start, end, weekdays),
        dict(sorted(days_off.items())),
        wanted,
        limits,
    )


def calendar_for(path: Path, agency: str | None, years: Iterable[int]) -> Calendar:
    """:func:`load_calendar`, cached per file, agency and years (for workers).

    The cache key includes the file's modification time and size, so an edited file is read
    again on the next call without restarting the process.
    """
    stat = path.stat()
    return _cached_calendar(
        path.resolve(), agency, tuple(sorted(set(years))), stat.st_mtime_ns, stat.st_size
    )


@functools.lru_cache(maxsize=64)
def _cached_calendar(
    path: Path, agency: str | None, years: tuple[int, ...], _mtime_ns: int, _size: int
) -> Calendar:
    return load_calendar(path, agency, years)
