"""Staff accounts: argon2id password hashes, roles and units."""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
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


# -- administration (web/admin.py) -------------------------------------------------------------


def get_user(session: Session, user_id: int) -> StaffUser | None:
    return session.get(StaffUser, user_id)


def find_user(session: Session, username: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.username == username))


def full_names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """The full name of each of ``usernames`` that has an account."""
    wanted = sorted(set(usernames))
    if not wanted:
        return {}
    rows = session.execute(
        select(StaffUser.username, StaffUser.full_name).where(StaffUser.username.in_(wanted))
    )
    return {username: full_name for username, full_name in rows}


def find_user_by_nip(session: Session, nip: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.nip == nip))


def list_users(
    session: Session, unit_code: str | None = None, role: str | None = None
) -> list[StaffUser]:
    """Staff accounts by name, optionally only those of one unit and/or holding one role."""
    query = select(StaffUser).order_by(StaffUser.full_name, StaffUser.username)
    if unit_code:
        query = query.where(StaffUser.unit_code == unit_code)
    if role:
        query = query.where(StaffUser.roles.any(StaffRole.role == role))
    return list(session.scalars(query))


def create_account(
    session: Session,
    username: str,
    password: str,
    *,
    full_name: str,
    unit_code: str,
    roles: Iterable[str],
    position: str = "",
    nip: str | None = None,
    email: str | None = None,
) -> StaffUser:
    """:func:`create_user` with the optional NIP and e-mail address."""
    user = create_user(
        session,
        username,
        password,
        full_name=full_name,
        unit_code=unit_code,
        roles=roles,
        position=position,
    )
    user.nip = nip
    user.email = email
    session.flush()
    return user


def update_user(
    session: Session,
    user_id: int,
    *,
    full_name: str,
    position: str,
    nip: str | None,
    email: str | None,
    unit_code: str,
    roles: Iterable[str],
) -> StaffUser:
    """Replace a user's details and roles (the username never changes)."""
    user = _existing_user(session, user_id)
    user.full_name = full_name
    user.position = position
    user.nip = nip
    user.email = email
    user.unit_code = unit_code
    wanted = set(roles)
    kept = [r for r in user.roles if r.role in wanted]
    held = {r.role for r in kept}
    user.roles = kept + [StaffRole(role=role) for role in sorted(wanted - held)]
    session.flush()
    return user


def set_password(session: Session, user_id: int, password: str) -> StaffUser:
    user = _existing_user(session, user_id)
    user.password_hash = hash_password(password)
    session.flush()
    return user


def set_active(session: Session, user_id: int, active: bool) -> StaffUser:
    user = _existing_user(session, user_id)
    user.active = active
    session.flush()
    return user


def _existing_user(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise LookupError(f"no staff user {user_id}")
    return user


def get_unit(session: Session, code: str) -> Unit | None:
    return session.get(Unit, code)


def list_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.name, Unit.code)))


def unit_tree(session: Session) -> list[tuple[Unit, int]]:
    """Every unit with its depth, parents first and children beneath them, by name."""
    units = list_units(session)
    children: dict[str | None, list[Unit]] = {}
    known = {unit.code for unit in units}
    for unit in units:
        parent = unit.parent_code if unit.parent_code in known else None
        children.setdefault(parent, []).append(unit)
    ordered: list[tuple[Unit, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for unit in children.get(parent, []):
            if unit.code not in seen:
                seen.add(unit.code)
                ordered.append((unit, depth))
                walk(unit.code, depth + 1)

    walk(None, 0)
    # A cycle (a unit among its own ancestors) is never reached from a root: list it anyway.
    ordered.extend((unit, 0) for unit in units if unit.code not in seen)
    return ordered


def count_users_by_unit(session: Session) -> dict[str, int]:
    """How many accounts (active or not) each unit has; units without any are absent."""
    query = select(StaffUser.unit_code, func.count()).group_by(StaffUser.unit_code)
    return {code: int(count) for code, count in session.execute(query)}


def unit_scope(session: Session, code: str) -> frozenset[str]:
    """``code`` and every unit beneath it: the units whose tasks its staff may take."""
    parents = {
        code: parent for code, parent in session.execute(select(Unit.code, Unit.parent_code))
    }
    scope = {code}
    grew = True
    while grew:
        below = {child for child, parent in parents.items() if parent in scope}
        grew = not below <= scope
        scope |= below
    return frozenset(scope)


def unit_chain(session: Session, code: str) -> list[str]:
    """``code`` and the units above it, nearest first."""
    parents = {c: parent for c, parent in session.execute(select(Unit.code, Unit.parent_code))}
    chain: list[str] = []
    current: str | None = code
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def unit_ancestry(session: Session, code: str) -> frozenset[str]:
    """``code`` and every unit above it: whose staff may take that unit's tasks."""
    return frozenset(unit_chain(session, code))
