"""The clients ``create_app`` keeps in ``app.extensions``, for the views of the request."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from alur import services


def db() -> Session:
    """A new database session (use it in a ``with`` block)."""
    return current_app.extensions["alur.db"]()


def catalog() -> tuple[services.Service, ...]:
    """The services this app offers."""
    return current_app.extensions["alur.services"]
