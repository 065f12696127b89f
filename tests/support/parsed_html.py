"""Reading a page's HTML as a browser would: elements and their text, never the
template's white space (a re-indented template must not fail a test)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode


def parsed(html: str) -> LexborHTMLParser:
    """The HTML as a tree, parsed by the HTML5 rules (selectolax's Lexbor)."""
    return LexborHTMLParser(html)


def text_of(node: LexborNode) -> str:
    """The element's text as it reads on screen: runs of white space are one space."""
    return " ".join((node.text(deep=True) or "").split())


def paragraph_starting(html: str, words: str) -> LexborNode:
    """The one <p> whose text starts with `words`."""
    found = [p for p in parsed(html).css("p") if text_of(p).startswith(words)]
    assert len(found) == 1, f"{len(found)} paragraphs start with {words!r}"
    return found[0]


def next_element(node: LexborNode) -> LexborNode | None:
    """The element after `node` among its siblings, past text and comments."""
    sibling = node.next
    while sibling is not None and sibling.tag in ("-text", "-comment"):
        sibling = sibling.next
    return sibling


def definitions(html: str, selector: str) -> dict[str, str]:
    """The terms of the one definition list `selector` (a <dl>), each with the text of
    the <dd> right after it."""
    [dl] = parsed(html).css(selector)
    pairs = {}
    for term in dl.css("dt"):
        description = next_element(term)
        assert description is not None and description.tag == "dd", text_of(term)
        pairs[text_of(term)] = text_of(description)
    return pairs
