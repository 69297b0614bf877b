"""Official letters: number, render, store and e-mail them — once, however often a job comes.

Three job types any SOP diagram uses, configured by task headers:

``alur.surat.draf`` (open the draft a review chain works on, ``alur.review_chain``)
    headers ``draf`` (the chain's name), ``jenis``, ``instansi``, ``penandatangan``,
    ``tembusan`` and the variable ``surat``, as for issuing. Returns ``drafSurat``:
    ``{"nama", "versi", "sidik"}``.
``alur.surat.terbitkan`` (issue a letter)
    headers ``jenis`` (a kind of ``alur.letter_kinds.KINDS``), ``instansi`` (``alur.agencies``;
    without it the case's agency, that of its unit: ``workers.variables.agency_of``),
    ``register`` (``alur.numbering``), ``publik``, and either ``draf`` (issue the version of
    that draft its signer approved, with its initials, signed electronically by the signer:
    ``alur.signing``) or ``penandatangan`` (the signer's role: the active staff member holding
    it in the case's unit or the nearest unit above) or ``pelaksana`` (a user task: whoever
    completed it signs, as the officer who held a meeting signs its record); those two are
    not signed electronically. The header ``petugas`` (a user task) makes whoever completed it
    the ``officer`` field of minutes (with ``alur.surat.draf`` too)
    with ``tembusan`` (cc, separated by ``;``) and the variable ``surat``: ``{"perihal",
    "isian": {...fields}, "kepada": {...} (default: the applicant), "lampiran", "sifat"}``;
    and ``sekarang`` (``=now()``: dates the letter). Returns ``suratTerbit``:
    ``{"jenis", "nomor", "dokumenId", "tanggal"}``.
``alur.surat.kirim`` (e-mail documents to the applicant)
    variable ``kirimDokumen``: document ids (default: ``suratTerbit.dokumenId``), and
    ``pesanSurel``: what the e-mail tells the applicant before naming the documents (a
    confirmation, e.g.; optional). Returns
    ``{"suratTerkirim": true|false}`` (false: the applicant gave no e-mail address).

No ``from __future__ import annotations``: pyzeebe matches the ``job: Job`` parameter by its
annotation object.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pyzeebe import Job, ZeebeTaskRouter
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alur import (
    contract,
    dates,
    faults,
    letter_content,
    letter_kinds,
    letter_parts,
    letters,
    mail,
    review_chain,
    signature_check,
    signing,
)
from alur.contract import (
    LETTER_DRAFT,
    LETTER_DRAFT_OUTPUT,
    LETTER_ISSUE,
    LETTER_OUTPUT,
    LETTER_SEND,
)
from alur.settings import Settings
from storage import cases, documents, letter_drafts, letter_signatures
from storage import numbering as registers
from storage.accounts import find_user
from storage.models import Case, CaseDocument, LetterDraft, LetterSignature, utcnow
from workers import audit
from workers.deps import Deps
from workers.variables import (
    JobInputError,
    agency_and_register,
    agency_of,
    case_id_of,
    load_case,
    now_of,
)

ISSUE = LETTER_ISSUE
SEND = LETTER_SEND
DRAFT = LETTER_DRAFT
OUTPUT = LETTER_OUTPUT
DRAFT_OUTPUT = LETTER_DRAFT_OUTPUT


@dataclass(frozen=True)
class Issued:
    kind: str
    number: str
    document_id: int
    date: str

    def as_variables(self) -> dict[str, Any]:
        return {
            OUTPUT: {
                "jenis": self.kind,
                "nomor": self.number,
                "dokumenId": self.document_id,
                "tanggal": self.date,
            }
        }


def issue_letter(
    deps: Deps,
    *,
    case_id: int,
    step_key: str,
    headers: dict[str, str],
    spec: dict[str, Any],
    at: datetime | None = None,
) -> Issued:
    """Number, render and store one letter; the same ``step_key`` always yields the same one.

    With the header ``draf`` the letter is the version of that draft its signer approved
    (``alur.review_chain``), with that version's initials, and it is signed electronically by
    the signer; without it, it is built from ``surat`` and the role ``penandatangan`` names.
    ``at`` dates the letter (the broker's now, from ``sekarang``; default this machine's).
    """
    kind = headers.get("jenis", "")
    if kind not in letter_kinds.KINDS:
        raise JobInputError(f"header jenis={kind!r} is not a letter kind")
    with deps.sessions() as db:
        # Read at each job: an agency or register edited in /admin numbers the next letter.
        case = load_case(db, case_id)
        agency, register = agency_and_register(db, headers, case)
        chain = headers.get(review_chain.HEADER_CHAIN, "").strip()
        approved = _approved(db, case, chain, kind, agency.timezone) if chain else None
        if approved is not None:
            content = approved.draft.content
        else:
            content = letter_content.content_of(kind, spec, headers)
            content = _with_officer(db, content, headers, case)
        subject = str(content["perihal"])
        addressee = letter_content.addressee(content.get("kepada"), case)
        issued_at = at or utcnow()
        today = dates.local_date(issued_at, agency.timezone)
        entry = registers.allocate(
            db,
            agency=agency.code,
            register=register.code,
            year=today.year,
            key=f"surat:{step_key}",
            render=lambda seq: register.render(seq, today),
            case_id=case.id,
            kind=kind,
            subject=subject,
            party=", ".join(p for p in (addressee.name, addressee.institution) if p),
            at=issued_at,
        )
        faults.point("letter.after_number")
        on = dates.local_date(entry.created_at, agency.timezone)
        filename = letter_filename(kind, entry.number)
        public = audit.is_public(headers)
        settings = deps.settings
        # Named by the step, so a run killed after S3 took the PDF adopts it on redelivery
        # instead of leaving a second retained copy behind.
        key = f"cases/{case.id}/{kind}/{step_key}.pdf"
        described: dict[str, Any] = {
            "filename": filename,
            "kind": kind,
            "uploaded_by": "alur",
            "case_id": case.id,
            "public": public,
        }
        seal = None
        if approved is not None:
            seal = letter_signatures.reserve(
                db,
                source_key=f"surat:{step_key}",
                case_id=case.id,
                kind=kind,
                number=entry.number,
                letter_date=on,
                agency_code=agency.code,
                signer_name=approved.signer.name,
                signer_nip=approved.signer.nip,
                signer_position=approved.signer.position,
                content_sha256=approved.draft.content_sha256,
                draft_id=approved.draft.id,
            )
            db.commit()
        existing = _letter_of(db, case.id, filename)
        if existing is not None:  # a redelivered job: the letter exists already
            if seal is not None and seal.document_id is None:
                _seal(deps, db, seal, existing)  # a run stopped between the two
            return Issued(kind, entry.number, existing.id, on.isoformat())
        pending = documents.stored_under(deps.s3, settings.s3_bucket_letters, key, **described)
        signed: bytes | None = None  # the signed PDF, when this run made it
        if pending is None:
            letter = letter_content.build(
                kind=kind,
                content=content,
                case=case,
                agency=agency,
                number=entry.number,
                on=on,
                signer=approved.signer if approved else _signer(db, content, case),
                paraf=approved.paraf if approved else (),
                verification=(
                    letter_parts.Verification(code=seal.code, url=_verify_url(settings, seal.code))
                    if seal is not None
                    else None
                ),
                content_sha256=approved.draft.content_sha256 if approved else None,
            )
            data = letters.render_letter(letter)
            if approved is not None:
                data = signed = deps.signing().sign(
                    data,
                    approved.identity(agency.name),
                    reason=f"{letter_kinds.KINDS[kind].title} nomor {entry.number}",
                    location=agency.place,
                )
            pending = documents.put_generated(
                deps.s3,
                settings.s3_bucket_letters,
                data=data,
                content_type="application/pdf",
                retain_until=utcnow() + timedelta(days=settings.letter_retention_days),
                object_key=key,
                **described,
            )
        faults.point("letter.after_pdf_stored")
        try:
            doc = documents.record(db, deps.s3, pending)
            db.commit()
        except IntegrityError:  # a concurrent delivery of this job recorded the letter first
            db.rollback()
            theirs = _letter_of(db, case.id, filename)
            if theirs is None:
                raise
            if seal is not None:
                _seal(deps, db, seal, theirs)
            return Issued(kind, entry.number, theirs.id, on.isoformat())
        title = f"{letter_kinds.KINDS[kind].title} nomor {entry.number} diterbitkan"
        if seal is not None and approved is not None:
            _seal(deps, db, seal, doc, signed)
            title += f", ditandatangani secara elektronik oleh {approved.signer.name}"
        cases.record_once(
            db,
            case.id,
            "surat",
            title,
            source_key=f"surat:{step_key}",
            actor="sistem",
            public=public,
            detail={"documentId": doc.id, "number": entry.number},
        )
        return Issued(kind, entry.number, doc.id, on.isoformat())


@dataclass(frozen=True)
class Approved:
    """The version of a draft its signer approved, with who initialled and who signs it."""

    draft: LetterDraft
    signer: letter_parts.Signer
    username: str
    paraf: tuple[letter_parts.Paraf, ...]

    def identity(self, agency: str) -> signing.SignerIdentity:
        return signing.SignerIdentity(
            username=self.username,
            name=self.signer.name,
            position=self.signer.position,
            nip=self.signer.nip,
            agency=agency,
        )


def _approved(db: Session, case: Case, chain: str, kind: str, timezone: str) -> Approved:
    draft = letter_drafts.latest(db, case.id, chain)
    if draft is None:
        raise JobInputError(f"case {case.id} has no draft {chain!r} to issue")
    if draft.kind != kind:
        raise JobInputError(f"draft {chain!r} is a {draft.kind!r}, the header jenis says {kind!r}")
    approvals = letter_drafts.approvals(db, draft)
    signed = [review for review in approvals if review.decision == "tandatangan"]
    if not signed:
        raise JobInputError(
            f"draft {chain!r} version {draft.version} of case {case.id} is not approved by its "
            "signer: the diagram issues it before its tandatangan step"
        )
    review = signed[-1]
    account = find_user(db, review.username)
    signer = letter_parts.Signer(
        name=review.full_name,
        position=review.position,
        nip=account.nip if account is not None else None,
    )
    paraf = review_chain.paraf_of(approvals, timezone)
    return Approved(draft, signer, review.username, paraf)


def _seal(
    deps: Deps, db: Session, seal: LetterSignature, doc: CaseDocument, signed: bytes | None = None
) -> None:
    """Record the issued letter's signature for the verification page, from the bytes just
    signed and stored, or else read back from the store (a letter adopted on redelivery is
    recorded just the same)."""
    pdf = signed if signed is not None else documents.read_document(deps.s3, doc)
    report = signature_check.check(pdf, deps.signing().trust_roots())
    if report.status != "sah":
        raise RuntimeError(f"the signed letter {doc.filename} does not verify: {report.reason}")
    letter_signatures.complete(
        db,
        seal,
        document_id=doc.id,
        signed_sha256=doc.sha256,
        certificate_sha256=report.certificate_sha256,
        backend=deps.signing().kind,
        signed_at=report.signed_at,
    )
    db.commit()


def _verify_url(settings: Settings, code: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}/verifikasi/{code}"


def open_draft(
    deps: Deps,
    *,
    case_id: int,
    step_key: str,
    headers: dict[str, str],
    spec: dict[str, Any],
    at: datetime | None = None,
) -> dict[str, Any]:
    """Version 1 of the draft the header ``draf`` names, from ``surat``; once per step."""
    kind = headers.get("jenis", "")
    if kind not in letter_kinds.KINDS:
        raise JobInputError(f"header jenis={kind!r} is not a letter kind")
    chain = headers.get(review_chain.HEADER_CHAIN, "").strip()
    if not chain:
        raise JobInputError(f"a {DRAFT} task needs the header {review_chain.HEADER_CHAIN}")
    content = letter_content.content_of(kind, spec, headers)
    now = at or utcnow()
    with deps.sessions() as db:
        case = load_case(db, case_id)
        content = _with_officer(db, content, headers, case)
        agency = agency_of(db, headers, case)
        # The draft keeps the agency it is on (its preview reads it), also without the header.
        content = {**content, "instansi": agency.code}
        try:
            letter_content.build(
                kind=kind,
                content=content,
                case=case,
                agency=agency,
                number=letter_content.DRAFT_NUMBER,
                on=dates.local_date(now, agency.timezone),
                signer=letter_parts.Signer(name="-", position="-"),
                draft=letter_parts.DraftMark(
                    version=1, content_sha256=letter_drafts.content_sha256(content)
                ),
            )
        except (TypeError, ValueError) as error:
            raise JobInputError(f"the variable surat does not make a {kind!r}: {error}") from None
        draft = letter_drafts.add_version(
            db,
            case_id=case.id,
            name=chain,
            kind=kind,
            content=content,
            source_key=f"draf:{step_key}",
            by_username="sistem",
            by_name="Alur",
            at=now,
        )
        db.commit()
        cases.record_once(
            db,
            case.id,
            "surat",
            f"Draf {letter_kinds.KINDS[kind].title} versi {draft.version} disusun",
            source_key=f"draf:{step_key}",
            actor="sistem",
        )
        return {
            DRAFT_OUTPUT: {
                "nama": chain,
                "versi": draft.version,
                "sidik": draft.content_sha256,
            }
        }


def _letter_of(db: Session, case_id: int, filename: str) -> CaseDocument | None:
    found = select(CaseDocument).where(
        CaseDocument.case_id == case_id, CaseDocument.filename == filename
    )
    return db.scalar(found)


def send_documents(
    deps: Deps,
    *,
    case_id: int,
    step_key: str,
    document_ids: list[int],
    message: str = "",
) -> bool:
    """E-mail the documents to the applicant once, after ``message`` if there is one. False
    when there is no address."""
    settings = deps.settings
    with deps.sessions() as db:
        case = load_case(db, case_id)
        docs = [db.get(CaseDocument, doc_id) for doc_id in document_ids]
        if any(doc is None or doc.case_id != case.id for doc in docs):
            raise JobInputError(f"documents {document_ids} are not all documents of case {case_id}")
        found = [doc for doc in docs if doc is not None]
        if not case.applicant_email:
            cases.record_once(
                db,
                case.id,
                "surel",
                "Surat tidak dikirim lewat e-mail: pemohon tidak mencantumkan alamat e-mail",
                source_key=f"surel:{step_key}",
                actor="sistem",
            )
            return False
        names = ", ".join(doc.filename for doc in found)
        mail.deliver(
            db,
            deps.s3,
            key=f"surel:{step_key}",
            case_id=case.id,
            recipient=case.applicant_email,
            subject=f"{case.subject} [{case.tracking_code}]",
            body=_body(case, names, settings.public_base_url, message),
            documents=found,
            sender=settings.mail_from,
            host=settings.smtp_host,
            port=settings.smtp_port,
            domain=mail.sender_domain(settings.mail_from),
            now=utcnow(),
        )
        cases.record_once(
            db,
            case.id,
            "surel",
            f"Dikirim ke e-mail pemohon: {names}",
            source_key=f"surel:{step_key}",
            actor="sistem",
            public=True,
            detail={audit.FOR_APPLICANT: f"{sent_titles(found)} dikirim ke e-mail Anda"},
        )
        return True


def _body(case: Case, names: str, base_url: str, message: str = "") -> str:
    said = f"{message.strip()}\n\n" if message.strip() else ""
    return (
        f"Yth. {case.applicant_name},\n\n"
        f"{said}"
        f"Bersama surel ini kami sampaikan dokumen atas permohonan Anda dengan kode pelacakan "
        f"{case.tracking_code}: {names}.\n\n"
        f"Status permohonan dapat Anda lacak di {base_url.rstrip('/')}/lacak dengan kode "
        f"pelacakan dan PIN Anda.\n\n"
        "Surel ini dikirim otomatis; mohon tidak membalas ke alamat ini.\n"
    )


def _with_officer(
    db: Session, content: dict[str, Any], headers: dict[str, str], case: Case
) -> dict[str, Any]:
    try:
        return letter_content.with_officer(db, content, headers, case)
    except LookupError as error:
        raise JobInputError(str(error)) from None


def _signer(db: Session, content: dict[str, Any], case: Case) -> letter_parts.Signer:
    """Who completed the user task ``pelaksana`` names, else the active holder of the role
    ``penandatangan`` names, near the case's unit."""
    performer = str(content.get(contract.HEADER_PERFORMER) or "")
    if performer:
        done = letter_content.performer_signer(db, performer, case)
        if done is None:
            raise JobInputError(f"nobody completed the task {performer!r} of case {case.id}")
        return done
    role = str(content.get("penandatangan") or "")
    found = letter_content.role_signer(db, role, case)
    if found is None:
        raise JobInputError(f"no active holder of signer role {role!r} for unit {case.unit_code}")
    return found


