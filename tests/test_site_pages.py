"""The site's own pages: the navigation and footer, organisations A–Z, the categories,
help, about, the accessibility statement, privacy, and the 404 page's suggestions.

The counts come from the bundled sample decisions (real pages, imported through the real
pipeline) and are compared with the database's, never written in by hand.
"""

from __future__ import annotations

import datetime
import html as html_module
import io
import json
import logging
import re

import pytest
from django.db import connection
from django.db.models import Count, Max, Min, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.logs import JsonLinesFormatter
from decisions.filters import DecisionFilter
from decisions.models import Category, Decision, ImportRun, Organisation
from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.views.pages import FILTER_HELP, OUTCOME_EXPLANATIONS
from tests.support.helpers import get_html, make_decision, results_heading

PUBLISHED = Q(decisions__withdrawn_at__isnull=True)
NORFOLK = "norfolk-county-council"


def text_of(fragment: str) -> str:
    """What a person reads in an HTML fragment: tags gone, entities decoded, one space."""
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def organisation_rows(html: str) -> dict[str, tuple[str, int, str]]:
    """{slug: (name, count, count link)} from the organisations page."""
    rows = re.findall(
        r'<a href="/organisations/([^/"]+)/">([^<]+)</a>\s*'
        r'<a class="count-list__count" href="([^"]+)">(\d+) decisions?<',
        html,
    )
    return {
        slug: (html_module.unescape(name), int(count), html_module.unescape(link))
        for slug, name, link, count in rows
    }


def published_counts() -> dict[str, int]:
    """{organisation slug: published decisions}, for those with any."""
    rows = Organisation.objects.annotate(n=Count("decisions", filter=PUBLISHED)).filter(n__gt=0)
    return dict(rows.values_list("slug", "n"))


def withdraw(decision: Decision) -> None:
    decision.withdrawn_at = timezone.now()
    decision.withdrawal_reason = "Published in error."
    decision.save()


def nav(html: str, label: str) -> str:
    return re.search(rf'<nav [^>]*aria-label="{label}">(.*?)</nav>', html, re.S).group(1)


# --- header navigation and footer ----------------------------------------------------------


def test_the_header_links_every_section_and_marks_the_current_page(client, sample_decisions):
    header = nav(get_html(client, "/about/"), "Main")
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', header)
    assert [(href, name) for href, _, name in links] == [
        ("/", "Decisions"),
        ("/organisations/", "Organisations"),
        ("/categories/", "Categories"),
        ("/statistics/", "Statistics"),
        ("/about/", "About"),
        ("/help/", "Help"),
    ]
    assert [name for _, current, name in links if current] == ["About"]


@pytest.mark.parametrize(
    ("path", "current", "kind"),
    [
        ("/", "Decisions", "page"),
        ("/?q=council", "Decisions", "page"),
        ("/decisions/19-011-560/", "Decisions", "true"),
        ("/organisations/", "Organisations", "page"),
        (f"/organisations/{NORFOLK}/", "Organisations", "true"),
        ("/categories/", "Categories", "page"),
        ("/statistics/", "Statistics", "page"),
        ("/statistics/?outcome=upheld", "Statistics", "page"),
        ("/help/", "Help", "page"),
    ],
)
def test_the_current_section_is_marked_on_its_pages(client, sample_decisions, path, current, kind):
    header = nav(get_html(client, path), "Main")
    marked = re.findall(r'aria-current="(\w+)">([^<]+)</a>', header)
    assert marked == [(kind, current)]


def test_the_header_links_the_statistics_between_categories_and_about(client, sample_decisions):
    header = nav(get_html(client, "/"), "Main")
    assert header.index("Categories") < header.index("Statistics") < header.index("About")


@pytest.mark.parametrize(
    "path", ["/", "/organisations/", "/categories/", "/help/", "/privacy/", "/no-such-page/"]
)
def test_every_page_has_the_footer_links(client, sample_decisions, path):
    response = client.get(path)
    footer = nav(response.content.decode(), "About this site")
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer) == [
        ("/about/", "About"),
        ("/help/", "Help"),
        ("/accessibility/", "Accessibility"),
        ("/privacy/", "Privacy"),
        ("/api/v1/docs/", "API"),
    ]


