"""Fuzzing the parser: whatever the page and the URL, ParseError is the only exception
`parse_decision` raises, and what it returns holds together.

A small budget, for every `make test` (Hypothesis's deadline is off: timings are not
tests); the large run is `make bench-fuzz` (`python -m bench fuzz`), which also times.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.__main__ import main as run_bench
from bench.scenarios.fuzz import ATTRIBUTES, TAGS
from decisions.parsing import (
    OUTCOME_FAMILIES,
    ParsedDecision,
    ParseError,
    canonical_reference,
    parse_decision,
)
from decisions.parsing.taxonomy import CATEGORIES
from tests.conftest import FIXTURES, SAMPLES

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _real_pages() -> list[str]:
    pages = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("seeds/*.txt"))]
    for path in (FIXTURES / "lgo_pages.jsonl", SAMPLES / "lgo_decisions.jsonl"):
        with path.open(encoding="utf-8") as lines:
            pages += [json.loads(line)["text"] for line in lines]
    return pages


REAL_LINES = sorted({line for page in _real_pages() for line in page.splitlines() if line})
SAVED_HTML = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("html/*.html"))]

any_character = st.characters(codec=None, categories=None)  # NUL and lone surrogates too
any_text = st.text(any_character, max_size=300)
real_line = st.sampled_from(REAL_LINES)


@st.composite
def mutated(draw: st.DrawFn, line: str) -> str:
    """A line with a few characters inserted, deleted or replaced, perhaps cut short."""
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(line)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            line = line[:at] + draw(any_text) + line[at:]
        else:
            line = line[:at] + ("" if action == "delete" else draw(any_character)) + line[at + 1 :]
    if draw(st.booleans()):
        line = line[: draw(st.integers(0, len(line)))]
    return line


# Pages made of real statement lines: shuffled, mutated, cut, repeated, mixed with noise.
page_line = st.one_of(
    real_line,
    real_line.flatmap(mutated),
    any_text,
    st.sampled_from(["Summary:", "Final decision", "Decision : Upheld", "Back to top", ""]),
)
real_like_page = st.builds(
    lambda lines, separator, repeat: separator.join(lines) * repeat,
    st.lists(page_line, max_size=60),
    st.sampled_from(["\n", "\n\n", " ", "", "\r\n", "\u00a0"]),
    st.integers(1, 3),
)

# Markup: tags real and made up, attributes, entities, comments, broken pieces.
tag_name = st.sampled_from(TAGS)
attribute = st.sampled_from(ATTRIBUTES)
markup_piece = st.one_of(
    st.builds(lambda name, attrs: f"<{name}{attrs}>", tag_name, attribute),
    st.builds(lambda name: f"</{name}>", tag_name),
    real_line,
    any_text,
    st.sampled_from(
        ["<p<![D)", "<!--", "-->", "<![CDATA[", "&#0;", "&pound;", "&#x110000;", "<", "&", "<?"]
    ),
)
markup = st.one_of(
    st.lists(markup_piece, max_size=80).map("".join),
    st.builds(
        lambda page, at, noise: page[:at] + noise + page[at:],
        st.sampled_from(SAVED_HTML),
        st.integers(0, 60_000),
        st.lists(markup_piece, max_size=10).map("".join),
    ),
)


def _encoded(text: str, encoding: str) -> bytes:
    errors = "surrogatepass" if encoding.startswith("utf-8") else "replace"
    return text.encode(encoding, errors)


page_bytes = st.one_of(
    st.binary(max_size=2000),
    st.builds(
        _encoded,
        st.one_of(real_like_page, markup),
        st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-32"]),
    ),
)
any_page = st.one_of(any_text, real_like_page, markup, page_bytes)

category_slug = st.one_of(
    st.sampled_from([category.slug for category in CATEGORIES]),
    st.from_regex(r"[a-z0-9-]{1,30}", fullmatch=True),
)
subcategory_slug = st.one_of(
    st.sampled_from([sub.slug for category in CATEGORIES for sub in category.subcategories]),
    st.from_regex(r"[a-z0-9-]{1,30}", fullmatch=True),
)
decision_url = st.builds(
    lambda host, category, subcategory, reference, tail: (
        f"{host}/decisions/{category}/{subcategory}/{reference}{tail}"
    ),
    st.sampled_from(
        ["https://www.lgo.org.uk", "http://lgo.org.uk", "", "https://www.spso.org.uk", "http://["]
    ),
    category_slug,
    subcategory_slug,
    st.from_regex(r"\d{2}-\d{3}-\d{3}[a-zA-Z]?", fullmatch=True),
    st.sampled_from(["", "/", "?page=2", "#top", "/x"]),
)
any_url = st.one_of(st.none(), decision_url, any_text, st.sampled_from(["http://[", "::", "//"]))


def check(page: str | bytes, url: str | None) -> None:
    """Parse; a ParseError is an answer, anything else a bug; a result must hold together."""
    try:
        parsed = parse_decision(page, url=url)
    except ParseError:
        return
    assert_holds_together(parsed, url)


def assert_holds_together(parsed: ParsedDecision, url: str | None) -> None:
    assert re.fullmatch(r"\d{2} \d{3} \d{3}[a-z]?", parsed.reference)
    assert canonical_reference(parsed.reference) == parsed.reference
    assert parsed.reference_slug == parsed.reference.replace(" ", "-")
    assert parsed.url in (None, url)
    assert parsed.outcome in {"", *dict(OUTCOME_FAMILIES)}
    assert not parsed.outcome_inferred or parsed.outcome
    assert parsed.subcategory is None or parsed.category is not None
    for slug in (parsed.category_slug, parsed.subcategory_slug):
        assert slug is None or slug == slug.lower()
    remedies = parsed.remedies
    amounts = [payment.amount for payment in remedies.payments]
    assert all(amount.is_finite() and amount >= 0 for amount in amounts)
    assert remedies.total.is_finite() and remedies.total >= 0
    assert remedies.total == sum(amounts, Decimal("0"))
    assert all(isinstance(warning, str) and warning for warning in parsed.warnings)
    assert isinstance(parsed.body_text, str)
    json.dumps(parsed.as_dict())  # what the importer stores: JSON all the way down


@FUZZ
@given(any_text, any_url)
def test_any_text_is_parsed_or_refused(page, url):
    check(page, url)


@FUZZ
@given(real_like_page, any_url)
def test_pages_of_real_lines_shuffled_mutated_and_cut_are_parsed_or_refused(page, url):
    check(page, url)


@FUZZ
@given(markup, any_url)
def test_any_markup_is_parsed_or_refused(page, url):
    check(page, url)


@FUZZ
@given(page_bytes, any_url)
def test_bytes_in_any_encoding_are_parsed_or_refused(page, url):
    check(page, url)


@FUZZ
@given(st.sampled_from(_real_pages()), decision_url)
def test_a_real_page_under_any_decision_url_parses_and_holds_together(page, url):
    check(page, url)


@FUZZ
@given(any_page, any_url)
def test_any_page_parses_the_same_twice(page, url):
    try:
        first = parse_decision(page, url=url)
    except ParseError as error:
        first = error
    try:
        second = parse_decision(page, url=url)
    except ParseError as error:
        second = error
    if isinstance(first, ParseError):
        assert isinstance(second, ParseError) and str(first) == str(second)
    else:
        assert first == second


def test_the_fuzz_bench_runs_a_small_batch_through_the_parser(capsys):
    assert run_bench(["fuzz", "--inputs", "200", "--seed", "2", "--targets", "parser"]) == 0
    out = capsys.readouterr().out
    assert "inputs/s" in out and "slowest input" in out and "unexpected errors 0" in out
