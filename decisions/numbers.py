"""Whole numbers typed into an address or a header, read the one safe way.

`str.isdigit()` is not "int() will read it": it is True for "²" and "①", which int()
refuses (a ValueError, answered as a 500 where it was not expected), and for "٣"
(Arabic-Indic three), which int() reads as 3. int() also refuses more than 4,300 digits
(https://docs.python.org/3/library/stdtypes.html#int-max-str-digits). Every number a
client gives is therefore ASCII digits, and not too many of them; anything else is not
a number, and each caller says so in its own way (a note, a 400, a 404).
"""

from __future__ import annotations

# Enough for any page, page size, id or byte count (a PostgreSQL bigint has 19 digits).
MAX_DIGITS = 18


def whole_number(text: str | None) -> int | None:
    """The number `text` spells in at most MAX_DIGITS ASCII digits, or None."""
    if text and len(text) <= MAX_DIGITS and text.isascii() and text.isdigit():
        return int(text)
    return None
