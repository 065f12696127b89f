"""The parser never crashes on ordinary wording or broken markup: only its own
ParseError may leave it. Each case here once raised something else."""

from __future__ import annotations

import io
import random
import string
import time
from decimal import Decimal

import pytest
from django.core.management import call_command

from decisions.parsing import ParseError, parse_decision
from decisions.parsing.page_text import _lines_from_tokens, html_to_text
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


def test_an_amount_longer_than_decimal_precision_is_kept_exactly():
    # Decimal's default context (28 digits) raised InvalidOperation on quantize.
    parsed = parse_decision(HEADER + "Summary: The Council will pay Mr X £" + "9" * 40 + ".")
    (payment,) = parsed.remedies.payments
    assert payment.amount == Decimal("9" * 40 + ".00")
    assert parsed.remedies.total == payment.amount


def test_a_sum_in_millions_is_not_read_as_its_first_digits():
    # The amount backed off digit by digit past "million": "£12.5 million" was £12.
    parsed = parse_decision(HEADER + "Summary: The Council will pay £12.5 million and £1.5m.")
    assert parsed.remedies.payments == ()


def _name(number: int) -> str:
    """A made-up word per number, unlike the others: "Qpwnzs", ..."""
    rng = random.Random(number)
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(6)).capitalize()


def test_a_page_naming_thousands_of_providers_keeps_the_first_and_says_so():
    # Each name was fuzzy-matched against every earlier one: 5,000 names took 107 s.
    names = " ".join(f"{_name(number)} Care Ltd." for number in range(5000))
    parsed = parse_decision(HEADER + "Summary: The complaint is about " + names)
    assert parsed.other_bodies[:2] == (f"{_name(0)} Care Ltd", f"{_name(1)} Care Ltd")
    assert len(parsed.other_bodies) == 20
    assert any("other bodies" in warning for warning in parsed.warnings)


def test_labels_run_together_on_one_line_are_each_read():
    parsed = parse_decision(
        HEADER + "Category : Housing > Allocations Decision : Upheld Decision date : 31 Mar 2020"
    )
    assert (parsed.category, parsed.outcome_wording) == ("Housing", "Upheld")
    assert parsed.decision_date.isoformat() == "2020-03-31"


# Pages of a megabyte, each of a shape that once took from seconds to hours (the
# figure before the fix is in the comment); each must still parse, and parse right.
# Timings are the fuzz benchmark's business (`python -m bench fuzz`), not these tests'.
MEGABYTE = 1_000_000


