"""Pure checks of an episode's podcast:soundbite against its audio (spec: tags/soundbite.md).

The spec asks for a start and a duration inside the enclosure's audio and
*recommends* 15-120 seconds: outside the audio is refused, outside the
recommendation is only a warning, as the spec words it.
"""

RECOMMENDED = (15.0, 120.0)


def soundbite_problems(
    start: float | None, duration: float | None, audio_duration: float | None
) -> dict[str, str]:
    """Field name -> why apps would play the wrong clip; empty when the soundbite is fine."""
    if start is None and duration is None:
        return {}
    if start is None:
        return {"soundbite_start": "Give the soundbite's start too, or clear its duration."}
    if duration is None:
        return {"soundbite_duration": "Give the soundbite's duration too, or clear its start."}
    if start < 0:
        return {"soundbite_start": f"The soundbite starts at {start:g} s, before the audio."}
    if duration <= 0:
        return {"soundbite_duration": "The soundbite must last more than 0 seconds."}
    if audio_duration is not None and start + duration > audio_duration:
        return {
            "soundbite_duration": (
                f"The soundbite ends at {start + duration:g} s, after the audio ends "
                f"({audio_duration:.1f} s)."
            )
        }
    return {}


def soundbite_advice(duration: float | None) -> str:
    """The spec's recommendation when a soundbite's length is outside it; "" otherwise."""
    low, high = RECOMMENDED
    if duration is None or low <= duration <= high:
        return ""
    return (
        f"The soundbite lasts {duration:g} s; the podcast namespace recommends "
        f"{low:g} to {high:g} seconds (saved anyway)."
    )
