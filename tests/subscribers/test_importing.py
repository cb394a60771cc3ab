"""CSV import: good rows created, each bad one reported with its line and why, nothing lost."""

import datetime as dt

import pytest

from subscribers.importing import import_csv
from subscribers.models import Subscriber
from tests.factories import ShowFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

CSV = """email,name,expires
ann@example.com,Ann,2027-01-31
bob@example.com,,

not-an-email,Carl,
dora@example.com,Dora,31/01/2027
ann@example.com,Ann again,
eve@example.com,Eve,2020-01-01
fay@example.com,Fay,2027-01-31,extra
"Gil@Example.com","Gil, Jr.",
"""


def test_every_line_is_created_or_refused_with_its_reason():
    show = ShowFactory(slug="main", time_zone="Europe/Paris")
    Subscriber.objects.create(show=show, email="gil@example.com")
    report = import_csv(show=show, text=CSV, now=NOW)
    assert [s.email for s in report.created] == ["ann@example.com", "bob@example.com"]
    assert report.refused == [
        (5, "'not-an-email' is not an email address"),
        (6, "expires '31/01/2027' is not a date like 2027-01-31"),
        (7, "ann@example.com is listed twice in this file"),
        (8, "expires 2020-01-01 is already past"),
        (9, "4 columns, expected at most 3: email,name,expires"),
        (10, "gil@example.com is already a subscriber of main"),
    ]
    assert report.summary() == "10 rows read: 2 created, 6 refused, 1 header, 1 blank."
    ann = Subscriber.objects.get(email="ann@example.com")
    # The end of 31 January in Paris.
    assert ann.expires_at == dt.datetime(2027, 1, 31, 23, tzinfo=dt.UTC)
    assert ann.source == "csv" and ann.name == "Ann" and ann.is_active(NOW)


def test_a_file_without_a_header_imports_its_first_line():
    report = import_csv(show=ShowFactory(), text="ann@example.com,Ann\n", now=NOW)
    assert [s.name for s in report.created] == ["Ann"]
    assert report.summary() == "1 row read: 1 created, 0 refused."
