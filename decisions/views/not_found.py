"""The 404 page (handler404): the search box, and for an address that looks like a case
reference (`/decisions/19-011-561/`, `/19011560`), the decisions it most likely meant.

The suggestion is worked out here from the path, so the detail view only has to raise
Http404. Two kinds of near miss are looked for, each in a few index probes however big
the archive: the same digits with one typo (a digit changed, dropped, added, or two
swapped), and the published references of the same year on either side of it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.template import loader

from decisions.models import Decision

logger = logging.getLogger(__name__)

REFERENCE_DIGITS = 8  # "19 011 560": a two-digit year, then six digits
# A run of digits with single separators between them, and perhaps a joint-decision
# letter: "19-011-561", "19011560", "17 002 402b" (as the path decodes it).
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])(\d(?:[ \-_.]?\d)*)([A-Za-z]?)(?![0-9A-Za-z])")
# Joint decisions carry a letter ("17 002 402b"): tried for the digits as typed.
SUFFIXES = "abcd"
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class TypedReference:
    """The reference a path seems to hold: its digits (7 to 9 of them) and letter."""

    digits: str
    suffix: str

    @property
    def shown(self) -> str:
        """As a person would type it again: "19 011 561" when it has eight digits."""
        if len(self.digits) == REFERENCE_DIGITS:
            return as_reference(self.digits) + self.suffix
        return self.digits + self.suffix


def typed_reference(path: str) -> TypedReference | None:
    """The last run of 7 to 9 digits in `path`, or None when it holds none."""
    runs = [
        TypedReference(re.sub(r"\D", "", digits), suffix.lower())
        for digits, suffix in _DIGIT_RUN.findall(unquote(path))
    ]
    runs = [run for run in runs if REFERENCE_DIGITS - 1 <= len(run.digits) <= REFERENCE_DIGITS + 1]
    return runs[-1] if runs else None


def as_reference(digits: str) -> str:
    """ "19011560" -> "19 011 560", the stored form."""
    return f"{digits[:2]} {digits[2:5]} {digits[5:8]}"


def one_typo_away(digits: str) -> set[str]:
    """Every eight-digit string `digits` could be with one typo undone."""
    places = range(len(digits) + 1)
    if len(digits) == REFERENCE_DIGITS + 1:  # one digit too many
        return {digits[:i] + digits[i + 1 :] for i in range(len(digits))}
    if len(digits) == REFERENCE_DIGITS - 1:  # one digit missing
        return {digits[:i] + d + digits[i:] for i in places for d in "0123456789"}
    changed = {digits[:i] + d + digits[i + 1 :] for i in range(len(digits)) for d in "0123456789"}
    swapped = {
        digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :] for i in range(len(digits) - 1)
    }
    return changed | swapped  # `digits` itself is among the changed


def distance(reference: str, digits: str) -> int:
    """How far apart two references of the same length are as numbers."""
    return abs(int(re.sub(r"\D", "", reference)[:REFERENCE_DIGITS]) - int(digits))


def typo_matches(typed: TypedReference) -> list[Decision]:
    candidates = {as_reference(digits) for digits in one_typo_away(typed.digits)}
    wanted = Q(reference__in=candidates)
    if len(typed.digits) == REFERENCE_DIGITS:
        exact = as_reference(typed.digits)
        wanted |= Q(reference__in=[exact + letter for letter in SUFFIXES])
    return list(Decision.objects.published().for_listing().filter(wanted))


def neighbours(typed: TypedReference) -> list[Decision]:
    """The published references of the same year just below and just above the typed one.

    Both bounds are on the reference itself, so each is one walk of its unique index
    (fixed-width references sort as their numbers do), stopping at the first row.
    """
    if len(typed.digits) != REFERENCE_DIGITS:
        return []
    year, target = typed.digits[:2], as_reference(typed.digits)
    same_year = (
        Decision.objects.published()
        .for_listing()
        .filter(reference__gte=f"{year} 000 000", reference__lte=f"{year} 999 999z")
    )
    below = same_year.filter(reference__lt=target).order_by("-reference").first()
    above = same_year.filter(reference__gte=target).order_by("reference").first()
    return [decision for decision in (below, above) if decision is not None]


def suggestions(typed: TypedReference) -> list[Decision]:
    """The typo matches first, then the nearest of the same year; nearest first in each."""

    def nearest(decisions: list[Decision]) -> list[Decision]:
        if len(typed.digits) != REFERENCE_DIGITS:
            return sorted(decisions, key=lambda decision: decision.reference)
        return sorted(decisions, key=lambda d: (distance(d.reference, typed.digits), d.reference))

    found: dict[str, Decision] = {}
    for decision in nearest(typo_matches(typed)) + nearest(neighbours(typed)):
        found.setdefault(decision.reference, decision)
    return list(found.values())[:MAX_SUGGESTIONS]


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponseNotFound:
    typed = typed_reference(request.path)
    found: list[Decision] = []
    if typed is not None:
        try:
            found = suggestions(typed)
        except DatabaseError:
            # The page is still a 404, and still offers the search: a suggestion is a help.
            logger.warning("No reference suggestion: the database did not answer", exc_info=True)
    # A decision the path names exactly but does not reach ("/19011560") comes first.
    exact = next((d for d in found if typed and d.reference == typed.shown), None)
    context = {
        "typed_reference": typed,
        "suggestions": found,
        "exact": exact,
        "nav_current": "none",
    }
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))


class ArchiveNotFoundMiddleware:
    """Under DEBUG, the archive's own 404 page instead of Django's technical one.

    With DEBUG on (`make run`), Django answers every 404 with its yellow debug page, so the
    archive's page (decisions.views.not_found: the decisions a mistyped reference most
    likely meant, and the search box) was never seen while developing it. This middleware
    serves the archive's page for the 404s Django itself makes, as production's handler404
    does: no URL matched, or a view raised Http404. A 404 a view returns itself (the API's
    JSON error) is left alone. With DEBUG off it does nothing: handler404 is used.
    https://docs.djangoproject.com/en/5.2/ref/views/#the-404-page-not-found-view
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No URL matched: Django's resolver raised Resolver404 before any view ran, and
        # its handler turned it into the technical page.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's Http404 (an unknown organisation, a withdrawn file)."""
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
