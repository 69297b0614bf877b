"""Case documents in S3: uploads checked on the way in, SHA-256 checked on the way out.

Uploads (requirements attached by applicants, files added by staff) are read in chunks up to
the size limit, typed by their first bytes (never by the name or the browser's word), and a
PDF carrying scripts, launch actions or embedded files is refused (:mod:`storage.pdfscan`).
Every object gets a fresh key, is written once to a versioned bucket, and its row records the
version written and the SHA-256 of its bytes; reads ask for that version and compare the
digest.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import IO, Any, BinaryIO
from urllib.parse import quote

from minio import Minio
from minio.commonconfig import COMPLIANCE
from minio.error import S3Error
from minio.retention import Retention
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from storage import pdfscan
from storage.models import CaseDocument

log = logging.getLogger(__name__)

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

CHUNK = 64 * 1024
#: Uploads above this size are spooled to a temporary file instead of kept in memory.
_SPOOL_IN_MEMORY = 1024 * 1024

#: What a person reads for each type, and the file name extensions that may carry it.
_LABELS = {PDF: "PDF", JPEG: "JPG", PNG: "PNG"}
_EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg", ".jfif"), PNG: (".png",)}
#: Why a PDF is refused (:func:`storage.pdfscan.problem`), as the person reads it.
_PDF_REFUSALS: dict[pdfscan.Problem, str] = {
    pdfscan.ACTIVE_CONTENT: "PDF berisi skrip atau berkas sisipan dan tidak dapat diterima.",
    pdfscan.UNREADABLE: (
        "PDF tidak dapat diperiksa (mungkin terkunci kata sandi atau rusak): simpan ulang"
        " sebagai PDF biasa lalu unggah kembali."
    ),
}


class UploadRejected(ValueError):
    """An upload Alur refuses; ``message`` is the sentence shown to the person (Bahasa)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        #: Machine-readable cause: ``empty``, ``too_large``, ``type``, ``extension``,
        #: ``active_content`` or ``unreadable_pdf``.
        self.reason = reason


class DocumentIntegrityError(RuntimeError):
    """The bytes S3 returned are not the bytes recorded when the document was stored."""


@dataclass(frozen=True)
class UploadLimits:
    """What an upload may be: at most ``max_bytes``, and one of ``allowed`` content types."""

    max_bytes: int
    allowed: tuple[str, ...] = (PDF, JPEG, PNG)

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {self.max_bytes}")
        unknown = [t for t in self.allowed if t not in _EXTENSIONS]
        if unknown or not self.allowed:
            raise ValueError(f"cannot check uploads of type {unknown or 'none'}")


def sniff(head: bytes) -> str | None:
    """The content type the first bytes of a file announce (at least 16 bytes for PNG)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG if head[12:16] == b"IHDR" else None
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if head.startswith(b"MZ"):
        return "application/x-msdownload"
    if head.startswith(b"\x7fELF"):
        return "application/x-executable"
    return None


def safe_filename(name: str, *, default: str = "berkas") -> str:
    """A display name without directories, control or format characters; at most 255 long."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    # Cc/Cf/Cs/Co/Cn: control characters, bidi overrides ("gpj.exe"), surrogates, unassigned.
    name = "".join(" " if unicodedata.category(c).startswith("C") else c for c in name)
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if not name:
        return default
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 16:
            name = stem[: 255 - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:255]
    return name


