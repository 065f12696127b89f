"""Remedies: money payments with their purpose, and the kinds of action agreed or recommended.

Decision statements mention money in many roles: remedy payments, the Ombudsman's guidance
ranges ("usually recommend a payment of between £100 and £300"), bills, fees and grants
being disputed. Only amounts in sentences that speak of paying, refunding or offering, and
amounts in a list of agreed actions, are counted; guidance sentences are skipped.
"""

import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from decisions.parsing.money_roles import (
    COMPLAINT,
    FINDINGS,
    NOT_INVESTIGATED,
    REMEDY,
    SUMMARY,
    clauses,
    ends_the_complaint,
    money_is_remedy,
    negated_before,
    section_kind,
)
from decisions.parsing.payment_list import Payment, PaymentList, total_of, without_totals
from decisions.parsing.remedy_purposes import PURPOSE_LABELS, purposes_of

__all__ = [
    "PURPOSE_LABELS",
    "REMEDY_ACTIONS",
    "REMEDY_FLAGS",
    "Payment",
    "Remedies",
    "extract_remedies",
    "split_sentences",
]

# What a remedy may agree besides a payment, as `Remedies` holds it and a decision's
# `remedies` stores it: the remedy filter, its facet, the search index and the statistics
# all read this list, so a new action is one edit here (and a field below).
REMEDY_ACTIONS = ("apology", "service_improvement", "reassessment", "staff_training")
# Every flag of `Remedies`: the actions, and whether the body had already provided some
# of the remedy before the decision (said on the page, never filtered by).
REMEDY_FLAGS = (*REMEDY_ACTIONS, "already_provided")


@dataclass(frozen=True)
class Remedies:
    payments: tuple[Payment, ...] = ()
    total: Decimal = Decimal("0")
    apology: bool = False
    service_improvement: bool = False
    reassessment: bool = False
    staff_training: bool = False
    already_provided: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "payments": [payment.as_dict() for payment in self.payments],
            "total": f"{self.total:.2f}",
            **{flag: getattr(self, flag) for flag in REMEDY_FLAGS},
        }


