"""What the public verification page (``/verifikasi``) concludes about a letter.

A citizen holding a letter either types its verification code (printed under the QR code) or
uploads the PDF. A code can only say that the agency issued a letter under it, and what that
letter is (number, date, signer): the person compares those with the paper in hand. A file says
more: its SHA-256 is that of a signed PDF the agency issued, and its signature is checked
(:func:`alur.signature_check.check`) against the installation's trust roots.

The verdicts, by what is uploaded:

- the exact bytes of an issued letter, its signature valid → :data:`AUTHENTIC`;
- a letter whose signature no longer covers the whole file (bytes changed, or an incremental
  update appended after signing, whose signed revision is an issued letter) → :data:`ALTERED`;
- a signature that is not valid (broken, or by a certificate the agency does not trust)
  → :data:`INVALID`;
- anything else (no such code, a file not issued here, unsigned, not a PDF) → :data:`UNKNOWN`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from alur import agencies, dates, signature_check
from alur.letter_kinds import document_title
from storage import letter_signatures
from storage.models import LetterSignature

log = logging.getLogger("alur.verification")

Verdict = Literal["asli", "terdaftar", "diubah", "tidak_sah", "tidak_dikenal"]
#: The uploaded file is a letter the agency issued, unchanged, its signature valid.
AUTHENTIC: Verdict = "asli"
#: The typed code belongs to an issued letter (a code cannot prove a file unchanged).
REGISTERED: Verdict = "terdaftar"
#: The file was changed after it was signed.
ALTERED: Verdict = "diubah"
#: The file's signature is not valid.
INVALID: Verdict = "tidak_sah"
#: No issued letter matches the code or the file.
UNKNOWN: Verdict = "tidak_dikenal"

#: Verdicts that answer the question asked; the others count as failed attempts (throttled).
FOUND: frozenset[Verdict] = frozenset({AUTHENTIC, REGISTERED})

NOT_A_PDF = "Berkas ini bukan PDF."
UNREADABLE = "Berkas PDF ini tidak dapat dibaca."
NOT_SIGNED = "Berkas ini tidak memuat tanda tangan elektronik."
NOT_ISSUED = "Tanda tangan elektronik berkas ini tidak berasal dari surat yang terdaftar di sini."
CHANGED_AFTER = (
    "Berkas ini berbeda dari surat yang ditandatangani: ada perubahan sesudah penandatanganan."
)


@dataclass(frozen=True)
class LetterFacts:
    """An issued letter as the page shows it (all in Bahasa, dates written out)."""

    code: str
    agency: str
    title: str
    number: str
    dated: str
    signer_name: str
    signer_position: str
    signer_nip: str | None
    signed_at: str | None


@dataclass(frozen=True)
class Outcome:
    """The verdict, the issued letter it concerns (if one is known) and why (Bahasa)."""

    verdict: Verdict
    letter: LetterFacts | None = None
    reason: str | None = None

    @property
    def found(self) -> bool:
        return self.verdict in FOUND


def by_code(db: Session, code: str) -> Outcome:
    """What a typed (or scanned) code says: the letter issued under it, or :data:`UNKNOWN`."""
    row = letter_signatures.by_code(db, code)
    if row is None or row.document_id is None:  # reserved but never issued counts as none
        return Outcome(UNKNOWN)
    return Outcome(REGISTERED, facts(db, row))


def by_file(db: Session, pdf: bytes, trust_roots: Sequence[bytes]) -> Outcome:
    """What an uploaded file is: see the module's verdicts.

    The signature is checked before the database is read, so no transaction stays open while
    the PDF is parsed. A file the checker cannot read gives :data:`UNKNOWN`, never an error.
    """
    if not pdf.startswith(b"%PDF-"):
        return Outcome(UNKNOWN, reason=NOT_A_PDF)
    try:
        report = signature_check.check(pdf, list(trust_roots))
    except Exception:  # check() answers hostile input itself; this is a bug's safety net
        log.exception("an uploaded PDF could not be checked")
        return Outcome(UNKNOWN, reason=UNREADABLE)
    issued = _issued(letter_signatures.by_signed_sha256(db, hashlib.sha256(pdf).hexdigest()))
    if issued is not None:
        if report.status == "sah":
            return Outcome(AUTHENTIC, facts(db, issued))
        if report.status == "diubah":
            return Outcome(ALTERED, facts(db, issued), report.reason or CHANGED_AFTER)
        return Outcome(INVALID, facts(db, issued), report.reason)
    signed = None
    if report.signed_revision_sha256:
        signed = _issued(letter_signatures.by_signed_sha256(db, report.signed_revision_sha256))
    known = facts(db, signed) if signed is not None else None
    if report.status == "diubah":
        return Outcome(ALTERED, known, report.reason or CHANGED_AFTER)
    if signed is not None:
        # The signed part is an issued letter, but the file holds more (an update appended).
        reason = report.reason if report.status == "tidak_sah" else None
        return Outcome(ALTERED, known, reason or CHANGED_AFTER)
    if report.status == "tidak_sah":
        return Outcome(INVALID, None, report.reason)
    if report.status == "sah":
        return Outcome(UNKNOWN, reason=NOT_ISSUED)
    return Outcome(UNKNOWN, reason=report.reason or NOT_SIGNED)


def _issued(row: LetterSignature | None) -> LetterSignature | None:
    return row if row is not None and row.document_id is not None else None


def facts(db: Session, row: LetterSignature) -> LetterFacts:
    """The letter of ``row`` as the page shows it; its signing time in its agency's zone."""
    agency = agencies.find(db, row.agency_code)
    timezone = agency.timezone if agency is not None else dates.DEFAULT_TZ
    return LetterFacts(
        code=row.code,
        agency=agency.name if agency is not None else row.agency_code,
        title=document_title(row.kind),
        number=row.number,
        dated=dates.show_date(row.letter_date),
        signer_name=row.signer_name,
        signer_position=" ".join(row.signer_position.split()),
        signer_nip=row.signer_nip,
        signed_at=dates.show_datetime(row.signed_at, timezone) if row.signed_at else None,
    )
