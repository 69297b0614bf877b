"""Pages for citizens and applicants: services, online intake, receipts, tracking."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from alur import (
    agencies,
    clocks,
    dates,
    faults,
    forms,
    intake,
    letter_parts,
    letters,
    milestones,
    services,
)
from storage import case_status, cases, deployments, document_requests, documents, throttle
from storage.models import Case, CaseDocument, utcnow
from web import devices, extensions, submission
from web.submission import CHECK_FIELDS

bp = Blueprint("public", __name__)
log = logging.getLogger("alur.web.public")

NOT_OPEN_YET = "Pengajuan daring untuk layanan ini belum dibuka."
TRY_AGAIN = "Permohonan belum tersimpan. Silakan kirim sekali lagi."
TOO_MANY = "Terlalu banyak percobaan yang salah. Coba lagi dalam {wait}."
CODE_GUESSED = (
    "Kode pelacakan ini terlalu sering dicoba dengan PIN yang salah. Demi keamanan, untuk"
    " sementara permohonan ini hanya dapat dibuka dari perangkat yang pernah dipakai untuk"
    " mengajukan atau melacaknya. Dari perangkat lain, coba lagi dalam {wait}."
)
NO_MATCH = "Kode pelacakan atau PIN tidak cocok. Periksa kembali tanda terima Anda."
#: Intake keys that fill the case record (see ``alur.services``).
NAME, EMAIL, SUBJECT = "applicantName", "applicantEmail", "subject"
CASE_KEYS = frozenset({NAME, EMAIL, SUBJECT})


def intake_schema(service: services.Service) -> dict[str, Any] | None:
    """The service's intake form from ``forms/``, found by its form id."""
    folder = Path(current_app.extensions["alur.settings"].forms_dir)
    return forms.schemas(folder).get(service.intake_form_id)


def open_form(db: Session, service: services.Service) -> dict[str, Any] | None:
    """The intake form when the service takes applications: form present, meeting the
    requirements checklist, and the process deployed. Otherwise None."""
    schema = intake_schema(service)
    if schema is None or not is_deployed(db, service):
        return None
    problems = services.unmet(service, forms.parse_form(schema))
    if problems:
        log.error("intake of %s stays closed: %s", service.code, "; ".join(problems))
        return None
    return schema


def is_deployed(db: Session, service: services.Service) -> bool:
    return deployments.latest(db, service.bpmn_process_id) is not None


def _service_or_404(code: str) -> services.Service:
    service = services.by_code(extensions.catalog(), code)
    if service is None:
        abort(404)
    return service


@bp.get("/")
def index() -> str:
    """The front page: what Alur offers."""
    return render_template("index.html", services=extensions.catalog())


@bp.get("/layanan", endpoint="services")
def services_page() -> str:
    """Every service with its requirements and time limit."""
    return render_template("public/services.html", services=extensions.catalog())


@bp.get("/layanan/<code>")
def service(code: str) -> str:
    """A service: its requirements checklist, time limit, and the intake form when open (with
    the agency addressed to choose when several agencies receive the service)."""
    svc = _service_or_404(code)
    with extensions.db() as db:
        schema = open_form(db, svc)
        choices = destinations(db, svc)
        related = _related(db, svc, request.args.get(RELATED, ""))
        about = services.by_code(extensions.catalog(), related.service_code) if related else None
        db.expunge_all()
    return render_template(
        "public/service.html",
        service=svc,
        related=related,
        related_service=about,
        related_field=RELATED,
        schema=schema,
        field_ids=submission.field_ids(schema) if schema else {},
        not_open=NOT_OPEN_YET,
        destinations=choices,
        destination_field=DESTINATION,
        destination_missing=DESTINATION_MISSING,
    )


#: The field naming the case a complaint is about (its tracking code), posted beside the
#: form's ``data`` to the complaints hub (``alur.services.hub``) from that case's tracking page.
RELATED = "perkara"
RELATED_UNREADABLE = (
    "Permohonan yang Anda adukan tidak dapat dibuka dari peramban ini. Buka dahulu halaman "
    "lacaknya dengan kode pelacakan dan PIN, lalu pilih tautan pengaduan di sana."
)
RELATED_ANONYMOUS = (
    "Pengaduan anonim tidak dapat dikaitkan dengan permohonan Anda, karena permohonan itu "
    "memuat nama Anda. Hapus centang Anonim, atau sampaikan pengaduan dari halaman layanan "
    "tanpa mengaitkannya dengan permohonan."
)


