"""The working-day calendar (alur.workdays): properties of working-time arithmetic, the SOP
limits in Bahasa, the national days off of the ``holidays`` package and the calendar file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alur import settings as alur_settings
from alur.agency_file import shipped
from alur.workdays import (
    SAME_DAY,
    Calendar,
    Limit,
    Pause,
    SameDay,
    WorkingHours,
    add_calendar,
    calendar_for,
    due,
    load_calendar,
    national_days_off,
    parse_limit,
)

ROOT = Path(__file__).resolve().parents[2]
CALENDAR_FILE = ROOT / "deploy" / "kalender.toml"
WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
YEARS = (2026, 2027)
NATIONAL = national_days_off(YEARS)

#: The joint-leave days the holidays package (0.109) decrees for 2026, checked by hand.
CUTI_BERSAMA_2026 = {
    date(2026, 2, 16): "Cuti Bersama Tahun Baru Imlek",
    date(2026, 3, 18): "Cuti Bersama Hari Suci Nyepi",
    date(2026, 3, 20): "Cuti Bersama Hari Raya Idul Fitri",
    date(2026, 3, 23): "Cuti Bersama Hari Raya Idul Fitri",
    date(2026, 3, 24): "Cuti Bersama Hari Raya Idul Fitri",
    date(2026, 5, 15): "Cuti Bersama Kenaikan Yesus Kristus",
    date(2026, 5, 28): "Cuti Bersama Hari Raya Idul Adha",
    date(2026, 12, 24): "Cuti Bersama Hari Raya Natal",
}

NATIONAL_WIB = Calendar(WIB, WorkingHours(), NATIONAL, frozenset(YEARS))
CALENDARS = (
    NATIONAL_WIB,
    Calendar(WITA, WorkingHours(time(7, 30), time(16, 0)), NATIONAL, frozenset(YEARS)),
    # Six working days, short hours, far east.
    Calendar(WIT, WorkingHours(time(8, 0), time(13, 0), frozenset(range(6))), NATIONAL),
)
MINUTES_IN_60_DAYS = 60 * 8 * 60

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)


# --- strategies ------------------------------------------------------------------------------


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    """One of the calendars above, with a few more agency days off drawn in 2026."""
    base = draw(st.sampled_from(CALENDARS))
    extra = draw(st.lists(st.dates(date(2026, 1, 1), date(2026, 12, 31)), max_size=8))
    return Calendar(
        base.zone, base.hours, {**base.days_off, **dict.fromkeys(extra, "Libur instansi")}
    )


starts = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2026, 12, 31, 23, 59),
    timezones=st.sampled_from([UTC, WIB, WITA, WIT]),
)


@st.composite
def pauses_after(draw: st.DrawFn, start: datetime) -> list[Pause]:
    """Up to four pauses (possibly overlapping, possibly before the start) near ``start``."""
    found = []
    for _ in range(draw(st.integers(0, 4))):
        offset = draw(st.integers(-3_000, 60_000))
        length = draw(st.integers(0, 20_000))
        pause_start = start + timedelta(minutes=offset, seconds=draw(st.integers(0, 59)))
        found.append((pause_start, pause_start + timedelta(minutes=length)))
    return found


def assert_in_working_time(
    calendar: Calendar, moment: datetime, pauses: Sequence[Pause], minutes: int
) -> None:
    """Inside working hours of a working day or exactly at its closing; never inside a pause."""
    local = moment.astimezone(calendar.zone)
    assert local.utcoffset() == moment.utcoffset()
    assert calendar.is_working_day(local.date()), local
    assert calendar.hours.start <= local.time() <= calendar.hours.end, local
    for pause_start, pause_end in pauses:
        # A limit may end exactly when a pause begins (working time ran out there).
        assert not pause_start < moment < pause_end, (local, pause_start, pause_end)
        if minutes == 0:
            assert not pause_start <= moment < pause_end


# --- properties ------------------------------------------------------------------------------


@PROPERTY
@given(calendars(), starts, st.integers(0, 60))
def test_working_days_land_in_working_time(calendar: Calendar, start: datetime, days: int):
    result = calendar.add_working_days(start, days)
    assert result >= start
    assert result.tzinfo == calendar.zone
    assert_in_working_time(calendar, result, (), days * 480)
    assert calendar.elapsed_working_minutes(start, result) == days * (
        calendar.hours.day_length // timedelta(minutes=1)
    )


@PROPERTY
@given(calendars(), starts, st.integers(0, MINUTES_IN_60_DAYS), st.data())
def test_elapsed_undoes_add(calendar: Calendar, start: datetime, minutes: int, data: st.DataObject):
    pauses = data.draw(pauses_after(start))
    result = calendar.add_working_minutes(start, minutes, pauses)
    assert result >= start
    assert_in_working_time(calendar, result, pauses, minutes)
    assert calendar.elapsed_working_minutes(start, result, pauses) == minutes


@PROPERTY
@given(
    calendars(),
    starts,
    st.integers(0, MINUTES_IN_60_DAYS),
    st.integers(0, MINUTES_IN_60_DAYS),
    st.data(),
)
def test_adding_is_monotonic_and_adds_up(
    calendar: Calendar, start: datetime, first: int, more: int, data: st.DataObject
):
    pauses = data.draw(pauses_after(start))
    once = calendar.add_working_minutes(start, first, pauses)
    total = calendar.add_working_minutes(start, first + more, pauses)
    assert once <= total
    if more > 0:
        # Continuing from where the first limit ended adds up (from 16:00 it goes on tomorrow).
        assert calendar.add_working_minutes(once, more, pauses) == total


@PROPERTY
@given(
    calendars(),
    starts,
    st.integers(1, 20_000),
    st.floats(0, 1),
    st.integers(0, MINUTES_IN_60_DAYS),
    st.data(),
)
def test_a_start_inside_a_pause_counts_from_its_end(
    calendar: Calendar,
    start: datetime,
    length: int,
    where: float,
    minutes: int,
    data: st.DataObject,
):
    pause = (start, start + timedelta(minutes=length))
    pauses = [pause, *data.draw(pauses_after(start))]
    inside = start + timedelta(minutes=length) * where
    from_inside = calendar.add_working_minutes(inside, minutes, pauses)
    assert from_inside == calendar.add_working_minutes(pause[1], minutes, pauses)
    assert calendar.elapsed_working_minutes(inside, pause[1], pauses) == 0


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(calendars(), starts, st.integers(0, 3 * 24 * 60), st.data())
def test_elapsed_agrees_with_counting_minute_by_minute(
    calendar: Calendar, start: datetime, span: int, data: st.DataObject
):
    start = start.replace(second=0, microsecond=0)
    pauses = [
        (start + timedelta(minutes=a), start + timedelta(minutes=a + n))
        for a, n in data.draw(
            st.lists(st.tuples(st.integers(-60, span), st.integers(0, 600)), max_size=5)
        )
    ]
    counted = 0
    for step in range(span):
        minute = start + timedelta(minutes=step)
        local = minute.astimezone(calendar.zone)
        counted += (
            calendar.is_working_day(local.date())
            and calendar.hours.start <= local.time() < calendar.hours.end
            and not any(a <= minute < b for a, b in pauses)
        )
    end = start + timedelta(minutes=span)
    assert calendar.elapsed_working_minutes(start, end, pauses) == counted


@PROPERTY
@given(starts, st.integers(0, 400), st.sampled_from(["menit", "jam", "hari", "minggu"]))
def test_calendar_limits_are_plain_durations(start: datetime, amount: int, unit: str):
    limit = parse_limit(f"{max(amount, 1)} {unit}")
    result = due(NATIONAL_WIB, start, limit)
    span = {"menit": 1, "jam": 60, "hari": 1440, "minggu": 10080}[unit]
    assert result - start == timedelta(minutes=span * limit.amount)
    assert result.tzinfo == WIB


# --- examples: working days ------------------------------------------------------------------


def test_two_working_days_from_friday_afternoon_skip_a_monday_off():
    calendar = Calendar(WIB, WorkingHours(), {date(2026, 3, 9): "Libur instansi"})
    friday = datetime(2026, 3, 6, 14, 0, tzinfo=WIB)
    assert due(calendar, friday, parse_limit("2 hari kerja")) == datetime(
        2026, 3, 11, 14, 0, tzinfo=WIB
    )
    # The same with a real national holiday: Monday 17 August 2026.
    assert NATIONAL_WIB.add_working_days(datetime(2026, 8, 14, 14, tzinfo=WIB), 2) == datetime(
        2026, 8, 19, 14, tzinfo=WIB
    )


def test_a_weekend_start_counts_from_monday_morning():
    saturday = datetime(2026, 8, 8, 10, 30, tzinfo=WIB)
    assert NATIONAL_WIB.next_working_moment(saturday) == datetime(2026, 8, 10, 8, tzinfo=WIB)
    assert due(NATIONAL_WIB, saturday, parse_limit("8 jam kerja")) == datetime(
        2026, 8, 10, 16, tzinfo=WIB
    )
    # Two full days end at Tuesday's closing time, not on Wednesday morning.
    assert due(NATIONAL_WIB, saturday, parse_limit("2 hari kerja")) == datetime(
        2026, 8, 11, 16, tzinfo=WIB
    )
    # Zero minutes: the next working moment, from a Saturday or from closing time.
    assert NATIONAL_WIB.add_working_minutes(saturday, 0) == datetime(2026, 8, 10, 8, tzinfo=WIB)
    closing = datetime(2026, 8, 10, 16, tzinfo=WIB)
    assert NATIONAL_WIB.add_working_minutes(closing, 0) == datetime(2026, 8, 11, 8, tzinfo=WIB)
    inside = datetime(2026, 8, 10, 9, 15, 30, tzinfo=WIB)
    assert NATIONAL_WIB.add_working_minutes(inside, 0) == inside


def test_minutes_and_hours_follow_office_hours_across_zones():
    # 15:30 WIB on Thursday 20 August 2026 is 16:30 WITA (after closing) and 17:30 WIT.
    start = datetime(2026, 8, 20, 8, 30, tzinfo=UTC)
    wita = Calendar(WITA, WorkingHours(), NATIONAL, frozenset(YEARS))
    wit = Calendar(WIT, WorkingHours(), NATIONAL, frozenset(YEARS))
    assert NATIONAL_WIB.add_working_minutes(start, 60) == datetime(2026, 8, 21, 8, 30, tzinfo=WIB)
    assert wita.add_working_minutes(start, 60) == datetime(2026, 8, 21, 9, 0, tzinfo=WITA)
    assert wit.add_working_hours(start, 1) == datetime(2026, 8, 21, 9, 0, tzinfo=WIT)
    assert str(wita.add_working_minutes(start, 60).utcoffset()) == "8:00:00"
    assert str(wit.add_working_minutes(start, 60).utcoffset()) == "9:00:00"


def test_sixty_working_days_pause_while_the_coordination_team_reviews():
    """SOP 2: 60 working days from a complete proposal, not counting the team's review."""
    received = datetime(2026, 9, 1, 9, 0, tzinfo=WIB)
    limit = parse_limit("60 hari kerja")
    plain = due(NATIONAL_WIB, received, limit)
    review = (datetime(2026, 10, 5, 13, 0, tzinfo=WIB), datetime(2026, 10, 19, 11, 0, tzinfo=WIB))
    paused = due(NATIONAL_WIB, received, limit, [review])
    assert NATIONAL_WIB.elapsed_working_minutes(received, plain) == 60 * 480
    assert NATIONAL_WIB.elapsed_working_minutes(received, paused, [review]) == 60 * 480
    # The pause lasted 9 working days and 6 hours (3 h on 5 Oct, 9 full days, 3 h on 19 Oct).
    assert NATIONAL_WIB.elapsed_working_minutes(plain, paused) == 9 * 480 + 360
    # No day off from September to November 2026: the 61st working day, at the same hour.
    assert plain == datetime(2026, 11, 24, 9, 0, tzinfo=WIB)
    assert paused.tzinfo == WIB


