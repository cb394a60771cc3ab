"""The soundbite checks (pure): inside the audio is required, 15-120 s only recommended."""

import pytest

from episodes.soundbites import soundbite_advice, soundbite_problems


@pytest.mark.parametrize(
    ("start", "duration", "field", "message"),
    [
        (-1.0, 20.0, "soundbite_start", "The soundbite starts at -1 s, before the audio."),
        (5.0, 0.0, "soundbite_duration", "The soundbite must last more than 0 seconds."),
        (50.0, 20.0, "soundbite_duration", "ends at 70 s, after the audio ends (60.0 s)"),
        (5.0, None, "soundbite_duration", "Give the soundbite's duration too"),
        (None, 20.0, "soundbite_start", "Give the soundbite's start too"),
    ],
)
def test_a_soundbite_outside_the_audio_is_refused(start, duration, field, message):
    problems = soundbite_problems(start, duration, 60.0)
    assert list(problems) == [field]
    assert message in problems[field]


@pytest.mark.parametrize(
    ("start", "duration", "audio"), [(None, None, 60.0), (0.0, 60.0, 60.0), (40.0, 20.0, None)]
)
def test_a_soundbite_inside_the_audio_or_none_is_fine(start, duration, audio):
    assert soundbite_problems(start, duration, audio) == {}


@pytest.mark.parametrize(
    ("duration", "advised"), [(5.0, True), (15.0, False), (120.0, False), (180.0, True)]
)
def test_the_spec_recommendation_of_15_to_120_seconds_is_advice(duration, advised):
    advice = soundbite_advice(duration)
    assert bool(advice) is advised
    if advised:
        assert "recommends 15 to 120 seconds" in advice
