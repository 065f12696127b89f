"""Reading one page of the source's decision listings: the decisions it links to, the
next page, and whether it is a listing at all.

No listing HTML is kept in the fixtures and the site's markup may change, so nothing here
depends on its classes: a decision link is found by its path's shape
(`/decisions/<category>/<subcategory>/<yy-nnn-nnn>`), the next page by a link reading
"Next" (or rel="next"), and the number of results by the sentence the site prints
("Archive has 46 results", "Your search has 12 results"). A page with no decision link
must say it has no results; anything else is not what was expected (a changed site, an
error page served with 200, a search shell filled in by script) and stops the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from decisions.parsing.references import canonical_reference

DECISION_PATH_RE = re.compile(
    r"^/decisions/[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*/(\d{2}-\d{3}-\d{3})/?$", re.IGNORECASE
)
RESULT_COUNT_RE = re.compile(r"\bhas\s+(\d[\d,]*)\s+results?\b", re.IGNORECASE)
NO_RESULTS_RE = re.compile(
    r"\b(?:no (?:results|decisions|statements)(?: were)? found|"
    r"(?:your search|archive) (?:has|returned) no results)\b",
    re.IGNORECASE,
)
NEXT_RE = re.compile(r"^\W*next\b", re.IGNORECASE)


@dataclass(frozen=True)
class DecisionLink:
    url: str  # absolute, without query or fragment
    reference: str  # canonical: "24 012 973"


@dataclass(frozen=True)
class ListingPage:
    links: tuple[DecisionLink, ...]
    next_url: str | None
    result_count: int | None  # as the page states it, when it does

    @property
    def says_empty(self) -> bool:
        return self.result_count == 0


class NotAListing(Exception):
    """The page is not a listing of decisions: the message says what it looked like."""


# The source's own addresses: a mirror's listing may keep the links absolute to them.
SOURCE_HOSTS = frozenset({"lgo.org.uk", "www.lgo.org.uk"})


def decision_link(href: str, page_url: str) -> DecisionLink | None:
    """The decision an href points at, on the listing's own site (a link to the source's
    own site is taken on the listing's, so a mirror is walked as a mirror), or None."""
    url = urljoin(page_url, href.strip())
    parts, page = urlsplit(url), urlsplit(page_url)
    host = parts.netloc.lower()
    if host != page.netloc.lower() and host not in SOURCE_HOSTS:
        return None
    match = DECISION_PATH_RE.match(parts.path)
    if match is None:
        return None
    clean = urlunsplit((page.scheme, page.netloc, parts.path.rstrip("/"), "", ""))
    return DecisionLink(clean, canonical_reference(match.group(1)))


def read_listing(html: str, page_url: str) -> ListingPage:
    """The decision links, next page and stated count of one listing page.

    Raises NotAListing when the page has no decision link and does not say it has no
    results: an empty search shell (a count but no links) or some other page.
    """
    root = LexborHTMLParser(html)
    links: dict[str, DecisionLink] = {}
    next_url = None
    for anchor in root.css("a[href]"):
        href = anchor.attributes.get("href") or ""
        if (link := decision_link(href, page_url)) is not None:
            links.setdefault(link.reference, link)
        elif next_url is None and is_next_link(anchor.text(strip=True), anchor.attributes):
            target = urljoin(page_url, href)
            if urlsplit(target).netloc.lower() == urlsplit(page_url).netloc.lower():
                next_url = target
    text = root.body.text(separator=" ") if root.body is not None else ""
    count_match = RESULT_COUNT_RE.search(text)
    count = int(count_match.group(1).replace(",", "")) if count_match else None
    if count is None and NO_RESULTS_RE.search(text):
        count = 0
    if not links:
        if count == 0:
            return ListingPage((), None, 0)
        title = root.css_first("title")
        seen = (title.text(strip=True) if title is not None else "") or text.strip()[:80]
        if count:
            raise NotAListing(
                f"the page says it has {count} results but links to no decision "
                "(a search shell filled in by script?)"
            )
        raise NotAListing(f"no decision links and no count of results (page: {seen!r})")
    return ListingPage(tuple(links.values()), next_url, count)


def is_next_link(text: str, attributes: dict[str, str | None]) -> bool:
    rel = (attributes.get("rel") or "").lower().split()
    label = attributes.get("aria-label") or ""
    return "next" in rel or bool(NEXT_RE.match(text)) or bool(NEXT_RE.match(label))