def test_calendar_limits_of_the_sops():
    start = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)  # 17.00 WIB
    expected = {
        "60 menit": datetime(2026, 12, 31, 18, 0, tzinfo=WIB),
        "1 hari": datetime(2027, 1, 1, 17, 0, tzinfo=WIB),
        "3 hari": datetime(2027, 1, 3, 17, 0, tzinfo=WIB),
        "1 minggu": datetime(2027, 1, 7, 17, 0, tzinfo=WIB),
        "10 hari": datetime(2027, 1, 10, 17, 0, tzinfo=WIB),
        # SOP 2: cancelled two calendar months later; 31 Dec + 2 months clamps to 28 Feb.
        "2 bulan": datetime(2027, 2, 28, 17, 0, tzinfo=WIB),
    }
    for text, moment in expected.items():
        assert due(NATIONAL_WIB, start, parse_limit(text)) == moment, text
    # Calendar time stopped by a pause is added back.
    pause = (datetime(2027, 1, 1, tzinfo=WIB), datetime(2027, 1, 2, tzinfo=WIB))
    assert add_calendar(start, 1, "hari", [pause]) == datetime(2027, 1, 2, 10, tzinfo=UTC)
    assert add_calendar(start, 1, "bulan") == datetime(2027, 1, 31, 10, tzinfo=UTC)


