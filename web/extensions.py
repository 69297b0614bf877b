"""The clients ``create_app`` keeps in ``app.extensions``, for the views of the request."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from alur import agencies, services


def db() -> Session:
    """A new database session (use it in a ``with`` block)."""
    return current_app.extensions["alur.db"]()


def catalog() -> tuple[services.Service, ...]:
    """The services this app offers."""
    return current_app.extensions["alur.services"]


def routed_services() -> frozenset[str]:
    """The codes of the services whose cases only the units they are routed to now may open
    (``Service.routed``: SP4N-LAPOR!)."""
    return frozenset(service.code for service in catalog() if service.routed)


def agency_name(code: str) -> str:
    """The name applicants read for the agency ``code`` (the code itself if it has no data),
    as stored now; read once per request."""
    if "alur_agency_names" not in g:
        with db() as session:
            g.alur_agency_names = agencies.names(session)
    names: dict[str, str] = g.alur_agency_names
    return names.get(code, code)
