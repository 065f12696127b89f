"""The one FilterSet behind every listing of decisions.

Values in the query string are slugs and family keys, never database ids, so links stay
readable and survive a re-import. Invalid values become form errors, shown on the page.
https://django-filter.readthedocs.io/en/stable/ref/filterset.html
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import QueryDict

from decisions.dates import DateNotUnderstood, parse_date
from decisions.models import Category, Decision, Organisation
from decisions.numbers import whole_number
from decisions.parsing.citations import find_legislation
from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.parsing.remedies import REMEDY_ACTIONS
from decisions.parsing.remedy_purposes import PURPOSE_LABELS
from decisions.querysets import DecisionQuerySet

# The search box's grammar, pure like decisions.dates: counting its terms is what makes
# SEARCH_MAX_TERMS mean what the engine does (a query per word or "phrase").
from decisions.search_grammar import parse_search
from decisions.widgets import DateText, FastSelect

# The date parameters: ISO dates in every address (bookmarks, feeds, the API), however
# they were typed into the form (see TypedDateField and iso_dates).
DATE_PARAMS = ("date_from", "date_to")

SEARCH_MAX_LENGTH = 2000
SORTS = {
    "relevance": "Most relevant",
    "newest": "Newest first",
    "oldest": "Oldest first",
    "largest": "Largest payment first",
}


def in_pounds() -> dict[str, Any]:
    """What an amount field takes: whole pounds or pence, £1 or more, with plain errors."""
    return {
        "min_value": 1,
        "max_digits": 12,
        "decimal_places": 2,
        "widget": forms.NumberInput(attrs={"min": 1, "step": 1, "inputmode": "numeric"}),
        "error_messages": AMOUNT_ERRORS,
    }


AMOUNT_ERRORS = {
    "invalid": "Enter an amount in pounds, for example 500.",
    "min_value": "Enter an amount of £1 or more.",
    "max_digits": "Enter a smaller amount.",
    "max_decimal_places": "Enter pounds and at most two digits of pence.",
}
# What the Ombudsman asked for and the body agreed, as the parser reads it
# (decisions.parsing.remedies): the key of the stored `remedies`, or a payment.
ACTION_LABELS = {
    "apology": "An apology",
    "service_improvement": "A service improvement",
    "reassessment": "A reassessment",
    "staff_training": "Staff training",
}
REMEDY_KINDS = [("payment", "A payment"), *((a, ACTION_LABELS[a]) for a in REMEDY_ACTIONS)]
REMEDY_CONDITIONS = {
    "payment": Q(remedy_total__gt=0),
    **{action: Q(**{f"remedies__{action}": True}) for action in REMEDY_ACTIONS},
}
# What a payment was for (decisions.parsing.remedy_purposes): the stored key, and its
# label. "Purpose not stated" is no purpose to filter by.
PURPOSES = [(key, label) for key, label in PURPOSE_LABELS.items() if key]
LEGISLATION_EXAMPLE = "Care Act 2014, section 42"
AT_SOURCE = [
    ("removed", "No longer published by the Ombudsman"),
    ("published", "Still published, as far as the archive knows"),
]
PAGE_SIZES = (20, 50, 100)
# How the rows are shown, not which decisions match: parsed with the filters, but a
# value that cannot be used falls back to the default with a note instead of an error.
LIST_OPTIONS = ("sort", "per_page", "page")


def choose_from_list(what: str) -> dict[str, str]:
    """Plainer than Django's "Select a valid choice. That choice is not one of..."."""
    return {"invalid_choice": f"Choose {what} from the list."}


def page_sizes() -> tuple[int, ...]:
    return tuple(sorted({*PAGE_SIZES, settings.DECISIONS_PER_PAGE}))


Choices = list[tuple[str, object]]


# The organisations a partial name ("council") searches at most, and how many of them
# the page lists as links to choose from.
ORGANISATIONS_SEARCHED = 500
ORGANISATIONS_LISTED = 20