def build_router(deps: Deps) -> ZeebeTaskRouter:
    router = deps.router()
    options = deps.limits.task_options()

    @router.task(task_type=ISSUE, single_value=False, **options)
    def issue(job: Job) -> dict[str, Any]:
        """Issue the letter the task's headers describe (number, PDF, S3, timeline)."""
        issued = issue_letter(
            deps,
            case_id=case_id_of(job),
            step_key=str(job.element_instance_key),
            headers=dict(job.custom_headers),
            spec=_spec(job),
            at=now_of(job),
        )
        return issued.as_variables()

    @router.task(task_type=DRAFT, single_value=False, **options)
    def draft(job: Job) -> dict[str, Any]:
        """Open the draft of a letter its review chain works on (version 1, once)."""
        return open_draft(
            deps,
            case_id=case_id_of(job),
            step_key=str(job.element_instance_key),
            headers=dict(job.custom_headers),
            spec=_spec(job),
            at=now_of(job),
        )

    @router.task(task_type=SEND, single_value=False, **options)
    def send(job: Job) -> dict[str, Any]:
        """E-mail the case's documents to the applicant, once."""
        sent = send_documents(
            deps,
            case_id=case_id_of(job),
            step_key=str(job.element_instance_key),
            document_ids=_document_ids(job),
            message=_message(job),
        )
        return {"suratTerkirim": sent}

    return router


