"""Staff: the SLA dashboard — open cases and their service clocks, on-time rate, overdue tasks
and time per step, per SOP and unit, for the units a member works for (their unit and the
units beneath it).

The on-time rate over the period (per day, week or month) and the time per step are drawn as
charts (:mod:`web.charts`) beside their tables. The period's dates are typed the Indonesian
way (``25/12/2026``) and read with :func:`alur.dates.read_date`; the ISO dates of older links
(``2026-12-25``) are still read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from flask import Blueprint, current_app, render_template, request
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from alur import bahasa, clocks, dates, roles, services
from storage import accounts, incidents, sla
from storage.models import utcnow
from web import charts
from web.auth import login_required
from web.tasks import viewer

bp = Blueprint("sla", __name__, url_prefix="/sla")

#: Periods are calendar days in WIB.
ZONE = ZoneInfo(dates.DEFAULT_TZ)
DEFAULT_DAYS = 30
ADMIN = roles.ADMIN
#: Roles that also see the rows without a unit (national processes such as SP4N-LAPOR!).
NATIONAL_ROLES = roles.NATIONAL
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


#: The period's fields: query parameter -> the label the form shows.
PERIOD_FIELDS = {"dari": "Dari", "sampai": "Sampai"}


@dataclass(frozen=True)
class Problem:
    """Something wrong with the filters, in Bahasa; ``field`` names the input it is about."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Period:
    """The WIB days ``first`` to ``last`` shown, and what was wrong with the dates asked for.

    ``refused`` keeps the text of a date that could not be read, so its field shows what the
    member wrote beside the reason rather than silently replacing it.
    """

    first: date
    last: date
    problems: tuple[Problem, ...] = ()
    refused: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        """What the field ``name`` shows: the text typed if it was refused, else its date as
        ``dd/mm/yyyy``."""
        if name in self.refused:
            return self.refused[name]
        return show_input(self.first if name == "dari" else self.last)


def show_input(day: date) -> str:
    """A date as the period's fields show and read it: ``05/01/2027``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def parse_period(args: MultiDict[str, str], today: date) -> Period:
    """``dari``/``sampai`` from the query (default: the last 30 days up to ``today``), typed
    day first (``25/12/2026``, ``25 Desember 2026``) or as ISO dates (older links). A date
    that cannot be read gives its reason (:class:`alur.dates.DateProblem`) and the default
    is used in its place."""
    typed: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for name in PERIOD_FIELDS:
        raw = args.get(name, "").strip()
        if raw:
            typed[name] = raw
    read: dict[str, date] = {}
    for name, raw in typed.items():
        try:
            read[name] = dates.read_date(raw)
        except dates.DateProblem as problem:
            reasons[name] = problem.message
    last = read.get("sampai", today)
    first = read.get("dari", last - timedelta(days=DEFAULT_DAYS - 1))
    problems = [
        Problem(
            f"Tanggal \u201c{label}\u201d tidak dapat dipakai: {reasons[name]} "
            f"Untuk sementara dipakai {dates.show_date(first if name == 'dari' else last)}.",
            name,
        )
        for name, label in PERIOD_FIELDS.items()
        if name in reasons
    ]
    if first > last:
        problems.append(Problem("Tanggal awal jatuh setelah tanggal akhir; keduanya ditukar."))
        first, last = last, first
    if last - first + timedelta(days=1) > sla.MAX_PERIOD:
        first = last - sla.MAX_PERIOD + timedelta(days=1)
        problems.append(
            Problem(
                f"Periode paling panjang {sla.MAX_PERIOD.days} hari; "
                f"ditampilkan mulai {dates.show_date(first)}."
            )
        )
    refused = {name: raw for name, raw in typed.items() if name in reasons}
    return Period(first, last, tuple(problems), refused)


# -- the on-time rate over the period ---------------------------------------------------------

#: How the period is cut for the on-time chart: by day up to two weeks, by week (Monday to
#: Sunday, the first and last cut at the period's ends) up to 13 weeks, else by month.
DAYS_UP_TO = 14
WEEKS_UP_TO = 91
GRAIN_WORDS = {"hari": "per hari", "minggu": "per minggu", "bulan": "per bulan"}


def grain_of(first: date, last: date) -> str:
    """How the period ``first`` to ``last`` is cut: ``hari``, ``minggu`` or ``bulan``."""
    length = (last - first).days + 1
    if length <= DAYS_UP_TO:
        return "hari"
    return "minggu" if length <= WEEKS_UP_TO else "bulan"


def _next_start(grain: str, day: date) -> date:
    """The first day of the span after the one holding ``day``."""
    if grain == "hari":
        return day + timedelta(days=1)
    if grain == "minggu":
        return day + timedelta(days=7 - day.weekday())  # the next Monday
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def spans(first: date, last: date) -> tuple[str, list[tuple[date, date]]]:
    """The grain (:func:`grain_of`) and the spans ``(first day, last day)`` that cover
    ``first`` to ``last``, in order; the first and last are cut at the period's ends."""
    grain = grain_of(first, last)
    found: list[tuple[date, date]] = []
    start = first
    while start <= last:
        following = _next_start(grain, start)
        found.append((start, min(following - timedelta(days=1), last)))
        start = following
    return grain, found


