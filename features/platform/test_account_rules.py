"""The account rules live in storage (``storage.accounts``), so every caller meets them, not only
the admin pages: the password policy, one account per NIP, and an active administrator always
left. Each refusal is an ``AccountRefused`` with a Bahasa message, and changes nothing. On SQLite
and PostgreSQL, including two administrators removing each other at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage import accounts, migrate
from storage.db import make_engine, make_sessionmaker
from storage.models import StaffRole, StaffUser

pytestmark = pytest.mark.platform

PASSWORD = "Rahasia-Sekali-2026"
NIP = "198001012005011001"
UNIT = "kemenpanrb"
Change = Callable[[Session], object]


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    made = make_sessionmaker(engine)
    with made() as db:
        accounts.ensure_unit(db, UNIT, "Kementerian PANRB")
        db.commit()
    try:
        yield made
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Snapshot:
    """Every account as stored: what a refused change must leave as it was."""

    rows: tuple[tuple[object, ...], ...]


def snapshot(sessions: sessionmaker[Session]) -> Snapshot:
    with sessions() as db:
        users = db.scalars(select(StaffUser).order_by(StaffUser.id))
        return Snapshot(
            tuple(
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
                    tuple(sorted(u.role_codes)),
                )
                for u in users
            )
        )


def add_user(
    sessions: sessionmaker[Session], username: str, roles: list[str], nip: str | None = None
) -> int:
    with sessions() as db:
        user = accounts.create_account(
            db, username, PASSWORD, full_name=username.title(), unit_code=UNIT, roles=roles, nip=nip
        )
        db.commit()
        return user.id


def refused(sessions: sessionmaker[Session], change: Change, field: str) -> str:
    """Run ``change(db)``; assert it is refused on ``field``, leaving every account as it was.
    Returns the message."""
    before = snapshot(sessions)
    with sessions() as db:
        with pytest.raises(accounts.AccountRefused) as raised:
            change(db)
        db.commit()  # whatever the refused call left in the session would be stored now
    assert raised.value.field == field
    assert snapshot(sessions) == before
    return raised.value.message


# -- password policy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("pendek-11ch", "Kata sandi minimal 12 karakter."),
        ("", "Kata sandi minimal 12 karakter."),
        ("x" * 257, "Kata sandi paling banyak 256 karakter."),
    ],
)
def test_a_password_outside_the_policy_creates_no_account(
    sessions: sessionmaker[Session], password: str, message: str
):
    def create(db: Session) -> None:
        accounts.create_user(db, "budi", password, full_name="Budi", unit_code=UNIT, roles=[])

    def create_with_nip(db: Session) -> None:
        accounts.create_account(
            db, "budi", password, full_name="Budi", unit_code=UNIT, roles=[], nip=NIP
        )

    assert refused(sessions, create, "password") == message
    assert refused(sessions, create_with_nip, "password") == message
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(StaffUser)) == 0


def test_a_password_outside_the_policy_is_not_set(sessions: sessionmaker[Session]):
    budi = add_user(sessions, "budi", ["kemenpanrb.petugas"])
    message = refused(sessions, lambda db: accounts.set_password(db, budi, "x" * 11), "password")
    assert message == "Kata sandi minimal 12 karakter."
    refused(sessions, lambda db: accounts.set_password(db, budi, "x" * 257), "password")
    with sessions() as db:
        assert accounts.authenticate(db, "budi", PASSWORD) is not None
        accounts.set_password(db, budi, "x" * 12)  # the shortest allowed, and the longest:
        accounts.set_password(db, budi, "y" * 256)
        db.commit()
        assert accounts.authenticate(db, "budi", "y" * 256) is not None


# -- one account per NIP ---------------------------------------------------------------------


def test_a_nip_held_by_another_account_is_refused(sessions: sessionmaker[Session]):
    add_user(sessions, "siti", ["kemenpanrb.petugas"], nip=NIP)
    budi = add_user(sessions, "budi", ["kemenpanrb.petugas"])

    def create(db: Session) -> None:
        accounts.create_account(
            db, "tono", PASSWORD, full_name="Tono", unit_code=UNIT, roles=[], nip=NIP
        )

    def edit(db: Session) -> None:
        accounts.update_user(
            db,
            budi,
            full_name="Budi Santoso",
            position="Analis",
            nip=NIP,
            email="budi@menpan.example.id",
            unit_code=UNIT,
            roles=["kemenpanrb.pimpinan"],
        )

    assert refused(sessions, create, "nip") == "NIP ini sudah dipakai akun siti."
    assert refused(sessions, edit, "nip") == "NIP ini sudah dipakai akun siti."
    with sessions() as db:
        assert accounts.find_user(db, "tono") is None


def test_an_account_keeps_its_own_nip(sessions: sessionmaker[Session]):
    siti = add_user(sessions, "siti", ["kemenpanrb.petugas"], nip=NIP)
    with sessions() as db:
        accounts.update_user(
            db,
            siti,
            full_name="Siti Rahma",
            position="",
            nip=NIP,
            email=None,
            unit_code=UNIT,
            roles=["kemenpanrb.petugas"],
        )
        db.commit()
        found = accounts.find_user_by_nip(db, NIP)
        assert found is not None and found.full_name == "Siti Rahma"


# -- an active administrator is always left --------------------------------------------------


def _edit_roles(user_id: int, roles: list[str]) -> Change:
    def change(db: Session) -> None:
        user = accounts.get_user(db, user_id)
        assert user is not None
        accounts.update_user(
            db,
            user_id,
            full_name="Nama Baru",
            position=user.position,
            nip=user.nip,
            email=user.email,
            unit_code=user.unit_code,
            roles=roles,
        )

    return change


def test_the_last_administrator_cannot_be_deactivated_nor_lose_the_role(
    sessions: sessionmaker[Session],
):
    admin = add_user(sessions, "admin", [accounts.ADMIN, "alur.pemilik_proses"])
    message = refused(sessions, lambda db: accounts.set_active(db, admin, False), "active")
    assert "satu-satunya administrator yang aktif" in message
    message = refused(sessions, _edit_roles(admin, ["alur.pemilik_proses"]), "roles")
    assert "Peran Administrator Alur tidak dapat dicabut dari akun admin" in message

    # An inactive administrator does not count.
    former = add_user(sessions, "mantan", [accounts.ADMIN])
    with sessions() as db:
        accounts.set_active(db, former, False)
        db.commit()
    refused(sessions, lambda db: accounts.set_active(db, admin, False), "active")

    # Other changes to the last administrator are fine.
    with sessions() as db:
        _edit_roles(admin, [accounts.ADMIN])(db)
        accounts.set_active(db, admin, True)
        db.commit()
        user = accounts.get_user(db, admin)
        assert user is not None and user.role_codes == {accounts.ADMIN}
        assert user.full_name == "Nama Baru"


def test_an_administrator_may_go_while_another_stays(sessions: sessionmaker[Session]):
    first = add_user(sessions, "admin", [accounts.ADMIN])
    second = add_user(sessions, "admin2", [accounts.ADMIN])
    with sessions() as db:
        _edit_roles(first, ["alur.pemilik_proses"])(db)
        db.commit()
    refused(sessions, lambda db: accounts.set_active(db, second, False), "active")
    with sessions() as db:
        _edit_roles(first, [accounts.ADMIN])(db)
        db.commit()
        accounts.set_active(db, second, False)
        db.commit()
        holders = accounts.active_holders(db, accounts.ADMIN)
    assert [user.username for user in holders] == ["admin"]


@pytest.mark.parametrize("how", ["deactivate", "take the role"])
def test_two_administrators_removing_each_other_at_once_leave_one(
    sessions: sessionmaker[Session], how: str
):
    first = add_user(sessions, "admin", [accounts.ADMIN])
    second = add_user(sessions, "admin2", [accounts.ADMIN])

    def remove(db: Session, user_id: int) -> None:
        if how == "deactivate":
            accounts.set_active(db, user_id, False)
        else:
            _edit_roles(user_id, ["alur.pemilik_proses"])(db)

    outcome: list[BaseException | None] = []

    def the_other() -> None:
        try:
            with sessions() as db:
                remove(db, second)
                db.commit()
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            outcome.append(error)

    with sessions() as db:
        remove(db, first)  # holds the lock until its commit
        other = threading.Thread(target=the_other)
        other.start()
        other.join(1.0)
        assert other.is_alive(), "the second removal did not wait for the first"
        db.commit()
    other.join(20)
    assert not other.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], accounts.AccountRefused)
    with sessions() as db:
        left = accounts.active_holders(db, accounts.ADMIN)
        assert [user.username for user in left] == ["admin2"]
        assert db.scalar(select(func.count()).select_from(StaffRole)) >= 1
