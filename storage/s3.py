"""S3 access for documents and uploads, through the minio SDK only."""

from __future__ import annotations

from minio import Minio
from minio.commonconfig import ENABLED
from minio.versioningconfig import VersioningConfig


def make_client(
    endpoint: str, access_key: str, secret_key: str, *, secure: bool, region: str
) -> Minio:
    return Minio(
        endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region
    )


def ensure_buckets(client: Minio, buckets: list[str]) -> None:
    """Create the buckets if missing and turn versioning on (issued letters keep history)."""
    for bucket in buckets:
        if not client.bucket_exists(bucket):
            client.make_bucket(bucket)
        if client.get_bucket_versioning(bucket).status != ENABLED:
            client.set_bucket_versioning(bucket, VersioningConfig(ENABLED))


def is_reachable(client: Minio) -> bool:
    """True when S3 answers an authenticated request."""
    client.list_buckets()
    return True
