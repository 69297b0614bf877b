"""Staff accounts: argon2id password hashes, roles and units."""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import StaffRole, StaffUser, Unit

_hasher = PasswordHasher()
# Verified when the username is unknown, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("alur-tidak-ada-pengguna")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def ensure_unit(session: Session, code: str, name: str, parent_code: str | None = None) -> Unit:
    unit = session.get(Unit, code)
    if unit is None:
        unit = Unit(code=code, name=name, parent_code=parent_code)
        session.add(unit)
        session.flush()
    return unit


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    full_name: str,
    unit_code: str,
    roles: Iterable[str],
    position: str = "",
) -> StaffUser:
    user = StaffUser(
        username=username,
        full_name=full_name,
        position=position,
        password_hash=hash_password(password),
        unit_code=unit_code,
        roles=[StaffRole(role=role) for role in sorted(set(roles))],
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> StaffUser | None:
    """The active user with this username and password, or None."""
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    stored = user.password_hash if user is not None and user.active else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.commit()
    return user
