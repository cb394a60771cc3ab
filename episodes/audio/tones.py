"""Real MP3s made by our own code (a sine tone through LAME), for demo content and tests."""

import math
from array import array

import lameenc


def tone_pcm(seconds: float, *, frequency: float = 440.0, sample_rate: int = 44100) -> bytes:
    """Mono 16-bit PCM of a sine tone, faded in and out so it does not click.

    A whole-hertz tone repeats every second, so one second is computed and tiled:
    a minute of demo audio takes milliseconds instead of seconds.
    """
    count = int(seconds * sample_rate)
    step = 2 * math.pi * frequency / sample_rate
    period = sample_rate if float(frequency).is_integer() else count
    one = array("h", (int(8000 * math.sin(step * i)) for i in range(min(period, count))))
    samples = (one * (count // len(one) + 1))[:count] if one else array("h")
    fade = min(max(1, sample_rate // 50), count // 2)
    for i in range(fade):
        samples[i] = int(samples[i] * i / fade)
        samples[count - 1 - i] = int(samples[count - 1 - i] * i / fade)
    return samples.tobytes()


def tone_mp3(
    seconds: float, *, frequency: float = 440.0, bitrate: int = 64, sample_rate: int = 44100
) -> bytes:
    """A CBR mono MP3 of a sine tone lasting `seconds`."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(7)
    pcm = tone_pcm(seconds, frequency=frequency, sample_rate=sample_rate)
    return bytes(encoder.encode(pcm) + encoder.flush())
