"""Outcome families: the LGSCO's published wordings grouped by meaning, and inference from text.

The "Decision :" line uses many wordings over the years ("Upheld: maladministration and
injustice", "Closed after initial enquiries - out of jurisdiction", ...). They are mapped to a
handful of stable family keys. Pages without that line get a family inferred from what the
Final decision section (or the summary) says.
"""

import re

OUTCOME_FAMILIES: tuple[tuple[str, str], ...] = (
    ("upheld", "Upheld"),
    ("not_upheld", "Not upheld"),
    ("closed_after_initial_enquiries", "Closed after initial enquiries"),
    ("discontinued", "Investigation discontinued"),
    ("withdrawn", "Withdrawn"),
    ("premature", "Premature / referred back for local resolution"),
    ("no_jurisdiction", "Outside jurisdiction"),
)

# Checked in order against the normalised wording; the first match wins, so the more
# specific phrases ("not upheld", "closed after initial enquiries - out of jurisdiction")
# come before the ones they contain ("upheld", "jurisdiction").
_WORDING_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), family)
    for pattern, family in (
        (r"^not upheld\b", "not_upheld"),
        (r"^no maladministration\b", "not_upheld"),
        (r"\bclosed after initial enquiries\b", "closed_after_initial_enquiries"),
        (r"^(?:advice given|incomplete|invalid|closed)\b", "closed_after_initial_enquiries"),
        (r"\bdiscontinued\b", "discontinued"),
        (r"\bwithdrawn\b", "withdrawn"),
        (r"\b(?:referred back|local resolution|premature)\b", "premature"),
        (r"\b(?:not in|outside|out of|no) jurisdiction\b", "no_jurisdiction"),
        (r"^upheld\b", "upheld"),
        (r"^(?:maladministration|injustice)\b", "upheld"),
    )
)
_NON_WORD_RE = re.compile(r"[^a-z0-9]+")


def outcome_family(wording: str) -> str:
    """Map a published outcome wording to its family key; "" when the wording is unknown."""
    normalised = _NON_WORD_RE.sub(" ", wording.lower()).strip()
    for pattern, family in _WORDING_RULES:
        if pattern.search(normalised):
            return family
    return ""


# --- inference from text ------------------------------------------------------------------

_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+")
# Clauses joined by "but"/"however" can carry opposite findings ("no fault in its decision
# but fault in its communications"), so each clause is judged on its own.
_CLAUSE_SPLIT_RE = re.compile(r";|\bbut\b|\bhowever\b|\balthough\b|\bwhile\b|\bwhereas\b", re.I)
_CONDITIONAL_RE = re.compile(r"^\W*(?:if|whether|where|when|unless)\b", re.I)
# What the complainant says is not a finding: "Mr X complained of fault by the Council".
_REPORTED_RE = re.compile(
    r"\b(?:complain(?:s|ed|ing)?|says?|said|alleg\w*|believes?|claim(?:s|ed)?|feels?|felt|wants?|asks?)\b",
    re.I,
)

_DISCONTINUED_RE = re.compile(
    r"\b(?:discontinu\w*|end(?:ed)?|stop(?:ped)?|clos(?:e|ed)) (?:our|my|the|this) investigation"
    r"|\binvestigation (?:was|has been|is) discontinued",
    re.I,
)
_NOT_INVESTIGATE_RE = re.compile(
    r"\b(?:will|can|could|should|shall|would|may|did|do)(?: not|n[’']t|not) "
    r"(?:start (?:an |to )?|begin (?:an |to )?|now )?investigat"
    r"|\b(?:decided|decide|decision is) not to (?:start an |begin an )?investigat"
    r"|\bnot (?:to )?exercise (?:\w+ ){0,3}discretion to investigate"
    r"|\bno (?:further )?(?:power|jurisdiction) to investigate",
    re.I,
)
_NEGATIVE_RE = re.compile(
    r"\b(?:no|not|n[’']t|nothing|without|cannot)\b(?:\s+\S+){0,5}?\s+"
    r"(?:fault|uphold|upheld|maladministration)\b"
    r"|\bno (?:\w+ ){0,3}(?:fault|maladministration)\b",
    re.I,
)
_POSITIVE_RE = re.compile(
    r"\b(?:uphold|upheld)\b"
    r"|\b(?:found|find|finding|was|were|is|are|been|be|there was|there is) (?:\w+ ){0,3}fault"
    r"|\bfault (?:by|on the part of|which|that|causing|caused)\b"
    r"|\bcaused (?:\w+ ){0,4}injustice"
    r"|\b(?:should|will|has agreed to|agreed to|must) (?:\w+ ){0,2}apologi[sz]e",
    re.I,
)


# A summary or Final decision section is a few hundred words; the patterns below cost
# about a second a megabyte, so a "summary" of a megabyte (a page with no line breaks)
# is judged by its start. Real pages are never cut.
MAX_CLASSIFIED_CHARS = 20_000


def _classify(text: str) -> str:
    """Family stated by one block of text (its first MAX_CLASSIFIED_CHARS), or ""."""
    text = text[:MAX_CLASSIFIED_CHARS]
    if not text:
        return ""
    if _DISCONTINUED_RE.search(text):
        return "discontinued"
    positive = negative = False
    for sentence in _SENTENCE_SPLIT_RE.split(text):
        if _NOT_INVESTIGATE_RE.search(sentence) and not _POSITIVE_RE.search(sentence):
            return "closed_after_initial_enquiries"
        for clause in _CLAUSE_SPLIT_RE.split(sentence):
            if _CONDITIONAL_RE.search(clause) or _REPORTED_RE.search(clause):
                continue
            if _NEGATIVE_RE.search(clause):
                negative = True
            elif _POSITIVE_RE.search(clause):
                positive = True
    if positive:
        return "upheld"
    if negative:
        return "not_upheld"
    return ""


_FINAL_DECISION_RE = re.compile(r"^(?:(?:my|our|the) )?final decisions?:?[ \t]*$", re.I | re.M)


def infer_outcome(summary: str, body: str) -> str:
    """Infer the outcome family from the text; "" when it does not say.

    Prefers the part of ``body`` after a "Final decision" heading, then the summary, then
    the rest of ``body``."""
    final = _FINAL_DECISION_RE.search(body)
    if final:
        return _classify(body[final.end() :]) or _classify(summary)
    return _classify(summary) or _classify(body)
