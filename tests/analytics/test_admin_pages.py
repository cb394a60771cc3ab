"""The admin's analytics pages show what the aggregation counted."""

import csv
import io

from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from analytics import aggregation

from .test_recording import OVERCAST, SPOTIFY, get

FEEDLY = (
    "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 321 subscribers; like FeedFetcher-Google)"
)


def traffic(client, episode) -> None:
    get(client, episode.download_url())
    get(client, episode.download_url(), ua=SPOTIFY)
    get(client, episode.download_url(), ua="Googlebot/2.1 (+http://www.google.com/bot.html)")
    first = get(client, "/episodes/rss", ua=FEEDLY)
    get(client, "/episodes/rss", ua=FEEDLY, HTTP_IF_NONE_MATCH=first["ETag"])
    aggregation.aggregate_pending()


def test_the_show_page_has_totals_chart_apps_milestones_and_feed_clients(
    admin_client, client, episode
):
    traffic(client, episode)
    page = admin_client.get(reverse("analytics:show", args=[episode.show.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>2</strong><span>downloads in all</span>" in html
    assert html.count("<rect ") == 90 and ": 2 downloads</title>" in html
    assert '<td>Overcast</td><td class="number">1</td>' in html
    assert '<td>Spotify</td><td class="number">1</td>' in html
    assert '<td>bot</td><td class="number">1</td>' in html
    assert f"#{episode.number} {episode.title}" in html
    assert "<td>Feedly</td>" in html and ">321<" in html and "50%" in html


def test_the_show_page_says_how_many_feed_bytes_304s_and_gzip_saved(admin_client, client, episode):
    plain = get(client, "/episodes/rss", ua=FEEDLY)
    packed = get(client, "/episodes/rss", ua=FEEDLY, HTTP_ACCEPT_ENCODING="gzip")
    get(client, "/episodes/rss", ua=FEEDLY, HTTP_IF_NONE_MATCH=packed["ETag"])
    aggregation.aggregate_pending()
    html = admin_client.get(reverse("analytics:show", args=[episode.show.slug])).content.decode()
    gzip_saved = filesizeformat(len(plain.content) - len(packed.content))
    average = (len(plain.content) + len(packed.content)) / 2  # what the 304 would have cost
    sent = filesizeformat(len(plain.content) + len(packed.content))
    assert (
        f"<strong>{sent}</strong> sent, <strong>{filesizeformat(round(average))}</strong> saved by"
        f" 304s, <strong>{gzip_saved}</strong> saved by gzip."
    ) in html
    assert f'<td class="number">{gzip_saved}</td>' in html


def test_the_episode_page_shows_that_episodes_downloads(admin_client, client, episode):
    traffic(client, episode)
    url = reverse("analytics:episode", args=[episode.show.slug, episode.number])
    html = admin_client.get(url + "?days=30").content.decode()
    assert "<strong>2</strong><span>downloads in all</span>" in html
    assert html.count("<rect ") == 30


def test_the_csv_export_matches_the_report(admin_client, client, episode):
    traffic(client, episode)
    response = admin_client.get(reverse("analytics:csv", args=[episode.show.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "show", "episode", "downloads"]
    assert rows[1][1:] == [episode.show.slug, str(episode.number), "2"]


def test_the_admin_index_lists_shows_with_their_downloads(admin_client, client, episode):
    traffic(client, episode)
    html = admin_client.get(reverse("admin:analytics_showanalytics_changelist")).content.decode()
    assert reverse("analytics:show", args=[episode.show.slug]) in html
    assert '<td class="field-downloads">2</td>' in html


def test_listeners_and_anonymous_visitors_are_sent_to_log_in(client, episode):
    response = client.get(reverse("analytics:show", args=[episode.show.slug]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_unknown_shows_are_404(admin_client, db):
    assert admin_client.get(reverse("analytics:show", args=["nope"])).status_code == 404


def test_a_staff_member_without_view_permission_is_refused(client, episode, django_user_model):
    user = django_user_model.objects.create_user("intern", password="x", is_staff=True)
    client.force_login(user)
    response = client.get(reverse("analytics:show", args=[episode.show.slug]))
    assert response.status_code in (302, 403)
    assert OVERCAST  # the same traffic helpers serve both tests
