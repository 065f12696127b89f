"""Parse an LGSCO decision statement (page text, HTML or bytes) into a typed record.

Pure: no Django, no I/O. The shapes met in the wild are described in tests/fixtures/README.md;
each rule here is general (labels wherever they stand, chrome dropped by pattern), never a
special case for one page.
"""

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from urllib.parse import SplitResult, urlsplit

from decisions.parsing.citations import (
    MAX_BODY_CANDIDATES,
    find_legislation,
    other_bodies_and_overflow,
)
from decisions.parsing.errors import ParseError
from decisions.parsing.other_pages import (
    reject_listings_and_other_reports,
    reject_other_hosts,
    reject_other_ombudsmen,
)
from decisions.parsing.outcomes import infer_outcome, outcome_family
from decisions.parsing.page_text import page_to_text
from decisions.parsing.paragraphs import (
    LIST_ITEM_RE,
    Numbering,
    mark_nested_items,
    strip_marker,
)
from decisions.parsing.references import REFERENCE_PATTERN, canonical_reference, reference_slug
from decisions.parsing.remedies import Remedies, extract_remedies
from decisions.parsing.taxonomy import CategoryMatch, lookup_category

__all__ = [
    "TRUNCATED_WARNING",
    "ParsedDecision",
    "Section",
    "decision_remedies",
    "parse_decision",
]

TRUNCATED_WARNING = "page appears truncated"


@dataclass(frozen=True)
class Section:
    heading: str  # "" for text before the first heading
    paragraphs: tuple[str, ...]  # without their list markers
    # One a paragraph: its number as published ("12"), or a list item's kind, or ""
    # (decisions.parsing.paragraphs). Stored decisions parsed before had none.
    markers: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "heading": self.heading,
            "paragraphs": list(self.paragraphs),
            "markers": list(self.markers),
        }


@dataclass(frozen=True)
class ParsedDecision:
    reference: str
    organisation: str | None
    category: str | None
    category_slug: str | None
    subcategory: str | None
    subcategory_slug: str | None
    outcome: str
    outcome_wording: str
    outcome_inferred: bool
    decision_date: date | None
    summary: str
    sections: tuple[Section, ...]
    remedies: Remedies
    other_bodies: tuple[str, ...]
    legislation: tuple[str, ...]
    warnings: tuple[str, ...]
    url: str | None
    category_known: bool = False  # category (and subcategory) found in the bundled taxonomy

    @property
    def reference_slug(self) -> str:
        return reference_slug(self.reference)

    @property
    def truncated(self) -> bool:
        """Whether the page stops before the statement's end (a scraped first ~2,000
        characters): stored on the decision, which then says so."""
        return TRUNCATED_WARNING in self.warnings

    @property
    def body_text(self) -> str:
        """The sections as plain text, for full-text search."""
        blocks = []
        for section in self.sections:
            lines = [section.heading] if section.heading else []
            blocks.append("\n".join([*lines, *section.paragraphs]))
        return "\n\n".join(blocks)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["reference_slug"] = self.reference_slug
        data["decision_date"] = self.decision_date.isoformat() if self.decision_date else None
        data["sections"] = [section.as_dict() for section in self.sections]
        data["remedies"] = self.remedies.as_dict()
        for key in ("other_bodies", "legislation", "warnings"):
            data[key] = list(data[key])
        return data


# --- line patterns ------------------------------------------------------------------------

