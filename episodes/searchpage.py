"""The search page's results: hits grouped per episode, title and notes matches first.

The index ranks single rows (an episode's title and notes, or one transcript
line). A listener wants episodes: each result is one episode with its art,
date and number of hits, its notes snippet if they matched, and the moments
in its transcript, in time order, each a deep link.
"""

import re
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from . import search as search_index
from .models import Episode, Show

# The best hits considered: enough for 20 pages of episodes on any real show,
# while snippets are made only for these rows.
POOL = 200
EPISODES_PER_PAGE = 10
MOMENTS_SHOWN = 5
# Markdown syntax that would otherwise show in a snippet of the notes.
MARKDOWN_SYNTAX = re.compile(
    r"\*\*|__|`|!\[|\[|\]|^#{1,6}\s+|(?<=\s)#{1,6}\s+|^>\s?|^[-*+]\s+", re.M
)


@dataclass
class Moment:
    start: int
    snippet: SafeString


@dataclass
class EpisodeResult:
    episode: Episode
    about: SafeString | None = None  # the title or notes snippet, when they matched
    moments: list[Moment] = field(default_factory=list)
    hits: int = 0

    @property
    def more(self) -> int:
        return max(0, len(self.moments) - MOMENTS_SHOWN)

    @property
    def shown(self) -> list[Moment]:
        return sorted(self.moments, key=lambda m: m.start)[:MOMENTS_SHOWN]


def plain_snippet(snippet: str) -> str:
    """A snippet of Markdown notes as the text a reader sees (no **, [, ], #)."""
    return " ".join(MARKDOWN_SYNTAX.sub("", snippet).split())


def grouped_results(show: Show, query: str) -> list[EpisodeResult]:
    """Every episode among the best hits, those whose title or notes matched first."""
    hits = search_index.search(show, query, limit=POOL)
    episodes = Episode.objects.public().select_related("show").in_bulk({h.episode_id for h in hits})
    results: dict[int, EpisodeResult] = {}
    for hit in hits:
        if hit.episode_id not in episodes:
            continue  # unpublished since the query ran
        result = results.setdefault(hit.episode_id, EpisodeResult(episodes[hit.episode_id]))
        result.hits += 1
        if hit.kind == search_index.EPISODE:
            result.about = search_index.highlight(plain_snippet(hit.snippet))
        else:
            result.moments.append(Moment(int(hit.start or 0), search_index.highlight(hit.snippet)))
    # Stable sort: within each kind, the order of the best hit of each episode stays.
    return sorted(results.values(), key=lambda r: r.about is None)
