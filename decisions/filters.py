"""The one FilterSet behind every listing of decisions.

Values in the query string are slugs and family keys, never database ids, so links stay
readable and survive a re-import. Invalid values become form errors, shown on the page.
https://django-filter.readthedocs.io/en/stable/ref/filterset.html
"""

from __future__ import annotations

from functools import partial

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.http import QueryDict

from decisions.models import Category, Decision, Organisation
from decisions.outcomes import OUTCOME_FAMILIES

# A date input gives and expects ISO dates, whatever the locale's display format.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Enter a real date, for example 2024-03-31."}


def choose_from_list(what: str) -> dict[str, str]:
    """Plainer than Django's "Select a valid choice. That choice is not one of..."."""
    return {"invalid_choice": f"Choose {what} from the list."}


Choices = list[tuple[str, object]]


def newest_first(queryset: QuerySet[Decision]) -> QuerySet[Decision]:
    """The default order: newest first, undated decisions last, then the latest imported."""
    return queryset.order_by(F("decision_date").desc(nulls_last=True), "-id")


def subcategory_choices(category_slug: str | None) -> Choices:
    """The subcategories of `category_slug`; of every category, grouped, when it is None.

    Subcategory slugs repeat across categories ("other", "land"), so the chosen
    category is what makes a subcategory slug exact.
    """
    subcategories = Category.objects.filter(parent__isnull=False).select_related("parent")
    if category_slug:
        subcategories = subcategories.filter(parent__slug=category_slug, parent__parent=None)
        return [(sub.slug, sub.name) for sub in subcategories.order_by("name")]
    groups: dict[str, list[tuple[str, str]]] = {}
    for sub in subcategories.order_by("parent__name", "name"):
        groups.setdefault(sub.parent.name, []).append((sub.slug, sub.name))
    return list(groups.items())


class DecisionFilterForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must not be before the start date.")
        return cleaned


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search_text",
        label="Search words",
        widget=forms.SearchInput,
        max_length=200,
        help_text='Use "quotes" for a phrase, OR for either word, and a minus sign to '
        "exclude a word (-parking).",
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        label="Organisation",
        error_messages={"invalid_choice": "There is no such organisation in the archive."},
        empty_label="Any organisation",
    )
    category = django_filters.ModelChoiceFilter(
        field_name="category__parent",
        queryset=Category.objects.filter(parent=None),
        to_field_name="slug",
        label="Category",
        error_messages=choose_from_list("a category"),
        empty_label="Any category",
    )
    subcategory = django_filters.ChoiceFilter(
        # A method filter has no model field to take its label from: "[invalid name]".
        method="filter_subcategory",
        choices=[],
        label="Subcategory",
        error_messages=choose_from_list("a subcategory of the chosen category"),
        empty_label="Any subcategory",
    )
    outcome = django_filters.ChoiceFilter(
        choices=OUTCOME_FAMILIES,
        label="Outcome",
        empty_label="Any outcome",
        error_messages=choose_from_list("an outcome"),
    )
    date_from = django_filters.DateFilter(
        field_name="decision_date",
        lookup_expr="gte",
        label="From",
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )
    date_to = django_filters.DateFilter(
        field_name="decision_date",
        lookup_expr="lte",
        label="To",
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )

    class Meta:
        model = Decision
        fields = ["q", "organisation", "category", "subcategory", "outcome", "date_from", "date_to"]
        form = DecisionFilterForm

    def __init__(
        self,
        data: QueryDict | None = None,
        queryset: QuerySet[Decision] | None = None,
        **kwargs,
    ) -> None:
        if queryset is None:
            queryset = newest_first(Decision.objects.for_listing())
        super().__init__(data, queryset, **kwargs)
        category = (data or {}).get("category") or None
        # A callable: the query runs only when the form is validated or shown.
        self.filters["subcategory"].extra["choices"] = partial(subcategory_choices, category)

    def search_text(self, queryset: QuerySet[Decision], name: str, value: str) -> QuerySet:
        # search() orders by relevance; the filters applied after it keep that order.
        return queryset.search(value)

    def filter_subcategory(self, queryset: QuerySet[Decision], name: str, value: str) -> QuerySet:
        return queryset.filter(category__slug=value, category__parent__isnull=False)

    @property
    def active(self) -> bool:
        """True when any filter has a value (paging and other parameters aside)."""
        return any(self.data.get(name) for name in self.filters)

    @property
    def searching(self) -> bool:
        """True when a valid search was made, so rows carry a rank and a snippet."""
        return self.is_bound and self.is_valid() and bool(self.form.cleaned_data.get("q"))
