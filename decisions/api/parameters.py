"""The API's query parameters: the list page's own (declared once, by DecisionFilter),
and the list options, which the API checks strictly.

The filters (q, organisation, category, ... amount) are validated by the FilterSet
itself, as on the page. The list options differ: the page replaces an unusable sort
or page number by its default with a note, since a person reads the note; a program
would not, so here a bad sort, page size, page or cursor is a 400 naming it.

The OpenAPI parameters are generated from DecisionFilter's declared filters, so the
documentation can never drift from what the FilterSet accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from decisions.filters import SORTS, DecisionFilter, page_sizes
from decisions.models import Category
from decisions.numbers import whole_number
from decisions.search.query import Cursor

# PostgreSQL's bigint: a larger id in a cursor could never be a decision's.
MAX_ID = 2**63 - 1
FACETS_PARAM = "facets"
# The orders paged by cursor (DecisionSearch.after); the others by page number.
DATE_SORTS = ("newest", "oldest")
YES, NO = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


def searching(params: Mapping[str, str]) -> bool:
    return bool((params.get("q") or "").strip())


def default_sort(params: Mapping[str, str]) -> str:
    return "relevance" if searching(params) else "newest"


def option_errors(params: Mapping[str, str]) -> dict[str, list[str]]:
    """What is wrong with the list options (sort, per_page, page, cursor, facets)."""
    errors: dict[str, list[str]] = {}
    sort = params.get("sort") or default_sort(params)
    if sort not in SORTS:
        errors["sort"] = [f"Choose sort from {', '.join(SORTS)}."]
    elif sort == "relevance" and not searching(params):
        errors["sort"] = ["sort=relevance needs search words (q): sort by newest or oldest."]
    per_page = params.get("per_page")
    if per_page and whole_number(per_page) not in page_sizes():
        sizes = ", ".join(str(size) for size in page_sizes())
        errors["per_page"] = [f"Choose per_page from {sizes}."]
    page = params.get("page")
    if page:
        if (whole_number(page) or 0) < 1:
            errors["page"] = ["Enter a page number: 1 or more."]
        elif sort in DATE_SORTS:
            errors["page"] = [
                "Date order (sort=newest or oldest) pages by cursor, not by number: "
                "follow the response's next link."
            ]
    cursor = params.get("cursor")
    if cursor:
        if sort not in DATE_SORTS:
            errors["cursor"] = [
                "A cursor pages date order (sort=newest or oldest); other sorts page by number."
            ]
        elif parse_cursor(cursor) is None:
            errors["cursor"] = [
                "That is not a cursor of this API: start without it and follow the next links."
            ]
    wanted = (params.get(FACETS_PARAM) or "true").lower()
    if wanted not in YES + NO:
        errors[FACETS_PARAM] = ["Enter true or false."]
    return errors


# The list options this module checks; with DecisionFilter's filters, every parameter
# the list accepts.
LIST_OPTIONS = ("sort", "per_page", "page", "cursor", FACETS_PARAM)


def known_parameters() -> tuple[str, ...]:
    return (*DecisionFilter.base_filters, *LIST_OPTIONS)


def unknown_errors(params: Mapping[str, str]) -> dict[str, list[str]]:
    """A parameter the API does not know, by name. Ignored, a misspelt filter
    (outcomes=upheld) would silently return every decision."""
    known = known_parameters()
    valid = ", ".join(known)
    return {
        name: [f"This is not a parameter of this API: use {valid}."]
        for name in params
        if name not in known
    }


def with_valid_values(errors: dict[str, list[str]], categories_url: str) -> dict[str, list[str]]:
    """`errors` with, for each refused choice, the values to choose from: the page's
    "Choose an outcome from the list." shows the list beside it; a program has none."""
    for name in errors:
        if name in ("category", "subcategory"):
            slugs = ", ".join(
                Category.objects.filter(parent=None).order_by("slug").values_list("slug", flat=True)
            )
            where = f"The categories and their subcategories are at {categories_url}"
            if name == "category":
                errors[name] = [*errors[name], f"Use a slug or name: {slugs}. {where}"]
            else:
                errors[name] = [*errors[name], f"{where} (each under its category)."]
            continue
        declared = DecisionFilter.base_filters.get(name)
        choices = declared.extra.get("choices") if declared is not None else None
        if isinstance(choices, list | tuple) and choices:
            values = ", ".join(str(value) for value, _ in choices)
            errors[name] = [*errors[name], f"Use one of: {values}."]
    return errors


def parse_cursor(text: str) -> Cursor | None:
    try:
        cursor = Cursor.parse(text)
    except ValueError:
        return None
    return cursor if cursor.pk <= MAX_ID else None


def wants_facets(params: Mapping[str, str]) -> bool:
    return (params.get(FACETS_PARAM) or "true").lower() in YES


# --- the OpenAPI description -------------------------------------------------------------


def filter_type(declared: django_filters.Filter) -> OpenApiTypes:
    if isinstance(declared, django_filters.BooleanFilter):
        return OpenApiTypes.BOOL
    if isinstance(declared, django_filters.NumberFilter):
        return OpenApiTypes.NUMBER
    return OpenApiTypes.STR


def filter_description(declared: django_filters.Filter) -> str:
    label = str(declared.label or "").rstrip(".")
    help_text = str(declared.extra.get("help_text", "") or "")
    if isinstance(declared, django_filters.DateFilter):
        side = "on or after" if declared.lookup_expr == "gte" else "on or before"
        label = f"{label}: decisions dated {side} this date"
        help_text = "2020-03-31, 31/3/2020 or 31 March 2020."
    if isinstance(declared, django_filters.ModelChoiceFilter):
        help_text = "The slug, as in /api/v1/categories/."
    if declared.field_name == "category__slug" or declared.method == "filter_subcategory":
        help_text = "A subcategory's slug, of the chosen category (/api/v1/categories/)."
    return f"{label}. {help_text}".strip()


def filter_parameters() -> list[OpenApiParameter]:
    """One parameter per filter DecisionFilter declares, as the FilterSet reads it."""
    parameters = []
    for name, declared in DecisionFilter.base_filters.items():
        choices = declared.extra.get("choices")
        enum = [value for value, _ in choices] if isinstance(choices, list | tuple) else None
        parameters.append(
            OpenApiParameter(
                name,
                filter_type(declared),
                OpenApiParameter.QUERY,
                description=filter_description(declared),
                enum=enum or None,
            )
        )
    return parameters


def list_option_parameters() -> list[OpenApiParameter]:
    query: Final = OpenApiParameter.QUERY
    return [
        OpenApiParameter(
            "sort",
            OpenApiTypes.STR,
            query,
            enum=list(SORTS),
            description="relevance (the default with q; needs q), newest (the default "
            "without), oldest, or largest (payment first). Undated decisions come last in "
            "date order.",
        ),
        OpenApiParameter(
            "per_page",
            OpenApiTypes.INT,
            query,
            enum=list(page_sizes()),
            description="Decisions per page.",
        ),
        OpenApiParameter(
            "page",
            OpenApiTypes.INT,
            query,
            description="For sort=relevance or largest: the page number. Every page is reachable.",
        ),
        OpenApiParameter(
            "cursor",
            OpenApiTypes.STR,
            query,
            description="For date order (newest, oldest): where the page starts. Take it "
            "from the previous "
            "response's pagination.next; never build it.",
        ),
        OpenApiParameter(
            FACETS_PARAM,
            OpenApiTypes.BOOL,
            query,
            description="Count the facets (default true); false answers faster.",
        ),
    ]