def put_upload(
    client: Minio,
    bucket: str,
    *,
    stream: BinaryIO,
    filename: str,
    limits: UploadLimits,
    uploaded_by: str,
    case_id: int | None = None,
    human_task_id: int | None = None,
    field_key: str | None = None,
    kind: str = "lampiran",
    public: bool = False,
) -> CaseDocument:
    """Check an uploaded file and put it in S3; return its row, not yet added to a session.

    Nothing touches the database, so a slow S3 or a large file holds no database lock: the
    caller adds the rows (:func:`record`) in one short transaction afterwards, or removes the
    objects (:func:`remove_objects`) if it gives up.

    Raises:
        UploadRejected: the file is empty, too large, of a type not allowed, named with an
            extension its content does not match, or a PDF with active content.
    """
    _check_columns(kind=kind, field_key=field_key, uploaded_by=uploaded_by)
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
        digest = hashlib.sha256()
        size = 0
        budget = limits.max_bytes + 1  # one byte more than allowed tells "too large"
        while size < budget:
            chunk = stream.read(min(CHUNK, budget - size))
            if not chunk:
                break
            size += len(chunk)
            digest.update(chunk)
            spool.write(chunk)
        if size > limits.max_bytes:
            raise UploadRejected(
                f"Berkas terlalu besar: maksimal {_human_size(limits.max_bytes)}.", "too_large"
            )
        if size == 0:
            raise UploadRejected("Berkas kosong.", "empty")
        spool.seek(0)
        content_type = sniff(spool.read(64))
        if content_type not in limits.allowed:
            labels = _join_or([_LABELS[t] for t in limits.allowed])
            raise UploadRejected(f"Jenis berkas tidak diizinkan: hanya {labels}.", "type")
        display = _with_extension(safe_filename(filename), content_type)
        if content_type == PDF:
            spool.seek(0)
            refused = pdfscan.problem(spool.read())
            if refused is not None:
                raise UploadRejected(_PDF_REFUSALS[refused], refused)
        spool.seek(0)
        return _put(
            client,
            bucket,
            data=spool,
            size=size,
            sha256=digest.hexdigest(),
            filename=display,
            content_type=content_type,
            kind=kind,
            uploaded_by=uploaded_by,
            case_id=case_id,
            human_task_id=human_task_id,
            field_key=field_key,
            public=public,
        )


def put_generated(
    client: Minio,
    bucket: str,
    *,
    data: bytes,
    filename: str,
    content_type: str,
    kind: str,
    uploaded_by: str,
    case_id: int | None,
    public: bool,
    retain_until: datetime | None = None,
    object_key: str | None = None,
) -> CaseDocument:
    """Put a document Alur produced (a receipt, a letter) in S3; return its row, not yet
    added to a session (see :func:`put_upload`). ``object_key`` names the object instead of
    a fresh key: a job that may run twice names what it produces (see :func:`stored_under`).

    With ``retain_until`` (timezone-aware, in the future) the version is written under
    COMPLIANCE retention until then, which needs a bucket with object lock (the letters
    bucket): S3 then refuses to delete or change that version before the date, even for its
    admin. COMPLIANCE, not GOVERNANCE: SeaweedFS lets any caller that sends
    ``x-amz-bypass-governance-retention`` delete a GOVERNANCE version. If the row cannot be
    written, the retained version cannot be removed either: it stays in S3 without a row.
    """
    _check_columns(kind=kind, field_key=None, uploaded_by=uploaded_by)
    if not data:
        raise ValueError("a generated document has no bytes")
    if content_type in _EXTENSIONS and sniff(data[:64]) != content_type:
        raise ValueError(f"the bytes of {filename!r} are not {content_type}")
    if retain_until is not None and retain_until.tzinfo is None:
        raise ValueError("retain_until must be timezone-aware")
    if retain_until is not None and retain_until <= datetime.now(UTC):
        raise ValueError(f"retain_until is not in the future: {retain_until.isoformat()}")
    return _put(
        client,
        bucket,
        data=BytesIO(data),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        filename=safe_filename(filename, default="dokumen"),
        content_type=content_type,
        kind=kind,
        uploaded_by=uploaded_by,
        case_id=case_id,
        human_task_id=None,
        field_key=None,
        public=public,
        retention=None if retain_until is None else Retention(COMPLIANCE, retain_until),
        key=object_key,
    )


def read_document(client: Minio, doc: CaseDocument) -> bytes:
    """The bytes of the recorded version of ``doc``.

    Raises:
        DocumentIntegrityError: their size or SHA-256 differs from the row's.
    """
    response = client.get_object(doc.bucket, doc.object_key, version_id=doc.version_id)
    try:
        data = response.read()
    finally:
        response.close()
        response.release_conn()
    if len(data) != doc.size or hashlib.sha256(data).hexdigest() != doc.sha256:
        raise DocumentIntegrityError(_integrity_message(doc))
    return data


def stream_document(client: Minio, doc: CaseDocument) -> Iterator[bytes]:
    """The recorded version of ``doc`` in chunks, for a Flask response.

    S3 is asked at once, so a missing object raises here, before any response starts. The
    SHA-256 can only be compared after the last chunk: a mismatch then raises
    :class:`DocumentIntegrityError` (the response is cut off and the error logged); use
    :func:`read_document` when the check must come before any byte is sent. The connection is
    released at the end, or when the server calls ``close()`` on an unfinished response.
    """
    return _DocumentStream(client, doc)