def test_calendar_time_skips_pauses_and_ends_where_a_pause_begins():
    start = datetime(2026, 8, 10, 9, 0, tzinfo=WIB)
    hour = timedelta(hours=1)
    # Used up exactly when a pause begins: ends there, not after the pause.
    assert add_calendar(start, 60, "menit", [(start + hour, start + 2 * hour)]) == start + hour
    # A start inside a pause counts from the pause's end.
    pause = (start - hour, start + hour)
    assert add_calendar(start, 1, "jam", [pause]) == start + 2 * hour
    assert add_calendar(start, 0, "jam", [pause]) == start + hour
    # Two overlapping pauses count once.
    pauses = [(start + hour, start + 3 * hour), (start + 2 * hour, start + 4 * hour)]
    assert add_calendar(start, 2, "jam", pauses) == start + 5 * hour


# --- examples: the same day (SOP 4 face to face: "dalam 1 (satu) hari saat kedatangan") ---

SAME_DAY_CALENDARS = {
    "WIB": NATIONAL_WIB,
    "WITA": Calendar(WITA, WorkingHours(), NATIONAL, frozenset(YEARS)),
    "WIT": Calendar(WIT, WorkingHours(), NATIONAL, frozenset(YEARS)),
}
END_OF_DAY = time(23, 59, 59, 999_999)


