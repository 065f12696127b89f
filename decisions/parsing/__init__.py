"""The parser: a decision page (text, HTML or bytes) in, a typed record out.

Pure: no Django, no database, no network (ruff's TID251 rule in
decisions/parsing/ruff.toml fails on such an import, and tests/test_parsing_purity.py
imports this package with no Django settings). Its modules:

- decision: `parse_decision()` and the record it returns, `ParsedDecision`;
- page_text: any page, HTML or text, bytes or str, to plain lines;
- paragraphs: the statement's paragraph numbers as published, and its lists;
- references, outcomes, remedies, citations, taxonomy: what each field is read with
  (remedies with money_roles, the role an amount plays, remedy_purposes, the purpose
  vocabulary `PURPOSE_LABELS`, and payment_list, each payment once and no totals);
- other_pages: pages that are not LGSCO decisions (listings, other ombudsmen);
- errors: `ParseError` and `NotADecision`, the only exceptions the parser raises.
"""

from decisions.parsing.decision import ParsedDecision, Section, decision_remedies, parse_decision
from decisions.parsing.errors import NotADecision, ParseError
from decisions.parsing.outcomes import OUTCOME_FAMILIES, infer_outcome, outcome_family
from decisions.parsing.references import canonical_reference, reference_slug
from decisions.parsing.remedies import (
    PURPOSE_LABELS,
    REMEDY_ACTIONS,
    REMEDY_FLAGS,
    Payment,
    Remedies,
)
from decisions.parsing.taxonomy import CategoryMatch, lookup_category

__all__ = [
    "OUTCOME_FAMILIES",
    "PURPOSE_LABELS",
    "REMEDY_ACTIONS",
    "REMEDY_FLAGS",
    "CategoryMatch",
    "NotADecision",
    "ParseError",
    "ParsedDecision",
    "Payment",
    "Remedies",
    "Section",
    "canonical_reference",
    "decision_remedies",
    "infer_outcome",
    "lookup_category",
    "outcome_family",
    "parse_decision",
    "reference_slug",
]