# --- organisations -------------------------------------------------------------------------


def test_every_organisation_is_listed_a_to_z_with_its_published_count(client, sample_decisions):
    rows = organisation_rows(get_html(client, "/organisations/"))
    assert {slug: count for slug, (_, count, _) in rows.items()} == published_counts()
    names = [name for name, _, _ in rows.values()]
    assert names == sorted(names, key=str.lower)
    assert rows[NORFOLK][0] == "Norfolk County Council"


def test_each_count_links_to_the_list_filtered_by_that_organisation(client, sample_decisions):
    name, count, link = organisation_rows(get_html(client, "/organisations/"))[NORFOLK]
    assert link == f"/?organisation={NORFOLK}"
    expected = Decision.objects.published().filter(organisation__slug=NORFOLK).count()
    assert count == expected >= 2
    assert results_heading(get_html(client, link)) == f"{expected} decisions"


def test_the_page_says_how_many_organisations_it_lists(client, sample_decisions):
    html = get_html(client, "/organisations/")
    heading = re.search(r'<h2 class="organisation-count"[^>]*>(.*?)</h2>', html).group(1)
    assert heading == f"{len(published_counts())} organisations"


def test_the_letters_jump_to_their_groups_and_only_letters_with_names_are_links(
    client, sample_decisions
):
    html = get_html(client, "/organisations/")
    letters = nav(html, "Organisations by first letter")
    linked = re.findall(r'<a href="#letter-([a-z]+)">', letters)
    initials = {name[0].lower() for name in Organisation.objects.values_list("name", flat=True)}
    assert set(linked) == initials
    for letter in linked:
        assert f'<h3 id="letter-{letter}"' in html
    # A letter no organisation starts with is shown, but is not a link.
    missing = next(letter for letter in "qxzy" if letter not in initials)
    assert f'{missing.upper()}<span class="visually-hidden"> (none)</span>' in letters


def test_filtering_by_part_of_a_name_shows_only_the_organisations_containing_it(
    client, sample_decisions
):
    html = get_html(client, "/organisations/?name=norf")
    rows = organisation_rows(html)
    expected = published_counts()
    containing = {
        org.slug
        for org in Organisation.objects.filter(name__icontains="norf")
        if org.slug in expected
    }
    assert set(rows) == containing and NORFOLK in rows
    assert {slug: count for slug, (_, count, _) in rows.items()} == {
        slug: expected[slug] for slug in containing
    }
    assert 'value="norf"' in html
    assert f"{len(rows)} organisation" in html and "matching “norf”" in html


def test_a_small_misspelling_still_finds_the_organisation(client, sample_decisions):
    html = get_html(client, "/organisations/?name=Norfok")
    assert NORFOLK in organisation_rows(html)
    assert "No organisation’s name contains “Norfok”" in html
    assert "close to it" in html


def test_a_name_that_matches_nothing_says_so_and_lists_nothing(client, sample_decisions):
    html = get_html(client, "/organisations/?name=xylophone")
    assert organisation_rows(html) == {}
    assert "No organisation’s name contains “xylophone”" in html
    assert 'href="/organisations/">Show every organisation' in html


def test_a_withdrawn_decision_is_not_counted(client, sample_decisions):
    before = organisation_rows(get_html(client, "/organisations/"))[NORFOLK][1]
    withdraw(Decision.objects.filter(organisation__slug=NORFOLK).first())
    assert organisation_rows(get_html(client, "/organisations/"))[NORFOLK][1] == before - 1
    assert (
        organisation_rows(get_html(client, "/organisations/?name=norfolk"))[NORFOLK][1]
        == before - 1
    )


def test_an_organisation_whose_only_decisions_are_withdrawn_is_not_listed(client, db):
    hidden = Organisation.objects.create(name="Withdrawn Borough Council", slug="withdrawn-bc")
    shown = Organisation.objects.create(name="Shown District Council", slug="shown-dc")
    withdraw(make_decision("20 000 001", organisation=hidden))
    make_decision("20 000 002", organisation=shown)
    assert set(organisation_rows(get_html(client, "/organisations/"))) == {"shown-dc"}
    assert organisation_rows(get_html(client, "/organisations/?name=council")).keys() == {
        "shown-dc"
    }


