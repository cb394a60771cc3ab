"""Downloads per day as an SVG bar chart, drawn on the server: no JavaScript, no library.

The markup holds only numbers we computed, dates we format and an escaped
label, so it is safe to mark as such; it scales to its container through its viewBox.
"""

import datetime as dt
import html
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 200
LEFT, BOTTOM, TOP = 44, 22, 10


@dataclass(frozen=True)
class Bar:
    day: dt.date
    value: int
    x: float
    y: float
    width: float
    height: float


def daily_series(
    points: list[tuple[dt.date, int]], first: dt.date, last: dt.date
) -> list[tuple[dt.date, int]]:
    """Every day from first to last, with 0 where there were no downloads."""
    values = dict(points)
    days = (last - first).days + 1
    return [(day, values.get(day, 0)) for day in (first + dt.timedelta(n) for n in range(days))]


def nice_top(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def bars(series: list[tuple[dt.date, int]]) -> tuple[list[Bar], int]:
    """Bar geometry for the series, and the value of the chart's top line."""
    top = nice_top(max((v for _, v in series), default=0))
    plot_width, plot_height = WIDTH - LEFT, HEIGHT - BOTTOM - TOP
    slot = plot_width / max(1, len(series))
    gap = min(2.0, slot * 0.2)
    out = []
    for index, (day, value) in enumerate(series):
        height = plot_height * value / top
        x = LEFT + index * slot + gap / 2
        out.append(Bar(day, value, x, TOP + plot_height - height, slot - gap, height))
    return out, top


def svg(series: list[tuple[dt.date, int]], label: str) -> str:
    """An accessible SVG bar chart of downloads per day."""
    shapes, top = bars(series)
    base = HEIGHT - BOTTOM
    parts = [
        f'<svg class="downloads-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{html.escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{WIDTH}" y2="{TOP}" stroke="#ccc" stroke-dasharray="3 3"/>',
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#888"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="11" fill="#555">{top:,}</text>',
        f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" font-size="11" fill="#555">0</text>',
    ]
    for bar in shapes:
        parts.append(
            f'<rect x="{bar.x:.1f}" y="{bar.y:.1f}" width="{bar.width:.1f}" height="{bar.height:.1f}" '
            f'fill="#417690"><title>{bar.day:%Y-%m-%d}: {bar.value:,} downloads</title></rect>'
        )
    if series:
        parts.append(axis_label(series[0][0], LEFT, "start"))
        parts.append(axis_label(series[-1][0], WIDTH, "end"))
    parts.append("</svg>")
    return "".join(parts)


def axis_label(day: dt.date, x: float, anchor: str) -> str:
    return (
        f'<text x="{x}" y="{HEIGHT - 6}" text-anchor="{anchor}" font-size="11" fill="#555">'
        f"{day:%Y-%m-%d}</text>"
    )
