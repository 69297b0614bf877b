"""Pages for citizens and applicants."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("public", __name__)


@bp.get("/")
def index() -> str:
    """The front page: what Alur offers."""
    return render_template("index.html")
