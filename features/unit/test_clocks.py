"""The SLA clock of a case in Bahasa (alur.clocks): running with the working days left,
paused, past its due date; at fixed instants on a calendar built here."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from alur.clocks import describe, working_days_left
from alur.workdays import Calendar, WorkingHours
from storage.models import CaseClock

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
#: 08:00-16:00 Monday to Friday; Wednesday 3 March 2027 off.
CALENDAR = Calendar(WIB, WorkingHours(), {date(2027, 3, 3): "Libur uji"}, frozenset({2027}))
DUE = datetime(2027, 3, 8, 16, 0, tzinfo=WIB)  # Monday


def _clock(due: datetime = DUE, paused_since: datetime | None = None) -> CaseClock:
    return CaseClock(
        case_id=1, name="tenggatUji", due_at=due, paused_since=paused_since, paused_minutes=0
    )


def test_a_running_clock_says_its_due_date_and_the_working_days_left():
    now = datetime(2027, 3, 1, 9, 0, tzinfo=WIB)  # Monday: 7 h, Tue 8, (Wed off), Thu, Fri, Mon
    assert describe(_clock(), CALENDAR, now) == (
        "Berjalan — tenggat Senin, 8 Maret 2027 pukul 16.00 WIB, sisa 5 hari kerja"
    )


def test_a_part_of_a_working_day_counts_as_a_day_and_days_off_do_not_count():
    assert working_days_left(CALENDAR, datetime(2027, 3, 8, 15, 0, tzinfo=WIB), DUE) == 1
    assert working_days_left(CALENDAR, datetime(2027, 3, 2, 16, 0, tzinfo=WIB), DUE) == 3
    assert working_days_left(CALENDAR, datetime(2027, 3, 5, 20, 0, tzinfo=WIB), DUE) == 1


def test_a_paused_clock_says_since_when_and_that_the_time_does_not_count():
    since = datetime(2027, 2, 5, 10, 0, tzinfo=WIB)  # Friday
    now = datetime(2027, 3, 20, 10, 0, tzinfo=WIB)  # after the due date: paused, not late
    assert describe(_clock(paused_since=since), CALENDAR, now) == (
        "Dijeda sejak Jumat, 5 Februari 2027 pukul 10.00 WIB (tidak dihitung)"
    )


def test_a_clock_paused_after_its_due_date_says_it_was_already_late():
    since = datetime(2027, 3, 9, 10, 0, tzinfo=WIB)
    assert describe(_clock(paused_since=since), CALENDAR, since) == (
        "Dijeda sejak Selasa, 9 Maret 2027 pukul 10.00 WIB (tidak dihitung);"
        " tenggat terlampaui sejak Senin, 8 Maret 2027 pukul 16.00 WIB"
    )


def test_a_clock_past_its_due_date_says_since_when():
    now = datetime(2027, 3, 9, 8, 0, tzinfo=WIB)
    assert (
        describe(_clock(), CALENDAR, now) == "Terlampaui sejak Senin, 8 Maret 2027 pukul 16.00 WIB"
    )
    assert (
        describe(_clock(), CALENDAR, DUE) == "Terlampaui sejak Senin, 8 Maret 2027 pukul 16.00 WIB"
    )


def test_times_are_shown_in_the_agencys_zone():
    calendar = Calendar(WITA, WorkingHours(), {}, frozenset({2027}))
    due = datetime(2027, 3, 8, 16, 0, tzinfo=WITA)
    now = datetime(2027, 3, 8, 8, 0, tzinfo=WITA)
    assert describe(_clock(due), calendar, now) == (
        "Berjalan — tenggat Senin, 8 Maret 2027 pukul 16.00 WITA, sisa 1 hari kerja"
    )


def test_a_due_date_outside_working_hours_with_no_working_time_left():
    due = datetime(2027, 3, 6, 23, 59, tzinfo=WIB)  # Saturday ("hari yang sama" on a day off)
    now = datetime(2027, 3, 6, 9, 0, tzinfo=WIB)
    assert describe(_clock(due), CALENDAR, now) == (
        "Berjalan — tenggat Sabtu, 6 Maret 2027 pukul 23.59 WIB, tanpa sisa hari kerja"
    )
