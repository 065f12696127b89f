"""Names cited in a decision: legislation, and other bodies named in joint decisions."""

import re
from difflib import SequenceMatcher
from functools import lru_cache

# Words that open sentences or clauses and so are not part of a name before "Act 1974"/"Ltd".
_OPENERS = frozenset(
    [
        "Under",
        "The",
        "In",
        "By",
        "As",
        "See",
        "Section",
        "Sections",
        "Part",
        "Schedule",
        "Per",
        "From",
        "Also",
        "This",
        "That",
        "Our",
        "We",
        "And",
        "Of",
        "For",
        "To",
        "On",
        "With",
        "Within",
        "Following",
        "Using",
        "If",
        "When",
        "Where",
        "While",
        "Whether",
        "Both",
        "Then",
        "However",
        "But",
        "Its",
        "A",
        "An",
        "It",
        "He",
        "She",
        "They",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Dr",
        "Council",
        "Councils",
    ]
)
_CONNECTORS = frozenset(["and", "of", "for", "the", "in", "on", "to", "&", "with"])


def _is_name_word(word: str) -> bool:
    core = word.lstrip("([")
    return core[:1].isupper() or core[:1].isdigit()


def _name_before(text: str, end: int) -> tuple[str, str]:
    """The run of capitalised words (with "and", "of", ...) that ends at ``end`` on its line,
    and the text before it on that line."""
    return _name_at_end(_line_before(text, end))


def _line_before(text: str, end: int) -> str:
    # Only the last 160 characters are read: searching the whole line back to its start
    # made a one-line page of a thousand citations quadratic.
    window_start = max(0, end - 160)
    line_start = text.rfind("\n", window_start, end) + 1
    return text[max(line_start, window_start) : end]


# A page that cites one Act a thousand times asks the same question a thousand times.
@lru_cache(maxsize=4096)
def _name_at_end(window: str) -> tuple[str, str]:
    words = window.split()
    brackets = "(" in window or ")" in window or "[" in window or "]" in window
    taken = 0
    depth = 0
    for word in reversed(words):
        if word.endswith((",", "’s", "'s", ".", ";", ":")):
            break
        if not (_is_name_word(word) or word in _CONNECTORS):
            break
        if brackets:
            depth += word.count(")") + word.count("]") - word.count("(") - word.count("[")
        taken += 1
        if depth < 0:  # an opening bracket that encloses the whole citation
            break
    first = len(words) - taken
    while first < len(words) and (
        words[first].lstrip("([") in _OPENERS
        or words[first] in _CONNECTORS
        or words[first][:1].isdigit()
    ):
        first += 1
    name = " ".join(words[first:])
    # name[:1] of "" is "", which `in "(["` finds: test for a name first.
    if (
        name
        and name[0] in "(["
        and name.count(name[0]) > name.count(")" if name[0] == "(" else "]")
    ):
        name = name[1:]
    return name, " ".join(words[:first]) + " "


# --- legislation --------------------------------------------------------------------------

# One pattern per word: a pattern that starts with a literal is scanned many times faster
# than one that starts with \b or an alternation.
_ACT_RES = tuple(re.compile(rf"({word})\s+(\d{{4}})\b") for word in ("Act", "Regulations", "Order"))
_PROVISION_START_RE = re.compile(
    r"^\s*,?\s*(?:as amended,?\s*)?(?:sections?|ss?\.|schedules?|parts?)\b", re.I
)
_NUMBER = r"\d+[A-Z]*(?:\([0-9A-Za-z]+\))*"
_PROVISION_RE = re.compile(
    rf"\b(sections?|ss?\.|schedules?|parts?)\s+({_NUMBER}(?:\s*(?:,|and|&|or)\s*{_NUMBER})*)",
    re.I,
)
_NUMBER_RE = re.compile(_NUMBER)
_SUBSECTION_RE = re.compile(r"\(([0-9A-Za-z]+)\)")
_PROVISION_BEFORE_RE = re.compile(
    rf"\b(sections?|s\.|schedules?|parts?)\s+({_NUMBER}(?:\s*(?:,|and|&|or)\s*{_NUMBER})*)"
    r"\s+of\s+(?:the\s+)?$",
    re.I,
)
_BRACKET_RE = re.compile(r"[()]")
_TAIL_STOP_RE = re.compile(r"[;\n]|\.\s|\b(?:Act|Regulations)\b")


