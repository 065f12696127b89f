"""One decision in full."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from decisions.errors import ParseError
from decisions.models import Decision
from decisions.references import canonical_reference, reference_slug


def decision_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One decision in full; other spellings of its reference redirect to the canonical URL."""
    try:
        canonical = canonical_reference(reference)
    except ParseError:
        raise Http404("That is not an LGSCO case reference.") from None
    decision = (
        Decision.objects.select_related("organisation", "category__parent")
        .filter(reference=canonical)
        .first()
    )
    if decision is None:
        raise Http404("No decision with that reference is in the archive.")
    if reference != reference_slug(canonical):
        return redirect(decision, permanent=True)
    return render(request, "decisions/decision_detail.html", {"decision": decision})
