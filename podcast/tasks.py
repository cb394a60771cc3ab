"""The site's own periodic work (beat)."""

from celery import shared_task

from . import orphans


@shared_task
def remove_orphan_files() -> int:
    """Periodic (beat, daily): remove stored files no row names, once a day old; how many.

    Shape: recompute and overwrite: a second run finds nothing more to remove.
    """
    return orphans.remove_orphan_files().removed
