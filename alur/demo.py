"""Demo accounts for a local stack: one account per role, all sharing one password, in the
units of the agencies' file (``deploy/agencies.toml``).

``make run`` seeds them (``ALUR_DEMO_ACCOUNTS=true``) so every lane of the five SOPs can be
tried at once. The password is published here and printed by the launcher: **local demo
only**. Never turn ``ALUR_DEMO_ACCOUNTS`` on where real people work.

:func:`seed` is idempotent: a unit or an account that already exists (by code, by username)
is left exactly as it is, even if someone changed it since.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from alur import agency_file, roles, sops
from alur.sop import DemoAccount
from storage import accounts
from storage.models import StaffRole, StaffUser

#: The password of every demo account. Local demo only.
DEMO_PASSWORD = "alur-demo-2026"
EMAIL_DOMAIN = "demo.alur.localhost"

#: Alur's own demo accounts; every SOP's come from its declaration (``alur.sops``).
PLATFORM_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "pemilik.proses",
        "Indah Permatasari, S.T., M.B.A.",
        "Analis Tata Laksana Ahli Madya",
        "kemenpanrb-kelembagaan",
        (roles.PROCESS_OWNER,),
        "198204282008012008",
    ),
    DemoAccount(
        "admin",
        "Ahmad Fauzi, S.Kom.",
        "Pranata Komputer Ahli Muda",
        "kemenpanrb",
        (roles.ADMIN, roles.PROCESS_OWNER),
        "199006192015031001",
    ),
)

#: One account per role of ``alur.roles.ROLES``; ``admin`` holds both of Alur's own roles.
ACCOUNTS: tuple[DemoAccount, ...] = sops.demo_accounts(sops.SOPS) + PLATFORM_ACCOUNTS


def unit_name(code: str) -> str:
    """The unit's name in the agencies' file (what the launcher prints beside each account)."""
    return agency_file.shipped().unit_name(code)


def seed(session: Session) -> list[DemoAccount]:
    """Create the units of the agencies' file (``deploy/agencies.toml``) and the demo accounts
    that do not exist yet, commit, list every account."""
    for unit in agency_file.shipped().units:
        accounts.ensure_unit(session, unit.code, unit.name, unit.parent_code, unit.agency_code)
    # One published password, so one argon2id hash for all: a first start stays quick.
    password_hash: str | None = None
    for account in ACCOUNTS:
        if accounts.find_user(session, account.username) is not None:
            continue
        password_hash = password_hash or accounts.hash_password(DEMO_PASSWORD)
        session.add(
            StaffUser(
                username=account.username,
                full_name=account.full_name,
                position=account.position,
                nip=account.nip,
                email=f"{account.username}@{EMAIL_DOMAIN}",
                password_hash=password_hash,
                unit_code=account.unit_code,
                roles=[StaffRole(role=role) for role in account.roles],
            )
        )
        session.flush()
    session.commit()
    return list(ACCOUNTS)
