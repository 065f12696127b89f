"""From what was fetched or saved to lines of page text: decoding bytes, HTML to text.

The text form is the one the rest of the parser reads: one block (heading, paragraph, list
item) a line, list items prefixed "- ". Site chrome that HTML marks as such (scripts, styles,
navigation, header, footer, the cookie banner) is dropped here; chrome that survives as text
("Back to top", "Print this page", cookie-banner paragraphs) is dropped by the parser.
"""

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

_HTML_RE = re.compile(r"<(?:!doctype\s+html|html|body|div|p|h[1-6]|ul|ol|li|main|article)\b", re.I)

# Elements whose whole content is chrome, never decision text.
_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "svg",
        "iframe",
        "object",
        "canvas",
        "dialog",
    ]
)
# Elements whose id or class says they are chrome (cookie banners, skip links, share bars).
_CHROME_ATTR_RE = re.compile(
    r"cookie|\bccc\b|consent|gdpr|skip|breadcrumb|back-?to-?top|print|share|social|"
    r"site-?(?:header|footer|nav)|navbar|navigation|contentinfo|menu|masthead|banner",
    re.I,
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "address",
        "figure",
        "figcaption",
        "hr",
        "br",
        "summary",
        "details",
    ]
)
_VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_SPACE_RE = re.compile(r"[ \t\r\n\f\v]+")  # not \s: non-breaking spaces are kept as published


def decode(page: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the two encodings LGSCO pages come in."""
    if page.startswith(b"\xef\xbb\xbf"):
        return page[3:].decode("utf-8", errors="replace")
    try:
        return page.decode("utf-8")
    except UnicodeDecodeError:
        return page.decode("cp1252", errors="replace")


def looks_like_html(text: str) -> bool:
    return bool(_HTML_RE.search(text[:5000]))


class _TextExtractor:
    """Lines of text from a stream of start tags, end tags and text, as a page reads."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._current: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipping)

    @property
    def _skipping(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def _flush(self, *, end_of_item: bool = False) -> None:
        line = _SPACE_RE.sub(" ", "".join(self._current)).strip(" ")
        if line == "-" and not end_of_item:
            return  # a list item's marker, waiting for the item's first block (<li><p>...)
        if line.strip() and line != "-":
            self.lines.append(line)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag in ("br", "hr") and not self._skipping:
                self._flush()
            return
        chrome = tag in _SKIP_TAGS or any(
            name in ("id", "class", "role") and value and _CHROME_ATTR_RE.search(value)
            for name, value in attrs
        )
        self._stack.append((tag, self._skipping or chrome))
        if tag in _BLOCK_TAGS and not self._skipping:
            self._flush()
            if tag == "li":
                self._current.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _ in self._stack):
            return  # stray end tag
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag in _BLOCK_TAGS and not self._skipping:
            self._flush(end_of_item=tag == "li")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._current.append(data)

    def close(self) -> None:
        self._flush(end_of_item=True)


_END = object()  # marks, on the walk's stack, where an element's children end


def _walk(root: LexborNode, extractor: _TextExtractor) -> None:
    """Feed the tree to the extractor in document order. A stack, not recursion: a page
    of 100,000 nested tags must not exhaust Python's call stack."""
    stack: list[object] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):  # (_END, tag)
            extractor.handle_endtag(item[1])
            continue
        node = item
        assert isinstance(node, LexborNode)
        tag = node.tag or ""
        if tag == "-text":
            extractor.handle_data(node.text_content or "")
            continue
        if tag.startswith(("-", "_", "!")):
            continue  # comments, doctypes
        attrs = [(str(k), v) for k, v in node.attributes.items()]
        extractor.handle_starttag(tag, attrs)
        if tag in _VOID_TAGS:
            continue
        stack.append((_END, tag))
        stack.extend(reversed(list(node.iter(include_text=True))))


def html_to_text(html: str) -> str:
    """Page text of an HTML page: one block a line, chrome elements dropped, entities decoded.

    The page is read by an HTML5-conformant parser (lexbor, through selectolax), which
    builds a tree from any markup, however broken, and never raises."""
    extractor = _TextExtractor()
    tree = LexborHTMLParser(html)
    if tree.root is not None:
        _walk(tree.root, extractor)
    extractor.close()
    return "\n".join(extractor.lines)


def page_to_text(page: str | bytes) -> str:
    """Decode bytes and convert HTML; plain text passes through."""
    text = decode(page) if isinstance(page, bytes) else page
    text = text.lstrip("\ufeff")
    if looks_like_html(text):
        text = html_to_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")
