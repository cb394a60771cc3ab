"""What the episode page shows once: the summary, the notes, and the links the notes lack.

Imported pythonbytes-style notes already hold every pick with its description;
the stored ShowNoteLink rows are an index of the same picks. The page renders
the notes and lists only the links the notes do not contain, and it starts
with the summary only when the notes do not start with it themselves.
"""

import html
import re

from .embeds import iframe_html, oembed_discovery_url
from .models import Episode, EpisodePerson, ShowNoteLink

TAG = re.compile(r"<[^>]+>")


def plain_words(markup: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", markup)).split()).casefold()


def summary_is_in_notes(episode: Episode) -> bool:
    """Whether the notes open with the summary (so the page must not say it twice)."""
    summary = plain_words(episode.summary)
    notes = plain_words(episode.show_notes_html or episode.show_notes)
    return bool(summary) and notes.startswith(summary)


def links_outside_notes(episode: Episode, links: list[ShowNoteLink]) -> list[ShowNoteLink]:
    """The show-note links whose URL the rendered notes do not already link to."""
    notes = html.unescape(episode.show_notes_html or episode.show_notes)
    return [link for link in links if link.url not in notes]


def people_with_pages(episode: Episode, credits: list[EpisodePerson]) -> set[int]:
    """Ids of the people whose page on this show exists: its hosts and this episode's credits.

    A picker imported from notes ("Brian") who is neither gets no link, never a 404.
    """
    hosts = set(episode.show.hosts.values_list("person_id", flat=True))
    return hosts | {credit.person_id for credit in credits}


def share_context(episode: Episode) -> dict:
    """The share link, the embed code and the oEmbed discovery URL of a public episode."""
    if not episode.is_public():
        return {}
    return {
        "share_url": episode.show.absolute(episode.get_absolute_url()),
        "embed_code": iframe_html(episode),
        "oembed_url": oembed_discovery_url(episode),
    }