_SP = r"[\s\u00a0]*"
# The look-behind changes no match (the shortest name never ends in a space) but stops
# the lazy name from retrying every space of a long run: 200 x 200 steps a line.
_HEADER_RE = re.compile(
    rf"^(?P<org>\S.{{0,200}}?)(?<![\s\u00a0]){_SP}\((?P<ref>{REFERENCE_PATTERN})\)(?P<rest>.*)$"
)
_BARE_REFERENCE_RE = re.compile(rf"^{REFERENCE_PATTERN}$")
_BRACKETED_REFERENCE_RE = re.compile(rf"^\(({REFERENCE_PATTERN})\)$")
_LABEL_RE = re.compile(
    rf"^(?P<label>category|decision{_SP}date|date of decision|decision){_SP}(?::|$){_SP}(?P<value>.*)$",
    re.I,
)
# Where a label starts inside a line ("Decision : Upheld Decision date : 31 Mar 2020").
# Only from the start of a run of spaces, taken whole: tried from each space of a long
# run, it was quadratic.
_INLINE_LABEL_RE = re.compile(
    rf"(?<![\s\u00a0])[\s\u00a0]++(?=(?:Category|Decision{_SP}date|Decision){_SP}:)"
)
_FINAL_DECISION_MARKER_RE = re.compile(
    rf"^the{_SP}ombudsman[’']?s{_SP}final{_SP}decision{_SP}:?$", re.I
)
_SUMMARY_RE = re.compile(rf"^summary{_SP}:{_SP}(?P<value>.*)$", re.I)
_CHROME_LINE_RE = re.compile(
    r"^(?:back to top|print this page|top of page|share this page|print|skip to (?:main )?content)$",
    re.I,
)
_SIGN_OFF_RE = re.compile(r"^(?:[\w’' -]{0,40})decision on behalf of the ombudsman\.?$", re.I)
_FINAL_DECISION_HEADING_RE = re.compile(
    r"^(?:(?:my|our|the) )?final decisions?:?$|^decision:?$", re.I
)
# Sections that explain the Ombudsman's powers, method and the law, never this case's remedies.
_BOILERPLATE_HEADING_RE = re.compile(
    r"^(?:the ombudsman[’']?s role and powers|how i considered this complaint|"
    r"(?:relevant )?(?:law|legislation|legal and administrative background)"
    r"(?: and guidance)?|relevant (?:law|legislation|guidance)(?: and guidance)?)$",
    re.I,
)
_SPACES_RE = re.compile(r"[\s\u00a0]+")
_SENTENCE_END = (".", "!", "?", ")", "”", '"', "’", "'")

_DECISION_MARKERS_RE = re.compile(r"^(?:summary\s*:|the complaint$|final decision$)", re.I | re.M)

# --- URLs and dates -----------------------------------------------------------------------

