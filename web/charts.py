"""Charts drawn on the server as inline SVG: no script, nothing from a CDN.

Each chart is one ``<svg role="img">`` whose ``<title>`` and ``<desc>`` (Bahasa Indonesia)
say what it shows and list its figures; the page keeps a table with the same figures for
screen readers and for copying. Horizontal positions are percentages of the chart's box and
vertical ones pixels, so a chart fills its column at any width while its text keeps its size
(a ``viewBox`` would shrink the text on a phone). ``web/static/alur-charts.css`` gives a
chart with many columns a minimum width; its wrapper then scrolls sideways.

Only numbers computed here and escaped text go into the markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Colours: the app's blue, an orange that reads as different to colour-blind eyes; both at
#: least 3:1 against white (WCAG 1.4.11), text darker still.
BLUE = "#0b4f8a"
ORANGE = "#c26a00"
GRID = "#c9d1de"
MUTED = "#5b6475"
INK = "#1d2433"
#: From this many columns on, the chart gets a minimum width (class ``chart-wide``) so each
#: column keeps room for its label; at a phone's width it then scrolls inside its wrapper.
WIDE_FROM = 7
#: The longest row label drawn; the table beside the chart has the full text.
LABEL_MAX = 48


@dataclass(frozen=True)
class Column:
    """One column of a percentage chart."""

    #: One or two short lines under the column (``("28 Des", "- 3 Jan")``).
    label: tuple[str, ...]
    #: 0 to 100; None draws no column (nothing to count) and shows ``text`` on the baseline.
    value: float | None
    #: Shown above the column (``"75,0 %"``).
    text: str
    #: The column in words, for the tooltip and the description.
    detail: str


@dataclass(frozen=True)
class Bar:
    """One bar of a bar row: ``value`` in the chart's unit, ``text`` drawn after the bar."""

    value: float
    text: str
    colour: str


@dataclass(frozen=True)
class BarRow:
    label: str
    bars: tuple[Bar, ...]
    #: The row in words, for the description.
    detail: str


@dataclass(frozen=True)
class BarGroup:
    heading: str
    rows: tuple[BarRow, ...]


def _pct(value: float) -> str:
    """A percentage attribute value, short and stable: ``12.5%``."""
    return f"{round(value, 3):g}%"


def _open(
    chart_id: str, title: str, desc: str, height: int, classes: str, *, scrolls: bool = False
) -> list[str]:
    """The wrapper and the ``<svg>``'s start. A wrapper that may scroll sideways can take the
    focus, so the chart can be scrolled from the keyboard too."""
    wrapper = '<div class="chart-wrap">'
    if scrolls:
        wrapper = (
            f'<div class="chart-wrap" tabindex="0" role="region" aria-label="{escape(title)}">'
        )
    return [
        wrapper,
        f'<svg id="{escape(chart_id)}" class="{classes}" width="100%" height="{height}"'
        f' role="img" aria-labelledby="{escape(chart_id)}-judul"'
        f' aria-describedby="{escape(chart_id)}-uraian" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-judul">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-uraian">{escape(desc)}</desc>',
    ]


#: Percentage chart geometry (pixels from the top): room for the value above a full column,
#: the plot, two label lines.
PLOT_TOP, PLOT_BOTTOM = 26, 186
LABEL_LINES = (202, 216)
COLUMNS_HEIGHT = 226
#: The left margin for the axis labels, in percent of the width.
AXIS = 11.0


