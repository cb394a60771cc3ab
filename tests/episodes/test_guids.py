from episodes.guids import podcast_guid


def test_podcast_guid_matches_the_namespace_check_values():
    assert str(podcast_guid("https://podnews.net/rss")) == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert (
        str(podcast_guid("http://mp3s.nashownotes.com/pc20rss.xml/"))
        == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )
