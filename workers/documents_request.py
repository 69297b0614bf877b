"""Returning an incomplete file to its applicant to complete (``alur.completion``).

``alur.berkas.minta``
    variables ``caseId`` and ``kekuranganBerkas``: what is missing, a text with one item a
    line (a staff form's text area) or a list of texts; blank lines are ignored. Once per step
    (the job's element instance), however often Zeebe delivers it: the request is stored, the
    case waits (``menunggu_kelengkapan``), the applicant's timeline says what is missing and
    the applicant is e-mailed (if they gave an address) that the documents can be added on
    the tracking page. Returns ``permintaanBerkas``: the request's id. The process then waits
    for the message ``alur.berkas.dilengkapi`` with correlation key
    ``=trackingCode + "/" + string(permintaanBerkas)``;
    it brings ``berkasTambahan`` (document ids) and ``berkasDilengkapiOleh``.
    Header ``judul`` (optional): what the step asks for when it is not an incomplete file, as
    the applicant reads it in the timeline, the e-mail and on the tracking page (SOP 2's
    "Hasil rapat perlu ditindaklanjuti"); without it, "Berkas belum lengkap".
    Header ``tanggapan`` (optional, ``wajib``): the applicant is asked for a written reply
    (SOP 5: whether the agency's follow-up settled the report). ``kekuranganBerkas`` may then
    be absent or empty (files it names are optional); the case waits as
    ``menunggu_tanggapan``, the e-mail asks for the reply, and the message brings it in
    ``tanggapanPemohon`` (null for a request without the header).

No ``from __future__ import annotations``: pyzeebe matches ``job: Job`` by its annotation.
"""

import logging
import re
from collections.abc import Mapping
from typing import Any

from pyzeebe import Job, ZeebeTaskRouter

from alur import mail, milestones
from alur.contract import DOCUMENTS_REQUEST, DOCUMENTS_REQUEST_OUTPUT
from storage import cases, document_requests
from storage.models import Case, utcnow
from workers.deps import Deps
from workers.variables import JobInputError, case_id_of, load_case

log = logging.getLogger("alur.workers")

REQUEST = DOCUMENTS_REQUEST
OUTPUT = DOCUMENTS_REQUEST_OUTPUT
#: The variable naming what is missing.
MISSING = "kekuranganBerkas"
#: The header naming what the request is (default :data:`INCOMPLETE`).
HEADING = "judul"
INCOMPLETE = "Berkas belum lengkap"
#: The header asking the applicant for a written reply, and its one value.
REPLY = "tanggapan"
REPLY_REQUIRED = "wajib"
#: What a request for a reply is, without ``judul``.
REPLY_ASKED = "Tanggapan Anda diminta"
#: A bullet someone typed before an item ("- KTP", "• KTP").
_BULLET = re.compile(r"^[-•*]\s+")
MAX_ITEMS = 50
MAX_ITEM_LENGTH = 500


def missing_items(raw: object, *, optional: bool = False) -> list[str]:
    """The items of ``kekuranganBerkas``: one a line of a text, or a list of texts; blank
    ones and repeats left out. ``optional`` (a request for a reply): absent or empty is no
    item at all."""
    if optional and raw is None:
        return []
    if isinstance(raw, str):
        lines = raw.splitlines()
    elif isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        lines = [line for item in raw for line in item.splitlines()]
    else:
        raise JobInputError(
            f"variable {MISSING} must be a text or a list of texts, not {type(raw).__name__}"
        )
    items = [_BULLET.sub("", " ".join(line.split())) for line in lines]
    found = list(dict.fromkeys(item for item in items if item))
    if not found and not optional:
        raise JobInputError(f"variable {MISSING} names nothing missing")
    if len(found) > MAX_ITEMS:
        raise JobInputError(f"variable {MISSING} names {len(found)} items; at most {MAX_ITEMS}")
    return [item[:MAX_ITEM_LENGTH] for item in found]


def asks_reply(headers: Mapping[str, Any]) -> bool:
    """Whether the step asks for a written reply (header ``tanggapan="wajib"``)."""
    value = str(headers.get(REPLY) or "").strip()
    if value and value != REPLY_REQUIRED:
        raise JobInputError(f"header {REPLY}={value!r}; only {REPLY_REQUIRED!r} (or no header)")
    return bool(value)


