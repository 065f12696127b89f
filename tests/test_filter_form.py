"""The list page's filter form: a plain label for each filter, one control per filter,
each choice with its count, the chosen values kept, dates typed as people write them,
and the order and page-size forms.

Counts are checked against the decisions each choice would show (DecisionFilter on the
56 sample decisions), never written in by hand. The results before the folded filters
are in tests/test_list_page.py; the selects' HTML itself in tests/test_widgets.py; the
browser side (what fits on a screen, the keyboard path, the script) in
tests/browser/test_list_layout.py.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.http import QueryDict
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from decisions.dates import DateNotUnderstood, parse_date
from decisions.filters import DecisionFilter, TypedDateField
from decisions.search.query import DecisionSearch
from tests.support.helpers import get_html

# --- labels and the chosen values -----------------------------------------------------------


def test_every_filter_has_a_plain_label(client, db):
    html = get_html(client, "/")
    for name, label in [
        ("q", "Search words"),
        ("organisation", "Organisation"),
        ("category", "Category"),
        ("subcategory", "Subcategory"),
        ("outcome", "Outcome"),
        ("date_from", "From"),
        ("date_to", "To"),
    ]:
        assert f'<label for="id_{name}">{label}</label>' in html
    assert "<legend>Decision date</legend>" in html


def test_the_filter_form_keeps_the_chosen_values(client, sample_decisions):
    html = get_html(client, "/?category=housing&outcome=upheld&date_from=2020-01-01")
    # Each choice with its count; the date as people in the UK write it.
    assert '<option value="housing" selected>Housing (' in html
    assert '<option value="upheld" selected>Upheld (' in html
    assert 'name="date_from" value="1/1/2020"' in html
    assert '<a href="/">Clear all filters</a>' in html


def test_the_organisation_field_offers_every_name_to_type_to_find(client, sample_decisions):
    html = get_html(client, "/")
    assert 'list="organisation-names"' in html
    assert '<option value="Norfolk County Council"></option>' in html


# --- dates as people type them --------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "31/3/2020",
        "31/03/2020",
        "31 March 2020",
        "31 march 2020",
        "31 Mar 2020",
        "31st March 2020",
        "31st of March, 2020",
        "March 31, 2020",
        "Mar 31 2020",
        "2020-03-31",
        "2020/3/31",
        "31.3.2020",
        "31-3-2020",
        "31 3 2020",
        "  31 / 3 / 2020  ",
    ],
)
def test_a_date_is_read_in_each_form_people_type_it(typed):
    assert parse_date(typed) == datetime.date(2020, 3, 31)
    assert TypedDateField(required=False).clean(typed) == datetime.date(2020, 3, 31)


def test_numbers_alone_are_read_day_first_as_in_the_uk():
    assert parse_date("4/3/2021") == datetime.date(2021, 3, 4)
    assert parse_date("1 Sept 2021") == datetime.date(2021, 9, 1)
    assert parse_date("29/2/2024") == datetime.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/2/2020", "31/2/2020 is not a real date: February 2020 has 29 days."),
        ("29/2/2023", "29/2/2023 is not a real date: February 2023 has 28 days."),
        ("31 April 2021", "31 April 2021 is not a real date: April 2021 has 30 days."),
        ("0/3/2020", "0/3/2020 is not a real date: March 2020 has 31 days."),
        ("2024-13-45", "2024-13-45 is not a real date: a month is from 1 to 12."),
        ("31/3/20", "Enter the year in full, with 4 digits, for example 2020."),
        ("31/3/1066", "Enter a year from 1900 to 2099."),
        ("31 Marsh 2020", "“Marsh” is not a month: enter a date such as 31/3/2020, "),
        ("March 2020", "Enter a day, a month and a year, for example 31/3/2020, "),
        ("yesterday", "Enter a day, a month and a year, for example "),
        ("2020-03-31T10:00", "Enter a date such as 31/3/2020, 31 March 2020 or 2020-03-31."),
        ("x" * 41, "Enter a date such as "),
        # Three parts, but no order of day, month and year reads them.
        ("31 2020 March", "Enter a date such as "),
    ],
)
def test_a_wrong_date_says_why(typed, message):
    with pytest.raises(DateNotUnderstood) as raised:
        parse_date(typed)
    assert str(raised.value).startswith(message)
    with pytest.raises(Exception) as invalid:
        TypedDateField(required=False).clean(typed)
    assert invalid.value.messages == [str(raised.value)]


def test_an_empty_date_is_no_filter():
    assert TypedDateField(required=False).clean("") is None
    assert TypedDateField(required=False).clean("   ") is None


def test_the_date_filters_keep_their_lookups_on_the_decision_date(sample_decisions):
    typed = DecisionFilter(QueryDict("date_from=1/1/2020&date_to=31 December 2020"))
    iso = DecisionFilter(QueryDict("date_from=2020-01-01&date_to=2020-12-31"))
    assert typed.is_valid() and iso.is_valid()
    found = {decision.reference for decision in typed.qs}
    assert found == {decision.reference for decision in iso.qs}
    assert found, "the samples have decisions from 2020"
    assert all(
        datetime.date(2020, 1, 1) <= decision.decision_date <= datetime.date(2020, 12, 31)
        for decision in typed.qs
    )


# --- dates on the list page: the address keeps ISO dates ------------------------------------


@pytest.mark.parametrize("typed", ["31/3/2020", "31 March 2020", "31st Mar 2020"])
def test_a_typed_date_is_redirected_to_its_iso_form_keeping_the_rest(client, db, typed):
    params = {"q": "care", "date_from": typed, "date_to": "", "outcome": "upheld", "page": "3"}
    response = client.get("/?" + urlencode(params))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/"
    assert parse_qs(location.query, keep_blank_values=True) == {
        "q": ["care"],
        "date_from": ["2020-03-31"],
        "date_to": [""],
        "outcome": ["upheld"],
        # A new search starts at page 1.
    }


def test_an_iso_date_is_not_redirected_and_reads_as_people_write_it(client, sample_decisions):
    response = client.get("/?date_from=2020-03-31")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="date_from" value="31/3/2020"' in html
    assert "Remove filter </span>From: 31 March 2020 " in html


def test_a_wrong_date_keeps_what_was_typed_and_says_why(client, sample_decisions):
    html = get_html(client, "/?" + urlencode({"date_from": "31/2/2020", "outcome": "upheld"}))
    message = "31/2/2020 is not a real date: February 2020 has 29 days."
    tree = HTMLParser(html)
    field = tree.css_first("#id_date_from")
    assert field.attributes["value"] == "31/2/2020"
    assert field.attributes["aria-invalid"] == "true"
    assert tree.css_first("#id_date_from_error").text() == message
    assert f"From: {message}" in tree.css_first(".error-summary").text()
    # The filters are unfolded to show the problem, and no rows are shown.
    assert "open" in tree.css_first("details.filter-panel").attributes
    assert tree.css_first(".decision") is None


def test_the_date_fields_are_text_with_a_hint_not_the_browsers_date_picker(client, db):
    tree = HTMLParser(get_html(client, "/"))
    fieldset = tree.css_first("fieldset.dates")
    assert fieldset.css_first("legend").text() == "Decision date"
    assert fieldset.attributes["aria-describedby"] == "dates-hint"
    assert "31/3/2020" in tree.css_first("#dates-hint").text()
    for name in ("date_from", "date_to"):
        assert tree.css_first(f"#id_{name}").attributes["type"] == "text"
    assert 'type="date"' not in get_html(client, "/")


# --- one control per filter, each choice with its count -------------------------------------


COMBINATIONS = [
    "",
    "q=council",
    "category=housing",
    "outcome=upheld&has_remedy=on",
    "q=council&category=children-s-care-services&date_from=2019-01-01",
    "category=housing&subcategory=allocations&outcome=upheld",
]


def count_of(params: QueryDict) -> int:
    """PostgreSQL's own count of the filters (the search index's for search words,
    which PostgreSQL no longer matches)."""
    if params.get("q"):
        return DecisionSearch.from_params(params).total.value
    filterset = DecisionFilter(params)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def options_of(tree: HTMLParser, name: str) -> list[Node]:
    return [
        o for o in tree.css(f'form.filters select[name="{name}"] option') if o.attributes["value"]
    ]


def shown_count(option: Node) -> int:
    match = re.fullmatch(r".+ \((\d+)\)", option.text())
    assert match, f"no count on {option.text()!r}"
    return int(match.group(1))


@pytest.mark.parametrize("params", COMBINATIONS)
def test_each_choice_of_a_select_shows_the_number_of_decisions_it_would_show(
    client, sample_decisions, params
):
    tree = HTMLParser(get_html(client, "/?" + params))
    current = QueryDict(params)
    selects = ["category", "outcome"] + (["subcategory"] if current.get("category") else [])
    for name in selects:
        options = options_of(tree, name)
        assert options, name
        for option in options:
            chosen = current.copy()
            chosen[name] = option.attributes["value"]
            if name == "category":
                chosen.pop("subcategory", None)  # another category's subcategory means nothing
            assert shown_count(option) == count_of(chosen), (name, option.text())


@pytest.mark.parametrize("params", COMBINATIONS)
def test_the_counts_in_the_options_are_the_facet_counts(client, sample_decisions, params):
    tree = HTMLParser(get_html(client, "/?" + params))
    search = DecisionSearch.from_params(QueryDict(params))
    facets = {facet.name: facet for facet in search.facets}
    for name in ("category", "outcome"):
        counted = {option.changes[name]: option.count for option in facets[name].options}
        shown = {o.attributes["value"]: shown_count(o) for o in options_of(tree, name)}
        # Every counted option is offered with its count; every other choice shows 0.
        assert {value: shown[value] for value in counted} == counted
        assert all(count == 0 for value, count in shown.items() if value not in counted)


def test_a_choice_with_no_decisions_stays_in_the_list_with_0(client, sample_decisions):
    tree = HTMLParser(get_html(client, "/?q=assessment"))
    empty = [o for o in options_of(tree, "category") if shown_count(o) == 0]
    assert empty, "some categories have no decision about an assessment"
    assert all("disabled" not in option.attributes for option in empty)
    # Chosen, it is still there and chosen: the page then says how to widen the search.
    value = empty[0].attributes["value"]
    html = get_html(client, f"/?q=assessment&category={value}")
    assert f'<option value="{value}" selected>' in html
    assert "No decisions found" in html


def test_the_remedy_checkbox_shows_its_count(client, sample_decisions):
    tree = HTMLParser(get_html(client, "/?category=housing"))
    label = tree.css_first('label[for="id_has_remedy"]').text()
    expected = count_of(QueryDict("category=housing&has_remedy=on"))
    decisions = "decision" if expected == 1 else "decisions"  # never "(1 decisions)"
    assert re.sub(r"\s+", " ", label) == f"Has a financial remedy ({expected} {decisions})"


def links_setting(tree: HTMLParser, name: str, current: QueryDict) -> list[Node]:
    """The links that set `name` to a value other than the page's own."""
    found = []
    for link in tree.css("a[href^='?']"):
        query = QueryDict(link.attributes["href"][1:])
        if name in query and query[name] != current.get(name):
            found.append(link)
    return found


