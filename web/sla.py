"""Staff: the SLA dashboard — open cases, on-time rate, overdue tasks and time per step, per
SOP and unit, for the units a member works for (their unit and the units beneath it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from flask import Blueprint, current_app, render_template, request
from werkzeug.datastructures import MultiDict

from alur import letters, services
from storage import accounts, incidents, sla
from storage.models import utcnow
from web.auth import login_required
from web.tasks import viewer

bp = Blueprint("sla", __name__, url_prefix="/sla")

#: Periods are calendar days in WIB.
ZONE = ZoneInfo(letters.DEFAULT_TZ)
DEFAULT_DAYS = 30
ADMIN = "alur.admin"
#: Roles that also see the rows without a unit (national processes such as SP4N-LAPOR!).
NATIONAL_ROLES = frozenset({"lapor.admin_nasional", ADMIN})
#: The unit filter's value for "national rows only".
NATIONAL = "-"
NATIONAL_LABEL = "Nasional (tanpa unit)"


@dataclass(frozen=True)
class Reach:
    """Whose figures a member sees: ``units`` None means every unit and the national rows."""

    units: frozenset[str] | None
    national: bool


def reach_of(roles: frozenset[str], scope: frozenset[str]) -> Reach:
    """An administrator sees everything; others their unit ``scope``, plus the national rows
    when they hold a national role."""
    if ADMIN in roles:
        return Reach(None, True)
    return Reach(scope, bool(roles & NATIONAL_ROLES))


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The instants ``[start, end)`` covering the WIB days ``first`` to ``last`` inclusive."""
    start = datetime.combine(first, time(), ZONE)
    end = datetime.combine(last + timedelta(days=1), time(), ZONE)
    return start, end


def parse_period(args: MultiDict[str, str], today: date) -> tuple[date, date, list[str]]:
    """``dari``/``sampai`` from the query (default: the last 30 days up to ``today``)."""
    problems: list[str] = []
    last = _date(args.get("sampai", ""), "sampai", problems) or today
    first = _date(args.get("dari", ""), "dari", problems) or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        problems.append("Tanggal awal jatuh setelah tanggal akhir; keduanya ditukar.")
        first, last = last, first
    if last - first + timedelta(days=1) > sla.MAX_PERIOD:
        first = last - sla.MAX_PERIOD + timedelta(days=1)
        problems.append(
            f"Periode paling panjang {sla.MAX_PERIOD.days} hari; "
            f"ditampilkan mulai {letters.format_date(first)}."
        )
    return first, last, problems


def _date(raw: str, name: str, problems: list[str]) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(f"Tanggal '{name}' tidak valid (gunakan TTTT-BB-HH); dipakai bawaan.")
        return None


def format_duration(span: timedelta) -> str:
    """``2 hari 3 jam``, ``5 jam 30 menit``, ``45 menit`` (rounded down to the minute)."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} hari {hours} jam" if hours else f"{days} hari"
    if hours:
        return f"{hours} jam {mins} menit" if mins else f"{hours} jam"
    return f"{mins} menit" if mins else "kurang dari 1 menit"


def format_percent(rate: float | None) -> str:
    """``87,5 %`` (one decimal, decimal comma); a dash without any task."""
    if rate is None:
        return "—"
    return f"{format_decimal(rate, '0.0', locale=letters.LOCALE)} %"


def format_count(value: int) -> str:
    return format_decimal(value, "#,##0", locale=letters.LOCALE)


@bp.get("")
@login_required
def index() -> str:
    """The dashboard for the member's units, filtered by period, SOP and unit."""
    me = viewer()
    reach = reach_of(me.roles, me.units)
    now = utcnow()
    first, last, problems = parse_period(request.args, letters.local_date(now))
    start, end = period_bounds(first, last)
    catalog: tuple[services.Service, ...] = current_app.extensions["alur.services"]
    known = {s.bpmn_process_id for s in catalog}
    process_id = request.args.get("sop", "")
    process_id = process_id if process_id in known else ""
    chosen = request.args.get("unit", "")
    with current_app.extensions["alur.db"]() as db:
        every = accounts.unit_tree(db)
        names = {unit.code: unit.name for unit, _ in every}
        tree = [(u, depth) for u, depth in every if reach.units is None or u.code in reach.units]
        units, national = reach.units, reach.national
        if chosen == NATIONAL and reach.national:
            units, national = frozenset(), True
        elif chosen and chosen in {unit.code for unit, _ in tree}:
            below = accounts.unit_scope(db, chosen)
            units = below if reach.units is None else below & reach.units
            national = False
        else:
            chosen = ""
        pid = process_id or None
        opened = sla.open_cases(db, now, units, national=national, process_id=pid)
        kept = sla.on_time(db, start, end, units, national=national, process_id=pid)
        late = sla.overdue_tasks(db, now, units, national=national, process_id=pid)
        steps = sla.step_times(db, start, end, units, national=national, process_id=pid)
        troubles = [
            i
            for i in incidents.open_incidents(db, units, national=national)
            if pid is None or i.bpmn_process_id == pid
        ]

    def sop_name(pid: str) -> str:
        service = services.by_process(catalog, pid)
        return service.name if service else pid

    def unit_name(code: str | None) -> str:
        return NATIONAL_LABEL if code is None else names.get(code, code)

    def order(row: sla.OpenCases | sla.OnTime) -> tuple[str, bool, str]:
        return (sop_name(row.process_id), row.unit_code is None, unit_name(row.unit_code))

    top = min((depth for _, depth in tree), default=0)
    return render_template(
        "sla/index.html",
        first=first,
        last=last,
        problems=problems,
        services=catalog,
        process_id=process_id,
        # An em space per level, so the tree shows in the list.
        unit_options=[(unit.code, "\u2003" * (depth - top) + unit.name) for unit, depth in tree],
        national_option=reach.national,
        national_value=NATIONAL,
        national_label=NATIONAL_LABEL,
        chosen=chosen,
        opened=sorted(opened, key=order),
        open_total=sum(r.open for r in opened),
        open_overdue=sum(r.overdue for r in opened),
        kept=sorted(kept, key=order),
        kept_total=sla.total_on_time(kept),
        late=late,
        steps=sorted(steps, key=lambda s: (sop_name(s.process_id), s.name)),
        troubles=troubles,
        now=now,
        sop_name=sop_name,
        unit_name=unit_name,
        duration=format_duration,
        percent=format_percent,
        count=format_count,
    )
