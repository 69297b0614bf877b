"""The SLA clock of a case as people read it: running (with the working days left), paused,
or past its due date.

The ``sla`` worker keeps the clock (``storage.case_clocks``); this module says what it means
now on the agency's working-day calendar (the calendar file plus the agency's own days off,
the same calendar the worker counted with: :func:`agency_calendar`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from alur import dates, workdays
from storage import agencies, case_clocks
from storage.models import Case, CaseClock


def agency_calendar(
    session: Session, calendar_file: Path, agency: str | None, years: Iterable[int]
) -> workdays.Calendar:
    """The calendar file's calendar of ``agency`` plus the agency's own days off as stored
    now; an empty agency (or None) is the file's default calendar."""
    years = tuple(years)
    calendar = workdays.calendar_for(calendar_file, agency or None, years)
    if not agency:
        return calendar
    own = agencies.days_off(session, agency, years)
    if not own:
        return calendar
    return replace(calendar, days_off=dict(sorted({**calendar.days_off, **own}.items())))


def years_around(*moments: datetime) -> range:
    """The years a calendar must know to count between ``moments`` (a year either side)."""
    return range(min(m.year for m in moments) - 1, max(m.year for m in moments) + 2)


def working_days_left(calendar: workdays.Calendar, now: datetime, due: datetime) -> int:
    """Working days from ``now`` to ``due``, a part of a day counted as a day."""
    minutes = calendar.elapsed_working_minutes(now, due)
    day = calendar.hours.day_length.total_seconds() // 60
    return math.ceil(minutes / day)


def describe(clock: CaseClock, calendar: workdays.Calendar, now: datetime) -> str:
    """``clock`` at ``now`` in Bahasa Indonesia:
    ``"Berjalan — tenggat Senin, 9 Maret 2027 pukul 16.00 WIB, sisa 12 hari kerja"``,
    ``"Dijeda sejak Kamis, 5 Februari 2027 pukul 10.00 WIB (tidak dihitung)"`` or
    ``"Terlampaui sejak Senin, 9 Maret 2027 pukul 16.00 WIB"`` (times in the calendar's zone).
    """
    zone = calendar.zone.key
    due = dates.show_datetime(clock.due_at, zone)
    if clock.paused_since is not None:
        text = f"Dijeda sejak {dates.show_datetime(clock.paused_since, zone)} (tidak dihitung)"
        if clock.due_at <= clock.paused_since:
            text += f"; tenggat terlampaui sejak {due}"
        return text
    if clock.due_at <= now:
        return f"Terlampaui sejak {due}"
    left = working_days_left(calendar, now, clock.due_at)
    rest = f"sisa {left} hari kerja" if left else "tanpa sisa hari kerja"
    return f"Berjalan — tenggat {due}, {rest}"


@dataclass(frozen=True)
class Shown:
    """A clock of a case as a page shows it."""

    name: str
    #: The limit as the SOP states it ("60 hari kerja"), or empty.
    limit: str
    paused: bool
    text: str
    #: Running and past its due date (a paused clock is ``paused``, whatever its due date).
    overdue: bool = False


class Calendars:
    """:func:`agency_calendar` per (agency, years), each built once: a page showing many
    clocks (the SLA dashboard) reads an agency's own days off once, not once per clock."""

    def __init__(self, session: Session, calendar_file: Path) -> None:
        self.session, self.calendar_file = session, calendar_file
        self._found: dict[tuple[str, tuple[int, ...]], workdays.Calendar] = {}

    def of(self, agency: str | None, years: Iterable[int]) -> workdays.Calendar:
        key = (agency or "", tuple(sorted(set(years))))
        if key not in self._found:
            self._found[key] = agency_calendar(self.session, self.calendar_file, key[0], key[1])
        return self._found[key]


def shown(calendars: Calendars, clock: CaseClock, now: datetime) -> Shown:
    """``clock`` at ``now`` as a page shows it, on its agency's calendar (:func:`describe`)."""
    moments = [now, clock.due_at] + ([clock.paused_since] if clock.paused_since else [])
    calendar = calendars.of(clock.agency, years_around(*moments))
    paused = clock.paused_since is not None
    overdue = not paused and clock.due_at <= now
    return Shown(clock.name, clock.limit, paused, describe(clock, calendar, now), overdue)


def of_case(session: Session, calendar_file: Path, case_id: int, now: datetime) -> list[Shown]:
    """The service time limits of an open case at ``now``, each on its agency's calendar;
    empty without one, and once the case is closed."""
    case = session.get(Case, case_id)
    if case is None or case.closed_at is not None:
        return []
    calendars = Calendars(session, calendar_file)
    return [
        shown(calendars, clock, now)
        for clock in case_clocks.of_case(session, case_id, service_only=True)
    ]
