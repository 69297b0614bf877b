"""Dates typed the Indonesian way: the server (alur/dates.py) and the browser
(web/static/alur-dates.js, run by Node) read every vector of date_vectors.json alike."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from alur.dates import DateProblem, read_date, read_time, show_date, show_value

HERE = Path(__file__).parent
VECTORS = json.loads((HERE / "date_vectors.json").read_text(encoding="utf-8"))
TODAY = date(*VECTORS["today"])
BROWSER_SCRIPT = HERE.parents[1] / "web" / "static" / "alur-dates.js"


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
