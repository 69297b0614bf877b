"""The applicant's four milestones, read from the case timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from alur.milestones import milestones

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@dataclass
class E:
    kind: str
    at: datetime


def at(hours: int) -> datetime:
    return START + timedelta(hours=hours)


def test_a_request_just_received_has_one_milestone():
    steps = milestones(START, [E("diterima", START), E("surel", at(1))])  # the receipt
    assert [s.reached for s in steps] == [True, False, False, False]
    assert [s.label for s in steps] == [
        "Diterima",
        "Sedang ditangani",
        "Diputuskan",
        "Surat dikirim",
    ]


def test_every_milestone_with_its_moment():
    events = [
        E("surel", at(1)),
        E("tugas", at(3)),
        E("tugas", at(5)),
        E("surat", at(8)),
        E("surel", at(9)),
    ]
    steps = milestones(START, events)
    assert [s.at for s in steps] == [START, at(3), at(8), at(9)]


def test_a_decision_without_staff_work_still_counts_as_handled():
    steps = milestones(START, [E("status", at(4))])
    assert [s.at for s in steps] == [START, at(4), at(4), None]


def test_a_status_on_the_way_means_handled_not_decided():
    """SOP 4's confirmation that a consultation is being processed (``diproses``)."""
    steps = milestones(START, [E("tahap", at(2)), E("tugas", at(3)), E("surat", at(30))])
    assert [s.at for s in steps] == [START, at(2), at(30), None]
