"""The most expensive step of SOP 1 alone: rendering its PDFs with ``alur.letters``.

A case of SOP 1 on the approved path renders two PDFs: the receipt (*tanda terima*), in the
web app while the intake request waits (``web.public._receipt_pdf``), and the reply letter
(``konsultasi_jawaban``), in the worker process (``workers.letters.issue_letter``). Both are
built here the way those two places build them (the agency's letterhead, the applicant as
addressee, the leadership as signer, the fields the diagram maps) and rendered ``count``
times in a row in this process, after warm-up renders that load WeasyPrint and the fonts.

Each render's CPU time is read with ``time.process_time`` (this process's CPU, all its
threads: argon2 hashes on helper threads; nothing else runs here while measuring), so the
figure is "renders per second of one core" even when the machine is shared; wall times are
kept beside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from statistics import median

from argon2 import PasswordHasher

from alur import agency_file, dates, letter_parts, letters

#: KemenPAN-RB as ``deploy/agencies.toml`` ships it (no database needed to render).
AGENCY = agency_file.shipped().agency("kemenpanrb")
REQUIREMENTS = (
    "Identitas pemohon (perorangan, instansi, LSM, ormas, parpol, lainnya)",
    "Nomor kontak dan alamat e-mail",
    "Pokok permasalahan yang dikonsultasikan",
    "Maksud dan tujuan konsultasi",
    "Waktu yang dimohonkan",
)


@dataclass(frozen=True)
class Renders:
    """``count`` renders of one document: CPU and wall milliseconds, PDF size."""

    what: str
    cpu_ms: list[float]
    wall_ms: list[float]
    size_bytes: int

    @property
    def cpu_median_ms(self) -> float:
        return median(self.cpu_ms)

    @property
    def per_core_per_s(self) -> float:
        """Renders one core completes per second (from the median CPU time)."""
        return 1000.0 / self.cpu_median_ms

    def as_details(self) -> dict[str, object]:
        return {
            "what": self.what,
            "count": len(self.cpu_ms),
            "cpu_ms_median": round(self.cpu_median_ms, 1),
            "wall_ms_median": round(median(self.wall_ms), 1),
            "renders_per_core_s": round(self.per_core_per_s, 2),
            "size_bytes": self.size_bytes,
        }


def reply_letter(now: datetime) -> letters.Letter:
    """The ``konsultasi_jawaban`` letter of the approved path, as the worker builds it."""
    today = dates.local_date(now, AGENCY.timezone)
    schedule = datetime.combine(today + timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    return letters.Letter(
        kind="konsultasi_jawaban",
        number=agency_file.shipped().register(AGENCY.code, "surat-keluar").render(17, today),
        date=today,
        place=AGENCY.place,
        letterhead=AGENCY.letterhead,
        addressee=letter_parts.Addressee(name="Dinas Kominfo Kabupaten Sleman"),
        subject="Jawaban atas permohonan konsultasi",
        signer=letter_parts.Signer(
            name="Dr. Aba Subagja, M.Si.",
            position="Asisten Deputi Kelembagaan",
            nip="198001012005011001",
        ),
        fields=letters.fields_from_json(
            {
                "request_number": "ALR-7KQ2-M4XP",
                "request_date": today.isoformat(),
                "topic": "spbe",
                "matter": "Penyusunan arsitektur SPBE pemerintah daerah.",
                "mode": "daring",
                "schedule": (schedule + timedelta(hours=2)).isoformat(),
                "venue": "https://rapat.example.id/sleman",
                "contact_name": "Rudi Hartono",
                "contact": "0812 1111 2222",
            }
        ),
    )


def receipt(now: datetime) -> letters.Receipt:
    """The receipt of an intake, as the web app builds it."""
    checklist = [(label, "terpenuhi dalam formulir") for label in REQUIREMENTS]
    checklist.append(("Salinan KTP/paspor yang masih berlaku", "ktp.pdf"))
    return letters.Receipt(
        tracking_code="ALR-7KQ2-M4XP",
        service_name="Konsultasi melalui Surat",
        applicant_name="Dinas Kominfo Kabupaten Sleman",
        applicant_email="kominfo@sleman.example.id",
        submitted_at=now,
        subject="Konsultasi arsitektur SPBE daerah",
        requirements=checklist,
        tracking_url="http://127.0.0.1:5000/lacak",
        letterhead=letter_parts.Letterhead(name=AGENCY.letterhead.name),
        place=AGENCY.place,
    )


def measure(what: str, render: Callable[[], bytes], count: int, warmup: int = 2) -> Renders:
    size = 0
    for _ in range(warmup):
        size = len(render())
    cpu, wall = [], []
    for _ in range(count):
        started_cpu, started = time.process_time(), time.perf_counter()
        render()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return Renders(what, cpu, wall, size)


def measure_both(count: int) -> tuple[Renders, Renders]:
    """The reply letter and the receipt, each rendered ``count`` times."""
    now = datetime.now(UTC)
    letter = reply_letter(now)
    slip = receipt(now)
    return (
        measure("konsultasi_jawaban", lambda: letters.render_letter(letter), count),
        measure("tanda_terima", lambda: letters.render_receipt(slip), count),
    )


def measure_pin_hash(count: int) -> Renders:
    """The intake's other costly step: hashing the applicant's PIN (argon2, the defaults of
    ``storage.cases``), ``count`` times."""
    hasher = PasswordHasher()
    return measure("pin_hash", lambda: hasher.hash("K7QM-2XWP").encode(), count, warmup=1)
