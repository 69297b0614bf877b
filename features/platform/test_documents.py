"""Case documents in the real SeaweedFS: checked on the way in, SHA-256 checked on the way out."""

from __future__ import annotations

import hashlib
import io
import struct
import uuid
import zlib
from typing import Any

import pytest
from minio import Minio
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from alur import settings as alur_settings
from features.support.pdfs import object_stream, pdf
from stack.local import Stack
from storage import documents
from storage.documents import UploadLimits, UploadRejected
from storage.models import Case, CaseDocument

pytestmark = pytest.mark.platform

LIMITS = UploadLimits(max_bytes=4096)
APPLICANT = "pemohon:sesi-1"


def png() -> bytes:
    """A 1x1 grey PNG: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + bytes(64)
    + b"\xff\xd9"
)


class CountingStream(io.RawIOBase):
    """An endless upload (a PDF header, then zeros) that counts what was read from it."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        head = b"%PDF-1.4\n"[self.served :]
        data = head[: len(buffer)].ljust(len(buffer), b"\x00")
        buffer[: len(data)] = data
        self.served += len(data)
        return len(data)


@pytest.fixture(scope="module")
def client(stack: Stack) -> Minio:
    return stack.s3_client()


@pytest.fixture(scope="module")
def bucket(stack: Stack) -> str:
    return stack.settings.s3_bucket_uploads


@pytest.fixture
def sessions(fresh_db: sessionmaker[Session]) -> sessionmaker[Session]:
    return fresh_db


def new_case(session: Session) -> int:
    case = Case(
        tracking_code=uuid.uuid4().hex[:12].upper(),
        pin_hash="$argon2id$tidak-dipakai",
        service_code="uji",
        bpmn_process_id="uji",
        applicant_name="Budi Santoso",
    )
    session.add(case)
    session.flush()
    return case.id


def versions(client: Minio, bucket: str) -> set[tuple[str, str | None]]:
    """Every object version (and delete marker) in the bucket."""
    return {
        (str(o.object_name), o.version_id)
        for o in client.list_objects(bucket, recursive=True, include_version=True)
    }


def upload(
    session: Session, client: Minio, bucket: str, data: bytes, filename: str, **kwargs: object
) -> CaseDocument:
    return documents.record(
        session,
        client,
        documents.put_upload(
            client,
            bucket,
            stream=io.BytesIO(data),
            filename=filename,
            limits=kwargs.pop("limits", LIMITS),  # type: ignore[arg-type]
            uploaded_by=APPLICANT,
            **kwargs,  # type: ignore[arg-type]
        ),
    )


def assert_rejected(
    sessions: sessionmaker[Session],
    client: Minio,
    bucket: str,
    data: bytes,
    filename: str,
    reason: str,
    **kwargs: object,
) -> UploadRejected:
    before = versions(client, bucket)
    with sessions() as session, pytest.raises(UploadRejected) as rejected:
        upload(session, client, bucket, data, filename, **kwargs)
    assert rejected.value.reason == reason
    assert versions(client, bucket) == before, "a rejected upload left an object behind"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(CaseDocument)) == 0
    return rejected.value


