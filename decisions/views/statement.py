"""A decision's statement as its page shows it: sections with anchors, the published
paragraph numbers with an anchor each (#p12), bulleted and numbered lists as lists, and
the search words marked.

Decisions store each section's paragraphs as strings, with a marker each since the
parser kept them (decisions.parsing.paragraphs): the paragraph's number, a list item's
kind, or "". Decisions parsed before have no markers, and read as plain paragraphs
until they are parsed again (`manage.py reparse_captures`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.text import slugify

from decisions.models import Decision
from decisions.parsing.paragraphs import BULLET, SUB_ITEM
from decisions.search.highlight import Numbered, as_html, marked_texts

# Ids the page uses itself, so a section called "Summary" cannot take one of them.
_RESERVED_IDS = frozenset(
    {"main", "citation", "cite-title", "contents-title", "remedies-title", "similar-title"}
    | {"source-title", "summary-title", "permalink", "incomplete-title"}
)
# Ids of matches ("match-3") and paragraphs ("p12"): no section may take one.
_GENERATED_ID_RE = re.compile(r"^(?:match-|p\d+$)")

Text = str | SafeString  # plain (escaped when shown) or with the search words marked


@dataclass
class Block:
    """What the statement shows, in order: a paragraph, or a list ("ul" or "ol")."""

    kind: str  # "p", "ul" or "ol"
    texts: list[Text]


@dataclass
class Paragraph:
    """A numbered paragraph, with the unnumbered blocks that follow it (its lists, the
    citation of the law after them) up to the next numbered paragraph."""

    number: str
    blocks: list[Block]

    @property
    def anchor(self) -> str:
        return f"p{self.number}"


@dataclass
class Section:
    heading: str
    anchor: str
    paragraphs: list[Text] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)  # one a paragraph, or none

    @property
    def content(self) -> list[Paragraph | Block]:
        """The section's paragraphs and lists, in order."""
        return grouped(self.paragraphs, self.markers)


@dataclass
class Statement:
    """The decision's texts, with the search words marked when there is a search."""

    summary: Text
    sections: list[Section]
    count: int = 0


def grouped(texts: list[Text], markers: list[str]) -> list[Paragraph | Block]:
    """Consecutive list items as one list; each block after a numbered paragraph in it."""
    if len(markers) != len(texts):
        markers = [""] * len(texts)  # stored before markers, or edited by hand since
    content: list[Paragraph | Block] = []
    current: Paragraph | None = None
    for text, marker in zip(texts, markers, strict=True):
        if marker.isdigit():
            current = Paragraph(marker, [Block("p", [text])])
            content.append(current)
            continue
        kind = {BULLET: "ul", SUB_ITEM: "ol"}.get(marker, "p")
        blocks = current.blocks if current else content
        last = blocks[-1] if blocks else None
        if kind != "p" and isinstance(last, Block) and last.kind == kind:
            last.texts.append(text)
        else:
            blocks.append(Block(kind, [text]))
    return content


def section_anchors(sections: list[dict]) -> list[Section]:
    """Each section with a unique id from its heading's slug ("what-i-found", "key-facts-2")."""
    used = set(_RESERVED_IDS)
    result = []
    for section in sections:
        heading = section.get("heading") or "Decision statement"
        base = slugify(heading) or "section"
        anchor, number = base, 1
        while anchor in used or _GENERATED_ID_RE.match(anchor):
            number += 1
            anchor = f"{base}-{number}"
        used.add(anchor)
        paragraphs = list(section.get("paragraphs") or [])
        markers = [str(marker) for marker in section.get("markers") or []]
        result.append(Section(heading, anchor, paragraphs, markers))
    return result


def plain(decision: Decision) -> Statement:
    return Statement(decision.summary, section_anchors(decision.sections))


def highlighted(decision: Decision, query: str) -> Statement:
    """The summary and every paragraph with the words of `query` in <mark id="match-N">,
    numbered in reading order; all text escaped. One query, however long the decision."""
    sections = section_anchors(decision.sections)
    texts = [decision.summary] + [p for section in sections for p in section.paragraphs]
    numbered = Numbered()
    html = [as_html(text, numbered) for text in marked_texts(texts, query)]
    summary, paragraphs = html[0], iter(html[1:])
    for section in sections:
        section.paragraphs = [next(paragraphs) for _ in section.paragraphs]
    return Statement(summary, sections, numbered.count)