# A sentence ends at . ! or ? followed by space and a capital, digit, £ or opening quote.
# (Starting the pattern with a character class, not a look-behind, keeps the scan fast.)
_SENTENCE_END_RE = re.compile(r"[.!?][\s\u00a0]+(?=[A-Z0-9£(‘“'\"])")
# The number is atomic, (?>...): once read whole it is never read shorter. Backing off
# digit by digit from "£12.5 million" found "£12" (and took quadratic time on a long
# run of digits followed by "million").
_AMOUNT_RE = re.compile(
    r"£[\s\u00a0]?(?>(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?)(?![\d,]*\s*(?:million|m\b|bn\b))"
)
# A paragraph that introduces a list of remedies: "The Council has agreed to:", "Within
# four weeks of my final decision, the Council should:". Once one pattern, whose
# "within ... weeks[^:]*" was retried from every "within" to the next colon: quadratic.
# Now "within" is checked once, from its last occurrence (an earlier one can only reach
# the same colon or an earlier one, which is further from the end). The possessive \w*+
# gives back nothing that could help: what follows it must start with a space or not
# be a word character.
_REMEDY_LIST_INTRO_RE = re.compile(
    r"\b(?:agreed?|agrees|should|will|recommend\w*+|must)(?: to| that)?[^.]{0,80}:\s*$",
    re.I,
)
_WITHIN_RE = re.compile(r"\bwithin \w+ (?:weeks|months)", re.I)
_WITHIN_INTRO_END_RE = re.compile(r"[^:]*+(?: to| that)?[^.]{0,80}:\s*$", re.I)
# A sentence that agrees, recommends or reports an action (lower-case substrings).
_ACTION_WORDS = (
    "agree",
    "will",
    "should",
    "recommend",
    "must",
    "offer",
    "accept",
    "to remedy",
    "to put things right",
    "to put matters right",
    "has now",
    "have now",
    "already",
    "since",
    "has ",
    "have ",
    "apologised",
    "apologized",
    "appropriate",
    "suitable",
    "sufficient",
    "adequate",
    "reasonable",
)
_DONE_SINCE_RE = re.compile(r"\b(?:has|have) (?:now|since|already) (?:done so|done this)\b", re.I)
# What the complainant says or wants: "Mrs X says the Council never apologised".
_REPORTED_FLAG_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? [A-Z][\w’'-]*(?: \w+){0,2}? (?:says?|said|complain(?:s|ed|ing)?|"
    r"wants?|wanted|asks?|asked|requests?|requested|claims?|claimed|believes?|feels?)\b"
)
_COUNTERFACTUAL_WORDS = ("should have", "must have", "would have", "could have", "ought to have")
# What the complainant wants is not a remedy.
_WANTS_WORDS = ("want", "would like", "asks for", "ask for", "asked for", "seek")
_APOLOGY_RE = re.compile(r"\bapolog(?:i[sz]\w*|y|ies)\b", re.I)
_SERVICE_RE = re.compile(
    r"\bservice improvements?\b|\bimprove (?:its|their|the) (?:\w+ )?(?:services?|procedures?|"
    r"process(?:es)?|practice|polic(?:y|ies))|\baction to improve\b|"
    r"\breview\w* (?:its|their|the|how it|how they) (?:\w+ ){0,3}(?:procedures?|polic(?:y|ies)|"
    r"process(?:es)?|practices?|guidance|arrangements)|"
    r"\breview\w* how (?:it|they|the council|the organisation|its \w+) \w+|"
    r"\b(?:remind|reminds|reminding|reminder to) (?:\w+ ){0,3}(?:staff|officers|social workers|"
    r"employees|them|teams?|managers|caseworkers|agents)\b|"
    r"\b(?:provide|give|offer) (?:\w+ ){0,2}feedback\b|\blessons (?:learned|learnt)\b|"
    # Not "we will share this decision with Ofsted" (the information sharing agreement).
    r"\bshare (?:the |any )?(?:learning|lessons)\b|\bshare (?:\w+ ){0,5}with (?:its |all |"
    r"the |relevant |their )?(?:\w+ ){0,2}(?:staff|officers|teams?|managers|social workers|"
    r"caseworkers|employees)\b|"
    r"\bguidance (?:to|for) (?:\w+ ){0,2}(?:staff|officers)|"
    r"\b(?:change|amend|update|revise)[sd]? (?:its|their|the) (?:\w+ ){0,2}(?:procedures?|"
    r"polic(?:y|ies)|process(?:es)?|practice|guidance)|\bprocedur(?:e|al) changes?\b|"
    r"\bensure\b.{0,80}\b(?:in (?:the )?future|does not happen again|not repeated)\b|"
    r"\b(?:make sure|ensure) (?:that )?(?:\w+ ){0,2}(?:staff|officers|employees|social workers|"
    r"caseworkers)\b|"
    r"\b(?:introduc\w*|put in place|implement\w*|set up|creat\w*|develop\w*|adopt\w*) (?:a |an |"
    r"new |its )?(?:\w+ ){0,2}(?:checklists?|procedures?|polic(?:y|ies)|process(?:es)?|"
    r"guidance|protocols?|systems?|templates?)\b|"
    r"\b(?:give|issue|provide|send)s? (?:its |all |relevant |the )?(?:\w+ )?(?:staff|officers|"
    r"employees|teams?) (?:\w+ )?(?:guidance|advice|instructions?|reminders?)\b|"
    r"\bprevent (?:it|this|them|the fault|the same|a recurrence)\b.{0,30}\b(?:again|recur\w*)|"
    r"\baction to (?:address|improve|prevent)\b|\bstaff briefings?\b|\bbrief(?:ing)? (?:its |all )?staff",
    re.I,
)
_REASSESS_RE = re.compile(
    r"\bre-?assess\w*|\breconsider\w*|"
    r"\b(?:carry out|complete|undertake|arrange|do) (?:a |an )?(?:new|fresh|further|full) "
    r"(?:\w+ ){0,2}(?:assessment|review)|"
    r"\breview (?:the |its |his |her |their |this |Mr \w+[’']s |Mrs \w+[’']s |Ms \w+[’']s |"
    r"Miss \w+[’']s )?(?:\w+ ){0,2}(?:decision|needs|assessment|case|application|care plan|"
    r"eligibility|entitlement)",
    re.I,
)
_TRAINING_RE = re.compile(r"\btrain(?:ing|ed)?\b", re.I)
_ALREADY_RE = re.compile(
    r"\balready (?:accepted|offered|apologi[sz]ed|provided|paid|made (?:a|an) (?:payment|apology)|"
    r"agreed|remedied|refunded|reimbursed|put (?:things|matters) right|taken action|"
    r"carried out|issued|given|credited|waived|reassessed|completed)\b|"
    r"\bremedy (?:it )?(?:had |has )?already (?:provided|offered|given)\b|"
    r"\b(?:council|organisation|provider|authority|it) (?:has|had) already\b",
    re.I,
)


