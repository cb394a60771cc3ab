"""transcripts.services: storing sources, building, renaming and deleting, on the database."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from episodes import search
from tests.factories import published_episode
from tests.refusals import refuse_inserts
from transcripts.models import Segment, Transcript
from transcripts.parsing import parse
from transcripts.services import (
    MAX_TRANSCRIPT_BYTES,
    process_transcript,
    rename_speaker,
    store_segments,
    store_transcript_source,
)

# A "Name:" label counts as a speaker once it recurs (one-off "Note:" lines stay text).
TEXT = (
    "00:00 Michael: Hello and welcome.\n\n00:04 Michael: This is the second line.\n\n"
    "01:02:03 Much later, capybaras.\n"
)


# Long enough for the sample transcripts' times (1:02:03): none is past the end.
HOURS = 4 * 3600.0


@pytest.fixture
def episode(db, tone):
    return published_episode(tone, number=203, slug="scripting", title="Scripting", duration=HOURS)


def upload(episode, text: str | bytes = TEXT, name: str = "t.txt") -> Transcript:
    data = text.encode() if isinstance(text, str) else text
    return store_transcript_source(episode=episode, upload=SimpleUploadedFile(name, data))


def build(episode, text: str | bytes = TEXT, name: str = "t.txt") -> Transcript:
    transcript = upload(episode, text, name)
    process_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    return transcript


def test_a_build_stores_segments_report_and_the_rendered_page(episode):
    transcript = build(episode)
    assert transcript.status == "ready"
    assert [(s.start, s.text) for s in transcript.segments.all()] == [
        (0.0, "Hello and welcome."),
        (4.0, "This is the second line."),
        (3723.0, "Much later, capybaras."),
    ]
    assert transcript.report["format"] == "text"
    assert transcript.report["segments_made"] == 3
    assert 'href="/episodes/show/203/scripting?t=3723#t=3723"' in transcript.rendered_html
    assert ">1:02:03<" in transcript.rendered_html


def test_a_build_puts_the_words_in_the_search_index(episode):
    build(episode)
    hits = search.search(episode.show, "capybaras")
    assert [(hit.kind, hit.episode_id, hit.start) for hit in hits] == [
        ("segment", episode.pk, 3723.0)
    ]


def test_a_failed_build_keeps_the_file_and_says_where(episode):
    broken = "WEBVTT\n\nnot a timing line\nsome text\n"
    transcript = build(episode, broken, name="broken.vtt")
    assert transcript.status == "failed"
    assert "line 3: no cue timing" in transcript.error
    assert transcript.source_file.read() == broken.encode()


def test_a_failed_build_keeps_the_full_report_and_its_problems(episode):
    transcript = build(episode, "Title\n\n00:00:01,000 --> soon\n", name="t.srt")
    report = transcript.report
    assert (report["format"], report["lines_read"], report["segments_made"]) == ("srt", 2, 0)
    assert [p["line"] for p in report["problems"]] == [1, 3]
    assert (
        report["summary"]
        == "srt: read 2 lines, made 0 segments, joined 0, speakers: none; 0 warnings, 2 lines rejected"
    )


def test_a_failed_rebuild_leaves_the_last_good_build_in_place(episode):
    good = build(episode)
    failed = build(episode, '{"version": "1.0.0", "segments": "nope"}', name="t.json")
    assert failed.pk == good.pk
    assert failed.status == "failed" and "line 1" in failed.error
    assert failed.segments.count() == 3
    assert failed.rendered_html == good.rendered_html
    assert failed.good_build_at == good.good_build_at
    assert failed.is_servable()
    assert Transcript.objects.servable().get() == failed


def test_nothing_parseable_fails_with_line_numbers_and_keeps_the_upload(episode):
    transcript = build(episode, '{"version": "1.0.0", "segments": "nope"}', name="t.json")
    assert transcript.status == "failed"
    assert "line 1" in transcript.error
    assert transcript.source_file.read().startswith(b'{"version"')
    assert not transcript.is_servable()


def test_a_rebuild_replaces_the_segments_instead_of_adding(episode):
    transcript = build(episode)
    process_transcript(transcript_id=transcript.pk)
    assert transcript.segments.count() == 3


def test_a_store_failing_midway_leaves_the_old_build_whole(episode):
    good = build(episode)
    new = upload(episode, "00:00 fresh words\n\n00:05 the database refuses this one\n")
    # The database itself refuses the second new segment, after the old ones were deleted
    # in the same transaction: a real failure at the process boundary, no code patched.
    refuse_inserts(Segment._meta.db_table, "text", "refuses")
    with pytest.raises(IntegrityError):
        process_transcript(transcript_id=new.pk)
    new.refresh_from_db()
    assert [s.text for s in new.segments.all()] == [s.text for s in good.segments.all()]
    assert (new.rendered_html, new.report, new.good_build_at) == (
        good.rendered_html,
        good.report,
        good.good_build_at,
    )
    # Not "ready" over old segments: the task's retry (or the sweep) builds it again.
    assert new.status == "processing"


def test_renaming_a_speaker_changes_every_segment_the_page_and_the_report(episode):
    transcript = build(episode)
    assert rename_speaker(transcript=transcript, old="Michael", new="Michael Kennedy") == 2
    transcript.refresh_from_db()
    assert transcript.segments.filter(speaker="Michael Kennedy").count() == 2
    assert "Michael Kennedy" in transcript.rendered_html
    assert transcript.report["speakers"] == ["Michael Kennedy"]
    assert "speakers: Michael Kennedy;" in transcript.report["summary"]


def test_a_rename_survives_the_next_rebuild(episode):
    transcript = build(episode)
    rename_speaker(transcript=transcript, old="Michael", new="Michael Kennedy")
    process_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    assert list(transcript.segments.values_list("speaker", flat=True)) == [
        "Michael Kennedy",
        "Michael Kennedy",
        "",
    ]
    assert '<p class="speaker">Michael Kennedy</p>' in transcript.rendered_html
    assert transcript.report["speakers"] == ["Michael Kennedy"]
    assert "speakers: Michael Kennedy;" in transcript.report["summary"]


def test_the_seed_page_builds_one_segment_per_timestamped_line(episode, shared_data):
    seed = (shared_data / "seed" / "pythonbytes-203-transcript-page.txt").read_text()
    transcript = build(episode, seed)
    stamped = [line for line in seed.splitlines() if line[:2].isdigit() and line[2] == ":"]
    assert transcript.status == "ready"
    # The banner and title lines before the first timestamp open the transcript at 0:00.
    assert transcript.segments.count() == len(stamped) + 1
    assert transcript.segments.first().text.startswith("Brought to you by Michael and Brian")


# What is kept of an upload


def test_the_source_is_stored_under_a_name_of_our_own(episode):
    transcript = upload(episode, name="../../../etc/evil name.php")
    assert transcript.source_file.name.startswith("transcripts/")
    assert "evil" not in transcript.source_file.name and ".." not in transcript.source_file.name
    assert transcript.source_file.name.endswith(".txt")
    assert upload(episode, name="Captions.VTT").source_file.name.endswith(".vtt")


def test_an_upload_over_the_cap_is_refused_naming_its_size(episode):
    too_big = b"00:00 x\n" * (MAX_TRANSCRIPT_BYTES // 8 + 1)
    with pytest.raises(ValidationError) as refused:
        upload(episode, too_big)
    assert refused.value.messages == [
        "This transcript is 20.0 MB; transcripts can be at most 20 MB."
    ]
    assert not Transcript.objects.exists()


def test_pasted_text_over_the_cap_is_refused_too(episode):
    with pytest.raises(ValidationError, match="at most 20 MB"):
        store_transcript_source(episode=episode, text="é" * (MAX_TRANSCRIPT_BYTES // 2 + 1))
    assert not Transcript.objects.exists()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\xff\xd8\xff\xe0 a JPEG, not words", "not UTF-8 text (byte 0 cannot be read)"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "holds NUL bytes"),
        ("00:01 café".encode("cp1252"), "not UTF-8 text (byte 9 cannot be read)"),
    ],
)
def test_an_upload_that_is_not_text_is_refused_and_nothing_is_kept(episode, media_root, data, says):
    with pytest.raises(ValidationError) as refused:
        upload(episode, data)
    assert says in refused.value.messages[0]
    assert not Transcript.objects.exists()
    assert not any(path.is_file() for path in (media_root / "transcripts").rglob("*"))


@pytest.mark.parametrize(
    "data", [b"\xef\xbb\xbf00:01 bom", "00:01 wide".encode("utf-16"), "00:01 ünïcode".encode()]
)
def test_utf8_with_or_without_bom_and_utf16_are_kept(episode, data):
    assert upload(episode, data).source_file.read() == data


def test_a_build_that_was_queued_again_meanwhile_is_served_but_stays_pending(episode):
    # New audio was measured while this build ran, and recheck_transcripts queued another:
    # the row says pending (so `add_episode --wait` waits for that one), listeners get this build.
    transcript = upload(episode)
    Transcript.objects.filter(pk=transcript.pk).update(status="processing")
    transcript.refresh_from_db()
    transcript.mark_pending()
    store_segments(transcript=transcript, parsed=parse(TEXT.encode(), filename="t.txt"))
    transcript.refresh_from_db()
    assert transcript.status == "pending"
    assert transcript.is_servable() and transcript.segments.count() == 3


def test_a_build_nobody_queued_again_is_ready(episode):
    assert build(episode).status == "ready"
