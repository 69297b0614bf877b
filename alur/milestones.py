"""Where a request stands, in the applicant's words: received → being handled → decided →
letter sent, each with the moment it was reached (read from the case timeline)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class Event(Protocol):
    kind: str
    at: datetime


@dataclass(frozen=True)
class Milestone:
    label: str
    explanation: str
    at: datetime | None

    @property
    def reached(self) -> bool:
        return self.at is not None


def milestones(received_at: datetime, events: Iterable[Event]) -> list[Milestone]:
    """The four milestones of any SOP's request: staff work (``tugas``) means it is being
    handled, an issued letter (``surat``) or a final status (``status``) that it is decided,
    and an e-mail after the first letter (``surel``) that the letter was sent."""
    ordered = sorted(events, key=lambda e: e.at)
    handled = next((e.at for e in ordered if e.kind == "tugas"), None)
    decided = next((e.at for e in ordered if e.kind in ("surat", "status")), None)
    letter = next((e.at for e in ordered if e.kind == "surat"), None)
    sent = None
    if letter is not None:
        sent = next((e.at for e in ordered if e.kind == "surel" and e.at >= letter), None)
    if decided is not None and handled is None:
        handled = decided
    return [
        Milestone("Diterima", "Permohonan Anda kami terima.", received_at),
        Milestone("Sedang ditangani", "Petugas menangani permohonan Anda.", handled),
        Milestone("Diputuskan", "Keputusan atas permohonan Anda sudah ada.", decided),
        Milestone("Surat dikirim", "Surat untuk Anda sudah dikirim.", sent),
    ]
