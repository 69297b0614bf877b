"""Dates typed the Indonesian way: the server (alur/dates.py) and the browser
(web/static/alur-dates.js, run by Node) read every vector of date_vectors.json alike; and
dates and times shown the Indonesian way (letters, pages, registers)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from alur.dates import (
    DateProblem,
    bulan,
    hari,
    local_date,
    read_date,
    read_time,
    show_date,
    show_datetime,
    show_value,
)

HERE = Path(__file__).parent
VECTORS = json.loads((HERE / "date_vectors.json").read_text(encoding="utf-8"))
TODAY = date(*VECTORS["today"])
BROWSER_SCRIPT = HERE.parents[1] / "web" / "static" / "alur-dates.js"
# Thursday 3 December 2026, 09.30 in Jakarta.
MOMENT = datetime(2026, 12, 3, 2, 30, tzinfo=UTC)


def matches(result: Any, expected: Any) -> bool:
    if not isinstance(expected, str):
        return bool(result == expected)
    return isinstance(result, str) and result.startswith(expected)


def server_date(text: str) -> Any:
    try:
        day = read_date(text, today=TODAY)
    except DateProblem as problem:
        return problem.message
    return [day.year, day.month, day.day]


def server_time(text: str) -> Any:
    try:
        moment = read_time(text)
    except DateProblem as problem:
        return problem.message
    return moment.hour * 60 + moment.minute


@pytest.mark.parametrize(("text", "expected"), VECTORS["dates"])
def test_the_server_reads_a_typed_date(text: str, expected: Any) -> None:
    assert matches(server_date(text), expected)


@pytest.mark.parametrize(("text", "expected"), VECTORS["times"])
def test_the_server_reads_a_typed_time(text: str, expected: Any) -> None:
    assert matches(server_time(text), expected)


NODE_RUNNER = """
const vectors = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
require(process.argv[1]);
const D = globalThis.AlurDates;
const today = new Date(vectors.today[0], vectors.today[1] - 1, vectors.today[2]);
function attempt(read) {
  try { return read(); } catch (e) { if (e instanceof D.DateProblem) return e.message; throw e; }
}
const out = {
  dates: vectors.dates.map(([text]) => attempt(() => {
    const d = D.readDate(text, today); return [d.getFullYear(), d.getMonth() + 1, d.getDate()];
  })),
  times: vectors.times.map(([text]) => attempt(() => D.readTime(text))),
  shown: D.showDate(new Date(2027, 0, 5)),
};
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def browser_results() -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "Node.js (installed with npm for the front-end assets) runs the browser's reader"
    out = subprocess.run(
        [node, "-e", NODE_RUNNER, str(BROWSER_SCRIPT), str(HERE / "date_vectors.json")],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def test_the_browser_reads_every_date_as_the_server_does(browser_results: dict[str, Any]) -> None:
    for (text, expected), result in zip(VECTORS["dates"], browser_results["dates"], strict=True):
        assert matches(result, expected), (text, result)
        assert result == server_date(text), text


def test_the_browser_reads_every_time_as_the_server_does(browser_results: dict[str, Any]) -> None:
    for (text, expected), result in zip(VECTORS["times"], browser_results["times"], strict=True):
        assert matches(result, expected), (text, result)
        assert result == server_time(text), text
    assert browser_results["shown"] == show_date(date(2027, 1, 5)) == "5 Januari 2027"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-12-10T10:00+07:00", "10 Desember 2026 pukul 10.00 WIB"),
        ("2027-01-05T08:30+08:00", "5 Januari 2027 pukul 08.30 WITA"),
        ("2027-01-05T08:30+09:00", "5 Januari 2027 pukul 08.30 WIT"),
        ("2026-12-31", "31 Desember 2026"),
        ("09:30+07:00", "09.30 WIB"),
        ("bukan tanggal", "bukan tanggal"),
    ],
)
def test_form_values_are_shown_the_indonesian_way(value: str, shown: str) -> None:
    assert show_value(value) == shown


# Dates and times shown ############################################################################


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), "1 Januari 2026"),
        (date(2026, 2, 28), "28 Februari 2026"),
        (date(2025, 5, 17), "17 Mei 2025"),
        (date(2026, 8, 17), "17 Agustus 2026"),
        (date(2026, 11, 10), "10 November 2026"),
        (date(2026, 12, 3), "3 Desember 2026"),
    ],
)
def test_show_date_in_indonesian(day: date, expected: str) -> None:
    assert show_date(day) == expected


def test_show_date_refuses_a_datetime() -> None:
    # Its date depends on the time zone: 2 December 20.00 UTC is 3 December in Jakarta.
    with pytest.raises(TypeError):
        show_date(MOMENT)


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("Asia/Jakarta", "Kamis, 3 Desember 2026 pukul 09.30 WIB"),
        ("Asia/Pontianak", "Kamis, 3 Desember 2026 pukul 09.30 WIB"),
        ("Asia/Makassar", "Kamis, 3 Desember 2026 pukul 10.30 WITA"),
        ("Asia/Jayapura", "Kamis, 3 Desember 2026 pukul 11.30 WIT"),
    ],
)
def test_show_datetime_names_the_indonesian_zone(tz: str, expected: str) -> None:
    assert show_datetime(MOMENT, tz) == expected


def test_show_datetime_defaults_to_jakarta_and_converts_any_offset() -> None:
    in_makassar = MOMENT.astimezone(timezone(timedelta(hours=8)))
    assert show_datetime(in_makassar) == "Kamis, 3 Desember 2026 pukul 09.30 WIB"


def test_show_datetime_crosses_midnight_and_months() -> None:
    late = datetime(2026, 3, 31, 17, 45, tzinfo=UTC)
    assert show_datetime(late) == "Rabu, 1 April 2026 pukul 00.45 WIB"
    assert show_datetime(late, "Asia/Jayapura") == "Rabu, 1 April 2026 pukul 02.45 WIT"
    assert local_date(late) == date(2026, 4, 1)
    assert local_date(datetime(2026, 7, 31, 16, 30, tzinfo=UTC), "Asia/Makassar") == date(
        2026, 8, 1
    )
    assert show_datetime(datetime(2026, 6, 5, 1, 0, tzinfo=UTC)) == (
        "Jumat, 5 Juni 2026 pukul 08.00 WIB"
    )


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        show_datetime(datetime(2026, 12, 3, 9, 30))
    with pytest.raises(ValueError, match="naive"):
        local_date(datetime(2026, 12, 3, 9, 30))


def test_hari_names_the_day_in_bahasa() -> None:
    week = [hari(date(2026, 11, 30 + i) if i < 1 else date(2026, 12, i)) for i in range(7)]
    assert week == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    with pytest.raises(TypeError):
        hari(datetime(2026, 12, 3, 9, tzinfo=UTC))


def test_bulan_names_the_month_in_bahasa() -> None:
    assert [bulan(date(2026, month, 1)) for month in (1, 5, 8, 12)] == [
        "Januari",
        "Mei",
        "Agustus",
        "Desember",
    ]
    with pytest.raises(TypeError):
        bulan(datetime(2026, 12, 3, 9, tzinfo=UTC))