@pytest.mark.parametrize("zone", list(SAME_DAY_CALENDARS))
@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Monday 10 August 2026, inside the working hours: at closing time.
        (datetime(2026, 8, 10, 9, 0), datetime(2026, 8, 10, 16, 0)),
        # Before opening: the same day's closing time too.
        (datetime(2026, 8, 10, 7, 0), datetime(2026, 8, 10, 16, 0)),
        (datetime(2026, 8, 10, 15, 59, 59), datetime(2026, 8, 10, 16, 0)),
        # At or after closing time: the end of that day.
        (datetime(2026, 8, 10, 16, 0), datetime.combine(date(2026, 8, 10), END_OF_DAY)),
        (datetime(2026, 8, 10, 17, 30), datetime.combine(date(2026, 8, 10), END_OF_DAY)),
        # Saturday 8 August 2026: the end of Saturday.
        (datetime(2026, 8, 8, 10, 30), datetime.combine(date(2026, 8, 8), END_OF_DAY)),
        # Monday 17 August 2026, Hari Kemerdekaan: the end of the holiday.
        (datetime(2026, 8, 17, 9, 0), datetime.combine(date(2026, 8, 17), END_OF_DAY)),
        # Thursday 24 December 2026, cuti bersama: the end of that day.
        (datetime(2026, 12, 24, 9, 0), datetime.combine(date(2026, 12, 24), END_OF_DAY)),
    ],
)
def test_the_same_day_ends_with_the_working_hours_or_with_the_day(
    zone: str, start: datetime, expected: datetime
):
    calendar = SAME_DAY_CALENDARS[zone]
    result = due(calendar, start.replace(tzinfo=calendar.zone), parse_limit("Hari yang sama"))
    assert result == expected.replace(tzinfo=calendar.zone)
    assert result.tzinfo == calendar.zone
    assert result.replace(tzinfo=None) == expected  # the wall clock of the agency's zone


