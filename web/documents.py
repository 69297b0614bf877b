"""Downloading case documents: staff who may see the case's tasks, applicants their letters."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, g

from storage import access, documents
from storage.models import CaseDocument
from web import extensions, public, tasks

bp = Blueprint("documents", __name__)


@bp.get("/dokumen/<int:doc_id>")
def download(doc_id: int) -> Response:
    """The document's bytes, checked against the SHA-256 recorded when it was stored."""
    with current_app.extensions["alur.db"]() as db:
        doc = db.get(CaseDocument, doc_id)
        if doc is None:
            abort(404)
        staff = tasks.viewer() if g.get("user") is not None else None
        if not access.may_download(
            db,
            doc,
            staff=staff,
            applicant_cases=public.readable_cases(),
            routed_services=extensions.routed_services(),
        ):
            abort(403)
        db.expunge(doc)
    data = documents.read_document(current_app.extensions["alur.s3"], doc)
    response = Response(data, mimetype=doc.content_type)
    response.headers["Content-Disposition"] = _disposition(doc.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
