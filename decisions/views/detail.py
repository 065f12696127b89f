"""One decision in full: metadata, remedies, the statement with its paragraph numbers and
anchors, the search words highlighted, the way back to the results it was found in, a
citation and similar decisions."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from decisions.models import Decision, SourcePage
from decisions.numbers import whole_number
from decisions.parsing.errors import ParseError
from decisions.parsing.references import (
    canonical_reference,
    reference_slug,
    without_references,
)
from decisions.search.similar import similar_decisions
from decisions.views.citing import citation, legislation_by_act
from decisions.views.results import results_navigation
from decisions.views.statement import highlighted, plain


def decision_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One decision in full; other spellings of its reference redirect to the canonical URL,
    keeping the query string (the search to highlight and to return to)."""
    try:
        canonical = canonical_reference(reference)
    except ParseError:
        raise Http404("That is not an LGSCO case reference.") from None
    decision = (
        Decision.objects.select_related("organisation", "category__parent")
        .defer("body_text")
        .filter(reference=canonical)
        .first()
    )
    if decision is None:
        raise Http404("No decision with that reference is in the archive.")
    if decision.withdrawn:  # kept for the admin only: its page is gone, not missing
        return render(request, "410.html", {"reference": decision.reference}, status=410)
    if reference != reference_slug(canonical):
        query_string = request.GET.urlencode()
        url = decision.get_absolute_url() + (f"?{query_string}" if query_string else "")
        return redirect(url, permanent=True)

    # The search's words are marked, not a case reference typed with them (nor its
    # "ref:" label): the reference found this decision, it is not a word to look for.
    query = without_references(request.GET.get("q", "").strip())
    statement = highlighted(decision, query) if query else plain(decision)
    permalink = request.build_absolute_uri(decision.get_absolute_url())
    context = {
        "decision": decision,
        "summary": statement.summary,
        "sections": statement.sections,
        "query": query,
        "permalink": permalink,
        "citation": citation(decision, permalink),
        "legislation": legislation_by_act(decision.legislation or []),
        "results": results_navigation(request.GET, decision),
        "similar": similar_decisions(decision),
        "gone": removed_at_source(decision),
    } | match_navigation(statement.count, request.GET.get("match", ""))
    return render(request, "decisions/decision_detail.html", context)


def removed_at_source(decision: Decision) -> dict[str, object] | None:
    """Since when the source no longer publishes it, and since when the archive has kept
    it (its first sighting at the source, or its import if earlier); None while published."""
    page = SourcePage.objects.filter(decision=decision, gone_since__isnull=False).first()
    if page is None or page.gone_since is None:
        return None
    kept = [when for when in (page.first_seen_at, decision.created_at) if when is not None]
    return {"since": page.gone_since, "kept_since": min(kept)}


def match_navigation(count: int, current: str) -> dict[str, int | None]:
    """Which match is current (from ?match=N, so next/previous work without JavaScript),
    and the previous and next ones, wrapping round at either end."""
    if count == 0:
        return {"match_count": 0, "match": None, "previous_match": None, "next_match": None}
    number = whole_number(current)
    if number is not None and not 1 <= number <= count:
        number = None
    if number is None:
        previous, following = count, 1
    else:
        previous = count if number == 1 else number - 1
        following = 1 if number == count else number + 1
    return {
        "match_count": count,
        "match": number,
        "previous_match": previous,
        "next_match": following,
    }
