"""manage.py analytics_report: aggregates what is pending, then prints what the admin shows."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from .test_recording import SPOTIFY, get


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("analytics_report", *args, stdout=out)
    return out.getvalue()


def test_csv_has_a_row_per_episode_per_day_after_aggregating_pending_events(client, episode):
    get(client, episode.download_url())
    get(client, episode.download_url(), ua=SPOTIFY)
    rows = list(csv.reader(io.StringIO(report("--csv"))))
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert rows == [
        ["date", "show", "episode", "downloads"],
        [today, episode.show.slug, str(episode.number), "2"],
    ]


def test_the_totals_table_names_each_episode_and_the_total(client, episode):
    get(client, episode.download_url())
    text = report("--show", episode.show.slug)
    assert episode.title in text
    assert text.splitlines()[-1].split() == ["total", "1"]


def test_since_leaves_out_earlier_days(client, episode):
    get(client, episode.download_url())
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    assert report("--csv", "--since", tomorrow).splitlines() == ["date,show,episode,downloads"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--show", "nope"), "--show 'nope': no such show"),
        (("--since", "yesterday"), "--since 'yesterday': expected a date as YYYY-MM-DD"),
    ],
)
def test_bad_arguments_say_what_is_wrong(db, args, message):
    with pytest.raises(CommandError, match=message):
        report(*args)
