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


# --- the citation as a file for reference managers (Zotero, EndNote, Mendeley, JabRef) ----

# RIS: one tag a line, "TY  - " (two spaces, a hyphen, a space), CRLF, ended by "ER  - ".
# https://en.wikipedia.org/wiki/RIS_(file_format)
RIS_CONTENT_TYPE = "application/x-research-info-systems; charset=utf-8"
BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"


def source_address(decision: Decision) -> str:
    """The statement's address on the Ombudsman's website, when known and a web address."""
    url = decision.url or ""
    return url if url.lower().startswith(("https://", "http://")) else ""


def one_line(text: str) -> str:
    """A value on one line: a line break would end an RIS tag or a BibTeX field early."""
    return " ".join(text.split())


def ris_record(decision: Decision, permalink: str) -> str:
    """The decision as an RIS record of type CASE, the Ombudsman as its author."""
    lines = [
        ("TY", "CASE"),
        ("TI", decision.title),
        ("AU", PUBLISHER),
        ("PB", PUBLISHER),
        ("M1", decision.reference),
    ]
    if decision.decision_date:
        lines += [
            ("PY", str(decision.decision_date.year)),
            ("DA", decision.decision_date.strftime("%Y/%m/%d")),
        ]
    keywords = [str(category) for category in categories_of(decision)]
    if decision.outcome:
        keywords.append(decision.get_outcome_display())
    lines += [("KW", keyword) for keyword in keywords]
    if decision.summary:
        lines.append(("AB", decision.summary))
    lines.append(("UR", permalink))
    if source := source_address(decision):
        lines += [("UR", source), ("N1", f"Published by the Ombudsman at {source}")]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)


def categories_of(decision: Decision) -> list[str]:
    """The category, then its subcategory: "Housing", "Allocations"."""
    category = decision.category
    if category is None:
        return []
    parent = category.parent
    return [parent.name, category.name] if parent is not None else [category.name]


# The characters BibTeX (and LaTeX) read as commands, escaped so a name such as
# "Bath & North East Somerset Council" comes out as printed.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_ESCAPES.get(character, character) for character in one_line(text))


def bibtex_record(decision: Decision, permalink: str) -> str:
    """The decision as a BibTeX @misc entry (biblatex reads its `date` and `url` too).
    Title and author are double-braced: kept as written, the Ombudsman one name."""
    key = f"lgsco-{decision.slug}"
    fields = [
        ("title", f"{{{bibtex_escape(decision.title)}}}"),
        ("author", f"{{{bibtex_escape(PUBLISHER)}}}"),
        ("publisher", bibtex_escape(PUBLISHER)),
        ("number", bibtex_escape(decision.reference)),
        ("howpublished", "Decision statement"),
    ]
    if decision.decision_date:
        fields += [
            ("year", str(decision.decision_date.year)),
            ("date", decision.decision_date.isoformat()),
        ]
    # A URL is verbatim in BibTeX's url field: only a brace would break it.
    fields.append(("url", permalink.replace("{", "%7B").replace("}", "%7D")))
    if source := source_address(decision):
        source = source.replace("{", "%7B").replace("}", "%7D")
        fields.append(("note", f"Published by the Ombudsman at \\url{{{source}}}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"