def _repeat(unit: str) -> str:
    return unit * (MEGABYTE // len(unit))


def test_a_megabyte_of_labels_on_one_line_is_read():
    # Each label was split off the rest of the line in turn: quadratic, 15-25 s.
    parsed = parse_decision(HEADER + _repeat("Decision : Upheld "))
    assert parsed.outcome_wording == "Upheld"


def test_a_megabyte_of_citations_on_one_line_is_read():
    # Each citation searched back to the start of its line: 2-6 s.
    parsed = parse_decision(HEADER + "Summary: " + _repeat("Care Act 2014 section 1, "))
    assert parsed.legislation[:2] == ("Care Act 2014", "Care Act 2014, section 1")


def test_a_megabyte_of_spaces_between_labels_is_read():
    # The label splitter retried from every space of the run: hours.
    parsed = parse_decision(HEADER + "Category : Housing:" + " " * MEGABYTE + "Allocations")
    assert parsed.category == "Housing: Allocations"


def test_a_megabyte_of_deadlines_before_a_colon_is_read():
    # "within ... weeks[^:]*" was retried from every "within" to the next colon: hours.
    parsed = parse_decision(HEADER + "Summary: test\n" + _repeat("within 4 weeks ") + ":.x:")
    assert parsed.remedies.payments == ()


def test_a_megabyte_of_digits_before_million_is_read():
    # The amount backed off one digit at a time, each time reading the rest again: hours.
    parsed = parse_decision(
        HEADER + "Summary: The Council will pay £" + "1" * MEGABYTE + " million"
    )
    assert parsed.remedies.payments == ()


def test_the_outcome_of_a_megabyte_summary_is_judged_by_its_start():
    # The outcome patterns read all of it, twice: 1-2 s a megabyte.
    parsed = parse_decision(HEADER + "Summary: We found fault causing injustice. " + _repeat("a "))
    assert (parsed.outcome, parsed.outcome_inferred) == ("upheld", True)


def test_a_payment_restated_with_another_purpose_thousands_of_times_is_merged_once():
    # Each restatement scanned every earlier payment of its amount: quadratic, 35 s.
    first = "The Council will pay Mr X £100 for distress and " * 20_000 + "more."
    restated = " ".join(
        f"The Council will pay Mr Y{n} £100 for time and trouble." for n in range(20_000)
    )
    parsed = parse_decision(HEADER + "Summary: test\n" + first + "\n" + restated)
    assert len(parsed.remedies.payments) == 20_001
    assert parsed.remedies.payments[-1].purpose == "time_and_trouble"


# Saved pages (HTML): lexbor builds a tree from any markup, but HTML5 tree building is
# quadratic on some (decisions/parsing/page_text.py). Those pages are read from their tokens.
HTML_PAGE = "<html><body><p>Norfolk County Council (19 011 560)</p><p>Summary: test</p>"


@pytest.mark.parametrize(
    "markup",
    [
        # Each block start tag searched the stack of open elements: five minutes.
        pytest.param("<div>" * 200_000 + "<p>kept</p>", id="nested-divs"),
        pytest.param("<span>" * 100_000 + "<div>" * 100_000 + "kept", id="spans-then-divs"),
        # Each attribute was compared with the tag's others: 20 s.
        pytest.param(
            "<p " + " ".join(f"a{n}=1" for n in range(100_000)) + ">kept</p>", id="attributes"
        ),
        # Each formatting element closed by a block was reopened in every later block:
        # 90 KB made 8 million nodes in 13 s.
        pytest.param(
            "".join(f"<p><b class=x{n}>x</p>" for n in range(20_000)) + "<p>kept</p>",
            id="reopened-formatting",
        ),
        pytest.param("<select>" + "<option>x</option>" * 50_000 + "</select>kept", id="options"),
    ],
)
def test_markup_that_html5_tree_building_is_slow_on_is_still_read(markup):
    parsed = parse_decision(HTML_PAGE + markup)
    assert parsed.reference == "19 011 560"
    assert parsed.summary == "test"
    assert "kept" in parsed.body_text


@pytest.mark.parametrize(
    "name",
    ["seed_000.html", "seed_001.html", "page_53_bare_reference.html", "page_28_split_labels.html"],
)
def test_reading_from_tokens_gives_each_saved_page_the_text_lexbor_gives(name):
    html = (FIXTURES / "html" / name).read_text(encoding="utf-8")
    assert "\n".join(_lines_from_tokens(html)) == html_to_text(html)


def test_reading_from_tokens_ends_an_unclosed_chrome_element_with_its_parent():
    html = "<div><nav>Menu<div>Home</div></div><p>Kept</p><ul><li class=share>Share<li>Item</ul>"
    assert _lines_from_tokens(html) == ["Kept", "- Item"]


def test_a_lone_surrogate_in_saved_html_is_marked_not_dropped():
    # Lexbor dropped it silently; the text path keeps it, to be replaced when stored.
    assert html_to_text("<p>a\ud800b</p>") == "a\ufffdb"


# --- time grows with the page, not with its square ---------------------------------------
# Guards, with generous bounds, against the quadratic cases that came back more than
# once: bench/ (`make bench-fuzz`) keeps the figures. CPU time, the best of two, so a busy
# machine does not fail them.


def _seconds_to_parse(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        parse_decision(text)
        best = min(best, time.process_time() - started)
    return best


def test_the_reported_page_of_20000_repeated_payments_imports_in_seconds(tmp_path, db):
    # 5.5 s through `import_decisions --dry-run` as reported (issue 25).
    page = tmp_path / "page.txt"
    page.write_text(HEADER + "The Council will pay Mr X £100 and " * 20_000, encoding="utf-8")
    started = time.process_time()
    call_command("import_decisions", str(page), "--dry-run", stdout=io.StringIO())
    assert time.process_time() - started < 3


def _distinct_payments(count: int) -> str:
    return "".join(
        f"The Council will pay Mr Y{n} £{n % 900 + 100} for distress. " for n in range(count)
    )


TEXT = HEADER + "Summary: test\n"


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(lambda n: TEXT + "The Council will pay Mr X £100 and " * n, id="one-sentence"),
        pytest.param(
            lambda n: TEXT + "  1. The Council will pay Mr X £100.\n" * n, id="paragraphs"
        ),
        pytest.param(lambda n: TEXT + _distinct_payments(n), id="distinct-sentences"),
        pytest.param(
            lambda n: TEXT + "The Council should apologise and train its staff, but " * n,
            id="clauses",
        ),
        pytest.param(lambda n: f"<html><body><p>{HEADER}</p>" + "<b>" * (n * 10), id="tags"),
    ],
)
def test_four_times_the_page_takes_less_than_eight_times_as_long(page):
    small = _seconds_to_parse(page(5_000))
    large = _seconds_to_parse(page(20_000))
    assert large < 8 * max(small, 0.01), (small, large)
