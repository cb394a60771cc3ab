from django.db.models import QuerySet

from episodes.models import Episode
from episodes.sitemaps import SiteSitemap

from .models import Transcript


class TranscriptSitemap(SiteSitemap):
    """Transcript pages that answer: a servable transcript of a published episode."""

    priority = 0.6

    def items(self) -> QuerySet[Episode]:
        servable = Transcript.objects.servable().values("episode")
        published = Episode.objects.public().filter(pk__in=servable)
        return published.select_related("show").order_by("pk")

    def location(self, episode: Episode) -> str:
        return episode.transcript_url()
