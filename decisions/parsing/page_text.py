"""From what was fetched or saved to lines of page text: decoding bytes, HTML to text.

The text form is the one the rest of the parser reads: one block (heading, paragraph, list
item) a line; an item of a numbered list prefixed with its number ("3. "), of any other
list "- ", and an item of a list inside another list indented (see _Lists). Site chrome that HTML marks as such (scripts, styles,
navigation, header, footer, the cookie banner) is dropped here; chrome that survives as text
("Back to top", "Print this page", cookie-banner paragraphs) is dropped by the parser.

Saved pages are read by lexbor (selectolax), an HTML5-conformant parser that builds a tree
from any markup and never raises. HTML5 tree building is not linear on every input,
though: each block start tag searches the stack of open elements (a megabyte of "<div>"
took five minutes), each new attribute is compared with the tag's others, and formatting
elements closed by a block are reopened in every later block (90 KB of
"<p><b class=xN>x</p>" made 8 million nodes). So a page is first read by a small
tokenizer here, linear by construction; a page whose nesting, attributes or formatting
would cost lexbor more than linear time, or whose tree comes out far larger than its
markup, is read from those tokens instead: the same blocks and chrome rules, a cruder
idea of nesting (https://html.spec.whatwg.org/multipage/parsing.html).
"""

import re
from collections.abc import Iterator
from html import unescape

from selectolax.lexbor import LexborHTMLParser, LexborNode


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


_HTML_RE = re.compile(r"<(?:!doctype\s+html|html|body|div|p|h[1-6]|ul|ol|li|main|article)\b", re.I)

# Elements whose whole content is chrome, never decision text.
_SKIP_TAGS = _tags(
    "script style noscript template head nav header footer aside form button select svg "
    "iframe object canvas dialog"
)
# Elements whose id or class says they are chrome (cookie banners, skip links, share bars).
_CHROME_ATTR_RE = re.compile(
    r"cookie|\bccc\b|consent|gdpr|skip|breadcrumb|back-?to-?top|print|share|social|"
    r"site-?(?:header|footer|nav)|navbar|navigation|contentinfo|menu|masthead|banner",
    re.I,
)
_BLOCK_TAGS = _tags(
    "p div h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tr td th section article "
    "main blockquote pre address figure figcaption hr br summary details"
)
_VOID_TAGS = _tags("area base br col embed hr img input link meta param source track wbr")
_SPACE_RE = re.compile(r"[ \t\r\n\f\v]+")  # not \s: non-breaking spaces are kept as published
# Lexbor silently drops a lone surrogate (a broken JSON record's "\ud800"): mark the spot.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


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


_LIST_START_RE = re.compile(r"[\t\n\f\r ]*(\d{1,6})[\t\n\f\r ]*")
_START_ATTRIBUTE_RE = re.compile(
    r"""(?:^|[\t\n\f\r /])start[\t\n\f\r ]*+=[\t\n\f\r ]*+["']?+(\d{1,6})""", re.I
)


def _list_start(value: str | None) -> int:
    """An <ol>'s first number, from its `start` attribute: 1 unless it says otherwise."""
    match = _LIST_START_RE.fullmatch(value or "")
    return int(match.group(1)) if match else 1


class _Lists:
    """The lists open around the next item, innermost last, and so the item's marker:
    its number in a numbered list ("3. "; from the list's `start`), else "- ". An item of
    a list inside another list is indented, as the scraped page text indents it: the
    parser reads it as a paragraph's own list, not as a paragraph of the statement.
    One level of indentation however deep: the parser asks only whether it is nested."""

    __slots__ = ("open",)

    def __init__(self) -> None:
        self.open: list[list] = []  # [tag, the next number]

    def enter(self, tag: str, start: int = 1) -> None:
        self.open.append([tag, start])

    def leave(self) -> None:
        if self.open:
            self.open.pop()

    def marker(self) -> str:
        if not self.open:
            return "- "
        innermost = self.open[-1]
        indent = "  " if len(self.open) > 1 else ""
        if innermost[0] == "ol" and innermost[1] < 1000:  # the parser reads up to "999."
            innermost[1] += 1
            return f"{indent}{innermost[1] - 1}. "
        return f"{indent}- "


