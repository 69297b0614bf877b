"""Adding the documents an incomplete file lacks (``alur.completion``): the applicant on the
tracking page, or the front office for an applicant who brings them to the counter.

The applicant's form is on the tracking page (``web.public.case_page``) and posts to
``/lacak/<code>/lengkapi``, which only a browser that opened the case with its code and PIN
may use. Staff who register cases of the case's service (its ``registrars`` roles) in the
case's unit or a unit above it list the files waiting at ``/tugas/lengkapi`` and add the
documents at ``/tugas/lengkapi/<code>``. Both go through the same checks as the intake's
files; the answer is stored once, then handed to the waiting process.
"""

from __future__ import annotations

from typing import BinaryIO, cast

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import g as request_globals
from werkzeug.wrappers import Response

from alur import completion, services
from storage import case_status, cases, document_requests, documents
from storage.models import Case
from web import extensions, public, tasks
from web.auth import login_required

bp = Blueprint("completion", __name__)

#: The form field of the files, and of the request the page showed.
FILES = "berkas"
REQUEST = "permintaan"
STALE = (
    "Permintaan berkas yang Anda jawab sudah tidak berlaku. Periksa kembali permintaan yang"
    " ditampilkan di bawah."
)
SAVED = "Berkas tambahan untuk {code} disimpan dan diteruskan ke proses."
UNKNOWN_CODE = "Tidak ada permohonan dengan kode pelacakan itu."


def _uploads() -> list[completion.Upload]:
    return [
        completion.Upload(upload.filename or "", cast(BinaryIO, upload.stream))
        for upload in request.files.getlist(FILES)
    ]


def _publish(answer: completion.Answer) -> None:
    current_app.extensions["alur.publisher"].publish(answer)


def _answer(case_id: int, by: str, by_name: str | None) -> completion.Answered | completion.Refused:
    """The posted files as the answer of the request the page showed, if it still waits."""
    with extensions.db() as db:
        asked = document_requests.open_request(db, case_id)
    if asked is None:
        return completion.Refused(completion.ALREADY_ANSWERED, answered=True)
    if request.form.get(REQUEST, "") != str(asked.id):  # a page older than the request
        return completion.Refused(STALE)
    settings = current_app.extensions["alur.settings"]
    storage = completion.Storage(
        current_app.extensions["alur.s3"],
        settings.s3_bucket_uploads,
        documents.UploadLimits(settings.upload_max_bytes),
    )
    return completion.answer(
        current_app.extensions["alur.db"],
        storage,
        request_id=asked.id,
        files=_uploads(),
        by=by,
        by_name=by_name,
        publish=_publish,
    )


@bp.post("/lacak/<code>/lengkapi")
def applicant(code: str) -> Response | tuple[str, int]:
    """The applicant adds the documents the tracking page asks for."""
    with extensions.db() as db:
        found = cases.by_code(db, code)
    if found is None or not public.may_read_case(found.id):
        return redirect(url_for("public.track", kode=code))
    outcome = _answer(found.id, completion.APPLICANT, None)
    if isinstance(outcome, completion.Refused):
        return public.case_page(found.id, error=outcome.message), 409 if outcome.answered else 400
    return redirect(url_for("public.case", code=found.tracking_code), code=303)


# --- the front office ----------------------------------------------------------------------


def _completable() -> list[str]:
    """The services whose cases the signed-in member may complete: those they register for."""
    me = tasks.viewer()
    return [s.code for s in extensions.catalog() if any(r in me.roles for r in s.registrars)]


def _may_complete(case: Case) -> bool:
    """A registrar of the case's service, in the case's unit or a unit above it."""
    me = tasks.viewer()
    return case.service_code in _completable() and (
        case.unit_code is None or case.unit_code in me.units
    )


@bp.get("/tugas/lengkapi")
@login_required
def waiting() -> str | Response:
    """The files waiting for documents that this member may complete, and a search by code."""
    code = request.args.get("kode", "").strip()
    if code:
        return redirect(url_for("completion.staff", code=cases.normalise_code(code)))
    with extensions.db() as db:
        rows = document_requests.open_for(db, _completable(), tasks.viewer().units)
        db.expunge_all()
    names = {s.code: s.name for s in extensions.catalog()}
    return render_template("completion/waiting.html", rows=rows, names=names)


@bp.route("/tugas/lengkapi/<code>", methods=["GET", "POST"])
@login_required
def staff(code: str) -> str | Response | tuple[str, int]:
    """A case's waiting file: what is missing, and the form that adds what the applicant
    brought to the counter."""
    with extensions.db() as db:
        found = cases.by_code(db, code)
        if found is None:
            abort(404, description=UNKNOWN_CODE)
        db.expunge_all()
    if not _may_complete(found):
        abort(403)
    error = None
    status = 200
    if request.method == "POST":
        user = request_globals.user
        outcome = _answer(found.id, user.username, user.full_name)
        if isinstance(outcome, completion.Answered):
            flash(SAVED.format(code=found.tracking_code), "info")
            return redirect(url_for("completion.waiting"), code=303)
        error, status = outcome.message, 409 if outcome.answered else 400
    with extensions.db() as db:
        asked = document_requests.latest(db, found.id) if found.closed_at is None else None
        db.expunge_all()
    page = render_template(
        "completion/staff.html",
        case=found,
        asked=asked,
        error=error,
        max_size=public.max_upload_words(),
        service=services.by_code(extensions.catalog(), found.service_code),
        status=case_status.label(found.status),
    )
    return page, status