_URL_PATH_RE = re.compile(
    r"/decisions/(?P<category>[a-z0-9-]+)(?:/(?P<subcategory>[a-z0-9-]+))?"
    r"(?:/(?P<reference>\d{2}-\d{3}-\d{3}[a-z]?))?/?$",
    re.I,
)
_DATE_RE = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?[\s\u00a0/.-]+([A-Za-z]{3,9}|\d{1,2})[\s\u00a0/.,-]+(\d{4})$"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def parse_decision(page: str | bytes, *, url: str | None = None) -> ParsedDecision:
    """Parse one decision page. Raises NotADecision for listing pages and other ombudsmen's
    decisions, ParseError when no LGSCO reference can be found.

    The contract, for any ``str`` or ``bytes`` page and any ``str`` URL (broken markup,
    odd encodings, NUL, lone surrogates, garbage): ParseError (NotADecision included) is
    the only exception raised, and the time taken grows about linearly with the page's
    length (a megabyte in well under a second). Anything else is a bug, fixed where it
    arises rather than caught here, so that it is seen: tests/test_fuzz_parser.py and
    ``make bench-fuzz`` look for them.
    """
    parts, url_problem = split_url(url)
    if url_problem:
        url = None  # an address that cannot be read is neither used nor stored
    reject_other_hosts(parts)
    page_text = page_to_text(page).replace("\u200b", "")
    raw_lines = mark_nested_items(page_text.split("\n"))
    text = "\n".join(raw_lines)
    reject_listings_and_other_reports(text)
    ended_cleanly = bool(raw_lines) and _is_chrome(raw_lines[-1])
    lines = [line for line in raw_lines if not _is_chrome(line)]
    from_url = _parse_url(parts)
    warnings: list[str] = [url_problem] if url_problem else []

    start, organisation, reference, header_rest = _find_header(lines, text, from_url)
    if start is not None and ":" in header_rest:
        # Header and labels run together on one line: the labels continue on the next "line".
        before, *labels_text = _INLINE_LABEL_RE.split(header_rest, maxsplit=1)
        if labels_text:
            header_rest = before
            lines.insert(start + 1, labels_text[0].strip())
    if start is None:
        warnings.append("no header line: reference taken from the URL")
    elif from_url.get("reference") and canonical_reference(from_url["reference"]) != reference:
        warnings.append(f"reference {reference} differs from the URL's {from_url['reference']}")
    if organisation is None:
        warnings.append("no organisation named")

    index, labels = _read_labels(lines, 0 if start is None else start + 1)
    index, summary = _read_summary(lines, index)
    if not summary:
        warnings.append("no summary")
    sections, truncated = _read_sections(lines[index:], ended_cleanly)

    category = _category(labels.get("category", ""), from_url)
    if category.category is None:
        warnings.append("no category")
    elif not category.known:
        warnings.append(
            f"category not in the taxonomy: {category.category_slug}/{category.subcategory_slug}"
        )
    outcome, wording, inferred = _outcome(labels.get("decision", ""), summary, sections, warnings)
    decision_date = _decision_date(labels.get("date", ""), warnings)
    if not any(_FINAL_DECISION_HEADING_RE.match(section.heading) for section in sections):
        warnings.append("no 'Final decision' section")
    if truncated:
        warnings.append(TRUNCATED_WARNING)

    paragraphs = [summary] + [p for section in sections for p in section.paragraphs]
    cited_text = "\n".join(paragraphs)
    other_bodies, too_many_bodies = other_bodies_and_overflow(cited_text, organisation, header_rest)
    if too_many_bodies:
        warnings.append(
            f"other bodies: more names than the {MAX_BODY_CANDIDATES} read; the list may be short"
        )
    return ParsedDecision(
        reference=reference,
        organisation=organisation,
        category=category.category,
        category_slug=category.category_slug,
        subcategory=category.subcategory,
        subcategory_slug=category.subcategory_slug,
        outcome=outcome,
        outcome_wording=wording,
        outcome_inferred=inferred,
        decision_date=decision_date,
        summary=summary,
        sections=sections,
        remedies=decision_remedies(summary, sections, outcome),
        other_bodies=other_bodies,
        legislation=find_legislation(cited_text),
        warnings=tuple(warnings),
        url=url,
        category_known=category.known,
    )


def decision_remedies(summary: str, sections: Iterable[Section], outcome: str) -> Remedies:
    """The remedies of a statement, from its summary, sections and outcome family: what
    the parse stores, and what `manage.py rederive_remedies` recomputes from a stored
    decision when the rules change. The sections explaining the Ombudsman's powers and
    the law never hold this case's remedies."""
    return extract_remedies(
        summary,
        [
            (s.heading, s.paragraphs)
            for s in sections
            if not _BOILERPLATE_HEADING_RE.match(s.heading)
        ],
        outcome=outcome,
    )


def _is_chrome(line: str) -> bool:
    """ "Back to top", "Print this page", "Investigator's decision on behalf of the Ombudsman"."""
    if len(line) < 30 and line[0] in "bBpPtTsS" and _CHROME_LINE_RE.match(line):
        return True
    return line.endswith(("Ombudsman", "Ombudsman.")) and bool(_SIGN_OFF_RE.match(line))


def split_url(url: str | None) -> tuple[SplitResult | None, str]:
    """The record's URL in parts, or why it cannot be read (`http://[` raises in urlsplit)."""
    if not url:
        return None, ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it validates the port
    except ValueError as error:
        return None, f"the record's URL {url[:200]!r} is not a valid address ({error}); ignored"
    return parts, ""


