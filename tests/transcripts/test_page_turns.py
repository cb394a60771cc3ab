"""The transcript page groups a speaker's consecutive lines; every time stays its own link."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import ShowFactory, published_episode
from transcripts.services import process_transcript, speaker_turns, store_transcript_source

TEXT = (
    "00:00 Michael: Hello and welcome.\n\n00:04 Michael: This is the second line.\n\n"
    "00:09 Brian: And I'm Brian.\n\n00:11 Brian: Hi.\n\n00:12 Michael: Back to me.\n\n"
    "00:15 Michael: Still me.\n"
)


@pytest.fixture
def episode(db, tone):
    show = ShowFactory(
        slug="main", is_default=True,
        transcript_source_url_template="https://github.com/x/y/blob/main/{number}.txt",
        transcript_source_label="view on github",
    )  # fmt: skip
    episode = published_episode(tone, show=show, number=5, slug="turns", duration=60.0)
    upload = SimpleUploadedFile("t.txt", TEXT.encode())
    process_transcript(transcript_id=store_transcript_source(episode=episode, upload=upload).pk)
    return episode


def test_a_speakers_consecutive_lines_are_one_turn_under_one_name(client, episode) -> None:
    body = client.get(episode.transcript_url()).content.decode()
    turns = re.findall(r'<div class="turn"><p class="speaker">([^<]*)</p>', body)
    assert turns == ["Michael", "Brian", "Michael"]
    stamps = re.findall(r'<a class="stamp" href="([^"]*)"[^>]*>([^<]*)</a>', body)
    assert [s for _, s in stamps] == ["00:00", "00:04", "00:09", "00:11", "00:12", "00:15"]
    assert stamps[1][0] == f"{episode.get_absolute_url()}?t=4#t=4"


def test_the_source_link_says_what_the_show_chose(client, episode) -> None:
    body = client.get(episode.transcript_url()).content.decode()
    assert (
        '<a href="https://github.com/x/y/blob/main/5.txt" rel="noopener">view on github</a>' in body
    )


@pytest.mark.parametrize(
    ("speakers", "expected"),
    [(["A", "A", "B"], [2, 1]), (["", "", "A"], [1, 1, 1]), ([], []), (["A", "B", "A"], [1, 1, 1])],
)
def test_turns_group_only_named_consecutive_lines(speakers, expected) -> None:
    rows = [{"speaker": name} for name in speakers]
    assert [len(turn["rows"]) for turn in speaker_turns(rows)] == expected
