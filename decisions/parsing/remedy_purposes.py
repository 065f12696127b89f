"""What a remedy payment is for: one word from a fixed vocabulary, so payments can be grouped.

The statements name a payment's purpose in many words ("to acknowledge the distress and
uncertainty", "for her time and trouble", "for the special educational provision C
missed"). `purpose_of()` reads the words around an amount and returns a key of
`PURPOSE_LABELS` (README, "Remedies"): the key is what is stored, the label what is shown.
"""

import re
from bisect import bisect_left, bisect_right

from decisions.parsing.money_roles import same_length_lower

# Key -> label. The order is the order the statistics list them in.
PURPOSE_LABELS: dict[str, str] = {
    "distress": "Distress",  # distress, uncertainty, frustration, anxiety, upset, inconvenience
    "time_and_trouble": "Time and trouble",  # pursuing the complaint
    "lost_education": "Lost education",  # special educational provision, tuition missed
    "lost_care": "Lost care or support",  # respite, care, support services missed
    "lost_opportunity": "Lost opportunity",
    "financial_loss": "Financial loss",  # benefits, allowances, income the person lost
    "costs": "Costs incurred",  # legal costs, reports, travel, rent the person paid out
    "refund": "Refund of a charge",  # a fee, charge or tax paid to the organisation
    "waived_charge": "Charge waived or reduced",  # arrears, care charges, fees written off
    "other": "Other stated purpose",  # a purpose is stated, none of the above
    "": "Purpose not stated",
}

# Explicit purposes, each a pattern; the earliest match in the words after an amount wins
# (at one position, the first listed). One alternation, so one scan a segment.
_EXPLICIT_PATTERNS = (
    ("time_and_trouble", r"\b(?:time,? (?:and )?)?trouble\b"),
    (
        "lost_education",
        r"\b(?:educat\w*|schooling|tuition|teaching|(?:missed|lost|without) (?:\w+ ){0,2}"
        r"(?:provision|therapy|therapies)|(?:special educational |sen |ehc ?p? )provision)\b",
    ),
    (
        "lost_care",
        r"\b(?:(?:lost|missed|loss of|without) (?:\w+ ){0,2}(?:respite|care|support|services?)|"
        r"respite)\b",
    ),
    ("lost_opportunity", r"\b(?:loss of|lost) (?:the |an? )?(?:opportunity|chance)\b"),
    (
        "distress",
        r"\b(?:distress\w*|uncertainty|frustrat\w*|inconvenience|upset|anxiety|worry|stress|"
        r"hurt|outrage|embarrassment|loss of dignity|avoidable (?:harm|suffering))\b",
    ),
    (
        "financial_loss",
        r"\b(?:lost income|loss of (?:income|earnings|benefits?)|financial loss|"
        r"(?:should|would) have (?:received|been paid|been awarded)|"
        r"allowances?|benefits?|discretionary housing payments?|direct payments?|"
        r"housing benefit|universal credit|pension|wages|earnings|owed|underpaid|underpayment)\b",
    ),
    (
        "costs",
        r"\b(?:legal (?:costs|fees|advice)|solicitor\w*|costs?|expenses?|receipts?|"
        r"(?:she|he|they|it) (?:paid|spent|arranged)|paid (?:for|out)|out of pocket|"
        r"travel\w*|removals?|storage|private (?:\w+ ){0,3}(?:assessments?|reports?|"
        r"surveys?|tuition|therapy|care)|surveys?|valuations?)\b",
    ),
    ("refund", r"\b(?:fees?|charges?|council tax|rent|fines?|penalty)\b"),
    (
        "other",
        r"\b(?:for|of) (?:the |its |her |his |their )?(?:\w+ ){0,2}(?:delays?|failures?|failings|"
        r"errors?|mistakes?|poor \w+)\b",
    ),
)
# Each pattern starts with \b: said once, in front, the scan skips every other position
# at once instead of trying each alternative there (several times faster).
assert all(pattern.startswith(r"\b") for _, pattern in _EXPLICIT_PATTERNS)
# Written in lower case, read in the lower-cased sentence: re.I costs twice the time.
_EXPLICIT_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<{key}>{pattern[2:]})" for key, pattern in _EXPLICIT_PATTERNS) + ")"
)
# Words that name a purpose too vaguely to group by: the payment's purpose is not stated.
# Matched at the amount's end (no "^": match() anchors at the position given).
_VAGUE_RE = re.compile(r"\W*(?:for|to acknowledge|to recognise|to reflect)? ?(?:the )?injustice")
# Between a purpose and its amount: "legal costs of £1,320", "arrears totalling £780".
_OF_RE = re.compile(r" ?(?:of|totalling|amounting to|in|at) ")
# Where the words about one amount end: the next clause is about something else.
# Every alternative starts with a fixed character (not ",?"), which lets the scan skip
# ahead to the next ";", "," or space instead of trying the pattern at every position.
_CLAUSE_WORDS = r"(?:but|although|because|whereas)\b"
_CLAUSE_END_RE = re.compile(rf";|, {_CLAUSE_WORDS}| {_CLAUSE_WORDS}")
_WAIVE_RE = re.compile(
    r"\b(?:waive\w*|write off|written off|writing off|reduc\w*|credit\w*|cancel\w*)\b"
)
_REFUND_RE = re.compile(r"\b(?:refund\w*|reimburs\w*|repay\w*)\b")
# Words without one of which those two patterns cannot match: a substring test is far
# cheaper than a scan of a long sentence.
_WAIVE_WORDS = ("waive", "write off", "written off", "writing off", "reduc", "credit", "cancel")
_REFUND_WORDS = ("refund", "reimburs", "repay")