def documents_of_case(
    session: Session, case_id: int, *, public_only: bool = False
) -> list[CaseDocument]:
    """The documents of a case, oldest first; only those the applicant may see if asked."""
    query = select(CaseDocument).where(CaseDocument.case_id == case_id)
    if public_only:
        query = query.where(CaseDocument.public.is_(True))
    return list(session.scalars(query.order_by(CaseDocument.created_at, CaseDocument.id)))


def attach_to_case(
    session: Session, doc_ids: Iterable[int], case_id: int, *, uploaded_by: str
) -> list[CaseDocument]:
    """Give uploads made before the case existed to the case (flushed; the caller commits).

    Only documents still unattached and uploaded by ``uploaded_by`` move: other ids, someone
    else's or already attached, are left alone and missing from the result. The objects keep
    their S3 key and metadata (``unattached/...``); the row is what ties them to the case.
    """
    ids = sorted(set(doc_ids))
    if not ids:
        return []
    docs = list(
        session.scalars(
            select(CaseDocument)
            .where(
                CaseDocument.id.in_(ids),
                CaseDocument.case_id.is_(None),
                CaseDocument.uploaded_by == uploaded_by,
            )
            .order_by(CaseDocument.id)
        )
    )
    for doc in docs:
        doc.case_id = case_id
    session.flush()
    return docs


# --- storing -----------------------------------------------------------------------------


def stored_under(
    client: Minio,
    bucket: str,
    key: str,
    *,
    filename: str,
    kind: str,
    uploaded_by: str,
    case_id: int | None,
    public: bool,
) -> CaseDocument | None:
    """The row for the object a previous run put under ``key`` and died before recording,
    or None if there is none: the job then adopts that object instead of writing a second
    one (a retained letter could never be removed again)."""
    try:
        stat = client.stat_object(bucket, key)
    except S3Error as error:
        if error.code in ("NoSuchKey", "NoSuchVersion", "ResourceNotFound"):
            return None
        raise
    sha256 = (stat.metadata or {}).get("x-amz-meta-sha256")
    if not sha256 or stat.size is None:
        raise DocumentIntegrityError(f"s3://{bucket}/{key} has no recorded SHA-256 or size")
    return CaseDocument(
        case_id=case_id,
        human_task_id=None,
        kind=kind,
        field_key=None,
        filename=filename,
        content_type=stat.content_type or "application/octet-stream",
        size=stat.size,
        sha256=sha256,
        bucket=bucket,
        object_key=key,
        version_id=stat.version_id,
        public=public,
        uploaded_by=uploaded_by,
    )


def record(session: Session, client: Minio, doc: CaseDocument) -> CaseDocument:
    """Add the row of an object :func:`put_upload` or :func:`put_generated` stored (flushed).

    If the row cannot be written, the transaction is rolled back and the object's version is
    removed again (a retained one cannot be: it stays in S3 without a row until its retention
    ends) — unless a row already points at that very version: then another delivery of the
    same job adopted it and recorded it first, and the version is theirs.
    """
    bucket, key, version = doc.bucket, doc.object_key, doc.version_id
    try:
        session.add(doc)
        session.flush()
    except BaseException:
        session.rollback()
        if not _maybe_recorded(session, bucket, key, version):
            remove_objects(client, [doc])
        raise
    return doc


def _maybe_recorded(session: Session, bucket: str, key: str, version: str | None) -> bool:
    """Whether a row may point at this version (True when the database cannot say)."""
    try:
        found = session.scalar(
            select(CaseDocument.id).where(
                CaseDocument.bucket == bucket,
                CaseDocument.object_key == key,
                CaseDocument.version_id == version,
            )
        )
    except SQLAlchemyError:  # the database itself is away: keep the version, lose nothing
        log.warning("kept s3://%s/%s: cannot tell whether it is recorded", bucket, key)
        return True
    return found is not None


def _put(
    client: Minio,
    bucket: str,
    *,
    data: IO[bytes],
    size: int,
    sha256: str,
    filename: str,
    content_type: str,
    kind: str,
    uploaded_by: str,
    case_id: int | None,
    human_task_id: int | None,
    field_key: str | None,
    public: bool,
    retention: Retention | None = None,
    key: str | None = None,
) -> CaseDocument:
    key = key or _fresh_key(case_id, human_task_id)
    metadata: dict[str, Any] = {"sha256": sha256, "kind": quote(kind, safe="")}
    if case_id is not None:
        metadata["case-id"] = str(case_id)
    if human_task_id is not None:
        metadata["task-id"] = str(human_task_id)
    if field_key is not None:
        metadata["field"] = quote(field_key, safe="")
    written = client.put_object(
        bucket,
        key,
        data,  # type: ignore[arg-type]  # minio reads any binary file object
        size,
        content_type=content_type,
        metadata=metadata,
        retention=retention,
    )
    return CaseDocument(
        case_id=case_id,
        human_task_id=human_task_id,
        kind=kind,
        field_key=field_key,
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=sha256,
        bucket=bucket,
        object_key=key,
        version_id=written.version_id,
        public=public,
        uploaded_by=uploaded_by,
    )


