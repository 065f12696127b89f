"""The parser's exceptions, shared by its modules (re-exported by the package, ``decisions.parsing``)."""


class ParseError(ValueError):
    """The page cannot be parsed; the message names what is missing or wrong."""


class NotADecision(ParseError):
    """The page is not an LGSCO decision statement; the message says what it is instead."""