@dataclass(frozen=True)
class OrganisationChoice:
    """What the organisation field's text resolved to.

    `exact`: the text was a name or slug. Otherwise the organisations found by part of
    their name or by a near spelling: one is used, and the page says so; several are
    all searched (up to ORGANISATIONS_SEARCHED of `matched`), and the page offers each.
    """

    typed: str
    organisations: tuple[Organisation, ...]
    exact: bool
    matched: int = 0  # how many organisations the text matches; 0 when exact

    @property
    def single(self) -> Organisation | None:
        return self.organisations[0] if len(self.organisations) == 1 else None

    @property
    def listed(self) -> tuple[Organisation, ...]:
        return self.organisations[:ORGANISATIONS_LISTED]

    @property
    def not_listed(self) -> int:
        return max(0, self.matched - ORGANISATIONS_LISTED)

    @property
    def not_searched(self) -> int:
        return max(0, self.matched - len(self.organisations))


def resolve_organisation(typed: str) -> OrganisationChoice | None:
    """The organisation(s) meant by `typed`: exact name or slug, else every organisation
    whose name contains it, else those with a near spelling."""
    exact = Organisation.objects.named(typed).first()
    if exact is not None:
        return OrganisationChoice(typed, (exact,), exact=True)
    containing = Organisation.objects.containing(typed)
    found = list(containing[:ORGANISATIONS_SEARCHED])
    matched = containing.count() if len(found) == ORGANISATIONS_SEARCHED else len(found)
    if not found:
        found = Organisation.objects.close_to(typed, limit=ORGANISATIONS_LISTED)
        matched = len(found)
    return OrganisationChoice(typed, tuple(found), False, matched) if found else None


def subcategory_ids(**lookup: Any) -> list[int]:
    """The ids of the subcategories (categories with a parent) `lookup` selects."""
    found = Category.objects.filter(parent__isnull=False, **lookup)
    return list(found.values_list("pk", flat=True))


def subcategory_choices(category_slug: str | None) -> Choices:
    """The subcategories of `category_slug`; of every category, grouped, when it is None.

    Subcategory slugs repeat across categories ("other", "land"), so the chosen
    category is what makes a subcategory slug exact.
    """
    # Names only, not model objects: this runs on every list page.
    subcategories = Category.objects.filter(parent__isnull=False)
    if category_slug:
        subcategories = subcategories.filter(parent__slug=category_slug, parent__parent=None)
        return list(subcategories.order_by("name").values_list("slug", "name"))
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = subcategories.order_by("parent__name", "name").values_list(
        "parent__name", "slug", "name"
    )
    for parent, slug, name in rows:
        groups.setdefault(parent, []).append((slug, name))
    return list(groups.items())


class TypedDateField(forms.Field):
    """A date typed as a person writes it: 31/3/2020, 31 March 2020 or 2020-03-31
    (decisions.dates). A text that is no date is an error that says why, and the field
    keeps it as typed (DateText) to be corrected."""

    widget = DateText

    def to_python(self, value: object) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return parse_date(str(value))
        except DateNotUnderstood as problem:
            raise forms.ValidationError(str(problem), code="invalid") from problem


class TypedDateFilter(django_filters.DateFilter):
    """django-filter's DateFilter (the lookup, the empty value), with a typed date."""

    field_class = TypedDateField


def iso_dates(form: forms.Form) -> dict[str, str]:
    """The date parameters of a validated `form` that were typed in another form than
    ISO ("31/3/2020"), in ISO ("2020-03-31"): what the list page's address changes to."""
    cleaned = getattr(form, "cleaned_data", {})
    typed = {name: cleaned.get(name) for name in DATE_PARAMS}
    return {
        name: value.isoformat()
        for name, value in typed.items()
        if value is not None and form.data.get(name) != value.isoformat()
    }


SLUG_SHAPED = re.compile(r"[a-z0-9-]+")


def category_slug_named(typed: str) -> str | None:
    """The slug of the top-level category named `typed` (any case: "Education", "adult
    care services"); None for a value written as a slug is ("housing"), which stays a
    slug: a saved search whose category's slug has changed is told it no longer works
    (decisions.alerts), not quietly matched to a category of that name."""
    if SLUG_SHAPED.fullmatch(typed):
        return None
    categories = Category.objects.filter(parent=None)
    named = categories.filter(name__iexact=" ".join(typed.split())).first()
    return named.slug if named else None


