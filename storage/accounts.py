"""Staff accounts: argon2id password hashes, roles and units.

The account rules hold for every caller (the admin pages, a script, a CLI): a password of
``MIN_PASSWORD`` to ``MAX_PASSWORD`` characters, a NIP held by one account only, and at least one
active account holding ``ADMIN``. A change they refuse raises :class:`AccountRefused` with a
Bahasa message before anything is changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import StaffRole, StaffUser, Unit

_hasher = PasswordHasher()
# Verified when the username is unknown, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("alur-tidak-ada-pengguna")

#: The role that administers accounts (``alur.roles``): some active account always holds it.
ADMIN = "alur.admin"
MIN_PASSWORD = 12
MAX_PASSWORD = 256
#: A unit's code: what ``/admin/unit`` and the agencies' file accept.
UNIT_CODE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


class AccountRefused(ValueError):
    """An account change the rules refuse; nothing was changed.

    ``field`` is the part of the account it concerns (``password``, ``nip``, ``roles``,
    ``active``: the admin form's field names), ``message`` what to tell the person, in Bahasa.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def password_refusal(password: str) -> AccountRefused | None:
    """What is wrong with ``password`` as a new password, or None."""
    if len(password) < MIN_PASSWORD:
        return AccountRefused("password", f"Kata sandi minimal {MIN_PASSWORD} karakter.")
    if len(password) > MAX_PASSWORD:
        return AccountRefused("password", f"Kata sandi paling banyak {MAX_PASSWORD} karakter.")
    return None


def nip_refusal(
    session: Session, nip: str | None, user_id: int | None = None
) -> AccountRefused | None:
    """Why the account ``user_id`` (None: a new one) may not hold ``nip``, or None."""
    if not nip:
        return None
    holder = find_user_by_nip(session, nip)
    if holder is not None and holder.id != user_id:
        return AccountRefused("nip", f"NIP ini sudah dipakai akun {holder.username}.")
    return None


def _refuse(refusal: AccountRefused | None) -> None:
    if refusal is not None:
        raise refusal


def _is_last_admin(session: Session, user: StaffUser) -> bool:
    """Whether ``user`` is the only active holder of ``ADMIN``.

    What it read stays true until the caller's transaction ends, so two administrators taking
    each other's role or account away at once cannot both succeed: PostgreSQL locks the active
    holders' account and role rows, in id order (the second caller waits, then reads the first
    one's change); SQLite, with one writer, is given a write first (a no-op on ``user``'s row),
    so the check reads the last committed state and no other change commits before the
    caller's.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(StaffUser)
            .where(StaffUser.id == user.id)
            .values(active=StaffUser.active)
            .execution_options(synchronize_session=False)
        )
    holders = session.scalars(
        select(StaffUser.id)
        .join(StaffRole, StaffRole.user_id == StaffUser.id)
        .where(StaffRole.role == ADMIN, StaffUser.active.is_(True))
        .order_by(StaffUser.id)
        .with_for_update()
    )
    return set(holders) <= {user.id}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def ensure_unit(
    session: Session,
    code: str,
    name: str,
    parent_code: str | None = None,
    agency_code: str | None = None,
    services: Sequence[str] = (),
) -> Unit:
    """The unit ``code``, created if missing (an existing one is left as it is). A new unit
    without an agency belongs to its parent's agency, if the parent has one; ``services``
    are the services whose cases it receives for its agency (``Unit.services``)."""
    unit = session.get(Unit, code)
    if unit is None:
        if agency_code is None and parent_code is not None:
            parent = session.get(Unit, parent_code)
            agency_code = parent.agency_code if parent is not None else None
        unit = Unit(
            code=code,
            name=name,
            parent_code=parent_code,
            agency_code=agency_code,
            services=list(services),
        )
        session.add(unit)
        session.flush()
    return unit


def save_unit(
    session: Session,
    code: str,
    name: str,
    parent_code: str | None,
    agency_code: str | None,
    services: Sequence[str] | None = None,
) -> bool:
    """Create the unit or set its name, parent, agency and (unless None) the services it
    receives to these; True if anything changed."""
    unit = session.get(Unit, code)
    if unit is None:
        ensure_unit(session, code, name, parent_code, agency_code, services or ())
        return True
    wanted = (name, parent_code, agency_code)
    changed = (unit.name, unit.parent_code, unit.agency_code) != wanted
    unit.name, unit.parent_code, unit.agency_code = wanted
    if services is not None and list(unit.services or []) != list(services):
        unit.services = list(services)
        changed = True
    if changed:
        session.flush()
    return changed


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
    """A new account (flushed; the caller commits).

    Raises:
        AccountRefused: the password breaks the password policy.
    """
    _refuse(password_refusal(password))
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


def active_holders(
    session: Session, role: str, units: Iterable[str] | None = None
) -> list[StaffUser]:
    """The active accounts holding ``role``, oldest first; only those of ``units`` if given."""
    query = (
        select(StaffUser)
        .join(StaffRole, StaffRole.user_id == StaffUser.id)
        .where(StaffRole.role == role, StaffUser.active.is_(True))
        .order_by(StaffUser.id)
    )
    if units is not None:
        query = query.where(StaffUser.unit_code.in_(sorted(set(units))))
    return list(session.scalars(query))


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
    """:func:`create_user` with the optional NIP and e-mail address.

    Raises:
        AccountRefused: the password breaks the policy, or another account holds the NIP.
    """
    _refuse(nip_refusal(session, nip))
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
    """Replace a user's details and roles (the username never changes).

    Raises:
        AccountRefused: another account holds the NIP, or the change takes ``ADMIN`` from the
            last active administrator.
    """
    user = _existing_user(session, user_id)
    _refuse(nip_refusal(session, nip, user.id))
    wanted = set(roles)
    losing_admin = ADMIN in user.role_codes and ADMIN not in wanted and user.active
    if losing_admin and _is_last_admin(session, user):
        raise AccountRefused(
            "roles",
            f"Peran Administrator Alur tidak dapat dicabut dari akun {user.username}: akun ini"
            " satu-satunya administrator yang aktif. Berikan peran itu kepada akun lain"
            " terlebih dahulu.",
        )
    user.full_name = full_name
    user.position = position
    user.nip = nip
    user.email = email
    user.unit_code = unit_code
    kept = [r for r in user.roles if r.role in wanted]
    held = {r.role for r in kept}
    user.roles = kept + [StaffRole(role=role) for role in sorted(wanted - held)]
    session.flush()
    return user


def set_password(session: Session, user_id: int, password: str) -> StaffUser:
    """Replace the user's password (flushed; the caller commits).

    Raises:
        AccountRefused: the password breaks the password policy.
    """
    _refuse(password_refusal(password))
    user = _existing_user(session, user_id)
    user.password_hash = hash_password(password)
    session.flush()
    return user


def set_active(session: Session, user_id: int, active: bool) -> StaffUser:
    """Activate or deactivate an account (flushed; the caller commits).

    Raises:
        AccountRefused: it would deactivate the last active administrator.
    """
    user = _existing_user(session, user_id)
    if not active and user.active and ADMIN in user.role_codes and _is_last_admin(session, user):
        raise AccountRefused(
            "active",
            f"Akun {user.username} tidak dapat dinonaktifkan: akun ini satu-satunya"
            " administrator yang aktif. Berikan peran Administrator Alur kepada akun lain"
            " terlebih dahulu.",
        )
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


def child_units(session: Session, code: str) -> list[Unit]:
    """The units directly beneath ``code`` (not their own children), by name."""
    query = select(Unit).where(Unit.parent_code == code).order_by(Unit.name, Unit.code)
    return list(session.scalars(query))


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


def unit_agencies(session: Session) -> dict[str, str | None]:
    """Each unit's agency: its own, else that of the nearest unit above it that has one (None:
    a unit of no agency, nor any unit above it)."""
    rows = {
        code: (parent, agency)
        for code, parent, agency in session.execute(
            select(Unit.code, Unit.parent_code, Unit.agency_code)
        )
    }
    found: dict[str, str | None] = {}
    for start in rows:
        seen: list[str] = []
        current: str | None = start
        agency: str | None = None
        while current is not None and current in rows and current not in seen:
            if current in found:
                agency = found[current]
                break
            seen.append(current)
            parent, own = rows[current]
            if own:
                agency = own
                break
            current = parent
        for code in seen:
            found.setdefault(code, agency)
    return found


def unit_agency(session: Session, code: str | None) -> str | None:
    """The agency of the unit ``code`` (its own or the nearest one above it), or None: no
    unit, an unknown unit, or a unit of no agency."""
    return unit_agencies(session).get(code) if code is not None else None


def receiving_units(session: Session, service_code: str) -> list[Unit]:
    """The units whose ``services`` list ``service_code``: each receives the service's cases
    for its agency. By name."""
    units = session.scalars(select(Unit).order_by(Unit.name, Unit.code))
    return [unit for unit in units if service_code in (unit.services or [])]


def services_of_agency(session: Session, agency_code: str) -> frozenset[str]:
    """The services whose cases units of the agency (their own or inherited) receive."""
    agency_of = unit_agencies(session)
    rows = session.execute(select(Unit.code, Unit.services))
    return frozenset(
        service
        for code, listed in rows
        if agency_of.get(code) == agency_code
        for service in (listed or [])
    )
