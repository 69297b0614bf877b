"""Returning a file to its applicant to complete: the answer stored, then told to the engine.

A step ``alur.berkas.minta`` (``workers.documents_request``) records what is missing
(``storage.document_requests``) and the process waits at a message catch event for
``alur.berkas.dilengkapi`` with the correlation key ``trackingCode + "/" +
string(permintaanBerkas)`` (the case's code and the request's id). The
documents arrive through the tracking page (the applicant) or the front office (a walk-in),
with the applicant's written reply when the step asked for one (header ``tanggapan``: then
the reply is required and the files optional):

1. the reply is checked (``storage.document_requests.checked_reply``), then each file is
   checked and put in S3 as the intake's files are (``storage.documents``);
2. their rows and the answer (with the reply) are committed in one transaction, at most once
   per request and only while the case is open (a second submit finds it answered, and its
   files are removed again);
3. only then is the message published (message id ``berkas-<code>/<id>``, so a second publication
   is refused by Zeebe and changes nothing), and ``published_at`` set once Zeebe took it.

If Zeebe is away at step 3 nothing is lost: the answer waits with ``published_at`` unset and
the worker process publishes it (``keep_publishing``). A message is buffered for
``MESSAGE_TTL_MS``, long enough for the asking job to complete and the process to wait; a job
delivered again after the answer came has it published once more
(``storage.document_requests.publish_again``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

import grpc
from minio import Minio
from pyzeebe.proto.gateway_pb2 import PublishMessageRequest
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from alur.contract import DOCUMENTS_ANSWERED
from alur.gateway import SyncGateway
from storage import cases, document_requests, documents
from storage.models import Case, CaseDocument, DocumentRequest

log = logging.getLogger("alur.completion")

#: The message variables: the ids of the documents added, and who added them.
DOCUMENTS_VARIABLE = "berkasTambahan"
BY_VARIABLE = "berkasDilengkapiOleh"
#: The applicant's written reply (a request with header ``tanggapan``); null otherwise.
REPLY_VARIABLE = "tanggapanPemohon"
APPLICANT = document_requests.APPLICANT
#: How long Zeebe keeps an answer no process waits for yet (the asking job not completed).
MESSAGE_TTL_MS = 10 * 60 * 1000
#: Files taken in one answer.
MAX_FILES = 10
#: The timeline kind of an answer.
EVENT_KIND = "berkas"

NO_FILE = "Pilih sedikitnya satu berkas untuk diunggah."
TOO_MANY_FILES = f"Paling banyak {MAX_FILES} berkas sekaligus."
ALREADY_ANSWERED = "Berkas tambahan untuk permintaan ini sudah diterima sebelumnya."
ALREADY_REPLIED = "Tanggapan untuk permintaan ini sudah diterima sebelumnya."
CLOSED = "Permohonan ini sudah selesai diproses; berkas tambahan tidak diperlukan lagi."
CLOSED_REPLY = (
    "Permohonan ini sudah selesai diproses; batas waktu tanggapan sudah lewat dan tanggapan "
    "tidak dapat dikirim lagi."
)
RECEIVED = "Berkas tambahan diterima"
#: A written reply: at most this many characters; refused empty or longer, in Bahasa.
MAX_REPLY = document_requests.MAX_REPLY
NO_REPLY = document_requests.NO_REPLY
REPLY_TOO_LONG = document_requests.REPLY_TOO_LONG
REPLY_RECEIVED = "Tanggapan Anda diterima"
#: The timeline entry's detail keys of a reply: its full text (the title holds at most 500
#: characters) and the title's words before it.
REPLY_DETAIL = "tanggapan"
LEAD_DETAIL = "pengantar"


@dataclass(frozen=True)
class Answer:
    """The message that tells the waiting process the documents have come."""

    request_id: int
    documents: tuple[int, ...]
    by: str
    #: The case's tracking code: with it, the key names one request of one case even where
    #: several databases share a broker (the test suite's modules), not only in one installation.
    case_code: str
    #: The applicant's written reply, when the request asked for one.
    reply: str | None = None

    @property
    def correlation_key(self) -> str:
        return f"{self.case_code}/{self.request_id}"

    @property
    def message_id(self) -> str:
        return f"berkas-{self.correlation_key}"

    def variables(self) -> dict[str, Any]:
        return {
            DOCUMENTS_VARIABLE: list(self.documents),
            BY_VARIABLE: self.by,
            REPLY_VARIABLE: self.reply,
        }


def answer_of(row: DocumentRequest, case_code: str) -> Answer:
    by = row.answered_by or APPLICANT
    return Answer(row.id, tuple(row.documents or ()), by, case_code, row.reply)


#: Publishes one answer; raises when the engine did not take it.
Publish = Callable[[Answer], None]


class Publisher(SyncGateway):
    """Publishes answers from synchronous code (the web app, the worker process's sweep)."""

    def publish(self, answer: Answer) -> None:
        """Raises ``grpc.RpcError`` when Zeebe is away or refuses; an answer Zeebe holds
        already (the same message id, still buffered) counts as taken."""
        try:
            self.stub.PublishMessage(
                PublishMessageRequest(
                    name=DOCUMENTS_ANSWERED,
                    correlationKey=answer.correlation_key,
                    timeToLive=MESSAGE_TTL_MS,
                    messageId=answer.message_id,
                    variables=json.dumps(answer.variables()),
                ),
                timeout=10,
            )
        except grpc.RpcError as error:
            code = error.code() if hasattr(error, "code") else None
            if code != grpc.StatusCode.ALREADY_EXISTS:
                raise


@dataclass(frozen=True)
class Upload:
    """A file as it was posted: the name its sender gave and its bytes."""

    filename: str
    stream: BinaryIO


@dataclass(frozen=True)
class Answered:
    request_id: int
    document_ids: tuple[int, ...]
    #: Whether the engine took it now (otherwise the worker process publishes it later).
    published: bool


@dataclass(frozen=True)
class Refused:
    """Nothing stored, nothing published; ``message`` is what the person reads."""

    message: str
    #: The request was answered already (or its case closed): no form to show any more.
    answered: bool = False


@dataclass(frozen=True)
class Storage:
    """Where the files go and what they may be (the intake's bucket and limits)."""

    client: Minio
    bucket: str
    limits: documents.UploadLimits


def answer(
    sessions: sessionmaker[Session],
    storage: Storage,
    *,
    request_id: int,
    files: Sequence[Upload],
    by: str,
    by_name: str | None,
    publish: Publish,
    reply: str | None = None,
) -> Answered | Refused:
    """Store ``files`` (and ``reply``, the written reply a request with ``asks_reply``
    requires; ignored otherwise) as the answer of request ``request_id`` by ``by``
    (``pemohon``, or the username of the member of staff named ``by_name``), then publish
    it. Nothing is stored or published once the case is closed (``CLOSED``)."""
    with sessions() as db:
        row = db.get(DocumentRequest, request_id)
        case = db.get(Case, row.case_id) if row is not None else None
        if row is None or case is None:
            return Refused(ALREADY_ANSWERED, answered=True)
        asks_reply = row.asks_reply
        if row.answered_at is not None:
            return Refused(ALREADY_REPLIED if asks_reply else ALREADY_ANSWERED, answered=True)
        if document_requests.closed(case):
            return Refused(CLOSED_REPLY if asks_reply else CLOSED, answered=True)
        case_id, case_code = case.id, case.tracking_code
    text = None
    if asks_reply:
        try:
            text = document_requests.checked_reply(reply)
        except document_requests.ReplyRefused as refused:
            return Refused(refused.message)
    chosen = [upload for upload in files if upload.filename]
    if not chosen and not asks_reply:
        return Refused(NO_FILE)
    if len(chosen) > MAX_FILES:
        return Refused(TOO_MANY_FILES)
    stored = _put(storage, chosen, by)
    if isinstance(stored, Refused):
        return stored
    try:
        ids = _record(sessions, request_id, case_id, stored, by, by_name, text)
    except BaseException:
        documents.remove_objects(storage.client, stored)
        raise
    if ids is None:  # answered meanwhile (a second submit, the front office), or case closed
        documents.remove_objects(storage.client, stored)
        return _refused_now(sessions, request_id, asks_reply)
    answered = Answer(request_id, ids, by, case_code, text)
    return Answered(request_id, ids, publish_one(sessions, publish, answered))


def _refused_now(sessions: sessionmaker[Session], request_id: int, asks_reply: bool) -> Refused:
    """Why an answer that passed the first checks was not recorded after all."""
    with sessions() as db:
        row = db.get(DocumentRequest, request_id)
        case = db.get(Case, row.case_id) if row is not None else None
        unanswered = row is not None and row.answered_at is None
        if unanswered and case is not None and document_requests.closed(case):
            return Refused(CLOSED_REPLY if asks_reply else CLOSED, answered=True)
    return Refused(ALREADY_REPLIED if asks_reply else ALREADY_ANSWERED, answered=True)


def _put(storage: Storage, files: Sequence[Upload], by: str) -> list[CaseDocument] | Refused:
    """Each file checked and put in S3 (not under the case yet: an answer that dies before
    its rows leaves objects the orphan sweep removes); all removed again if one is refused."""
    stored: list[CaseDocument] = []
    try:
        for upload in files:
            try:
                doc = documents.put_upload(
                    storage.client,
                    storage.bucket,
                    stream=upload.stream,
                    filename=upload.filename,
                    limits=storage.limits,
                    uploaded_by=by,
                    field_key=DOCUMENTS_VARIABLE,
                )
            except documents.UploadRejected as rejected:
                documents.remove_objects(storage.client, stored)
                name = documents.safe_filename(upload.filename)
                return Refused(f"{name}: {rejected.message}")
            stored.append(doc)
    except BaseException:
        documents.remove_objects(storage.client, stored)
        raise
    return stored


def _record(
    sessions: sessionmaker[Session],
    request_id: int,
    case_id: int,
    stored: list[CaseDocument],
    by: str,
    by_name: str | None,
    reply: str | None = None,
) -> tuple[int, ...] | None:
    """The documents' rows, the answer and its timeline entry in one transaction; None
    (nothing written) when the request was answered already or its case closed."""
    with sessions() as db:
        for doc in stored:
            doc.case_id = case_id
        db.add_all(stored)
        db.flush()
        ids = tuple(doc.id for doc in stored)
        done = document_requests.answer(db, request_id, by=by, document_ids=ids, reply=reply)
        if not done:
            db.rollback()
            return None
        names = ", ".join(doc.filename for doc in stored)
        detail: dict[str, Any] = {"permintaanBerkas": request_id, "dokumen": list(ids)}
        if reply is not None:
            lead, words = _reply_words(by, by_name, names)
            title = _shortened(f"{lead}: {reply}")
            detail |= {REPLY_DETAIL: reply, LEAD_DETAIL: lead}
        elif by == APPLICANT:
            title, words = f"Berkas tambahan diterima dari pemohon: {names}", RECEIVED
        else:
            title = f"Berkas tambahan diserahkan di loket, diunggah oleh {by_name or by}: {names}"
            words = "Berkas tambahan yang Anda serahkan di loket diterima"
        event = cases.record(
            db,
            case_id,
            EVENT_KIND,
            title[:500],
            actor=by,
            public=True,
            detail=detail | {"untukPemohon": words},
        )
        event.source_key = f"berkas-dilengkapi:{request_id}"
        db.commit()
        return ids


def _reply_words(by: str, by_name: str | None, names: str) -> tuple[str, str]:
    """What staff read before a reply's text, and what the applicant reads."""
    files = f" (berkas: {names})" if names else ""
    if by == APPLICANT:
        return f"Tanggapan pemohon diterima{files}", REPLY_RECEIVED
    return (
        f"Tanggapan pemohon disampaikan di loket, dicatat oleh {by_name or by}{files}",
        "Tanggapan yang Anda sampaikan di loket diterima",
    )


def _shortened(title: str, limit: int = 500) -> str:
    """A title that fits its column, cut at a word with an ellipsis when too long."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    return title[: limit - 1].rsplit(" ", 1)[0] + "…"


def publish_one(sessions: sessionmaker[Session], publish: Publish, answer: Answer) -> bool:
    """Publish a stored answer and record that Zeebe took it; False (kept for the worker
    process's sweep) when it did not."""
    try:
        publish(answer)
    except Exception as error:  # noqa: BLE001 - the answer is stored; the sweep publishes it
        log.warning("answer of document request %s waits for Zeebe: %s", answer.request_id, error)
        return False
    try:
        with sessions() as db:
            document_requests.mark_published(db, answer.request_id)
    except SQLAlchemyError as error:  # published again by the sweep: Zeebe refuses the copy
        log.warning("publication of document request %s not recorded: %s", answer.request_id, error)
    return True


def publish_waiting(sessions: sessionmaker[Session], publish: Publish, limit: int = 100) -> int:
    """Publish the answers Zeebe has not taken yet, oldest first; how many it took. Raises
    at the first it refuses (Zeebe away): the next round tries again."""
    with sessions() as db:
        waiting = [answer_of(row, code) for row, code in document_requests.unpublished(db, limit)]
    for answer in waiting:
        publish(answer)
        with sessions() as db:
            document_requests.mark_published(db, answer.request_id)
    return len(waiting)


async def keep_publishing(
    sessions: sessionmaker[Session], publish: Publish, every: float, stopped: asyncio.Event
) -> None:
    """Run ``publish_waiting`` every ``every`` seconds until ``stopped`` is set."""
    while not stopped.is_set():
        try:
            count = await asyncio.to_thread(publish_waiting, sessions, publish)
            if count:
                log.info("published %d answered document request(s)", count)
        except Exception as exc:  # noqa: BLE001 - logged; the next round retries
            log.warning("publishing answered document requests failed: %s", exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped.wait(), every)