def _number(raw: str) -> str:
    # "26A(1)" -> "26A"; "34H(i)" -> "34H"; LGSCO's "34(B)" -> "34B": subsections are dropped,
    # a bracketed capital letter is part of the section number.
    base = raw.split("(", 1)[0]
    letters = "".join(p for p in _SUBSECTION_RE.findall(raw) if p.isalpha() and p.isupper())
    return base + letters


def _provisions(kind: str, numbers: str) -> list[str]:
    kind = kind.lower()
    if kind.startswith("sch"):
        label = "Schedule"
    elif kind.startswith("part"):
        label = "Part"
    else:
        label = "section"
    return [f"{label} {_number(n)}" for n in _NUMBER_RE.findall(numbers)]


def _tail(tail: str) -> str:
    """Text after an Act's year up to the end of its citation (the enclosing bracket, ...)."""
    depth = 0
    for bracket in _BRACKET_RE.finditer(tail):
        depth += 1 if bracket.group() == "(" else -1
        if depth < 0:
            return tail[: bracket.start()]
    stop = _TAIL_STOP_RE.search(tail)
    return tail[: stop.start()] if stop else tail


def find_legislation(text: str) -> tuple[str, ...]:
    """Acts (and Regulations) cited, normalised: "Care Act 2014",
    "Local Government Act 1974, section 26A"; de-duplicated, in order of first mention."""
    found: dict[str, None] = {}
    matches = sorted(
        (match for pattern in _ACT_RES for match in pattern.finditer(text)),
        key=lambda match: match.start(),
    )
    for match in matches:
        start, end = match.span()
        if start and text[start - 1].isalnum():
            continue
        after = text[end : end + 160]
        for act in _citation(_line_before(text, start), match.group(1), match.group(2), after):
            found.setdefault(act)
    return tuple(found)


@lru_cache(maxsize=4096)
def _citation(before: str, kind: str, year: str, after: str) -> tuple[str, ...]:
    """The Act whose `kind` ("Act") and `year` stand between `before` and `after`, then
    its provisions; () when no Act is named. Cached, as `_name_at_end` is."""
    name, before_name = _name_at_end(before)
    if not name or not any(w[:1].isupper() and w not in _OPENERS for w in name.split()):
        return ()
    act = f"{name} {kind} {year}"
    provisions: list[str] = []
    provision_before = _PROVISION_BEFORE_RE.search(before_name[-80:])
    if provision_before:
        provisions += _provisions(*provision_before.groups())
    tail = _tail(after)
    if _PROVISION_START_RE.match(tail):
        for provision_kind, numbers in _PROVISION_RE.findall(tail):
            provisions += _provisions(provision_kind, numbers)
    return (act, *(f"{act}, {provision}" for provision in provisions))


# --- other bodies -------------------------------------------------------------------------

_BODY_SUFFIX_RE = re.compile(
    r"\b(?:ICB|CCG|Integrated Care Board|Clinical Commissioning Group|NHS Foundation Trust|"
    r"NHS Trust|Foundation Trust|Ltd|Limited|LLP|PLC|plc)\b"
)
_BODY_SUFFIXES = (
    "ICB",
    "CCG",
    "Integrated Care",
    "Commissioning",
    "Trust",
    "Ltd",
    "Limited",
    "LLP",
    "PLC",
    "plc",
)
# Words that on their own name no one: "the Care Provider", "the NHS Trust", "the ICB".
_GENERIC_WORDS = frozenset(
    [
        "NHS",
        "Trust",
        "Foundation",
        "Care",
        "Provider",
        "Providers",
        "Council",
        "Home",
        "Homes",
        "Limited",
        "Ltd",
        "LLP",
        "PLC",
        "plc",
        "ICB",
        "CCG",
        "Integrated",
        "Board",
        "Clinical",
        "Commissioning",
        "Group",
        "Health",
        "Healthcare",
        "Hospital",
        "Hospitals",
        "University",
        "Nursing",
        "Residential",
        "Agency",
        "Company",
        "Local",
        "Authority",
        "The",
        "and",
        "of",
        "the",
        "&",
        "Social",
        "Services",
        "Service",
        "Trust's",
    ]
)
_HEADER_BODY_RE = re.compile(
    r"([A-Z][^(),;]*?)\s*\(\d{2}[ \u00a0-]?\d{3}[ \u00a0-]?\d{3}[A-Za-z]?\)"
)


