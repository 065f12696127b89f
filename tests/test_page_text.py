"""Saved HTML pages and bytes in the encodings LGSCO pages come in parse like their text."""

import json
from pathlib import Path

import pytest

from decisions.parsing import parse_decision
from decisions.parsing.page_text import _lines_from_tokens, decode, html_to_text, looks_like_html

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
LGO_PAGES = [json.loads(line) for line in (FIXTURES / "lgo_pages.jsonl").open(encoding="utf-8")]

# Each HTML fixture (built by tests/fixtures/build_html.py) and the real page text it wraps.
HTML_AND_TEXT = [
    ("seed_000.html", SEEDS[0].read_text(encoding="utf-8")),
    ("seed_001.html", SEEDS[1].read_text(encoding="utf-8")),
    ("page_53_bare_reference.html", LGO_PAGES[53]["text"]),
    ("page_28_split_labels.html", LGO_PAGES[28]["text"]),
]


@pytest.mark.parametrize(("name", "text"), HTML_AND_TEXT, ids=[name for name, _ in HTML_AND_TEXT])
def test_a_saved_html_page_parses_like_its_text(name, text):
    html = (FIXTURES / "html" / name).read_text(encoding="utf-8")
    assert parse_decision(html).as_dict() == parse_decision(text).as_dict()


def test_html_chrome_is_dropped_and_entities_decoded():
    html = (FIXTURES / "html" / "seed_000.html").read_text(encoding="utf-8")
    assert "&rsquo;" in html and "&pound;" in html
    text = html_to_text(html)
    for chrome in (
        "Privacy settings",
        "Make a complaint",
        "All rights reserved",
        "dataLayer",
        "font-family",
        "Back to top",
        "Print this page",
        "Skip to main content",
    ):
        assert chrome not in text
    assert text.startswith("Norfolk County Council (19 011 560)\n")
    assert "The Council agreed to pay £50 to acknowledge her time" in text


def test_split_labels_in_html_parse_into_category_and_outcome():
    html = (FIXTURES / "html" / "page_28_split_labels.html").read_text(encoding="utf-8")
    assert "<dd>&gt;</dd>" in html
    parsed = parse_decision(html, url=LGO_PAGES[28]["url"])
    assert (parsed.category, parsed.subcategory) == ("Adult care services", "Charging")
    assert parsed.outcome_wording == "Upheld"
    assert parsed.decision_date.isoformat() == "2025-09-17"


def test_list_items_with_inner_paragraphs_keep_one_line_each():
    html = "<html><body><ol><li><p>First point.</p></li><li>Second <b>point</b>.</li></ol></body></html>"
    assert html_to_text(html) == "1. First point.\n2. Second point."


def test_numbered_items_keep_their_numbers_and_a_list_inside_an_item_is_indented():
    html = (
        '<html><body><ol start="4"><li>Four:<ul><li>a bullet;</li></ul></li><li>Five.</li>'
        "</ol><ul><li>A bullet of its own.</li></ul></body></html>"
    )
    text = "4. Four:\n  - a bullet;\n5. Five.\n- A bullet of its own."
    assert html_to_text(html) == text
    assert "\n".join(_lines_from_tokens(html)) == text


def test_plain_text_is_not_mistaken_for_html():
    assert not looks_like_html(SEEDS[0].read_text(encoding="utf-8"))
    assert looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252"],
)
def test_bytes_decode_with_pounds_and_curly_quotes_intact(encode):
    text = SEEDS[0].read_text(encoding="utf-8")
    parsed = parse_decision(encode(text))
    assert parsed.as_dict() == parse_decision(text).as_dict()
    assert parsed.summary.startswith("Mrs X complained about the Council’s failure")
    assert any("£50" in p for s in parsed.sections for p in s.paragraphs)


def test_windows_1252_bytes_are_recognised_by_their_curly_quotes():
    assert decode("the Council’s £200".encode("cp1252")) == "the Council’s £200"
    assert decode("the Council’s £200".encode()) == "the Council’s £200"


def test_non_breaking_spaces_are_kept_in_stored_text():
    text = (
        SEEDS[1]
        .read_text(encoding="utf-8")
        .replace("Summary: We will not investigate", "Summary:\u00a0We will not\u00a0investigate")
    )
    parsed = parse_decision(text)
    assert parsed.summary.startswith("We will not\u00a0investigate")