class _Lines:
    """Lines of page text, one per block, as the blocks are met."""

    __slots__ = ("lines", "_current", "_marker")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._current: list[str] = []
        self._marker = ""

    def text(self, data: str) -> None:
        self._current.append(data)

    def start_item(self, marker: str = "- ") -> None:
        self._marker = marker

    def flush(self, *, end_of_item: bool = False) -> None:
        if not self._current:  # nothing since the last block: the common case, made cheap
            if end_of_item:
                self._marker = ""
            return
        line = _SPACE_RE.sub(" ", "".join(self._current)).strip(" ")
        if self._marker and not line.strip():
            if not end_of_item:
                return  # a list item's marker, waiting for the item's first block (<li><p>...)
            self._marker = ""
        if line.strip():
            self.lines.append(self._marker + line)
            self._marker = ""
        self._current = []


def _is_chrome(attributes: dict[str, str | None]) -> bool:
    for name in ("id", "class", "role"):
        value = attributes.get(name)
        if value and _CHROME_ATTR_RE.search(value):
            return True
    return False


def _walk(root: LexborNode, lines: _Lines) -> None:
    """Read the tree in document order. A stack, not recursion: a page of 100,000 nested
    tags must not exhaust Python's call stack. A chrome element's subtree is not entered;
    a block's tag on the stack marks where the block ends."""
    stack: list[LexborNode | str] = [root]
    lists = _Lists()
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            lines.flush(end_of_item=node == "li")
            if node in ("ol", "ul"):
                lists.leave()
            continue
        tag = node.tag or "-"
        if tag == "-text":
            lines.text(node.text_content or "")
            continue
        if tag in _VOID_TAGS:
            if tag in ("br", "hr"):
                lines.flush()
            continue
        if tag[0] in "-_!":
            continue  # comments, doctypes
        if tag in _SKIP_TAGS or (node.attributes and _is_chrome(node.attributes)):
            if tag in _BLOCK_TAGS:
                lines.flush(end_of_item=tag == "li")  # where its end would have flushed
            continue
        if tag in _BLOCK_TAGS:
            lines.flush()
            if tag == "li":
                lines.start_item(lists.marker())
            elif tag in ("ol", "ul"):
                lists.enter(tag, _list_start(node.attributes.get("start")) if tag == "ol" else 1)
            stack.append(tag)
        children = list(node.iter(include_text=True))
        children.reverse()
        stack.extend(children)


def html_to_text(html: str) -> str:
    """Page text of an HTML page: one block a line, chrome elements dropped, entities decoded."""
    if not html.isascii():
        html = _SURROGATE_RE.sub("\ufffd", html)
    # A page of more tags than a real one has (a decision page has a few thousand) is read
    # from its tokens: one pass, where checking it first and then walking lexbor's tree
    # would be three.
    risky, tokens = (True, 0) if html.count("<") > _MAX_TAGS else _markup_risk(html)
    if not risky:
        root = LexborHTMLParser(html).root
        if root is None:
            return ""
        # More nodes than the markup has tokens: lexbor reopened formatting elements in
        # block after block, and walking them all would cost more than reading the tokens.
        if sum(1 for _ in root.traverse(include_text=True)) <= tokens + _EXTRA_NODES:
            lines = _Lines()
            _walk(root, lines)
            lines.flush(end_of_item=True)
            return "\n".join(lines.lines)
    return "\n".join(_lines_from_tokens(html))


# --- the tokenizer, and what it tells about the page --------------------------------------

# One token from a "<": a comment, a doctype (or "<?...>", "</ >"), or a tag with its
# attributes (quoted values may hold ">"). Every branch runs to its end or to the end of
# the page, so the scan never starts again from inside a token: linear. (A page that ends
# inside a tag: HTML5 drops the tag; so does _tokens.)
_TOKEN_RE = re.compile(
    r"<!--(?:>|->|(?:[^-]++|-(?!->))*+(?:-->)?)"
    r"|<(?:[!?]|/(?![A-Za-z]))[^>]*+>?"
    r"|<(/?)([A-Za-z][^\t\n\f\r />]*+)"
    r"""((?:[^>"'=]++|=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >]*+)|["'])*+)(>?)"""
)
_QUOTED_RE = re.compile(r""""[^"]*+"|'[^']*+'""")
_ATTRIBUTE_NAME_RE = re.compile(r"""[^\t\n\f\r />="']++""")
_CHROME_VALUE_RE = re.compile(
    r"""(?:^|[\t\n\f\r /])(?:id|class|role)[\t\n\f\r ]*+=[\t\n\f\r ]*+"""
    r"""(?:"([^"]*+)"|'([^']*+)'|([^\t\n\f\r >]++))""",
    re.I,
)
_RAW_TEXT = _tags("script style xmp iframe noembed noframes textarea title")
_RAW_TEXT_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.I) for name in _RAW_TEXT}
_FOREIGN = ("svg", "math")

