"""The public list of a service's reports (SP4N-LAPOR! publishes the reports it receives):
what was reported, to whom, how far it got and the follow-ups staff gave — never who reported
it, and never a report its author marked *Rahasia* (``alur.services.Service.confidential_key``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, render_template, request

from alur import answers, services
from storage import accounts, case_status, cases
from storage.models import Case
from web import extensions, public

bp = Blueprint("reports", __name__)

#: Reports per page.
PAGE = 20
#: Statuses whose applicant-facing label speaks to the applicant ("... tanggapan Anda"), as
#: the public reads them.
PUBLIC_LABELS = {
    case_status.WAITING_REPLY: "Sudah ditindaklanjuti",
    case_status.WAITING_DOCUMENTS: "Menunggu kelengkapan dari pelapor",
}


@dataclass(frozen=True)
class FollowUp:
    at: datetime | None
    unit: str
    text: str


@dataclass(frozen=True)
class Shown:
    """One report as the public reads it."""

    case: Case
    #: The intake's answers but who reported it and their files, as (label, text).
    report: list[tuple[str, str]]
    addressed_to: str
    status: str
    follow_ups: list[FollowUp]


@bp.get("/layanan/<code>/laporan")
def index(code: str) -> str:
    """The service's reports, newest first, a page at a time (``?halaman=``)."""
    service = services.by_code(extensions.catalog(), code)
    if service is None or service.published_answer_key is None:
        abort(404)
    page = max(1, request.args.get("halaman", 1, type=int) or 1)
    with extensions.db() as db:
        found = cases.published(db, service.code, limit=PAGE + 1, offset=(page - 1) * PAGE)
        more, found = len(found) > PAGE, found[:PAGE]
        given = cases.answers_given(db, [c.id for c in found], service.published_answer_key)
        units = {unit.code: unit.name for unit in accounts.list_units(db)}
        db.expunge_all()
    schema = public.intake_schema(service)
    fields = answers.fields_of(schema)
    private = {
        *service.identity_keys,
        *(key for key in (service.anonymous_key, service.confidential_key) if key),
        *(key for key, text in fields.items() if text.kind == "filepicker"),
        *public.CASE_KEYS,
    }
    shown = [
        Shown(
            case=case,
            # Only what the intake form asked: nothing a later step may have added.
            report=answers.answers(
                schema, {k: v for k, v in case.data.items() if k in fields}, skip=private
            ),
            addressed_to=units.get(case.unit_code or "", ""),
            status=PUBLIC_LABELS.get(case.status) or case_status.label(case.status),
            follow_ups=[
                FollowUp(
                    task.closed_at,
                    units.get(task.unit_code or "", ""),
                    str((task.result or {})[service.published_answer_key]),
                )
                for task in given.get(case.id, [])
            ],
        )
        for case in found
    ]
    return render_template(
        "public/reports.html", service=service, reports=shown, page=page, more=more
    )
