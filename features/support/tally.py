"""What the fault and hostile-input suites tried and what held, for their report.

A test adds what it measured (``tally.add("letters", expected=1, found=1)``) *before* it
asserts, so the report shows the figures of a failing run too. With ``ALUR_FAULT_TALLY`` set
(``python -m features.report`` sets it) the totals are written there as JSON at the end of
the session; otherwise they are only kept in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from features.support import sessionfiles

TALLY_FILE = "ALUR_FAULT_TALLY"

#: Each row of the report: what the first and the second figure count, and when it passes
#: ("equal": the two figures are equal; "zero": the second is 0).
ROWS: dict[str, tuple[str, str, str]] = {
    "faults": ("faults injected", "survived", "equal"),
    "cases": ("cases in flight", "finished correctly", "equal"),
    "letters": ("letters expected", "found", "equal"),
    "numbers": ("register numbers expected", "found", "equal"),
    "emails": ("e-mails expected", "found", "equal"),
    "inputs": ("hostile inputs tried", "rejected", "equal"),
    "storage": ("anonymous storage reads tried", "refused", "equal"),
    "cross_unit": ("requests across units/roles tried", "refused", "equal"),
    "lost": ("items that must survive", "lost", "zero"),
}


@dataclass
class Tally:
    totals: dict[str, list[int]] = field(default_factory=lambda: {row: [0, 0] for row in ROWS})
    #: Per test: row -> [first, second], to see which test a failing row comes from.
    by_test: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    test: str = ""

    def add(self, row: str, expected: int, found: int) -> None:
        if row not in ROWS:
            raise KeyError(f"unknown report row {row!r}; known: {', '.join(ROWS)}")
        self.totals[row][0] += expected
        self.totals[row][1] += found
        mine = self.by_test.setdefault(self.test, {})
        first, second = mine.setdefault(row, [0, 0])
        mine[row] = [first + expected, second + found]


_tally = Tally()


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    _tally.test = request.node.nodeid
    yield _tally


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A ``hostile`` test that does not count for itself counts as one input tried, refused
    if the test passed (``@pytest.mark.hostile(row="storage")`` picks another row)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    marker = item.get_closest_marker("hostile")
    if marker is None or report.when != "call" or "tally" in getattr(item, "fixturenames", ()):
        return
    _tally.test = item.nodeid
    _tally.add(str(marker.kwargs.get("row", "inputs")), 1, int(report.passed))


def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The records of xdist's workers as one (each test ran in one worker)."""
    totals = {row: [0, 0] for row in ROWS}
    by_test: dict[str, Any] = {}
    for part in parts:
        for row, (first, second) in part["totals"].items():
            totals[row] = [totals[row][0] + first, totals[row][1] + second]
        by_test.update(part["by_test"])
    return {"totals": totals, "by_test": by_test}


def pytest_sessionstart(session: pytest.Session) -> None:
    sessionfiles.clear_parts(session.config, TALLY_FILE)


def pytest_sessionfinish(session: pytest.Session) -> None:
    record = {"totals": _tally.totals, "by_test": _tally.by_test}
    sessionfiles.write(session.config, TALLY_FILE, record, _merge)
