"""A letter's review chain as stored (issue 25): every draft version, and each tier's decision.

A case drafts a letter under a *name* (the chain's name in the diagram, e.g. ``jawaban``); each
version the drafter sends up is a :class:`~storage.models.LetterDraft` numbered 1, 2, ... with
its content and the content's SHA-256 (:func:`content_sha256`). Each tier decides on one
version (:func:`decide`): initials (``paraf``), the final signer's approval (``tandatangan``), or
a return for revision with a note (``kembalikan``). Nothing is changed or removed afterwards.

Every write is keyed by what asked for it — the drafting step (``source_key``), the reviewing
user task (``task_key``) — so asking again returns the row written the first time, also when
two deliveries ask at the same moment (the unique key decides; the loser reads the winner's
row). The rules every caller meets raise :class:`DraftRefused` with a Bahasa message before
anything is written. The functions that write commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import LetterDraft, LetterReview

#: Initials of a tier of the chain: approved, sent up to the next.
PARAF = "paraf"
#: The final signer's approval: the version to be issued.
TANDATANGAN = "tandatangan"
#: Returned to the drafter for revision, with a note.
KEMBALIKAN = "kembalikan"
DECISIONS = (PARAF, TANDATANGAN, KEMBALIKAN)
#: The decisions that approve a version.
APPROVING = (PARAF, TANDATANGAN)

#: Who wrote a version no person drafted (a worker filling a draft from case data).
SYSTEM = "sistem"

#: Attempts at a new version when other drafts of the same letter keep taking its number.
_ATTEMPTS = 5


class DraftRefused(ValueError):
    """A write the review chain's rules refuse; nothing was written. ``message`` is what to
    tell the person, in Bahasa."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def content_sha256(content: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of ``content``'s canonical JSON: keys sorted, UTF-8, no whitespace.

    The same content gives the same hash whatever its keys' order, before and after a trip
    through a JSON column; the issued letter carries the hash of the draft it was approved as.
    Values must be JSON's own (strings, numbers, booleans, None, lists, mappings).
    """
    text = json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Reading ##########################################################################################


def by_source_key(db: Session, source_key: str) -> LetterDraft | None:
    return db.scalar(select(LetterDraft).where(LetterDraft.source_key == source_key))


def latest(db: Session, case_id: int, name: str) -> LetterDraft | None:
    """The newest version of the case's letter ``name``, or None before the first."""
    return db.scalar(_of(case_id, name).order_by(LetterDraft.version.desc()).limit(1))


def versions(db: Session, case_id: int, name: str) -> list[LetterDraft]:
    """Every version of the case's letter ``name``, first to newest."""
    return list(db.scalars(_of(case_id, name).order_by(LetterDraft.version)))


def version(db: Session, case_id: int, name: str, number: int) -> LetterDraft | None:
    """Version ``number`` of the case's letter ``name``, or None."""
    return db.scalar(_of(case_id, name).where(LetterDraft.version == number))


def reviews(db: Session, case_id: int, name: str) -> list[tuple[int, LetterReview]]:
    """Every decision on any version of the case's letter ``name``, oldest first, each as
    ``(version number, decision)``."""
    rows = db.execute(
        select(LetterReview, LetterDraft.version)
        .join(LetterDraft, LetterDraft.id == LetterReview.draft_id)
        .where(LetterDraft.case_id == case_id, LetterDraft.name == name)
        .order_by(LetterReview.decided_at, LetterReview.id)
    )
    return [(number, review) for review, number in rows]


def approvals(db: Session, draft: LetterDraft) -> list[LetterReview]:
    """The initials and the signer's approval given to this very version, oldest first
    (those of earlier versions do not carry over to a revision)."""
    return list(
        db.scalars(
            select(LetterReview)
            .where(LetterReview.draft_id == draft.id, LetterReview.decision.in_(APPROVING))
            .order_by(LetterReview.decided_at, LetterReview.id)
        )
    )


def by_task_key(db: Session, task_key: str | int) -> LetterReview | None:
    return db.scalar(select(LetterReview).where(LetterReview.task_key == str(task_key)))


def last_reviewed_version(db: Session, case_id: int, name: str, username: str) -> int | None:
    """The newest version of the letter ``username`` decided on, or None if they never did:
    what a reviewer's "changes since you last saw it" compares against."""
    found: int | None = db.scalar(
        select(func.max(LetterDraft.version))
        .join(LetterReview, LetterReview.draft_id == LetterDraft.id)
        .where(
            LetterDraft.case_id == case_id,
            LetterDraft.name == name,
            LetterReview.username == username,
        )
    )
    return found


