"""How a decision is cited on its page: the citation line, and the legislation it cites,
each Act once with its provisions."""

from __future__ import annotations

import re

from django.utils.formats import date_format

from decisions.models import Decision

PUBLISHER = "Local Government and Social Care Ombudsman"

# The parser stores "Local Government Act 1974" and "Local Government Act 1974, section
# 26A" (decisions.parsing.citations.find_legislation): an Act, or an Act and a provision.
_PROVISION_RE = re.compile(r"^(?P<act>.+), (?P<kind>section|Schedule|Part) (?P<number>\S+)$")
_PLURALS = {"section": "sections", "Schedule": "Schedules", "Part": "Parts"}


def citation(decision: Decision, permalink: str) -> str:
    """ "Norfolk County Council (19 011 560), Local Government and Social Care Ombudsman,
    31 March 2020, https://host/decisions/19-011-560/" """
    decided = (
        date_format(decision.decision_date, "j F Y")
        if decision.decision_date
        else "date not recorded"
    )
    return f"{decision.title}, {PUBLISHER}, {decided}, {permalink}"


def legislation_by_act(cited: list[str]) -> list[str]:
    """Each Act once, in order of first mention, with its provisions in number order:
    "Local Government Act 1974, sections 26, 26A and 34H, Schedule 5"."""
    acts: dict[str, dict[str, list[str]]] = {}
    for item in cited:
        provision = _PROVISION_RE.match(item)
        if provision is None:
            acts.setdefault(item, {})
            continue
        kinds = acts.setdefault(provision["act"], {})
        numbers = kinds.setdefault(provision["kind"], [])
        if provision["number"] not in numbers:
            numbers.append(provision["number"])
    return [
        ", ".join([act, *(provisions(kind, numbers) for kind, numbers in kinds.items())])
        for act, kinds in acts.items()
    ]


def provisions(kind: str, numbers: list[str]) -> str:
    """ "section 9", "sections 26B and 34D", "sections 24A, 26 and 26A"."""
    ordered = sorted(numbers, key=_number_order)
    if len(ordered) == 1:
        return f"{kind} {ordered[0]}"
    return f"{_PLURALS[kind]} {', '.join(ordered[:-1])} and {ordered[-1]}"


def _number_order(number: str) -> tuple[int, str]:
    """ "9" before "26", "26" before "26A"."""
    digits = number[: len(number) - len(number.lstrip("0123456789"))]
    return (int(digits) if digits else 0, number[len(digits) :])
