"""How much a frame count costs: read_audio on one hour of MP3, with and without it.

The hour is encoded once with LAME (one second of tone fed to the same encoder
3,600 times, so it is one continuous, valid stream) and cached in var/bench/.
Prints rows `name<TAB>value<TAB>unit<TAB>note`.
"""

import math
import sys
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench" / "one-hour-mono-64k.mp3"
SECONDS = 3600
RUNS = 7


def one_hour_mp3() -> tuple[Path, float]:
    """Return the cached hour of MP3 and how long making it took now (0 when cached)."""
    if CACHE.exists():
        return CACHE, 0.0
    import lameenc

    started = time.perf_counter()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(44100)
    encoder.set_channels(1)
    encoder.set_quality(7)
    step = 2 * math.pi * 440 / 44100
    second = array("h", (int(8000 * math.sin(step * i)) for i in range(44100))).tobytes()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    partial = CACHE.with_suffix(".part")
    with open(partial, "wb") as out:
        for _ in range(SECONDS):
            out.write(encoder.encode(second))
        out.write(encoder.flush())
    partial.rename(CACHE)  # a run killed halfway leaves no truncated cache behind
    return CACHE, time.perf_counter() - started


def best_of(runs: int, path: Path, count_frames: bool):
    from episodes.audio.reading import read_audio

    best, info = math.inf, None
    for _ in range(runs):
        with open(path, "rb") as fileobj:
            started = time.perf_counter()
            info = read_audio(fileobj, count_frames=count_frames)
            best = min(best, time.perf_counter() - started)
    return best, info


def run() -> list[tuple[str, float, str, str]]:
    sys.path.insert(0, str(ROOT))
    path, made_in = one_hour_mp3()
    header_only, plain = best_of(RUNS, path, count_frames=False)
    counted, info = best_of(RUNS, path, count_frames=True)
    size = f"{path.stat().st_size / 1e6:.1f} MB, {info.duration:.1f} s of audio"
    rows = [
        ("read_audio, headers only", header_only * 1000, "ms", f"best of {RUNS}; {size}"),
        ("read_audio, frames counted", counted * 1000, "ms", f"best of {RUNS}; {size}"),
        ("frame count / headers only", counted / header_only, "ratio", "same file, same run"),
        ("frame count per hour of audio", (counted - header_only) * 1000, "ms", "difference"),
    ]
    if made_in:
        rows.append(("making the hour of MP3 (once)", made_in, "s", f"cached in {CACHE}"))
    assert abs(info.duration - SECONDS) < 0.5 and plain.duration > 0
    return rows


if __name__ == "__main__":
    for name, value, unit, note in run():
        print(f"{name}\t{value:.3f}\t{unit}\t{note}")