def _related(db: Session, svc: services.Service, code: str) -> Case | None:
    """The case ``code`` names, when ``svc`` is the complaints hub and this browser may read
    that case (its applicant opened it with the PIN); None otherwise."""
    if not svc.complaints_hub or not code.strip():
        return None
    found = cases.by_code(db, cases.normalise_code(code))
    if found is None or found.service_code == svc.code or not may_read_case(found.id):
        return None
    return found


#: The field of the agency addressed, posted beside the form's ``data`` when the service is
#: received by more than one agency's unit (``alur.services.receivers``): a unit's code.
DESTINATION = "instansi_tujuan"
DESTINATION_MISSING = "Pilih instansi tujuan permohonan Anda."
DESTINATION_UNKNOWN = (
    "Instansi tujuan ini tidak menerima permohonan layanan ini. Pilih salah satu dari daftar."
)


def destinations(db: Session, svc: services.Service) -> tuple[services.Receiver, ...]:
    """The agencies an applicant chooses from (their receiving units); none when the service
    has one receiving unit or none, whose cases go to ``svc.unit_code``."""
    found = services.receivers(db, svc)
    return found if services.chooses(found) else ()


def chosen_destination(svc: services.Service) -> tuple[services.Receiver | None, dict[str, str]]:
    """The receiving unit the posted ``instansi_tujuan`` names, or the refusal (keyed by the
    field) when the service asks for one and it is missing or not one of its units."""
    with extensions.db() as db:
        choices = destinations(db, svc)
        db.rollback()
    if not choices:
        return None, {}
    value = request.form.get(DESTINATION, "").strip()
    if not value:
        return None, {DESTINATION: DESTINATION_MISSING}
    found = next((r for r in choices if r.unit_code == value), None)
    return found, ({} if found else {DESTINATION: DESTINATION_UNKNOWN})


@bp.post("/layanan/<code>/ajukan")
def submit(code: str) -> tuple[Response, int]:
    """Receive an application: check it, store its files, issue the receipt, start the SOP."""
    svc = _service_or_404(code)
    destination, refused = chosen_destination(svc)
    asked = request.form.get(RELATED, "")
    with extensions.db() as db:
        related = _related(db, svc, asked)
        related_id = related.id if related is not None else None
        db.rollback()
    if asked.strip() and related_id is None:
        refused = {**refused, RELATED: RELATED_UNREADABLE}
    taken = accept(svc, ONLINE, refused, destination, related_id)
    if not isinstance(taken, Accepted):
        return taken
    _remember(taken.case.id)
    session["new_pin"] = {"case": taken.case.id, "pin": taken.pin}
    target = url_for("public.received", code=taken.case.tracking_code)
    return jsonify(message="Permohonan diterima.", redirect=target), 201


@dataclass(frozen=True)
class Arrival:
    """How an application came: online from its applicant, or registered by a member of staff
    on the applicant's behalf (``web.registration``) with the channel it came through."""

    channel: str
    channel_label: str
    #: The registering member's username and name (None: the applicant, online).
    registrar: str | None = None
    registrar_name: str | None = None

    def event(self) -> tuple[str, str, dict[str, Any]]:
        """The first timeline entry: its title, actor, and detail (the applicant's words)."""
        if self.registrar is None:
            return "Permohonan diterima", "pemohon", {}
        title = f"Didaftarkan oleh {self.registrar_name} (saluran: {self.channel_label})"
        words = f"Permohonan didaftarkan melalui {self.channel_label}"
        return title, self.registrar, {"untukPemohon": words, "saluran": self.channel}


ONLINE = Arrival(*services.ONLINE)


@dataclass(frozen=True)
class Accepted:
    """A case recorded and its process started (or waiting for Zeebe); the PIN to show once."""

    case: Case
    pin: str


