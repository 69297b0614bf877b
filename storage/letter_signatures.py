"""Issued letters' signatures and public verification codes (issue 25).

A letter's row is *reserved* before it is rendered — its number, date, signer, the content
hash of the approved draft, and a fresh verification code printed on it with a QR code — and
*completed* once the signed PDF is stored (its document, the SHA-256 of its bytes and of the
signer's certificate, which signer made it, when). Both are keyed by the issuing step
(``source_key``): a job delivered again gets the same row and the same code, so a letter is
never issued under two codes. The public verification page finds a row by its code
(:func:`by_code`) or by an uploaded PDF's SHA-256 (:func:`by_signed_sha256`). The functions
that write commit.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import LetterSignature, utcnow

#: What a code is made of: digits and capitals without the look-alikes 0/O, 1/I/L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: Characters of a code (31**10, about 2**49.5 codes), shown in two groups of five.
LENGTH = 10
GROUP = 5
#: What a code may look like as typed: the alphabet (any case), spaces and dashes.
_TYPED = re.compile(r"[\s\-\u2010-\u2015]+")
_ATTEMPTS = 8


def new_code() -> str:
    """A random code from :data:`ALPHABET`, as printed: ``XXXXX-XXXXX``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return _shown(raw)


def _shown(raw: str) -> str:
    return f"{raw[:GROUP]}-{raw[GROUP:]}"


def normalise_code(text: str) -> str | None:
    """``text`` as a code is stored (``XXXXX-XXXXX``), or None if it cannot be one.

    Letters in any case, spaces and dashes anywhere: ``"abcde fghjk"`` and ``"ABCDE-FGHJK"`` are
    the same code. A character the alphabet lacks (0, O, 1, I, L, punctuation) or the wrong
    length gives None.
    """
    raw = _TYPED.sub("", text).upper()
    if len(raw) != LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return _shown(raw)


def by_source_key(db: Session, source_key: str) -> LetterSignature | None:
    return db.scalar(select(LetterSignature).where(LetterSignature.source_key == source_key))


def by_code(db: Session, code: str) -> LetterSignature | None:
    """The letter whose verification code ``code`` is, however it was typed; else None."""
    shown = normalise_code(code)
    if shown is None:
        return None
    return db.scalar(select(LetterSignature).where(LetterSignature.code == shown))


def by_signed_sha256(db: Session, sha256: str) -> LetterSignature | None:
    """The letter whose signed PDF has this SHA-256 (hex, any case), or None."""
    digest = sha256.strip().lower()
    return db.scalar(
        select(LetterSignature)
        .where(LetterSignature.signed_sha256 == digest)
        .order_by(LetterSignature.id)
        .limit(1)
    )


def of_document(db: Session, document_id: int) -> LetterSignature | None:
    """The signature of the stored letter ``document_id``, or None (not a signed letter)."""
    return db.scalar(select(LetterSignature).where(LetterSignature.document_id == document_id))


def reserve(
    db: Session,
    *,
    source_key: str,
    case_id: int,
    kind: str,
    number: str,
    letter_date: date,
    agency_code: str,
    signer_name: str,
    signer_nip: str | None,
    signer_position: str,
    content_sha256: str,
    draft_id: int | None,
) -> LetterSignature:
    """The row of the letter the step ``source_key`` issues: the one reserved before (as it
    was), or a new one with a fresh code (drawn again if another letter holds it). Commits."""
    for _ in range(_ATTEMPTS):
        found = by_source_key(db, source_key)
        if found is not None:
            return found
        row = LetterSignature(
            case_id=case_id,
            source_key=source_key,
            code=new_code(),
            draft_id=draft_id,
            kind=kind,
            number=number,
            letter_date=letter_date,
            agency_code=agency_code,
            signer_name=signer_name,
            signer_nip=signer_nip or None,
            signer_position=signer_position,
            content_sha256=content_sha256,
            created_at=utcnow(),
        )
        db.add(row)
        try:
            db.commit()
        except IntegrityError:  # the same step reserved meanwhile, or the code is taken
            db.rollback()
            continue
        return row
    raise RuntimeError(f"no verification code for {source_key!r} after {_ATTEMPTS} draws")


def complete(
    db: Session,
    signature: LetterSignature,
    *,
    document_id: int,
    signed_sha256: str,
    certificate_sha256: str | None,
    backend: str | None,
    signed_at: datetime | None,
) -> LetterSignature:
    """Record the stored signed letter on its reserved row; the row as stored. Commits.

    Only the first completion is kept: a second call (a job delivered again) changes nothing,
    whatever it passes; compare the returned row's ``document_id`` to learn which one stands.
    """
    db.execute(
        update(LetterSignature)
        .where(LetterSignature.id == signature.id, LetterSignature.document_id.is_(None))
        .values(
            document_id=document_id,
            signed_sha256=signed_sha256.lower(),
            certificate_sha256=certificate_sha256.lower() if certificate_sha256 else None,
            backend=backend,
            signed_at=signed_at,
        )
    )
    db.commit()
    stored = db.scalar(
        select(LetterSignature)
        .where(LetterSignature.id == signature.id)
        .execution_options(populate_existing=True)
    )
    if stored is None:
        raise LookupError(f"letter signature {signature.id} does not exist")
    return stored
