"""Remedies: money payments with their purpose, and the kinds of action agreed or recommended.

Decision statements mention money in many roles: remedy payments, the Ombudsman's guidance
ranges ("usually recommend a payment of between £100 and £300"), bills, fees and grants
being disputed. Only amounts in sentences that speak of paying, refunding or offering, and
amounts in a list of agreed actions, are counted; guidance sentences are skipped.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Payment:
    amount: Decimal
    purpose: str  # "distress", "time and trouble", ... ; "" when the sentence does not say
    text: str  # the sentence it came from

    def as_dict(self) -> dict[str, str]:
        return {"amount": f"{self.amount:.2f}", "purpose": self.purpose, "text": self.text}


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
            "apology": self.apology,
            "service_improvement": self.service_improvement,
            "reassessment": self.reassessment,
            "staff_training": self.staff_training,
            "already_provided": self.already_provided,
        }


_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])[\s\u00a0]+(?=[A-Z0-9£(‘“'\"])")
_AMOUNT_RE = re.compile(
    r"£[\s\u00a0]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?![\d,]*\s*(?:million|m\b|bn\b))"
)
_REMEDY_VERB_RE = re.compile(
    r"\b(?:pay|pays|paid|paying|payment|refund\w*|reimburs\w*|offer\w*|award\w*|"
    r"compensat\w*|a further|remed\w*|waive\w*|write off|written off|credit\w*|reduc\w*)\b",
    re.I,
)
# Guidance ranges and statements of practice, not payments in this case.
_GUIDANCE_RE = re.compile(
    r"\bbetween £|\bup to £|\busually recommend|\bnormally recommend|\btypically\b|"
    r"\bremedies guidance|\bguidance on remedies|\bour guidance\b|\bin the range\b|\brange of £",
    re.I,
)
# Money the complainant was asked to pay, or bills and fees in dispute.
_NOT_REMEDY_RE = re.compile(
    r"\b(?:had|has|have|would have|needed|need|was asked|were asked|been asked|told) to pay\b|"
    r"\b(?:invoice[sd]?|bill(?:ed|s)?|charged|arrears|debt|liability order|fine|penalty|"
    r"grant of|fees? of|costs? of|price|valued?|salary|income|rent of|deposit)\b",
    re.I,
)
_STRONG_REMEDY_RE = re.compile(
    r"\b(?:refund\w*|reimburs\w*|compensat\w*|to acknowledge|in recognition|to recognise|"
    r"to remedy|to reflect|for (?:the |her |his |their )?(?:distress|time and trouble))\b",
    re.I,
)
_PURPOSE_RE = re.compile(
    r"\b(time,? trouble and (?:frustration|distress)|time and trouble|"
    r"distress(?: and (?:uncertainty|frustration|inconvenience|anxiety|upset))?|"
    r"uncertainty|frustration|inconvenience|upset|anxiety|"
    r"lost (?:opportunity|education|education provision|provision|respite|care|income|benefits?)|"
    r"loss of (?:opportunity|education|provision|respite|care|income|benefits?|earnings|amenity)|"
    r"missed (?:education|provision|respite|care|support)|"
    r"legal (?:costs|fees)|costs|expenses|fees|overpayment|rent|council tax|"
    r"injustice|impact|harm|damage|delay)\b",
    re.I,
)
_REMEDY_LIST_INTRO_RE = re.compile(
    r"\b(?:agreed?|agrees|should|will|recommend\w*|must|within \w+ (?:weeks|months)[^:]*)"
    r"(?: to| that)?[^.]{0,80}:\s*$",
    re.I,
)
_ACTION_RE = re.compile(
    r"\b(?:agree[sd]?|will|should(?! have)|recommend\w*|must(?! have)|offer\w*|"
    r"accept\w*|to remedy|to put (?:things|matters) right|has now|have now|has already|"
    r"had already|already)\b",
    re.I,
)
_WANTS_RE = re.compile(r"\b(?:wants?|wanted|would like|asks? for|asked for|seeks?|seeking)\b", re.I)
_APOLOGY_RE = re.compile(r"\bapolog(?:i[sz]\w*|y|ies)\b", re.I)
_SERVICE_RE = re.compile(
    r"\bservice improvements?\b|\bimprove (?:its|their|the) (?:\w+ )?(?:services?|procedures?|"
    r"process(?:es)?|practice|polic(?:y|ies))|\baction to improve\b|"
    r"\breview (?:its|their|the|how it|how they) (?:\w+ ){0,3}(?:procedures?|polic(?:y|ies)|"
    r"process(?:es)?|practices?|guidance|arrangements)|"
    r"\b(?:remind|reminding|reminder to) (?:\w+ ){0,3}(?:staff|officers|social workers|employees)|"
    r"\bguidance (?:to|for) (?:\w+ ){0,2}(?:staff|officers)|"
    r"\b(?:change|amend|update|revise) (?:its|their|the) (?:\w+ ){0,2}(?:procedures?|"
    r"polic(?:y|ies)|process(?:es)?|practice|guidance)|\bprocedur(?:e|al) changes?\b|"
    r"\bensure\b.{0,80}\b(?:in (?:the )?future|does not happen again|not repeated)\b|"
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
    return [sentence for sentence in _SENTENCE_SPLIT_RE.split(text) if sentence]


def _purpose(segment: str) -> str:
    match = _PURPOSE_RE.search(segment)
    return match.group(1).lower() if match else ""


def _payments_in(sentence: str, *, in_remedy_list: bool) -> list[Payment]:
    if "£" not in sentence or _GUIDANCE_RE.search(sentence):
        return []
    if not in_remedy_list:
        if not _REMEDY_VERB_RE.search(sentence):
            return []
        if _NOT_REMEDY_RE.search(sentence) and not _STRONG_REMEDY_RE.search(sentence):
            return []
    matches = list(_AMOUNT_RE.finditer(sentence))
    payments = []
    for index, match in enumerate(matches):
        whole, pence = match.groups()
        amount = Decimal(whole.replace(",", "") + "." + (pence or "0").ljust(2, "0"))
        end = matches[index + 1].start() if index + 1 < len(matches) else len(sentence)
        purpose = _purpose(sentence[match.end() : end])
        if not purpose and index == 0:
            purpose = _purpose(sentence[: match.start()])
        payments.append(
            Payment(amount=amount.quantize(Decimal("0.01")), purpose=purpose, text=sentence)
        )
    return payments


def _merge(found: list[Payment], new: Sequence[Payment]) -> None:
    """Add ``new`` payments (from one sentence) unless an earlier sentence already gave them:
    the summary and the body usually state the same payment twice."""
    for payment in new:
        duplicate = next(
            (
                index
                for index, earlier in enumerate(found)
                if earlier.amount == payment.amount
                and earlier.text != payment.text
                and (
                    earlier.purpose == payment.purpose or not earlier.purpose or not payment.purpose
                )
            ),
            None,
        )
        if duplicate is None:
            found.append(payment)
        elif not found[duplicate].purpose and payment.purpose:
            found[duplicate] = Payment(
                found[duplicate].amount, payment.purpose, found[duplicate].text
            )


def extract_remedies(summary: str, sections: Iterable[Sequence[str]]) -> Remedies:
    """Remedies stated in the summary and the body, given as each section's paragraphs."""
    payments: list[Payment] = []
    flags = dict.fromkeys(
        ("apology", "service_improvement", "reassessment", "staff_training", "already_provided"),
        False,
    )
    for paragraphs in ((summary,), *sections):
        # A paragraph ending "the Council has agreed to:" introduces a list of remedies,
        # which runs to the end of its section.
        in_remedy_list = False
        for paragraph in paragraphs:
            for sentence in split_sentences(paragraph):
                _merge(payments, _payments_in(sentence, in_remedy_list=in_remedy_list))
                _set_flags(flags, sentence, in_remedy_list=in_remedy_list)
            if _REMEDY_LIST_INTRO_RE.search(paragraph):
                in_remedy_list = True
    total = sum((payment.amount for payment in payments), Decimal("0"))
    return Remedies(payments=tuple(payments), total=total.quantize(Decimal("0.01")), **flags)


def _set_flags(flags: dict[str, bool], sentence: str, *, in_remedy_list: bool) -> None:
    if _GUIDANCE_RE.search(sentence):
        return
    if _ALREADY_RE.search(sentence):
        flags["already_provided"] = True
    # Flags need a sentence that agrees, recommends or reports an action, not one that
    # reports what the complainant wants or what should have happened.
    if not (in_remedy_list or _ACTION_RE.search(sentence)) or _WANTS_RE.search(sentence):
        return
    for flag, pattern in (
        ("apology", _APOLOGY_RE),
        ("service_improvement", _SERVICE_RE),
        ("reassessment", _REASSESS_RE),
        ("staff_training", _TRAINING_RE),
    ):
        if not flags[flag] and pattern.search(sentence):
            flags[flag] = True
