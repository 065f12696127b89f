"""The list page's filter form widgets: selects that write their HTML in Python, and
a date typed as text.

Django renders a <select> through its widget templates, with one `{% include %}` of
select_option.html, and another of attrs.html, for every option. With about 90 grouped
subcategories, plus the categories and outcomes, that was most of the time the list
page spent rendering. `FastSelect` starts from the same context (`Widget.get_context`:
the attributes, including those the bound field adds, such as id, aria-describedby and
aria-invalid; the chosen value; `optgroups()`), so the options, their grouping and what
is selected follow Django's own rules. Only the writing of the HTML is done here: every
name, value and label goes through `conditional_escape`, as `{{ }}` did in the templates.
https://docs.djangoproject.com/en/5.2/ref/forms/widgets/#django.forms.Widget.render
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def flat_attrs(attrs: dict[str, Any]) -> str:
    """` name="value"` for each attribute, in order, escaped, as Django's attrs.html
    writes them: True is the bare name (`selected`), False is left out."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def shown(label: Any) -> str:
    """A label as `{{ label }}` shows it: localized (a number, a date), then escaped."""
    return conditional_escape(localize(label))


class FastSelect(forms.Select):
    """A <select> with the HTML of `forms.Select`, written without templates:

        <select name="subcategory" id="id_subcategory">
          <option value="">Any subcategory</option>
          <optgroup label="Adult care services">
          <option value="charging" selected>Charging</option>
          ...
          </optgroup>
        </select>

    f-strings of escaped parts rather than one `format_html` an option: the same
    escaping, at a fraction of the cost.

    `counts`, when given (the facet counts of the list page, by option value, as shown:
    "1,234", "about 5,000"), follow each option's label, as GOV.UK's filters show them:
    `<option value="housing">Housing (1,234)</option>`, 0 for a value with none. The
    empty choice ("Any category") has no count.
    """

    counts: Mapping[str, str] | None = None

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        lines = [f'<select name="{conditional_escape(name)}"{flat_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                lines.append(f'  <optgroup label="{shown(group_name)}">')
            lines.extend(self.option(option) for option in options)
            if group_name:
                lines.append("  </optgroup>")
        lines.append("</select>")
        # Safe: every name, value and label above went through conditional_escape.
        return mark_safe("\n".join(lines))  # noqa: S308

    def option(self, option: dict[str, Any]) -> str:
        value = str(option["value"])
        label = shown(option["label"])
        if self.counts is not None and value:
            label = f"{label} ({conditional_escape(self.counts.get(value, '0'))})"
        attrs = flat_attrs(option["attrs"])
        return f'  <option value="{conditional_escape(value)}"{attrs}>{label}</option>'


class DateText(forms.TextInput):
    """A date typed as text, in any form decisions.dates reads (31/3/2020, 31 March
    2020, 2020-03-31), rather than the browser's date input (type="date"): its format
    follows the browser's language, and a date must be typed to fit its segments.
    GOV.UK's services ask for dates as typed text for the same reasons.
    https://design-system.service.gov.uk/components/date-input/

    A date, and the ISO date an address carries, are shown as people in the UK write
    them (31/3/2020); any other text as it was typed, so that a date which is not a real
    one can be corrected where it was made.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # No autocomplete or spelling marks: a date is neither a word nor a saved value.
        defaults = {"autocomplete": "off", "spellcheck": "false", "maxlength": 40}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str) and ISO_DATE.fullmatch(value):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, datetime.date):
            return f"{value.day}/{value.month}/{value.year}"
        return super().format_value(value)
