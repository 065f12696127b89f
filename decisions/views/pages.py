"""The site's own pages: about, help, the accessibility statement and the privacy notice.

Mostly prose, in their templates (templates/pages/); what they state about the archive
or the site's behaviour comes from where it is defined (the database, the settings, the
outcome families, the filters), so the page cannot drift from what the site does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import django_filters
from django.conf import settings
from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from decisions.filters import DecisionFilter
from decisions.harvesting.last_run import last_harvest
from decisions.models import Decision, ImportRun
from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.search.whole_archive import WholeArchive

# The accessibility statement's dates (GOV.UK's model statement asks for both): change
# the second whenever the statement is checked against the site again.
STATEMENT_PREPARED = datetime.date(2026, 12, 2)
STATEMENT_REVIEWED = datetime.date(2026, 12, 2)

# What each outcome family means, for a person who is not a caseworker. Keyed like
# OUTCOME_FAMILIES; tests/test_site_pages.py fails when a family has no explanation.
OUTCOME_EXPLANATIONS: dict[str, str] = {
    "upheld": "The Ombudsman investigated and found fault by the organisation: "
    "maladministration or service failure, usually with injustice to the person who "
    "complained. The statement says what the organisation agreed to do to put it right.",
    "not_upheld": "The Ombudsman investigated and found no fault by the organisation, "
    "or no fault that made a difference to the person who complained.",
    "closed_after_initial_enquiries": "The Ombudsman looked at the complaint but decided "
    "not to investigate it, for example because there was not enough sign of fault or "
    "injustice, the organisation had already offered a fair remedy, or another body was "
    "better placed to deal with it.",
    "discontinued": "The Ombudsman began investigating but stopped before reaching a "
    "finding, for example because the complaint was settled or could go no further.",
    "withdrawn": "The person who complained withdrew the complaint.",
    "premature": "The complaint reached the Ombudsman before the organisation had a fair "
    "chance to answer it through its own complaints procedure, so it was sent back "
    "to the organisation first.",
    "no_jurisdiction": "The law does not let the Ombudsman look at the complaint, for "
    "example because the person could appeal to a tribunal or go to court, or because "
    "the matter is one the Ombudsman cannot investigate.",
}

# What each filter of the list does, keyed by its name in DecisionFilter (and the URL).
# The search words ("q") have a section of their own. tests/test_site_pages.py fails
# when a filter has no entry; until then the page shows the filter's own hint.
FILTER_HELP: dict[str, str] = {
    "organisation": "Decisions about one council, care provider or other body. Type any "
    "part of its name: several organisations may match (Norfolk), and a small "
    "misspelling still finds the one you meant (Norfok).",
    "category": "Decisions in one of the Ombudsman's categories, such as Housing or "
    "Adult care services.",
    "subcategory": "Decisions in one part of a category, such as Homelessness within "
    "Housing. Choose the category first.",
    "outcome": "How the complaint ended (see the outcomes below).",
    "date_from": "Decisions made on or after this date.",
    "date_to": "Decisions made on or before this date.",
    "has_remedy": "Only decisions in which the organisation agreed to pay money to "
    "put things right.",
    "amount": "Only decisions whose payments add up to at least this many pounds.",
    "amount_max": "Only decisions with a payment, whose payments add up to at most this "
    "many pounds. With an amount at least, a range.",
    "remedy": "Decisions in which the organisation agreed to one kind of remedy: a "
    "payment, an apology, a service improvement (such as a change to a procedure), a "
    "reassessment, or training for its staff.",
    "at_source": "The Ombudsman removes statements from its website after about five "
    "years. Choose “No longer published” for the statements it has removed that this "
    "archive kept: its page answered “not found” or “gone”, or it dropped out of the "
    "Ombudsman's listings on two harvests in a row.",
    "purpose": "Decisions with a payment for one purpose, as the statement says it: "
    "distress, time and trouble, lost education, lost care or support, a lost "
    "opportunity, financial loss, costs incurred, a refund of a charge, a charge waived, "
    "or another stated purpose.",
    "legislation": "Decisions that cite an Act or Regulations, written as the decisions "
    "cite it: “Care Act 2014” or “Care Act 2014, section 42” (a citation such as "
    "“Care Act 2014 section 42” is read the same way). The most cited among the results are "
    "offered as links.",
}


@dataclass(frozen=True)
class Explained:
    name: str
    label: str
    explanation: str


def outcome_explanations() -> list[Explained]:
    return [
        Explained(key, label, OUTCOME_EXPLANATIONS.get(key, "")) for key, label in OUTCOME_FAMILIES
    ]


def filter_explanations() -> list[Explained]:
    """Every filter of the list, in the form's order, with its label as the page shows it."""
    return [
        Explained(name, str(filter_.label or name), FILTER_HELP.get(name) or own_hint(filter_))
        for name, filter_ in DecisionFilter.base_filters.items()
        if name != "q"
    ]


def own_hint(filter_: django_filters.Filter) -> str:
    """The filter's help text on the list page, for a filter FILTER_HELP does not know yet."""
    return str(filter_.extra.get("help_text") or "")


def help_page(request: HttpRequest) -> HttpResponse:
    context = {
        "outcomes": outcome_explanations(),
        "filters": filter_explanations(),
    }
    return render(request, "pages/help.html", context)


@dataclass(frozen=True)
class ArchiveFigures:
    published: int
    earliest: datetime.date | None
    latest: datetime.date | None


def archive_figures() -> ArchiveFigures:
    dates = Decision.objects.published().aggregate(
        earliest=Min("decision_date"), latest=Max("decision_date")
    )
    return ArchiveFigures(Decision.objects.published().count(), **dates)


def last_import() -> datetime.datetime | None:
    """When the last import that brought statements in finished: not a dry run, and not a
    re-parse of statements already held."""
    run = (
        ImportRun.objects.filter(status=ImportRun.Status.FINISHED, dry_run=False)
        .exclude(origin=ImportRun.Origin.REPARSE)
        .exclude(finished_at=None)
        .order_by("-finished_at")
        .first()
    )
    return run.finished_at if run else None


def about(request: HttpRequest) -> HttpResponse:
    context = {
        "last_harvest": last_harvest(),
        "figures": WholeArchive().cached("about-figures", archive_figures),
        "last_import": last_import(),
        "contact_email": settings.CONTACT_EMAIL,
    }
    return render(request, "pages/about.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    context = {
        "prepared": STATEMENT_PREPARED,
        "reviewed": STATEMENT_REVIEWED,
        "contact_email": settings.CONTACT_EMAIL,
    }
    return render(request, "pages/accessibility.html", context)


def privacy(request: HttpRequest) -> HttpResponse:
    context = {
        "contact_email": settings.CONTACT_EMAIL,
        "session_days": settings.SESSION_COOKIE_AGE // (24 * 60 * 60),
    }
    return render(request, "pages/privacy.html", context)
