"""The podcast-namespace media tags as the feed writer puts them in channel and item."""

from lxml import etree

from episodes.feeds import rss
from tests.episodes.feeds.test_rss import channel, item
from tests.episodes.feeds.test_views import NS, SITE


def test_podcast_images_is_a_srcset_on_channel_and_item_only_when_given():
    copies = ((f"{SITE}/media/a,b.jpg", 1500), (f"{SITE}/media/c.jpg", 300))
    root = etree.fromstring(
        rss.render_feed(channel(images=copies), [item(images=copies), item(guid="g2")])
    )
    srcsets = root.xpath("//podcast:images/@srcset", namespaces=NS)
    # A comma in a URL would split the srcset list: it is percent-encoded.
    assert srcsets == [f"{SITE}/media/a%2Cb.jpg 1500w, {SITE}/media/c.jpg 300w"] * 2
    assert root.xpath("count(//item[guid='g2']/podcast:images)", namespaces=NS) == 0
