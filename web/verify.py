"""The public verification page: is this letter authentic? (``/verifikasi``, issue 25).

Anyone holding a letter types its verification code or scans its QR code (which opens
``/verifikasi/<code>``), or uploads the PDF; :mod:`alur.verification` says what it is. Failed
attempts (an unknown code, a file that is not an authentic letter) are throttled per address
like wrong tracking PINs, and an upload is read up to the upload limit only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Blueprint, current_app, render_template, request
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from alur import verification
from storage import letter_signatures, throttle
from storage.models import utcnow
from web import devices, extensions

bp = Blueprint("verify", __name__)
log = logging.getLogger("alur.web.verify")

TOO_MANY = (
    "Terlalu banyak pemeriksaan yang tidak berhasil dari jaringan Anda. Coba lagi dalam {wait}."
)
NOTHING_GIVEN = "Ketik kode verifikasi atau pilih berkas PDF surat."
TOO_LARGE = "Berkas terlalu besar: maksimal {size}."
EMPTY = "Berkas kosong."
UNAVAILABLE = (
    "Pemeriksaan berkas sedang tidak dapat dilakukan."
    " Coba lagi nanti, atau ketik kode verifikasinya."
)
#: Failed checks allowed from one address (15 minutes, and a day).
PER_ADDRESS = throttle.PER_ADDRESS
PER_ADDRESS_DAY = throttle.Limit(200, throttle.HORIZON)

_roots_lock = threading.Lock()
_ROOTS = "alur.trust_roots"


def trust_roots() -> list[bytes] | None:
    """The certificates a letter's signature must chain to: the signing backend's, asked
    once per app (the first upload) and kept; None (logged) when the backend cannot say."""
    app = current_app
    roots: list[bytes] | None = app.extensions.get(_ROOTS)
    if roots is None:
        from alur import signing  # pyHanko loads on the first upload, not with the app

        with _roots_lock:
            roots = app.extensions.get(_ROOTS)
            if roots is None:
                try:
                    backend = signing.backend(app.extensions["alur.settings"])
                    roots = list(backend.trust_roots())
                except signing.SigningError:
                    log.exception("the signing backend has no trust roots")
                    return None
                app.extensions[_ROOTS] = roots
    return roots


@bp.get("/verifikasi")
def form() -> str:
    """Type the code, or upload the PDF."""
    return _page(code="", status=200)[0]


@bp.get("/verifikasi/<code>")
def by_code(code: str) -> tuple[str, int]:
    """What the QR code on a letter opens: the letter issued under ``code``."""
    return _check_code(code)


@bp.post("/verifikasi")
def check() -> tuple[str, int]:
    """A typed code, or an uploaded PDF (the file wins when both are given)."""
    upload = request.files.get("berkas")
    if upload is not None and upload.filename:
        return _check_file(upload)
    code = request.form.get("kode", "").strip()
    if code:
        return _check_code(code)
    return _page(code="", error=NOTHING_GIVEN, status=400)


def _check_code(code: str) -> tuple[str, int]:
    typed = code[:64]
    shown = letter_signatures.normalise_code(typed) or typed
    result = _throttled(lambda db: verification.by_code(db, shown))
    if isinstance(result, throttle.Refused):
        return _refused(result, code=shown)
    return _page(code=shown, outcome=result, via="kode", status=200 if result.found else 404)


def _check_file(upload: FileStorage) -> tuple[str, int]:
    limit = current_app.extensions["alur.settings"].upload_max_bytes
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        return _page(code="", error=TOO_LARGE.format(size=_size(limit)), status=413)
    if not data:
        return _page(code="", error=EMPTY, status=400)
    roots = trust_roots()
    if roots is None:
        return _page(code="", error=UNAVAILABLE, status=503)
    result = _throttled(lambda db: verification.by_file(db, data, roots))
    if isinstance(result, throttle.Refused):
        return _refused(result, code="")
    status = 404 if result.verdict == verification.UNKNOWN else 200
    return _page(code="", outcome=result, via="berkas", status=status)


def _throttled(
    run: Callable[[Session], verification.Outcome],
) -> verification.Outcome | throttle.Refused:
    """``run`` unless this address failed too often lately; an outcome that is not ``found``
    counts as a failure (someone trying codes, or files, at random)."""
    address = request.remote_addr or ""
    bucket = f"verifikasi:ip:{address}"
    buckets = [(bucket, PER_ADDRESS), (bucket, PER_ADDRESS_DAY)]
    failed: list[verification.Outcome] = []
    with extensions.db() as db:

        def guess() -> verification.Outcome | None:
            outcome = run(db)
            if outcome.found:
                return outcome
            failed.append(outcome)
            return None

        result = throttle.attempt(db, buckets, utcnow(), guess)
    return failed[0] if result is None else result


def _refused(refused: throttle.Refused, *, code: str) -> tuple[str, int]:
    error = TOO_MANY.format(wait=devices.wait_words(refused.wait))
    return _page(code=code, error=error, status=429)


def _page(
    *,
    code: str,
    status: int,
    outcome: verification.Outcome | None = None,
    via: str = "",
    error: str | None = None,
) -> tuple[str, int]:
    """The page: the result of a check of a code or a file (``via``) if any, and the forms."""
    limit = current_app.extensions["alur.settings"].upload_max_bytes
    html = render_template(
        "public/verify.html",
        code=code,
        outcome=outcome,
        via=via,
        error=error,
        max_size=_size(limit),
    )
    return html, status


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} MB"
    return f"{max(1, limit // 1024)} KB"
