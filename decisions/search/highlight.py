"""The search words marked in a decision's text: one path for the list's snippets and
the decision page's whole text, with the search index's own analyser, so a word is
marked exactly where it matched (a stemmed "assessments" for "assessment").

Words are marked with private-use characters, removed from the text first; after
escaping, only those become <mark> tags, so nothing in a statement can pass for markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import tantivy
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from decisions.search import engine
from decisions.search.engine import Hit
from decisions.search_grammar import parse_search

START, STOP = "\ue000", "\ue001"
# Words of one phrase ("blue badge") are marked one by one: join marks with only spaces
# between them into one match.
_ADJACENT_MARKS_RE = re.compile(f"{STOP}(\\s+){START}")
_MARK_RE = re.compile(f"{START}(.*?){STOP}", re.S)
# A summary is short, so all of it is shown with every match marked; a body is long, so
# about two lines around its first match.
BODY_CHARS = 240


def unmarked(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


def snippets(searcher: tantivy.Searcher, hits: list[Hit], words: set[str]) -> dict[int, SafeString]:
    """{id: HTML snippet with <mark>ed matches} for the decisions of `hits`, cut from
    the index's stored text: the whole summary when the words are in it, else about
    two lines of the body around its first match."""
    found: dict[int, SafeString] = {}
    for hit in hits:
        doc = searcher.doc(hit.address)
        summary = str(doc.get_first("summary") or "")
        marked = mark_words(summary, words)
        if START not in marked:
            marked = fragment(mark_words(str(doc.get_first("body") or ""), words))
        found[hit.pk] = as_html(marked)
    return found


def fragment(marked: str, size: int = BODY_CHARS) -> str:
    """About `size` characters of `marked` around its first mark, cut at spaces, with
    an ellipsis where text was left out ("" when nothing is marked)."""
    first = marked.find(START)
    if first < 0:
        return ""
    start = max(0, first - size // 3)
    end = min(len(marked), start + size)
    if start > 0:
        space = marked.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    if end < len(marked):
        space = marked.rfind(" ", first, end)
        end = space if space > first else end
    piece = marked[start:end]
    # A mark cut in half would leave a marker without its pair.
    if piece.count(START) > piece.count(STOP):
        piece += STOP
    return ("… " if start > 0 else "") + piece.strip() + (" …" if end < len(marked) else "")


def mark_words(text: str, words: set[str]) -> str:
    """`text` with each word whose analysed form is in `words` between START and STOP."""
    clean = unmarked(text)
    parts, last = [], 0
    for token in engine.ANALYSE.pre_tokenize(clean).tokens:
        if token.text in words:
            parts += [clean[last : token.char_offset_from], START]
            parts += [clean[token.char_offset_from : token.char_offset_to], STOP]
            last = token.char_offset_to
    parts.append(clean[last:])
    return "".join(parts)


def marked_texts(texts: list[str], text: str) -> list[str]:
    """Each of `texts` whole, with the words of the search `text` between START and STOP."""
    words = engine.stems(parse_search(text))
    return [mark_words(part, words) for part in texts]


def as_html(marked: str, mark: Callable[[str], str] | None = None) -> SafeString:
    """`marked` escaped, each marked word as <mark> tags, or as `mark(match_html)`
    when given: the decision page numbers its matches to step through them, and there
    the words of one phrase ("blue badge") are one match, not two."""
    joined = marked if mark is None else _ADJACENT_MARKS_RE.sub(r"\1", marked)
    wrap = mark or (lambda match: f"<mark>{match}</mark>")
    # Safe: the text is escaped first; only the markers, which escaping leaves alone and
    # the text cannot contain, become tags.
    return mark_safe(_MARK_RE.sub(lambda found: wrap(found.group(1)), str(escape(joined))))  # noqa: S308


class Numbered:
    """Marks as <mark id="match-N">, numbered in reading order across calls."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, match: str) -> str:
        self.count += 1
        return f'<mark id="match-{self.count}" tabindex="-1">{match}</mark>'
