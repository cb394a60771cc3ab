"""What the worker found in an audio file, in one line an editor can read."""

from .reading import AudioInfo

LAYERS = {1: "I", 2: "II", 3: "III"}


def describe_audio(info: AudioInfo) -> str:
    """E.g. "MPEG-1 Layer III, 128 kbit/s CBR, 44.1 kHz, stereo; ID3 title "Home"; front cover"."""
    if info.mpeg_version is not None:
        kind = f"MPEG-{info.mpeg_version:g} Layer {LAYERS.get(info.layer or 0, '?')}"
    else:
        kind = "AAC in M4A"
    rate = f"{info.bitrate / 1000:.0f} kbit/s {'VBR' if info.vbr else 'CBR'}"
    sound = f"{info.sample_rate / 1000:g} kHz, {channel_name(info.channels)}"
    parts = [f"{kind}, {rate}, {sound}"]
    tags = [f'{label} "{value}"' for label, value in tag_values(info) if value]
    if tags:
        parts.append("tags: " + ", ".join(tags))
    if info.cover is not None:
        parts.append(f"cover art {len(info.cover.data):,} bytes ({info.cover.mime})")
    return "; ".join(parts)


def channel_name(channels: int) -> str:
    return {1: "mono", 2: "stereo"}.get(channels, f"{channels} channels")


def tag_values(info: AudioInfo) -> list[tuple[str, str]]:
    return [
        ("title", info.title),
        ("artist", info.artist),
        ("album", info.album),
        ("comment", info.comment),
    ]
