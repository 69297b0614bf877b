"""S3 answers only with the right key, and SeaweedFS's other ports hand out nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import time
import urllib.error
import urllib.request

import pytest
from minio import Minio
from minio.error import S3Error

from stack.local import Stack

pytestmark = pytest.mark.platform

SECRET_TEXT = b"KTP pemohon: 3171234567890001"


@pytest.fixture(scope="module")
def stored_object(stack: Stack) -> tuple[str, str]:
    client = stack.s3_client()
    bucket, key = stack.settings.s3_bucket_uploads, "uji/ktp.txt"
    client.put_object(bucket, key, io.BytesIO(SECRET_TEXT), len(SECRET_TEXT))
    return bucket, key


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _jwt(key: str) -> str:
    """An HS256 token signed with ``key``, as SeaweedFS's filer expects."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps({"exp": int(time.time()) + 60}).encode())
    signature = hmac.new(key.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


def test_s3_with_the_right_key_reads_the_object(stack: Stack, stored_object: tuple[str, str]):
    bucket, key = stored_object
    assert stack.s3_client().get_object(bucket, key).read() == SECRET_TEXT


@pytest.mark.hostile(row="storage")
def test_s3_refuses_anonymous_requests(stack: Stack, stored_object: tuple[str, str]):
    bucket, key = stored_object
    assert _status(f"http://{stack.settings.s3_endpoint}/{bucket}/{key}") == 403
    anonymous = Minio(stack.settings.s3_endpoint, secure=False, region=stack.settings.s3_region)
    with pytest.raises(S3Error) as refused:
        anonymous.get_object(bucket, key)
    assert refused.value.code == "AccessDenied"


@pytest.mark.hostile(row="storage")
def test_s3_refuses_a_wrong_secret(stack: Stack, stored_object: tuple[str, str]):
    bucket, key = stored_object
    settings = stack.settings
    wrong = Minio(
        settings.s3_endpoint,
        access_key=settings.s3_access_key,
        secret_key=settings.s3_secret_key + "x",
        secure=False,
        region=settings.s3_region,
    )
    with pytest.raises(S3Error) as refused:
        wrong.get_object(bucket, key)
    assert refused.value.code == "SignatureDoesNotMatch"
    unknown = Minio(
        settings.s3_endpoint,
        access_key="tidakdikenal",
        secret_key=settings.s3_secret_key,
        secure=False,
        region=settings.s3_region,
    )
    with pytest.raises(S3Error):
        unknown.list_buckets()


@pytest.mark.hostile(row="storage")
def test_filer_and_volume_ports_refuse_anonymous_reads(
    stack: Stack, stored_object: tuple[str, str]
):
    bucket, key = stored_object
    filer = stack.seaweed.filer_url
    assert _status(f"{filer}/buckets/{bucket}/{key}") == 401
    assert _status(f"{filer}/buckets/{bucket}/") == 401
    # With the filer's read key we can learn where the bytes live on the volume server
    # (a versioned bucket keeps each version under "<key>.versions/")...
    request = urllib.request.Request(
        f"{filer}/buckets/{bucket}/{key}.versions/",
        headers={
            "Authorization": "Bearer " + _jwt(stack.seaweed.secrets.jwt_filer_read),
            "Accept": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        listing = json.loads(response.read())
    file_ids = [c["file_id"] for e in listing.get("Entries") or [] for c in e.get("chunks", [])]
    assert file_ids, f"object stored without volume chunks: {listing}"
    assert _status(f"{filer}/buckets/{bucket}/{key}.versions/") == 401
    # ...and the volume server still refuses to hand them to an anonymous reader.
    for file_id in file_ids:
        assert _status(f"{stack.seaweed.volume_url}/{file_id}") == 401


def test_buckets_exist_with_versioning(stack: Stack):
    client = stack.s3_client()
    for bucket in (stack.settings.s3_bucket_documents, stack.settings.s3_bucket_uploads):
        assert client.bucket_exists(bucket)
        assert client.get_bucket_versioning(bucket).status == "Enabled"