Token = tuple[str, str, str]  # ("start", name, attributes), ("end", name, ""), ("text", text, "")


def _tokens(html: str) -> Iterator[Token]:
    """Start tags, end tags and text, as the HTML5 tokenizer reads them, near enough;
    comments and doctypes as ("comment", "", "")."""
    position, length = 0, len(html)
    search = _TOKEN_RE.search
    while position < length:
        match = search(html, position)
        if match is None:
            yield "text", html[position:], ""
            return
        if match.start() > position:
            yield "text", html[position : match.start()], ""
        position = match.end()
        slash, name, attributes, closed = match.groups()
        if name is None:
            yield "comment", "", ""
            continue
        if not closed:
            return  # the page ends inside a tag
        name = name.lower()
        if slash:
            yield "end", name, ""
            continue
        yield "start", name, attributes
        if name == "plaintext":
            yield "text", html[position:], ""
            return
        if name in _RAW_TEXT:
            closing = _RAW_TEXT_END[name].search(html, position)
            stop = closing.start() if closing else length
            yield "text", html[position:stop], ""
            position = stop


def _attribute_count(attributes: str) -> int:
    return len(_ATTRIBUTE_NAME_RE.findall(_QUOTED_RE.sub("", attributes)))


def _chrome_attributes(attributes: str) -> bool:
    if "=" not in attributes:  # no value at all (most tags): nothing to read
        return False
    for values in _CHROME_VALUE_RE.findall(attributes):
        value = "".join(values)  # the one of the three forms that matched
        if value and _CHROME_ATTR_RE.search(unescape(value)):
            return True
    return False


