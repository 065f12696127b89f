"""LGSCO case references: "19 011 560", joint-decision suffixes ("17 002 402b"), URL slugs."""

import re

from decisions.parsing.errors import ParseError

# Two-digit year, then two groups of three digits; separators vary between sources
# (spaces, non-breaking spaces, hyphens in URLs, nothing at all in some exports).
REFERENCE_PATTERN = r"\d{2}[ \u00a0-]?\d{3}[ \u00a0-]?\d{3}[A-Za-z]?"
_REFERENCE_RE = re.compile(r"(\d{2})[ \u00a0-]?(\d{3})[ \u00a0-]?(\d{3})([A-Za-z]?)")


def canonical_reference(raw: str) -> str:
    """Return the canonical form "19 011 560" ("17 002 402b" for joint decisions).

    Raises ParseError when ``raw`` is not an LGSCO reference.
    """
    match = _REFERENCE_RE.fullmatch(raw.strip())
    if match is None:
        raise ParseError(f"not an LGSCO reference: {raw!r} (expected e.g. '19 011 560')")
    year, first, second, suffix = match.groups()
    return f"{year} {first} {second}{suffix.lower()}"


def reference_slug(reference: str) -> str:
    """Return the URL form used by lgo.org.uk: "19 011 560" -> "19-011-560"."""
    return canonical_reference(reference).replace(" ", "-")


# A reference inside other text, such as the search box's: not part of a longer run of
# digits or letters ("2019011560" or "19 011 560x1" are not references).
_REFERENCE_IN_TEXT_RE = re.compile(
    r"(?<!\w)(\d{2})[ \u00a0-]?(\d{3})[ \u00a0-]?(\d{3})([A-Za-z]?)(?!\w)", re.ASCII
)


def find_references(text: str) -> list[str]:
    """The references written anywhere in `text`, canonical, each once, in order."""
    found = (
        f"{year} {first} {second}{suffix.lower()}"
        for year, first, second, suffix in _REFERENCE_IN_TEXT_RE.findall(text)
    )
    return list(dict.fromkeys(found))


def without_references(text: str) -> str:
    """`text` with every reference taken out: the words left to search for."""
    return " ".join(_REFERENCE_IN_TEXT_RE.sub(" ", text).split())