class DecisionFilterForm(forms.Form):
    # Lenient on purpose: see LIST_OPTIONS and clean_list_options().
    sort = forms.CharField(required=False)
    per_page = forms.CharField(required=False)
    page = forms.CharField(required=False)

    def clean_q(self) -> str:
        # Each word or "phrase" is a query of its own over every text field: what one
        # search costs grows with its terms, which SEARCH_MAX_LENGTH alone lets reach
        # hundreds. Too many is the searcher's to fix, so a form error, never a 503.
        text = self.cleaned_data.get("q") or ""
        count, most = search_terms(text), settings.SEARCH_MAX_TERMS
        if count > most:
            raise forms.ValidationError(
                f"A search can have at most {most} words or “phrases”; this one has "
                f"{count}. Keep the ones that matter most, and use the filters "
                "(organisation, category, outcome, dates) for what they cover.",
                code="too_many_terms",
            )
        return text

    def clean_organisation(self) -> OrganisationChoice | None:
        typed = " ".join((self.cleaned_data.get("organisation") or "").split())
        if not typed:
            return None
        choice = resolve_organisation(typed)
        if choice is None:
            raise forms.ValidationError(
                "There is no such organisation in the archive.", code="invalid_choice"
            )
        return choice

    def clean_legislation(self) -> str:
        """The legislation as the decisions cite it (decisions.parsing.citations): typed
        exactly so, or a citation that the parser writes so ("Care Act 2014 section 42").
        Never a wider one: a normalised citation that drops a number typed (the parser
        reads "Care Act 2014 s.42" as the Act alone) is not taken for it."""
        typed = " ".join((self.cleaned_data.get("legislation") or "").split())
        if not typed:
            return ""
        numbers = set(re.findall(r"\d+", typed))
        normalised = [
            cited
            for cited in reversed(find_legislation(typed))
            if numbers <= set(re.findall(r"\d+", cited))
        ]
        for candidate in (typed, *normalised):
            if Decision.objects.published().filter(legislation__contains=[candidate]).exists():
                return candidate
        raise forms.ValidationError(
            f"No decision in the archive cites “{typed[:100]}”: write it as the decisions "
            f"cite it, for example “{LEGISLATION_EXAMPLE}”.",
            code="invalid_choice",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must not be before the start date.")
        least, most = cleaned.get("amount"), cleaned.get("amount_max")
        if least and most and most < least:
            self.add_error("amount_max", "The most must not be less than the least.")
        self.notes = clean_list_options(cleaned)
        return cleaned


def search_terms(text: str) -> int:
    """How many words and phrases the search box's `text` has, excluded ones included:
    what SEARCH_MAX_TERMS bounds."""
    return sum(len(clause.terms) for clause in parse_search(text).clauses)


def clean_list_options(cleaned: dict[str, Any]) -> list[str]:
    """Turn the sort, page size and page number in `cleaned` into usable values, in
    place, and say what was replaced by a default."""
    notes = []
    searching = bool(cleaned.get("q"))
    default_sort = "relevance" if searching else "newest"
    sort = cleaned.get("sort") or ""
    if sort not in SORTS or (sort == "relevance" and not searching):
        if sort == "relevance":
            notes.append("Most relevant first needs search words: showing newest first.")
        elif sort:
            notes.append(
                "Sort by most relevant, newest, oldest or largest payment: showing the default."
            )
        sort = default_sort
    cleaned["sort"] = sort
    per_page = cleaned.get("per_page") or ""
    size = whole_number(per_page)
    if size is not None and size in page_sizes():
        cleaned["per_page"] = size
    else:
        if per_page:
            sizes = ", ".join(str(size) for size in page_sizes())
            notes.append(f"Show {sizes} decisions a page: showing {settings.DECISIONS_PER_PAGE}.")
        cleaned["per_page"] = settings.DECISIONS_PER_PAGE
    page = cleaned.get("page") or ""
    number = whole_number(page)
    if number is not None and number >= 1:
        cleaned["page"] = number
    else:
        if page:
            notes.append(f"“{page[:20]}” is not a page number: showing page 1.")
        cleaned["page"] = 1
    return notes


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search_text",
        label="Search words",
        widget=forms.SearchInput,
        # Long enough for a Boolean query built elsewhere and pasted in.
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": f"Search words can be at most {SEARCH_MAX_LENGTH:,} characters: "
            "shorten the search, or use the filters for what they cover."
        },
        help_text='Use "quotes" for a phrase, OR for either word, and a minus sign to '
        "exclude a word (-parking).",
    )
    organisation = django_filters.CharFilter(
        # Typed, not chosen from a list of hundreds: resolved in DecisionFilterForm.
        method="filter_organisation",
        label="Organisation",
        max_length=255,
        help_text="Type any part of the name, for example Norfolk or Redbridge.",
        widget=forms.TextInput(attrs={"list": "organisation-names", "autocomplete": "off"}),
    )
    category = django_filters.ModelChoiceFilter(
        # Its slug, or its name (made the slug in __init__: category_slug_named).
        field_name="category__parent",
        method="filter_category",
        queryset=Category.objects.filter(parent=None),
        to_field_name="slug",
        label="Category",
        error_messages=choose_from_list("a category"),
        empty_label="Any category",
        widget=FastSelect,
    )
    subcategory = django_filters.ChoiceFilter(
        # A method filter has no model field to take its label from: "[invalid name]".
        method="filter_subcategory",
        choices=[],
        label="Subcategory",
        error_messages=choose_from_list("a subcategory of the chosen category"),
        empty_label="Any subcategory",
        widget=FastSelect,
    )
    outcome = django_filters.ChoiceFilter(
        choices=OUTCOME_FAMILIES,
        label="Outcome",
        empty_label="Any outcome",
        error_messages=choose_from_list("an outcome"),
        widget=FastSelect,
    )
    date_from = TypedDateFilter(field_name="decision_date", lookup_expr="gte", label="From")
    date_to = TypedDateFilter(field_name="decision_date", lookup_expr="lte", label="To")
    has_remedy = django_filters.BooleanFilter(
        method="filter_has_remedy",
        label="Has a financial remedy",
        widget=forms.CheckboxInput,
    )
    amount = django_filters.NumberFilter(
        field_name="remedy_total", lookup_expr="gte", label="Amount at least (£)", **in_pounds()
    )
    amount_max = django_filters.NumberFilter(
        # A payment of at most £N: decisions with no payment are not "at most £500".
        method="filter_amount_max",
        label="Amount at most (£)",
        **in_pounds(),
    )
    # The statements the source has removed (a 404 or 410, or gone from its listings):
    # what this archive keeps that the Ombudsman's website no longer has.
    at_source = django_filters.ChoiceFilter(
        choices=AT_SOURCE,
        method="filter_at_source",
        label="On the Ombudsman’s website",
        empty_label="Published there or not",
        error_messages=choose_from_list("whether it is still on the Ombudsman’s website"),
        widget=FastSelect,
    )
    remedy = django_filters.ChoiceFilter(
        choices=REMEDY_KINDS,
        method="filter_remedy",
        label="Remedy agreed",
        empty_label="Any remedy, or none",
        error_messages=choose_from_list("a remedy"),
        widget=FastSelect,
    )
    legislation = django_filters.CharFilter(
        method="filter_legislation",
        label="Legislation cited",
        max_length=255,
        help_text=f"As the decisions cite it, for example {LEGISLATION_EXAMPLE}.",
    )
    purpose = django_filters.ChoiceFilter(
        choices=PURPOSES,
        method="filter_purpose",
        label="A payment for",
        empty_label="Any purpose, or none",
        error_messages=choose_from_list("a purpose of payment"),
        widget=FastSelect,
    )

    class Meta:
        model = Decision
        fields = [
            "q",
            "organisation",
            "category",
            "subcategory",
            "outcome",
            "date_from",
            "date_to",
            "has_remedy",
            "amount",
            "amount_max",
            "remedy",
            "at_source",
            "legislation",
            "purpose",
        ]
        form = DecisionFilterForm

    def __init__(
        self,
        data: QueryDict | None = None,
        queryset: QuerySet[Decision] | None = None,
        **kwargs: Any,
    ) -> None:
        if queryset is None:
            # Only published decisions: a withdrawn one is in no public list or count.
            queryset = Decision.objects.published().for_listing().newest_first()
        super().__init__(data, queryset, **kwargs)
        category = (data.get("category") if data is not None else None) or None
        slug = category_slug_named(category) if category else None
        if data is not None and slug is not None:
            # A category given by its name: the slug from here on, so the form's select
            # shows it chosen, and the facets' and the page's links carry the slug.
            self.data = data.copy()
            self.data["category"] = category = slug
        # A callable: the query runs only when the form is validated or shown.
        self.filters["subcategory"].extra["choices"] = partial(subcategory_choices, category)

    def search_text(self, queryset: DecisionQuerySet, name: str, value: str) -> DecisionQuerySet:
        # The words are matched by the search index (decisions.search.query), never by
        # PostgreSQL; a text of references alone is a look-up PostgreSQL can answer too.
        return queryset.with_references_of(value)

    def filter_organisation(
        self, queryset: QuerySet[Decision], name: str, value: OrganisationChoice | None
    ) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(organisation__in=[org.pk for org in value.organisations])

    def filter_category(
        self, queryset: QuerySet[Decision], name: str, value: Category | None
    ) -> QuerySet:
        if value is None:
            return queryset
        # By the subcategories' ids, not a join on their parent: joined, PostgreSQL
        # repeats a search's GIN look-up once per subcategory (a nested loop, 11 times
        # for adult care); with the ids it ANDs one look-up with the category index.
        return queryset.filter(category_id__in=self._subcategory_ids(parent=value.pk))

    def filter_subcategory(self, queryset: QuerySet[Decision], name: str, value: str) -> QuerySet:
        # By id, for the same reason as filter_category.
        return queryset.filter(category_id__in=self._subcategory_ids(slug=value))

    def _subcategory_ids(self, **lookup: Any) -> list[int]:
        """subcategory_ids(), looked up once per search: every facet applies the filters."""
        key = tuple(sorted(lookup.items()))
        cache: dict[tuple, list[int]] = self.__dict__.setdefault("_subcategory_cache", {})
        if key not in cache:
            cache[key] = subcategory_ids(**lookup)
        return cache[key]

    def filter_has_remedy(self, queryset: QuerySet[Decision], name: str, value: bool) -> QuerySet:
        # Unticked means "any", never "only those without a remedy".
        return queryset.filter(remedy_total__gt=0) if value else queryset

    def filter_amount_max(self, queryset: QuerySet[Decision], name: str, value: Any) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(remedy_total__gt=0, remedy_total__lte=value)

    def filter_remedy(self, queryset: QuerySet[Decision], name: str, value: str) -> QuerySet:
        return queryset.filter(REMEDY_CONDITIONS[value]) if value else queryset

    def filter_at_source(self, queryset: QuerySet[Decision], name: str, value: str) -> QuerySet:
        removed = Q(source_page__gone_since__isnull=False)
        if value == "removed":
            return queryset.filter(removed)
        return queryset.exclude(removed) if value == "published" else queryset

    def filter_queryset(self, queryset: QuerySet[Decision]) -> QuerySet[Decision]:
        """django-filter's, for the filters only: the form also cleans LIST_OPTIONS."""
        return self.filtered(queryset)

    def queryset_without(self, *names: str) -> QuerySet[Decision]:
        """The decisions every valid filter but `names` selects, unordered: what a facet
        counts over, and what a page with no results would show with a filter removed.
        Starts from this FilterSet's own queryset (published decisions only)."""
        return self.filtered(self.queryset, leaving_out=names).order_by()

    def filtered(
        self, queryset: QuerySet[Decision], leaving_out: tuple[str, ...] = ()
    ) -> QuerySet[Decision]:
        """`queryset` narrowed by each filter's cleaned value (so none is validated twice),
        but those `leaving_out` names."""
        for name, value in self.form.cleaned_data.items():
            if name in self.filters and name not in leaving_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def active(self) -> bool:
        """True when any filter has a value (paging and other parameters aside)."""
        return any(self.data.get(name) for name in self.filters)

    def filter_legislation(self, queryset: QuerySet[Decision], name: str, value: str) -> QuerySet:
        return queryset.filter(legislation__contains=[value]) if value else queryset

    def filter_purpose(self, queryset: QuerySet[Decision], name: str, value: str) -> QuerySet:
        return queryset.filter(remedies__payments__contains=[{"purpose": value}])
