"""A statement's numbered paragraphs and lists, as published.

LGSCO statements number their paragraphs through the whole statement (paragraph 12 is
the twelfth numbered paragraph, whatever section it is in), so that a paragraph can be
cited. Page text does not always say so: an HTML list restarts at "1." unless it has a
`start`, and the scraped text in tests/fixtures/ restarts at "1." after every heading
and after every bulleted list ("1. As part of my investigation I have: • ... • ...
1. Under our information sharing agreement ..."). So a numbered paragraph takes the
next number after the previous one, or its own number when that is higher (a list that
says where it starts).

Items of a list inside a paragraph ("He says the Council failed to: 1. follow ...;
2. adopt ...") are indented deeper than the paragraphs in page text; they are marked
nested (a leading tab, see `mark_nested_items`) before the lines are stripped, so they
are read as the paragraph's own list, not as paragraphs of the statement.

Each paragraph is stored with its marker: the paragraph's number ("12"), BULLET for an
item of a bulleted list, SUB_ITEM for an item of a numbered or lettered list within a
paragraph, or "" for a paragraph with no marker.
"""

import re

BULLET = "-"
SUB_ITEM = "#"

LIST_ITEM_RE = re.compile(
    r"^(?:\d{1,3}[.)]|\(?[a-z]{1,4}\)|\(\d{1,3}\)|[•\-–—·▪●◦*])(?:[\s\u00a0]+|$)"
)
_NUMBERED_RE = re.compile(r"^(\d{1,3})[.)]")
_BULLET_CHARACTERS = "•-–—·▪●◦*"
NESTED = "\t"  # stripped lines never start with a tab: only mark_nested_items adds one


def mark_nested_items(lines: list[str]) -> list[str]:
    """The non-blank `lines` stripped, with a tab before each list item indented deeper
    than the page's least indented list items. Linear: two passes."""
    stripped: list[str] = []
    items: list[tuple[int, int]] = []  # (index in stripped, indentation)
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if LIST_ITEM_RE.match(text):
            items.append((len(stripped), len(line) - len(line.lstrip())))
        stripped.append(text)
    if not items:
        return stripped
    outermost = min(indent for _, indent in items)
    for index, indent in items:
        if indent > outermost:
            stripped[index] = NESTED + stripped[index]
    return stripped


def strip_marker(line: str) -> str:
    """The line without its list marker ("12. ", "• ", "(a) ") or nesting mark."""
    line = line.removeprefix(NESTED)
    match = LIST_ITEM_RE.match(line)
    return line[match.end() :].strip() if match else line


class Numbering:
    """Reads each body line's marker, numbering the statement's paragraphs as it goes."""

    def __init__(self) -> None:
        self.last = 0

    def marker(self, line: str) -> str:
        """The marker of `line` (see the module's docstring)."""
        nested = line.startswith(NESTED)
        line = line.removeprefix(NESTED)
        match = LIST_ITEM_RE.match(line)
        if not match:
            return ""
        if match.group()[0] in _BULLET_CHARACTERS:
            return BULLET
        numbered = _NUMBERED_RE.match(line)
        if nested or not numbered:
            return SUB_ITEM
        self.last = max(self.last + 1, int(numbered.group(1)))
        return str(self.last)
