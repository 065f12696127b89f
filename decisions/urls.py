from django.urls import path

from decisions.exports import views as exports
from decisions.exports.feeds import search_feed
from decisions.views import (
    browse,
    cite_files,
    detail,
    health,
    listing,
    organisations,
    pages,
    statistics,
)

app_name = "decisions"

urlpatterns = [
    path("", listing.decision_list, name="list"),
    # Any list page's search, as a file or a feed: the same parameters as the page.
    path("download.csv", exports.download_csv, name="download_csv"),
    path("download.jsonl", exports.download_jsonl, name="download_jsonl"),
    path("feed.atom", search_feed, name="feed"),
    # Any spelling of a reference is accepted here; the view redirects to "19-011-560".
    path("decisions/<str:reference>/", detail.decision_detail, name="detail"),
    # Its citation for a reference manager (RIS: Zotero, EndNote, Mendeley; BibTeX).
    path("decisions/<str:reference>/cite.ris", cite_files.citation_ris, name="cite_ris"),
    path("decisions/<str:reference>/cite.bib", cite_files.citation_bibtex, name="cite_bibtex"),
    path("organisations/", browse.organisation_index, name="organisations"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation"),
    path("categories/", browse.category_index, name="categories"),
    # Statistics of any list page's search: the same parameters as the page.
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/download.csv", statistics.statistics_csv, name="statistics_csv"),
    # For a load balancer (README, "Operations"): whether this process can serve.
    path("readyz", health.readyz, name="readyz"),
    path("about/", pages.about, name="about"),
    path("help/", pages.help_page, name="help"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
]