def span_edges(cuts: Sequence[tuple[date, date]]) -> list[datetime]:
    """The instants bounding ``cuts`` (:func:`spans`): 00.00 WIB of each span's first day,
    then the end of the last one."""
    return [period_bounds(first, first)[0] for first, _ in cuts] + [
        period_bounds(cuts[-1][1], cuts[-1][1])[1]
    ]


def _short(day: date) -> str:
    """``28 Des``."""
    return f"{day.day} {dates.MONTHS[day.month - 1][:3]}"


#: Between the ends of a span (an en dash).
DASH = "\u2013"


def show_span(first: date, last: date) -> str:
    """``28 Desember 2026 - 3 Januari 2027``, ``1-7 Juni 2026``, ``Juni 2026`` (with an en
    dash)."""
    month = dates.MONTHS[first.month - 1]
    if first == last:
        return dates.show_date(first)
    if first.year != last.year:
        return f"{dates.show_date(first)} {DASH} {dates.show_date(last)}"
    if first.month != last.month:
        return f"{first.day} {month} {DASH} {dates.show_date(last)}"
    if first.day == 1 and (last + timedelta(days=1)).day == 1:
        return f"{month} {first.year}"
    return f"{first.day}{DASH}{dates.show_date(last)}"


def span_label(grain: str, first: date, last: date) -> tuple[str, ...]:
    """The one or two short lines under a column: ``28 Des`` / ``- 3 Jan`` (en dash),
    ``Jun`` / ``2026``."""
    if grain == "bulan":
        return (dates.MONTHS[first.month - 1][:3], str(first.year))
    if first == last:
        return (_short(first),)
    return (_short(first), f"{DASH} {_short(last)}")


def on_time_chart(
    series: Sequence[sla.OnTimeSpan], cuts: Sequence[tuple[date, date]], grain: str
) -> Markup:
    """The on-time rate per span as columns (``cuts`` are the spans' days, as ``series``)."""
    columns = []
    for span, (first, last) in zip(series, cuts, strict=True):
        when = show_span(first, last)
        if span.completed:
            detail = (
                f"{when}: {format_count(span.on_time)} dari {format_count(span.completed)} "
                f"tugas tepat waktu ({format_percent(span.rate)})"
            )
        else:
            detail = f"{when}: tidak ada tugas bertenggat yang diselesaikan"
        columns.append(
            charts.Column(
                span_label(grain, first, last), span.rate, format_percent(span.rate), detail
            )
        )
    period = show_span(cuts[0][0], cuts[-1][1])
    return charts.percent_columns(
        columns,
        chart_id="grafik-ketepatan",
        title=f"Persentase tugas selesai tepat waktu {GRAIN_WORDS[grain]}, {period}",
        desc="; ".join(column.detail for column in columns) + ".",
    )


# -- time per step ----------------------------------------------------------------------------