def _of(case_id: int, name: str) -> Select[LetterDraft]:
    return select(LetterDraft).where(LetterDraft.case_id == case_id, LetterDraft.name == name)


# Writing ##########################################################################################


def add_version(
    db: Session,
    *,
    case_id: int,
    name: str,
    kind: str,
    content: Mapping[str, Any],
    source_key: str,
    by_username: str,
    by_name: str,
    at: datetime,
) -> LetterDraft:
    """The version ``source_key`` wrote: the one written before, or the next. Commits.

    Content equal to the newest version's (same :func:`content_sha256`) makes no version: the
    newest is returned. A drafter who sends the text back unchanged has not revised it, and a
    new number would make every reviewer's initials on it lapse (:func:`approvals` counts only
    decisions on the exact version) for nothing. Such a call writes no row, so its key is not
    remembered: a repeat is still answered with the newest version, which is the same one as
    long as no other version was written in between — true of a job or task delivered again,
    since the chain moves on only once the drafting step is done.

    Two calls at once: the same key writes one row (the second returns it); different keys
    that both take the next number write one after the other (the loser tries again with the
    number after, or returns the winner's version if it holds the same content).
    """
    if not name.strip():
        raise ValueError("a draft needs the chain's name")
    document = dict(content)
    digest = content_sha256(document)
    for _ in range(_ATTEMPTS):
        found = by_source_key(db, source_key)
        if found is not None:
            return found
        newest = latest(db, case_id, name)
        if newest is not None and newest.content_sha256 == digest:
            return newest
        draft = LetterDraft(
            case_id=case_id,
            name=name,
            kind=kind,
            version=1 if newest is None else newest.version + 1,
            content=document,
            content_sha256=digest,
            source_key=source_key,
            created_by=by_username,
            created_by_name=by_name,
            created_at=at,
        )
        db.add(draft)
        try:
            db.commit()
        except IntegrityError:  # the same key, or the same number, written meanwhile
            db.rollback()
            continue
        return draft
    raise RuntimeError(f"no version of letter {name!r} of case {case_id} after {_ATTEMPTS} tries")


def decide(
    db: Session,
    *,
    case_id: int,
    name: str,
    version: int,
    task_key: str | int,
    step_name: str,
    role: str,
    username: str,
    full_name: str,
    position: str,
    decision: str,
    note: str | None,
    at: datetime,
) -> LetterReview:
    """Record a tier's decision on version ``version`` of the case's letter ``name``; the
    decision ``task_key`` recorded before, if any (unchanged). Commits.

    Raises:
        DraftRefused: an unknown decision; a return (``kembalikan``) without a note; a version
            that does not exist, or is not the newest (the reviewer looked at a stale draft).

    A version written between the check and the commit is not noticed; the process does not
    let that happen (the drafter's task is not open while a tier decides).
    """
    key = str(task_key)
    found = by_task_key(db, key)
    if found is not None:
        return found
    if decision not in DECISIONS:
        raise DraftRefused(
            f"Keputusan tidak dikenal: {decision!r}. Pilih paraf, tanda tangan, atau kembalikan."
        )
    remark = note.strip() if note is not None else ""
    if decision == KEMBALIKAN and not remark:
        raise DraftRefused("Tulis catatan perbaikan untuk penyusun sebelum mengembalikan draf.")
    draft = _decidable(db, case_id, name, version)
    review = LetterReview(
        draft_id=draft.id,
        task_key=key,
        step_name=step_name,
        role=role,
        username=username,
        full_name=full_name,
        position=position,
        decision=decision,
        note=remark or None,
        decided_at=at,
    )
    db.add(review)
    try:
        db.commit()
    except IntegrityError:  # the same task decided by a concurrent request
        db.rollback()
        again = by_task_key(db, key)
        if again is None:
            raise
        return again
    return review


def _decidable(db: Session, case_id: int, name: str, number: int) -> LetterDraft:
    """Version ``number``, refused unless it is the newest."""
    newest = latest(db, case_id, name)
    if newest is None:
        raise DraftRefused("Draf surat ini belum ada.")
    if number != newest.version:
        if number > newest.version or number < 1:
            raise DraftRefused(f"Draf versi {number} tidak ada; versi terbaru {newest.version}.")
        raise DraftRefused(
            f"Draf sudah diperbarui ke versi {newest.version}; tinjau versi terbaru."
        )
    return newest