def _parse_url(url: SplitResult | None) -> dict[str, str]:
    match = _URL_PATH_RE.search(url.path) if url else None
    if not match:
        return {}
    return {key: value.lower() for key, value in match.groupdict().items() if value}


def _find_header(
    lines: list[str], text: str, from_url: dict[str, str]
) -> tuple[int | None, str | None, str, str]:
    """(line index, organisation, canonical reference, rest of the header line).

    The header is the first "Name (19 011 560)" line (cookie-banner text before it is
    dropped), or a bare "16 003 210" line in the 2016-2017 shape."""
    for index, line in enumerate(lines):
        match = _HEADER_RE.match(line)
        if match and not LIST_ITEM_RE.match(line):
            organisation = match.group("org").strip(" ,:–-")
            return index, organisation, canonical_reference(match.group("ref")), match.group("rest")
        if _BARE_REFERENCE_RE.match(line):
            return index, None, canonical_reference(line), ""
        bracketed = _BRACKETED_REFERENCE_RE.match(line)
        if bracketed:  # "Norfolk County Council" / "(19 011 560)" split by HTML markup
            previous = lines[index - 1] if index else ""
            organisation = (
                previous if 0 < len(previous) <= 150 and not previous.endswith(".") else None
            )
            return index, organisation, canonical_reference(bracketed.group(1)), ""
    reject_other_ombudsmen(text)
    if from_url.get("reference") and _DECISION_MARKERS_RE.search(text):
        return None, None, canonical_reference(from_url["reference"]), ""
    raise ParseError("no LGSCO reference found (expected e.g. '19 011 560')")


def _read_labels(lines: list[str], index: int) -> tuple[int, dict[str, str]]:
    """Read "Category : A > B", "Decision : ...", "Decision date : ..." after the header,
    whether each value stands on its label's line or on the lines after it."""
    parts: dict[str, list[str]] = {}
    current = None
    while index < len(lines):
        whole_line = lines[index]
        pieces = _label_pieces(whole_line)
        for number, line in enumerate(pieces):
            match = _LABEL_RE.match(line)
            if match:
                label = match.group("label").lower()
                current = label if label in ("category", "decision") else "date"
                parts[current] = [match.group("value")] if match.group("value") else []
            elif current is None or not _continues_value(current, parts[current], line):
                # The labels end inside a split line: what follows reads it as lines.
                if len(pieces) > 1:
                    lines[index : index + 1] = _INLINE_LABEL_RE.split(
                        whole_line, maxsplit=number + 1
                    )
                return index + number, _label_values(parts)
            else:
                parts[current].append(line)
        index += 1
    return index, _label_values(parts)


def _label_pieces(line: str) -> list[str]:
    """A line holding several labels ("Decision : Upheld Decision date : 31 Mar 2020")
    split before each label after the first; any other line alone. All splits at once:
    one label at a time was quadratic on a line of thousands."""
    match = _LABEL_RE.match(line)
    if match and ":" in match.group("value"):
        return _INLINE_LABEL_RE.split(line)
    return [line]


def _label_values(parts: dict[str, list[str]]) -> dict[str, str]:
    # Label values are names, not prose: any run of spaces (NBSP included) becomes one space.
    return {key: _SPACES_RE.sub(" ", " ".join(value)).strip() for key, value in parts.items()}


def _continues_value(label: str, parts: list[str], line: str) -> bool:
    if _FINAL_DECISION_MARKER_RE.match(line) or _SUMMARY_RE.match(line):
        return False
    if not parts:
        return True
    return label == "category" and (parts[-1].endswith(">") or line.startswith(">"))


