"""What search engines and link previews read: schema.org PodcastEpisode data."""

from django.utils.html import strip_tags

from .models import Episode, EpisodePerson, Show


def iso_duration(seconds: float | None) -> str:
    if not seconds:
        return ""
    total = int(seconds)
    return f"PT{total // 3600}H{total % 3600 // 60}M{total % 60}S"


def episode_jsonld(episode: Episode, credits: list[EpisodePerson]) -> dict:
    """schema.org PodcastEpisode for an episode page, as plain data to serialize."""
    show = episode.show
    data = {
        "@context": "https://schema.org",
        "@type": "PodcastEpisode",
        "url": show.absolute(episode.get_absolute_url()),
        "name": episode.title,
        "episodeNumber": episode.number,
        "description": strip_tags(episode.summary),
        "associatedMedia": {
            "@type": "MediaObject",
            "contentUrl": show.absolute(episode.download_url()),
            "encodingFormat": episode.audio_mime_type or "audio/mpeg",
        },
        "partOfSeries": {
            "@type": "PodcastSeries",
            "name": show.title,
            "url": show.absolute(show.get_absolute_url()),
        },
    }
    if image := episode.social_image_url():
        data["image"] = image
    if episode.publish_at:
        data["datePublished"] = episode.publish_at.date().isoformat()
    if episode.audio_duration:
        data["timeRequired"] = iso_duration(episode.audio_duration)
    people = [{"@type": "Person", "name": c.person.name} for c in credits]
    if people:
        data["actor"] = people
    return data


def show_jsonld(show: Show) -> dict:
    """schema.org PodcastSeries for a show's home page."""
    data = {
        "@context": "https://schema.org",
        "@type": "PodcastSeries",
        "name": show.title,
        "url": show.absolute(show.get_absolute_url()),
        "description": strip_tags(show.description)[:500],
        "webFeed": show.feed_url(),
    }
    if image := show.social_image_url():
        data["image"] = image
    if show.author:
        data["author"] = {"@type": "Person", "name": show.author}
    return data
