"""LGSCO case references: "19 011 560", joint-decision suffixes ("17 002 402b"), URL slugs."""

import re

from decisions.parsing.errors import ParseError

# Two-digit year, then two groups of three digits; separators vary between sources
# (spaces, non-breaking spaces, hyphens in URLs, nothing at all in some exports). This is
# the form statements print, which the parser reads; people type more (below).
REFERENCE_PATTERN = r"\d{2}[ \u00a0-]?\d{3}[ \u00a0-]?\d{3}[A-Za-z]?"

# What people put between the groups when they type or paste a reference: a space, a
# slash ("19/011/560", as letters print it), a dot, a hyphen, or nothing; a slash, dot or
# hyphen may have spaces round it ("19 / 011 / 560").
_SEPARATOR = r"(?:[ \u00a0]*[/.\-][ \u00a0]*|[ \u00a0]+)?"
_GROUPS = rf"(\d{{2}}){_SEPARATOR}(\d{{3}}){_SEPARATOR}(\d{{3}})([A-Za-z]?)"
_REFERENCE_RE = re.compile(_GROUPS)


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


# A label people write before a reference, copied from a letter or an email: "ref:",
# "Ref.", "reference", "our ref:", "your reference no." It belongs to the reference, so
# it goes with it: left behind, "ref" would be searched for as a word, and a search for
# one reference would become a word search that finds nothing.
_LABEL = (
    r"(?:(?:our|your|the)\s+)?(?:ref(?:erence)?)\b\.?"
    r"(?:\s*(?:no\b\.?|number\b))?\s*[:#]?\s*"
)

# A reference inside other text, such as the search box's: not part of a longer run of
# digits or letters ("2019011560" or "19 011 560x1" are not references), nor the tail of
# a number with a decimal point or a slash ("1.19.011.560", "3/19/011/560").
_REFERENCE_IN_TEXT_RE = re.compile(
    rf"(?<![\w./])(?:{_LABEL})?{_GROUPS}(?![\w]|[./\-]\d)", re.ASCII | re.IGNORECASE
)

# What is left of a search text once its references are out may be only the marks
# round them: quotes, brackets, commas ('"19 011 560"', "(19/011/560)"). Those are no
# words to search for.
_WORD_CHARACTER_RE = re.compile(r"\w")


def find_references(text: str) -> list[str]:
    """The references written anywhere in `text`, canonical, each once, in order."""
    found = (
        f"{year} {first} {second}{suffix.lower()}"
        for year, first, second, suffix in _REFERENCE_IN_TEXT_RE.findall(text)
    )
    return list(dict.fromkeys(found))


def without_references(text: str) -> str:
    """`text` with every reference, and any label written before it, taken out: the
    words left to search for ("" when only punctuation is left)."""
    left = " ".join(_REFERENCE_IN_TEXT_RE.sub(" ", text).split())
    return left if _WORD_CHARACTER_RE.search(left) else ""
