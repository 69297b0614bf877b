"""Staff: the inbox, the task page with its case context and form, claiming and completing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    Response as FlaskResponse,
)
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from alur import (
    answers,
    clocks,
    diagrams,
    forms,
    letter_content,
    letter_kinds,
    letters,
    progress,
    review_chain,
    roles,
    services,
)
from alur.usertasks import Completer, Outcome
from storage import accounts, case_status, cases, deployments, documents, inbox
from storage.models import Case, HumanTask, utcnow
from web import extensions, people, public, submission
from web.auth import login_required
from web.submission import CHECK_FIELDS

bp = Blueprint("tasks", __name__, url_prefix="/tugas")


@dataclass(frozen=True)
class Decision:
    """An earlier task of the same case and its answers, as (label, text)."""

    task: HumanTask
    answers: list[tuple[str, str]]


FORM_MISSING = "Formulir tugas ini tidak ditemukan. Hubungi pemilik proses."
NOT_YOURS = "Klaim tugas ini terlebih dahulu sebelum menyelesaikannya."
NOT_OPEN = "Tugas ini sudah diselesaikan atau dibatalkan."
#: Deeper pages are not offered: past this, narrow the list with the filters.
MAX_PAGE = 200


def viewer() -> inbox.Viewer:
    """The signed-in member as the inbox sees them (computed once per request)."""
    if "viewer" not in g:
        user = g.user
        held = frozenset(user.role_codes)
        with extensions.db() as db:
            units = accounts.unit_scope(db, user.unit_code)
        g.viewer = inbox.Viewer(user.username, user.unit_code, held, roles.supervised(held), units)
    return g.viewer


def _task_or_abort(db: Session, task_id: int, me: inbox.Viewer) -> HumanTask:
    task = db.get(HumanTask, task_id)
    if task is None:
        abort(404)
    if not inbox.may_see(task, me):
        abort(403)
    if task.case_id is not None and not _still_routed_to(db, task.case_id, me):
        abort(403)
    return task


def _still_routed_to(db: Session, case_id: int, me: inbox.Viewer) -> bool:
    """A case of a routed service (SP4N-LAPOR!) opens only for the units it is routed to now:
    a unit that disposed it away or returned it sees its own earlier task no more."""
    case = db.get(Case, case_id)
    if case is None or case.service_code not in extensions.routed_services():
        return True
    return inbox.routed_to(db, case_id, me)


def form_schema(db: Session, task: HumanTask) -> dict[str, Any] | None:
    """The deployed form linked to the task (its key is the deployed form's key)."""
    if not task.form_key or not task.form_key.isdigit():
        return None
    text = deployments.content_of(db, "form", int(task.form_key))
    return json.loads(text) if text else None


@bp.get("")
@login_required
def index() -> str:
    """The inbox: my tasks, my roles' tasks, my team's, what I finished."""
    me = viewer()
    try:
        view = inbox.View(request.args.get("tampilan", ""))
    except ValueError:
        view = None  # opened without a tab: the first that holds work
    process_id = request.args.get("sop") or None
    code = request.args.get("kode", "").strip()
    sort = request.args.get("urut", "tenggat")
    page = request.args.get("halaman", 1, type=int) or 1
    page = min(max(page, 1), MAX_PAGE)
    with extensions.db() as db:
        counts = inbox.counts(db, me)
        if view is None:
            view = first_with_work(counts)
        stmt = inbox.query(
            me,
            view,
            process_id=process_id,
            tracking_code=cases.normalise_code(code) if code else None,
            sort=sort,
            limit=inbox.PAGE_SIZE + 1,  # one more: is there a next page?
            offset=(page - 1) * inbox.PAGE_SIZE,
        )
        rows = list(db.scalars(stmt))
        db.expunge_all()
    more = len(rows) > inbox.PAGE_SIZE
    now = utcnow()
    return render_template(
        "tasks/inbox.html",
        rows=rows[: inbox.PAGE_SIZE],
        page=page,
        more=more,
        view=view,
        views=inbox.View,
        counts=counts,
        sla=lambda task: inbox.sla_state(task, now),
        sla_labels=inbox.SLA_LABELS,
        services=extensions.catalog(),
        service_of=lambda pid: services.by_process(extensions.catalog(), pid),
        process_id=process_id or "",
        code=code,
        sort=sort,
        supervisor=bool(me.supervised),
    )


def first_with_work(counts: dict[inbox.View, int]) -> inbox.View:
    """The tab a member lands on: their own tasks, else their roles', else their team's."""
    for view in (inbox.View.MINE, inbox.View.AVAILABLE, inbox.View.TEAM):
        if counts.get(view):
            return view
    return inbox.View.MINE


@bp.get("/<int:task_id>")
@login_required
def show(task_id: int) -> str:
    """One task: the case beside the form."""
    me = viewer()
    with extensions.db() as db:
        task = _task_or_abort(db, task_id, me)
        if task.status == "open" and not _still_open(task):
            db.refresh(task)  # the process moved on without it: now cancelled
        schema = form_schema(db, task)
        case = db.get(Case, task.case_id) if task.case_id else None
        if case is not None and case.process_instance_key not in (None, task.process_instance_key):
            case = None  # a variable pointing at another instance's case: show nothing of it
        docs = documents.documents_of_case(db, case.id) if case else []
        earlier = [
            Decision(t, answers.answers(form_schema(db, t), t.result or {}))
            for t in cases.tasks_of_instance(db, task.process_instance_key)
            if t.id != task.id and t.status == "completed"
        ]
        events = cases.timeline(db, case.id) if case else []
        picture = progress.of_task(db, task, case, utcnow())
        candidates = inbox.assignable(db, task) if inbox.is_supervisor(task, me) else []
        step = review_chain.step_of(review_chain.headers_of(db, task))
        draft = review_chain.view(db, step, case.id, me.username) if step and case else None
        calendar_file = current_app.extensions["alur.settings"].calendar_file
        case_clocks = clocks.of_case(db, calendar_file, case.id, utcnow()) if case else []
        # A complaint's case (SP4N-LAPOR!): which case it is about, its service and status.
        related = db.get(Case, case.related_case_id) if case and case.related_case_id else None
        db.expunge_all()
    service = services.by_process(extensions.catalog(), task.bpmn_process_id)
    fields = case_fields(case, service, {str(d.id): d.filename for d in docs})
    people.remember(
        [task.assignee, task.completed_by]
        + [d.task.completed_by for d in earlier]
        + [e.actor for e in events]
        + [step.actor for step in (picture.steps if picture else [])]
    )
    now = utcnow()
    initial = dict(task.variables)
    action = url_for("tasks.complete", task_id=task.id)
    if draft is not None:
        action = url_for("tasks.complete", task_id=task.id, versi=draft.draft.version)
        if draft.step.stage is review_chain.Stage.DRAFT:
            initial |= letter_content.form_values(draft.draft.content)
    people.remember([review.username for _, review in draft.reviews] if draft else [])
    return render_template(
        "tasks/task.html",
        task=task,
        me=me,
        schema=schema,
        form_missing=FORM_MISSING,
        field_ids=submission.field_ids(schema) if schema else {},
        initial=initial,
        case=case,
        case_fields=fields,
        related=related,
        related_service=(
            services.by_code(extensions.catalog(), related.service_code) if related else None
        ),
        related_status=case_status.label(related.status) if related else "",
        clocks=case_clocks,
        service=service,
        docs=docs,
        earlier=earlier,
        events=events,
        candidates=candidates,
        may_complete=inbox.may_complete(task, me),
        may_claim=task.status == "open" and task.assignee is None and inbox.is_candidate(task, me),
        supervisor=inbox.is_supervisor(task, me),
        sla=inbox.sla_state(task, now),
        sla_labels=inbox.SLA_LABELS,
        status_note=inbox.status_note(task),
        kind_label=letter_kinds.document_title,
        progress=picture,
        action=action,
        draft=draft,
        stages=review_chain.Stage,
        decision_labels=review_chain.DECISION_LABELS,
    )


def _still_open(task: HumanTask) -> bool:
    """Zeebe still has the task's job (the bridge's sweep may not have reached it yet)."""
    completer: Completer = current_app.extensions["alur.completer"]
    return completer.still_open(current_app.extensions["alur.db"], task.job_key)


@bp.post("/<int:task_id>/klaim")
@login_required
def claim(task_id: int) -> Response:
    me = viewer()
    with extensions.db() as db:
        task = _task_or_abort(db, task_id, me)
        if inbox.claim(db, task.id, me):
            _note(db, task, "Tugas diklaim", me.username)
        else:
            flash("Tugas ini sudah diklaim orang lain atau tidak lagi terbuka.", "error")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<int:task_id>/lepas")
@login_required
def unclaim(task_id: int) -> Response:
    me = viewer()
    with extensions.db() as db:
        task = _task_or_abort(db, task_id, me)
        if inbox.unclaim(db, task.id, me):
            _note(db, task, "Klaim tugas dilepas", me.username)
    return redirect(url_for("tasks.index", tampilan=inbox.View.AVAILABLE.value))


@bp.post("/<int:task_id>/tugaskan")
@login_required
def assign(task_id: int) -> Response:
    me = viewer()
    target = request.form.get("username", "")
    with extensions.db() as db:
        task = _task_or_abort(db, task_id, me)
        if not inbox.is_supervisor(task, me):
            abort(403)
        if inbox.assign(db, task.id, me, target):
            name = people.name_of(target)
            _note(db, task, f"Tugas ditugaskan kepada {name}", me.username)
            flash(f"Tugas ditugaskan kepada {name}.", "info")
        else:
            flash("Petugas itu tidak dapat menerima tugas ini.", "error")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<int:task_id>/selesaikan")
@login_required
def complete(task_id: int) -> tuple[Response, int]:
    """Validate the form on the server, store its files, complete the job exactly once."""
    me = viewer()
    settings = current_app.extensions["alur.settings"]
    with extensions.db() as db:
        task = _task_or_abort(db, task_id, me)
        if task.status != "open":
            return jsonify(message=NOT_OPEN, errors={}), 409
        if not inbox.may_complete(task, me):
            return jsonify(message=NOT_YOURS, errors={}), 403
        schema = form_schema(db, task)
        if schema is None:
            return jsonify(message=FORM_MISSING, errors={}), 409
        uploads = submission.Uploads(
            current_app.extensions["alur.s3"],
            settings.s3_bucket_uploads,
            documents.UploadLimits(settings.upload_max_bytes),
            me.username,
            case_id=task.case_id,
            human_task_id=task.id,
        )
        result = submission.read(
            request, forms.parse_form(schema), db, uploads, variables=task.variables
        )
        if not result.ok:
            return jsonify(message=CHECK_FIELDS, errors=result.errors), 400
        step = review_chain.step_of(review_chain.headers_of(db, task))
        if step is not None:
            try:
                said = review_chain.apply(
                    db,
                    step,
                    task=task,
                    username=me.username,
                    full_name=g.user.full_name,
                    position=g.user.position or "",
                    data=result.data,
                    version=request.args.get("versi", type=int),
                    at=utcnow(),
                )
            except review_chain.DraftRefused as refused:
                db.rollback()
                return jsonify(message=str(refused), errors={}), 409
            if task.case_id is not None:
                cases.record(db, task.case_id, "surat", said, actor=me.username)
        db.commit()
    completer: Completer = current_app.extensions["alur.completer"]
    sessions = current_app.extensions["alur.db"]
    outcome = completer.complete(sessions, task_id, me.username, result.data)
    if outcome is Outcome.NOT_OPEN:
        return jsonify(message=NOT_OPEN, errors={}), 409
    with extensions.db() as db:
        done = db.get(HumanTask, task_id)
        assert done is not None
        _note(db, done, diagrams.step_done(done.name), me.username, public=True)
    message = (
        "Tugas selesai."
        if outcome is Outcome.COMPLETED
        else "Tugas tersimpan dan akan diteruskan ke mesin proses sesaat lagi."
    )
    flash(message, "info")
    return jsonify(message=message, redirect=url_for("tasks.index")), 200


@bp.get("/<int:task_id>/draf.pdf")
@login_required
def draft_pdf(task_id: int) -> FlaskResponse:
    """The draft of the task's chain as a PDF preview: no number, not signed."""
    return _preview(task_id, edits=None)


@bp.post("/<int:task_id>/pratinjau")
@login_required
def preview(task_id: int) -> FlaskResponse:
    """The draft with the drafting form's unsaved text, as a PDF preview."""
    try:
        edits = json.loads(request.form.get("data", "{}"))
    except ValueError:
        edits = None
    if not isinstance(edits, dict):
        abort(400)
    return _preview(task_id, edits=edits)


def _preview(task_id: int, *, edits: dict[str, Any] | None) -> FlaskResponse:
    me = viewer()
    with extensions.db() as db:
        task = _task_or_abort(db, task_id, me)
        step = review_chain.step_of(review_chain.headers_of(db, task))
        case = db.get(Case, task.case_id) if task.case_id else None
        if step is None or case is None:
            abort(404)
        draft = review_chain.view(db, step, case.id, me.username)
        if draft is None:
            abort(404)
        content = None
        if edits is not None and step.stage is review_chain.Stage.DRAFT:
            content = letter_content.edited(draft.draft.kind, draft.draft.content, edits)
        try:
            letter = review_chain.preview_letter(
                db, case, draft.draft, content=content, at=utcnow()
            )
        except (TypeError, ValueError) as error:
            return FlaskResponse(f"Isi draf belum dapat menjadi surat: {error}", 400)
    pdf = letters.render_letter(letter)
    name = f"Draf {draft.title} versi {letter.draft.version if letter.draft else ''}.pdf"
    return FlaskResponse(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"},
    )


def case_fields(
    case: Case | None, service: services.Service | None, filenames: dict[str, str]
) -> list[tuple[str, str]]:
    """The applicant's intake answers as (label, text), in the order of the intake form."""
    if case is None:
        return []
    schema = public.intake_schema(service) if service else None
    return answers.answers(schema, case.data, filenames=filenames, skip=public.CASE_KEYS)


def _note(db: Session, task: HumanTask, title: str, actor: str, *, public: bool = False) -> None:
    """Write the step to the case timeline when the task belongs to a case."""
    if task.case_id is None or db.get(Case, task.case_id) is None:
        return
    cases.record(
        db,
        task.case_id,
        "tugas",
        title,
        actor=actor,
        public=public,
        detail={"taskId": task.id, "elementId": task.element_id},
    )
    db.commit()