def accept(
    svc: services.Service,
    arrival: Arrival,
    refused: Mapping[str, str] | None = None,
    destination: services.Receiver | None = None,
    related_case_id: int | None = None,
) -> Accepted | tuple[Response, int]:
    """Check an application to ``svc`` as posted (the form's ``data`` and files), store its
    files, issue the receipt, record the case and start the SOP; or the JSON answer that
    refuses it (``refused``: the caller's own errors beside the form's, which store nothing).
    ``destination``: the receiving unit chosen among several (its agency's letterhead on the
    receipt); None: the service's own unit and agency.

    The slow parts (the PIN's hash, the files' checks and S3 puts, the receipt's rendering)
    come before the one short transaction that writes the case: a database with a single
    writer (SQLite) is held only for the inserts, never across S3 or a PDF renderer.
    """
    settings = current_app.extensions["alur.settings"]
    client = current_app.extensions["alur.s3"]
    with extensions.db() as db:
        schema = open_form(db, svc)
        if schema is None:
            return jsonify(message=NOT_OPEN_YET, errors={}), 409
        form = forms.parse_form(schema)
        checked = submission.check(request, form)
        if related_case_id is not None and services.is_anonymous(svc, checked.data):
            # The case names its applicant: tying an anonymous report to it would name them.
            refused = {**(refused or {}), RELATED: RELATED_ANONYMOUS}
        if not checked.ok or refused:
            errors = {**checked.errors, **(refused or {})}
            return jsonify(message=CHECK_FIELDS, errors=errors), 400
        new = _new_case(svc, checked.data, arrival, destination, related_case_id)
        case, pin = cases.prepare(db, new)
        # As it is now: an edit shows on the next receipt.
        agency = agencies.find(db, _receipt_agency(svc, destination))
        db.rollback()  # end the read transaction: nothing below waits on the database
    uploads = submission.Uploads(
        client,
        settings.s3_bucket_uploads,
        documents.UploadLimits(settings.upload_max_bytes),
        uploaded_by=arrival.registrar or "pemohon",
    )
    files = submission.put_files(request, form, checked, uploads)
    if not files.ok:  # put_files() removed what it had stored
        return jsonify(message=CHECK_FIELDS, errors=files.errors), 400
    receipt = documents.put_generated(
        client,
        settings.s3_bucket_letters,
        data=_receipt_pdf(svc, agency, case, files, arrival),
        filename=f"tanda-terima-{case.tracking_code}.pdf",
        content_type="application/pdf",
        kind=intake.RECEIPT,
        uploaded_by="alur",
        case_id=None,
        public=True,
        retain_until=utcnow() + timedelta(days=settings.letter_retention_days),
    )
    faults.point("intake.after_files_stored")
    with extensions.db() as db:
        try:
            _record_case(db, svc, case, files, receipt, arrival)
        except cases.TrackingCodeTaken:
            documents.remove_objects(client, [*files.stored, receipt])
            return jsonify(message=TRY_AGAIN, errors={}), 503
        except BaseException:
            # Nothing was written: leave no files behind either (a retained receipt stays).
            documents.remove_objects(client, [*files.stored, receipt])
            raise
        intake.start_case(db, current_app.extensions["alur.starter"], case)
    return Accepted(case, pin)


def _record_case(
    db: Session,
    svc: services.Service,
    case: Case,
    files: submission.Submission,
    receipt: CaseDocument,
    arrival: Arrival,
) -> None:
    """The case, its files' and receipt's rows and its first event, in one transaction."""
    cases.add(db, case)
    for doc in [*files.stored, receipt]:
        doc.case_id = case.id
    db.add(receipt)
    submission.record_files(files, db)
    case.data = services.without_identity(svc, files.data) if case.anonymous else files.data
    title, actor, detail = arrival.event()
    cases.record(db, case.id, "diterima", title, actor=actor, public=True, detail=detail)
    if case.related_case_id is not None:
        said = f"Diadukan melalui {svc.name} (kode pelacakan {case.tracking_code})"
        cases.record(
            db,
            case.related_case_id,
            "pengaduan",
            said,
            actor="pemohon",
            public=True,
            detail={"untukPemohon": f"Pengaduan Anda atas permohonan ini: {said}"},
        )
    db.commit()


def _receipt_agency(svc: services.Service, destination: services.Receiver | None) -> str:
    """Whose letterhead the receipt is on: the chosen unit's agency, else the service's."""
    if destination is not None and destination.agency_code:
        return destination.agency_code
    return svc.agency