def test_the_same_day_is_the_agency_s_day_in_its_own_zone():
    # 08:30 UTC on Thursday 20 August 2026: 15:30 WIB, 16:30 WITA, 17:30 WIT.
    start = datetime(2026, 8, 20, 8, 30, tzinfo=UTC)
    wib, wita, wit = SAME_DAY_CALENDARS.values()
    assert due(wib, start, SAME_DAY).isoformat() == "2026-08-20T16:00:00+07:00"
    assert due(wita, start, SAME_DAY).isoformat() == "2026-08-20T23:59:59.999999+08:00"
    assert due(wit, start, SAME_DAY).isoformat() == "2026-08-20T23:59:59.999999+09:00"
    # 16:00 UTC on Sunday 9 August is 01:00 on Monday in WIT: Monday's closing time there.
    sunday_utc = datetime(2026, 8, 9, 16, 0, tzinfo=UTC)
    assert due(wit, sunday_utc, SAME_DAY) == datetime(2026, 8, 10, 16, 0, tzinfo=WIT)
    assert due(wib, sunday_utc, SAME_DAY) == datetime.combine(
        date(2026, 8, 9), END_OF_DAY, tzinfo=WIB
    )
    # An agency's own hours: six days of 08:00-13:00 WIT, so Saturday closes at 13:00.
    short = CALENDARS[2]
    assert due(short, datetime(2026, 8, 8, 9, tzinfo=WIT), SAME_DAY) == datetime(
        2026, 8, 8, 13, 0, tzinfo=WIT
    )
    assert due(short, datetime(2026, 8, 9, 9, tzinfo=WIT), SAME_DAY) == datetime.combine(
        date(2026, 8, 9), END_OF_DAY, tzinfo=WIT
    )


def test_the_same_day_starts_after_a_pause_and_is_not_moved_by_a_later_one():
    monday = date(2026, 8, 10)

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=WIB)

    tuesday = monday + timedelta(days=1)
    # A start inside a pause counts from its end: past closing time, or the next day.
    assert due(NATIONAL_WIB, at(monday, 15, 30), SAME_DAY, [(at(monday, 15), at(monday, 17))]) == (
        datetime.combine(monday, END_OF_DAY, tzinfo=WIB)
    )
    assert due(NATIONAL_WIB, at(monday, 15, 30), SAME_DAY, [(at(monday, 15), at(tuesday, 9))]) == (
        at(tuesday, 16)
    )
    # A day, not an amount of time: a pause later that day leaves it where it was.
    assert due(NATIONAL_WIB, at(monday, 9), SAME_DAY, [(at(monday, 10), at(monday, 11))]) == (
        at(monday, 16)
    )


@PROPERTY
@given(calendars(), starts)
def test_the_same_day_never_leaves_the_day_it_starts(calendar: Calendar, start: datetime):
    result = due(calendar, start, SAME_DAY)
    local = start.astimezone(calendar.zone)
    assert result >= start
    assert result.tzinfo == calendar.zone
    assert result.date() == local.date()
    if calendar.is_working_day(local.date()) and local.time() < calendar.hours.end:
        assert result.time() == calendar.hours.end
    else:
        assert result.time() == END_OF_DAY


def test_a_leap_february_and_month_ends():
    jan31 = datetime(2028, 1, 31, 9, 0, tzinfo=WIB)
    assert add_calendar(jan31, 1, "bulan") == datetime(2028, 2, 29, 9, 0, tzinfo=WIB)
    assert add_calendar(jan31, 2, "bulan") == datetime(2028, 3, 31, 9, 0, tzinfo=WIB)
    assert add_calendar(jan31, 13, "bulan") == datetime(2029, 2, 28, 9, 0, tzinfo=WIB)


def test_naive_datetimes_and_bad_amounts_are_refused():
    aware = datetime(2026, 8, 10, 9, tzinfo=WIB)
    naive = datetime(2026, 8, 10, 9)
    with pytest.raises(ValueError, match="naive"):
        NATIONAL_WIB.add_working_minutes(naive, 5)
    with pytest.raises(ValueError, match="naive"):
        NATIONAL_WIB.elapsed_working_minutes(aware, naive)
    with pytest.raises(ValueError, match="naive"):
        NATIONAL_WIB.add_working_minutes(aware, 5, [(naive, aware)])
    with pytest.raises(ValueError, match="naive"):
        due(NATIONAL_WIB, naive, parse_limit("1 hari"))
    with pytest.raises(ValueError, match="naive"):
        due(NATIONAL_WIB, naive, SAME_DAY)
    with pytest.raises(ValueError, match="before it starts"):
        NATIONAL_WIB.add_working_minutes(aware, 5, [(aware, aware - timedelta(minutes=1))])
    with pytest.raises(ValueError, match=">= 0"):
        NATIONAL_WIB.add_working_days(aware, -1)
    assert NATIONAL_WIB.elapsed_working_minutes(aware, aware - timedelta(hours=1)) == 0


