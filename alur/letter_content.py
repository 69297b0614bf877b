"""A letter's content as a draft keeps it, and the :class:`~alur.letters.Letter` built from it.

A diagram describes a letter in the variable ``surat`` (``{"perihal", "isian", "kepada",
"lampiran", "sifat"}``, see ``workers.letters``) and in task headers (``jenis``,
``penandatangan``, ``tembusan``). :func:`content_of` turns both into the *content* of a
draft: a JSON mapping kept with every version (``storage.letter_drafts``) whose SHA-256 is the
letter's content hash. The same content builds the preview of a draft and the issued letter
(:func:`build`), so what the signer approved is what is issued: only the number, the date,
the initials and the signature are added.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from alur import agencies, contract, letter_kinds, letter_parts, letters
from storage.accounts import active_holders, unit_chain
from storage.inbox import completer_of
from storage.models import Case

#: What a draft's content holds: the letter's parts a drafter may change, the agency whose
#: letterhead it is on, and the signer's role the preview shows until the signer approved.
CONTENT_KEYS = (
    "perihal",
    "kepada",
    "isian",
    "sifat",
    "lampiran",
    "tembusan",
    "instansi",
    "penandatangan",
)
#: The Nomor row of a draft: the number is allocated only when the letter is issued.
DRAFT_NUMBER = "(nomor diberikan saat surat terbit)"


def content_of(kind: str, spec: Mapping[str, Any], headers: Mapping[str, str]) -> dict[str, Any]:
    """The content of a letter of ``kind`` from the ``surat`` variable and the task headers."""
    raw_to = spec.get("kepada")
    performer = headers.get(contract.HEADER_PERFORMER, "")
    return {
        "perihal": str(spec.get("perihal") or letter_kinds.KINDS[kind].title),
        "kepada": dict(raw_to) if isinstance(raw_to, Mapping) and raw_to.get("name") else None,
        "isian": dict(spec.get("isian") or {}),
        "sifat": str(spec.get("sifat") or "Biasa"),
        "lampiran": str(spec.get("lampiran") or "-"),
        "tembusan": cc_of(headers),
        "instansi": headers.get("instansi", ""),
        "penandatangan": headers.get("penandatangan", ""),
        **({contract.HEADER_PERFORMER: performer} if performer else {}),
    }


def cc_of(headers: Mapping[str, str]) -> list[str]:
    """The header ``tembusan``: cc entries separated by ``;``."""
    return [entry.strip() for entry in headers.get("tembusan", "").split(";") if entry.strip()]


def edited(kind: str, content: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """``content`` with what a drafting form changed: a field keyed ``perihal`` replaces the
    subject, a field keyed by one of the kind's letter fields replaces that field; the form's
    other fields are not part of the letter."""
    spec = letter_kinds.KINDS[kind]
    own = set(spec.required) | set(spec.optional)
    changed = dict(content)
    fields = dict(content.get("isian") or {})
    for key, value in data.items():
        if key == "perihal" and isinstance(value, str) and value.strip():
            changed["perihal"] = value.strip()
        elif key in own and value not in (None, ""):
            fields[key] = value
    changed["isian"] = fields
    return changed


def form_values(content: Mapping[str, Any]) -> dict[str, Any]:
    """What a drafting form starts with: the subject and the letter fields of the draft; a
    list (notes, attendees) as one line per entry, as its textarea edits it."""
    fields = {
        key: "\n".join(str(v) for v in value) if isinstance(value, list | tuple) else value
        for key, value in dict(content.get("isian") or {}).items()
    }
    return {"perihal": content.get("perihal", ""), **fields}


def addressee(raw: Any, case: Case) -> letter_parts.Addressee:
    """The *Yth.* block ``kepada`` names, else the applicant."""
    if isinstance(raw, Mapping) and raw.get("name"):
        address = raw.get("address") or ()
        return letter_parts.Addressee(
            name=str(raw["name"]),
            position=str(raw.get("position") or ""),
            institution=str(raw.get("institution") or ""),
            address=tuple(str(line) for line in address) if isinstance(address, list) else (),
        )
    return letter_parts.Addressee(name=case.applicant_name)


def performer_signer(db: Session, element_id: str, case: Case) -> letter_parts.Signer | None:
    """Whoever completed the case's user task ``element_id`` (the officer who held the
    meeting a record reports). None when nobody did."""
    user = completer_of(db, case.id, element_id)
    if user is None:
        return None
    return letter_parts.Signer(name=user.full_name, position=user.position, nip=user.nip)


def with_officer(
    db: Session, content: dict[str, Any], headers: Mapping[str, str], case: Case
) -> dict[str, Any]:
    """``content`` whose field ``officer`` is whoever completed the user task the header
    ``petugas`` names (as a mapping a draft can store); unchanged without the header.

    Raises:
        LookupError: nobody completed that task.
    """
    element = headers.get(contract.HEADER_OFFICER, "").strip()
    if not element:
        return content
    officer = performer_signer(db, element, case)
    if officer is None:
        raise LookupError(f"nobody completed the task {element!r} of case {case.id}")
    fields = dict(content.get("isian") or {})
    fields["officer"] = {"name": officer.name, "position": officer.position, "nip": officer.nip}
    return {**content, "isian": fields}


def role_signer(db: Session, role: str, case: Case) -> letter_parts.Signer | None:
    """The active holder of ``role`` in the case's unit, else in the nearest unit above it;
    for a national case (no unit) any holder. None when nobody holds it."""
    holders = active_holders(db, role)
    chain = unit_chain(db, case.unit_code) if case.unit_code else []
    for unit in chain:
        for user in holders:
            if user.unit_code == unit:
                return letter_parts.Signer(
                    name=user.full_name, position=user.position, nip=user.nip
                )
    if holders and not chain:
        user = holders[0]
        return letter_parts.Signer(name=user.full_name, position=user.position, nip=user.nip)
    return None


def build(
    *,
    kind: str,
    content: Mapping[str, Any],
    case: Case,
    agency: agencies.Agency,
    number: str,
    on: date,
    signer: letter_parts.Signer,
    paraf: Sequence[letter_parts.Paraf] = (),
    draft: letter_parts.DraftMark | None = None,
    verification: letter_parts.Verification | None = None,
    content_sha256: str | None = None,
) -> letters.Letter:
    """The letter ``content`` describes, on the agency's letterhead.

    Raises ``ValueError``/``TypeError`` (from :class:`~alur.letters.Letter`) when the content
    does not make a valid letter of ``kind``.
    """
    return letters.Letter(
        kind=kind,
        number=number,
        date=on,
        place=agency.place,
        letterhead=agency.letterhead,
        addressee=addressee(content.get("kepada"), case),
        subject=str(content.get("perihal") or letter_kinds.KINDS[kind].title),
        signer=signer,
        sifat=str(content.get("sifat") or "Biasa"),
        lampiran=str(content.get("lampiran") or "-"),
        cc=tuple(str(entry) for entry in content.get("tembusan") or ()),
        fields=letters.fields_from_json(dict(content.get("isian") or {})),
        paraf=tuple(paraf),
        draft=draft,
        verification=verification,
        content_sha256=content_sha256,
    )