def purposes_of(sentence: str, spans: list[tuple[int, int]], lowered: str = "") -> list[str]:
    """The purpose of each amount of a sentence (given as its spans), a key of
    PURPOSE_LABELS: named just before it ("legal costs of £1,320"), else in the words
    after it up to the next amount or clause, else (for the first amount) anywhere before
    it; else from what the sentence does with the sum (waives or refunds it).

    The sentence is scanned once for purposes and clause ends, and each amount looks its
    own up (bisect): a sentence of 20,000 amounts costs 20,000 look-ups, not 20,000 scans.
    `lowered`: the sentence lower-cased, when the caller has it."""
    if len(lowered) != len(sentence):
        lowered = sentence.lower()
    if len(lowered) != len(sentence):
        lowered = same_length_lower(sentence)
    named = list(_EXPLICIT_RE.finditer(lowered))
    starts = [match.start() for match in named]
    ends = [match.end() for match in named]
    clause_ends = [match.start() for match in _CLAUSE_END_RE.finditer(lowered)]
    waive = _WAIVE_RE.search(lowered) if any(w in lowered for w in _WAIVE_WORDS) else None
    refund = _REFUND_RE.search(lowered) if any(w in lowered for w in _REFUND_WORDS) else None
    vague = "injustice" in lowered
    purposes = []
    for index, (start, end) in enumerate(spans):
        stop = spans[index + 1][0] if index + 1 < len(spans) else len(sentence)
        next_clause = bisect_left(clause_ends, end)
        if next_clause < len(clause_ends):
            stop = min(stop, clause_ends[next_clause])
        if vague and _VAGUE_RE.match(lowered, end):
            purposes.append("")
            continue
        key = ""
        before = bisect_right(ends, start) - 1
        after = bisect_left(starts, end)
        if before >= 0 and _OF_RE.fullmatch(lowered, ends[before], start):
            key = named[before].lastgroup or ""
        elif after < len(named) and starts[after] < stop:
            key = named[after].lastgroup or ""
        elif index == 0 and named and starts[0] < start:
            key = named[0].lastgroup or ""
        if key in ("refund", ""):
            # What the organisation does with a fee, a charge or an unnamed sum.
            if waive is not None and waive.start() < start:
                key = "waived_charge"
            elif refund is not None:  # "charged her £95 ... has refunded the charge"
                key = "refund"
        purposes.append(key)
    return purposes
