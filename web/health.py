"""``/kesehatan``: is every server Alur needs reachable? (For operators and load balancers.)"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app
from sqlalchemy import text

from alur import engine

bp = Blueprint("health", __name__)


def _database() -> None:
    with current_app.extensions["alur.db"]() as session:
        session.execute(text("SELECT 1"))


def _s3() -> None:
    settings = current_app.extensions["alur.settings"]
    client = current_app.extensions["alur.s3"]
    buckets = (settings.s3_bucket_documents, settings.s3_bucket_uploads, settings.s3_bucket_letters)
    for bucket in buckets:
        if not client.bucket_exists(bucket):
            raise RuntimeError(f"bucket {bucket} missing")


def _zeebe() -> None:
    settings = current_app.extensions["alur.settings"]
    engine.rest_topology(settings.zeebe_rest_url, timeout=3)


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "s3": _s3, "zeebe": _zeebe}


@bp.get("/kesehatan")
def health() -> tuple[dict[str, object], int]:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - report, never crash the probe
            results[name] = f"gagal: {type(exc).__name__}"
    ok = all(v == "ok" for v in results.values())
    return {"status": "ok" if ok else "gagal", "layanan": results}, 200 if ok else 503
