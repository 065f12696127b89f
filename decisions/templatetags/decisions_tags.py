"""Template filters for decision pages: safe search snippets, money, categories, and
long lists of options written in Python rather than in a template loop."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from decisions.models import Category

register = template.Library()

# After escaping, SearchHeadline's <mark> pairs read "&lt;mark&gt;...&lt;/mark&gt;".
# Only whole pairs come back as tags, so no other markup can get through.
_ESCAPED_MARK_RE = re.compile(r"&lt;mark&gt;(.*?)&lt;/mark&gt;", re.S)


@register.filter
def highlight(snippet: str) -> SafeString:
    """A search snippet as HTML: all of its text escaped, then only <mark> re-inserted."""
    escaped = escape(snippet or "")
    return mark_safe(_ESCAPED_MARK_RE.sub(r"<mark>\1</mark>", escaped))  # noqa: S308


@register.filter
def pounds(amount: object) -> str:
    """ "250.00" -> "£250", "99.50" -> "£99.50", with thousands separators."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


@register.filter
def web_url(url: str) -> str:
    """`url` when it is an http(s) address, else "": a stored value never becomes a
    javascript: link."""
    return url if (url or "").lower().startswith(("https://", "http://")) else ""


@register.filter
def datalist_options(values: Iterable[object]) -> SafeString:
    """`<option value="...">` for each value, escaped: the options of a <datalist> of
    hundreds of names, without a template loop's (or a format_html's) cost for each."""
    options = "".join(f'<option value="{conditional_escape(value)}"></option>' for value in values)
    # Safe: each value went through conditional_escape.
    return mark_safe(options)  # noqa: S308


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
