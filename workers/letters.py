"""Official letters: number, render, store and e-mail them — once, however often a job comes.

Two job types any SOP diagram uses, configured by task headers:

``alur.surat.terbitkan`` (issue a letter)
    headers ``jenis`` (a kind of ``alur.letter_kinds.KINDS``), ``instansi`` (``alur.agencies``),
    ``register`` (``alur.numbering``), ``penandatangan`` (the signer's role: the active staff
    member holding it in the case's unit or the nearest unit above), ``publik``, ``tembusan``
    (cc, separated by ``;``); variables ``sekarang`` (``=now()``: dates the letter) and
    ``surat``: ``{"perihal", "isian": {...fields}, "kepada": {...} (default: the applicant),
    "lampiran", "sifat"}``. Returns ``suratTerbit``:
    ``{"jenis", "nomor", "dokumenId", "tanggal"}``.
``alur.surat.kirim`` (e-mail documents to the applicant)
    variable ``kirimDokumen``: document ids (default: ``suratTerbit.dokumenId``). Returns
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

from alur import dates, faults, letter_kinds, letter_parts, letters, mail
from alur.contract import LETTER_ISSUE, LETTER_OUTPUT, LETTER_SEND
from storage import cases, documents
from storage import numbering as registers
from storage.accounts import active_holders, unit_chain
from storage.models import Case, CaseDocument, utcnow
from workers import audit
from workers.deps import Deps
from workers.variables import (
    JobInputError,
    agency_and_register,
    case_id_of,
    load_case,
    now_of,
)

ISSUE = LETTER_ISSUE
SEND = LETTER_SEND
OUTPUT = LETTER_OUTPUT


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

    ``at`` dates the letter (the broker's now, from ``sekarang``; default this machine's).
    """
    kind = headers.get("jenis", "")
    if kind not in letter_kinds.KINDS:
        raise JobInputError(f"header jenis={kind!r} is not a letter kind")
    with deps.sessions() as db:
        # Read at each job: an agency or register edited in /admin numbers the next letter.
        agency, register = agency_and_register(db, headers)
        case = load_case(db, case_id)
        subject = str(spec.get("perihal") or letter_kinds.KINDS[kind].title)
        addressee = _addressee(spec.get("kepada"), case)
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
        existing = _letter_of(db, case.id, filename)
        if existing is not None:  # a redelivered job: the letter exists already
            return Issued(kind, entry.number, existing.id, on.isoformat())
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
        pending = documents.stored_under(deps.s3, settings.s3_bucket_letters, key, **described)
        if pending is None:
            letter = letters.Letter(
                kind=kind,
                number=entry.number,
                date=on,
                place=agency.place,
                letterhead=agency.letterhead,
                addressee=addressee,
                subject=subject,
                signer=_signer(db, headers.get("penandatangan", ""), case),
                sifat=str(spec.get("sifat") or "Biasa"),
                lampiran=str(spec.get("lampiran") or "-"),
                cc=tuple(c.strip() for c in headers.get("tembusan", "").split(";") if c.strip()),
                fields=letters.fields_from_json(dict(spec.get("isian") or {})),
            )
            pending = documents.put_generated(
                deps.s3,
                settings.s3_bucket_letters,
                data=letters.render_letter(letter),
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
            return Issued(kind, entry.number, theirs.id, on.isoformat())
        cases.record_once(
            db,
            case.id,
            "surat",
            f"{letter_kinds.KINDS[kind].title} nomor {entry.number} diterbitkan",
            source_key=f"surat:{step_key}",
            actor="sistem",
            public=public,
            detail={"documentId": doc.id, "number": entry.number},
        )
        return Issued(kind, entry.number, doc.id, on.isoformat())


def _letter_of(db: Session, case_id: int, filename: str) -> CaseDocument | None:
    found = select(CaseDocument).where(
        CaseDocument.case_id == case_id, CaseDocument.filename == filename
    )
    return db.scalar(found)


def send_documents(deps: Deps, *, case_id: int, step_key: str, document_ids: list[int]) -> bool:
    """E-mail the documents to the applicant once. False when there is no address."""
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
            body=_body(case, names, settings.public_base_url),
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


def _body(case: Case, names: str, base_url: str) -> str:
    return (
        f"Yth. {case.applicant_name},\n\n"
        f"Bersama surel ini kami sampaikan dokumen atas permohonan Anda dengan kode pelacakan "
        f"{case.tracking_code}: {names}.\n\n"
        f"Status permohonan dapat Anda lacak di {base_url.rstrip('/')}/lacak dengan kode "
        f"pelacakan dan PIN Anda.\n\n"
        "Surel ini dikirim otomatis; mohon tidak membalas ke alamat ini.\n"
    )


def _addressee(raw: Any, case: Case) -> letter_parts.Addressee:
    if isinstance(raw, dict) and raw.get("name"):
        address = raw.get("address") or ()
        return letter_parts.Addressee(
            name=str(raw["name"]),
            position=str(raw.get("position") or ""),
            institution=str(raw.get("institution") or ""),
            address=tuple(str(line) for line in address) if isinstance(address, list) else (),
        )
    return letter_parts.Addressee(name=case.applicant_name)


def _signer(db: Session, role: str, case: Case) -> letter_parts.Signer:
    """The active holder of ``role`` in the case's unit, else in the nearest unit above it."""
    holders = active_holders(db, role)
    chain = unit_chain(db, case.unit_code) if case.unit_code else []
    for unit in chain:
        for user in holders:
            if user.unit_code == unit:
                return letter_parts.Signer(
                    name=user.full_name, position=user.position, nip=user.nip
                )
    if holders and not chain:  # a national case: any holder of the role signs
        user = holders[0]
        return letter_parts.Signer(name=user.full_name, position=user.position, nip=user.nip)
    raise JobInputError(f"no active holder of signer role {role!r} for unit {case.unit_code}")


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

    @router.task(task_type=SEND, single_value=False, **options)
    def send(job: Job) -> dict[str, Any]:
        """E-mail the case's documents to the applicant, once."""
        sent = send_documents(
            deps,
            case_id=case_id_of(job),
            step_key=str(job.element_instance_key),
            document_ids=_document_ids(job),
        )
        return {"suratTerkirim": sent}

    return router


def _spec(job: Job) -> dict[str, Any]:
    raw: Any = job.variables.get("surat")
    if raw is not None and not isinstance(raw, dict):
        raise JobInputError(f"variable surat must be an object, not {type(raw).__name__}")
    return dict(raw or {})


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