def request_documents(
    deps: Deps,
    *,
    case_id: int,
    step_key: str,
    items: list[str],
    heading: str | None = None,
    reply: bool = False,
) -> int:
    """Ask the applicant for ``items`` (and, with ``reply``, a written reply) once for this
    step; the request's id."""
    settings = deps.settings
    with deps.sessions() as db:
        case = load_case(db, case_id)
        row = document_requests.request(
            db, case_id=case.id, step_key=step_key, items=items, heading=heading, asks_reply=reply
        )
        # As first asked: a redelivered job with other variables does not change the request.
        asked = list(row.items)
        detail: dict[str, Any] = {OUTPUT: row.id}
        if row.asks_reply:
            detail["untukPemohon"] = _asking(row.heading, asked, True, "Anda")
        cases.record_once(
            db,
            case.id,
            milestones.STAGE,
            _asking(row.heading, asked, row.asks_reply, "pemohon")[:500],
            source_key=f"berkas-minta:{step_key}",
            actor="sistem",
            public=True,
            detail=detail,
        )
        what = "tanggapan" if row.asks_reply else "kelengkapan berkas"
        if case.applicant_email:
            mail.deliver(
                db,
                deps.s3,
                key=f"surel:{step_key}",
                case_id=case.id,
                recipient=case.applicant_email,
                subject=f"{case.subject} [{case.tracking_code}]",
                body=_body(case, asked, settings.public_base_url, row.heading, row.asks_reply),
                documents=[],
                sender=settings.mail_from,
                host=settings.smtp_host,
                port=settings.smtp_port,
                domain=mail.sender_domain(settings.mail_from),
                now=utcnow(),
            )
            title = f"Permintaan {what} dikirim ke e-mail pemohon"
            words = (
                "Permintaan tanggapan dikirim ke e-mail Anda"
                if row.asks_reply
                else "Pemberitahuan kekurangan berkas dikirim ke e-mail Anda"
            )
            cases.record_once(
                db,
                case.id,
                "surel",
                title,
                source_key=f"surel:{step_key}",
                actor="sistem",
                public=True,
                detail={"untukPemohon": words},
            )
        else:
            cases.record_once(
                db,
                case.id,
                "surel",
                f"Permintaan {what} tidak dikirim lewat e-mail: pemohon tidak "
                "mencantumkan alamat e-mail",
                source_key=f"surel:{step_key}",
                actor="sistem",
            )
        # Answered before this job completed (a delivery that failed half-way, then the
        # applicant answered): the message may have come before the process waited for it
        # and expire unheard, so it is published once more after this job (by the sweep).
        if document_requests.publish_again(db, row.id):
            log.info("document request %s was answered before its step completed", row.id)
        return row.id


def _asking(heading: str | None, items: list[str], reply: bool, whose: str) -> str:
    """The timeline's line of the request (public: a request for files reads the same to
    the applicant; a request for a reply says ``whose`` reply)."""
    if not reply:
        return f"{heading or INCOMPLETE}: {'; '.join(items)}"
    files = f"; berkas pendukung bila ada: {'; '.join(items)}" if items else ""
    return f"{heading or REPLY_ASKED}: tanggapan tertulis {whose} diminta{files}"


def _body(
    case: Case, items: list[str], base_url: str, heading: str | None = None, reply: bool = False
) -> str:
    if reply:
        return _reply_body(case, items, base_url, heading)
    listed = "\n".join(f"- {item}" for item in items)
    opening = (
        f"{heading} untuk permohonan Anda dengan kode pelacakan {case.tracking_code}. "
        "Mohon kirimkan:"
        if heading
        else f"Berkas permohonan Anda dengan kode pelacakan {case.tracking_code} belum lengkap. "
        "Mohon lengkapi:"
    )
    return (
        f"Yth. {case.applicant_name},\n\n"
        f"{opening}\n\n{listed}\n\n"
        f"Unggah berkas tersebut di halaman pelacakan {base_url.rstrip('/')}/lacak dengan kode "
        "pelacakan dan PIN Anda, atau serahkan langsung ke loket pelayanan. Permohonan Anda "
        "diproses kembali setelah berkasnya kami terima.\n\n"
        "Surel ini dikirim otomatis; mohon tidak membalas ke alamat ini.\n"
    )


def _reply_body(case: Case, items: list[str], base_url: str, heading: str | None) -> str:
    """The e-mail of a request for a written reply: what happened, what is asked, where."""
    opening = f"{heading.rstrip('.')}.\n\n" if heading else ""
    listed = "\n".join(f"- {item}" for item in items)
    files = f"Bila ada, lampirkan juga berkas berikut:\n\n{listed}\n\n" if items else ""
    return (
        f"Yth. {case.applicant_name},\n\n"
        f"{opening}"
        "Kami meminta tanggapan tertulis Anda atas permohonan Anda dengan kode pelacakan "
        f"{case.tracking_code}.\n\n"
        f"{files}"
        f"Tuliskan tanggapan Anda di halaman pelacakan {base_url.rstrip('/')}/lacak dengan kode "
        "pelacakan dan PIN Anda, atau sampaikan langsung ke loket pelayanan. Tanggapan hanya "
        "dapat disampaikan sebelum permohonan Anda ditutup.\n\n"
        "Surel ini dikirim otomatis; mohon tidak membalas ke alamat ini.\n"
    )


def build_router(deps: Deps) -> ZeebeTaskRouter:
    router = deps.router()
    options = deps.limits.task_options()

    @router.task(task_type=REQUEST, single_value=False, **options)
    def request(job: Job) -> dict[str, Any]:
        """Return the file to the applicant to complete; the request's id."""
        reply = asks_reply(job.custom_headers)
        request_id = request_documents(
            deps,
            case_id=case_id_of(job),
            step_key=str(job.element_instance_key),
            items=missing_items(job.variables.get(MISSING), optional=reply),
            heading=job.custom_headers.get(HEADING, "").strip() or None,
            reply=reply,
        )
        return {OUTPUT: request_id}

    return router