def _spec(job: Job) -> dict[str, Any]:
    raw: Any = job.variables.get("surat")
    if raw is not None and not isinstance(raw, dict):
        raise JobInputError(f"variable surat must be an object, not {type(raw).__name__}")
    return dict(raw or {})


def _message(job: Job) -> str:
    raw: Any = job.variables.get("pesanSurel")
    if raw is not None and not isinstance(raw, str):
        raise JobInputError(f"variable pesanSurel must be text, not {type(raw).__name__}")
    return raw or ""


def _document_ids(job: Job) -> list[int]:
    """``kirimDokumen`` (an id or a list), else the letter issued just before."""
    raw: Any = job.variables.get("kirimDokumen")
    if raw is None:
        issued = job.variables.get(OUTPUT)
        raw = issued.get("dokumenId") if isinstance(issued, dict) else None
    items = raw if isinstance(raw, list) else [raw]
    ids = [item for item in items if isinstance(item, int) and not isinstance(item, bool)]
    if not ids or len(ids) != len(items):
        raise JobInputError(f"no document ids to send: kirimDokumen={raw!r}")
    return ids


def letter_filename(kind: str, number: str) -> str:
    """The issued letter's file name reads as a title: ``Surat Jawaban Konsultasi
    B-1-KL.01-XII-2026.pdf`` (a register number's slashes cannot be in a file name)."""
    return f"{letter_kinds.KINDS[kind].title} {re.sub(r'[^A-Za-z0-9.-]+', '-', number)}.pdf"


def sent_titles(docs: list[CaseDocument]) -> str:
    """What was e-mailed, as the applicant names it: "Tanda terima permohonan", "Surat Jawaban
    Konsultasi dan Tanda terima permohonan"."""
    titles = list(dict.fromkeys(letter_kinds.document_title(doc.kind) for doc in docs))
    if len(titles) <= 1:
        return "".join(titles) or "Dokumen"
    return ", ".join(titles[:-1]) + " dan " + titles[-1]
