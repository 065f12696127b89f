"""What a remedy payment is for: one word from a fixed vocabulary, so payments can be grouped.

The statements name a payment's purpose in many words ("to acknowledge the distress and
uncertainty", "for her time and trouble", "for the special educational provision C
missed"). `purpose_of()` reads the words around an amount and returns a key of
`PURPOSE_LABELS` (README, "Remedies"): the key is what is stored, the label what is shown.
"""

import re

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

# Explicit purposes, each a pattern; the earliest match in the words after an amount wins.
_EXPLICIT = tuple(
    (key, re.compile(pattern, re.I))
    for key, pattern in (
        ("time_and_trouble", r"\b(?:time,? (?:and )?)?trouble\b"),
        (
            "lost_education",
            r"\b(?:educat\w*|schooling|tuition|teaching|(?:missed|lost|without) (?:\w+ ){0,2}"
            r"(?:provision|therapy|therapies)|(?:special educational |SEN |EHC ?P? )provision)\b",
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
            r"\w*[’']?s? ?allowance|benefits?|discretionary housing payments?|direct payments?|"
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
)
# Words that name a purpose too vaguely to group by: the payment's purpose is not stated.
_VAGUE_RE = re.compile(r"^\W*(?:for|to acknowledge|to recognise|to reflect)? ?(?:the )?injustice")
# Where the words about one amount end: the next clause is about something else.
_CLAUSE_END_RE = re.compile(r";|,? but\b|,? although\b|,? because\b|,? whereas\b", re.I)
_NAMED_BEFORE_RE = re.compile(r"((?:[\w’'-]+ ){1,3})(?:of|totalling|amounting to) $", re.I)
_WAIVE_RE = re.compile(
    r"\b(?:waive\w*|write off|written off|writing off|reduc\w*|credit\w*)\b", re.I
)
_REFUND_RE = re.compile(r"\b(?:refund\w*|reimburs\w*|repay\w*)\b", re.I)


def _explicit(segment: str) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for key, pattern in _EXPLICIT:
        match = pattern.search(segment)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), key)
    return best


def purposes_of(sentence: str, spans: list[tuple[int, int]]) -> list[str]:
    """The purpose of each amount of a sentence (given as its spans), a key of
    PURPOSE_LABELS: from the words after it, up to the next amount; for the first amount
    also from the words before it ("legal costs of £1,320"); else from what the sentence
    does with the sum (waives or refunds it). Linear in the sentence, however many amounts."""
    waive = _WAIVE_RE.search(sentence)
    refund = _REFUND_RE.search(sentence)
    purposes = []
    for index, (start, end) in enumerate(spans):
        after = sentence[end : spans[index + 1][0] if index + 1 < len(spans) else len(sentence)]
        after = _CLAUSE_END_RE.split(after, maxsplit=1)[0]
        if _VAGUE_RE.match(after):
            purposes.append("")
            continue
        # "legal costs of £1,320": the words just before the amount name it first.
        named = _NAMED_BEFORE_RE.search(sentence, max(0, start - 60), start)
        found = (
            (_explicit(named.group(1)) if named else None)
            or _explicit(after)
            or (_explicit(sentence[:start]) if index == 0 else None)
        )
        key = found[1] if found else ""
        if key in ("refund", ""):
            # What the organisation does with a fee, a charge or an unnamed sum.
            if waive is not None and waive.start() < start:
                key = "waived_charge"
            elif refund is not None and refund.start() < start:
                key = "refund"
        purposes.append(key)
    return purposes
