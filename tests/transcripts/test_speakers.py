"""transcripts.speakers: the label rule and editors' renames. Pure, no database."""

import pytest

from transcripts.speakers import could_be_label, renamed, speaker_names


@pytest.mark.parametrize(
    ("renames", "old", "new", "expected"),
    [
        ({}, "KENNEDY", "Michael Kennedy", {"KENNEDY": "Michael Kennedy"}),
        ({"A": "B"}, "B", "C", {"A": "C", "B": "C"}),  # both now shown as B become C
        ({"A": "B"}, "B", "A", {"B": "A"}),  # back to A's own name: no entry for A
        ({"A": "B", "X": "Y"}, "Y", "Z", {"A": "B", "X": "Z", "Y": "Z"}),
    ],
)
def test_renames_compose_so_a_rebuild_shows_what_editors_chose(
    renames: dict, old: str, new: str, expected: dict
) -> None:
    assert renamed(renames, old, new) == expected


def test_a_label_must_recur_and_a_surname_stands_for_its_one_longer_name() -> None:
    texts = ["Michael KENNEDY: hi", "KENNEDY: again", "Once: only", "Note: a", "Note: b"]
    assert speaker_names(texts) == {
        "Michael KENNEDY": "Michael KENNEDY",
        "KENNEDY": "Michael KENNEDY",
    }


@pytest.mark.parametrize(
    ("speaker", "shape"),
    [("Ann", True), ("Dr. Jane O'Neil", True), ("Guido van Rossum", False), ("Note", False),
     ("Ann Lee Bob Cid", False), ("Speaker 1", False), ("Ann:", False)],
)  # fmt: skip
def test_only_some_names_have_the_shape_of_a_label(speaker: str, shape: bool) -> None:
    assert could_be_label(speaker) is shape
