"""Agencies for ``alur.admin`` (issue 24): list, create, edit the letterhead, upload or remove
the logo, add and edit registers, and read who changed what and when.

Every rule is ``storage.agencies``'s: what it refuses (``AgencyRefused``, a Bahasa message per
field) comes back beside its field with status 400 and what was typed still in place, and
changes nothing. A saved change takes effect at the next letter, receipt or register page:
the workers and the web app read agencies at each use, so nothing restarts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from alur import dates
from storage import accounts
from storage import agencies as stored
from storage.models import Agency, AgencyChange, utcnow
from web import extensions
from web.admin import Form
from web.auth import roles_required

bp = Blueprint("admin_agencies", __name__, url_prefix="/admin/instansi")

ADMIN = accounts.ADMIN
Result = str | Response | tuple[str, int]
LETTERHEAD_FIELDS = ("name", "parent", "units", "address", "contact", "place", "timezone")
REGISTER_FIELDS = ("register_code", "title", "pattern", "kind")
#: What the history calls each field, and each action.
FIELD_LABELS = {
    "name": "Nama instansi",
    "parent": "Baris di atas nama",
    "units": "Baris di bawah nama",
    "address": "Alamat",
    "contact": "Kontak",
    "place": "Tempat penandatanganan",
    "timezone": "Zona waktu",
    "display_name": "Nama untuk pemohon",
    "logo": "Logo",
    "title": "Judul",
    "pattern": "Pola nomor",
    "kind": "Jenis register",
    "day_name": "Nama hari libur",
}
ACTIONS = {
    "agency.created": "Instansi dibuat",
    "agency.updated": "Kop surat diubah",
    "logo.set": "Logo diganti",
    "logo.removed": "Logo dihapus",
    "register.created": "Register {subject} ditambahkan",
    "register.updated": "Register {subject} diubah",
    "day_off.added": "Hari libur {subject} ditambahkan",
    "day_off.removed": "Hari libur {subject} dihapus",
}


@dataclass(frozen=True)
class Change:
    """One row of an agency's history, as the page shows it."""

    at: str
    who: str
    what: str
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)


def _blank(value: Any) -> bool:
    return value is None or value in ("", [])


def _shown(key: str, value: Any) -> str:
    if _blank(value):
        return "—"
    if key == "logo":
        return f"gambar {str(value)[:12]}…"
    if key == "kind":
        return stored.REGISTER_KINDS.get(str(value), str(value))
    if key == "timezone":
        return f"{stored.TIMEZONES.get(str(value), '')} ({value})".strip()
    if isinstance(value, list):
        return " / ".join(str(v) for v in value)
    return str(value)


def _subject(row: AgencyChange) -> str:
    if row.action.startswith("day_off.") and row.subject:
        return dates.show_date(date.fromisoformat(row.subject))
    return row.subject


def _history(db: Session, code: str) -> list[Change]:
    rows: list[AgencyChange] = stored.history(db, code)
    return [
        Change(
            at=dates.show_datetime(row.at),
            who=row.who,
            what=ACTIONS.get(row.action, row.action).format(subject=_subject(row)),
            details=[
                (
                    FIELD_LABELS.get(key, key),
                    _shown(key, diff["before"]),
                    _shown(key, diff["after"]),
                )
                for key, diff in row.changes.items()
                if not (_blank(diff["before"]) and _blank(diff["after"]))
            ],
        )
        for row in rows
    ]


def _letterhead_form(agency: Agency) -> Form:
    values = asdict(stored.letterhead_of(agency))
    values["units"] = "\n".join(values["units"])
    return Form(values=values)


def _typed_letterhead(data: MultiDict[str, str]) -> tuple[Form, stored.Letterhead]:
    form = Form(values={k: data.get(k, "").strip() for k in (*LETTERHEAD_FIELDS, "display_name")})
    form.values["units"] = data.get("units", "").strip()
    lines = tuple(line.strip() for line in form.values["units"].splitlines() if line.strip())
    fields = stored.Letterhead(
        name=form.values["name"],
        parent=form.values["parent"],
        units=lines,
        address=form.values["address"],
        contact=form.values["contact"],
        place=form.values["place"],
        timezone=form.values["timezone"],
        display_name=form.values["display_name"],
    )
    return form, fields