def _new_case(
    svc: services.Service,
    data: dict[str, Any],
    arrival: Arrival,
    destination: services.Receiver | None = None,
    related_case_id: int | None = None,
) -> cases.NewCase:
    anonymous = services.is_anonymous(svc, data)
    return cases.NewCase(
        service_code=svc.code,
        bpmn_process_id=svc.bpmn_process_id,
        unit_code=destination.unit_code if destination is not None else svc.unit_code,
        # An anonymous applicant's name never enters the case: staff read a placeholder.
        applicant_name=cases.ANONYMOUS_NAME
        if anonymous
        else str(data.get(NAME) or "Pemohon")[:255],
        # Kept to send the applicant's e-mails; no staff page shows it (``Case.anonymous``).
        applicant_email=str(data[EMAIL])[:255] if data.get(EMAIL) else None,
        subject=str(data.get(SUBJECT) or svc.name)[:500],
        data=services.without_identity(svc, data) if anonymous else data,
        channel=arrival.channel,
        registered_by=arrival.registrar,
        anonymous=anonymous,
        confidential=services.is_confidential(svc, data),
        related_case_id=related_case_id,
    )


def _receipt_pdf(
    svc: services.Service,
    agency: agencies.Agency | None,
    case: Case,
    submitted: submission.Submission,
    arrival: Arrival,
) -> bytes:
    """The receipt on the offering agency's letterhead (its code alone if it has no data);
    an application staff registered names its channel and the member."""
    files = {key: ", ".join(doc.filename for doc in docs) for key, docs in submitted.files.items()}
    checklist = [
        (req.label, files.get(req.field_key) if req.field_key else "terpenuhi dalam formulir")
        for req in svc.requirements
    ]
    return letters.render_receipt(
        letters.Receipt(
            tracking_code=case.tracking_code,
            service_name=svc.name,
            applicant_name=case.applicant_name,
            # Staff may open the receipt: an anonymous applicant's address is not on it.
            applicant_email=None if case.anonymous else case.applicant_email,
            submitted_at=case.created_at,
            subject=case.subject,
            requirements=checklist,
            tracking_url=tracking_url(),
            letterhead=agency.letterhead if agency else letter_parts.Letterhead(name=svc.agency),
            place=agency.place if agency else svc.place,
            timezone=agency.timezone if agency else dates.DEFAULT_TZ,
            channel=arrival.channel_label if arrival.registrar else None,
            registered_by=arrival.registrar_name,
        )
    )


def tracking_url() -> str:
    """The tracking page's public address, as receipts print it."""
    base = current_app.extensions["alur.settings"].public_base_url.rstrip("/")
    return f"{base}{url_for('public.track')}"


#: Browsers that submitted a case or gave its PIN (see ``track``).
TRACKING_DEVICES = devices.DeviceCookie(name="alur_perangkat", path="/lacak", purpose="lacak")


def _remember(case_id: int) -> None:
    """This browser proved it may see the case (it submitted it, or gave code and PIN): the
    session may read it, and the browser stays trusted for its code (a device cookie)."""
    allowed = [i for i in session.get("cases", []) if i != case_id][-19:]
    session["cases"] = [*allowed, case_id]
    TRACKING_DEVICES.trust(str(case_id))


def readable_cases() -> frozenset[int]:
    """The cases this browser proved it may see (``_remember``)."""
    return frozenset(session.get("cases", []))


def may_read_case(case_id: int | None) -> bool:
    return case_id is not None and case_id in readable_cases()


@bp.get("/lacak/<code>/diterima")
def received(code: str) -> str | Response:
    """Right after submission: the tracking code, the PIN (shown once) and the receipt."""
    with extensions.db() as db:
        case = cases.by_code(db, code)
        if case is None or not may_read_case(case.id):
            return redirect(url_for("public.track"))
        receipt = [d for d in documents.documents_of_case(db, case.id) if d.kind == intake.RECEIPT]
        db.expunge_all()
    shown = session.pop("new_pin", None)
    pin = shown["pin"] if shown and shown.get("case") == case.id else None
    return render_template(
        "public/received.html",
        case=case,
        pin=pin,
        receipt=receipt,
        waiting=case.status == case_status.WAITING,
    )