def test_a_thousand_organisations_are_counted_in_one_query(client, db):
    Organisation.objects.bulk_create(
        Organisation(name=f"Council number {n:04}", slug=f"council-{n:04}") for n in range(1000)
    )
    organisations = list(Organisation.objects.all())
    Decision.objects.bulk_create(
        Decision(
            reference=f"21 {n // 1000:03} {n % 1000:03}",
            organisation=organisations[n % 1000],
            source="crafted",
            content_hash=str(n),
        )
        for n in range(2000)
    )
    with CaptureQueriesContext(connection) as queries:
        rows = organisation_rows(get_html(client, "/organisations/"))
    assert len(rows) == 1000 and set(count for _, count, _ in rows.values()) == {2}
    counting = [q["sql"] for q in queries if "decisions_organisation" in q["sql"]]
    assert len(counting) == 1 and "COUNT(" in counting[0]
    assert len(queries) <= 2  # the archive's generation, then the counts


# --- categories ----------------------------------------------------------------------------


def category_rows(html: str) -> dict[tuple[str, str], tuple[str, int]]:
    """{(category slug, subcategory slug): (subcategory name, count)}."""
    rows = re.findall(
        r'<a href="/\?category=([^&"]+)&amp;subcategory=([^"]+)">([^<]+)</a>\s*'
        r'<span class="count-list__count">(\d+) decisions?</span>',
        html,
    )
    return {(c, s): (html_module.unescape(name), int(n)) for c, s, name, n in rows}


def category_totals(html: str) -> dict[str, int]:
    return {
        slug: int(count)
        for slug, count in re.findall(r'<a href="/\?category=([^&"]+)">All (\d+) decisions?', html)
    }


def test_every_subcategory_is_shown_under_its_category_with_its_published_count(
    client, sample_decisions
):
    html = get_html(client, "/categories/")
    subcategories = (
        Category.objects.filter(parent__isnull=False)
        .annotate(n=Count("decisions", filter=PUBLISHED))
        .filter(n__gt=0)
    )
    assert category_rows(html) == {
        (sub.parent.slug, sub.slug): (sub.name, sub.n) for sub in subcategories
    }
    per_category = (
        Decision.objects.published()
        .order_by()
        .values("category__parent__slug")
        .annotate(n=Count("id"))
    )
    assert category_totals(html) == {
        row["category__parent__slug"]: row["n"]
        for row in per_category
        if row["category__parent__slug"]
    }


def test_the_category_links_give_the_lists_with_the_same_counts(client, sample_decisions):
    html = get_html(client, "/categories/")
    (category, subcategory), (_, count) = next(iter(category_rows(html).items()))
    listed = get_html(client, f"/?category={category}&subcategory={subcategory}")
    assert results_heading(listed) == f"{count} decision{'s' if count != 1 else ''}"
    total = category_totals(html)["housing"]
    assert results_heading(get_html(client, "/?category=housing")) == f"{total} decisions"


def test_a_withdrawn_decision_is_not_counted_in_its_category(client, sample_decisions):
    decision = Decision.objects.filter(category__parent__slug="housing").first()
    key = (decision.category.parent.slug, decision.category.slug)
    before = get_html(client, "/categories/")
    withdraw(decision)
    after = get_html(client, "/categories/")
    assert category_totals(after)["housing"] == category_totals(before)["housing"] - 1
    assert category_rows(after).get(key, ("", 0))[1] == category_rows(before)[key][1] - 1


# --- help ----------------------------------------------------------------------------------


def test_every_outcome_family_has_a_plain_explanation_on_the_help_page(client, db):
    assert set(OUTCOME_EXPLANATIONS) == {key for key, _ in OUTCOME_FAMILIES}
    shown = text_of(get_html(client, "/help/"))
    for key, label in OUTCOME_FAMILIES:
        assert f"{label} {OUTCOME_EXPLANATIONS[key]}" in shown


