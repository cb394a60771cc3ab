"""The episodes app's models, by noun: shows (show.py), episodes (episode.py), imports."""

from podcast.queue import ProcessingStatus

# Registered with the app here: the import's models live with the rest of the import.
from ..importing.models import FeedImport, ImportedEpisode
from .episode import (
    OPUS_TYPE,
    Chapter,
    Episode,
    EpisodePerson,
    EpisodeQuerySet,
    EpisodeSponsor,
    ShowNoteLink,
    chapter_time_problem,
    new_preview_token,
)
from .live import LiveItem, LiveItemQuerySet
from .namespace import (
    EpisodeValueRecipient,
    PodrollItem,
    ShowTxt,
    ShowValueRecipient,
    SocialInteract,
    SocialProtocol,
)
from .show import FundingLink, Medium, Person, Role, Show, ShowHost, ShowQuerySet, Sponsor

__all__ = [
    "OPUS_TYPE",
    "Chapter",
    "Episode",
    "EpisodePerson",
    "EpisodeValueRecipient",
    "EpisodeQuerySet",
    "EpisodeSponsor",
    "FeedImport",
    "FundingLink",
    "ImportedEpisode",
    "LiveItem",
    "LiveItemQuerySet",
    "Medium",
    "Person",
    "PodrollItem",
    "ProcessingStatus",
    "Role",
    "Show",
    "ShowHost",
    "ShowNoteLink",
    "ShowQuerySet",
    "ShowTxt",
    "ShowValueRecipient",
    "SocialInteract",
    "SocialProtocol",
    "Sponsor",
    "chapter_time_problem",
    "new_preview_token",
]
