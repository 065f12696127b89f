"""The role money plays in a statement: a remedy, or something else.

A statement names money in many roles: the remedy the organisation agreed, was asked
(recommended) or already offered or paid; and, not remedies, the Ombudsman's guidance
ranges, fees, bills and charges the complainant paid or was charged, the complainant's
own money the complaint is about (a grant, benefits, rent, savings), court costs, what
should have been paid, what the complainant wants, and any amount in a complaint the
Ombudsman did not investigate. Three things decide (tests/fixtures/README.md,
"remedy_labelled.jsonl", holds the labelled sentences these rules are measured on):

- the role of the sentence: a remedy verb (pay, refund, waive...) that the organisation
  agrees, is asked, or has already carried out, not one the complainant does, wants,
  or that only should have happened;
- the section it stands in: "The complaint" describes the complaint, never its remedy;
  an "Agreed action" or "Recommendations" section lists remedies;
- whether the Ombudsman investigated: a complaint closed after initial enquiries has no
  remedy the Ombudsman secured, except one the statement says the organisation has
  already offered, paid or agreed.
"""

import re

# --- sections and outcomes ----------------------------------------------------------------

SUMMARY, COMPLAINT, FINDINGS, REMEDY = "summary", "complaint", "findings", "remedy"

_COMPLAINT_HEADING_RE = re.compile(
    r"^(?:the )?complaints?(?: and background)?:?$|^what (?:\w+ ){0,3}complain(?:s|ed) about",
    re.I,
)
_REMEDY_HEADING_RE = re.compile(
    r"^(?:agreed )?(?:actions?|remed(?:y|ies)|recommendations?)(?: agreed| taken)?:?$|"
    r"^recommended (?:actions?|remed(?:y|ies))|^putting things right|"
    r"^what (?:the council|the organisation|it) (?:has agreed|will do|should do)|"
    r"^(?:agreed|recommended) (?:actions?|remed(?:y|ies))",
    re.I,
)
# Outcomes whose statements report no investigation (decisions.parsing.outcomes).
NOT_INVESTIGATED = frozenset(
    ("closed_after_initial_enquiries", "no_jurisdiction", "premature", "withdrawn")
)


def section_kind(heading: str) -> str:
    """What a section is for, from its heading: the complaint, a list of remedies, or the
    findings (everything else: what happened, what I found, the final decision)."""
    heading = heading.strip()
    if _COMPLAINT_HEADING_RE.match(heading):
        return COMPLAINT
    if _REMEDY_HEADING_RE.match(heading):
        return REMEDY
    return FINDINGS


# In the 2016-2017 shape the whole statement stands under "The complaint": the complaint
# ends where the Ombudsman's findings or a list of remedies begin.
_FINDING_RE = re.compile(
    r"\b(?:the ombudsman|i|we) (?:upheld|uphold|found|find|have found|decided)\b|"
    r"\bfound (?:no )?fault\b|\bto remedy the injustice\b"
)


def ends_the_complaint(lowered: str) -> bool:
    """Whether a paragraph under "The complaint" (lower-cased) starts the findings or the
    remedies."""
    return bool(_FINDING_RE.search(lowered))


# --- the sentence's role ------------------------------------------------------------------

