"""Staff register a case on an applicant's behalf: an application that came by letter, e-mail,
telephone or in person goes through the service's own intake form, with the channel it came
through, and the member hands the tracking code and PIN over.

Who may: members holding one of the service's ``registrars`` roles, in its receiving unit or a
unit above it (``alur.services.may_register``). A service several agencies' units receive
(``alur.services.receivers``) is registered into the receiving unit of the member's own unit
chain (their unit or the nearest above it that receives it); a member in none may not. The
case is recorded, its receipt issued and its process started exactly as for an online
application (``web.public.accept``); it records the channel (``saluran`` in the process) and
the member who registered it.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, render_template, request, session, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from alur import intake, services
from storage import accounts, case_status, cases, documents
from web import extensions, public, submission, tasks
from web.auth import login_required

bp = Blueprint("registration", __name__, url_prefix="/tugas/daftarkan")

#: The field of the channel, posted beside the form's ``data``.
CHANNEL = "saluran"
CHANNEL_MISSING = "Pilih saluran tempat permohonan ini diterima."
CHANNEL_UNKNOWN = "Saluran ini tidak tersedia untuk layanan ini. Pilih salah satu dari daftar."
NOT_OPEN = "Formulir permohonan layanan ini belum tersedia, sehingga belum dapat didaftarkan."
#: The session's key for the PIN of the case just registered (shown once).
NEW_PIN = "registered_pin"


def registrable() -> list[services.Service]:
    """The services the signed-in member may register cases for."""
    with extensions.db() as db:
        return [s for s in extensions.catalog() if _destination(db, s)[0]]


def _destination(db: Session, service: services.Service) -> tuple[bool, services.Receiver | None]:
    """Whether the signed-in member may register cases of ``service``, and where they go:
    the receiving unit of the member's unit chain when several units receive it, None when
    the service's own unit does."""
    me = tasks.viewer()
    receiving = [unit.code for unit in accounts.receiving_units(db, service.code)]
    chain = accounts.unit_chain(db, me.unit_code) if len(receiving) > 1 else []
    if not services.may_register(service, me.roles, me.units, receiving, chain):
        return False, None
    unit = services.registrar_unit(service, receiving, chain) if chain else None
    found = services.receivers(db, service) if unit else ()
    return True, next((r for r in found if r.unit_code == unit), None)


@bp.app_context_processor
def navigation() -> dict[str, bool]:
    """Whether the staff menu offers registration: the member holds a registrar role of some
    service (roles only: no query on every page)."""
    user = g.get("user")
    held = user.role_codes if user is not None else set()
    return {
        "offers_registration": any(
            role in held for service in extensions.catalog() for role in service.registrars
        )
    }


def _registrable_or_abort(service_code: str) -> tuple[services.Service, services.Receiver | None]:
    """The service and where the member's registrations of it go (None: its own unit)."""
    service = services.by_code(extensions.catalog(), service_code)
    if service is None:
        abort(404)
    with extensions.db() as db:
        allowed, destination = _destination(db, service)
    if not allowed:
        abort(403)
    return service, destination


@bp.get("")
@login_required
def index() -> str:
    """The services this member registers applications for."""
    return render_template("registration/index.html", services=registrable())


@bp.get("/<service_code>")
@login_required
def form(service_code: str) -> str:
    """The service's intake form, with the channel the application came through."""
    service, destination = _registrable_or_abort(service_code)
    with extensions.db() as db:
        schema = public.open_form(db, service)
    return render_template(
        "registration/form.html",
        service=service,
        destination=destination,
        schema=schema,
        field_ids=submission.field_ids(schema) if schema else {},
        channel_field=CHANNEL,
        channel_missing=CHANNEL_MISSING,
        not_open=NOT_OPEN,
    )


@bp.post("/<service_code>")
@login_required
def submit(service_code: str) -> tuple[Response, int]:
    """Register the application: checked as the online intake checks it, and the channel."""
    service, destination = _registrable_or_abort(service_code)
    channel = request.form.get(CHANNEL, "").strip()
    labels = dict(service.channels)
    refused = {}
    if not channel:
        refused[CHANNEL] = CHANNEL_MISSING
    elif channel not in labels:
        refused[CHANNEL] = CHANNEL_UNKNOWN
    arrival = public.Arrival(
        channel=channel,
        channel_label=labels.get(channel, channel),
        registrar=g.user.username,
        registrar_name=g.user.full_name,
    )
    taken = public.accept(service, arrival, refused, destination)
    if not isinstance(taken, public.Accepted):
        return taken
    session[NEW_PIN] = {"case": taken.case.id, "pin": taken.pin}
    target = url_for("registration.handover", code=taken.case.tracking_code)
    return jsonify(message="Permohonan terdaftar.", redirect=target), 201


@bp.get("/serah-terima/<code>")
@login_required
def handover(code: str) -> str:
    """What the member hands the applicant: tracking code, PIN (shown once) and receipt."""
    with extensions.db() as db:
        case = cases.by_code(db, code)
        if case is None:
            abort(404)
        if case.registered_by != g.user.username:
            abort(403)
        receipt = [d for d in documents.documents_of_case(db, case.id) if d.kind == intake.RECEIPT]
        db.expunge_all()
    shown = session.pop(NEW_PIN, None)
    pin = shown["pin"] if shown and shown.get("case") == case.id else None
    service = services.by_code(extensions.catalog(), case.service_code)
    return render_template(
        "registration/handover.html",
        case=case,
        pin=pin,
        receipt=receipt,
        service=service,
        channel=services.channel_label(service, case.channel),
        waiting=case.status == case_status.WAITING,
        tracking_url=public.tracking_url(),
    )