@pytest.mark.parametrize("params", ["", "q=council&category=housing", "outcome=upheld"])
def test_each_filter_is_one_control(client, sample_decisions, params):
    tree = HTMLParser(get_html(client, "/?" + params))
    current = QueryDict(params)
    form = tree.css_first("form.filters")
    for name in ("q", "organisation", "category", "subcategory", "outcome", "date_from"):
        assert len(form.css(f'[name="{name}"]:not([type="hidden"])')) == 1, name
        # No list of links repeats a select's choices.
        if name in ("category", "subcategory", "outcome"):
            assert links_setting(tree, name, current) == [], name
    # Quick date ranges and amounts are the date's and the amount's own, beside them;
    # the top organisations are the only facet listed after the results.
    assert all(
        link.parent.parent.parent.tag == "fieldset"
        and "dates" in link.parent.parent.parent.attributes["class"]
        for link in links_setting(tree, "date_from", current)
    )
    assert links_setting(tree, "date_from", current)
    assert all(
        "remedies" in link.parent.parent.parent.attributes["class"]
        for link in links_setting(tree, "amount", current)
    )
    organisation_links = links_setting(tree, "organisation", current)
    assert organisation_links
    assert all(link.parent.parent.parent.tag == "aside" for link in organisation_links)
    assert len(tree.css("aside.facets h2")) == 1