def test_every_filter_of_the_list_is_explained_on_the_help_page(client, db):
    filters = {name: f for name, f in DecisionFilter.base_filters.items() if name != "q"}
    missing = set(filters) - set(FILTER_HELP)
    assert not missing, f"add these filters to decisions.views.pages.FILTER_HELP: {missing}"
    shown = text_of(get_html(client, "/help/"))
    for name, filter_ in filters.items():
        assert f"{filter_.label} {text_of(FILTER_HELP[name])}" in shown


def test_the_help_page_explains_the_search_syntax(client, db):
    shown = text_of(get_html(client, "/help/"))
    for example in ('"special guardianship"', "bailiff OR enforcement", "parking -permit"):
        assert example in shown
    assert "19 011 560" in shown and "19011560" in shown
    assert "Norfolk" in shown or "organisation’s name" in shown


def test_the_help_page_says_counts_are_exact_and_relevance_ranks_every_match(client, db):
    shown = text_of(get_html(client, "/help/"))
    assert "The number of decisions a search finds is exact" in shown
    assert "Most relevant first ranks every matching decision" in shown
    assert "estimated" not in shown and "“about”" not in shown


# --- about ---------------------------------------------------------------------------------


def test_the_about_page_states_what_the_archive_holds(client, sample_decisions):
    withdraw(Decision.objects.order_by("decision_date").first())  # the oldest, not counted
    published = Decision.objects.published()
    dates = published.aggregate(earliest=Min("decision_date"), latest=Max("decision_date"))
    shown = text_of(get_html(client, "/about/"))
    assert f"{published.count()} decision statements" in shown
    assert f"{dates['earliest']:%-d %B %Y} and {dates['latest']:%-d %B %Y}" in shown
    finished = timezone.localtime(ImportRun.objects.get().finished_at)
    assert f"Last updated {finished:%-d %B %Y}" in shown


def test_the_about_page_says_where_statements_come_from_and_who_owns_them(client, db):
    shown = text_of(get_html(client, "/about/"))
    assert "The archive holds no decisions yet." in shown
    assert "© Local Government and Social Care Ombudsman" in shown
    assert "lgo.org.uk/decisions" in shown
    assert "This archive is independent" in shown
    assert "after about five years" in shown


def test_a_dry_run_or_a_reparse_is_not_the_last_import(client, sample_decisions):
    real = ImportRun.objects.get()
    later = real.finished_at + datetime.timedelta(days=40)
    for origin, dry_run in ((ImportRun.Origin.COMMAND, True), (ImportRun.Origin.REPARSE, False)):
        ImportRun.objects.create(
            origin=origin, dry_run=dry_run, status=ImportRun.Status.FINISHED, finished_at=later
        )
    shown = text_of(get_html(client, "/about/"))
    assert f"Last updated {timezone.localtime(real.finished_at):%-d %B %Y}" in shown


# --- accessibility and privacy -------------------------------------------------------------


def test_the_accessibility_statement_follows_the_gov_uk_model(client, db):
    shown = text_of(get_html(client, "/accessibility/"))
    for heading in (
        "How accessible this website is",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "Preparation of this accessibility statement",
    ):
        assert heading in shown
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2" in shown
    assert "Equality Advisory and Support Service (EASS)" in shown
    assert "Equality and Human Rights Commission (EHRC)" in shown
    assert "axe-core" in shown and "390 by 844" in shown


