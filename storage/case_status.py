"""The statuses of a case (``case.status``): one vocabulary for every layer.

A case is ``diterima`` when its row is written; the web app then starts its process
(``diproses``), or it waits for Zeebe (``menunggu``) until a worker claims it (``memulai``) and
starts it. The diagram's ``alur.perkara.status`` steps set ``diproses`` and the final statuses
``selesai``, ``ditolak`` and ``dibatalkan``; ``dihentikan`` is set when the instance is stopped
in the engine from outside Alur. A step that returns the file to the applicant to complete
(``alur.berkas.minta``) sets ``menunggu_kelengkapan`` until the documents are added, then
``diproses`` again. After a final status nothing waits for anyone.
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
STOPPED = "dihentikan"
#: The file went back to the applicant to complete (``storage.document_requests``): the case
#: waits for documents until they are added on the tracking page or at the front office.
WAITING_DOCUMENTS = "menunggu_kelengkapan"


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
        Status(DONE, "Selesai", final=True, by_diagram=True),
        Status(REJECTED, "Ditolak", final=True, by_diagram=True),
        Status(CANCELLED, "Dibatalkan", final=True, by_diagram=True),
        Status(STOPPED, "Dihentikan", final=True),
    )
}
#: Statuses after which nothing is waiting for anyone.
FINAL = tuple(code for code, status in STATUSES.items() if status.final)
#: Statuses of a case with no process instance yet, in the order a case passes them.
NOT_STARTED = (RECEIVED, WAITING, STARTING)
#: The statuses a diagram may set.
BY_DIAGRAM = tuple(code for code, status in STATUSES.items() if status.by_diagram)


def label(code: str) -> str:
    """The Bahasa label of a status (the code itself for one this module does not know)."""
    status = STATUSES.get(code)
    return status.label if status is not None else code


def is_final(code: str) -> bool:
    status = STATUSES.get(code)
    return status is not None and status.final