def _read_summary(lines: list[str], index: int) -> tuple[int, str]:
    """The "Summary:" paragraph, or (2016-2017 shape) the first paragraph after the header."""
    while index < len(lines) and _FINAL_DECISION_MARKER_RE.match(lines[index]):
        index += 1
    if index >= len(lines):
        return index, ""
    match = _SUMMARY_RE.match(lines[index])
    if match:
        if match.group("value"):
            return index + 1, match.group("value")
        if index + 1 < len(lines):
            return index + 2, lines[index + 1]
        return index + 1, ""
    if _is_heading(lines[index]):
        return index, ""
    return index + 1, strip_marker(lines[index])


def _is_heading(line: str) -> bool:
    # The cheap tests first (a page can be half a million short lines): a list item
    # starts with a digit, a bracket, a bullet or a lower-case letter, never a capital;
    # "Final decision" and "Decision" with one of these letters.
    first = line[0]
    capital = first.isupper()
    if not capital and first not in "mofdt":
        return False
    if len(line) > 100 or (not capital and LIST_ITEM_RE.match(line)):
        return False
    if first in "mMoOtTfFdD" and _FINAL_DECISION_HEADING_RE.match(line):
        return True
    if line.endswith((".", ",", ";", ":", "!", "?")) or not capital:
        return False
    return line.count(" ") < 12


def _read_sections(lines: list[str], ended_cleanly: bool) -> tuple[tuple[Section, ...], bool]:
    """Sections from the body lines, and whether the page appears cut off."""
    sections: list[Section] = []
    heading = ""
    paragraphs: list[str] = []
    markers: list[str] = []
    numbering = Numbering()
    for line in lines:
        if _is_heading(line):
            if heading or paragraphs:
                sections.append(Section(heading, tuple(paragraphs), tuple(markers)))
            heading, paragraphs, markers = line, [], []
        else:
            paragraph = strip_marker(line)
            if paragraph:
                paragraphs.append(paragraph)
                markers.append(numbering.marker(line))
    if heading or paragraphs:
        sections.append(Section(heading, tuple(paragraphs), tuple(markers)))
    last = lines[-1] if lines else ""
    has_final = any(_FINAL_DECISION_HEADING_RE.match(section.heading) for section in sections)
    truncated = (
        bool(lines)
        and not ended_cleanly
        and not has_final
        and (not strip_marker(last) or not last.endswith(_SENTENCE_END))
    )
    if truncated and sections and not sections[-1].paragraphs:
        sections.pop()  # a heading cut off, or one whose paragraphs were cut off
    return tuple(sections), truncated


def _category(label: str, from_url: dict[str, str]) -> CategoryMatch:
    category, _, subcategory = (part.strip() for part in label.partition(">"))
    return lookup_category(
        category=category or None,
        subcategory=subcategory or None,
        category_slug=from_url.get("category"),
        subcategory_slug=from_url.get("subcategory"),
    )


def _outcome(
    wording: str, summary: str, sections: tuple[Section, ...], warnings: list[str]
) -> tuple[str, str, bool]:
    """(family, wording as published, inferred?)."""
    family = outcome_family(wording) if wording else ""
    if family:
        return family, wording, False
    if wording:
        warnings.append(f"unrecognised outcome wording: {wording!r}")
    # Only the Final decision section and the summary: the rest of a statement quotes the
    # complaint and the law ("we cannot investigate late complaints...").
    final = "\n".join(
        p for s in sections if _FINAL_DECISION_HEADING_RE.match(s.heading) for p in s.paragraphs
    )
    family = infer_outcome(summary, f"Final decision\n{final}")
    if family:
        warnings.append("outcome inferred from text")
        return family, wording, True
    if not wording:
        warnings.append("no outcome found")
    return "", wording, False


def _decision_date(raw: str, warnings: list[str]) -> date | None:
    if not raw:
        warnings.append("no decision date")
        return None
    match = _DATE_RE.match(raw.replace("\u00a0", " ").strip())
    if match:
        day, month, year = match.groups()
        month_number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
        if month_number:
            try:
                return date(int(year), month_number, int(day))
            except ValueError:
                pass
    warnings.append(f"invalid decision date: {raw!r}")
    return None