def _typed_register(data: MultiDict[str, str], code: str | None = None) -> tuple[Form, Any]:
    form = Form(values={k: data.get(k, "").strip() for k in REGISTER_FIELDS})
    if code is not None:
        form.values["register_code"] = code
    fields = stored.RegisterFields(
        code=form.values["register_code"],
        title=form.values["title"],
        pattern=form.values["pattern"],
        kind=form.values["kind"],
    )
    return form, fields


def _agency_or_404(db: Session, code: str) -> Agency:
    agency = stored.get(db, code)
    if agency is None:
        abort(404, description="Instansi tidak ditemukan.")
    return agency


def _who() -> str:
    return str(g.user.username)


# -- list and create -----------------------------------------------------------------------------


@bp.get("", endpoint="list")
@roles_required(ADMIN)
def agencies_list() -> str:
    with extensions.db() as db:
        every = stored.list_agencies(db)
        counts: dict[str, int] = {}
        for register in stored.registers(db):
            counts[register.agency_code] = counts.get(register.agency_code, 0) + 1
        return render_template(
            "admin/agencies.html",
            agencies=every,
            counts=counts,
            zones=stored.TIMEZONES,
            updated={a.code: dates.show_datetime(a.updated_at) for a in every},
        )


@bp.route("/baru", methods=["GET", "POST"])
@roles_required(ADMIN)
def new() -> Result:
    form = Form(values={"timezone": "Asia/Jakarta"})
    if request.method == "POST":
        form, fields = _typed_letterhead(request.form)
        code = form.values["code"] = request.form.get("code", "").strip()
        with extensions.db() as db:
            try:
                stored.create(db, code, fields, _who())
                db.commit()
            except stored.AgencyRefused as refused:
                db.rollback()
                form.errors.update(refused.errors)
            except IntegrityError:  # created by someone else at the same moment
                db.rollback()
                form.errors["code"] = f"Kode instansi {code} sudah dipakai."
            else:
                flash(
                    f"Instansi {fields.name} dibuat. Tambahkan registernya agar dapat menerbitkan"
                    " surat."
                )
                return redirect(url_for("admin_agencies.edit", code=code))
        return render_template("admin/agency_new.html", form=form, zones=stored.TIMEZONES), 400
    return render_template("admin/agency_new.html", form=form, zones=stored.TIMEZONES)


# -- one agency ----------------------------------------------------------------------------------


def _page(
    db: Session,
    agency: Agency,
    *,
    letterhead: Form | None = None,
    logo: Form | None = None,
    new_register: Form | None = None,
    register_forms: dict[str, Form] | None = None,
    day_off: Form | None = None,
) -> str:
    registers = stored.registers(db, agency.code)
    forms = {
        r.code: Form(
            values={
                "register_code": r.code,
                "title": r.title,
                "pattern": r.pattern,
                "kind": r.kind,
            }
        )
        for r in registers
    }
    forms.update(register_forms or {})
    today = dates.local_date(utcnow(), agency.timezone)
    examples = {
        r.code: stored.render(r.pattern, 1, today) for r in registers if not forms[r.code].errors
    }
    return render_template(
        "admin/agency_form.html",
        agency=agency,
        form=letterhead or _letterhead_form(agency),
        logo=logo or Form(),
        new_register=new_register or Form(values={"kind": "surat-keluar"}),
        registers=registers,
        register_forms=forms,
        examples=examples,
        kinds=stored.REGISTER_KINDS,
        zones=stored.TIMEZONES,
        units=stored.units_of(db, agency.code),
        days_off=[
            (day.isoformat(), dates.show_date(day), name)
            for day, name in stored.days_off(db, agency.code).items()
        ],
        day_off=day_off or Form(),
        history=_history(db, agency.code),
        logo_max_kb=stored.LOGO_MAX_BYTES // 1024,
    )