# Limits far above any real page (lgo.org.uk's nest about 20 deep, a tag has a few
# attributes, a form a few hundred options), far below where lexbor slows down.
_MAX_DEPTH = 512
_MAX_ATTRIBUTES = 256
_MAX_OPTIONS = 5000
_MAX_FORMATTING = 16  # formatting elements left open, each reopened in every later block
_EXTRA_NODES = 1000
_MAX_TAGS = 20_000
_FORMATTING = _tags("a b big code em font i nobr s small strike strong tt u")
_CLOSES_P = _tags(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "summary table ul li dd dt"
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TABLE_PARTS = ("tbody", "thead", "tfoot", "tr", "td", "th")
# A start tag that ends an open element of these names, if one is near the top of the
# stack: end tags HTML lets a page leave out, and elements that cannot nest.
_CLOSES = {
    "li": ("li",),
    "dt": ("dt", "dd"),
    "dd": ("dt", "dd"),
    "option": ("option",),
    "optgroup": ("option", "optgroup"),
    "tr": ("tr", "td", "th"),
    "td": ("td", "th"),
    "th": ("td", "th"),
    **dict.fromkeys(("tbody", "thead", "tfoot"), _TABLE_PARTS),
    **dict.fromkeys(_HEADINGS, _HEADINGS),
    "a": ("a",),
    "nobr": ("nobr",),
    "button": ("button",),
    "select": ("select",),
    "table": ("table",),
}
_NEAR_TOP = 8


class _OpenElements:
    """The stack of open elements, roughly: pushed by start tags, popped by end tags and by
    the start tags in _CLOSES. Popping to a name is amortised O(1), by a count of each name."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.counts: dict[str, int] = {}
        self.lists = _Lists()  # the open <ol> and <ul>, for the items' markers

    def push(self, name: str) -> None:
        self.stack.append(name)
        self.counts[name] = self.counts.get(name, 0) + 1

    def pop_to(self, name: str) -> None:
        if not self.counts.get(name):
            return
        while self.stack:
            top = self.stack.pop()
            self.counts[top] -= 1
            if top in ("ol", "ul"):
                self.lists.leave()
            if top == name:
                return

    def close_near_top(self, names: tuple[str, ...], within: tuple[str, ...] = ()) -> None:
        """Close the nearest open element of `names`, unless an element of `within`
        comes first (an <li> ends the open item of its own list only)."""
        for open_name in reversed(self.stack[-_NEAR_TOP:]):
            if open_name in within:
                return
            if open_name in names:
                self.pop_to(open_name)
                return

    def start(self, name: str, attributes: str) -> bool:
        """What a start tag does to the stack; whether it opened an element."""
        if name == "body":
            self.pop_to("head")
        if name in _CLOSES_P and self.counts.get("p"):
            self.close_near_top(("p",))
        if name in _CLOSES:
            self.close_near_top(_CLOSES[name], ("ol", "ul") if name == "li" else ())
        if name in _VOID_TAGS or name in ("html", "body"):
            return False
        # Self-closing only in SVG and MathML (tested in the cheaper order: most tags
        # have no "/").
        if attributes.endswith("/") and (
            name in _FOREIGN or self.counts.get("svg") or self.counts.get("math")
        ):
            return False
        # push(), inline: this runs for every start tag of the page.
        self.stack.append(name)
        self.counts[name] = self.counts.get(name, 0) + 1
        if name in ("ol", "ul"):
            start = _START_ATTRIBUTE_RE.search(attributes) if name == "ol" else None
            self.lists.enter(name, int(start.group(1)) if start else 1)
        return True


def _markup_risk(html: str) -> tuple[bool, int]:
    """(whether lexbor would take more than linear time on this page, how many tokens
    it has), from one pass of the tokenizer."""
    elements = _OpenElements()
    formatting: list[tuple[str, str]] = []  # open formatting elements, oldest first
    options = tokens = 0
    for kind, name, attributes in _tokens(html):
        tokens += 1
        if kind == "end":
            elements.pop_to(name)
            if name in _FORMATTING:
                for index in range(len(formatting) - 1, -1, -1):
                    if formatting[index][0] == name:
                        del formatting[index]
                        break
            continue
        if kind != "start":
            continue
        if len(attributes) > _MAX_ATTRIBUTES and _attribute_count(attributes) > _MAX_ATTRIBUTES:
            return True, tokens
        elements.start(name, attributes)
        if len(elements.stack) > _MAX_DEPTH:
            return True, tokens
        options += name == "option"
        if name in _FORMATTING:
            key = (name, attributes.strip())
            if formatting.count(key) >= 3:  # HTML5's "Noah's Ark": three alike at most
                formatting.remove(key)
            formatting.append(key)
            if len(formatting) > _MAX_FORMATTING or options > _MAX_OPTIONS:
                return True, tokens
        elif options > _MAX_OPTIONS:
            return True, tokens
    return False, tokens


def _lines_from_tokens(html: str) -> list[str]:
    """Page text from the tokens alone, for pages lexbor would be slow on: blocks and
    chrome as in _walk, entities decoded; a skipped element ends at its end tag or at
    the end tag of an element it is in."""
    lines = _Lines()
    elements = _OpenElements()
    skipping: tuple[str, int] | None = None  # (name, depth of the stack below it)
    for kind, name, attributes in _tokens(html):
        if kind == "text":
            if not skipping:
                lines.text(unescape(name))
            continue
        if kind == "comment":
            continue
        opened = kind == "start" and elements.start(name, attributes)
        if kind == "end":
            elements.pop_to(name)
        if skipping and len(elements.stack) - opened <= skipping[1]:
            skipped, skipping = skipping[0], None  # ended by this tag, or by what it implies
            if skipped in _BLOCK_TAGS:
                lines.flush(end_of_item=skipped == "li")
            if kind == "end" and name == skipped:
                continue
        if skipping:
            continue
        if kind == "end":
            if name in _BLOCK_TAGS:
                lines.flush(end_of_item=name == "li")
        elif name in _VOID_TAGS:
            if name in ("br", "hr"):
                lines.flush()
        elif name in _SKIP_TAGS or _chrome_attributes(attributes):
            if opened:
                skipping = (name, len(elements.stack) - 1)
        elif name in _BLOCK_TAGS:
            lines.flush()
            if name == "li":
                lines.start_item(elements.lists.marker())
    lines.flush(end_of_item=True)
    return lines.lines


def page_to_text(page: str | bytes) -> str:
    """Decode bytes and convert HTML; plain text passes through."""
    text = decode(page) if isinstance(page, bytes) else page
    text = text.lstrip("\ufeff")
    if looks_like_html(text):
        text = html_to_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")