def test_a_page_with_no_results_offers_the_choices_without_counts(client, sample_decisions):
    tree = HTMLParser(get_html(client, "/?q=xylophone"))
    assert [o.text() for o in options_of(tree, "outcome")][:2] == ["Upheld", "Not upheld"]
    assert tree.css_first("aside.facets") is None


# --- the order and page-size forms ----------------------------------------------------------


def test_the_order_and_page_size_forms_keep_each_other_and_apply_without_script(
    client, sample_decisions
):
    tree = HTMLParser(get_html(client, "/?q=council&outcome=upheld&sort=oldest&per_page=50&page=2"))
    order = tree.css_first("form.list-options")
    size = tree.css_first("form.list-options--page-size")
    hidden = {
        form: {i.attributes["name"]: i.attributes["value"] for i in form.css("input[type=hidden]")}
        for form in (order, size)
    }
    assert hidden[order] == {"q": "council", "outcome": "upheld", "per_page": "50"}
    assert hidden[size] == {"q": "council", "outcome": "upheld", "sort": "oldest"}
    for form, name in ((order, "Apply order"), (size, "Apply page size")):
        # Shown only without script (the stylesheet hides .no-js-only under .js).
        button = form.css_first("button[type=submit]")
        assert re.sub(r"\s+", " ", button.text()) == name
        assert "no-js-only" in button.attributes["class"]
        assert "data-submit-on-change" in form.css_first("select").attributes