def _is_generic(word: str) -> bool:
    return word.strip("()") in _GENERIC_WORDS


def _same_body(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    # The two quick ratios are upper bounds of ratio() and far cheaper (difflib's docs).
    matcher = SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() > 0.85
        and matcher.quick_ratio() > 0.85
        and matcher.ratio() > 0.85
    )


def _add_body(found: list[str], name: str, organisation: str | None) -> None:
    name = name.strip(" ,.;:-–")
    # "the Care Provider and Salveo Care Ltd": a generic phrase joined by "and" is not part
    # of the name ("Norfolk and Suffolk NHS Foundation Trust" keeps its "and").
    parts = name.split(" and ")
    while len(parts) > 1 and all(_is_generic(word) for word in parts[0].split()):
        parts.pop(0)
    name = " and ".join(parts)
    if not name or all(_is_generic(word) for word in name.split()):
        return
    if organisation and _same_body(name, organisation):
        return
    if not any(_same_body(name, earlier) for earlier in found):
        found.append(name)


HEADER_REST_CHARS = 1000


def bodies_in_header(rest: str) -> list[str]:
    """Other bodies after the first "Name (ref)" of a joint decision's header line."""
    # A real header line is a few bodies long; the lazy regex below is quadratic on a
    # "line" of a megabyte (a page with no line breaks), so only its start is read.
    rest = rest[:HEADER_REST_CHARS]
    names = [match.group(1) for match in _HEADER_BODY_RE.finditer(rest)]
    if not names:
        trailing = re.match(r"^[\s,;&]*(?:and\s+)?(.+)$", rest.strip())
        if trailing and trailing.group(1)[:1].isupper():
            names = [trailing.group(1)]
    return [re.sub(r"^(?:and|&)\s+", "", name.strip(" ,;")) for name in names]


# A joint decision names a few other bodies; each new name is compared with every one
# found so far (a fuzzy match), so a page of thousands of distinct "X Ltd" would be
# quadratic. Past these limits the rest of the page is not read for bodies.
MAX_OTHER_BODIES = 20
MAX_BODY_CANDIDATES = 100


def find_other_bodies(
    text: str, organisation: str | None, header_rest: str = ""
) -> tuple[str, ...]:
    """NHS bodies and named providers other than the organisation complained about."""
    return other_bodies_and_overflow(text, organisation, header_rest)[0]


def other_bodies_and_overflow(
    text: str, organisation: str | None, header_rest: str = ""
) -> tuple[tuple[str, ...], bool]:
    """The other bodies, and whether the limits above stopped the search early."""
    found: list[str] = []
    for name in bodies_in_header(header_rest):
        _add_body(found, name, organisation)
    if not any(suffix in text for suffix in _BODY_SUFFIXES):
        return tuple(found), False
    seen: set[str] = set()  # a name met again is decided as before: skip it
    for match in _BODY_SUFFIX_RE.finditer(text):
        name, _ = _name_before(text, match.start())
        candidate = f"{name} {match.group()}"
        if not name or candidate in seen:
            continue
        if len(seen) >= MAX_BODY_CANDIDATES or len(found) >= MAX_OTHER_BODIES:
            return tuple(found), True
        seen.add(candidate)
        _add_body(found, candidate, organisation)
    return tuple(found), False