def test_a_pdf_is_stored_with_its_digest_type_metadata_and_version(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    data = pdf()
    with sessions() as session:
        case_id = new_case(session)
        doc = upload(
            session, client, bucket, data, "KTP Budi.pdf", case_id=case_id, field_key="ktp"
        )
        session.commit()
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size == len(data)
    assert doc.content_type == "application/pdf"
    assert doc.filename == "KTP Budi.pdf"
    assert doc.kind == "lampiran"
    assert doc.public is False
    assert doc.bucket == bucket
    assert doc.object_key.startswith(f"cases/{case_id}/")
    uuid.UUID(doc.object_key.rsplit("/", 1)[1])
    assert doc.version_id, "the bucket is versioned: the version written must be recorded"

    stat = client.stat_object(bucket, doc.object_key, version_id=doc.version_id)
    assert stat.content_type == "application/pdf"
    assert stat.size == len(data)
    assert stat.version_id == doc.version_id
    assert stat.metadata is not None
    meta = {k.lower(): v for k, v in stat.metadata.items()}
    assert meta["x-amz-meta-sha256"] == doc.sha256
    assert meta["x-amz-meta-case-id"] == str(case_id)
    assert meta["x-amz-meta-kind"] == "lampiran"
    assert meta["x-amz-meta-field"] == "ktp"

    with sessions() as session:
        stored = session.get(CaseDocument, doc.id)
        assert stored is not None
        assert stored.version_id == doc.version_id
        assert documents.read_document(client, stored) == data
        assert b"".join(documents.stream_document(client, stored)) == data


def test_png_and_jpeg_are_accepted_and_typed_by_content(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    with sessions() as session:
        image = upload(session, client, bucket, png(), "foto.PNG")
        photo = upload(session, client, bucket, JPEG, "pas-foto.jfif", human_task_id=7)
        unnamed = upload(session, client, bucket, JPEG, "image")
        session.commit()
    assert (image.content_type, image.object_key.split("/")[0]) == ("image/png", "unattached")
    assert (photo.content_type, photo.object_key.split("/")[:2]) == ("image/jpeg", ["tasks", "7"])
    assert unnamed.filename == "image.jpg"
    assert documents.read_document(client, photo) == JPEG


def test_a_read_asks_for_the_recorded_version(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    data = pdf()
    with sessions() as session:
        doc = upload(session, client, bucket, data, "surat.pdf")
        session.commit()
    other = pdf(b"<< /Title (diganti) >>")
    client.put_object(bucket, doc.object_key, io.BytesIO(other), len(other))
    assert documents.read_document(client, doc) == data
    assert b"".join(documents.stream_document(client, doc)) == data


@pytest.mark.hostile
def test_an_upload_one_byte_over_the_limit_is_refused_and_leaves_nothing(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    rejected = assert_rejected(
        sessions, client, bucket, pdf().ljust(LIMITS.max_bytes + 1, b"\n"), "besar.pdf", "too_large"
    )
    assert rejected.message == "Berkas terlalu besar: maksimal 4 KB."
    with sessions() as session:
        exact = upload(session, client, bucket, pdf().ljust(LIMITS.max_bytes, b"\n"), "pas.pdf")
        session.commit()
    assert exact.size == LIMITS.max_bytes


@pytest.mark.hostile
def test_an_endless_upload_is_read_only_to_the_limit(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    limit = alur_settings.load(
        {"ALUR_S3_ACCESS_KEY": "a", "ALUR_S3_SECRET_KEY": "b", "ALUR_SECRET_KEY": "c"}
    ).upload_max_bytes
    assert limit == 10 * 1024 * 1024
    endless = CountingStream()
    before = versions(client, bucket)
    with sessions() as session, pytest.raises(UploadRejected) as rejected:
        documents.record(
            session,
            client,
            documents.put_upload(
                client,
                bucket,
                stream=endless,  # type: ignore[arg-type]
                filename="tak-berujung.pdf",
                limits=UploadLimits(max_bytes=limit),
                uploaded_by=APPLICANT,
            ),
        )
    assert rejected.value.message == "Berkas terlalu besar: maksimal 10 MB."
    assert endless.served == limit + 1
    assert versions(client, bucket) == before


@pytest.mark.hostile
def test_an_empty_file_is_refused(sessions: sessionmaker[Session], client: Minio, bucket: str):
    rejected = assert_rejected(sessions, client, bucket, b"", "kosong.pdf", "empty")
    assert rejected.message == "Berkas kosong."


@pytest.mark.hostile
@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(48),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(40),
        b"<html><script>alert(1)</script></html>",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    ],
    ids=["exe", "zip", "html", "gif"],
)
def test_a_type_not_allowed_is_refused_whatever_its_name(
    sessions: sessionmaker[Session], client: Minio, bucket: str, data: bytes
):
    rejected = assert_rejected(sessions, client, bucket, data, "surat.pdf", "type")
    assert rejected.message == "Jenis berkas tidak diizinkan: hanya PDF, JPG, atau PNG."


def test_the_allowed_types_are_those_of_the_limits(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    only_pdf = UploadLimits(max_bytes=4096, allowed=("application/pdf",))
    rejected = assert_rejected(sessions, client, bucket, png(), "a.png", "type", limits=only_pdf)
    assert rejected.message == "Jenis berkas tidak diizinkan: hanya PDF."


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("data", "filename"),
    [(png(), "ktp.pdf"), (pdf(), "ktp.jpg"), (JPEG, "foto.png"), (pdf(), "ktp.pdf.exe")],
)
def test_an_extension_that_does_not_match_the_content_is_refused(
    sessions: sessionmaker[Session], client: Minio, bucket: str, data: bytes, filename: str
):
    rejected = assert_rejected(sessions, client, bucket, data, filename, "extension")
    assert rejected.message == "Isi berkas tidak sesuai dengan ekstensinya."


@pytest.mark.hostile
def test_a_pdf_with_active_content_is_refused(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    # Which PDFs carry active content is storage.pdfscan's (features/unit/test_pdfscan.py).
    hidden = object_stream(b"6 0 << /S /JavaScript /JS (app.alert('tersembunyi')) >>")
    rejected = assert_rejected(sessions, client, bucket, pdf(hidden), "surat.pdf", "active_content")
    assert rejected.message == "PDF berisi skrip atau berkas sisipan dan tidak dapat diterima."


def test_a_pdf_that_only_sets_its_first_view_is_accepted(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    data = pdf(b"<< /OpenAction [3 0 R /Fit] /JSX 1 /Info (JavaScript) >>")
    with sessions() as session:
        doc = upload(session, client, bucket, data, "surat.pdf")
        session.commit()
    assert documents.read_document(client, doc) == data


@pytest.mark.hostile
def test_an_object_stream_that_cannot_be_read_is_refused(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    hidden = b"<< /Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode >>\nstream\n41>\nendstream"
    rejected = assert_rejected(sessions, client, bucket, pdf(hidden), "surat.pdf", "unreadable_pdf")
    assert rejected.message.startswith("PDF tidak dapat diperiksa")


@pytest.mark.hostile
def test_a_file_name_keeps_only_a_safe_display_name(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    with sessions() as session:
        traversal = upload(session, client, bucket, pdf(), "../../etc/passwd.pdf")
        windows = upload(session, client, bucket, pdf(), "C:\\Users\\budi\\Desktop\\KK.pdf")
        control = upload(session, client, bucket, pdf(), "surat\x00\r\n\u202eresmi.pdf")
        long = upload(session, client, bucket, pdf(), "a" * 400 + ".pdf")
        dots = upload(session, client, bucket, pdf(), "..")
        session.commit()
    assert traversal.filename == "passwd.pdf"
    assert traversal.object_key.startswith("unattached/")
    assert ".." not in traversal.object_key
    assert windows.filename == "KK.pdf"
    assert control.filename == "surat resmi.pdf"
    assert len(long.filename) == 255
    assert long.filename.endswith(".pdf")
    assert dots.filename == "berkas.pdf"


@pytest.mark.hostile
def test_stored_bytes_that_differ_from_the_recorded_digest_raise(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    with sessions() as session:
        doc = upload(session, client, bucket, pdf(), "surat.pdf")
        doc.sha256 = hashlib.sha256(b"bukan isi berkas ini").hexdigest()
        session.commit()
    with pytest.raises(documents.DocumentIntegrityError):
        documents.read_document(client, doc)
    chunks = documents.stream_document(client, doc)
    with pytest.raises(documents.DocumentIntegrityError):
        b"".join(chunks)


def test_a_stream_closed_early_releases_its_connection(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    data = pdf(b"<< /Isi (%s) >>" % (b"x" * 200_000))
    with sessions() as session:
        doc = upload(session, client, bucket, data, "panjang.pdf", limits=UploadLimits(300_000))
        session.commit()
    chunks = documents.stream_document(client, doc)
    assert next(chunks)
    chunks.close()  # type: ignore[attr-defined]  # what a WSGI server calls
    assert list(chunks) == []


def test_documents_of_a_case_and_what_the_applicant_sees(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    with sessions() as session:
        case_id, other_case = new_case(session), new_case(session)
        upload(session, client, bucket, pdf(), "ktp.pdf", case_id=case_id)
        receipt = documents.record(
            session,
            client,
            documents.put_generated(
                client,
                bucket,
                data=pdf(b"<< /Title (Tanda terima) >>"),
                filename="tanda-terima.pdf",
                content_type="application/pdf",
                kind="tanda_terima",
                uploaded_by="alur",
                case_id=case_id,
                public=True,
            ),
        )
        upload(session, client, bucket, png(), "lain.png", case_id=other_case)
        session.commit()
    with sessions() as session:
        every = documents.documents_of_case(session, case_id)
        public = documents.documents_of_case(session, case_id, public_only=True)
    assert [d.filename for d in every] == ["ktp.pdf", "tanda-terima.pdf"]
    assert [d.id for d in public] == [receipt.id]
    stat = client.stat_object(bucket, receipt.object_key, version_id=receipt.version_id)
    assert stat.metadata is not None
    assert stat.metadata["x-amz-meta-kind"] == "tanda_terima"
    assert stat.metadata["x-amz-meta-sha256"] == receipt.sha256
    assert documents.read_document(client, receipt).startswith(b"%PDF-")


def test_generated_bytes_must_be_what_they_claim(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    with sessions() as session, pytest.raises(ValueError):
        documents.record(
            session,
            client,
            documents.put_generated(
                client,
                bucket,
                data=b"<html></html>",
                filename="surat.pdf",
                content_type="application/pdf",
                kind="surat",
                uploaded_by="alur",
                case_id=None,
                public=False,
            ),
        )


def test_uploads_made_before_the_case_are_attached_only_if_they_are_ones_own(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    with sessions() as session:
        mine = upload(session, client, bucket, pdf(), "ktp.pdf")
        theirs = documents.record(
            session,
            client,
            documents.put_upload(
                client,
                bucket,
                stream=io.BytesIO(pdf()),
                filename="kk.pdf",
                limits=LIMITS,
                uploaded_by="pemohon:sesi-lain",
            ),
        )
        earlier_case = new_case(session)
        attached_before = upload(session, client, bucket, pdf(), "npwp.pdf", case_id=earlier_case)
        case_id = new_case(session)
        moved = documents.attach_to_case(
            session, [mine.id, theirs.id, attached_before.id, 9999], case_id, uploaded_by=APPLICANT
        )
        session.commit()
    assert [d.id for d in moved] == [mine.id]
    with sessions() as session:
        assert [d.id for d in documents.documents_of_case(session, case_id)] == [mine.id]
        assert [d.id for d in documents.documents_of_case(session, earlier_case)] == [
            attached_before.id
        ]
        still = session.get(CaseDocument, theirs.id)
        assert still is not None
        assert still.case_id is None


def test_a_row_that_cannot_be_written_takes_its_object_with_it(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    before = versions(client, bucket)
    with sessions() as session, pytest.raises(IntegrityError):
        # No case 4242: the foreign key refuses the row after the object was written.
        upload(session, client, bucket, pdf(), "ktp.pdf", case_id=4242)
    assert versions(client, bucket) == before


def test_a_second_delivery_that_adopted_a_recorded_version_leaves_it_alone(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    """Two deliveries of one job: both find the object the step stored, the first records it,
    the second's row is refused — and the version stays, since it is the first one's."""
    key = f"uji/diadopsi-{uuid.uuid4().hex}.pdf"
    with sessions() as session:
        case_id = new_case(session)
        session.commit()
    described: dict[str, Any] = {
        "filename": "surat.pdf",
        "kind": "surat",
        "uploaded_by": "alur",
        "case_id": case_id,
        "public": False,
    }
    put = documents.put_generated(
        client, bucket, data=pdf(), content_type="application/pdf", object_key=key, **described
    )
    first = documents.stored_under(client, bucket, key, **described)
    second = documents.stored_under(client, bucket, key, **described)
    assert first is not None and second is not None
    assert first.version_id == second.version_id == put.version_id
    with sessions() as session:
        documents.record(session, client, first)
        session.commit()
    with sessions() as session, pytest.raises(IntegrityError):
        documents.record(session, client, second)
    assert (key, put.version_id) in versions(client, bucket)
    with sessions() as session:
        [doc] = documents.documents_of_case(session, case_id)
        assert documents.read_document(client, doc) == pdf()


def test_a_large_upload_sent_in_parts_keeps_its_version_and_metadata(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    # Above 5 MiB the SDK uploads in parts (multipart): the version must still be recorded.
    data = pdf(b"<< /Isi (%s) >>" % (b"x" * (6 * 1024 * 1024)))
    with sessions() as session:
        doc = upload(
            session, client, bucket, data, "pindaian.pdf", limits=UploadLimits(10 * 1024 * 1024)
        )
        session.commit()
    assert doc.version_id
    stat = client.stat_object(bucket, doc.object_key, version_id=doc.version_id)
    assert stat.metadata is not None
    assert stat.metadata["x-amz-meta-sha256"] == hashlib.sha256(data).hexdigest()
    assert documents.read_document(client, doc) == data


def test_uploads_that_will_not_be_recorded_are_removed(
    sessions: sessionmaker[Session], client: Minio, bucket: str
):
    before = versions(client, bucket)
    with sessions() as session:
        stored = [
            upload(session, client, bucket, pdf(), "a.pdf"),
            upload(session, client, bucket, png(), "b.png"),
        ]
        assert versions(client, bucket) - before
        documents.remove_objects(client, stored)
        session.rollback()
    assert versions(client, bucket) == before
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(CaseDocument)) == 0