# Guidance ranges and statements of practice, not payments in this case (lower-cased text).
# Guidance ranges and statements of practice, not payments in this case (lower-cased text).
# Not "in line with our guidance": that judges this case's payment.
_GUIDANCE_RE = re.compile(
    r"between £|up to £|(?:usually|normally|generally|typically|would|tend to) recommend|"
    r"typically|in the range|range of £|£[\d,.]+ to £|£[\d,.]+ ?- ?£|tariff|a week for|"
    r"a month for|(?:guidance|policy|scheme) (?:says|suggests|recommends|sets out|states|"
    r"provides|allows)"
)
_REMEDY_VERB_RE = re.compile(
    r"\b(?:pay|pays|paid|paying|payments?|refund\w*|reimburs\w*|repay\w*|offer\w*|award\w*|"
    r"compensat\w*|a further|remed\w*|waive\w*|write off|written off|writing off|credit\w*|"
    r"reduc\w*|backdat\w*|settle\w*|cancel\w*|meet the cost|cover the cost)\b"
)
# What makes a remedy verb the organisation's act or undertaking: agreed, asked,
# recommended, offered, or done in response to the complaint (has paid, already, since).
_UNDERTAKING_RE = re.compile(
    r"\b(?:agree\w*|will|shall|should|must|recommend\w*|offer\w*|accept\w*|propos\w*|"
    r"already|since|now|(?:has|have|had) (?:\w+ )?(?:paid|refunded|reimbursed|credited|waived|"
    r"written off|made|settled|backdated|reduced|repaid|cancelled|canceled)|"
    r"remedy|remedied|to put (?:things|matters) rights?|goodwill|symbolic|compensation|"
    r"(?:we|i) (?:have |had |also )?(?:asked|invited|suggested|proposed)|"
    r"(?:after|following|in response to|as a result of) (?:our|my) (?:\w+ )?(?:enquiries|"
    r"involvement|investigation|draft decision))\b"
)
# The words that say a payment is a remedy, whatever the tense: "paid him £100 for his
# time and trouble", "in recognition of the distress".
_REMEDY_PURPOSE_RE = re.compile(
    r"\b(?:in recognition|to acknowledge|to recognise|to reflect|as a remedy|to remedy|"
    r"for (?:the |her |his |their )?(?:avoidable )?(?:distress|time,? (?:and )?trouble|"
    r"frustration|uncertainty|inconvenience|upset))\b"
)
# A sentence that is an instruction ("Pay Mr X £250 for ...") is one of a list of actions,
# whether or not a heading or an introduction says so.
_IMPERATIVE_RE = re.compile(
    r"\W*(?:pay|refund|reimburse|repay|waive|write off|backdate|credit|"
    r"make (?:a |an )?(?:\w+ )?payments?)\b"
)
# Only these make an amount a remedy in a complaint the Ombudsman did not investigate.
_ALREADY_RE = re.compile(
    r"\b(?:already|since|(?:has|have|had) (?:now |also )?(?:paid|refunded|reimbursed|offered|"
    r"credited|waived|agreed|written off|apologised|made)|offered|agreed|offer)\b"
)
# Money in other roles: bills, fees, the complainant's own money. A sentence naming one
# is a remedy only with a strong remedy word (refund it, write it off, in recognition...).
_NOT_REMEDY_RE = re.compile(
    r"\b(?:invoice[sd]?|bill(?:ed|s)?|charged|arrears|debt|liability order|fine|fined|penalty|"
    r"grant of|fees? of|costs? of|court costs|price|valued?|salary|income|rent of|deposit|"
    r"savings|earns?|quoted?|summons)\b"
)
_STRONG_REMEDY_RE = re.compile(
    r"\b(?:refund\w*|reimburs\w*|repay\w*|compensat\w*|waive\w*|write off|written off|"
    r"writing off|cancel\w*|to acknowledge|in recognition|to recognise|as a remedy|to remedy|to reflect|"
    r"for (?:the |her |his |their )?(?:distress|time and trouble))\b"
)
_PERSON = (
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? [A-Z][\w’'-]*|\b(?:he|she|they|him|her|them)\b|"
    r"\bthe (?:complainant|woman|man|family|parents?|tenant|resident)\b)"
)
# The complainant pays, was charged, or is ordered to pay: "Mr A paid £120 to his GP",
# "she would have to pay £71", "the court ordered Mr A to pay £125 costs".
_PERSON_PAYS_RE = re.compile(
    _PERSON + r"(?: (?:had|has|have|was|were|would|will|needed|needs?|must|should|then|also|"
    r"already|been|to|ordered|asked|told|required|liable|later))* (?:to )?(?:pay|pays|paid|paying)\b"
)
# What the complainant says, wants or asks: the complaint, not its remedy.
_REPORTED_RE = re.compile(
    _PERSON
    + r"(?: \w+){0,2}? (?:says?|said|complain(?:s|ed|ing)?|wants?|wanted|would like|asks?|asked|"
    r"requests?|requested|seeks?|sought|claims?|claimed|believes?|feels?|disputes?)\b|"
    r"\bcomplain(?:s|ed)? (?:that|about)\b|\b(?:wants?|would like|asked for|asks for|seeks?)\b"
)
# Asked only to consider a payment: no amount is agreed or recommended.
_UNDECIDED_RE = re.compile(r"\b(?:consider\w*|decide\w*|review\w*) (?:whether|if)\b")
# "Ms W paid £2,500 for a private assessment, and the Council has agreed to reimburse it."
_PAID_BACK_RE = re.compile(
    r"\b(?:agree\w*|will|should|must|has|have)\b[^.;]{0,40}?\b(?:reimburs\w*|refund\w*|"
    r"repay\w*|pay (?:her|him|them) back|cover|meet) (?:it|this|them|these|that|the (?:full )?"
    r"(?:cost|sum|amount|fee|charge)s?)\b"
)
_COUNTERFACTUAL_RE = re.compile(
    r"\b(?:should|would|could|must|ought to|might) (?:not )?have\b|\bshould not\b"
)
# A payment refused or not recommended: "refused to refund", "I do not recommend ... pay".
_REFUSED_RE = re.compile(
    r"\b(?:refus\w*|declin\w* to|(?:do|does|did|will|would|need|could|can) ?not|"
    r"n[’']t|cannot|no (?:further )?(?:payment|remedy|compensation))\b"
)


def money_is_remedy(
    sentence: str, lowered: str, *, kind: str, investigated: bool, in_remedy_list: bool
) -> bool:
    """Whether the amounts in ``sentence`` are remedies, from its role, its section (kind)
    and whether the Ombudsman investigated. ``lowered`` is the sentence lower-cased: the
    patterns without names in them read it without re.I, about twice as fast."""
    if kind == COMPLAINT or _GUIDANCE_RE.search(lowered):
        return False
    low = lowered if len(lowered) == len(sentence) else same_length_lower(sentence)
    verb = _REMEDY_VERB_RE.search(low)
    listed = in_remedy_list or kind == REMEDY or bool(_IMPERATIVE_RE.match(low))
    if verb is None and not listed:
        return False
    # Read the clause up to the remedy verb (or the first amount): who pays, in which mood.
    end = verb.end() if verb else low.find("£")
    start = max((match.end() for match in _LOW_CLAUSE_RE.finditer(low, 0, end)), default=0)
    upto, upto_low = sentence[start:end], low[start:end]
    if _COUNTERFACTUAL_RE.search(upto_low) or _REPORTED_RE.search(upto):
        return False
    if _REFUSED_RE.search(upto_low) or _UNDECIDED_RE.search(upto_low):
        return False
    if _PERSON_PAYS_RE.search(upto):
        # The complainant paid: a remedy only if the organisation pays it back.
        return bool(_PAID_BACK_RE.search(low, low.rfind("£")))
    if not investigated and not _ALREADY_RE.search(low):
        return False
    if listed:
        return True
    if not (_UNDERTAKING_RE.search(low) or _REMEDY_PURPOSE_RE.search(low)):
        return False
    return not (_NOT_REMEDY_RE.search(low) and not _STRONG_REMEDY_RE.search(low))


def same_length_lower(text: str) -> str:
    """``text`` lower-cased character by character, keeping each one that would change
    length ("İ" lower-cases to two): positions in it are positions in ``text``."""
    return "".join(char if len(lowered := char.lower()) != 1 else lowered for char in text)


# --- flags: negation within a clause ------------------------------------------------------

# Where a clause ends: "..., and", "but", and "and" before a new verb phrase ("... should
# not have charged Mr D and has cancelled the invoice").
_CLAUSE_RE = re.compile(
    r";|\b(?:but|because|so|although|though|however|whereas|while)\b|,\s+(?:and|which)\b|"
    r"\band (?=(?:has|have|had|will|would|it|they|then|also|later|now|since)\b)",
    re.I,
)
_LOW_CLAUSE_RE = re.compile(_CLAUSE_RE.pattern)  # the same, for lower-cased text
_NEGATION_RE = re.compile(
    r"\b(?:not|no|never|nor|without|refus\w*|declin\w*|n[’']t|cannot|unnecessary)\b", re.I
)


def clauses(sentence: str) -> list[str]:
    return [clause for clause in _CLAUSE_RE.split(sentence) if clause.strip()]


def negated_before(clause: str, position: int) -> bool:
    """Whether a negation stands before ``position`` in the clause ("I do not consider an
    apology is needed", "it refused to apologise")."""
    return bool(_NEGATION_RE.search(clause, 0, position))