def split_sentences(text: str) -> list[str]:
    sentences = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        sentences.append(text[start : match.start() + 1])
        start = match.end()
    sentences.append(text[start:])
    return [sentence for sentence in sentences if sentence]


def _sentences(paragraph: str, lowered: str) -> list[tuple[str, str]]:
    """(sentence, lower-cased sentence) pairs, lower-casing the paragraph only once."""
    if len(lowered) != len(paragraph):  # a few characters change length when lower-cased
        return [(sentence, sentence.lower()) for sentence in split_sentences(paragraph)]
    pairs = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(paragraph):
        end = match.start() + 1
        pairs.append((paragraph[start:end], lowered[start:end]))
        start = match.end()
    if start < len(paragraph):
        pairs.append((paragraph[start:], lowered[start:]))
    return pairs


def _introduces_remedy_list(paragraph: str) -> bool:
    """Whether a paragraph that ends with ":" introduces a list of remedies."""
    if _REMEDY_LIST_INTRO_RE.search(paragraph):
        return True
    last = deque(_WITHIN_RE.finditer(paragraph), maxlen=1)
    return bool(last) and bool(_WITHIN_INTRO_END_RE.match(paragraph, last[0].end()))


_RATE_RE = re.compile(
    r"\s*(?:(?:a|per|each|every) (?:week|month|year|day|night|hour|term)\b|weekly\b|monthly\b)"
)


def _payments_in(sentence: str, lowered: str = "") -> list[Payment]:
    """Every amount in a sentence already judged a remedy, with its purpose. `lowered`:
    the sentence lower-cased, when the caller has it."""
    # A rate ("£312 a week") is a charge, an allowance or a benefit, not a payment made.
    matches = [m for m in _AMOUNT_RE.finditer(sentence) if not _RATE_RE.match(sentence, m.end())]
    purposes = purposes_of(sentence, [match.span() for match in matches], lowered)
    payments = []
    # An amount written the same way is the same Decimal: made once (a sentence may give
    # thousands of amounts, mostly the same few).
    amounts: dict[tuple[str, str | None], Decimal] = {}
    for match, purpose in zip(matches, purposes, strict=True):
        written = (match.group(1), match.group(2))
        amount = amounts.get(written)
        if amount is None:
            whole, pence = written
            # Two decimal places as written: exact whatever the size (no context rounds it).
            amount = Decimal(whole.replace(",", "") + "." + (pence or "0").ljust(2, "0"))
            amounts[written] = amount
        payments.append(Payment(amount=amount, purpose=purpose, text=sentence))
    return payments


# Words one of which a sentence must contain before the regexes for a flag are tried: one
# scan of the lower-cased text instead of a dozen case-insensitive regexes over every sentence.
_TRIGGERS = {
    "already": ("already_provided",),
    "apolog": ("apology",),
    "train": ("staff_training",),
    "assessment": ("reassessment",),
    "reassess": ("reassessment",),
    "re-assess": ("reassessment",),
    "reconsider": ("reassessment",),
    "review": ("reassessment", "service_improvement"),
}
_SERVICE_TRIGGERS = (
    "make sure",
    "introduc",
    "put in place",
    "implement",
    "set up",
    "creat",
    "develop",
    "adopt",
    "guidance",
    "feedback",
    "share",
    "lessons",
    "service improvement",
    "improve",
    "remind",
    "guidance to",
    "guidance for",
    "procedur",
    "ensure",
    "prevent",
    "action to",
    "brief",
    "change",
    "amend",
    "update",
    "revise",
)
_TRIGGERS.update({word: ("service_improvement",) for word in _SERVICE_TRIGGERS})
_FLAG_PATTERNS = {
    "apology": _APOLOGY_RE,
    "service_improvement": _SERVICE_RE,
    "reassessment": _REASSESS_RE,
    "staff_training": _TRAINING_RE,
}


