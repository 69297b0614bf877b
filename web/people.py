"""People are named, not accounts: a username shown on a page becomes the person's name.

The ``orang`` filter looks names up once per request; what the machine did reads *sistem*,
what the applicant did *pemohon*.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import g

from storage import accounts
from web import extensions

#: Actors that are not staff accounts, as a person reads them.
NOT_STAFF = {"sistem": "sistem", "alur": "sistem", "launcher": "sistem", "pemohon": "pemohon"}


def remember(usernames: Iterable[str | None]) -> None:
    """Look up the names of ``usernames`` in one query (before a page names them)."""
    known: dict[str, str] = g.setdefault("people", {})
    wanted = {u for u in usernames if u and u not in known and u not in NOT_STAFF}
    if wanted:
        with extensions.db() as db:
            found = accounts.full_names(db, wanted)
        known.update({u: found.get(u, u) for u in wanted})


def name_of(username: str | None) -> str:
    """The person's name for ``username`` (the username itself if it has no account)."""
    if not username:
        return ""
    if username in NOT_STAFF:
        return NOT_STAFF[username]
    remember([username])
    known: dict[str, str] = g.people
    return known.get(username, username)
