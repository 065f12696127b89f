"""Template filters for decision pages: money, categories, and
long lists of options written in Python rather than in a template loop."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from decisions import formatting
from decisions.models import Category
from decisions.widgets import FastSelect

register = template.Library()


@register.filter
def pounds(amount: object) -> str:
    """ "250.00" -> "£250", "99.50" -> "£99.50", with thousands separators."""
    return formatting.pounds(amount)


@register.filter
def payment_purpose(purpose: str) -> str:
    """ "time_and_trouble" -> "for time and trouble" (decisions.formatting)."""
    return formatting.payment_purpose(purpose)


@register.filter
def remedy_sentences(remedies: dict[str, object] | None) -> list[str]:
    """A decision's remedy flags as sentences (decisions.formatting)."""
    return formatting.remedy_sentences(remedies)


@register.filter
def quoted(text: str) -> str:
    """The search words in curly quotes, once (a typed "phrase" keeps one pair)."""
    return formatting.quoted(text)


@register.filter
def web_url(url: str) -> str:
    """`url` when it is an http(s) address, else "": a stored value never becomes a
    javascript: link."""
    return url if (url or "").lower().startswith(("https://", "http://")) else ""


@register.filter
def datalist_options(values: Iterable[str]) -> SafeString:
    """`<option value="...">` for each value, escaped: the options of a <datalist> of
    hundreds of names, without a template loop's (or a format_html's) cost for each."""
    options = "".join(f'<option value="{conditional_escape(value)}"></option>' for value in values)
    # Safe: each value went through conditional_escape.
    return mark_safe(options)  # noqa: S308


@register.simple_tag(takes_context=True)
def field_with_counts(context: template.Context, field: BoundField) -> SafeString:
    """A field of the filter form; a select shows each option's facet count ("Housing
    (1,234)") when the page counted them (`option_counts`, by parameter and value)."""
    counts = (context.get("option_counts") or {}).get(field.name)
    if counts is None or not isinstance(field.field.widget, FastSelect):
        return SafeString(str(field))
    # A copy: the form's own widget stays as it was for any other rendering of it.
    widget = copy.copy(field.field.widget)
    widget.counts = counts
    return field.as_widget(widget=widget)


@register.filter
def category_path(category: Category | None) -> SafeString:
    """ "Parent › Subcategory", or "Not recorded". Screen readers hear a comma, not the ›.
    A filter, not an included template: it is shown on every row of the list."""
    if not category:
        return SafeString("Not recorded")
    if category.parent:
        return format_html(
            '{} <span aria-hidden="true">›</span><span class="visually-hidden">,</span> {}',
            category.parent.name,
            category.name,
        )
    return conditional_escape(category.name)
