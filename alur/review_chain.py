"""The review chain of a letter (issue 25): a draft goes up tiers of reviewers to its signer.

The diagram declares the chain; nothing here knows an SOP:

- the service task ``alur.surat.draf`` (``workers.letters``) opens the draft named by its
  header ``draf`` from the ``surat`` variable: version 1;
- user tasks carrying the same header ``draf`` and a header ``tahap`` are its steps:
  ``susun`` (the drafter edits the text and sends it up: a changed text is a new version),
  ``paraf`` (a reviewer initials it or returns it with a note) and ``tandatangan`` (the signer
  approves it for signature or returns it). Their forms answer ``keputusanDraf``
  (``setuju`` | ``kembalikan``) and ``catatanDraf``; exclusive gateways on ``keputusanDraf``
  send a returned draft back to the drafting task, as often as it takes;
- ``alur.surat.terbitkan`` with the header ``draf`` issues the version the signer approved,
  with the initials of that version and the signer's electronic signature.

The web app records each step's decision (:func:`apply`) in the same request that completes
the task, before Zeebe hears of it, so the next tier's task finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from alur import (
    agencies,
    bpmn,
    contract,
    dates,
    drafts,
    letter_content,
    letter_kinds,
    letter_parts,
    letters,
)
from storage import deployments, letter_drafts
from storage.letter_drafts import DraftRefused
from storage.models import Case, HumanTask, LetterDraft, LetterReview

HEADER_CHAIN = contract.HEADER_DRAFT
HEADER_STAGE = contract.HEADER_DRAFT_STAGE
DECISION = "keputusanDraf"
NOTE = "catatanDraf"
APPROVE = "setuju"
RETURN = "kembalikan"


class Stage(StrEnum):
    DRAFT = "susun"
    INITIAL = "paraf"
    SIGN = "tandatangan"


assert tuple(Stage) == contract.DRAFT_STAGES, "the stages the lint knows are the stages here"


#: What a review step's approval is recorded as.
APPROVAL = {Stage.INITIAL: "paraf", Stage.SIGN: "tandatangan"}
#: The decisions as the timeline and the task page say them.
DECISION_LABELS = {
    "paraf": "diparaf",
    "tandatangan": "disetujui untuk ditandatangani",
    "kembalikan": "dikembalikan untuk diperbaiki",
}

__all__ = ["DraftRefused", "Stage", "Step", "apply", "headers_of", "step_of", "view"]


@dataclass(frozen=True)
class Step:
    """A user task of a chain: which draft, and what this step does to it."""

    chain: str
    stage: Stage


def step_of(headers: Mapping[str, str]) -> Step | None:
    """The chain step the task headers declare; None for a task outside any chain."""
    chain = headers.get(HEADER_CHAIN, "").strip()
    try:
        stage = Stage(headers.get(HEADER_STAGE, "").strip())
    except ValueError:
        return None
    return Step(chain, stage) if chain else None


def headers_of(db: Session, task: HumanTask) -> Mapping[str, str]:
    """The task headers of the task's element in its deployed diagram."""
    xml = deployments.content_of(db, "process", task.process_definition_key)
    if not xml:
        return {}
    for process in bpmn.read_cached(xml).processes:
        for node in process.nodes:
            if node.id == task.element_id:
                return node.headers
    return {}


@dataclass(frozen=True)
class DraftView:
    """What a chain step's task page shows of the draft."""

    step: Step
    draft: LetterDraft
    title: str  # the letter kind's title
    reviews: list[tuple[int, LetterReview]]  # (version, decision), oldest first
    #: The version this member last decided on, and what changed since (None: first look).
    since: int | None
    changes: list[drafts.Change]
    #: The latest return note, when the draft came back and was not resubmitted since.
    returned: LetterReview | None


def view(db: Session, step: Step, case_id: int, username: str) -> DraftView | None:
    draft = letter_drafts.latest(db, case_id, step.chain)
    if draft is None:
        return None
    reviews = letter_drafts.reviews(db, case_id, step.chain)
    since = letter_drafts.last_reviewed_version(db, case_id, step.chain, username)
    changes: list[drafts.Change] = []
    if since is not None and since != draft.version:
        before = letter_drafts.version(db, case_id, step.chain, since)
        if before is not None:
            changes = drafts.changes(before.content, draft.content)
    # The draft waits for its revision: the last decision, on this very version, returned it.
    returned = None
    if reviews and reviews[-1][0] == draft.version and reviews[-1][1].decision == "kembalikan":
        returned = reviews[-1][1]
    title = letter_kinds.KINDS[draft.kind].title
    return DraftView(step, draft, title, reviews, since, changes, returned)


