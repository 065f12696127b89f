"""The filter form's selects and lists, written in Python rather than through Django's
widget templates: the same HTML, the same escaping, the same attributes.

Django's own `forms.Select` is the reference: the fast widget must mean the same HTML
(elements, attributes, text), whatever white space it puts between the tags.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import engines
from django.utils.safestring import mark_safe

from decisions.filters import DecisionFilter
from decisions.models import Category, Decision, Organisation
from decisions.widgets import FastSelect
from tests.support.helpers import get_html

OUTCOMES = [("", "Any outcome"), ("upheld", "Upheld"), ("not_upheld", "Not upheld")]
GROUPED = [
    ("", "Any subcategory"),
    ("Housing", [("allocations", "Allocations"), ("other", "Other")]),
    ("Planning", [("enforcement", "Enforcement"), ("other", "Other")]),
]
HOSTILE = [
    ("", "Any"),
    ('a"b', "<script>alert(1)</script>"),
    ("Tom & Jerry <i>", [("x&y", "Fish & <b>chips</b>")]),
]


class Structure(HTMLParser):
    """Tags, their attributes and the text between them, white space aside."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append(("start", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.items.append(("text", data.strip()))


def structure(html: str) -> list[tuple]:
    parser = Structure()
    parser.feed(html)
    parser.close()
    return parser.items


def render(choices: list, value: object, attrs: dict | None = None) -> str:
    return FastSelect(choices=choices).render("field", value, attrs)


def selected_options(html: str) -> list[str]:
    return re.findall(r"<option[^>]* selected>[^<]*</option>", html)


# --- the widget on its own ------------------------------------------------------------------


def test_the_chosen_option_is_selected_and_no_other():
    html = render(OUTCOMES, "upheld", {"id": "id_outcome"})
    assert '<option value="upheld" selected>Upheld</option>' in html
    assert selected_options(html) == ['<option value="upheld" selected>Upheld</option>']


def test_with_no_value_the_empty_option_is_selected():
    assert selected_options(render(OUTCOMES, None)) == [
        '<option value="" selected>Any outcome</option>'
    ]


def test_subcategories_are_grouped_under_their_category():
    html = render(GROUPED, "enforcement")
    housing = html.index('<optgroup label="Housing">')
    planning = html.index('<optgroup label="Planning">')
    assert housing < html.index('<option value="allocations">Allocations</option>') < planning
    assert planning < html.index('<option value="enforcement" selected>Enforcement</option>')
    assert html.count("</optgroup>") == 2


def test_a_value_in_two_groups_is_selected_once_as_in_django():
    # Subcategory slugs repeat across categories ("other"): only the first is chosen.
    html = render(GROUPED, "other")
    assert len(selected_options(html)) == 1
    assert html.index(" selected>") < html.index('<optgroup label="Planning">')


def test_labels_values_and_group_names_are_escaped():
    html = render(HOSTILE, 'a"b')
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert (
        '<option value="a&quot;b" selected>&lt;script&gt;alert(1)&lt;/script&gt;</option>' in html
    )
    assert '<optgroup label="Tom &amp; Jerry &lt;i&gt;">' in html
    assert '<option value="x&amp;y">Fish &amp; &lt;b&gt;chips&lt;/b&gt;</option>' in html


def test_a_label_marked_safe_is_not_escaped_twice():
    html = render([("a", mark_safe("Caf&eacute;"))], "a")
    assert '<option value="a" selected>Caf&eacute;</option>' in html


def test_every_attribute_is_kept_true_as_a_bare_name_false_left_out():
    attrs = {"id": "id_x", "aria-describedby": "id_x_helptext", "required": True, "hidden": False}
    html = render(OUTCOMES, "", attrs)
    assert html.startswith(
        '<select name="field" id="id_x" aria-describedby="id_x_helptext" required>'
    )
    assert "hidden" not in html


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (OUTCOMES, "not_upheld", {"id": "id_outcome"}),
        (OUTCOMES, None, {"id": "id_outcome", "aria-invalid": "true"}),
        (OUTCOMES, "no such value", None),
        (GROUPED, "other", {"id": "id_subcategory", "class": "wide", "disabled": True}),
        (HOSTILE, "x&y", {"data-note": '"quoted" & <tagged>'}),
        ([(1, 1), (2, 2)], 2, None),
    ],
)
def test_the_html_means_the_same_as_djangos_select(choices, value, attrs):
    fast = FastSelect(choices=choices).render("field", value, attrs)
    django = forms.Select(choices=choices).render("field", value, attrs)
    assert structure(fast) == structure(django)


# --- in a bound form: the attributes the field adds ------------------------------------------


class HelpedForm(forms.Form):
    outcome = forms.ChoiceField(choices=OUTCOMES, help_text="Pick one.", widget=FastSelect)


def test_a_field_with_help_text_is_described_by_it():
    html = str(HelpedForm()["outcome"])
    assert html.startswith(
        '<select name="outcome" required aria-describedby="id_outcome_helptext" id="id_outcome">'
    )


