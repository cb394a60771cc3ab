from django.db.models import QuerySet

from episodes.models import Episode, ProcessingStatus
from episodes.sitemaps import SiteSitemap


class TranscriptSitemap(SiteSitemap):
    """Transcript pages that answer: a ready transcript of a published episode."""

    priority = 0.6

    def items(self) -> QuerySet[Episode]:
        published = Episode.objects.published().filter(transcripts__status=ProcessingStatus.READY)
        return published.distinct().select_related("show").order_by("pk")

    def location(self, episode: Episode) -> str:
        return episode.transcript_url()
