"""Staff: the registers of their agency (e.g. the *Buku Register Pengaduan*), on screen, as CSV
and as PDF."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, g, render_template, request

from alur import agencies, letters, numbering, services
from storage import numbering as registers
from storage.models import utcnow
from web.auth import login_required
from web.public import STATUS_LABELS

bp = Blueprint("registers", __name__, url_prefix="/register")
COLUMNS = ("No. register", "Tanggal", "Saluran", "Pengadu/pemohon", "Perihal", "Status", "Hasil")


@dataclass(frozen=True)
class Row:
    number: str
    date: str
    channel: str
    applicant: str
    subject: str
    status: str
    outcome: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.number,
            self.date,
            self.channel,
            self.applicant,
            self.subject,
            self.status,
            self.outcome,
        )


def _readable(agency: str, code: str) -> numbering.Register:
    try:
        register = numbering.register(agency, code)
    except KeyError:
        abort(404)
    if not numbering.may_read(register, g.user.role_codes):
        abort(403)
    return register


def _year() -> int:
    raw = request.args.get("tahun", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else utcnow().year


def rows(register: numbering.Register, year: int) -> list[Row]:
    zone = agencies.agency(register.agency).timezone
    with current_app.extensions["alur.db"]() as db:
        found = registers.book(db, register.agency, register.code, year)
    return [
        Row(
            number=entry.number,
            date=letters.format_date(letters.local_date(entry.created_at, zone)),
            channel=_channel(case.data.get("channel")) if case else "",
            applicant=case.applicant_name if case else "",
            subject=case.subject if case else entry.subject,
            status=STATUS_LABELS.get(case.status, case.status) if case else "",
            outcome=(case.outcome or "") if case else "",
        )
        for entry, case in found
    ]


def _channel(value: object) -> str:
    if not isinstance(value, str):
        return "Layanan daring Alur"
    return services.COMPLAINT_CHANNELS.get(value, value)


@bp.get("")
@login_required
def index() -> str:
    """The registers this member may read."""
    mine = [r for r in numbering.REGISTERS if numbering.may_read(r, g.user.role_codes)]
    return render_template("registers/index.html", registers=mine, year=utcnow().year)


@bp.get("/<agency>/<code>")
@login_required
def show(agency: str, code: str) -> str:
    register = _readable(agency, code)
    year = _year()
    return render_template(
        "registers/book.html",
        register=register,
        year=year,
        rows=rows(register, year),
        columns=COLUMNS,
    )


@bp.get("/<agency>/<code>.csv")
@login_required
def as_csv(agency: str, code: str) -> Response:
    """The register as CSV (UTF-8 with BOM, so spreadsheet programs read it right)."""
    register = _readable(agency, code)
    year = _year()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows(register, year):
        writer.writerow([_safe_cell(cell) for cell in row.cells()])
    return _download(("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv", register, year, "csv")


@bp.get("/<agency>/<code>.pdf")
@login_required
def as_pdf(agency: str, code: str) -> Response:
    register = _readable(agency, code)
    year = _year()
    pdf = letters.render_pdf(
        "register.html",
        {
            "letterhead": agencies.agency(register.agency).letterhead,
            "register": register,
            "year": year,
            "rows": rows(register, year),
            "columns": COLUMNS,
            "printed": letters.format_datetime(utcnow()),
        },
    )
    return _download(pdf, "application/pdf", register, year, "pdf")


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
