"""The admin's analytics pages: a show, an episode, and their downloads as CSV."""

import csv
import datetime as dt

from django.contrib import admin
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from episodes.models import Episode, Show

from . import charts, reports

DEFAULT_DAYS = 90
MAX_DAYS = 3660


def chart_days(request: HttpRequest) -> int:
    days = request.GET.get("days", "")
    return min(MAX_DAYS, int(days)) if days.isdigit() and int(days) > 0 else DEFAULT_DAYS


def chart(rows, days: int, label: str) -> dict:
    last = dt.datetime.now(dt.UTC).date()
    first = last - dt.timedelta(days=days - 1)
    series = charts.daily_series(reports.per_day(rows.filter(day__gte=first)), first, last)
    return {"svg": mark_safe(charts.svg(series, label)), "first": first, "last": last, "days": days}


def summary(rows, clients) -> dict:
    """Totals of per-day rows, top apps and devices of per-client rows."""
    since = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=29)
    return {
        "total": reports.total(rows),
        "last_30": reports.total(rows.filter(day__gte=since)),
        "apps": reports.top(clients, "client"),
        "devices": reports.top(clients, "device_category"),
    }


@permission_required("episodes.view_show")
def show_analytics(request: HttpRequest, slug: str) -> HttpResponse:
    show = get_object_or_404(Show, slug=slug)
    # The show's per-day app counts: a few rows a day, where the per-episode ones are hundreds.
    rows = reports.by_client(show)
    days = chart_days(request)
    since = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=29)
    feed_clients = reports.feed_clients(show, since)
    episodes = reports.milestones(show)
    context = {
        **admin.site.each_context(request),
        "title": f"Analytics: {show.title}",
        "show": show,
        "chart": chart(rows, days, f"Downloads per day, last {days} days"),
        **summary(rows, rows),
        "episodes": episodes,
        "milestone_rows": milestone_rows(show, episodes),
        "milestones": reports.MILESTONES,
        "requests": reports.requests_by_kind(reports.requests(show)),
        "feed_clients": feed_clients,
        "feed_bandwidth": reports.feed_bandwidth(feed_clients),
    }
    return render(request, "analytics/show.html", context)


NOT_YET = '<td class="number"><span title="not that old yet">–</span></td>'


def milestone_rows(show: Show, episodes: list[dict]) -> str:
    """The rows of the first-days table, built here: through the template language, the
    cells of 500 episodes took most of the page's time."""
    path = reverse("analytics:episode", args=[show.slug, 1]).removesuffix("1/")
    rows = []
    for e in episodes:
        cells = "".join(
            NOT_YET if n is None else f'<td class="number">{n:d}</td>' for n in e["after"]
        )
        link = format_html('<a href="{}{}/">#{} {}</a>', path, e["number"], e["number"], e["title"])
        rows.append(f"<tr><td>{link}</td>{cells}</tr>")
    return mark_safe("\n".join(rows))


@permission_required("episodes.view_episode")
def episode_analytics(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    episode = get_object_or_404(
        Episode.objects.select_related("show"), show__slug=slug, number=number
    )
    rows = reports.downloads(episode.show).filter(episode=episode)
    days = chart_days(request)
    context = {
        **admin.site.each_context(request),
        "title": f"Analytics: #{episode.number} {episode.title}",
        "show": episode.show,
        "episode": episode,
        "chart": chart(rows, days, f"Downloads of episode {episode.number} per day"),
        **summary(rows, reports.by_client(episode.show, episode)),
        "requests": reports.requests_by_kind(reports.requests(episode.show, episode)),
    }
    return render(request, "analytics/episode.html", context)


@permission_required("episodes.view_show")
def downloads_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """date,show,episode,downloads for a show, as analytics_report --csv prints it."""
    show = get_object_or_404(Show, slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{show.slug}-downloads.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(["date", "show", "episode", "downloads"])
    number = request.GET.get("episode", "")
    for row in reports.per_episode_per_day(show):
        if not number or str(row.episode) == number:
            writer.writerow([row.day.isoformat(), row.show, row.episode, row.downloads])
    return response