def extract_remedies(
    summary: str, sections: Iterable[tuple[str, Sequence[str]]], *, outcome: str = ""
) -> Remedies:
    """Remedies stated in the summary and the body, given as (heading, paragraphs) pairs,
    of a decision with this outcome family ("" when unknown: taken as investigated)."""
    lowered_sections = [
        (kind, [(paragraph, paragraph.lower()) for paragraph in paragraphs])
        for kind, paragraphs in (
            (SUMMARY, (summary,)),
            *((section_kind(heading), paragraphs) for heading, paragraphs in sections),
        )
    ]
    # Substring tests (fast) decide which paragraphs and sentences the regexes look at.
    page = "\n".join(lowered for _, section in lowered_sections for _, lowered in section)
    triggers = [word for word in _TRIGGERS if word in page]
    payments = PaymentList()
    flags = dict.fromkeys(REMEDY_FLAGS, False)
    investigated = outcome not in NOT_INVESTIGATED
    # A sentence's payments depend on nothing but its words, its section's kind and
    # whether it stands in a list of remedies: judged once however often it recurs (a
    # page repeating one sentence thousands of times reads it once).
    judged: dict[tuple[str, str, bool], tuple[Payment, ...]] = {}
    for kind, section in lowered_sections:
        # A paragraph ending "the Council has agreed to:" introduces a list of remedies,
        # which runs to the end of its section; an "Agreed action" section is one.
        in_remedy_list = kind == REMEDY
        for paragraph, lowered in section:
            if kind == COMPLAINT:
                # The complaint as made: what follows says what the remedy is.
                if not ends_the_complaint(lowered):
                    continue
                kind = FINDINGS
            words = [word for word in triggers if word in lowered]
            if words or "£" in paragraph:
                for sentence, lowered_sentence in _sentences(paragraph, lowered):
                    hits = [word for word in words if word in lowered_sentence]
                    if "£" in sentence:
                        key = (sentence, kind, in_remedy_list)
                        given = judged.get(key)
                        if given is None:
                            remedy = money_is_remedy(
                                sentence,
                                lowered_sentence,
                                kind=kind,
                                investigated=investigated,
                                in_remedy_list=in_remedy_list,
                            )
                            given = judged[key] = (
                                tuple(_payments_in(sentence, lowered_sentence)) if remedy else ()
                            )
                        if given:
                            payments.merge(given)
                    if hits:
                        _set_flags(flags, sentence, lowered_sentence, hits, in_remedy_list)
            if paragraph.endswith(":") and _introduces_remedy_list(paragraph):
                in_remedy_list = True
    found = without_totals(payments.found)
    return Remedies(payments=tuple(found), total=total_of(found), **flags)


def _set_flags(
    flags: dict[str, bool], sentence: str, lowered: str, hits: list[str], in_remedy_list: bool
) -> None:
    candidates = {flag for word in hits for flag in _TRIGGERS[word] if not flags[flag]}
    if "already_provided" in candidates and _ALREADY_RE.search(sentence):
        flags["already_provided"] = True
    candidates.discard("already_provided")
    if not candidates:
        return
    # Flags need a sentence that agrees, recommends or reports an action, not one that
    # reports what the complainant wants.
    if not in_remedy_list and not any(word in lowered for word in _ACTION_WORDS):
        return
    if any(word in lowered for word in _WANTS_WORDS) or _REPORTED_FLAG_RE.search(sentence):
        return
    # Split and searched once for all the flags: a long sentence is read once, not once
    # a flag.
    done_since = bool(_DONE_SINCE_RE.search(sentence))
    split = clauses(sentence)
    for flag in candidates:
        if _affirmed(_FLAG_PATTERNS[flag], sentence, split, done_since):
            flags[flag] = True


def _affirmed(pattern: re.Pattern[str], sentence: str, split: list[str], done_since: bool) -> bool:
    """Whether the action stands in a clause (of `split`, the sentence's) that neither
    negates it before it ("I do not consider an apology is needed") nor says it only
    should have happened, unless the sentence goes on to say it has been done since
    ("... and it has now done so": `done_since`)."""
    if done_since and pattern.search(sentence):
        return True
    for clause in split:
        for match in pattern.finditer(clause):
            before = clause[: match.start()].lower()
            if negated_before(clause, match.start()):
                continue
            if any(word in before for word in _COUNTERFACTUAL_WORDS):
                continue
            return True
    return False
