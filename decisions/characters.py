"""Characters a store or a format refuses, found and removed the same way everywhere.

PostgreSQL's text refuses NUL, and UTF-8 cannot encode a lone surrogate (as a broken JSON
record's "\\ud800" gives): the import replaces those (decisions.importing.storable).
XML 1.0 cannot carry the other C0 control characters, or U+FFFE and U+FFFF
(https://www.w3.org/TR/xml/#charsets), and Django's feed writer refuses a whole feed
for one of them (UnserializableContentError): the import removes them from what it
stores, and the feeds from what they write, for decisions stored before it did.
Pure: no Django, so the parse thread and process can use it.
"""

from __future__ import annotations

import re

# Characters that are no text to a reader: removed rather than replaced. Tab, line feed
# and carriage return are allowed; NUL is UNSTORABLE's.
XML_FORBIDDEN = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The same C0 controls as bytes, to look for them in ASCII text at memchr-like speed
# (bytes.translate): nearly every text has none, and the regular expression takes
# several times longer to say so.
_ASCII_FORBIDDEN = bytes([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def has_xml_forbidden(text: str) -> bool:
    """Whether `text` holds a character XML 1.0 cannot carry (NUL aside)."""
    if text.isascii():
        encoded = text.encode("ascii")
        return len(encoded.translate(None, _ASCII_FORBIDDEN)) != len(encoded)
    return XML_FORBIDDEN.search(text) is not None


def without_xml_forbidden(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry (NUL aside): those that
    separate words (a vertical tab, a form feed, the separators U+001C to U+001F) become
    a space, so "Bell\x0bCouncil" stays two words; the others are removed."""
    return XML_FORBIDDEN.sub(_replacement, text) if has_xml_forbidden(text) else text


def _replacement(found: re.Match[str]) -> str:
    return " " if found.group().isspace() else ""
