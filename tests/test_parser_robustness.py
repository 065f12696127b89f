"""The parser never crashes on ordinary wording or broken markup: only its own
ParseError may leave it. Each case here once raised something else."""

from __future__ import annotations

from decimal import Decimal

import pytest

from decisions.parsing import ParseError, parse_decision
from tests.conftest import FIXTURES

HEADER = "Norfolk County Council (19 011 560)\n"
SEED = (FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt").read_text(encoding="utf-8")


def test_an_act_named_only_by_its_year_is_no_crash():
    # "the Act 1974" left the legislation finder an empty name: IndexError.
    parsed = parse_decision(HEADER + "Summary: We considered the complaint under the Act 1974.")
    assert parsed.reference == "19 011 560"


@pytest.mark.parametrize("markup", ["<p<![D)", "<![CDATA[", "<html><p>" * 5000, "<!--", "&#0;<p"])
def test_broken_markup_is_read_not_raised(markup):
    # The standard library's HTMLParser raised AssertionError on "<p<![D)".
    with pytest.raises(ParseError):
        parse_decision(markup)


def test_broken_markup_around_a_real_page_still_parses():
    html = "<html><body><p<![D)><p>" + SEED.replace("\n", "</p><p>") + "</p>"
    parsed = parse_decision(html)
    assert parsed.reference == "19 011 560"
    assert parsed.organisation == "Norfolk County Council"


def test_an_unreadable_url_is_ignored_with_a_warning():
    # urlsplit("http://[") raises ValueError.
    parsed = parse_decision(SEED, url="http://[")
    assert parsed.reference == "19 011 560"
    assert parsed.url is None
    assert any("not a valid address" in warning for warning in parsed.warnings)


@pytest.mark.parametrize("sentence", ["pay Mr X £100 and ", "The Council will pay Mr X £100 and "])
def test_a_page_repeating_a_payment_20000_times_finds_each(sentence):
    # Quadratic before (8.6 s and about 100 s); `make bench-fuzz` times it now.
    parsed = parse_decision(HEADER + "Summary: test\n" + sentence * 20_000)
    assert len(parsed.remedies.payments) == 20_000
    assert parsed.remedies.total == Decimal("2000000.00")


def test_a_header_line_repeated_thousands_of_times_parses():
    # The joint-header regex was quadratic on one huge line: 17-50 s for this page.
    parsed = parse_decision("Norfolk County Council (19 011 560)" * 2000)
    assert parsed.reference == "19 011 560"
