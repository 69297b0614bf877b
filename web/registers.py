"""Staff: the registers of their agency (e.g. the *Buku Register Pengaduan*), on screen, as CSV
and as PDF, each with the columns of its kind (``alur.register_columns``). Staff of a unit of
one agency never read another agency's registers, also when both run the same SOP
(``alur.numbering.readable``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, g, render_template, request
from sqlalchemy.orm import Session

from alur import agencies, dates, letters, numbering, register_columns
from storage import numbering as registers
from storage.models import utcnow
from web.auth import login_required

bp = Blueprint("registers", __name__, url_prefix="/register")


@dataclass(frozen=True)
class Book:
    """A register's book of one year, with the columns its kind shows."""

    register: numbering.Register
    agency: agencies.Agency
    year: int
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]


def _readable(db: Session, agency: str, code: str) -> numbering.Register:
    try:
        register = numbering.register(db, agency, code)
    except KeyError:
        abort(404)
    if not numbering.may_read(db, register, g.user.role_codes, g.user.unit_code):
        abort(403)
    return register


def _year() -> int:
    raw = request.args.get("tahun", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else utcnow().year


def book(agency: str, code: str) -> Book:
    """The book the request asks for (404: no such register; 403: not the member's agency)."""
    year = _year()
    with current_app.extensions["alur.db"]() as db:
        register = _readable(db, agency, code)
        owner = agencies.agency(db, register.agency)
        found = registers.book(db, register.agency, register.code, year)
    rows = [
        register_columns.cells(
            register.kind,
            register_columns.Line(entry, case, dates.local_date(entry.created_at, owner.timezone)),
        )
        for entry, case in found
    ]
    labels = tuple(column.label for column in register_columns.columns(register.kind))
    return Book(register, owner, year, labels, rows)


@bp.get("")
@login_required
def index() -> str:
    """The registers this member may read."""
    with current_app.extensions["alur.db"]() as db:
        every = numbering.all_registers(db)
        mine = numbering.readable(db, every, g.user.role_codes, g.user.unit_code)
    return render_template("registers/index.html", registers=mine, year=utcnow().year)


@bp.get("/<agency>/<code>")
@login_required
def show(agency: str, code: str) -> str:
    found = book(agency, code)
    return render_template(
        "registers/book.html",
        register=found.register,
        year=found.year,
        rows=found.rows,
        columns=found.columns,
    )


@bp.get("/<agency>/<code>.csv")
@login_required
def as_csv(agency: str, code: str) -> Response:
    """The register as CSV (UTF-8 with BOM, so spreadsheet programs read it right)."""
    found = book(agency, code)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(found.columns)
    for row in found.rows:
        writer.writerow([_safe_cell(cell) for cell in row])
    data = ("\ufeff" + out.getvalue()).encode("utf-8")
    return _download(data, "text/csv", found.register, found.year, "csv")


@bp.get("/<agency>/<code>.pdf")
@login_required
def as_pdf(agency: str, code: str) -> Response:
    found = book(agency, code)
    pdf = letters.render_pdf(
        "register.html",
        {
            "letterhead": found.agency.letterhead,
            "register": found.register,
            "year": found.year,
            "rows": found.rows,
            "columns": found.columns,
            "printed": dates.show_datetime(utcnow()),
        },
    )
    return _download(pdf, "application/pdf", found.register, found.year, "pdf")


def _safe_cell(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _download(
    data: bytes, mimetype: str, register: numbering.Register, year: int, ext: str
) -> Response:
    response = Response(data, mimetype=mimetype)
    name = f"register-{register.agency}-{register.code}-{year}.{ext}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