def step_chart(steps: Sequence[sla.StepTime], sop_name: Callable[[str], str]) -> Markup:
    """Average and p90 per step, a bar each, steps grouped by SOP (in ``steps``' order)."""
    groups = []
    for process_id, rows in groupby(steps, key=lambda step: step.process_id):
        bars = []
        for step in rows:
            average, p90 = format_duration(step.average), format_duration(step.p90)
            bars.append(
                charts.BarRow(
                    step.name,
                    (
                        charts.Bar(step.average.total_seconds(), average, charts.BLUE),
                        charts.Bar(step.p90.total_seconds(), p90, charts.ORANGE),
                    ),
                    f"{step.name}: rata-rata {average}, P90 {p90} "
                    f"({format_count(step.count)} tugas)",
                )
            )
        groups.append(charts.BarGroup(sop_name(process_id), tuple(bars)))
    desc = "; ".join(
        f"{group.heading} — " + ", ".join(row.detail for row in group.rows) for group in groups
    )
    return charts.bar_groups(
        groups,
        chart_id="grafik-langkah",
        title="Waktu per langkah: rata-rata dan P90, dari tugas dibuat sampai diselesaikan",
        desc=desc + ".",
        legend=((charts.BLUE, "Rata-rata"), (charts.ORANGE, "P90")),
    )


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
    return f"{format_decimal(rate, '0.0', locale=bahasa.LOCALE)} %"


def format_count(value: int) -> str:
    return format_decimal(value, "#,##0", locale=bahasa.LOCALE)


@bp.get("")
@login_required
def index() -> str:
    """The dashboard for the member's units, filtered by period, SOP and unit."""
    me = viewer()
    reach = reach_of(me.roles, me.units)
    now = utcnow()
    period = parse_period(request.args, dates.local_date(now))
    first, last = period.first, period.last
    start, end = period_bounds(first, last)
    grain, cuts = spans(first, last)
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
        # The service clocks of the open cases, most urgent first, each read on its agency's
        # calendar as the task and tracking pages read it (calendars shared across rows).
        limits = sla.service_clocks(
            db, now, units, national=national, process_id=pid, limit=sla.CLOCK_LIMIT
        )
        calendars = clocks.Calendars(db, current_app.extensions["alur.settings"].calendar_file)
        limit_rows = [(row, clocks.shown(calendars, row.clock, now)) for row in limits.clocks]
        # The on-time rate per (SOP, unit) and per span, from one pass over the tasks.
        series = sla.on_time_series(db, span_edges(cuts), units, national=national, process_id=pid)
        kept = list(series.rows)
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
    steps = sorted(steps, key=lambda s: (sop_name(s.process_id), s.name))
    return render_template(
        "sla/index.html",
        first=first,
        last=last,
        period=period,
        period_fields=PERIOD_FIELDS,
        problems=period.problems,
        services=catalog,
        process_id=process_id,
        # An em space per level, so the tree shows in the list.
        unit_options=[(unit.code, "\u2003" * (depth - top) + unit.name) for unit, depth in tree],
        national_option=reach.national,
        # Where a routed service's cases went, per agency (``web.routing``).
        routed=[s for s in catalog if s.routed] if me.roles & NATIONAL_ROLES else [],
        national_value=NATIONAL,
        national_label=NATIONAL_LABEL,
        chosen=chosen,
        opened=sorted(opened, key=order),
        open_total=sum(r.open for r in opened),
        open_overdue=sum(r.overdue for r in opened),
        limits=limits,
        limit_rows=limit_rows,
        kept=sorted(kept, key=order),
        kept_total=sla.total_on_time(kept),
        series=[(show_span(a, b), s) for (a, b), s in zip(cuts, series.spans, strict=True)],
        grain=GRAIN_WORDS[grain],
        kept_chart=on_time_chart(series.spans, cuts, grain) if kept else None,
        late=late,
        steps=steps,
        steps_chart=step_chart(steps, sop_name) if steps else None,
        troubles=troubles,
        now=now,
        sop_name=sop_name,
        unit_name=unit_name,
        duration=format_duration,
        percent=format_percent,
        count=format_count,
    )
