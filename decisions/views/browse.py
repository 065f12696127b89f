"""The two ways in besides the search box: every organisation A–Z, and the category tree,
each with its published decision count and a link to the list filtered by it.

Counts are of published decisions only (withdrawn ones are never counted), in one query
with a count annotation, and equal what the filtered list shows. An organisation or
category with no published decision is left out: there is nothing public to show.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from decisions.models import Category, Organisation
from decisions.querysets import normalised
from decisions.search.whole_archive import WholeArchive

# Decisions reach an organisation or a category through the reverse name "decisions".
PUBLISHED = Q(decisions__withdrawn_at__isnull=True)
# The organisation field's own limit (Organisation.name).
NAME_MAX_LENGTH = 255
CLOSE_NAMES = 10
OTHER = "Other"  # names that do not start with a letter A-Z
LETTERS = tuple(string.ascii_uppercase)


@dataclass(frozen=True)
class OrganisationCount:
    name: str
    slug: str
    count: int

    @property
    def letter(self) -> str:
        """The A–Z group: "Å" files under A, a digit or a quote under Other."""
        first = unicodedata.normalize("NFKD", self.name[:1]).upper()[:1]
        return first if first in LETTERS else OTHER


@dataclass(frozen=True)
class LetterGroup:
    letter: str
    organisations: list[OrganisationCount]

    @property
    def anchor(self) -> str:
        return f"letter-{self.letter.lower()}"


def with_published_counts(organisations: QuerySet[Organisation]) -> list[OrganisationCount]:
    """`organisations` that have a published decision, A–Z, each with their count."""
    rows = (
        organisations.annotate(count=Count("decisions", filter=PUBLISHED))
        .filter(count__gt=0)
        .order_by("name")
        .values_list("name", "slug", "count")
    )
    return [OrganisationCount(*row) for row in rows]


def matching_organisations(typed: str) -> tuple[list[OrganisationCount], bool]:
    """The organisations whose name contains `typed`, else those whose name is close to
    it ("Norfok"), and whether they are the close ones."""
    found = with_published_counts(Organisation.objects.containing(typed))
    if found:
        return found, False
    close = Organisation.objects.close_to(typed, limit=CLOSE_NAMES)
    return with_published_counts(Organisation.objects.filter(pk__in=[o.pk for o in close])), True


def letter_groups(organisations: list[OrganisationCount]) -> list[LetterGroup]:
    """The organisations grouped by first letter, A to Z, then Other."""
    order = {letter: index for index, letter in enumerate((*LETTERS, OTHER))}
    ordered = sorted(organisations, key=lambda o: order[o.letter])  # stable: A–Z kept
    return [
        LetterGroup(letter, list(group)) for letter, group in groupby(ordered, lambda o: o.letter)
    ]


def organisation_index(request: HttpRequest) -> HttpResponse:
    """Every organisation A–Z with its count, or those matching ?name=."""
    typed = normalised(request.GET.get("name", ""))[:NAME_MAX_LENGTH]
    close = False
    if typed:
        organisations, close = matching_organisations(typed)
    else:
        # The same for every visitor, and a count over every decision: once per generation.
        organisations = WholeArchive().cached(
            "organisation-counts", lambda: with_published_counts(Organisation.objects.all())
        )
    groups = letter_groups(organisations)
    present = {group.letter for group in groups}
    context = {
        "typed": typed,
        "close": close,
        "organisations": organisations,
        "groups": groups,
        # Every letter, linked only where there are names under it.
        "letters": [
            (letter, f"letter-{letter.lower()}" if letter in present else "")
            for letter in (*LETTERS, OTHER)
        ],
    }
    return render(request, "decisions/organisation_index.html", context)


@dataclass
class CategoryCount:
    name: str
    slug: str
    count: int = 0
    subcategories: list[CategoryCount] = field(default_factory=list)


def category_tree() -> list[CategoryCount]:
    """The categories A–Z, each with its subcategories A–Z and their published counts.

    A category's count is its subcategories' sum: decisions point at a subcategory, and
    the list's category filter finds them through its parent, so the two agree.
    """
    rows = (
        Category.objects.filter(parent__isnull=False, parent__parent=None)
        .annotate(count=Count("decisions", filter=PUBLISHED))
        .filter(count__gt=0)
        .order_by("parent__name", "parent__slug", "name")
        .values_list("parent__name", "parent__slug", "name", "slug", "count")
    )
    tree: dict[str, CategoryCount] = {}
    for parent_name, parent_slug, name, slug, count in rows:
        category = tree.setdefault(parent_slug, CategoryCount(parent_name, parent_slug))
        category.subcategories.append(CategoryCount(name, slug, count))
        category.count += count
    return list(tree.values())


def category_index(request: HttpRequest) -> HttpResponse:
    categories = WholeArchive().cached("category-counts", category_tree)
    return render(request, "decisions/category_index.html", {"categories": categories})
