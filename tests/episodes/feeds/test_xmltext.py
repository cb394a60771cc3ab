"""Escaping for the feed writer (pure)."""

import pytest

from episodes.feeds.xmltext import attr, cdata, number


@pytest.mark.parametrize(("value", "written"), [(5.0, "5"), (22.5, "22.5"), (1e-7, "0")])
def test_decimals_have_no_exponent_nor_needless_zeros(value, written):
    assert number(value) == written


def test_attributes_keep_quotes_newlines_and_tabs_and_drop_control_characters():
    assert attr('a"b\nc\td\x00<') == "a&quot;b&#10;c&#9;d&lt;"


def test_cdata_splits_its_own_terminator():
    assert cdata("x]]>y") == "<![CDATA[x]]]]><![CDATA[>y]]>"