def _fresh_key(case_id: int | None, human_task_id: int | None) -> str:
    if case_id is not None:
        return f"cases/{case_id}/{uuid.uuid4()}"
    if human_task_id is not None:
        return f"tasks/{human_task_id}/{uuid.uuid4()}"
    return f"unattached/{uuid.uuid4()}"


def _check_columns(*, kind: str, field_key: str | None, uploaded_by: str) -> None:
    """Refuse values the row cannot hold before anything is written to S3."""
    if not kind or len(kind) > 32:
        raise ValueError(f"kind must be 1 to 32 characters: {kind!r}")
    if field_key is not None and len(field_key) > 64:
        raise ValueError(f"field_key longer than 64 characters: {field_key!r}")
    if not uploaded_by or len(uploaded_by) > 255:
        raise ValueError("uploaded_by must be 1 to 255 characters")


def _with_extension(name: str, content_type: str) -> str:
    """``name`` if its extension fits the content; with one added if it has none."""
    extensions = _EXTENSIONS[content_type]
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or " " in ext or len(ext) > 8:
        return safe_filename(name[: 255 - len(extensions[0])] + extensions[0])
    if "." + ext.lower() not in extensions:
        raise UploadRejected("Isi berkas tidak sesuai dengan ekstensinya.", "extension")
    return name


def _human_size(size: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            text = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
    return f"{size} byte"


def _join_or(words: list[str]) -> str:
    if len(words) <= 2:
        return " atau ".join(words)
    return ", ".join(words[:-1]) + ", atau " + words[-1]


# --- reading -----------------------------------------------------------------------------


def _integrity_message(doc: CaseDocument) -> str:
    return (
        f"document {doc.id} (s3://{doc.bucket}/{doc.object_key} version {doc.version_id})"
        " does not match its recorded size and SHA-256"
    )


class _DocumentStream(Iterator[bytes]):
    """Chunks of one object version, hashed as they pass; closable before the end (WSGI)."""

    def __init__(self, client: Minio, doc: CaseDocument) -> None:
        self._doc = doc
        self._response = client.get_object(doc.bucket, doc.object_key, version_id=doc.version_id)
        self._chunks = self._response.stream(CHUNK)
        self._digest = hashlib.sha256()
        self._size = 0
        self._closed = False

    def __next__(self) -> bytes:
        if self._closed:
            raise StopIteration
        try:
            chunk = next(self._chunks)
        except StopIteration:
            self.close()
            if self._size != self._doc.size or self._digest.hexdigest() != self._doc.sha256:
                raise DocumentIntegrityError(_integrity_message(self._doc)) from None
            raise
        except BaseException:
            self.close()
            raise
        self._size += len(chunk)
        self._digest.update(chunk)
        return chunk

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._response.close()
            self._response.release_conn()


#: Objects of an intake that died between S3 and its database write are removed after this.
ORPHAN_AGE = timedelta(hours=1)


def sweep_unattached(
    session: Session, client: Minio, bucket: str, now: datetime, older_than: timedelta = ORPHAN_AGE
) -> int:
    """Remove objects under ``unattached/`` that no row points at and are older than
    ``older_than``: what an intake killed after storing its files, before writing its case,
    left behind. Returns how many versions were removed."""
    removed = 0
    for item in client.list_objects(bucket, prefix="unattached/", include_version=True):
        if item.last_modified is None or now - item.last_modified < older_than:
            continue  # an upload whose row is about to be written, or unknown age
        known = session.scalar(
            select(CaseDocument.id).where(CaseDocument.object_key == item.object_name)
        )
        if known is None:
            client.remove_object(bucket, item.object_name, version_id=item.version_id)
            removed += 1
    session.rollback()
    return removed


def remove_objects(client: Minio, docs: Iterable[CaseDocument]) -> None:
    """Delete the stored versions of documents whose rows are being rolled back."""
    for doc in docs:
        try:
            client.remove_object(doc.bucket, doc.object_key, version_id=doc.version_id)
        except Exception:
            log.exception("could not remove s3://%s/%s", doc.bucket, doc.object_key)