@bp.route("/lacak", methods=["GET", "POST"])
def track() -> str | Response | tuple[str, int]:
    """Tracking code + PIN open a case; a wrong pair reveals nothing.

    Wrong PINs are throttled (``_guesses``) so that guessing stays slow and a stranger who
    knows the code cannot keep its applicant out: a browser trusted for the code never waits
    because of anyone else's failures.
    """
    code = request.values.get("kode", "")
    if request.method == "POST":
        pin = request.form.get("pin", "")
        with extensions.db() as db:
            guesses = _guesses(code, request.remote_addr or "", _trusted_device(db, code))
            case = throttle.attempt(
                db, guesses, utcnow(), lambda: cases.open_with_pin(db, code, pin)
            )
        if isinstance(case, throttle.Refused):
            error = _refusal(case)
            return render_template("public/track.html", code=code, error=error), 429
        if case is not None:
            _remember(case.id)
            return redirect(url_for("public.case", code=case.tracking_code))
        return render_template("public/track.html", code=code, error=NO_MATCH), 404
    return render_template("public/track.html", code=code, error=None)


def _trusted_device(db: Session, code: str) -> str | None:
    """The id of this browser's device cookie if it is trusted for the case of ``code``."""
    if not request.cookies.get(TRACKING_DEVICES.name):
        return None
    found = cases.by_code(db, code)
    return None if found is None else TRACKING_DEVICES.trusted(str(found.id))


def _guesses(code: str, address: str, device: str | None) -> throttle.Buckets:
    """Where a PIN attempt counts. A trusted browser: in its own bucket only, which no one
    else's failures fill (not even those of its address, which a carrier's NAT may share with
    a stranger). Anyone else: per code and address (someone mistyping), per address (one place
    trying many codes) and per code from all addresses together (a botnet), which bounds the
    guesses at a code's PIN to ``PER_CODE_DAY`` a day."""
    if device is not None:
        bucket = f"lacak:perangkat:{device}"
        return [(bucket, throttle.PER_DEVICE), (bucket, throttle.PER_DEVICE_DAY)]
    code = cases.normalise_code(code)
    return [
        (f"lacak:kode-ip:{code}:{address}", throttle.PER_TARGET),
        (f"lacak:ip:{address}", throttle.PER_ADDRESS),
        (f"lacak:kode:{code}", throttle.PER_CODE_DAY),
    ]


def _refusal(refused: throttle.Refused) -> str:
    wait = devices.wait_words(refused.wait)
    if refused.bucket.startswith("lacak:kode:"):
        return CODE_GUESSED.format(wait=wait)
    return TOO_MANY.format(wait=wait)


@bp.get("/lacak/<code>")
def case(code: str) -> str | Response:
    """Status, public timeline and the letters of a case this browser may see; what is
    missing, with a form to add it, while its file waits to be completed."""
    with extensions.db() as db:
        found = cases.by_code(db, code)
        if found is None or not may_read_case(found.id):
            return redirect(url_for("public.track", kode=code))
    return case_page(found.id)


def case_page(case_id: int, *, error: str | None = None, reply: str | None = None) -> str:
    """The tracking page of a case (``error``: why the documents just sent were refused;
    ``reply``: the written reply they came with, shown again to be corrected)."""
    with extensions.db() as db:
        found = db.get(Case, case_id)
        if found is None:
            abort(404)
        everything = cases.timeline(db, found.id)
        events = [e for e in everything if e.public]
        progress = milestones.milestones(found.created_at, everything)
        docs = documents.documents_of_case(db, found.id, public_only=True)
        svc = services.by_code(extensions.catalog(), found.service_code)
        asked = document_requests.for_page(db, found)
        hub = services.hub(extensions.catalog())
        calendar_file = current_app.extensions["alur.settings"].calendar_file
        case_clocks = clocks.of_case(db, calendar_file, found.id, utcnow())
        db.expunge_all()
    return render_template(
        "public/case.html",
        case=found,
        events=events,
        progress=progress,
        docs=docs,
        service=svc,
        status=case_status.label(found.status),
        asked=asked,
        clocks=case_clocks,
        completion_error=error,
        reply=reply,
        max_reply=document_requests.MAX_REPLY,
        max_size=max_upload_words(),
        hub=hub if hub is not None and svc is not None and hub.code != svc.code else None,
        related_field=RELATED,
    )


def max_upload_words() -> str:
    """The largest file an upload takes, as people read it ("10 MB", "256 KB")."""
    limit: int = current_app.extensions["alur.settings"].upload_max_bytes
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} MB"
    return f"{max(1, limit // 1024)} KB"
