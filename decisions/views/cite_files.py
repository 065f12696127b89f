"""A decision's citation as a file for a reference manager: /decisions/19-011-560/cite.ris
and cite.bib (decisions.views.citing writes them), linked from "Cite this decision"."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from decisions.models import Decision
from decisions.parsing.errors import ParseError
from decisions.parsing.references import canonical_reference
from decisions.views.citing import (
    BIBTEX_CONTENT_TYPE,
    RIS_CONTENT_TYPE,
    bibtex_record,
    ris_record,
)


def citation_ris(request: HttpRequest, reference: str) -> HttpResponse:
    return citation_file(request, reference, ris_record, RIS_CONTENT_TYPE, "ris")


def citation_bibtex(request: HttpRequest, reference: str) -> HttpResponse:
    return citation_file(request, reference, bibtex_record, BIBTEX_CONTENT_TYPE, "bib")


def citation_file(
    request: HttpRequest,
    reference: str,
    record: Callable[[Decision, str], str],
    content_type: str,
    suffix: str,
) -> HttpResponse:
    """The record of a published decision, as a download named after its reference;
    404 for an unknown reference, 410 for a withdrawn decision, as its page answers."""
    try:
        canonical = canonical_reference(reference)
    except ParseError:
        raise Http404("That is not an LGSCO case reference.") from None
    decision = (
        Decision.objects.select_related("organisation", "category__parent")
        .defer("sections", "body_text")
        .filter(reference=canonical)
        .first()
    )
    if decision is None:
        raise Http404("No decision with that reference is in the archive.")
    if decision.withdrawn:
        return render(request, "410.html", {"reference": decision.reference}, status=410)
    permalink = request.build_absolute_uri(decision.get_absolute_url())
    response = HttpResponse(record(decision, permalink), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="lgsco-{decision.slug}.{suffix}"'
    return response
