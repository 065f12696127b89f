"""One decision in full: metadata, remedies, sections with anchors, the search words
highlighted, a citation and similar decisions."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.text import slugify

from decisions.models import Decision
from decisions.parsing.errors import ParseError
from decisions.parsing.references import canonical_reference, reference_slug
from decisions.search.highlight import Numbered, as_html, marked_texts
from decisions.search.similar import similar_decisions

# Ids the page uses itself, so a section called "Summary" cannot take one of them.
_RESERVED_IDS = frozenset(
    {"main", "citation", "cite-title", "contents-title", "remedies-title", "similar-title"}
    | {"source-title", "summary-title"}
)

ORGANISATION_NAME_UNKNOWN = "Unknown organisation"
PUBLISHER = "Local Government and Social Care Ombudsman"


@dataclass
class Section:
    heading: str
    anchor: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Highlights:
    """The decision's texts, with the search words marked when there is a search."""

    summary: str
    sections: list[Section]
    count: int = 0


def decision_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One decision in full; other spellings of its reference redirect to the canonical URL,
    keeping the query string (the search words to highlight)."""
    try:
        canonical = canonical_reference(reference)
    except ParseError:
        raise Http404("That is not an LGSCO case reference.") from None
    decision = (
        Decision.objects.select_related("organisation", "category__parent")
        .defer("body_text", "search_vector")
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

    query = request.GET.get("q", "").strip()
    texts = highlight(decision, query) if query else plain(decision)
    permalink = request.build_absolute_uri(decision.get_absolute_url())
    context = {
        "decision": decision,
        "summary": texts.summary,
        "sections": texts.sections,
        "query": query,
        "permalink": permalink,
        "citation": citation(decision, permalink),
        "similar": similar_decisions(decision),
    } | match_navigation(texts.count, request.GET.get("match", ""))
    return render(request, "decisions/decision_detail.html", context)


def section_anchors(sections: list[dict]) -> list[Section]:
    """Each section with a unique id from its heading's slug ("what-i-found", "key-facts-2")."""
    used = set(_RESERVED_IDS)
    result = []
    for section in sections:
        heading = section.get("heading") or "Decision statement"
        base = slugify(heading) or "section"
        anchor, number = base, 1
        while anchor in used or anchor.startswith("match-"):
            number += 1
            anchor = f"{base}-{number}"
        used.add(anchor)
        result.append(Section(heading, anchor, list(section.get("paragraphs") or [])))
    return result


def plain(decision: Decision) -> Highlights:
    return Highlights(decision.summary, section_anchors(decision.sections))


def highlight(decision: Decision, query: str) -> Highlights:
    """The summary and every paragraph with the words of `query` in <mark id="match-N">,
    numbered in reading order; all text escaped. One query, however long the decision."""
    sections = section_anchors(decision.sections)
    texts = [decision.summary] + [p for section in sections for p in section.paragraphs]
    numbered = Numbered()
    html = [as_html(text, numbered) for text in marked_texts(texts, query)]
    summary, paragraphs = html[0], iter(html[1:])
    for section in sections:
        section.paragraphs = [next(paragraphs) for _ in section.paragraphs]
    return Highlights(summary, sections, numbered.count)


def match_navigation(count: int, current: str) -> dict[str, int | None]:
    """Which match is current (from ?match=N, so next/previous work without JavaScript),
    and the previous and next ones, wrapping round at either end."""
    if count == 0:
        return {"match_count": 0, "match": None, "previous_match": None, "next_match": None}
    number = int(current) if current.isdigit() and 1 <= int(current) <= count else None
    return {
        "match_count": count,
        "match": number,
        "previous_match": count if number in (None, 1) else number - 1,
        "next_match": 1 if number in (None, count) else number + 1,
    }


def citation(decision: Decision, permalink: str) -> str:
    """ "Norfolk County Council (19 011 560), Local Government and Social Care Ombudsman,
    31 March 2020, https://host/decisions/19-011-560/" """
    organisation = decision.organisation.name if decision.organisation else None
    decided = (
        date_format(decision.decision_date, "j F Y")
        if decision.decision_date
        else "date not recorded"
    )
    name = organisation or ORGANISATION_NAME_UNKNOWN
    return f"{name} ({decision.reference}), {PUBLISHER}, {decided}, {permalink}"