def test_the_contact_address_is_given_when_it_is_set(client, db, settings):
    assert "mailto:" not in get_html(client, "/accessibility/")
    settings.CONTACT_EMAIL = "archive@example.org"
    for path in ("/accessibility/", "/privacy/", "/about/"):
        assert 'href="mailto:archive@example.org"' in get_html(client, path)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=care",
        "/decisions/19-011-560/",
        "/organisations/",
        "/categories/",
        "/about/",
        "/help/",
        "/accessibility/",
        "/privacy/",
        "/decisions/19-011-561/",
    ],
)
def test_the_public_pages_set_no_cookies_as_the_privacy_page_says(client, sample_decisions, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert not response.cookies and "Set-Cookie" not in response.headers
    assert "The public pages set no cookies." in get_html(client, "/privacy/")


def test_the_request_log_holds_neither_the_address_nor_the_search_words(client, db):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    logging.getLogger().addHandler(handler)
    try:
        client.get(
            "/", {"q": "confidential words"}, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Probe/1"
        )
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [request_line] = [line for line in lines if line["logger"] == "archive.requests"]
    assert request_line["path"] == "/"
    logged = stream.getvalue()
    for private in ("203.0.113.9", "confidential", "Probe/1"):
        assert private not in logged
    shown = text_of(get_html(client, "/privacy/"))
    assert "The log does not hold your IP address, your browser or device" in shown


# --- the 404 page --------------------------------------------------------------------------


def suggested(html: str) -> list[str]:
    section = re.search(r'<section class="suggestions".*?</section>', html, re.S)
    return re.findall(r'href="/decisions/([^/]+)/"', section.group(0)) if section else []


def not_found(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 404
    return response.content.decode()


def test_a_reference_with_a_wrong_last_digit_suggests_the_decision_meant(client, sample_decisions):
    html = not_found(client, "/decisions/19-011-561/")
    assert suggested(html)[0] == "19-011-560"
    assert "Did you mean" in html
    assert "This archive has no decision with the reference" in text_of(html)
    assert "Norfolk County Council" in text_of(html)


def test_a_bare_reference_at_the_root_leads_to_its_decision(client, sample_decisions):
    html = not_found(client, "/19011560")
    assert suggested(html)[0] == "19-011-560"
    assert "but the archive has the decision with the reference 19 011 560" in text_of(html)
    assert suggested(not_found(client, "/decision/19%20011%20560"))[0] == "19-011-560"


@pytest.mark.parametrize(
    "typed",
    [
        "40-723-456",  # one digit changed
        "40-213-456",  # two digits swapped
        "40-123-45",  # one missing
        "40-1233-456",  # one too many
    ],
)
def test_the_same_digits_with_one_typo_come_first_before_the_nearest(client, db, typed):
    # The numerically nearest of the same year are these, never the one meant.
    for reference in ("40 123 456", "40 200 000", "40 700 000", "40 800 000"):
        make_decision(reference)
    assert suggested(not_found(client, f"/decisions/{typed}/"))[0] == "40-123-456"


def test_the_typos_of_a_sample_reference_suggest_it(client, sample_decisions):
    for typed in ("19-011-506", "19-011-56", "19-0111-560"):
        assert "19-011-560" in suggested(not_found(client, f"/decisions/{typed}/")), typed


def test_the_nearest_references_of_the_same_year_are_suggested(client, db):
    for reference in ("30 000 123", "30 999 999", "29 600 000", "31 000 124"):
        make_decision(reference)
    assert suggested(not_found(client, "/decisions/30-500-000/")) == ["30-000-123", "30-999-999"]
    # Nearest first: 30 400 000 is closer to 30 000 123 than to 30 999 999.
    assert suggested(not_found(client, "/decisions/30-400-000/"))[0] == "30-000-123"


def test_a_withdrawn_decision_is_never_suggested(client, sample_decisions):
    withdraw(Decision.objects.get(reference="19 011 560"))
    assert "19-011-560" not in suggested(not_found(client, "/decisions/19-011-561/"))


def test_a_reference_with_no_near_decision_offers_the_search_with_it_filled_in(client, db):
    html = not_found(client, "/decisions/45-123-456/")
    assert suggested(html) == []
    assert re.search(r'<form class="not-found-search" method="get" action="/"', html)
    assert 'name="q" value="45 123 456"' in html


def test_an_address_with_no_reference_offers_the_empty_search_box(client, sample_decisions):
    html = not_found(client, "/no-such-page/")
    assert suggested(html) == []
    assert "There is no page at this address." in text_of(html)
    assert 'id="not-found-q" name="q" value=""' in html


def test_no_section_is_marked_current_on_the_404_page(client, sample_decisions):
    html = not_found(client, "/decisions/19-011-561/")
    assert "aria-current" not in nav(html, "Main")


# --- issue 27: what a person sees when something is missing -------------------------------


@pytest.mark.parametrize("path", ["/decisions/19-011-561/", "/19011561", "/no-such-page/"])
def test_under_debug_an_unknown_address_shows_the_archives_own_404_page(
    client, sample_decisions, settings, path
):
    settings.DEBUG = True  # as `make run` serves
    html = not_found(client, path)
    assert "Using the URLconf" not in html and "technical" not in html
    assert 'class="not-found-search"' in html
    if path != "/no-such-page/":
        assert suggested(html)[0] == "19-011-560"


def test_under_debug_a_views_own_404_is_the_archives_page_too(client, sample_decisions, settings):
    settings.DEBUG = True
    html = not_found(client, "/organisations/no-such-council/")
    assert "Raised by:" not in html
    assert 'class="not-found-search"' in html


def test_under_debug_the_apis_json_404_is_left_alone(client, sample_decisions, settings):
    settings.DEBUG = True
    response = client.get("/api/v1/decisions/19-011-561/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/")
    assert "json" in response["Content-Type"]


@pytest.mark.parametrize("path", ["/about/", "/accessibility/", "/privacy/"])
def test_without_a_contact_address_the_pages_say_it_must_be_set(client, db, settings, path):
    settings.CONTACT_EMAIL = ""
    shown = text_of(get_html(client, path))
    assert "[no contact address yet: whoever runs this website must set CONTACT_EMAIL]" in shown
    assert "mailto:" not in get_html(client, path)


def test_with_debug_off_a_missing_contact_address_is_a_start_up_warning(settings):
    from django.core.checks import run_checks

    def warnings() -> list[str]:
        return [message.id for message in run_checks() if message.id == "decisions.W001"]

    settings.DEBUG, settings.CONTACT_EMAIL = False, ""
    assert warnings() == ["decisions.W001"]
    settings.CONTACT_EMAIL = "archive@example.org"
    assert warnings() == []
    settings.DEBUG, settings.CONTACT_EMAIL = True, ""
    assert warnings() == []


def test_the_web_application_logs_the_contact_warning_when_it_starts(settings, caplog):
    from decisions.checks import log_warnings_at_start

    settings.DEBUG, settings.CONTACT_EMAIL = False, ""
    with caplog.at_level(logging.WARNING, logger="archive.checks"):
        found = log_warnings_at_start()
    assert [message.id for message in found] == ["decisions.W001"]
    assert "CONTACT_EMAIL is not set" in caplog.text


def test_the_about_page_says_the_archive_has_not_checked_the_ombudsman_when_it_has_not(
    client, sample_decisions
):
    shown = text_of(get_html(client, "/about/"))
    assert "every day" not in shown
    assert "has not checked yet" in shown
    assert "has not yet checked the Ombudsman’s website by itself" in shown


def test_the_about_page_says_when_the_archive_last_checked_the_ombudsman(client, sample_decisions):
    from decisions.models import HarvestRun

    finished = timezone.make_aware(datetime.datetime(2026, 11, 30, 6, 0))
    HarvestRun.objects.create(
        base_url="https://www.lgo.org.uk/decisions",
        status=HarvestRun.Status.FINISHED,
        finished_at=finished,
    )
    shown = text_of(get_html(client, "/about/"))
    assert (
        "It checks the Ombudsman’s website for new and changed statements (last on 30 November 2026"
    ) in shown
    assert "has not checked yet" not in shown and "every day" not in shown


def test_help_names_the_search_button_as_the_page_labels_it(client, sample_decisions):
    assert '<button type="submit">Search</button>' in get_html(client, "/")
    shown = text_of(get_html(client, "/help/"))
    assert "Type words in the search box and choose Search ." in shown
    assert "Show decisions" not in shown


def test_help_explains_the_incomplete_copy_badge(client, db):
    html = get_html(client, "/help/")
    assert '<li><a href="#incomplete">Incomplete copies</a></li>' in html
    section = html.split('<h2 id="incomplete">')[1]
    assert "Incomplete copy" in section
    assert "stops before the end of the statement" in text_of(section)
