"""Issued letters are immutable: S3 object lock on the letters bucket, in the real SeaweedFS.

``migrate.prepare`` creates the letters bucket with object lock and a default COMPLIANCE
retention; ``put_generated(..., retain_until=...)`` writes a version retained until a chosen
date. These tests show what SeaweedFS 4.48 then refuses, and, named as facts, what it still
allows and what Alur relies on instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from minio import Minio
from minio.commonconfig import COMPLIANCE, ENABLED, GOVERNANCE
from minio.deleteobjects import DeleteObject
from minio.error import S3Error
from minio.objectlockconfig import DAYS, ObjectLockConfig
from minio.retention import Retention
from minio.versioningconfig import SUSPENDED, VersioningConfig
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from stack.local import Stack
from storage import documents, s3
from storage.models import CaseDocument

pytestmark = pytest.mark.platform

#: One run's buckets; COMPLIANCE versions cannot be removed, so never reuse a name.
RUN = uuid.uuid4().hex[:8]


def letter(title: str = "Surat Keputusan") -> bytes:
    """Bytes that pass as a PDF (``put_generated`` checks the signature), unique per call."""
    return b"%PDF-1.7\n% " + title.encode() + b" " + uuid.uuid4().hex.encode() + b"\n%%EOF\n"


def in_days(days: int) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


def read(client: Minio, bucket: str, key: str, version_id: str | None = None) -> bytes:
    response = client.get_object(bucket, key, version_id=version_id)
    try:
        return response.read()
    finally:
        response.close()
        response.release_conn()


def versions(client: Minio, bucket: str, key: str) -> list[tuple[str | None, bool]]:
    """(version id, is a delete marker) of every version of ``key``."""
    return [
        (o.version_id, bool(o.is_delete_marker))
        for o in client.list_objects(bucket, prefix=key, include_version=True)
        if o.object_name == key
    ]


@pytest.fixture(scope="module")
def client(stack: Stack) -> Minio:
    return stack.s3_client()


@pytest.fixture(scope="module")
def letters(stack: Stack) -> str:
    """The letters bucket ``migrate.prepare`` made when the stack started."""
    return stack.settings.s3_bucket_letters


@pytest.fixture(scope="module")
def bare_lock_bucket(client: Minio) -> str:
    """A bucket of this module with object lock and no default retention."""
    name = f"uji-kunci-{RUN}"
    client.make_bucket(name, object_lock=True)
    return name


@pytest.fixture
def sessions(fresh_db: sessionmaker[Session]) -> sessionmaker[Session]:
    return fresh_db


def issue(
    session: Session,
    client: Minio,
    bucket: str,
    data: bytes,
    retain_until: datetime | None,
    case_id: int | None = None,
) -> CaseDocument:
    return documents.record(
        session,
        client,
        documents.put_generated(
            client,
            bucket,
            data=data,
            filename="surat-keputusan.pdf",
            content_type="application/pdf",
            kind="surat",
            uploaded_by="alur",
            case_id=case_id,
            public=True,
            retain_until=retain_until,
        ),
    )


def refused(call: object) -> S3Error:
    assert callable(call)
    with pytest.raises(S3Error) as error:
        call()
    return error.value


def test_the_letters_bucket_is_versioned_and_locked_in_compliance_mode(
    stack: Stack, client: Minio, letters: str
):
    assert letters == "alur-surat"
    assert client.get_bucket_versioning(letters).status == ENABLED
    days = stack.settings.letter_retention_days
    assert days == 3650
    assert client.get_object_lock_config(letters) == ObjectLockConfig(COMPLIANCE, days, DAYS)


def test_an_issued_letter_cannot_be_deleted_by_version_id(
    sessions: sessionmaker[Session], client: Minio, letters: str
):
    data = letter()
    with sessions() as session:
        doc = issue(session, client, letters, data, in_days(30))
        session.commit()
    assert doc.version_id

    single = refused(lambda: client.remove_object(letters, doc.object_key, doc.version_id))
    assert (single.code, single.response.status) == ("AccessDenied", 403)
    errors = list(client.remove_objects(letters, [DeleteObject(doc.object_key, doc.version_id)]))
    assert [e.code for e in errors] == ["AccessDenied"]
    # Rolling back documents (what a failed transaction does) cannot take it away either.
    documents.remove_objects(client, [doc])

    assert documents.read_document(client, doc) == data
    assert versions(client, letters, doc.object_key) == [(doc.version_id, False)]


def test_an_issued_letter_keeps_the_retention_date_asked(
    sessions: sessionmaker[Session], client: Minio, letters: str
):
    until = in_days(3650) + timedelta(hours=7)
    with sessions() as session:
        doc = issue(session, client, letters, letter(), until)
        session.commit()
    retention = client.get_object_retention(letters, doc.object_key, doc.version_id)
    assert retention is not None
    assert (retention.mode, retention.retain_until_date) == (COMPLIANCE, until)
    stat = client.stat_object(letters, doc.object_key, version_id=doc.version_id)
    assert stat.metadata is not None
    assert stat.metadata["x-amz-object-lock-mode"] == COMPLIANCE
    assert stat.metadata["x-amz-object-lock-retain-until-date"] == until.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def test_overwriting_an_issued_letter_adds_a_version_and_the_original_stays_byte_identical(
    sessions: sessionmaker[Session], client: Minio, letters: str
):
    data = letter("Asli")
    with sessions() as session:
        doc = issue(session, client, letters, data, in_days(30))
        session.commit()
    forged = letter("Palsu")
    written = client.put_object(letters, doc.object_key, io.BytesIO(forged), len(forged))

    assert written.version_id not in (None, doc.version_id)
    assert read(client, letters, doc.object_key) == forged
    original = documents.read_document(client, doc)  # asks for the recorded version
    assert hashlib.sha256(original).hexdigest() == doc.sha256
    assert original == data
    # The forged version is a letter-bucket version too: retained by the bucket's default.
    retention = client.get_object_retention(letters, doc.object_key, written.version_id)
    assert retention is not None
    assert retention.mode == COMPLIANCE


def test_a_retention_can_be_lengthened_but_not_shortened_nor_turned_to_governance(
    sessions: sessionmaker[Session], client: Minio, letters: str
):
    until = in_days(30)
    with sessions() as session:
        doc = issue(session, client, letters, letter(), until)
        session.commit()
    key, version = doc.object_key, doc.version_id

    for weaker in (
        Retention(COMPLIANCE, until - timedelta(days=1)),
        Retention(GOVERNANCE, until),
    ):
        with pytest.raises(S3Error) as error:
            client.set_object_retention(letters, key, weaker, version)
        assert error.value.code == "AccessDenied"
    longer = Retention(COMPLIANCE, until + timedelta(days=1))
    client.set_object_retention(letters, key, longer, version)

    retention = client.get_object_retention(letters, key, version)
    assert retention is not None
    assert (retention.mode, retention.retain_until_date) == (COMPLIANCE, longer.retain_until_date)


def test_every_version_in_the_letters_bucket_gets_the_default_retention(
    stack: Stack, sessions: sessionmaker[Session], client: Minio, letters: str
):
    before = datetime.now(UTC).replace(microsecond=0)
    with sessions() as session:
        doc = issue(session, client, letters, letter(), retain_until=None)
        session.commit()
    retention = client.get_object_retention(letters, doc.object_key, doc.version_id)
    assert retention is not None
    assert retention.mode == COMPLIANCE
    assert retention.retain_until_date is not None
    days = timedelta(days=stack.settings.letter_retention_days)
    assert before + days <= retention.retain_until_date <= datetime.now(UTC) + days
    assert refused(lambda: client.remove_object(letters, doc.object_key, doc.version_id))


def test_compliance_retention_ignores_the_governance_bypass(
    sessions: sessionmaker[Session], client: Minio, letters: str
):
    with sessions() as session:
        doc = issue(session, client, letters, letter(), in_days(30))
        session.commit()
    errors = client.remove_objects(
        letters, [DeleteObject(doc.object_key, doc.version_id)], bypass_governance_mode=True
    )
    assert [e.code for e in errors] == ["AccessDenied"]
    assert documents.read_document(client, doc)


def test_seaweedfs_lets_the_s3_admin_bypass_governance_so_letters_use_compliance(
    client: Minio, bare_lock_bucket: str
):
    data = letter()
    written = client.put_object(
        bare_lock_bucket,
        "surat/tata-kelola",
        io.BytesIO(data),
        len(data),
        retention=Retention(GOVERNANCE, in_days(30)),
    )
    target = [DeleteObject(written.object_name, written.version_id)]
    assert [e.code for e in client.remove_objects(bare_lock_bucket, target)] == ["AccessDenied"]
    assert list(client.remove_objects(bare_lock_bucket, target, bypass_governance_mode=True)) == []
    gone = refused(lambda: read(client, bare_lock_bucket, written.object_name, written.version_id))
    assert gone.code == "NoSuchVersion"


def test_seaweedfs_honours_a_weaker_retention_asked_by_the_writer_so_only_alur_writes_letters(
    client: Minio, letters: str
):
    # The bucket's default (COMPLIANCE, 3650 days) only applies to a version that asks for
    # none: one written with its own GOVERNANCE retention can be bypassed and removed.
    data = letter()
    written = client.put_object(
        letters,
        f"uji/lemah-{RUN}",
        io.BytesIO(data),
        len(data),
        retention=Retention(GOVERNANCE, in_days(30)),
    )
    retention = client.get_object_retention(letters, written.object_name, written.version_id)
    assert retention is not None
    assert retention.mode == GOVERNANCE
    target = [DeleteObject(written.object_name, written.version_id)]
    assert list(client.remove_objects(letters, target, bypass_governance_mode=True)) == []
    assert versions(client, letters, written.object_name) == []


def test_seaweedfs_allows_a_delete_marker_over_a_retained_letter_so_we_read_by_version_id(
    sessions: sessionmaker[Session], client: Minio, letters: str
):
    data = letter()
    with sessions() as session:
        doc = issue(session, client, letters, data, in_days(30))
        session.commit()
    client.remove_object(letters, doc.object_key)  # no version id: accepted

    assert refused(lambda: read(client, letters, doc.object_key)).code == "NoSuchKey"
    assert documents.read_document(client, doc) == data
    marks = versions(client, letters, doc.object_key)
    assert (doc.version_id, False) in marks
    assert [is_marker for _, is_marker in marks].count(True) == 1


def test_a_version_may_be_deleted_once_its_retention_has_passed(
    client: Minio, bare_lock_bucket: str
):
    data = letter()
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
    written = client.put_object(
        bare_lock_bucket,
        "surat/singkat",
        io.BytesIO(data),
        len(data),
        retention=Retention(COMPLIANCE, until),
    )
    assert refused(
        lambda: client.remove_object(bare_lock_bucket, written.object_name, written.version_id)
    )
    time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 1.5)
    client.remove_object(bare_lock_bucket, written.object_name, written.version_id)
    assert versions(client, bare_lock_bucket, written.object_name) == []


def test_seaweedfs_refuses_retention_outside_a_locked_bucket(
    stack: Stack, sessions: sessionmaker[Session], client: Minio
):
    uploads = stack.settings.s3_bucket_uploads  # versioned, no object lock
    assert refused(lambda: client.get_object_lock_config(uploads)).code == (
        "ObjectLockConfigurationNotFoundError"
    )
    with sessions() as session:
        error = refused(lambda: issue(session, client, uploads, letter(), in_days(30)))
        assert error.code == "InvalidRequest"
        assert session.query(CaseDocument).count() == 0


def test_a_retain_until_date_must_be_aware_and_in_the_future(
    sessions: sessionmaker[Session], client: Minio, letters: str
):
    with sessions() as session:
        naive = datetime.now() + timedelta(days=1)
        with pytest.raises(ValueError, match="timezone-aware"):
            issue(session, client, letters, letter(), naive)
        with pytest.raises(ValueError, match="not in the future"):
            issue(session, client, letters, letter(), in_days(-1))


def test_a_letter_whose_row_cannot_be_written_stays_locked_in_s3(
    sessions: sessionmaker[Session],
    client: Minio,
    letters: str,
    caplog: pytest.LogCaptureFixture,
):
    prefix = "cases/4242/"
    listed = client.list_objects(letters, prefix, recursive=True, include_version=True)
    before = {o.version_id for o in listed}
    with (
        sessions() as session,
        caplog.at_level(logging.ERROR, logger="storage.documents"),
        pytest.raises(IntegrityError),
    ):
        # No case 4242: the foreign key refuses the row after the object was written.
        issue(session, client, letters, letter(), in_days(30), case_id=4242)
    left = [
        o
        for o in client.list_objects(letters, prefix, recursive=True, include_version=True)
        if o.version_id not in before
    ]
    assert len(left) == 1, "the retained version could not be removed and stays, without a row"
    assert "could not remove" in caplog.text


def test_a_locked_bucket_keeps_versioning_on_and_cannot_be_removed(client: Minio, letters: str):
    error = refused(lambda: client.set_bucket_versioning(letters, VersioningConfig(SUSPENDED)))
    assert error.code == "InvalidBucketState"
    assert client.get_bucket_versioning(letters).status == ENABLED
    assert refused(lambda: client.remove_bucket(letters)).code == "BucketNotEmpty"


def test_ensure_buckets_locks_an_existing_bucket_and_is_idempotent(
    client: Minio, caplog: pytest.LogCaptureFixture
):
    name = f"uji-lama-{RUN}"
    client.make_bucket(name)  # an existing bucket, neither versioned nor locked
    data = letter()
    with caplog.at_level(logging.WARNING, logger="storage.s3"):
        s3.ensure_buckets(client, [], locked={name: 1})
    assert "had no object lock" in caplog.text
    assert client.get_bucket_versioning(name).status == ENABLED
    assert client.get_object_lock_config(name) == ObjectLockConfig(COMPLIANCE, 1, DAYS)

    s3.ensure_buckets(client, [name], locked={name: 2})  # a new default for new versions
    s3.ensure_buckets(client, [name], locked={name: 2})
    assert client.get_object_lock_config(name) == ObjectLockConfig(COMPLIANCE, 2, DAYS)
    written = client.put_object(name, "surat", io.BytesIO(data), len(data))
    assert refused(lambda: client.remove_object(name, "surat", written.version_id))
    with pytest.raises(ValueError, match="at least 1 day"):
        s3.ensure_buckets(client, [], locked={name: 0})


def _jwt(key: str) -> str:
    """An HS256 token signed with ``key``, as SeaweedFS's filer expects."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps({"exp": int(time.time()) + 60}).encode())
    signature = hmac.new(key.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


def _filer(method: str, url: str, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, headers={"Accept": "application/json"})
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_seaweedfs_enforces_the_lock_only_in_s3_so_we_rely_on_the_filer_keys(
    stack: Stack, client: Minio, bare_lock_bucket: str
):
    data = letter()
    written = client.put_object(
        bare_lock_bucket,
        "surat/filer",
        io.BytesIO(data),
        len(data),
        retention=Retention(COMPLIANCE, in_days(30)),
    )
    assert refused(
        lambda: client.remove_object(bare_lock_bucket, written.object_name, written.version_id)
    )
    folder = f"{stack.seaweed.filer_url}/buckets/{bare_lock_bucket}/{written.object_name}.versions/"
    status, listing = _filer("GET", folder, _jwt(stack.seaweed.secrets.jwt_filer_read))
    assert status == 200
    (entry,) = json.loads(listing)["Entries"]
    path = f"{stack.seaweed.filer_url}{entry['FullPath']}"

    assert _filer("DELETE", path)[0] == 401  # anonymous: refused
    # Whoever holds the filer's write key deletes a COMPLIANCE version: guard that key.
    assert _filer("DELETE", path, _jwt(stack.seaweed.secrets.jwt_filer_write))[0] == 204
    gone = refused(lambda: read(client, bare_lock_bucket, written.object_name, written.version_id))
    assert gone.code == "NoSuchVersion"