def percent_columns(columns: Sequence[Column], *, chart_id: str, title: str, desc: str) -> Markup:
    """A column per entry on a 0 to 100 % axis, each labelled with its value and, beneath, its
    span. Gridlines and axis labels at 0, 50 and 100 %."""
    count = len(columns)
    wide = count >= WIDE_FROM
    classes = "chart chart-columns" + (" chart-wide" if wide else "")
    parts = _open(chart_id, title, desc, COLUMNS_HEIGHT, classes, scrolls=wide)
    plot = PLOT_BOTTOM - PLOT_TOP
    for level in (0, 50, 100):
        y = PLOT_BOTTOM - plot * level / 100
        dashes = "" if level == 0 else ' stroke-dasharray="4 3"'
        parts.append(
            f'<line x1="{_pct(AXIS)}" x2="100%" y1="{y:g}" y2="{y:g}" stroke="{GRID}"'
            f' stroke-width="1"{dashes}/>'
            f'<text x="{_pct(AXIS - 1)}" y="{y + 4:g}" text-anchor="end" font-size="11"'
            f' fill="{MUTED}">{level} %</text>'
        )
    # Few columns stay narrow and centred rather than one column half the chart wide.
    slots = max(count, 3)
    width = (100 - AXIS) / slots
    left = AXIS + width * (slots - count) / 2
    for index, column in enumerate(columns):
        start = left + index * width
        centre = start + width / 2
        parts.append(f'<g class="chart-column"><title>{escape(column.detail)}</title>')
        if column.value is None:
            parts.append(
                f'<text class="chart-value" x="{_pct(centre)}" y="{PLOT_BOTTOM - 6}"'
                f' text-anchor="middle" font-size="12" fill="{MUTED}">{escape(column.text)}</text>'
            )
        else:
            value = min(max(column.value, 0.0), 100.0)
            height = plot * value / 100
            top = PLOT_BOTTOM - height
            parts.append(
                f'<rect x="{_pct(start + width * 0.2)}" width="{_pct(width * 0.6)}"'
                f' y="{top:.2f}" height="{height:.2f}" fill="{BLUE}"'
                f' data-value="{value:g}"/>'
                f'<text class="chart-value" x="{_pct(centre)}" y="{top - 6:.2f}"'
                f' text-anchor="middle" font-size="12" font-weight="600" fill="{INK}">'
                f"{escape(column.text)}</text>"
            )
        for line, y in zip(column.label, LABEL_LINES, strict=False):
            parts.append(
                f'<text class="chart-label" x="{_pct(centre)}" y="{y}" text-anchor="middle"'
                f' font-size="11" fill="{MUTED}">{escape(line)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg></div>")
    return Markup("".join(parts))


#: Bar chart geometry: the longest bar takes this share of the width, leaving room for its
#: text; rows are a label line and a bar per value.
BAR_SPAN = 65.0
BAR_HEIGHT, BAR_GAP = 12, 4
LEGEND_HEIGHT = 30


def bar_groups(
    groups: Sequence[BarGroup],
    *,
    chart_id: str,
    title: str,
    desc: str,
    legend: Sequence[tuple[str, str]],
) -> Markup:
    """Horizontal bars, a label line above each row's bars, rows grouped under headings;
    ``legend`` is ``(colour, text)`` per kind of bar. Every bar shares one scale: the
    largest value takes :data:`BAR_SPAN` percent of the width."""
    largest = max((b.value for g in groups for r in g.rows for b in r.bars), default=0.0)
    body: list[str] = []
    x = 0
    for colour, text in legend:
        body.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 18}" y="14" font-size="12" fill="{INK}">{escape(text)}</text>'
        )
        x += 28 + 8 * len(text)
    y = LEGEND_HEIGHT
    for group in groups:
        y += 20
        body.append(
            f'<text class="chart-heading" x="0" y="{y}" font-size="13" font-weight="700"'
            f' fill="{INK}">{escape(group.heading)}</text>'
        )
        y += 6
        for row in group.rows:
            label = row.label if len(row.label) <= LABEL_MAX else row.label[: LABEL_MAX - 1] + "…"
            y += 17
            body.append(
                f'<g class="chart-row"><title>{escape(row.detail)}</title>'
                f'<text class="chart-row-label" x="0" y="{y}" font-size="13" fill="{INK}">'
                f"{escape(label)}</text>"
            )
            y += 5
            for bar in row.bars:
                share = BAR_SPAN * bar.value / largest if largest > 0 else 0.0
                if bar.value > 0:
                    share = max(share, 0.4)  # a sliver, so a short step still shows a bar
                body.append(
                    f'<rect x="0" y="{y}" width="{_pct(share)}" height="{BAR_HEIGHT}"'
                    f' fill="{bar.colour}" data-value="{bar.value:g}"/>'
                    f'<text class="chart-bar-text" x="{_pct(share)}" dx="6"'
                    f' y="{y + BAR_HEIGHT - 2}" font-size="12" fill="{INK}">'
                    f"{escape(bar.text)}</text>"
                )
                y += BAR_HEIGHT + BAR_GAP
            body.append("</g>")
        y += 4
    parts = _open(chart_id, title, desc, y + 4, "chart chart-bars")
    return Markup("".join([*parts, *body, "</svg></div>"]))
