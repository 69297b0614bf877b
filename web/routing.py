"""Staff: where a routed service's cases went (SP4N-LAPOR!'s national view) — per agency, the
reports received in a period, still open, late, returned, archived, closed by the system and
settled (``storage.routing``). For the holders of a national role; the period is typed as on
the SLA dashboard."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from alur import dates, roles, services
from storage import accounts, routing
from storage.models import utcnow
from web import extensions
from web.auth import login_required
from web.sla import PERIOD_FIELDS, format_count, parse_period, period_bounds
from web.tasks import viewer

bp = Blueprint("routing", __name__, url_prefix="/sla/rute")

#: The row of the cases still at the national step.
NATIONAL_LABEL = "Masih di Admin Nasional"


@bp.get("/<service_code>")
@login_required
def index(service_code: str) -> str:
    """The service's cases of the period, per agency, with the period's totals."""
    me = viewer()
    if not me.roles & roles.NATIONAL:
        abort(403)
    service = services.by_code(extensions.catalog(), service_code)
    if service is None or not service.routed:
        abort(404)
    period = parse_period(request.args, dates.local_date(utcnow()))
    start, end = period_bounds(period.first, period.last)
    with extensions.db() as db:
        rows = routing.by_agency(db, service.code, start, end, service.returns)
        names = {unit.code: unit.name for unit in accounts.list_units(db)}
    rows.sort(key=lambda r: (r.unit_code is not None, -r.received, names.get(r.unit_code or "")))
    total = routing.AgencyFigures(None)
    for row in rows:
        for name in ROW_FIELDS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return render_template(
        "sla/routing.html",
        service=service,
        period=period,
        period_fields=PERIOD_FIELDS,
        problems=period.problems,
        first=period.first,
        last=period.last,
        rows=rows,
        total=total,
        columns=COLUMNS,
        name_of=lambda code: NATIONAL_LABEL if code is None else names.get(code, code),
        count=format_count,
    )


#: The columns, in order: the figure's name and its Bahasa heading.
COLUMNS = (
    ("received", "Diterima"),
    ("open", "Masih terbuka"),
    ("overdue", "Pernah terlambat"),
    ("returned", "Pernah dikembalikan"),
    ("archived", "Diarsipkan"),
    ("closed_by_system", "Ditutup sistem"),
    ("settled", "Selesai lainnya"),
)
ROW_FIELDS = tuple(name for name, _ in COLUMNS)
