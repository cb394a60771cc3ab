"""The Podcasting 2.0 tags' checks and XML (episodes/feeds/namespace.py): no database."""

import datetime as dt
from decimal import Decimal

import pytest
from lxml import etree

from episodes.feeds import namespace

NS = {"podcast": "https://podcastindex.org/namespace/1.0"}


def written(tags) -> etree._Element:
    parts: list[str] = []
    tags.write(parts)
    return etree.fromstring(f'<channel xmlns:podcast="{NS["podcast"]}">{"".join(parts)}</channel>')


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("geo:30.2672,-97.7431", ""),
        ("geo:-90,180", ""),
        ("geo:90,-180,120.5", ""),  # an altitude is allowed (RFC 5870)
        ("geo:90.0001,0", "The latitude 90.0001 is out of range"),
        ("geo:0,180.5", "The longitude 180.5 is out of range"),
        ("geo:30.2,", "is not a geo URI"),
        ("30.2,97.7", "is not a geo URI"),
        ("geo:north,east", "is not a geo URI"),
    ],
)
def test_geo_coordinates_are_checked_by_form_and_range(value, problem):
    found = namespace.geo_problem(value)
    assert (problem in found) if problem else found == ""


@pytest.mark.parametrize(
    ("value", "ok"),
    [("R113314", True), ("W43678282", True), ("N1#3", True), ("r113314", False), ("113314", False)],
)
def test_osm_identifiers_are_a_type_letter_and_a_number(value, ok):
    assert (namespace.osm_problem(value) == "") is ok


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("FREQ=WEEKLY", ""),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", ""),
        ("FREQ=YEARLY;BYDAY=+4TH;BYMONTH=11", ""),
        ("FREQ=WEEKLY;UNTIL=20271231T000000Z;BYDAY=MO", ""),
        ("FREQ=SOMETIMES", "does not parse"),
        ("FREQ=WEEKLY;BYDAY=XX", "does not parse"),
        ("FREQ=WEEKLY;FOO=1", "does not parse"),
        ("BYDAY=MO", "needs a FREQ"),
        ("RRULE:FREQ=DAILY", "without the RRULE: prefix"),
        ("FREQ=DAILY\nFREQ=WEEKLY", "without the RRULE: prefix"),
    ],
)
def test_a_recurrence_rule_must_parse(rule, problem):
    found = namespace.rrule_problem(rule)
    assert (problem in found) if problem else found == ""


@pytest.mark.parametrize(
    ("check", "value", "ok"),
    [
        (namespace.node_address_problem, "02" + "ab" * 32, True),
        (namespace.node_address_problem, "04" + "ab" * 32, False),
        (namespace.node_address_problem, "02abc", False),
        (namespace.lnaddress_problem, "show@getalby.com", True),
        (namespace.lnaddress_problem, "show@localhost", False),
        (namespace.lnaddress_problem, "02abcdef", False),
    ],
)
def test_value_addresses_fit_their_type(check, value, ok):
    assert (check(value) == "") is ok


@pytest.mark.parametrize(
    ("amount", "text"),
    [("0.00000005000", "0.00000005"), ("5E-8", "0.00000005"), ("10", "10"), ("1.50", "1.5")],
)
def test_suggested_amounts_are_decimals_without_exponent(amount, text):
    assert namespace.decimal(Decimal(amount)) == text


def test_empty_tags_write_nothing():
    assert namespace.ChannelTags().write(parts := []) is None and parts == []
    assert not namespace.ItemTags()
    empty = namespace.ItemTags(license=namespace.License(""), value=namespace.Value(()))
    empty.write(parts)
    assert parts == []


def test_every_value_is_escaped_and_cut_to_the_namespace_limits():
    tags = namespace.ChannelTags(
        txts=(namespace.Txt("a" * 5000, 'say "hi" & <bye>'),),
        license=namespace.License("x" * 200, "https://e.org/?a=1&b=2"),
        location=namespace.Location("Zürich & 🏔", "geo:47.37,8.54"),
        update_frequency=namespace.UpdateFrequency(
            "Weekly", dtstart=dt.datetime(2027, 1, 4, 10, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        ),
    )
    root = written(tags)
    txt = root.find("podcast:txt", NS)
    assert (len(txt.text), txt.get("purpose")) == (4000, 'say "hi" & <bye>')
    license_ = root.find("podcast:license", NS)
    assert (len(license_.text), license_.get("url")) == (128, "https://e.org/?a=1&b=2")
    assert root.find("podcast:location", NS).text == "Zürich & 🏔"
    frequency = root.find("podcast:updateFrequency", NS)
    assert frequency.get("dtstart") == "2027-01-04T09:00:00.000Z"  # in UTC, as apps expect


def test_disabled_comments_carry_no_other_attribute():
    disabled = namespace.SocialInteract("disabled", uri="https://ignored.example/")
    assert namespace.social_interact(disabled) == '<podcast:socialInteract protocol="disabled"/>\n'


def test_a_trailer_has_its_rfc_2822_date_and_only_the_attributes_it_knows():
    moment = dt.datetime(2027, 4, 1, 8, 0, tzinfo=dt.UTC)
    root = written(
        namespace.ChannelTags(trailers=(namespace.Trailer("Soon", "https://e.org/t.mp3", moment),))
    )
    trailer = root.find("podcast:trailer", NS)
    assert dict(trailer.attrib) == {
        "url": "https://e.org/t.mp3",
        "pubdate": "Thu, 01 Apr 2027 08:00:00 GMT",
    }
