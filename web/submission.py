"""A submitted Camunda Form: its JSON data checked on the server, its files stored in S3.

The browser (form-js, see ``static/alur-form.js``) posts ``data`` as JSON and each file
picker's files under the picker's reference (``files::<id>``). The server trusts neither:
the data is validated against the same form schema, each file against the upload limits.
If anything fails, the files stored so far are removed again and nothing is recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, BinaryIO, cast

from flask import Request
from minio import Minio
from sqlalchemy.orm import Session

from alur import forms
from storage import documents
from storage.models import CaseDocument

NO_FILE = "Unggah berkas untuk isian ini."
CHECK_FIELDS = "Periksa kembali isian yang ditandai."


@dataclass
class Submission:
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    stored: list[CaseDocument] = field(default_factory=list)
    #: Each file picker's documents, whose ids :func:`record_files` writes into ``data``.
    files: dict[str, list[CaseDocument]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Uploads:
    """Where files go and who is storing them."""

    client: Minio
    bucket: str
    limits: documents.UploadLimits
    uploaded_by: str
    case_id: int | None = None
    human_task_id: int | None = None


def read(
    request: Request,
    form: forms.Form,
    session: Session,
    uploads: Uploads,
    *,
    variables: dict[str, Any] | None = None,
) -> Submission:
    """Validate the posted data, then store its files. Rows are flushed, not committed."""
    checked = check(request, form, variables=variables)
    if not checked.ok:
        return Submission(data=checked.data, errors=dict(checked.errors))
    return store_files(request, form, checked, session, uploads)


def check(
    request: Request, form: forms.Form, *, variables: dict[str, Any] | None = None
) -> forms.Result:
    """The posted ``data`` (JSON) validated against ``form``; files are not touched yet."""
    try:
        raw = json.loads(request.form.get("data", ""))
    except json.JSONDecodeError:
        raw = None
    return forms.validate(form, raw, variables=variables)


def store_files(
    request: Request,
    form: forms.Form,
    checked: forms.Result,
    session: Session,
    uploads: Uploads,
) -> Submission:
    """:func:`put_files`, then :func:`record_files` (rows flushed, not committed)."""
    result = put_files(request, form, checked, uploads)
    if result.ok:
        try:
            record_files(result, session)
        except BaseException:
            documents.remove_objects(uploads.client, result.stored)
            raise
    return result


def put_files(
    request: Request, form: forms.Form, checked: forms.Result, uploads: Uploads
) -> Submission:
    """Check and put in S3 the files of data that passed ``check``, touching no database.
    On a refused file, what was stored is removed again."""
    result = Submission(data=dict(checked.data))
    for component in form.components:
        value = result.data.get(component.key)
        if component.type != "filepicker" or not isinstance(value, str):
            continue
        files = [f for f in request.files.getlist(value) if f.filename]
        if not files:
            result.errors[component.key] = NO_FILE
            continue
        if len(files) > 1 and not component.multiple:
            result.errors[component.key] = forms.ONE_FILE
            continue
        result.files[component.key] = []
        for upload in files:
            try:
                doc = documents.put_upload(
                    uploads.client,
                    uploads.bucket,
                    stream=cast(BinaryIO, upload.stream),
                    filename=upload.filename or "",
                    limits=uploads.limits,
                    uploaded_by=uploads.uploaded_by,
                    case_id=uploads.case_id,
                    human_task_id=uploads.human_task_id,
                    field_key=component.key,
                )
            except documents.UploadRejected as rejected:
                result.errors[component.key] = rejected.message
                break
            result.stored.append(doc)
            result.files[component.key].append(doc)
    if not result.ok:
        documents.remove_objects(uploads.client, result.stored)
        result.stored.clear()
    return result


def record_files(result: Submission, session: Session) -> None:
    """Add the rows of the files :func:`put_files` stored (flushed) and put their document
    ids in the data, in place of the pickers' references. If this raises, the caller removes
    the objects (``documents.remove_objects``)."""
    session.add_all(result.stored)
    session.flush()
    for key, docs in result.files.items():
        result.data[key] = [str(doc.id) for doc in docs]


def discard(result: Submission, session: Session, client: Minio) -> None:
    """Undo the uploads of a submission that will not be recorded."""
    documents.remove_objects(client, result.stored)
    session.rollback()
    result.stored.clear()


def field_ids(schema: dict[str, Any]) -> dict[str, str]:
    """Form key -> component id, so the browser can show an error beside its field."""
    found: dict[str, str] = {}

    def walk(components: list[Any]) -> None:
        for component in components:
            if not isinstance(component, dict):
                continue
            if component.get("key") and component.get("id"):
                found[str(component["key"])] = str(component["id"])
            walk(component.get("components") or [])

    walk(schema.get("components") or [])
    return found