def test_counting_past_the_loaded_years_is_refused():
    late = datetime(2027, 12, 20, 9, tzinfo=WIB)
    with pytest.raises(ValueError, match="2028"):
        NATIONAL_WIB.add_working_days(late, 30)
    with pytest.raises(ValueError, match="2028"):
        due(NATIONAL_WIB, datetime(2028, 1, 3, 9, tzinfo=WIB), SAME_DAY)
    with pytest.raises(ValueError, match="2025"):
        NATIONAL_WIB.is_working_day(date(2025, 12, 31))


def test_working_hours_are_checked():
    with pytest.raises(ValueError, match="after start"):
        WorkingHours(time(16), time(8))
    with pytest.raises(ValueError, match="weekdays"):
        WorkingHours(weekdays=frozenset({7}))
    assert WorkingHours(time(7, 30), time(16)).day_length == timedelta(hours=8, minutes=30)


# --- the holidays package ---------------------------------------------------------------------


def test_national_holidays_keep_their_bahasa_names():
    assert NATIONAL[date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert NATIONAL[date(2026, 12, 25)] == "Hari Raya Natal"
    assert NATIONAL[date(2026, 1, 1)] == "Tahun Baru Masehi"
    for day in (date(2026, 8, 17), date(2026, 12, 25)):
        assert not NATIONAL_WIB.is_working_day(day)
        assert NATIONAL_WIB.days_off[day] == NATIONAL[day]
    assert NATIONAL_WIB.is_working_day(date(2026, 8, 18))


def test_cuti_bersama_2026_comes_from_the_package():
    found = {
        day: name
        for day, name in national_days_off([2026]).items()
        if name.startswith("Cuti Bersama")
    }
    assert found == CUTI_BERSAMA_2026
    assert not any(NATIONAL_WIB.is_working_day(day) for day in CUTI_BERSAMA_2026)


# --- limits in Bahasa -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("60 menit", Limit(60, "menit", False)),
        ("1 hari", Limit(1, "hari", False)),
        ("3 hari", Limit(3, "hari", False)),
        ("1 minggu", Limit(1, "minggu", False)),
        ("10 hari", Limit(10, "hari", False)),
        ("2 hari kerja", Limit(2, "hari", True)),
        ("3 hari kerja", Limit(3, "hari", True)),
        ("10 hari kerja", Limit(10, "hari", True)),
        ("60 hari kerja", Limit(60, "hari", True)),
        ("8 jam kerja", Limit(8, "jam", True)),
        ("2 bulan", Limit(2, "bulan", False)),
        ("  3  Hari  Kerja ", Limit(3, "hari", True)),
        ("hari yang sama", SAME_DAY),
        ("Hari yang sama", SAME_DAY),
        ("  HARI  Yang\tsama ", SAME_DAY),
    ],
)
def test_parse_limit_accepts_the_sop_limits(text: str, limit: Limit | SameDay):
    assert parse_limit(text) == limit
    assert parse_limit(str(limit)) == limit


@pytest.mark.parametrize(
    "text",
    [
        "dua hari",
        "-1 hari",
        "3 tahun",
        "",
        "hari kerja",
        "0 hari",
        "1,5 hari",
        "1 bulan kerja",
        "1 minggu kerja",
        "2 hari kerja kerja",
        "2hari",
        "٣ hari",
        "1 hari yang sama",
        "hari yang sama kerja",
        "hari sama",
        "hari yang-sama",
    ],
)
def test_parse_limit_refuses_anything_else(text: str):
    with pytest.raises(ValueError, match="time limit"):
        parse_limit(text)


# --- the calendar file ------------------------------------------------------------------------


