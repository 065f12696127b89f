"""The payments of one statement: each stated once, totals left out, summed exactly.

A statement often gives a payment twice (the summary and the body) and sometimes gives
a total beside its parts; `PaymentList` keeps each payment once and `without_totals`
drops the totals, so a decision's total is the sum of what was paid.
"""

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MIN_EMIN, Decimal, localcontext

# A payment's sentence as stored and shown: real sentences are far shorter; a "sentence"
# of a megabyte (a page with no full stops) is not copied into each of its payments.
MAX_PAYMENT_TEXT = 1000


@dataclass(frozen=True)
class Payment:
    amount: Decimal
    purpose: str  # a key of PURPOSE_LABELS ("distress", "time_and_trouble", ...); "" unsaid
    # The sentence it came from. Not in the repr, which the content hash reads: the text
    # is the page's own (already hashed), and a sentence naming 20,000 payments would
    # otherwise be written out 20,000 times.
    text: str = field(repr=False)

    def as_dict(self) -> dict[str, str]:
        text = (
            self.text if len(self.text) <= MAX_PAYMENT_TEXT else self.text[:MAX_PAYMENT_TEXT] + "…"
        )
        return {"amount": f"{self.amount:.2f}", "purpose": self.purpose, "text": text}


def total_of(payments: Sequence[Payment]) -> Decimal:
    """The exact sum. Decimal's default context (28 digits, exponents to 999,999) would
    round a long amount and raise on a longer one: "£" and 40 nines raised
    InvalidOperation. Amounts too large to store are the importer's to refuse."""
    digits = max((payment.amount.adjusted() for payment in payments), default=0) + 1
    precision = max(28, digits + len(str(len(payments))) + 3)
    with localcontext(prec=precision, Emax=MAX_EMAX, Emin=MIN_EMIN):
        total = sum((payment.amount for payment in payments), Decimal("0"))
        return total.quantize(Decimal("0.01"))


@dataclass
class _Statement:
    """Where the payments of one amount stated by one sentence stand in the list."""

    first: int
    by_purpose: dict[str, int] = field(default_factory=dict)  # purpose -> first position
    unexplained: deque[int] = field(default_factory=deque)  # positions whose purpose is ""


class PaymentList:
    """The payments found so far. A new payment is the restatement of the first earlier
    one of its amount from another sentence whose purpose is the same, or unknown on
    either side. Scanning the earlier payments for it was quadratic (a sentence naming
    £100 20,000 times; or followed by 20,000 sentences giving £100 another purpose).

    Instead, each amount's payments are grouped by sentence, and each group keeps the
    first position of each purpose. There are few groups: two sentences' payments of one
    amount are only both kept when their purposes differ and are known (else the later
    one merges), so an amount has at most one group per purpose the pattern knows."""

    def __init__(self) -> None:
        self.found: list[Payment] = []
        self._statements: dict[Decimal, dict[str, _Statement]] = {}

    def merge(self, new: Sequence[Payment]) -> None:
        """Add ``new`` payments (from one sentence) unless an earlier sentence already gave
        them: the summary and the body usually state the same payment twice."""
        for payment in new:
            statements = self._statements.setdefault(payment.amount, {})
            position, statement = self._earlier_statement_of(payment, statements)
            if statement is None:
                self._add(payment, statements)
            elif not self.found[position].purpose and payment.purpose:
                earlier = self.found[position]
                self.found[position] = Payment(earlier.amount, payment.purpose, earlier.text)
                # The first unexplained payment of its group, or an earlier one would be.
                statement.unexplained.popleft()
                first = statement.by_purpose.get(payment.purpose, position)
                statement.by_purpose[payment.purpose] = min(first, position)

    def _earlier_statement_of(
        self, payment: Payment, statements: dict[str, _Statement]
    ) -> tuple[int, _Statement | None]:
        best: tuple[int, _Statement | None] = (len(self.found), None)
        for text, statement in statements.items():
            if text == payment.text:
                continue
            if not payment.purpose:
                position = statement.first
            else:
                position = statement.by_purpose.get(payment.purpose, len(self.found))
                if statement.unexplained:
                    position = min(position, statement.unexplained[0])
            if position < best[0]:
                best = (position, statement)
        return best

    def _add(self, payment: Payment, statements: dict[str, _Statement]) -> None:
        position = len(self.found)
        statement = statements.get(payment.text)
        if statement is None:
            statement = statements[payment.text] = _Statement(first=position)
        if payment.purpose:
            statement.by_purpose.setdefault(payment.purpose, position)
        else:
            statement.unexplained.append(position)
        self.found.append(payment)


_FURTHER_RE = re.compile(r"\b(?:further|additional|in addition|extra|another|also)\b", re.I)


def without_totals(payments: list[Payment]) -> list[Payment]:
    """The payments less any that only add up others: "£300 (£200 for distress and £100
    for time and trouble)", "a total of £750, made up of £500 ... and £250 ...", or a
    summary's "£500" whose parts a later sentence gives. A total is the sum of two or more
    payments of one sentence: its own others, or another sentence's, when it stands alone."""
    by_sentence: dict[str, list[Payment]] = {}
    for payment in payments:
        by_sentence.setdefault(payment.text, []).append(payment)
    sums = {
        text: sum((p.amount for p in group), Decimal("0"))
        for text, group in by_sentence.items()
        if len(group) >= 2
    }
    parts_sum_to = set(sums.values())
    kept = []
    for payment in payments:
        group = by_sentence[payment.text]
        if len(group) >= 3 and sums[payment.text] == 2 * payment.amount:
            continue  # the sum of the sentence's other payments
        if (
            len(group) == 1
            and payment.amount in parts_sum_to
            and not _FURTHER_RE.search(payment.text)
        ):
            continue  # the sum of another sentence's payments, not "a further £200"
        kept.append(payment)
    return kept
