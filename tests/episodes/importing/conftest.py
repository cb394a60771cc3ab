from tests.episodes.importing import feedhost

host = feedhost.host  # the old host, a fixture
