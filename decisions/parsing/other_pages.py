"""Pages that are not LGSCO decision statements: category listings, other ombudsmen's reports.

They raise NotADecision with a message saying what the page is, so an import can report
them and move on.
"""

import re
from urllib.parse import SplitResult

from decisions.parsing.errors import NotADecision

_LISTING_RE = re.compile(
    r"recent statements in this category are shown below|^archive has \d+ results?$", re.I | re.M
)
_LISTING_ITEM_RE = re.compile(r"^statement\s.+\s\d{1,2}-[a-z]{3}-\d{4}$", re.I | re.M)
_OTHER_HOSTS = (
    ("housing-ombudsman.org.uk", "Housing Ombudsman"),
    ("spso.org.uk", "Scottish Public Services Ombudsman"),
    ("ombudsman.wales", "Public Services Ombudsman for Wales"),
    ("ombudsman-wales.org.uk", "Public Services Ombudsman for Wales"),
    ("nipso.org.uk", "Northern Ireland Public Services Ombudsman"),
    ("ombudsman.org.uk", "Parliamentary and Health Service Ombudsman"),
    ("financial-ombudsman.org.uk", "Financial Ombudsman Service"),
)
# Markers no LGSCO statement carries, wherever they stand.
_STRONG_MARKERS = (
    (re.compile(r"^COMPLAINT\s+\d{6,}$", re.M), "Housing Ombudsman"),
    (re.compile(r"^Case ref:", re.M | re.I), "Scottish Public Services Ombudsman"),
)
# Names that an LGSCO statement may mention in passing: only decisive without an LGSCO header.
_WEAK_MARKERS = (
    (re.compile(r"Housing Ombudsman[’']s approach|Housing Ombudsman Scheme"), "Housing Ombudsman"),
    (
        re.compile(r"Scottish Public Services Ombudsman|\bSPSO\b"),
        "Scottish Public Services Ombudsman",
    ),
    (
        re.compile(r"Public Services Ombudsman for Wales|Ombwdsmon|\bPSOW\b"),
        "Public Services Ombudsman for Wales",
    ),
    (
        re.compile(r"Northern Ireland Public Services Ombudsman|\bNIPSO\b"),
        "Northern Ireland Public Services Ombudsman",
    ),
    (
        re.compile(r"Parliamentary and Health Service Ombudsman|\bPHSO\b"),
        "Parliamentary and Health Service Ombudsman",
    ),
    (re.compile(r"Housing Ombudsman"), "Housing Ombudsman"),
    (re.compile(r"\(\d{9,}\)"), "Housing Ombudsman"),
)


def reject_other_hosts(url: SplitResult | None) -> None:
    """A page fetched from another ombudsman's site."""
    host = (url.hostname or "") if url else ""
    for domain, name in _OTHER_HOSTS:
        if host == domain or host.endswith("." + domain):
            raise NotADecision(f"{name} page ({host}), not an LGSCO decision")


def reject_listings_and_other_reports(text: str) -> None:
    """LGSCO category listing pages, and reports whose markers no LGSCO statement carries."""
    # Substring tests first: each regex below would otherwise scan every page.
    if (
        "ecent statements in this category" in text or "rchive has " in text
    ) and _LISTING_RE.search(text):
        raise NotADecision("category listing page, not a decision statement")
    if "Statement " in text and len(_LISTING_ITEM_RE.findall(text)) >= 2:
        raise NotADecision("category listing page, not a decision statement")
    if not ("COMPLAINT" in text or "ase ref" in text):
        return
    for pattern, name in _STRONG_MARKERS:
        if pattern.search(text):
            raise NotADecision(f"{name} decision, not an LGSCO decision")


def reject_other_ombudsmen(text: str) -> None:
    """For a page with no LGSCO header: name the ombudsman whose page it looks like."""
    for pattern, name in _WEAK_MARKERS:
        if pattern.search(text):
            raise NotADecision(f"{name} decision, not an LGSCO decision")
