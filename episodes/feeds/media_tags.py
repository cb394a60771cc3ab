"""The podcast-namespace tags for media beyond the enclosure (pure): podcast:images.

Written by rss.py's channel and item writers; values are escaped by xmltext.
"""

from .xmltext import attr


def images(srcset: tuple[tuple[str, int], ...], parts: list[str]) -> None:
    if srcset:
        # HTML's srcset syntax: a URL holding a comma or a space would split the list.
        value = ", ".join(
            f"{url.replace(',', '%2C').replace(' ', '%20')} {width}w" for url, width in srcset
        )
        parts.append(f'<podcast:images srcset="{attr(value)}"/>\n')