def test_the_shipped_file_covers_every_agency():
    agencies = shipped().agencies  # deploy/agencies.toml
    for agency in agencies:
        calendar = load_calendar(CALENDAR_FILE, agency.code, YEARS)
        assert calendar.zone == ZoneInfo(agency.letterhead.timezone)
        assert calendar.hours.weekdays == frozenset(range(5))
        assert calendar.hours.end == time(16)
        assert calendar.days_off[date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert load_calendar(CALENDAR_FILE, "dpmptsp", YEARS).hours.start == time(7, 30)
    assert load_calendar(CALENDAR_FILE, "kasn", YEARS).hours.start == time(8)
    assert load_calendar(CALENDAR_FILE, None, YEARS).hours == WorkingHours()
    text = CALENDAR_FILE.read_text(encoding="utf-8")
    assert all(f"[instansi.{agency.code}]" in text for agency in agencies)


def test_the_examples_in_the_shipped_file_parse_when_enabled(tmp_path: Path):
    lines = CALENDAR_FILE.read_text(encoding="utf-8").splitlines()
    enabled = [line[2:] if line.startswith('# "20') else line for line in lines]
    assert enabled != lines
    path = tmp_path / "kalender.toml"
    path.write_text("\n".join(enabled), encoding="utf-8")
    calendar = load_calendar(path, "dpmptsp", YEARS)
    assert "contoh" in calendar.days_off[date(2026, 12, 31)]
    assert "contoh" in calendar.days_off[date(2026, 10, 12)]
    assert "contoh" not in load_calendar(path, "kasn", YEARS).days_off.get(date(2026, 10, 12), "")


def test_the_settings_name_the_shipped_file():
    loaded = alur_settings.load(
        {"ALUR_S3_ACCESS_KEY": "a", "ALUR_S3_SECRET_KEY": "b", "ALUR_SECRET_KEY": "c"}
    )
    assert loaded.calendar_file == Path("deploy/kalender.toml")
    assert (ROOT / loaded.calendar_file).resolve() == CALENDAR_FILE


AGENCY_FILE = """\
zona_waktu = "Asia/Jakarta"
jam_mulai = "08:00"
jam_selesai = "16:00"
hari_kerja = ["senin", "selasa", "rabu", "kamis", "jumat"]

[libur]
"2026-09-07" = "Libur tambahan"

[instansi.timur]
zona_waktu = "Asia/Jayapura"
jam_mulai = "07:30"
hari_kerja = ["Senin", "selasa", "rabu", "kamis", "jum'at", "sabtu"]
hari_masuk = ["2026-12-24"]

[instansi.timur.libur]
"2026-09-08" = "Hari Jadi Kantor"
"2026-12-25" = "Hari Raya Natal"
"""


def test_an_agency_overrides_zone_hours_and_days_off(tmp_path: Path):
    path = tmp_path / "kalender.toml"
    path.write_text(AGENCY_FILE, encoding="utf-8")
    timur = load_calendar(path, "timur", YEARS)
    assert timur.zone == WIT
    assert timur.hours == WorkingHours(time(7, 30), time(16), frozenset(range(6)))
    assert timur.days_off[date(2026, 9, 7)] == "Libur tambahan"
    assert timur.days_off[date(2026, 9, 8)] == "Hari Jadi Kantor"
    assert timur.days_off[date(2026, 12, 25)] == "Hari Raya Natal"  # not named twice
    assert timur.is_working_day(date(2026, 12, 24))  # cuti bersama, but the office is open
    assert timur.is_working_day(date(2026, 9, 12))  # a Saturday
    # "2 hari kerja" from Friday 4 Sept 14:00 WIT: Sat 7:30-16:00, Mon and Tue off.
    start = datetime(2026, 9, 4, 5, 0, tzinfo=UTC)
    assert due(timur, start, parse_limit("2 hari kerja")) == datetime(2026, 9, 9, 14, 0, tzinfo=WIT)
    other = load_calendar(path, "lain", YEARS)
    assert other.zone == WIB and date(2026, 9, 8) not in other.days_off
    assert not other.is_working_day(date(2026, 12, 24))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('jam_mulaii = "08:00"\n', "jam_mulaii"),
        ('[libur]\n"2026-02-30" = "Tidak ada"\n', 'libur."2026-02-30"'),
        ('[libur]\n"30-12-2026" = "Terbalik"\n', 'libur."30-12-2026"'),
        ('[libur]\n"2026-12-30" = 5\n', 'libur."2026-12-30"'),
        ('hari_kerja = ["senin", "sunday"]\n', "hari_kerja"),
        ('jam_selesai = "4 sore"\n', "jam_selesai"),
        ('jam_mulai = "17:00"\n', "jam_selesai"),
        ('zona_waktu = "Asia/Bandung"\n', "zona_waktu"),
        ('hari_masuk = ["2026-13-01"]\n', "hari_masuk[0]"),
        ('[instansi.kasn]\njam_mulai = "25:00"\n', "instansi.kasn.jam_mulai"),
        ("[instansi.kasn]\nlibur_nasional = false\n", "instansi.kasn.libur_nasional"),
        ('[instansi.kasn.libur]\n"2026-1-5" = "x"\n', 'instansi.kasn.libur."2026-1-5"'),
        ('zona_waktu = "Asia/Jakarta\n', "not valid TOML"),
        ('[batas_waktu]\n"lapor.verifikasi" = "tiga hari"\n', "batas_waktu.lapor.verifikasi"),
        ('[batas_waktu]\n"verifikasi" = "3 hari"\n', "batas_waktu.verifikasi"),
        ('batas_waktu = "3 hari"\n', "batas_waktu"),
        ('[instansi.lain.batas_waktu]\n"lapor.x" = 3\n', "instansi.lain.batas_waktu.lapor.x"),
    ],
)
def test_a_malformed_file_is_refused_naming_file_and_key(tmp_path: Path, text: str, key: str):
    path = tmp_path / "kalender.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_calendar(path, "kasn", YEARS)
    assert str(path) in str(error.value)
    assert key in str(error.value)


