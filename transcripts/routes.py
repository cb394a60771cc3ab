"""The URL of a transcript file, one pattern for every format in the registry.

The public site mounts it under episodes/, a personal feed under feeds/<token>/.
"""

from django.urls import re_path

from .formats import SERVED_SUFFIXES

SUFFIXES = "|".join(SERVED_SUFFIXES)  # vtt|json|srt|html|txt, from the format registry


def transcript_file(prefix: str, view, name: str):
    return re_path(
        rf"^{prefix}transcript/(?P<number>[0-9]+)/(?P<slug>[^/]+)\.(?P<fmt>{SUFFIXES})$",
        view,
        name=name,
    )
