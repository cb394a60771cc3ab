import pytest

from episodes.timecodes import format_duration, parse_start


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "0:00"), (5.9, "0:05"), (65, "1:05"), (3599, "59:59"), (3600, "1:00:00"),
     (3725.4, "1:02:05"), (36000, "10:00:00"), (None, ""), (-1, "")],
)  # fmt: skip
def test_durations_read_as_hours_minutes_seconds(seconds, expected) -> None:
    assert format_duration(seconds) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("754", 754), ("12:34", 754), ("1:02:03", 3723), ("754s", 754), ("12.5", 12),
     (" 60 ", 60), ("", None), (None, None), ("abc", None), ("1:2:3:4", None),
     ("-5", None), ("99999999", None), ("1" * 50, None), ("12:34; DROP", None)],
)  # fmt: skip
def test_start_times_parse_seconds_and_clock_forms(value, expected) -> None:
    assert parse_start(value) == expected
