"""Real MP3s made by our own code (a sine tone through LAME), for demo content and tests."""

import math
from array import array

import lameenc


def tone_pcm(seconds: float, *, frequency: float = 440.0, sample_rate: int = 44100) -> bytes:
    """Mono 16-bit PCM of a sine tone, faded in and out so it does not click."""
    count = int(seconds * sample_rate)
    fade = max(1, sample_rate // 50)
    step = 2 * math.pi * frequency / sample_rate
    samples = array("h", bytes(2 * count))
    for i in range(count):
        envelope = min(1.0, i / fade, (count - i) / fade)
        samples[i] = int(8000 * envelope * math.sin(step * i))
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
