"""Template filters for decision pages: safe search snippets and money."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
