"""The LGSCO's category taxonomy, bundled as data (taxonomy.json), and lookups into it.

URL slugs are the reliable key (the LGSCO's own, e.g. "transition-from-childrens-services"
for the label "Transition from childrens services"); labels printed on the page win for
display. Unknown slugs still work: their name is derived from the slug, with known=False.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Subcategory:
    name: str
    slug: str
    confirmed: bool


@dataclass(frozen=True)
class Category:
    name: str
    slug: str
    confirmed: bool
    subcategories: tuple[Subcategory, ...]

    def subcategory_for_slug(self, slug: str) -> Subcategory | None:
        return next((sub for sub in self.subcategories if sub.slug == slug), None)

    def subcategory_for_name(self, name: str) -> Subcategory | None:
        key = _name_key(name)
        return next((sub for sub in self.subcategories if _name_key(sub.name) == key), None)


@dataclass(frozen=True)
class CategoryMatch:
    category: str | None
    category_slug: str | None
    subcategory: str | None
    subcategory_slug: str | None
    known: bool  # both the category and (when given) the subcategory are in the taxonomy


_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    """The LGSCO's slug style: "Children's care services" -> "children-s-care-services"."""
    return _NON_ALNUM_RE.sub("-", name.lower().replace("’", "'")).strip("-")


def name_from_slug(slug: str) -> str:
    """A display name for a slug the taxonomy does not know: "school-transport" -> "School transport"."""
    words = re.sub(r"(?<=[a-z])-s-", "'s ", slug).replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _name_key(name: str) -> str:
    # "Children's", "Childrens" and "Children’s" compare equal; so do spacing and case variants.
    return _NON_ALNUM_RE.sub("", name.lower().replace("'s", "s").replace("’s", "s"))


def _load() -> tuple[Category, ...]:
    data = json.loads((Path(__file__).with_name("taxonomy.json")).read_text(encoding="utf-8"))
    return tuple(
        Category(
            name=item["name"],
            slug=item["slug"],
            confirmed=item["confirmed"],
            subcategories=tuple(Subcategory(**sub) for sub in item["subcategories"]),
        )
        for item in data["categories"]
    )


CATEGORIES: tuple[Category, ...] = _load()
_BY_SLUG = {category.slug: category for category in CATEGORIES}
_BY_NAME = {_name_key(category.name): category for category in CATEGORIES}


def category_for_slug(slug: str) -> Category | None:
    return _BY_SLUG.get(slug.lower())


def category_for_name(name: str) -> Category | None:
    return _BY_NAME.get(_name_key(name))


def lookup_category(
    *,
    category: str | None,
    subcategory: str | None,
    category_slug: str | None,
    subcategory_slug: str | None,
) -> CategoryMatch:
    """Resolve a category/subcategory from page labels and/or URL slugs."""
    # Written out rather than `slug and lookup(slug) or ...`: an empty label would make
    # that "" instead of None, and "" is not None passed for a known category.
    found: Category | None = None
    if category_slug:
        found = category_for_slug(category_slug)
    if found is None and category:
        found = category_for_name(category)
    if not (category or category_slug):
        return CategoryMatch(None, None, None, None, known=False)
    cat_name = category or (found.name if found else name_from_slug(category_slug or ""))
    cat_slug = category_slug or (found.slug if found else slugify(cat_name))
    known = found is not None
    if not (subcategory or subcategory_slug):
        return CategoryMatch(cat_name, cat_slug.lower(), None, None, known=known)
    sub = None
    if found is not None:
        sub = (subcategory_slug and found.subcategory_for_slug(subcategory_slug.lower())) or (
            subcategory and found.subcategory_for_name(subcategory)
        )
    sub_name = subcategory or (sub.name if sub else name_from_slug(subcategory_slug or ""))
    sub_slug = subcategory_slug or (sub.slug if sub else slugify(sub_name))
    return CategoryMatch(
        cat_name, cat_slug.lower(), sub_name, sub_slug.lower(), known=known and bool(sub)
    )
