"""Process owners: the printed SOP of every shipped diagram, generated from the diagram."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template

from alur import numbering, roles, soptable
from web import extensions
from web.auth import roles_required

bp = Blueprint("owners", __name__, url_prefix="/pemilik-proses")
OWNER_ROLES = roles.OWNERS


def _diagrams() -> dict[str, Path]:
    folder = Path(current_app.extensions["alur.settings"].bpmn_dir)
    return {path.stem: path for path in sorted(folder.glob("*.bpmn"))}


def _table(name: str) -> soptable.SopTable:
    path = _diagrams().get(name)
    if path is None:
        abort(404)
    forms_dir = Path(current_app.extensions["alur.settings"].forms_dir)
    with extensions.db() as db:  # the registers' titles as the agencies' data has them now
        titles = {(r.agency, r.code): r.title for r in numbering.all_registers(db)}
    calendar_file = current_app.extensions["alur.settings"].calendar_file
    return soptable.table(path.read_bytes(), forms_dir, titles, calendar_file)


@bp.get("/sop")
@roles_required(*OWNER_ROLES)
def index() -> str:
    """Every diagram with its SOP table."""
    tables = [(name, _table(name)) for name in _diagrams()]
    return render_template("owners/sop_index.html", tables=tables)


@bp.get("/sop/<name>")
@roles_required(*OWNER_ROLES)
def show(name: str) -> str:
    return render_template("owners/sop.html", name=name, sop=_table(name))


@bp.get("/sop/<name>.pdf")
@roles_required(*OWNER_ROLES)
def pdf(name: str) -> Response:
    response = Response(soptable.render_pdf(_table(name)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="sop-{name}.pdf"'
    return response
