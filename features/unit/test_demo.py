"""The demo seed of ``make run``: every lane of the five SOPs has someone to sign in as."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from alur import demo
from alur.roles import ROLES
from storage import accounts, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import StaffUser, Unit


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as db:
        yield db
    engine.dispose()


def snapshot(session: Session) -> dict[str, Any]:
    session.expire_all()
    units = session.scalars(select(Unit).order_by(Unit.code))
    users = session.scalars(select(StaffUser).order_by(StaffUser.username))
    return {
        "units": [(u.code, u.name, u.parent_code) for u in units],
        "users": [
            (
                u.id,
                u.username,
                u.full_name,
                u.position,
                u.nip,
                u.email,
                u.unit_code,
                u.active,
                u.password_hash,
                sorted(u.role_codes),
            )
            for u in users
        ],
    }


def test_seeding_twice_changes_nothing(session: Session):
    first = demo.seed(session)
    before = snapshot(session)
    assert demo.seed(session) == first
    assert snapshot(session) == before
    assert len(before["users"]) == len(demo.ACCOUNTS)


def test_every_role_has_a_demo_account_in_an_existing_unit(session: Session):
    seeded = demo.seed(session)
    held = {role for account in seeded for role in account.roles}
    assert held == set(ROLES)
    units = {unit.code: unit for unit in accounts.list_units(session)}
    for account in seeded:
        user = accounts.find_user(session, account.username)
        assert user is not None, account.username
        assert user.role_codes == set(account.roles)
        assert user.unit_code in units
        assert units[user.unit_code].name == demo.unit_name(account.unit_code)
        assert user.full_name == account.full_name and user.position
        assert user.nip is None or (len(user.nip) == 18 and user.nip.isdigit())
    admin = accounts.find_user(session, "admin")
    assert admin is not None
    assert admin.role_codes == {"alur.admin", "alur.pemilik_proses"}


def test_the_units_of_the_five_sops_form_a_tree(session: Session):
    demo.seed(session)
    names = {unit.name for unit in accounts.list_units(session)}
    for name in (
        "Kementerian PANRB",
        "Deputi Bidang Kelembagaan dan Tata Laksana",
        "Tim Koordinasi SPBE Nasional",
        "DPMPTSP Provinsi Jawa Timur",
        "Komisi Aparatur Sipil Negara (KASN)",
        "Pengelola Nasional SP4N-LAPOR!",
    ):
        assert name in names
    tree = {unit.code: depth for unit, depth in accounts.unit_tree(session)}
    assert tree["kemenkes"] == 0
    assert tree["kemenkes-yankes"] == 1
    assert tree["kemenkes-rsup-sardjito"] == 2
    lanes = {
        "lapor.admin_instansi": "kemenkes",
        "lapor.admin_eselon1": "kemenkes-yankes",
        "lapor.admin_upt": "kemenkes-rsup-sardjito",
    }
    for account in demo.ACCOUNTS:
        for role in account.roles:
            if role in lanes:
                assert account.unit_code == lanes[role]


def test_every_demo_account_signs_in_with_the_demo_password(session: Session):
    seeded = demo.seed(session)
    for account in seeded:
        user = accounts.authenticate(session, account.username, demo.DEMO_PASSWORD)
        assert user is not None, account.username
        assert user.password_hash.startswith("$argon2id$")
    assert accounts.authenticate(session, seeded[0].username, "alur-demo-2025") is None


def test_seeding_leaves_existing_accounts_alone(session: Session):
    accounts.ensure_unit(session, "kemenpanrb", "Kementerian PAN dan RB")
    accounts.create_user(
        session,
        "admin",
        "Sandi-Pribadi-2026",
        full_name="Admin Sungguhan",
        unit_code="kemenpanrb",
        roles=["alur.admin"],
    )
    session.commit()
    demo.seed(session)
    assert accounts.authenticate(session, "admin", demo.DEMO_PASSWORD) is None
    admin = accounts.authenticate(session, "admin", "Sandi-Pribadi-2026")
    assert admin is not None and admin.full_name == "Admin Sungguhan"
    unit = accounts.get_unit(session, "kemenpanrb")
    assert unit is not None and unit.name == "Kementerian PAN dan RB"
