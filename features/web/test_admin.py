"""Account administration: only ``alur.admin`` may manage staff, units and roles.

Every change is checked on the server (400 with a Bahasa message beside the field and nothing
stored), needs the session's CSRF token, and cannot lock the acting administrator out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from alur import demo
from stack.local import Stack, demo_table, local_stack, seed_demo
from storage import accounts, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import StaffUser, Unit
from web import create_app

ADMIN_PASSWORD = "Admin-Rahasia-2026"
STAFF_PASSWORD = "Rahasia-Sekali-2026"
NEW_PASSWORD = "Kata-Sandi-Baru-2026"


@pytest.fixture
def app(stack: Stack, tmp_path: Path) -> Iterator[Flask]:
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        accounts.ensure_unit(session, "kemenpanrb", "Kementerian PANRB")
        accounts.ensure_unit(session, "dpmptsp", "DPMPTSP Provinsi Jawa Timur")
        accounts.ensure_unit(session, "kemenkes", "Kementerian Kesehatan")
        accounts.ensure_unit(
            session, "kemenkes-yankes", "Direktorat Jenderal Pelayanan Kesehatan", "kemenkes"
        )
        accounts.create_user(
            session,
            "admin",
            ADMIN_PASSWORD,
            full_name="Ahmad Fauzi",
            unit_code="kemenpanrb",
            roles=["alur.admin", "alur.pemilik_proses"],
        )
        accounts.create_user(
            session,
            "siti",
            STAFF_PASSWORD,
            full_name="Siti Rahmawati",
            unit_code="dpmptsp",
            roles=["dpmptsp.front_office"],
        )
        session.commit()
    engine.dispose()
    yield create_app(replace(stack.settings, database_url=url))


def _token(client: FlaskClient, path: str = "/masuk") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, f"{path} carries no CSRF token"
    return match.group(1)


def _sign_in(app: Flask, username: str, password: str) -> FlaskClient:
    client = app.test_client()
    response = client.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": _token(client)},
    )
    assert response.status_code == 302, f"{username} could not sign in"
    return client


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    return _sign_in(app, "admin", ADMIN_PASSWORD)


def _user(app: Flask, username: str) -> StaffUser | None:
    with app.extensions["alur.db"]() as session:
        return accounts.find_user(session, username)


def _count(app: Flask, model: Any) -> int:
    with app.extensions["alur.db"]() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _can_sign_in(app: Flask, username: str, password: str) -> bool:
    client = app.test_client()
    response = client.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": _token(client)},
    )
    return response.status_code == 302


def _new_account(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "budi.santoso",
        "full_name": "Budi Santoso",
        "position": "Analis Kebijakan Ahli Muda",
        "nip": "19850312 201001 1 005",
        "email": "budi.santoso@jatimprov.go.id",
        "unit_code": "dpmptsp",
        "roles": ["dpmptsp.analis", "dpmptsp.front_office"],
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(changes)
    return data


def _post(client: FlaskClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={**data, "csrf_token": _token(client, "/")})


def _edit_data(user: StaffUser, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": user.full_name,
        "position": user.position,
        "nip": user.nip or "",
        "email": user.email or "",
        "unit_code": user.unit_code,
        "roles": sorted(user.role_codes),
    }
    data.update(changes)
    return data


# -- who may enter -----------------------------------------------------------------------------

ADMIN_PAGES = [
    "/admin/",
    "/admin/akun",
    "/admin/akun/baru",
    "/admin/akun/1",
    "/admin/unit",
    "/admin/instansi",
    "/admin/instansi/baru",
    "/admin/instansi/kemenpanrb",
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(app: Flask, path: str):
    response = app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk?next=")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_staff_without_the_admin_role_get_403(app: Flask, path: str):
    client = _sign_in(app, "siti", STAFF_PASSWORD)
    response = client.get(path)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Akun petugas" not in page and "Unit kerja" not in page


def test_staff_without_the_admin_role_cannot_create_accounts(app: Flask):
    client = _sign_in(app, "siti", STAFF_PASSWORD)
    token = _token(client, "/")
    response = client.post("/admin/akun/baru", data={**_new_account(), "csrf_token": token})
    assert response.status_code == 403
    assert _user(app, "budi.santoso") is None


def test_only_administrators_see_the_administration_link(app: Flask, admin: FlaskClient):
    assert "Administrasi" in admin.get("/").get_data(as_text=True)
    staff = _sign_in(app, "siti", STAFF_PASSWORD)
    assert "Administrasi" not in staff.get("/").get_data(as_text=True)


# -- the list ----------------------------------------------------------------------------------


def _listed(page: str) -> str:
    """The table of accounts (the header names whoever is signed in)."""
    match = re.search(r"<table.*</table>", page, re.DOTALL)
    assert match, "no table of accounts"
    return match.group(0)


def test_account_list_shows_each_account_and_filters_by_unit_and_role(admin: FlaskClient):
    page = admin.get("/admin/akun").get_data(as_text=True)
    for text in ("Ahmad Fauzi", "Siti Rahmawati", "siti", "DPMPTSP Provinsi Jawa Timur"):
        assert text in page
    assert "Front Office DPMPTSP" in page  # role labels, not only codes
    assert "Aktif" in page

    by_unit = _listed(admin.get("/admin/akun?unit=dpmptsp").get_data(as_text=True))
    assert "Siti Rahmawati" in by_unit and "Ahmad Fauzi" not in by_unit
    by_role = _listed(admin.get("/admin/akun?peran=alur.admin").get_data(as_text=True))
    assert "Ahmad Fauzi" in by_role and "Siti Rahmawati" not in by_role
    neither = admin.get("/admin/akun?unit=dpmptsp&peran=alur.admin").get_data(as_text=True)
    assert "Belum ada akun yang sesuai saringan" in neither


def test_create_form_groups_roles_and_ties_labels_to_inputs(admin: FlaskClient):
    page = admin.get("/admin/akun/baru").get_data(as_text=True)
    assert "<legend>DPMPTSP (SOP 3)</legend>" in page
    assert "<legend>SP4N-LAPOR! (SOP 5)</legend>" in page
    assert 'id="f-role-lapor-admin_upt"' in page
    assert 'for="f-role-lapor-admin_upt"' in page
    for name in ("username", "full_name", "position", "nip", "email", "unit_code", "password"):
        assert f'for="f-{name}"' in page and f'id="f-{name}"' in page


# -- creating ----------------------------------------------------------------------------------


def test_creating_an_account_stores_it_with_an_argon2id_hash(app: Flask, admin: FlaskClient):
    response = _post(admin, "/admin/akun/baru", _new_account())
    assert response.status_code == 302
    user = _user(app, "budi.santoso")
    assert user is not None
    assert user.full_name == "Budi Santoso"
    assert user.position == "Analis Kebijakan Ahli Muda"
    assert user.nip == "198503122010011005"  # spaces dropped
    assert user.email == "budi.santoso@jatimprov.go.id"
    assert user.unit_code == "dpmptsp"
    assert user.role_codes == {"dpmptsp.analis", "dpmptsp.front_office"}
    assert user.active
    assert user.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(user.password_hash, NEW_PASSWORD)
    assert response.headers["Location"] == f"/admin/akun/{user.id}"
    assert "Akun budi.santoso dibuat." in admin.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert _can_sign_in(app, "budi.santoso", NEW_PASSWORD)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "pendek", "password2": "pendek"}, "Kata sandi minimal 12 karakter."),
        ({"password2": "Kata-Sandi-Lain-2026"}, "Ulangan kata sandi tidak sama"),
        ({"nip": "1985031220100110"}, "NIP harus terdiri atas 18 angka."),
        ({"nip": "19850312201001100A"}, "NIP harus terdiri atas 18 angka."),
        ({"roles": ["dpmptsp.analis", "dewa.segala"]}, "Peran tidak dikenal: dewa.segala."),
        ({"roles": []}, "Pilih setidaknya satu peran."),
        ({"username": "siti"}, "Nama pengguna sudah dipakai."),
        ({"username": "Budi Santoso"}, "Nama pengguna 3 sampai 64 karakter"),
        ({"username": ""}, "Nama pengguna wajib diisi."),
        ({"unit_code": "kemenkeu"}, "Unit kerja tidak dikenal."),
        ({"unit_code": ""}, "Pilih unit kerja."),
        ({"full_name": "  "}, "Nama lengkap wajib diisi."),
        ({"email": "budi-at-jatimprov"}, "Alamat e-mail tidak valid"),
    ],
)
def test_invalid_accounts_are_refused_and_nothing_is_stored(
    app: Flask, admin: FlaskClient, changes: dict[str, Any], message: str
):
    before = _count(app, StaffUser)
    data = _new_account(**changes)
    response = _post(admin, "/admin/akun/baru", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'role="alert"' in page  # the error summary is announced
    assert 'aria-invalid="true"' in page  # and the field is marked
    assert _count(app, StaffUser) == before
    assert _user(app, "budi.santoso") is None
    # What was typed comes back (the password does not).
    if data["full_name"].strip():
        assert f'value="{data["full_name"]}"' in page
    assert 'value="Analis Kebijakan Ahli Muda"' in page
    assert NEW_PASSWORD not in page
    if "dpmptsp.analis" in data["roles"]:
        assert re.search(r'value="dpmptsp.analis" id="[^"]+" checked', page)


def test_the_error_is_announced_with_its_field(admin: FlaskClient):
    page = _post(admin, "/admin/akun/baru", _new_account(nip="123")).get_data(as_text=True)
    field = re.search(r"<input id=\"f-nip\"[^>]*>", page)
    assert field, "no NIP field"
    assert 'aria-describedby="f-nip-hint f-nip-error"' in field.group(0)
    assert 'id="f-nip-error"' in page
    assert 'href="#f-nip"' in page


def test_a_nip_is_held_by_one_account_only(app: Flask, admin: FlaskClient):
    assert _post(admin, "/admin/akun/baru", _new_account()).status_code == 302
    again = _new_account(username="budi.lain")
    response = _post(admin, "/admin/akun/baru", again)
    assert response.status_code == 400
    assert "NIP ini sudah dipakai akun budi.santoso." in response.get_data(as_text=True)
    assert _user(app, "budi.lain") is None


def test_forms_without_the_csrf_token_are_refused_and_change_nothing(
    app: Flask, admin: FlaskClient
):
    siti = _user(app, "siti")
    assert siti is not None
    attempts = [
        ("/admin/akun/baru", _new_account()),
        (f"/admin/akun/{siti.id}", _edit_data(siti, full_name="Siti Diubah")),
        (f"/admin/akun/{siti.id}/status", {"active": "0"}),
        (
            f"/admin/akun/{siti.id}/kata-sandi",
            {"password": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ),
        ("/admin/unit", {"code": "kemenkeu", "name": "Kementerian Keuangan"}),
    ]
    for path, data in attempts:
        for token in (None, "palsu"):
            sent = data if token is None else {**data, "csrf_token": token}
            response = admin.post(path, data=sent)
            assert response.status_code == 400, path
            assert "Token keamanan tidak valid" in response.get_data(as_text=True)
    assert _user(app, "budi.santoso") is None
    after = _user(app, "siti")
    assert after is not None
    assert after.full_name == "Siti Rahmawati"
    assert after.active
    assert after.password_hash == siti.password_hash
    assert _count(app, Unit) == 4


# -- editing -----------------------------------------------------------------------------------


def test_editing_changes_details_unit_and_roles(app: Flask, admin: FlaskClient):
    siti = _user(app, "siti")
    assert siti is not None
    page = admin.get(f"/admin/akun/{siti.id}").get_data(as_text=True)
    assert 'value="Siti Rahmawati"' in page
    assert 'name="username"' not in page  # the username never changes
    data = _edit_data(
        siti,
        full_name="Siti Rahmawati, S.E.",
        position="Kepala Bidang Pengaduan",
        nip="198701012010012001",
        email="siti@jatimprov.go.id",
        unit_code="kemenkes-yankes",
        roles=["lapor.admin_eselon1", "dpmptsp.kabid"],
    )
    response = _post(admin, f"/admin/akun/{siti.id}", data)
    assert response.status_code == 302
    after = _user(app, "siti")
    assert after is not None
    assert after.full_name == "Siti Rahmawati, S.E."
    assert after.position == "Kepala Bidang Pengaduan"
    assert after.nip == "198701012010012001"
    assert after.email == "siti@jatimprov.go.id"
    assert after.unit_code == "kemenkes-yankes"
    assert after.role_codes == {"lapor.admin_eselon1", "dpmptsp.kabid"}
    assert after.password_hash == siti.password_hash
    assert "Perubahan akun siti disimpan." in admin.get(f"/admin/akun/{siti.id}").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"roles": ["dpmptsp.kabid", "superuser"]}, "Peran tidak dikenal: superuser."),
        ({"nip": "12345"}, "NIP harus terdiri atas 18 angka."),
        ({"unit_code": "tidak-ada"}, "Unit kerja tidak dikenal."),
    ],
)
def test_invalid_edits_are_refused_and_nothing_changes(
    app: Flask, admin: FlaskClient, changes: dict[str, Any], message: str
):
    siti = _user(app, "siti")
    assert siti is not None
    data = _edit_data(siti, full_name="Siti Berubah", **changes)
    response = _post(admin, f"/admin/akun/{siti.id}", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="Siti Berubah"' in page
    after = _user(app, "siti")
    assert after is not None
    assert after.full_name == "Siti Rahmawati"
    assert after.role_codes == {"dpmptsp.front_office"}
    assert after.unit_code == "dpmptsp"


def test_unknown_accounts_are_404(admin: FlaskClient):
    missing = admin.get("/admin/akun/9999")
    assert missing.status_code == 404
    assert "Akun tidak ditemukan." in missing.get_data(as_text=True)
    token = _token(admin, "/admin/akun")
    response = admin.post("/admin/akun/9999/status", data={"active": "0", "csrf_token": token})
    assert response.status_code == 404


# -- deactivating and passwords ----------------------------------------------------------------


def test_a_deactivated_account_cannot_sign_in_and_loses_its_session(app: Flask, admin: FlaskClient):
    staff = _sign_in(app, "siti", STAFF_PASSWORD)
    assert "Siti Rahmawati" in staff.get("/").get_data(as_text=True)
    siti = _user(app, "siti")
    assert siti is not None

    response = _post(admin, f"/admin/akun/{siti.id}/status", {"active": "0"})
    assert response.status_code == 302
    after = _user(app, "siti")
    assert after is not None and not after.active
    assert "Siti Rahmawati" not in staff.get("/").get_data(as_text=True)
    assert not _can_sign_in(app, "siti", STAFF_PASSWORD)
    listing = admin.get("/admin/akun").get_data(as_text=True)
    assert "Nonaktif" in listing

    assert _post(admin, f"/admin/akun/{siti.id}/status", {"active": "1"}).status_code == 302
    assert _can_sign_in(app, "siti", STAFF_PASSWORD)


def test_resetting_a_password_replaces_the_old_one(app: Flask, admin: FlaskClient):
    siti = _user(app, "siti")
    assert siti is not None
    path = f"/admin/akun/{siti.id}/kata-sandi"

    short = _post(admin, path, {"password": "pendek", "password2": "pendek"})
    assert short.status_code == 400
    assert "Kata sandi minimal 12 karakter." in short.get_data(as_text=True)
    unchanged = _user(app, "siti")
    assert unchanged is not None and unchanged.password_hash == siti.password_hash

    response = _post(admin, path, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    after = _user(app, "siti")
    assert after is not None
    assert after.password_hash.startswith("$argon2id$")
    assert after.password_hash != siti.password_hash
    assert not _can_sign_in(app, "siti", STAFF_PASSWORD)
    assert _can_sign_in(app, "siti", NEW_PASSWORD)


def test_an_administrator_cannot_lock_themself_out(app: Flask, admin: FlaskClient):
    me = _user(app, "admin")
    assert me is not None

    response = _post(admin, f"/admin/akun/{me.id}/status", {"active": "0"})
    assert response.status_code == 400
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.get_data(as_text=True)

    data = _edit_data(me, roles=["alur.pemilik_proses"])
    response = _post(admin, f"/admin/akun/{me.id}", data)
    assert response.status_code == 400
    assert "Anda tidak dapat mencabut peran Administrator Alur dari akun Anda sendiri." in (
        response.get_data(as_text=True)
    )

    after = _user(app, "admin")
    assert after is not None
    assert after.active
    assert after.role_codes == {"alur.admin", "alur.pemilik_proses"}
    assert admin.get("/admin/akun").status_code == 200

    # Other changes to their own account are fine.
    data = _edit_data(me, full_name="Ahmad Fauzi, S.Kom.", roles=["alur.admin"])
    assert _post(admin, f"/admin/akun/{me.id}", data).status_code == 302
    renamed = _user(app, "admin")
    assert renamed is not None
    assert renamed.full_name == "Ahmad Fauzi, S.Kom."
    assert renamed.role_codes == {"alur.admin"}


def test_an_administrator_may_remove_another_administrator(app: Flask, admin: FlaskClient):
    siti = _user(app, "siti")
    assert siti is not None
    data = _edit_data(siti, roles=["alur.admin"])
    assert _post(admin, f"/admin/akun/{siti.id}", data).status_code == 302
    other = _sign_in(app, "siti", STAFF_PASSWORD)
    assert other.get("/admin/akun").status_code == 200
    me = _user(app, "admin")
    assert me is not None
    assert _post(other, f"/admin/akun/{me.id}/status", {"active": "0"}).status_code == 302
    assert admin.get("/admin/akun").status_code == 302  # signed out: back to /masuk


# -- units -------------------------------------------------------------------------------------


def test_units_are_listed_as_a_tree_and_created(app: Flask, admin: FlaskClient):
    page = admin.get("/admin/unit").get_data(as_text=True)
    assert page.index("Kementerian Kesehatan") < page.index("Direktorat Jenderal Pelayanan")
    data = {
        "code": "kemenkes-rsup-sardjito",
        "name": "RSUP Dr. Sardjito Yogyakarta",
        "parent_code": "kemenkes-yankes",
    }
    response = _post(admin, "/admin/unit", data)
    assert response.status_code == 302
    with app.extensions["alur.db"]() as session:
        unit = accounts.get_unit(session, "kemenkes-rsup-sardjito")
        assert unit is not None
        assert unit.name == "RSUP Dr. Sardjito Yogyakarta"
        assert unit.parent_code == "kemenkes-yankes"
        tree = [(u.code, depth) for u, depth in accounts.unit_tree(session)]
    assert ("kemenkes-rsup-sardjito", 2) in tree
    assert "Unit RSUP Dr. Sardjito Yogyakarta dibuat." in admin.get("/admin/unit").get_data(
        as_text=True
    )
    form = admin.get("/admin/akun/baru").get_data(as_text=True)
    assert 'value="kemenkes-rsup-sardjito"' in form  # offered for accounts at once


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "dpmptsp", "name": "DPMPTSP Lain"}, "Kode unit sudah dipakai."),
        ({"code": "Kemen Keu", "name": "Kementerian Keuangan"}, "Kode unit paling banyak"),
        ({"code": "", "name": "Kementerian Keuangan"}, "Kode unit wajib diisi."),
        ({"code": "kemenkeu", "name": ""}, "Nama unit wajib diisi."),
        (
            {"code": "kemenkeu-djp", "name": "Ditjen Pajak", "parent_code": "kemenkeu"},
            "Unit induk tidak dikenal.",
        ),
    ],
)
def test_invalid_units_are_refused(
    app: Flask, admin: FlaskClient, data: dict[str, str], message: str
):
    response = _post(admin, "/admin/unit", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    if data["name"]:
        assert f'value="{data["name"]}"' in page
    assert _count(app, Unit) == 4


# -- the demo seed on the stacks ---------------------------------------------------------------


def test_only_the_local_stack_seeds_demo_accounts(stack: Stack, tmp_path: Path):
    assert stack.settings.demo_accounts is False
    assert stack.demo_accounts == []
    environ = {k: v for k, v in os.environ.items() if k != "ALUR_DEMO_ACCOUNTS"}
    local = local_stack({**environ, "ALUR_DATA_DIR": str(tmp_path / "var")})
    assert local.settings.demo_accounts is True


def test_the_launcher_seeds_and_prints_the_demo_accounts(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrate.upgrade(url)
    seeded = seed_demo(url)
    assert seed_demo(url) == seeded
    lines = demo_table(seeded)
    assert demo.DEMO_PASSWORD in lines[0]
    assert len(lines) == 2 + len(demo.ACCOUNTS)
    admin_line = next(line for line in lines if line.split()[:1] == ["admin"])
    assert "alur.admin" in admin_line and "Kementerian PANRB" in admin_line
