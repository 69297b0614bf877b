"""Adding the documents an incomplete file lacks (``alur.completion``): the applicant on the
tracking page, or the front office for an applicant who brings them to the counter.

The applicant's form is on the tracking page (``web.public.case_page``) and posts to
``/lacak/<code>/lengkapi``, which only a browser that opened the case with its code and PIN
may use. Staff who register cases of the case's service (its ``registrars`` roles) in the
case's unit or a unit above it list the files waiting at ``/tugas/lengkapi`` and add the
documents at ``/tugas/lengkapi/<code>``. Both go through the same checks as the intake's
files; the answer is stored once, then handed to the waiting process. A request that asks for
a written reply (``asks_reply``) takes it in the text area ``tanggapan`` (required; the files
optional), on both pages. Nothing is taken once the case is closed.
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
from storage.models import Case, DocumentRequest
from web import extensions, public, tasks
from web.auth import login_required

bp = Blueprint("completion", __name__)

#: The form field of the files, of the request the page showed, and of the written reply.
FILES = "berkas"
REQUEST = "permintaan"
REPLY = "tanggapan"
STALE = (
    "Permintaan berkas yang Anda jawab sudah tidak berlaku. Periksa kembali permintaan yang"
    " ditampilkan di bawah."
)
SAVED = "Berkas tambahan untuk {code} disimpan dan diteruskan ke proses."
SAVED_REPLY = "Tanggapan pemohon untuk {code} disimpan dan diteruskan ke proses."
UNKNOWN_CODE = "Tidak ada permohonan dengan kode pelacakan itu."


def _uploads() -> list[completion.Upload]:
    return [
        completion.Upload(upload.filename or "", cast(BinaryIO, upload.stream))
        for upload in request.files.getlist(FILES)
    ]


def _publish(answer: completion.Answer) -> None:
    current_app.extensions["alur.publisher"].publish(answer)


def _answer(case_id: int, by: str, by_name: str | None) -> completion.Answered | completion.Refused:
    """The posted files (and reply) as the answer of the request the page showed, if it
    still waits."""
    with extensions.db() as db:
        asked = document_requests.open_request(db, case_id)
        case = db.get(Case, case_id)
        last = document_requests.latest(db, case_id) if asked is None else asked
    if asked is None or case is None:
        replied = last is not None and last.asks_reply
        message = completion.ALREADY_REPLIED if replied else completion.ALREADY_ANSWERED
        return completion.Refused(message, answered=True)
    if document_requests.closed(case):
        closed = completion.CLOSED_REPLY if asked.asks_reply else completion.CLOSED
        return completion.Refused(closed, answered=True)
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
        reply=request.form.get(REPLY),
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
        page = public.case_page(found.id, error=outcome.message, reply=_typed(outcome))
        return page, 409 if outcome.answered else 400
    return redirect(url_for("public.case", code=found.tracking_code), code=303)


def _typed(refused: completion.Refused) -> str | None:
    """The reply as it was typed, shown again in a form refused for something to correct."""
    return None if refused.answered else request.form.get(REPLY)


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
    error = typed = None
    status = 200
    if request.method == "POST":
        user = request_globals.user
        outcome = _answer(found.id, user.username, user.full_name)
        if isinstance(outcome, completion.Answered):
            with extensions.db() as db:
                row = db.get(DocumentRequest, outcome.request_id)
                saved = SAVED_REPLY if row is not None and row.asks_reply else SAVED
            flash(saved.format(code=found.tracking_code), "info")
            return redirect(url_for("completion.waiting"), code=303)
        error, status = outcome.message, 409 if outcome.answered else 400
        typed = _typed(outcome)
    with extensions.db() as db:
        current = db.get(Case, found.id)
        asked = document_requests.for_page(db, current) if current is not None else None
        db.expunge_all()
    page = render_template(
        "completion/staff.html",
        case=found,
        asked=asked,
        error=error,
        reply=typed,
        max_reply=document_requests.MAX_REPLY,
        max_size=public.max_upload_words(),
        service=services.by_code(extensions.catalog(), found.service_code),
        status=case_status.label(current.status if current is not None else found.status),
    )
    return page, status
