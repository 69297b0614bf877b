"""S3 access for documents and uploads, through the minio SDK only."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from minio import Minio
from minio.commonconfig import COMPLIANCE, ENABLED
from minio.error import S3Error
from minio.objectlockconfig import DAYS, ObjectLockConfig
from minio.versioningconfig import VersioningConfig

log = logging.getLogger(__name__)


def make_client(
    endpoint: str, access_key: str, secret_key: str, *, secure: bool, region: str
) -> Minio:
    return Minio(
        endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region
    )


def ensure_buckets(
    client: Minio, buckets: list[str], *, locked: Mapping[str, int] | None = None
) -> None:
    """Create the buckets if missing and turn versioning on (issued letters keep history).

    ``locked`` maps buckets (created too if not in ``buckets``) to a number of days: each gets
    S3 object lock with a default COMPLIANCE retention of that many days, so a version written
    there without a retention of its own can be neither deleted nor changed for that long,
    not even by the S3 admin. COMPLIANCE because SeaweedFS 4.48 enforces it: GOVERNANCE gives
    way to any caller that sends ``x-amz-bypass-governance-retention``. A writer that asks for
    its own retention (shorter, or GOVERNANCE) gets it: only Alur's code writes there. A
    bucket that exists without object lock gets it (S3 allows that once versioning is on);
    versions written before then stay unprotected. A store that refuses object lock raises:
    there is no fallback to versioning alone.
    """
    lock_days = dict(locked or {})
    for bucket, count in lock_days.items():
        if count < 1:
            raise ValueError(f"retention of bucket {bucket} must be at least 1 day, not {count}")
    for bucket in dict.fromkeys([*buckets, *lock_days]):
        days = lock_days.get(bucket)
        if not client.bucket_exists(bucket):
            client.make_bucket(bucket, object_lock=days is not None)
        if client.get_bucket_versioning(bucket).status != ENABLED:
            client.set_bucket_versioning(bucket, VersioningConfig(ENABLED))
        if days is not None:
            _ensure_object_lock(client, bucket, days)


def _ensure_object_lock(client: Minio, bucket: str, days: int) -> None:
    wanted = ObjectLockConfig(COMPLIANCE, days, DAYS)
    try:
        current = client.get_object_lock_config(bucket)
    except S3Error as exc:
        if exc.code != "ObjectLockConfigurationNotFoundError":
            raise
        log.warning(
            "bucket %s had no object lock: turning it on now; versions written before stay"
            " unprotected",
            bucket,
        )
    else:
        if current == wanted:
            return
    client.set_object_lock_config(bucket, wanted)


def is_reachable(client: Minio) -> bool:
    """True when S3 answers an authenticated request."""
    client.list_buckets()
    return True
