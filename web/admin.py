"""Account administration for ``alur.admin``: staff accounts, their roles, and units.

Every form is checked on the server; on an error the page comes back with status 400, the
message beside its field and what was typed still in place (passwords excepted). An
administrator can neither deactivate their own account nor take their own ``alur.admin``
role away. The account rules every caller meets (password policy, one account per NIP, an
active administrator always left) are ``storage.accounts``'s: what it refuses
(``accounts.AccountRefused``) is shown beside its field like any other error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from alur import roles
from alur.roles import ROLES
from storage import accounts, agencies, sessions
from storage.models import StaffUser
from web import extensions
from web.auth import roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")

ADMIN = accounts.ADMIN
MAX_TEXT = 255
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
NIP = re.compile(r"[0-9]{18}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
UNIT_CODE = accounts.UNIT_CODE

Result = str | Response | tuple[str, int]


@dataclass(frozen=True)
class RoleGroup:
    label: str
    roles: list[tuple[str, str]]  # (code, label)


def role_groups() -> list[RoleGroup]:
    groups: dict[str, RoleGroup] = {}
    for code, label in ROLES.items():
        prefix = code.split(".", 1)[0]
        group = groups.setdefault(prefix, RoleGroup(roles.GROUP_LABELS.get(prefix, prefix), []))
        group.roles.append((code, label))
    return list(groups.values())


@dataclass
class Form:
    """What was typed into one form, and the message of each field that is wrong."""

    values: dict[str, str] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


# -- accounts ----------------------------------------------------------------------------------


@bp.get("/")
@roles_required(ADMIN)
def index() -> Response:
    return redirect(url_for("admin.accounts"))


@bp.get("/akun", endpoint="accounts")
@roles_required(ADMIN)
def accounts_list() -> str:
    unit_code = request.args.get("unit", "").strip()
    role = request.args.get("peran", "").strip()
    with extensions.db() as db:
        users = accounts.list_users(db, unit_code=unit_code or None, role=role or None)
        return render_template(
            "admin/accounts.html",
            users=users,
            unit_code=unit_code,
            role=role,
            units=accounts.unit_tree(db),
            unit_names=_unit_names(db),
            groups=role_groups(),
            roles=ROLES,
        )


@bp.route("/akun/baru", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_account() -> Result:
    form = Form(values={"unit_code": request.args.get("unit", "")})
    with extensions.db() as db:
        if request.method == "POST":
            form = _account_form(db, request.form, user=None)
            if form.ok:
                try:
                    user = accounts.create_account(
                        db,
                        form.values["username"],
                        request.form.get("password", ""),
                        full_name=form.values["full_name"],
                        position=form.values["position"],
                        nip=_nip(form.values["nip"]) or None,
                        email=form.values["email"] or None,
                        unit_code=form.values["unit_code"],
                        roles=form.roles,
                    )
                    db.commit()
                except accounts.AccountRefused as refused:
                    db.rollback()
                    form.errors[refused.field] = refused.message
                except IntegrityError:
                    db.rollback()
                    form.errors["username"] = "Nama pengguna sudah dipakai."
                else:
                    flash(f"Akun {user.username} dibuat.")
                    return redirect(url_for("admin.edit_account", user_id=user.id))
        page = render_template(
            "admin/account_form.html",
            account=None,
            form=form,
            units=accounts.unit_tree(db),
            groups=role_groups(),
            min_password=accounts.MIN_PASSWORD,
        )
    return (page, 400) if request.method == "POST" else page


@bp.route("/akun/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_account(user_id: int) -> Result:
    with extensions.db() as db:
        user = _account_or_404(db, user_id)
        if request.method == "GET":
            return _edit_page(db, user, _form_of(user))
        form = _account_form(db, request.form, user=user)
        if form.ok:
            try:
                accounts.update_user(
                    db,
                    user.id,
                    full_name=form.values["full_name"],
                    position=form.values["position"],
                    nip=_nip(form.values["nip"]) or None,
                    email=form.values["email"] or None,
                    unit_code=form.values["unit_code"],
                    roles=form.roles,
                )
            except accounts.AccountRefused as refused:
                db.rollback()
                form.errors[refused.field] = refused.message
            else:
                db.commit()
                flash(f"Perubahan akun {user.username} disimpan.")
                return redirect(url_for("admin.edit_account", user_id=user.id))
        return _edit_page(db, user, form), 400


@bp.post("/akun/<int:user_id>/status")
@roles_required(ADMIN)
def account_status(user_id: int) -> Result:
    with extensions.db() as db:
        user = _account_or_404(db, user_id)
        wanted = request.form.get("active", "")
        if wanted not in {"0", "1"}:
            status = Form(errors={"active": "Pilih Aktifkan atau Nonaktifkan."})
            return _edit_page(db, user, _form_of(user), status=status), 400
        active = wanted == "1"
        if not active and user.id == g.user.id:
            status = Form(errors={"active": "Anda tidak dapat menonaktifkan akun Anda sendiri."})
            return _edit_page(db, user, _form_of(user), status=status), 400
        try:
            accounts.set_active(db, user.id, active)
        except accounts.AccountRefused as refused:
            db.rollback()
            status = Form(errors={"active": refused.message})
            return _edit_page(db, user, _form_of(user), status=status), 400
        db.commit()
        if not active:
            sessions.drop_user(db, user.id)  # signed out everywhere, at once
        flash(f"Akun {user.username} {'diaktifkan' if active else 'dinonaktifkan'}.")
        return redirect(url_for("admin.edit_account", user_id=user.id))


@bp.post("/akun/<int:user_id>/kata-sandi")
@roles_required(ADMIN)
def reset_password(user_id: int) -> Result:
    with extensions.db() as db:
        user = _account_or_404(db, user_id)
        reset = Form()
        password = request.form.get("password", "")
        error = _password_error(password, request.form.get("password2", ""))
        if error:
            reset.errors[error[0]] = error[1]
            return _edit_page(db, user, _form_of(user), reset=reset), 400
        try:
            accounts.set_password(db, user.id, password)
        except accounts.AccountRefused as refused:
            db.rollback()
            reset.errors["password"] = refused.message
            return _edit_page(db, user, _form_of(user), reset=reset), 400
        db.commit()
        if user.id != g.user.id:
            sessions.drop_user(db, user.id)  # the old password's sessions end with it
        flash(f"Kata sandi akun {user.username} diganti.")
        return redirect(url_for("admin.edit_account", user_id=user.id))


def _account_or_404(db: Session, user_id: int) -> StaffUser:
    user = accounts.get_user(db, user_id)
    if user is None:
        abort(404, description="Akun tidak ditemukan.")
    return user


def _edit_page(
    db: Session,
    user: StaffUser,
    form: Form,
    *,
    status: Form | None = None,
    reset: Form | None = None,
) -> str:
    return render_template(
        "admin/account_form.html",
        account=user,
        is_self=user.id == g.user.id,
        form=form,
        status=status or Form(),
        reset=reset or Form(),
        units=accounts.unit_tree(db),
        groups=role_groups(),
        min_password=accounts.MIN_PASSWORD,
    )


def _form_of(user: StaffUser) -> Form:
    return Form(
        values={
            "username": user.username,
            "full_name": user.full_name,
            "position": user.position or "",
            "nip": user.nip or "",
            "email": user.email or "",
            "unit_code": user.unit_code,
        },
        roles=sorted(user.role_codes),
    )


def _account_form(db: Session, data: MultiDict[str, str], *, user: StaffUser | None) -> Form:
    """Read and check the account form; ``user`` is None when creating an account."""
    names = ("full_name", "position", "nip", "email", "unit_code")
    form = Form(values={name: data.get(name, "").strip() for name in names})
    errors = form.errors
    values = form.values

    if user is None:
        username = values["username"] = data.get("username", "").strip()
        if not username:
            errors["username"] = "Nama pengguna wajib diisi."
        elif not USERNAME.fullmatch(username):
            errors["username"] = (
                "Nama pengguna 3 sampai 64 karakter: huruf kecil, angka, titik (.), garis bawah (_)"
                " atau tanda hubung (-), diawali huruf atau angka."
            )
        elif accounts.find_user(db, username) is not None:
            errors["username"] = "Nama pengguna sudah dipakai."
    else:
        values["username"] = user.username

    if not values["full_name"]:
        errors["full_name"] = "Nama lengkap wajib diisi."
    elif len(values["full_name"]) > MAX_TEXT:
        errors["full_name"] = f"Nama lengkap paling banyak {MAX_TEXT} karakter."
    if len(values["position"]) > MAX_TEXT:
        errors["position"] = f"Jabatan paling banyak {MAX_TEXT} karakter."

    nip = _nip(values["nip"])
    if nip and not NIP.fullmatch(nip):
        errors["nip"] = "NIP harus terdiri atas 18 angka."
    elif refused := accounts.nip_refusal(db, nip, user.id if user else None):
        errors[refused.field] = refused.message

    email = values["email"]
    if email and (len(email) > MAX_TEXT or not EMAIL.fullmatch(email)):
        errors["email"] = "Alamat e-mail tidak valid, contoh: nama@instansi.go.id."

    if not values["unit_code"]:
        errors["unit_code"] = "Pilih unit kerja."
    elif accounts.get_unit(db, values["unit_code"]) is None:
        errors["unit_code"] = "Unit kerja tidak dikenal. Pilih dari daftar."

    chosen = list(dict.fromkeys(code.strip() for code in data.getlist("roles")))
    unknown = [code for code in chosen if code not in ROLES]
    form.roles = [code for code in chosen if code in ROLES]
    if unknown:
        errors["roles"] = "Peran tidak dikenal: " + ", ".join(unknown) + "."
    elif not form.roles:
        errors["roles"] = "Pilih setidaknya satu peran."
    elif user is not None and user.id == g.user.id and ADMIN not in form.roles:
        errors["roles"] = f"Anda tidak dapat mencabut peran {ROLES[ADMIN]} dari akun Anda sendiri."

    if user is None:  # a new account gets its first password; an existing one keeps its own
        error = _password_error(data.get("password", ""), data.get("password2", ""))
        if error:
            errors[error[0]] = error[1]
    return form


def _password_error(password: str, repeated: str) -> tuple[str, str] | None:
    """(field, message) of what is wrong with a new password, or None: the policy is
    ``storage.accounts``'s, the repetition the form's own."""
    refused = accounts.password_refusal(password)
    if refused is not None:
        return refused.field, refused.message
    if password != repeated:
        return "password2", "Ulangan kata sandi tidak sama dengan kata sandi."
    return None


def _nip(typed: str) -> str:
    """A NIP as stored: the digits without the spaces it is often written with."""
    return re.sub(r"\s+", "", typed)


def _unit_names(db: Session) -> dict[str, str]:
    return {unit.code: unit.name for unit in accounts.list_units(db)}


# -- units -------------------------------------------------------------------------------------


@bp.route("/unit", methods=["GET", "POST"])
@roles_required(ADMIN)
def units() -> Result:
    form = Form(values={"code": "", "name": "", "parent_code": "", "agency_code": ""})
    with extensions.db() as db:
        if request.method == "POST":
            form = _unit_form(db, request.form)
            if form.ok:
                try:
                    accounts.ensure_unit(
                        db,
                        form.values["code"],
                        form.values["name"],
                        form.values["parent_code"] or None,
                        form.values["agency_code"] or None,
                    )
                    db.commit()
                except IntegrityError:
                    db.rollback()
                    form.errors["code"] = "Kode unit sudah dipakai."
                else:
                    flash(f"Unit {form.values['name']} dibuat.")
                    return redirect(url_for("admin.units"))
        page = render_template(
            "admin/units.html",
            form=form,
            units=accounts.unit_tree(db),
            unit_names=_unit_names(db),
            counts=accounts.count_users_by_unit(db),
            agencies=agencies.names(db),
        )
    return (page, 400) if request.method == "POST" else page


def _unit_form(db: Session, data: MultiDict[str, str]) -> Form:
    names = ("code", "name", "parent_code", "agency_code")
    form = Form(values={name: data.get(name, "").strip() for name in names})
    code, name, parent = form.values["code"], form.values["name"], form.values["parent_code"]
    if not code:
        form.errors["code"] = "Kode unit wajib diisi."
    elif not UNIT_CODE.fullmatch(code):
        form.errors["code"] = (
            "Kode unit paling banyak 64 karakter: huruf kecil, angka, titik (.), garis bawah (_)"
            " atau tanda hubung (-), diawali huruf atau angka."
        )
    elif accounts.get_unit(db, code) is not None:
        form.errors["code"] = "Kode unit sudah dipakai."
    if not name:
        form.errors["name"] = "Nama unit wajib diisi."
    elif len(name) > MAX_TEXT:
        form.errors["name"] = f"Nama unit paling banyak {MAX_TEXT} karakter."
    if parent and accounts.get_unit(db, parent) is None:
        form.errors["parent_code"] = "Unit induk tidak dikenal. Pilih dari daftar."
    agency = form.values["agency_code"]
    if agency and agencies.get(db, agency) is None:
        form.errors["agency_code"] = "Instansi tidak dikenal. Pilih dari daftar."
    return form
