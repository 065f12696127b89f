"""The filters a search uses, in plain words, and the help for a search with no results:
how many decisions there would be without each filter.

Each active filter names the parameters removing it drops; the page turns that into a
link (decisions.views.links), the API can report it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from decisions.filters import DecisionFilter
from decisions.formatting import long_date, pounds, quoted
from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.search.tally import Tally

# Removing or changing a filter makes these meaningless too.
ALSO_DROPPED: dict[str, tuple[str, ...]] = {
    "category": ("subcategory",),
    "has_remedy": ("amount",),
}


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in use, in plain words, and the parameters removing it drops."""

    name: str
    label: str
    value: str
    drops: tuple[str, ...]


@dataclass(frozen=True)
class Relaxation:
    """A filter to drop when nothing matches, and how many decisions that would show."""

    active: ActiveFilter
    count: Tally


def active_filters(filterset: DecisionFilter) -> list[ActiveFilter]:
    """Each filter in use, in plain words, with the parameters removing it drops."""
    chosen = filterset.form.cleaned_data
    found = []
    for name, form_field in filterset.form.fields.items():
        value = chosen.get(name)
        if name not in filterset.filters or value in (None, "", False):
            continue
        chosen_from_list = name in ("subcategory", "remedy", "at_source", "purpose")
        label = choice_label(form_field, value) if chosen_from_list else describe(name, value)
        drops = (name, *ALSO_DROPPED.get(name, ()))
        found.append(ActiveFilter(name, str(form_field.label), label, drops))
    return found


def choice_label(form_field: Any, value: str) -> str:
    """The label of `value` among a choice field's choices, grouped or not."""
    for key, label in form_field.choices:
        if isinstance(label, list | tuple):
            for sub_key, sub_label in label:
                if sub_key == value:
                    return str(sub_label)
        elif key == value:
            return str(label)
    return value


def describe(name: str, value: Any) -> str:
    """A filter's cleaned value as a person reads it."""
    if name == "q":
        return quoted(value)
    if name == "organisation":
        if value.single:
            return value.single.name
        return f"any of {len(value.organisations)} matching “{value.typed}”"
    if name == "outcome":
        return dict(OUTCOME_FAMILIES).get(value, value)
    if name in ("date_from", "date_to"):
        return long_date(value)
    if name == "has_remedy":
        return "Yes"
    if name in ("amount", "amount_max"):
        return pounds(value)
    return str(value)
