"""sitemap.xml: show home pages, published episodes, transcripts and people."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from .models import Episode, EpisodePerson, Person, Show


class SiteSitemap(Sitemap):
    """Absolute URLs from PODCAST_SITE_URL, like the feeds, whatever host the request named."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.PODCAST_SITE_URL).scheme

    def get_domain(self, site: object = None) -> str:
        return urlsplit(settings.PODCAST_SITE_URL).netloc


class ShowSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self) -> QuerySet[Show]:
        return Show.objects.order_by("pk")

    def lastmod(self, show: Show):
        return show.updated_at


class EpisodeSitemap(SiteSitemap):
    priority = 0.8

    def items(self) -> QuerySet[Episode]:
        return Episode.objects.public().select_related("show").order_by("pk")

    def lastmod(self, episode: Episode):
        return episode.updated_at


class PersonSitemap(SiteSitemap):
    """One page per person and show they appear on in a published episode."""

    priority = 0.4

    def items(self) -> list[tuple[Show, Person]]:
        credits = EpisodePerson.objects.filter(episode__in=Episode.objects.public())
        pairs = credits.values_list("episode__show", "person").distinct().order_by()
        shows = Show.objects.in_bulk({show for show, _ in pairs})
        people = Person.objects.in_bulk({person for _, person in pairs})
        items = [(shows[show], people[person]) for show, person in pairs]
        return sorted(items, key=lambda item: (item[0].pk, item[1].slug))

    def location(self, item: tuple[Show, Person]) -> str:
        show, person = item
        return show.reverse("person", slug=person.slug)
