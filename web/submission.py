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
    """Store the files of data that passed ``check``; their document ids replace the
    pickers' references. On a refused file, what was stored is removed again."""
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
        ids = []
        for upload in files:
            try:
                doc = documents.store_upload(
                    session,
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
            ids.append(str(doc.id))
        result.data[component.key] = ids
    if not result.ok:
        discard(result, session, uploads.client)
    return result


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
