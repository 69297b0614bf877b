"""The agencies whose letters Alur issues: letterhead (with its logo), place of signing, time
zone.

Agencies are data (issue 24): an administrator edits them in ``/admin/instansi`` and an
installation loads its own from ``deploy/agencies.toml`` (``alur agencies load``,
:mod:`alur.agency_file`); ``storage.agencies`` keeps them and their rules. Each use reads the
agency afresh, so an edit takes effect at the next letter, without a restart. The codes are
those of the ``instansi`` header of the diagrams' letter and register tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from alur.letter_parts import Letterhead, Logo
from storage import agencies as stored
from storage.models import Agency as AgencyRow


@dataclass(frozen=True)
class Agency:
    code: str
    letterhead: Letterhead
    place: str
    timezone: str = "Asia/Jakarta"
    #: What applicants read as the agency's name (default: the letterhead's).
    display_name: str = ""

    @property
    def name(self) -> str:
        return self.display_name or self.letterhead.name


def of_fields(code: str, fields: stored.Letterhead, logo: Logo | None = None) -> Agency:
    """The agency as letters use it, from its letterhead fields and logo."""
    return Agency(
        code=code,
        letterhead=Letterhead(
            name=fields.name,
            units=fields.units,
            address=fields.address,
            contact=fields.contact,
            parent=fields.parent,
            logo=logo,
        ),
        place=fields.place,
        timezone=fields.timezone,
        display_name=fields.display_name,
    )


def of_row(row: AgencyRow) -> Agency:
    """The agency as letters use it, from its stored row."""
    logo = Logo(row.logo_type, row.logo) if row.logo is not None and row.logo_type else None
    return of_fields(row.code, stored.letterhead_of(row), logo)


def find(session: Session, code: str) -> Agency | None:
    """The agency ``code`` as stored now, or None."""
    row = stored.get(session, code) if code else None
    return of_row(row) if row is not None else None


def agency(session: Session, code: str) -> Agency:
    """The agency ``code`` as stored now; KeyError names a code no agency has."""
    found = find(session, code)
    if found is None:
        raise KeyError(f"unknown agency {code!r}")
    return found


def names(session: Session) -> dict[str, str]:
    """Each agency's code -> the name applicants read."""
    return stored.names(session)