def apply(
    db: Session,
    step: Step,
    *,
    task: HumanTask,
    username: str,
    full_name: str,
    position: str,
    data: Mapping[str, Any],
    version: int | None,
    at: datetime,
) -> str:
    """Record what the task's form decided about the draft; the timeline's sentence for it.

    ``version`` is the version the page showed (None: the latest). Raises
    :class:`DraftRefused` (a Bahasa message) when there is no draft, the drafter's text does
    not make a valid letter, or the decision is missing or about a stale version. Commits (as
    ``storage.letter_drafts`` does).
    """
    if task.case_id is None:
        raise DraftRefused("Tugas ini tidak terkait perkara, sehingga tidak ada draf surat.")
    draft = letter_drafts.latest(db, task.case_id, step.chain)
    if draft is None:
        raise DraftRefused("Draf surat belum disusun oleh proses. Hubungi pemilik proses.")
    title = letter_kinds.KINDS[draft.kind].title
    at = dated(draft, at)
    if step.stage is Stage.DRAFT:
        if version is not None and version != draft.version:
            raise DraftRefused(
                f"Draf sudah diperbarui ke versi {draft.version}; muat ulang halaman ini."
            )
        content = letter_content.edited(draft.kind, draft.content, data)
        case = db.get(Case, task.case_id)
        assert case is not None
        try:
            preview_letter(db, case, draft, content=content, at=at)
        except (TypeError, ValueError) as error:
            raise DraftRefused(f"Isi draf belum dapat menjadi surat: {error}") from None
        new = letter_drafts.add_version(
            db,
            case_id=task.case_id,
            name=step.chain,
            kind=draft.kind,
            content=content,
            source_key=f"tugas:{task.id}",
            by_username=username,
            by_name=full_name,
            at=at,
        )
        return f"Draf {title} versi {new.version} diajukan untuk diperiksa"
    answer = data.get(DECISION)
    if answer == APPROVE:
        decision = APPROVAL[step.stage]
    elif answer == RETURN:
        decision = "kembalikan"
    else:
        raise DraftRefused("Pilih keputusan atas draf: setujui atau kembalikan untuk diperbaiki.")
    note = str(data.get(NOTE) or "").strip() or None
    review = letter_drafts.decide(
        db,
        case_id=task.case_id,
        name=step.chain,
        version=draft.version if version is None else version,
        task_key=str(task.job_key),
        step_name=task.name,
        role=",".join(task.candidate_groups),
        username=username,
        full_name=full_name,
        position=position,
        decision=decision,
        note=note,
        at=at,
    )
    said = f"Draf {title} versi {draft.version} {DECISION_LABELS[review.decision]}"
    return f"{said}: {note}" if review.decision == "kembalikan" and note else said


def dated(draft: LetterDraft, at: datetime) -> datetime:
    """``at``, but no earlier than the draft: its version 1 carries the engine's clock, which a
    test (or a broker whose clock runs ahead) may have moved past this machine's."""
    return max(at, draft.created_at)


def preview_letter(
    db: Session,
    case: Case,
    draft: LetterDraft,
    *,
    content: Mapping[str, Any] | None = None,
    at: datetime,
) -> letters.Letter:
    """The draft as a letter: no number yet, the initials given to this version so far, and
    the signer the signer's role names (or the role itself while nobody holds it)."""
    content = draft.content if content is None else content
    at = dated(draft, at)
    agency = agencies.agency(db, str(content.get("instansi") or ""))
    role = str(content.get("penandatangan") or "")
    signer = letter_content.role_signer(db, role, case) if role else None
    if signer is None:
        signer = letter_parts.Signer(name="(penandatangan)", position=role or "(jabatan)")
    sha = letter_drafts.content_sha256(content)
    version = draft.version if sha == draft.content_sha256 else draft.version + 1
    return letter_content.build(
        kind=draft.kind,
        content=content,
        case=case,
        agency=agency,
        number=letter_content.DRAFT_NUMBER,
        on=dates.local_date(at, agency.timezone),
        signer=signer,
        paraf=paraf_of(letter_drafts.approvals(db, draft), agency.timezone),
        draft=letter_parts.DraftMark(version=version, content_sha256=sha),
        content_sha256=sha,
    )


def paraf_of(reviews: list[LetterReview], timezone: str) -> tuple[letter_parts.Paraf, ...]:
    """The initials boxes of a version: its ``paraf`` decisions, lowest tier first."""
    return tuple(
        letter_parts.Paraf(
            position=review.position, name=review.full_name, at=review.decided_at, timezone=timezone
        )
        for review in reviews
        if review.decision == "paraf"
    )
