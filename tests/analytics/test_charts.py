"""analytics.charts: downloads per day as an SVG bar chart. Pure, no database."""

import datetime as dt
from xml.etree import ElementTree

import pytest

from analytics.charts import bars, daily_series, nice_top, svg

JAN = dt.date(2026, 1, 1)


@pytest.mark.parametrize(("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (480, 500)])
def test_the_top_line_is_a_round_number_at_or_above_the_largest_day(value, top):
    assert nice_top(value) == top


def test_days_without_downloads_are_zero_not_missing():
    series = daily_series([(JAN, 4), (JAN + dt.timedelta(2), 1)], JAN, JAN + dt.timedelta(3))
    assert [value for _, value in series] == [4, 0, 1, 0]


def test_the_tallest_bar_reaches_the_top_line_and_bars_never_overlap():
    shapes, top = bars([(JAN, 5), (JAN + dt.timedelta(1), 10)])
    assert top == 10 and shapes[1].height > shapes[0].height
    assert shapes[0].x + shapes[0].width < shapes[1].x


def test_the_chart_is_well_formed_svg_with_the_label_escaped():
    chart = svg(daily_series([(JAN, 3)], JAN, JAN + dt.timedelta(6)), "<b>Downloads</b>")
    root = ElementTree.fromstring(chart)
    assert root.tag.endswith("svg") and "<b>" not in chart