@bp.route("/<code>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(code: str) -> Result:
    """The agency's page: letterhead, logo, registers, units and history."""
    with extensions.db() as db:
        agency = _agency_or_404(db, code)
        if request.method == "GET":
            return _page(db, agency)
        form, fields = _typed_letterhead(request.form)
        try:
            outcome = stored.update(db, code, fields, _who())
        except stored.AgencyRefused as refused:
            db.rollback()
            form.errors.update(refused.errors)
            return _page(db, _agency_or_404(db, code), letterhead=form), 400
        db.commit()
        if outcome.what == "unchanged":
            flash("Tidak ada yang berubah.")
        else:
            flash("Kop surat disimpan. Surat berikutnya memakai kop ini.")
        return redirect(url_for("admin_agencies.edit", code=code))


@bp.post("/<code>/logo")
@roles_required(ADMIN)
def upload_logo(code: str) -> Result:
    with extensions.db() as db:
        agency = _agency_or_404(db, code)
        upload = request.files.get("logo")
        data = upload.read() if upload is not None else b""  # bounded by MAX_CONTENT_LENGTH
        try:
            stored.set_logo(db, code, data, _who())
        except stored.AgencyRefused as refused:
            db.rollback()
            return _page(db, agency, logo=Form(errors=dict(refused.errors))), 400
        db.commit()
        flash("Logo disimpan. Surat berikutnya memakai logo ini.")
        return redirect(url_for("admin_agencies.edit", code=code) + "#logo-title")


@bp.post("/<code>/logo/hapus")
@roles_required(ADMIN)
def remove_logo(code: str) -> Response:
    with extensions.db() as db:
        _agency_or_404(db, code)
        stored.remove_logo(db, code, _who())
        db.commit()
    flash("Logo dihapus. Surat berikutnya tanpa logo.")
    return redirect(url_for("admin_agencies.edit", code=code) + "#logo-title")


@bp.get("/<code>/logo")
@roles_required(ADMIN)
def logo(code: str) -> Response:
    """The stored logo, for the page's preview."""
    with extensions.db() as db:
        agency = _agency_or_404(db, code)
        if agency.logo is None or not agency.logo_type:
            abort(404)
        response = Response(agency.logo, mimetype=agency.logo_type)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@bp.post("/<code>/register")
@roles_required(ADMIN)
def add_register(code: str) -> Result:
    with extensions.db() as db:
        agency = _agency_or_404(db, code)
        form, fields = _typed_register(request.form)
        try:
            stored.add_register(db, code, fields, _who())
        except stored.AgencyRefused as refused:
            db.rollback()
            form.errors.update(refused.errors)
            return _page(db, agency, new_register=form), 400
        except IntegrityError:
            db.rollback()
            form.errors["register_code"] = (
                f"Instansi ini sudah punya register berkode {fields.code}."
            )
            return _page(db, agency, new_register=form), 400
        db.commit()
        flash(f"Register {fields.title} ditambahkan.")
        return redirect(url_for("admin_agencies.edit", code=code) + "#registers-title")


@bp.post("/<code>/register/<register_code>")
@roles_required(ADMIN)
def edit_register(code: str, register_code: str) -> Result:
    with extensions.db() as db:
        agency = _agency_or_404(db, code)
        if stored.get_register(db, code, register_code) is None:
            abort(404, description="Register tidak ditemukan.")
        form, fields = _typed_register(request.form, register_code)
        try:
            outcome = stored.update_register(db, code, fields, _who())
        except stored.AgencyRefused as refused:
            db.rollback()
            form.errors.update(refused.errors)
            return _page(db, agency, register_forms={register_code: form}), 400
        db.commit()
        if outcome.what == "unchanged":
            flash("Tidak ada yang berubah.")
        else:
            flash(f"Register {fields.title} disimpan. Nomor berikutnya memakai pola ini.")
        return redirect(url_for("admin_agencies.edit", code=code) + "#registers-title")


@bp.post("/<code>/libur")
@roles_required(ADMIN)
def add_day_off(code: str) -> Result:
    with extensions.db() as db:
        agency = _agency_or_404(db, code)
        form = Form(values={k: request.form.get(k, "").strip() for k in ("day", "day_name")})
        try:
            day = dates.read_date(form.values["day"])
        except dates.DateProblem as problem:
            form.errors["day"] = problem.message
            return _page(db, agency, day_off=form), 400
        try:
            stored.add_day_off(db, code, day, form.values["day_name"], _who())
        except stored.AgencyRefused as refused:
            db.rollback()
            form.errors.update(refused.errors)
            return _page(db, _agency_or_404(db, code), day_off=form), 400
        db.commit()
        flash(
            f"{dates.show_date(day)} menjadi hari libur instansi: batas waktu yang dihitung"
            " berikutnya melewatinya."
        )
        return redirect(url_for("admin_agencies.edit", code=code) + "#days-off-title")


@bp.post("/<code>/libur/<day>/hapus")
@roles_required(ADMIN)
def remove_day_off(code: str, day: str) -> Response:
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    with extensions.db() as db:
        _agency_or_404(db, code)
        stored.remove_day_off(db, code, when, _who())
        db.commit()
    flash(f"{dates.show_date(when)} bukan lagi hari libur instansi.")
    return redirect(url_for("admin_agencies.edit", code=code) + "#days-off-title")
