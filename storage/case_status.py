"""The statuses of a case (``case.status``): one vocabulary for every layer.

A case is ``diterima`` when its row is written; the web app then starts its process
(``diproses``), or it waits for Zeebe (``menunggu``) until a worker claims it (``memulai``) and
starts it. The diagram's ``alur.perkara.status`` steps set ``diproses`` and the final statuses
``selesai``, ``ditolak``, ``dibatalkan`` and ``diarsipkan``; ``dihentikan`` is set when the
instance is stopped in the engine from outside Alur. A step that returns the file to the
applicant to complete (``alur.berkas.minta``) sets ``menunggu_kelengkapan`` until the
documents are added, then ``diproses`` again; one that asks the applicant for a written reply
(header ``tanggapan``, SOP 5's closing of a report) sets ``menunggu_tanggapan`` until the reply
comes, then ``diproses``. After a final status nothing waits for anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

RECEIVED = "diterima"
WAITING = "menunggu"
STARTING = "memulai"
RUNNING = "diproses"
DONE = "selesai"
REJECTED = "ditolak"
CANCELLED = "dibatalkan"
#: A report the national manager of SP4N-LAPOR! archived: it cannot be followed up (SOP 5).
ARCHIVED = "diarsipkan"
STOPPED = "dihentikan"
#: The file went back to the applicant to complete (``storage.document_requests``): the case
#: waits for documents until they are added on the tracking page or at the front office.
WAITING_DOCUMENTS = "menunggu_kelengkapan"
#: The applicant was asked for a written reply (``storage.document_requests``, a request with
#: ``asks_reply``): the case waits until they answer on the tracking page or at the counter.
WAITING_REPLY = "menunggu_tanggapan"


@dataclass(frozen=True)
class Status:
    code: str
    #: What the applicant (tracking page) and staff (registers, timeline) read.
    label: str
    #: Nothing waits for anyone any more: decided by the diagram or stopped in the engine.
    final: bool = False
    #: A diagram may set it (the ``status`` header of ``alur.perkara.status``).
    by_diagram: bool = False


STATUSES = {
    status.code: status
    for status in (
        Status(RECEIVED, "Permohonan diterima"),
        Status(WAITING, "Permohonan tersimpan, menunggu diproses"),
        Status(STARTING, "Permohonan tersimpan, menunggu diproses"),
        Status(RUNNING, "Sedang diproses", by_diagram=True),
        Status(WAITING_DOCUMENTS, "Menunggu kelengkapan berkas"),
        Status(WAITING_REPLY, "Sudah ditindaklanjuti, menunggu tanggapan Anda"),
        Status(DONE, "Selesai", final=True, by_diagram=True),
        Status(REJECTED, "Ditolak", final=True, by_diagram=True),
        Status(CANCELLED, "Dibatalkan", final=True, by_diagram=True),
        Status(ARCHIVED, "Diarsipkan", final=True, by_diagram=True),
        Status(STOPPED, "Dihentikan", final=True),
    )
}
#: Statuses after which nothing is waiting for anyone.
FINAL = tuple(code for code, status in STATUSES.items() if status.final)
#: Statuses of a case with no process instance yet, in the order a case passes them.
NOT_STARTED = (RECEIVED, WAITING, STARTING)
#: Statuses of a case waiting for its applicant (``storage.document_requests``).
WAITING_FOR_APPLICANT = (WAITING_DOCUMENTS, WAITING_REPLY)
#: The statuses a diagram may set.
BY_DIAGRAM = tuple(code for code, status in STATUSES.items() if status.by_diagram)


def label(code: str) -> str:
    """The Bahasa label of a status (the code itself for one this module does not know)."""
    status = STATUSES.get(code)
    return status.label if status is not None else code


def is_final(code: str) -> bool:
    status = STATUSES.get(code)
    return status is not None and status.final
