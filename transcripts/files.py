"""Transcript files (.vtt .srt .json .txt .html), written once per build and served from storage.

Writing a format walks every segment: for a 1,000,000-line transcript the JSON
took 7 s and 47 MB on each request. Each build (and each speaker rename) has a
stamp; the five files of a stamp are written into storage by the worker after
the build, or by the first request that finds one missing, and served from
there with validators and ranges (episodes.serving) like audio.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response

from episodes.serving import StoredFile, file_headers, file_response

from . import formats, parsing
from .models import Transcript

log = logging.getLogger(__name__)

# Served files, one per format of the registry (transcripts/formats.py), by URL suffix.
FORMATS = {f.suffix: f for f in formats.FORMATS}
FOLDER = "transcripts/files"
# Smaller files (nearly all: a few hours of speech is a few hundred KB) are read whole
# and sent in one piece; bigger ones and range requests are streamed.
INLINE_BYTES = 4 * 1024 * 1024


def stamp(transcript: Transcript) -> str:
    """Names the build's bytes: the good build's time and the speaker renames applied."""
    built = transcript.good_build_at.isoformat() if transcript.good_build_at else ""
    state = repr((transcript.pk, built, sorted((transcript.speaker_renames or {}).items())))
    return hashlib.blake2b(state.encode(), digest_size=10).hexdigest()


def file_name(transcript: Transcript, fmt: str) -> str:
    return f"{FOLDER}/{transcript.pk}/{stamp(transcript)}/transcript.{fmt}"


def segments_of(transcript: Transcript) -> list[parsing.Segment]:
    rows = transcript.segments.order_by("position").values_list("start", "end", "speaker", "text")
    return [parsing.Segment(start=s, end=e, speaker=p, text=t) for s, e, p, t in rows.iterator()]


def write(transcript: Transcript, fmt: str, segments: list | None = None) -> str:
    """Write one format of the transcript's current build (if absent); its storage name."""
    name = file_name(transcript, fmt)
    if default_storage.exists(name):
        return name
    segments = segments_of(transcript) if segments is None else segments
    data = FORMATS[fmt].writer(segments).encode("utf-8")
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another process wrote it meanwhile: keep theirs
        default_storage.delete(saved)
    return name


def write_all(transcript: Transcript) -> None:
    """Every format of the current build, then drop the files of older builds."""
    segments = segments_of(transcript)
    for fmt in FORMATS:
        write(transcript, fmt, segments)
    remove(transcript, keep=stamp(transcript))


def remove(transcript: Transcript, keep: str = "") -> None:
    """Delete the stored files of the transcript's builds, all but `keep`."""
    folder = f"{FOLDER}/{transcript.pk}"
    try:
        stamps, _ = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for old in stamps:
        if old == keep:
            continue
        for fmt in FORMATS:
            default_storage.delete(f"{folder}/{old}/transcript.{fmt}")


def serve(request: HttpRequest, name: str, content_type: str, public: bool) -> HttpResponseBase:
    """The stored file with validators (ETag from name, size and time; Last-Modified)."""
    stored = StoredFile.stat(default_storage, name)
    filename = name.rsplit("/", 1)[-1]
    if stored.size > INLINE_BYTES or request.headers.get("Range"):
        return file_response(
            request,
            storage=default_storage,
            name=name,
            content_type=content_type,
            filename=filename,
            public=public,
        )
    headers = file_headers(stored, content_type, filename, public)
    base = HttpResponse(headers=headers)
    conditional = get_conditional_response(request, stored.etag, stored.last_modified, base)
    if conditional is not base:  # 304 Not Modified or 412 Precondition Failed
        return conditional
    if request.method == "HEAD":
        return HttpResponse(headers={**headers, "Content-Length": str(stored.size)})
    with default_storage.open(name, "rb") as file:
        return HttpResponse(file.read(), headers=headers)