def test_an_invalid_field_is_marked_invalid_and_described_by_its_error():
    form = HelpedForm({"outcome": "maybe"})
    assert not form.is_valid()
    html = str(form["outcome"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_outcome_helptext id_outcome_error"' in html
    assert structure(html) == structure(form["outcome"].as_widget(forms.Select(choices=OUTCOMES)))


def test_the_filters_selects_are_the_fast_ones(db):
    form = DecisionFilter({}).form
    for name in ("category", "subcategory", "outcome"):
        assert isinstance(form.fields[name].widget, FastSelect), name


# --- on the list page -----------------------------------------------------------------------


def select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S)
    assert match, name
    return match.group(0)


def test_the_list_page_shows_the_chosen_category_subcategory_and_outcome(client, sample_decisions):
    html = get_html(client, "/?category=housing&subcategory=allocations&outcome=upheld")
    # Each with its count: the category's among the upheld, the rest within allocations.
    upheld = Decision.objects.filter(outcome="upheld")
    housing = upheld.filter(category__parent__slug="housing").count()
    allocations = upheld.filter(
        category__slug="allocations", category__parent__slug="housing"
    ).count()
    assert selected_options(select(html, "category")) == [
        f'<option value="housing" selected>Housing ({housing})</option>'
    ]
    # With a category chosen, only its subcategories are offered, ungrouped.
    subcategories = select(html, "subcategory")
    assert selected_options(subcategories) == [
        f'<option value="allocations" selected>Allocations ({allocations})</option>'
    ]
    assert "<optgroup" not in subcategories
    assert selected_options(select(html, "outcome")) == [
        f'<option value="upheld" selected>Upheld ({allocations})</option>'
    ]


def test_the_list_page_groups_every_subcategory_when_no_category_is_chosen(
    client, sample_decisions
):
    subcategories = select(get_html(client, "/"), "subcategory")
    assert '<optgroup label="Housing">' in subcategories
    assert '<option value="allocations">Allocations</option>' in subcategories
    assert selected_options(subcategories) == ['<option value="" selected>Any subcategory</option>']


def test_the_list_page_marks_an_invalid_choice_for_assistive_technology(client, sample_decisions):
    outcome = select(get_html(client, "/?outcome=maybe"), "outcome")
    assert outcome.startswith(
        '<select name="outcome" aria-invalid="true" aria-describedby="id_outcome_error" '
        'id="id_outcome">'
    )
    assert " selected>" not in outcome


def test_hostile_names_are_escaped_in_the_selects_and_the_organisation_list(client, db):
    parent = Category.objects.create(name="<script>alert(1)</script>", slug="hostile")
    Category.objects.create(name="Tom & <b>Jerry</b>", slug="tom", parent=parent)
    quoted = Organisation.objects.create(name='"Quoted" & <i>Council</i>', slug="quoted")
    # The organisation list offers only organisations with a decision.
    Decision.objects.create(
        reference="20 000 001", source="crafted", content_hash="1", organisation=quoted
    )
    html = get_html(client, "/")
    assert "<script>" not in html.replace('<script src="/static/js/filters.js"', "")
    # No decision has the category: its count, 0, follows the escaped name.
    assert '<option value="hostile">&lt;script&gt;alert(1)&lt;/script&gt; (0)</option>' in html
    assert '<optgroup label="&lt;script&gt;alert(1)&lt;/script&gt;">' in html
    assert '<option value="tom">Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;</option>' in html
    assert '<option value="&quot;Quoted&quot; &amp; &lt;i&gt;Council&lt;/i&gt;"></option>' in html


# --- the template filters --------------------------------------------------------------------


def render_template(source: str, **context) -> str:
    return engines["django"].from_string("{% load decisions_tags %}" + source).render(context)


def test_the_datalist_has_an_option_for_each_name_in_order():
    html = render_template("{{ names|datalist_options }}", names=["Barnet", "A & B <Council>"])
    assert html == (
        '<option value="Barnet"></option><option value="A &amp; B &lt;Council&gt;"></option>'
    )


def test_a_category_shows_its_parent_with_a_separator_screen_readers_hear_as_a_comma(db):
    parent = Category.objects.create(name="Housing & <Homes>", slug="housing")
    child = Category.objects.create(name="Allocations", slug="allocations", parent=parent)
    assert render_template("{{ c|category_path }}", c=child) == (
        'Housing &amp; &lt;Homes&gt; <span aria-hidden="true">›</span>'
        '<span class="visually-hidden">,</span> Allocations'
    )
    assert render_template("{{ c|category_path }}", c=parent) == "Housing &amp; &lt;Homes&gt;"
    assert render_template("{{ c|category_path }}", c=None) == "Not recorded"


def test_a_row_shows_its_category_and_machine_readable_date(client, db):
    parent = Category.objects.create(name="Housing", slug="housing")
    child = Category.objects.create(name="Allocations", slug="allocations", parent=parent)
    Decision.objects.create(
        reference="20 000 001",
        source="crafted",
        content_hash="1",
        category=child,
        decision_date="2024-03-05",
    )
    html = get_html(client, "/")
    assert (
        '<dd>Housing <span aria-hidden="true">›</span><span class="visually-hidden">,</span> '
        "Allocations</dd>"
    ) in html
    assert '<time datetime="2024-03-05">5 March 2024</time>' in html
