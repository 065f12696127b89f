"""The Atom feed of any search: `/feed.atom?<the list page's parameters>`, newest first.

The same DecisionSearch as the page, always in newest-first order: a feed reader polls
page 1 for what is new (`search.after(None, FEED_ENTRIES)`); `?page=N` pages back
through the older entries, linked as an RFC 5005 paged feed (first, previous, next).

Each entry's id is the decision's permalink, which never changes. Its `updated` is the
decision's last change in the archive, and `archive:contentHash` the SHA-256 of what was
parsed from the source page: a re-user who stored both sees a decision change when
either does (`updated` also moves when staff correct or re-import it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from decisions.characters import without_xml_forbidden
from decisions.exports.licence import LICENCE
from decisions.models import Decision
from decisions.numbers import whole_number
from decisions.search.query import DecisionSearch

# The namespace of the archive's own elements in a feed (an identifier, not an address).
ARCHIVE_NS = "tag:lgsco-decisions-archive,2026:feed"
# A feed's pages go back this far: a number, not a cost (any page is one index read),
# kept so that a typo of many digits is a 404, not an empty page.
MAX_FEED_PAGE = 100_000


@dataclass(frozen=True)
class FeedPage:
    """One page of a search's feed, and what its links need."""

    search: DecisionSearch
    number: int
    decisions: list[Decision]
    has_next: bool
    params: QueryDict  # the search's parameters, without the page
    request: HttpRequest

    def url(self, name: str, page: int | None = None) -> str:
        params = self.params.copy()
        if page is not None and page > 1:
            params["page"] = str(page)
        query = params.urlencode()
        return self.request.build_absolute_uri(reverse(name) + (f"?{query}" if query else ""))


def feed_page(request: HttpRequest) -> FeedPage:
    """The page of the feed a request asks for; Http404 for a page that is not one."""
    number = whole_number(request.GET.get("page", "1"))
    if number is None or not 1 <= number <= MAX_FEED_PAGE:
        raise Http404("No such page of this feed.")
    params = request.GET.copy()
    params.pop("page", None)
    params["sort"] = "newest"  # a feed is newest first, whatever the page was sorted by
    search = DecisionSearch.from_params(params)
    if not search.valid:
        raise Http404("This search is not valid: " + "; ".join(search.errors.keys()))
    size = settings.FEED_ENTRIES
    if number == 1:
        decisions, cursor = search.after(None, size)
        more = cursor is not None
    else:
        start = (number - 1) * size
        found = search.window(start, size + 1)
        if not found:
            raise Http404("This feed has no page so far back.")
        decisions, more = found[:size], len(found) > size
    return FeedPage(search, number, decisions, more, params, request)


class SearchAtomFeed(Atom1Feed):
    """Atom with the paging links of RFC 5005 and each entry's content hash."""

    def write(self, outfile: Any, encoding: str) -> None:
        # Django refuses a whole feed for one control character (UnserializableContentError,
        # a 500): one typed into the search (?q=%01), or held by a decision imported
        # before the import removed them. Every text of the feed goes without them.
        self.feed = {name: xml_safe(value) for name, value in self.feed.items()}
        self.items = [{name: xml_safe(value) for name, value in i.items()} for i in self.items]
        super().write(outfile, encoding)

    def root_attributes(self) -> dict[str, str]:
        return {**super().root_attributes(), "xmlns:archive": ARCHIVE_NS}

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        for rel in ("first", "previous", "next"):
            if href := self.feed.get(f"{rel}_url"):
                handler.addQuickElement("link", "", {"rel": rel, "href": href})

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("archive:contentHash", item["content_hash"])


class SearchFeed(Feed):
    feed_type = SearchAtomFeed
    feed_copyright = LICENCE
    author_name = "LGSCO decisions archive"

    def get_object(self, request: HttpRequest) -> FeedPage:
        return feed_page(request)

    def title(self, page: FeedPage) -> str:
        search = page.search
        words = [f"{f.label}: {f.value}" for f in search.active_filters() if f.name != "q"]
        what = f"matching “{search.text}”" if search.text else ""
        described = ", ".join(filter(None, [what, *words]))
        suffix = f" (page {page.number})" if page.number > 1 else ""
        return f"LGSCO decisions {described or '(all)'}, newest first{suffix}"

    def subtitle(self, page: FeedPage) -> str:
        return "Decisions of the Local Government and Social Care Ombudsman, from an archive."

    def link(self, page: FeedPage) -> str:
        return page.url("decisions:list")

    def feed_url(self, page: FeedPage) -> str:
        return page.url("decisions:feed", page.number)

    def feed_guid(self, page: FeedPage) -> str:
        # One id for the search, whichever page: the pages are one logical feed.
        return page.url("decisions:feed")

    def feed_extra_kwargs(self, page: FeedPage) -> dict[str, str | None]:
        name = "decisions:feed"
        return {
            "first_url": page.url(name),
            "previous_url": page.url(name, page.number - 1) if page.number > 1 else None,
            "next_url": page.url(name, page.number + 1) if page.has_next else None,
        }

    def items(self, page: FeedPage) -> list[Decision]:
        return page.decisions

    def item_title(self, decision: Decision) -> str:
        return decision.title

    def item_description(self, decision: Decision) -> str:
        # Atom's summary is sent as HTML: the plain text, escaped.
        return escape(decision.summary)

    def item_pubdate(self, decision: Decision) -> datetime.datetime | None:
        if decision.decision_date is None:
            return None
        return datetime.datetime.combine(decision.decision_date, datetime.time(), datetime.UTC)

    def item_updateddate(self, decision: Decision) -> datetime.datetime:
        return decision.updated_at

    def item_categories(self, decision: Decision) -> list[str]:
        category = decision.category
        terms = [category.parent.name, category.name] if category and category.parent else []
        if decision.outcome:
            terms.append(decision.get_outcome_display())
        return terms

    def item_extra_kwargs(self, decision: Decision) -> dict[str, str]:
        return {"content_hash": decision.content_hash}


def xml_safe(value: Any) -> Any:
    """A feed's value (a text, a list of them, or a date, None...) as XML 1.0 can carry it."""
    if isinstance(value, str):
        return without_xml_forbidden(value)
    if isinstance(value, list | tuple):
        return [xml_safe(item) for item in value]
    return value


search_feed = SearchFeed()
