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


#: The timeline kind of a status a case passes on its way (``diproses``): being handled.
STAGE = "tahap"

#: The timeline kind of a case stopped in the engine from outside Alur
#: (``alur.engine_events``).
STOPPED = "henti"
STOPPED_WORDS = "Permohonan Anda dihentikan; tidak ada langkah lanjutan."


def milestones(received_at: datetime, events: Iterable[Event]) -> list[Milestone]:
    """The four milestones of any SOP's request: staff work (``tugas``) or a status on the way
    (``tahap``) means it is being handled, an issued letter (``surat``) or a final status
    (``status``) that it is decided, and an e-mail after the first letter (``surel``) that the
    letter was sent. A case stopped
    from outside (``henti``) shows what it reached, then the stop, and nothing more."""
    ordered = sorted(events, key=lambda e: e.at)
    handled = next((e.at for e in ordered if e.kind in ("tugas", STAGE)), None)
    decided = next((e.at for e in ordered if e.kind in ("surat", "status")), None)
    letter = next((e.at for e in ordered if e.kind == "surat"), None)
    sent = None
    if letter is not None:
        sent = next((e.at for e in ordered if e.kind == "surel" and e.at >= letter), None)
    if decided is not None and handled is None:
        handled = decided
    stopped = next((e.at for e in ordered if e.kind == STOPPED), None)
    if stopped is not None:
        # Stopped from outside: what was reached, then the stop; nothing further is promised.
        reached = [
            m
            for m in milestones_of(received_at, handled, decided, sent)
            if m.at is not None and m.at <= stopped
        ]
        return [*reached, Milestone("Dihentikan", STOPPED_WORDS, stopped)]
    return milestones_of(received_at, handled, decided, sent)


def milestones_of(
    received_at: datetime, handled: datetime | None, decided: datetime | None, sent: datetime | None
) -> list[Milestone]:
    return [
        Milestone("Diterima", "Permohonan Anda kami terima.", received_at),
        Milestone("Sedang ditangani", "Petugas menangani permohonan Anda.", handled),
        Milestone("Diputuskan", "Keputusan atas permohonan Anda sudah ada.", decided),
        Milestone("Surat dikirim", "Surat untuk Anda sudah dikirim.", sent),
    ]
