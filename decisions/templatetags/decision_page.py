"""Template filters for a decision wherever it is named (the list's rows, its own page,
similar decisions), and for the link from a result to its decision."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString

from decisions.models import Decision
from decisions.views import results

register = template.Library()


@register.filter
def decision_title(decision: Decision) -> SafeString:
    """Decision.title with its reference kept on one line: "Norfolk County Council
    (19 011 560)", or "Decision 16 003 210 (organisation not named)"."""
    organisation = decision.organisation if decision.organisation_id is not None else None
    if organisation is None:
        return format_html(
            'Decision <span class="reference">{}</span> (organisation not named)',
            decision.reference,
        )
    return format_html(
        '{} <span class="reference">({})</span>', organisation.name, decision.reference
    )


@register.filter
def results_query(params: QueryDict) -> str:
    """The list's query string for a result's link ("?q=care&outcome=upheld"), so the
    decision page can lead back to these results and on to the next (views.results)."""
    return results.results_query(params)


@register.filter
def result_anchor(decision: Decision) -> str:
    """The id of a decision's row among the results, which "Back to results" ends with."""
    return results.result_anchor(decision)