def test_calendar_for_caches_until_the_file_changes(tmp_path: Path):
    path = tmp_path / "kalender.toml"
    path.write_text(AGENCY_FILE, encoding="utf-8")
    first = calendar_for(path, "timur", [2027, 2026])
    assert calendar_for(path, "timur", (2026, 2027)) is first
    path.write_text(AGENCY_FILE.replace('"07:30"', '"07:00"'), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = calendar_for(path, "timur", (2026, 2027))
    assert changed is not first
    assert changed.hours.start == time(7)


def test_the_installation_gives_a_coded_limit_its_own_value_the_agency_s_first(tmp_path: Path):
    """A newer regulation without a change to the diagram: the header ``kodeBatas`` names the
    limit, the calendar file's ``[batas_waktu]`` (or the agency's own table) replaces it."""
    path = tmp_path / "kalender.toml"
    path.write_text(
        AGENCY_FILE
        + '\n[batas_waktu]\n"lapor.verifikasi_nasional" = "5 hari kerja"\n'
        + '"lapor.tanggapan_awal" = "2 hari kerja"\n'
        + '\n[instansi.timur.batas_waktu]\n"lapor.tanggapan_awal" = "1 hari kerja"\n',
        encoding="utf-8",
    )
    timur, other = load_calendar(path, "timur", YEARS), load_calendar(path, "lain", YEARS)
    assert timur.limit("lapor.verifikasi_nasional", "3 hari") == "5 hari kerja"
    assert timur.limit("lapor.tanggapan_awal", "3 hari kerja") == "1 hari kerja"
    assert other.limit("lapor.tanggapan_awal", "3 hari kerja") == "2 hari kerja"
    assert other.limit("lapor.tutup_otomatis", "10 hari") == "10 hari"  # not set: the seed's
    assert other.limit("", "60 menit") == "60 menit"


def test_the_shipped_limit_example_parses_when_enabled(tmp_path: Path):
    lines = CALENDAR_FILE.read_text(encoding="utf-8").splitlines()
    enabled = [line[2:] if line.startswith('# "lapor.') else line for line in lines]
    assert enabled != lines
    path = tmp_path / "kalender.toml"
    path.write_text("\n".join(enabled), encoding="utf-8")
    # Every SP4N-LAPOR! limit is listed with the seed's figure (SOP 5), commented out.
    enabled_limits = load_calendar(path, "lapor", YEARS).limits
    assert enabled_limits["lapor.verifikasi_nasional"] == "3 hari"
    assert enabled_limits["lapor.penutupan"] == "10 hari"
    assert len(enabled_limits) == 11
    assert load_calendar(CALENDAR_FILE, "lapor", YEARS).limits == {}
