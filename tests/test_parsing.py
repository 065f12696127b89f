"""The parser on real LGSCO pages (tests/fixtures): every shape met in the wild.

Expected values were read off the pages themselves (header lines, URLs, summaries)."""

import json
from datetime import date
from pathlib import Path

import pytest

from decisions.parsing import NotADecision, ParsedDecision, ParseError, parse_decision

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
LGO_PAGES = [json.loads(line) for line in (FIXTURES / "lgo_pages.jsonl").open(encoding="utf-8")]
NOT_DECISIONS = [
    json.loads(line) for line in (FIXTURES / "not_decisions.jsonl").open(encoding="utf-8")
]

C = "The complaint"
R = "The Ombudsman’s role and powers"
H = "How I considered this complaint"
W = "What I found"
A = "My assessment"
F = "Final decision"

# (index in lgo_pages.jsonl, reference, organisation, category, subcategory, outcome family,
#  outcome wording, decision date, start of the summary)
DECISIONS = [
    (
        0,
        "24 012 973",
        "London Borough of Redbridge",
        "Housing",
        "Allocations",
        "upheld",
        "Upheld",
        date(2025, 11, 3),
        "Mrs X complained about the way the Counc",
    ),
    (
        1,
        "19 018 397",
        "Leicester City Council",
        "Housing",
        "Allocations",
        "upheld",
        "Upheld",
        date(2020, 12, 17),
        "The Council failed to issue the correct ",
    ),
    (
        2,
        "21 001 854",
        "Staffordshire Police and Crime Commissioner",
        "Other Categories",
        "Other",
        "not_upheld",
        "Not upheld",
        date(2022, 2, 11),
        "Mr X complained about how the Police and",
    ),
    (
        3,
        "19 021 103",
        "Lancashire County Council",
        "Other Categories",
        "Land",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2020, 7, 9),
        "Mr X complained about the Council claimi",
    ),
    (
        4,
        "21 013 555",
        "Wirral Metropolitan Borough Council",
        "Environment and regulation",
        "Cemeteries and crematoria",
        "upheld",
        "Upheld",
        date(2022, 11, 17),
        "The Council’s failure to enforce its own",
    ),
    (
        5,
        "18 018 321",
        "Torbay Council",
        "Environment and regulation",
        "Antisocial behaviour",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2019, 5, 7),
        "The Ombudsman will not investigate Ms X ",
    ),
    (
        6,
        "22 012 639",
        "City of Bradford Metropolitan District Council",
        "Benefits and tax",
        "COVID-19",
        "upheld",
        "Upheld",
        date(2023, 3, 10),
        "Miss X complained the Council refused bu",
    ),
    (
        7,
        "24 008 706",
        "Cornwall Council",
        "Environment and regulation",
        "Refuse and recycling",
        "upheld",
        "Upheld",
        date(2025, 3, 19),
        "Ms Y complained about the Council’s refu",
    ),
    (
        8,
        "18 010 215",
        "Hampshire County Council",
        "Education",
        "School transport",
        "not_upheld",
        "Not upheld",
        date(2019, 4, 18),
        "Mrs X complains about the way the Counci",
    ),
    (
        9,
        "22 000 016",
        "Babergh District Council",
        "Adult care services",
        "Disabled facilities grants",
        "upheld",
        "Upheld",
        date(2023, 3, 22),
        "Mr B complains about the Council’s delay",
    ),
    (
        10,
        "19 012 397",
        "North Yorkshire County Council",
        "Transport and highways",
        "Rights of way",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2020, 1, 8),
        "The Ombudsman will not investigate this ",
    ),
    (
        11,
        "20 002 452",
        "City of Doncaster Council",
        "Benefits and tax",
        "COVID-19",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2020, 8, 24),
        "The Ombudsman will not investigate this ",
    ),
    (
        12,
        "19 016 229",
        "Cornwall Council",
        "Transport and highways",
        "Parking and other penalties",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2020, 3, 9),
        "The Ombudsman will not investigate this ",
    ),
    (
        13,
        "25 016 266",
        "Leicester City Council",
        "Housing",
        "Council house sales and leaseholders",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2026, 3, 16),
        "We will not investigate this complaint a",
    ),
    (
        14,
        "22 001 113",
        "Medway Council",
        "Adult care services",
        "Assessment and care plan",
        "upheld",
        "Upheld",
        date(2022, 10, 18),
        "Mrs X complained that the Council failed",
    ),
    (
        15,
        "21 015 702",
        "South Gloucestershire Council",
        "Transport and highways",
        "Traffic management",
        "upheld",
        "Upheld",
        date(2022, 8, 11),
        "We found fault by the Council on Mr J’s ",
    ),
    (
        16,
        "18 010 988",
        "London Borough of Enfield",
        "Adult care services",
        "Disabled facilities grants",
        "upheld",
        "Upheld",
        date(2019, 5, 15),
        "Mr X complains that the Council took too",
    ),
    (
        17,
        "23 018 553",
        "Eastbourne Borough Council",
        "Housing",
        "Homelessness",
        "upheld",
        "Upheld",
        date(2025, 2, 12),
        "Mr X complained the Council failed to pr",
    ),
    (
        18,
        "18 019 149",
        "Herefordshire Council",
        "Children's care services",
        "Looked after children",
        "upheld",
        "Upheld",
        date(2019, 10, 9),
        "Mr X complains the Council failed to pro",
    ),
    (
        19,
        "25 014 449",
        "Isle of Wight Council",
        "Children's care services",
        "Friends and family carers",
        "not_upheld",
        "Not upheld",
        date(2026, 5, 18),
        "Mrs B complained about the Council’s lac",
    ),
    (
        20,
        "22 002 144",
        "New Forest District Council",
        "Housing",
        "Allocations",
        "not_upheld",
        "Not upheld",
        date(2023, 2, 14),
        "Mr X complained about the way the Counci",
    ),
    (
        21,
        "19 001 439",
        "Staffordshire County Council",
        "Transport and highways",
        "Street furniture and lighting",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2019, 6, 4),
        "Mr X complained about the Council siting",
    ),
    (
        22,
        "23 018 395",
        "Newark & Sherwood District Council",
        "Environment and regulation",
        "Noise",
        "upheld",
        "Upheld",
        date(2024, 9, 22),
        "Mr B complained the Council was slow to ",
    ),
    (
        23,
        "19 019 868",
        "London Borough of Redbridge",
        "Adult care services",
        "Transport",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2020, 4, 29),
        "The complaint is about the Council refus",
    ),
    (
        24,
        "23 013 788",
        "Essex County Council",
        "Education",
        "Special educational needs",
        "upheld",
        "Upheld",
        date(2025, 2, 7),
        "Miss X complained about the Council’s ha",
    ),
    (
        25,
        "25 016 701",
        "London Borough of Sutton",
        "Transport and highways",
        "Parking and other penalties",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2026, 3, 18),
        "We will not investigate Miss X’s complai",
    ),
    (
        26,
        "19 020 119",
        "Halton Borough Council",
        "Environment and regulation",
        "Other",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2020, 7, 6),
        "The Ombudsman will not investigate Ms X’",
    ),
    (
        27,
        "19 014 022",
        "Surrey County Council",
        "Education",
        "School admissions",
        "not_upheld",
        "Not upheld",
        date(2020, 3, 18),
        "Miss B complains that the Council failed",
    ),
    (
        28,
        "24 018 192",
        "Knowsley Metropolitan Borough Council",
        "Adult care services",
        "Charging",
        "upheld",
        "Upheld",
        date(2025, 9, 17),
        "Mr B complained the Council reclaimed su",
    ),
    (
        29,
        "22 013 320",
        "City of Doncaster Council",
        "Benefits and tax",
        "Council tax",
        "upheld",
        "Upheld",
        date(2023, 5, 8),
        "Mr X complained a bailiff, acting for th",
    ),
    (
        30,
        "21 009 682",
        "London Borough of Hillingdon",
        "Planning",
        "Planning applications",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2021, 11, 17),
        "Ms X complains about the way the Council",
    ),
    (
        31,
        "24 009 012",
        "Milton Keynes Council",
        "Children's care services",
        "Friends and family carers",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2024, 10, 28),
        "We will not investigate this complaint a",
    ),
    (
        32,
        "25 004 569",
        "Liverpool City Council",
        "Other Categories",
        "Other",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2025, 7, 22),
        "We will not investigate Mr X’s complaint",
    ),
    (
        33,
        "22 010 026",
        "Bournemouth, Christchurch and Poole Council",
        "Children's care services",
        "Child protection",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2022, 12, 2),
        "We will not investigate this complaint t",
    ),
    (
        34,
        "24 023 095",
        "Portsmouth City Council",
        "Education",
        "Alternative provision",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2025, 6, 4),
        "We will not investigate this complaint t",
    ),
    (
        35,
        "24 004 016",
        "Southend-on-Sea City Council",
        "Environment and regulation",
        "Refuse and recycling",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2024, 8, 1),
        "We will not investigate Mr X’s complaint",
    ),
    (
        36,
        "24 012 191",
        "Dover District Council",
        "Planning",
        "Enforcement",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2024, 11, 13),
        "We will not investigate this complaint a",
    ),
    (
        37,
        "25 010 998",
        "Buckinghamshire Council",
        "Transport and highways",
        "Traffic management",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2025, 12, 17),
        "We will not investigate Mr X’s complaint",
    ),
    (
        38,
        "22 009 597",
        "Leeds City Council",
        "Housing",
        "Managing council tenancies",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2022, 10, 19),
        "We cannot investigate this complaint fro",
    ),
    (
        39,
        "22 016 170",
        "Leeds City Council",
        "Housing",
        "Managing council tenancies",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2023, 4, 12),
        "A homeowner complained about the Council",
    ),
    (
        40,
        "20 011 469",
        "Lincolnshire County Council",
        "Adult care services",
        "Domiciliary care",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2021, 4, 14),
        "I will not investigate this complaint ab",
    ),
    (
        41,
        "23 006 289",
        "East Devon District Council",
        "Planning",
        "Building control",
        "closed_after_initial_enquiries",
        "Closed after initial enquiries",
        date(2023, 8, 28),
        "We will not investigate this complaint a",
    ),
    (
        42,
        "24 000 140",
        "Park Homes (UK) Limited",
        None,
        None,
        "upheld",
        "",
        None,
        "Mr X complained that the care provider f",
    ),
    (
        43,
        "25 007 427",
        "Leicester City Council",
        None,
        None,
        "closed_after_initial_enquiries",
        "",
        None,
        "We cannot investigate Mr C’s complaint a",
    ),
    (
        44,
        "24 017 716",
        "Dorset Council",
        None,
        None,
        "upheld",
        "",
        None,
        "Mrs D complained about the Council’s dec",
    ),
    (
        45,
        "24 012 340",
        "East Lindsey District Council",
        None,
        None,
        "not_upheld",
        "",
        None,
        "Mr X complained that he was unable to ch",
    ),
    (
        46,
        "24 004 467",
        "Durham County Council",
        None,
        None,
        "not_upheld",
        "",
        None,
        "There is no evidence of fault in the way",
    ),
    (
        47,
        "24 013 702",
        "London Borough of Ealing",
        None,
        None,
        "upheld",
        "",
        None,
        "Mr X complained about the Council’s hand",
    ),
    (
        48,
        "21 001 178",
        "Salveo Care Ltd",
        None,
        None,
        "upheld",
        "",
        None,
        "Mrs X complained about the care given to",
    ),
    (
        49,
        "22 015 220",
        "North Yorkshire County Council",
        None,
        None,
        "upheld",
        "",
        None,
        "Ms X complained about the Council’s disp",
    ),
    (
        50,
        "21 008 835",
        "City of Wolverhampton Council",
        "Children's care services",
        "Fostering",
        "upheld",
        "Upheld",
        date(2021, 12, 8),
        "we discontinued our investigation into M",
    ),
    (
        51,
        "21 003 690",
        "Milton Keynes Council",
        "Children's care services",
        "Friends and family carers",
        "not_upheld",
        "Not upheld",
        date(2022, 3, 29),
        "We will not investigate Mrs C’s complain",
    ),
    (
        52,
        "18 006 397",
        "Devon County Council",
        "Adult care services",
        "Transition from childrens services",
        "upheld",
        "Upheld",
        date(2019, 2, 5),
        "Ms Z complains on behalf of Mr X the Cou",
    ),
    (
        53,
        "16 003 210",
        None,
        "Adult care services",
        "Charging",
        "upheld",
        "Upheld",
        date(2017, 7, 20),
        "A woman complains the council refused",
    ),
]

# Section headings per page, in order. Truncated pages lose a trailing heading whose
# content was cut off ("What I fo", "Homelessness" followed by an empty "1.").
HEADINGS = {
    0: [C, R],
    1: [C, R, H, W, "Relevant Law and Guidance"],
    2: [C, R],
    3: [C, R],
    4: [C, R, H],
    5: [C],
    6: [C, "What I have and have not investigated", R],
    7: [C, R],
    8: [C, R, H, W],
    9: [C, "What I have and have not investigated", R],
    10: [C, R, H, W],
    11: [C, R, H, W, "Small business grant"],
    12: [C, R],
    13: [C, R, H, A],
    14: [C, R, H],
    15: [C, R],
    16: [C, "What I have investigated"],
    17: [C, R],
    18: [C, R],
    19: [C, R, H],
    20: [C],
    21: [C, R, H, W],
    22: [C, R, H],
    23: [C, R, H, W],
    24: [C, R],
    25: [C, R],
    26: [C, R, H, W],
    27: [C, R, H],
    28: [C, R],
    29: [C, R, H],
    30: [C, R, H, A],
    31: [C, R, H, A],
    32: [C, R, H, A],
    33: [C, R, H, A],
    34: [C, R, H, A],
    35: [C, R, H, A],
    36: [C, R, H, A],
    37: [C],
    38: [C, R, H, A],
    39: [C, R, H, A],
    40: [C, R, H, W],
    41: [C, R, H, F],
    42: [C, R, H],
    43: [C, R, H, A, F],
    44: [C, R],
    45: [C, R],
    46: [C, R, H, W, "Relevant legislation"],
    47: [C, R],
    48: [C, R],
    49: [C, R, H],
    50: [C, R],
    51: [C, R],
    52: [C],
    53: [C],
}

# Pages with no Category/Decision/Decision date lines: (index, category, subcategory,
# category slug, subcategory slug), all from the page's URL.
URL_ONLY = [
    (42, "Adult care services", "Charging", "adult-care-services", "charging"),
    (43, "Housing", "Other", "housing", "other"),
    (44, "Adult care services", "Direct payments", "adult-care-services", "direct-payments"),
    (45, "Environment and regulation", "Other", "environment-and-regulation", "other"),
    (46, "Adult care services", "Domiciliary care", "adult-care-services", "domiciliary-care"),
    (47, "Housing", "Private housing", "housing", "private-housing"),
    (48, "Adult care services", "Residential care", "adult-care-services", "residential-care"),
    (49, "Education", "Other", "education", "other"),
]


def parse_page(index: int) -> ParsedDecision:
    page = LGO_PAGES[index]
    return parse_decision(page["text"], url=page["url"])


@pytest.mark.parametrize(
    (
        "index",
        "reference",
        "organisation",
        "category",
        "subcategory",
        "outcome",
        "wording",
        "day",
        "summary",
    ),
    DECISIONS,
    ids=[f"page-{row[0]}" for row in DECISIONS],
)
def test_it_reads_the_header_of_every_decision_page(
    index, reference, organisation, category, subcategory, outcome, wording, day, summary
):
    parsed = parse_page(index)
    assert parsed.reference == reference
    assert parsed.organisation == organisation
    if category is not None:
        assert (parsed.category, parsed.subcategory) == (category, subcategory)
    assert parsed.outcome == outcome
    assert parsed.outcome_wording == wording
    assert parsed.decision_date == day
    assert parsed.summary.startswith(summary)
    assert parsed.url == LGO_PAGES[index]["url"]


@pytest.mark.parametrize(("index", "headings"), sorted(HEADINGS.items()), ids=lambda v: str(v)[:8])
def test_it_splits_every_decision_page_into_sections(index, headings):
    parsed = parse_page(index)
    assert [section.heading for section in parsed.sections] == headings
    for section in parsed.sections:
        for paragraph in section.paragraphs:
            assert paragraph and paragraph == paragraph.strip()
            assert not paragraph.startswith(("1. ", "- ", "• "))
            assert paragraph != "Back to top"


def test_the_cookie_banner_seed_parses_completely():
    parsed = parse_decision(SEEDS[0].read_text(encoding="utf-8"))
    assert parsed.reference == "19 011 560"
    assert parsed.reference_slug == "19-011-560"
    assert parsed.organisation == "Norfolk County Council"
    assert (parsed.category, parsed.category_slug) == (
        "Children's care services",
        "children-s-care-services",
    )
    assert (parsed.subcategory, parsed.subcategory_slug) == ("Child protection", "child-protection")
    assert (parsed.outcome, parsed.outcome_wording, parsed.outcome_inferred) == (
        "upheld",
        "Upheld",
        False,
    )
    assert parsed.decision_date == date(2020, 3, 31)
    assert parsed.summary.startswith(
        "Mrs X complained about the Council’s failure to properly remedy"
    )
    assert [s.heading for s in parsed.sections] == [C, R, H, W, "Key facts", F]
    assert (
        parsed.sections[-1].paragraphs[0].startswith("I have completed my investigation and uphold")
    )
    assert "Privacy settings" not in parsed.body_text and "cookies" not in parsed.body_text
    assert "Print this page" not in parsed.body_text
    assert "Investigator's decision" not in parsed.body_text
    assert parsed.warnings == ()
    assert parsed.legislation[:3] == (
        "Local Government Act 1974",
        "Local Government Act 1974, section 26",
        "Local Government Act 1974, section 26A",
    )


def test_the_single_line_seed_with_dash_bullets_parses_completely():
    parsed = parse_decision(SEEDS[1].read_text(encoding="utf-8"))
    assert parsed.reference == "25 010 721"
    assert parsed.outcome == "closed_after_initial_enquiries"
    assert parsed.outcome_wording == "Closed after initial enquiries"
    assert parsed.decision_date == date(2025, 12, 15)
    assert [s.heading for s in parsed.sections] == [C, R, H, A, F]
    assert parsed.sections[0].paragraphs == (
        "The complainant, Ms X, complains that the Council has refused to replace her family’s "
        "social worker and compensate her financially for fault on the social worker’s part, as "
        "a result of which her family became homeless.",
    )
    assert parsed.warnings == ()
    assert parsed.remedies.total == 0 and not parsed.remedies.payments


@pytest.mark.parametrize(
    ("index", "category", "subcategory", "category_slug", "subcategory_slug"),
    URL_ONLY,
    ids=[f"page-{row[0]}" for row in URL_ONLY],
)
def test_the_url_only_shape_takes_category_from_the_url_and_infers_the_outcome(
    index, category, subcategory, category_slug, subcategory_slug
):
    parsed = parse_page(index)
    assert (parsed.category, parsed.subcategory) == (category, subcategory)
    assert (parsed.category_slug, parsed.subcategory_slug) == (category_slug, subcategory_slug)
    assert parsed.category_known
    assert parsed.outcome_inferred is True
    assert parsed.outcome_wording == ""
    assert "outcome inferred from text" in parsed.warnings
    assert parsed.decision_date is None
    assert "no decision date" in parsed.warnings


def test_the_url_gives_the_reference_when_the_page_has_no_header_line():
    page = LGO_PAGES[44]
    text = page["text"].split("\n", 1)[1]  # drop "Dorset Council (24 017 716)"
    parsed = parse_decision(
        text,
        url="HTTP://LGO.org.uk/Decisions/adult-care-services/direct-payments/24-017-716?displaypref=0",
    )
    assert parsed.reference == "24 017 716"
    assert parsed.organisation is None
    assert parsed.category_slug == "adult-care-services"
    assert parsed.subcategory == "Direct payments"
    assert "no header line: reference taken from the URL" in parsed.warnings


def test_the_bare_reference_shape_has_no_organisation():
    parsed = parse_page(53)
    assert parsed.reference == "16 003 210"
    assert parsed.organisation is None
    assert parsed.summary == "A woman complains the council refused to fund her late mother's care."
    assert parsed.sections[0].paragraphs[1] == (
        "The Ombudsman upheld the complaint and found fault causing injustice."
    )
    assert "page appears truncated" not in parsed.warnings  # it ends with "Print this page"
    assert "no 'Final decision' section" in parsed.warnings


@pytest.mark.parametrize("index", [54, 55, 56])
def test_category_listing_pages_are_not_decisions(index):
    page = LGO_PAGES[index]
    with pytest.raises(NotADecision, match="category listing page"):
        parse_decision(page["text"], url=page["url"])
    with pytest.raises(NotADecision, match="category listing page"):
        parse_decision(page["text"])


@pytest.mark.parametrize("page", NOT_DECISIONS, ids=[page["url"] for page in NOT_DECISIONS])
def test_other_ombudsmens_pages_are_not_decisions(page):
    expected = "Scottish" if "spso" in page["url"] else "Housing Ombudsman"
    with pytest.raises(NotADecision, match=expected):
        parse_decision(page["text"], url=page["url"])
    with pytest.raises(NotADecision, match=expected):
        parse_decision(page["text"])  # recognised from the text alone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Case ref:\n201708630\nBody:\nThe Highland Council", "Scottish Public Services Ombudsman"),
        ("Our findings\nThe Public Services Ombudsman for Wales found...", "Wales"),
        ("The Parliamentary and Health Service Ombudsman investigated the Trust.", "Parliamentary"),
    ],
)
def test_other_ombudsmen_are_named(text, expected):
    with pytest.raises(NotADecision, match=expected):
        parse_decision(text)


def test_a_page_without_any_reference_is_a_parse_error():
    with pytest.raises(ParseError, match="no LGSCO reference found"):
        parse_decision("Some page\n\nWith text but no reference at all.")


def test_truncated_pages_say_so():
    parsed = parse_page(22)  # ends "What I fo"
    assert "page appears truncated" in parsed.warnings
    assert parsed.truncated
    assert "no 'Final decision' section" in parsed.warnings
    assert "What I fo" not in parsed.body_text


def test_complete_pages_are_not_reported_truncated():
    parsed = parse_page(41)
    assert "page appears truncated" not in parsed.warnings
    assert not parsed.truncated
    assert parsed.sections[-1].heading == F


def test_split_label_text_parses_like_the_single_line_header():
    text = LGO_PAGES[0]["text"]
    split = text.replace("Category : Housing > Allocations", "Category :\nHousing\n>\nAllocations")
    split = split.replace("Decision : Upheld", "Decision :\n\nUpheld")
    split = split.replace("Decision date : 03 Nov 2025", "Decision date:\n03 Nov 2025")
    assert split != text
    assert parse_decision(split).as_dict() == parse_decision(text).as_dict()


@pytest.mark.parametrize(
    "label_lines",
    [
        "Category: Housing > Allocations\nDecision: Upheld\nDecision date: 03 Nov 2025",
        "Category\u00a0: Housing\u00a0> Allocations\nDecision\u00a0:\u00a0Upheld\nDecision date\u00a0: 03 Nov 2025",
        "Decision date : 03 Nov 2025\nCategory : Housing > Allocations\nDecision : Upheld",
    ],
)
def test_label_spacing_and_order_variants_are_tolerated(label_lines):
    text = LGO_PAGES[0]["text"]
    original = (
        "Category : Housing > Allocations\n\nDecision : Upheld\n\nDecision date : 03 Nov 2025"
    )
    assert original in text
    parsed = parse_decision(text.replace(original, label_lines))
    assert (parsed.category, parsed.subcategory) == ("Housing", "Allocations")
    assert parsed.outcome_wording == "Upheld"
    assert parsed.decision_date == date(2025, 11, 3)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31 Mar 2020", date(2020, 3, 31)),
        ("31 March 2020", date(2020, 3, 31)),
        ("31-Mar-2020", date(2020, 3, 31)),
        ("31/03/2020", date(2020, 3, 31)),
        ("1 Sept 2021", date(2021, 9, 1)),
    ],
)
def test_decision_dates_in_every_published_form(raw, expected):
    text = SEEDS[1].read_text(encoding="utf-8").replace("15 Dec 2025", raw)
    assert parse_decision(text).decision_date == expected


@pytest.mark.parametrize("raw", ["31 Feb 2020", "sometime in 2020", "31 Foo 2020"])
def test_an_invalid_decision_date_is_a_warning_not_an_error(raw):
    parsed = parse_decision(SEEDS[1].read_text(encoding="utf-8").replace("15 Dec 2025", raw))
    assert parsed.decision_date is None
    assert f"invalid decision date: {raw!r}" in parsed.warnings


def test_unknown_outcome_wording_is_kept_and_warned_about():
    text = (
        SEEDS[1]
        .read_text(encoding="utf-8")
        .replace("Decision : Closed after initial enquiries", "Decision : Something new")
    )
    parsed = parse_decision(text)
    assert parsed.outcome_wording == "Something new"
    assert "unrecognised outcome wording: 'Something new'" in parsed.warnings
    # the Final decision section still says what happened
    assert parsed.outcome == "closed_after_initial_enquiries"
    assert parsed.outcome_inferred is True


def test_the_reference_in_the_url_is_checked_against_the_page():
    page = LGO_PAGES[0]
    parsed = parse_decision(page["text"], url=page["url"].replace("24-012-973", "24-012-974"))
    assert parsed.reference == "24 012 973"
    assert any("differs from the URL" in warning for warning in parsed.warnings)


def test_joint_decisions_keep_the_lower_case_suffix_and_name_other_bodies():
    text = (
        SEEDS[1]
        .read_text(encoding="utf-8")
        .replace(
            "Norfolk County Council (25 010 721)",
            "Norfolk County Council (25 010 721A) and NHS Norfolk and Waveney ICB (25 010 722B)",
        )
    )
    parsed = parse_decision(text)
    assert parsed.reference == "25 010 721a"
    assert parsed.organisation == "Norfolk County Council"
    assert parsed.other_bodies == ("NHS Norfolk and Waveney ICB",)


def test_named_providers_are_other_bodies_but_generic_words_are_not():
    text = (
        SEEDS[1]
        .read_text(encoding="utf-8")
        .replace(
            "I considered information provided by the complainant.",
            "I considered information provided by the complainant, the Care Provider and Salveo "
            "Care Ltd, and by Norfolk and Suffolk NHS Foundation Trust.",
        )
    )
    parsed = parse_decision(text)
    assert parsed.other_bodies == ("Salveo Care Ltd", "Norfolk and Suffolk NHS Foundation Trust")


def test_a_provider_is_not_another_body_on_its_own_decision():
    parsed = parse_page(48)  # "Salveo Care Ltd", misspelt "Saveo Care Ltd" in the text
    assert parsed.organisation == "Salveo Care Ltd"
    assert parsed.other_bodies == ()


def test_legislation_is_normalised_and_deduplicated_in_order():
    parsed = parse_page(46)
    assert parsed.legislation == (
        "Local Government Act 1974",
        "Local Government Act 1974, section 26",
        "Local Government Act 1974, section 26A",
        "Local Government Act 1974, section 25",
        "Local Government Act 1974, section 30",
        "Local Government Act 1974, section 34H",
        "Health and Social Care Act 2008",
        "Health and Social Care Act 2008 (Regulated Activities) Regulations 2014",
    )


def test_as_dict_is_json_safe():
    parsed = parse_decision(SEEDS[0].read_text(encoding="utf-8"), url=None)
    data = json.loads(json.dumps(parsed.as_dict()))
    assert data["decision_date"] == "2020-03-31"
    assert data["remedies"]["total"] == "250.00"
    assert data["sections"][0] == {
        "heading": C,
        "paragraphs": list(parsed.sections[0].paragraphs),
        "markers": ["1", "2"],
    }
    for key in (
        "reference",
        "organisation",
        "category",
        "subcategory",
        "outcome",
        "outcome_wording",
        "outcome_inferred",
        "summary",
        "legislation",
        "other_bodies",
        "warnings",
        "url",
    ):
        assert key in data


@pytest.mark.parametrize(
    "joined",
    [
        # labels run together on one line, as some HTML-to-text converters leave them
        "Norfolk County Council (25 010 721)\nCategory : Children's care services > Child "
        "protection Decision : Closed after initial enquiries Decision date : 15 Dec 2025",
        # ... and on the header line itself
        "Norfolk County Council (25 010 721) Category : Children's care services > Child "
        "protection Decision : Closed after initial enquiries Decision date : 15 Dec 2025",
    ],
)
def test_labels_on_one_line_parse_like_labels_on_their_own_lines(joined):
    text = SEEDS[1].read_text(encoding="utf-8")
    header = (
        "Norfolk County Council (25 010 721)\nCategory : Children's care services > Child "
        "protection\nDecision : Closed after initial enquiries\nDecision date : 15 Dec 2025"
    )
    assert header in text
    assert parse_decision(text.replace(header, joined)).as_dict() == parse_decision(text).as_dict()


def test_an_lgsco_page_that_mentions_the_housing_ombudsman_is_still_a_decision():
    text = (
        SEEDS[1]
        .read_text(encoding="utf-8")
        .replace(
            "I considered the Ombudsman’s Assessment Code.",
            "I considered the Housing Ombudsman Scheme, which covers social landlords.",
        )
    )
    assert parse_decision(text).reference == "25 010 721"


@pytest.mark.parametrize("page", ["", "   \n\n ", b"", "<html><body><p>Hello</p></body></html>"])
def test_empty_or_contentless_pages_are_parse_errors(page):
    with pytest.raises(ParseError, match="no LGSCO reference found"):
        parse_decision(page)


def test_body_text_joins_headings_and_paragraphs_for_search():
    parsed = parse_decision(SEEDS[1].read_text(encoding="utf-8"))
    assert parsed.body_text.startswith("The complaint\nThe complainant, Ms X, complains")
    assert "\n\nFinal decision\nWe will not investigate Ms X’s complaint" in parsed.body_text


def test_an_organisation_and_its_reference_on_separate_lines_make_one_header():
    text = SEEDS[1].read_text(encoding="utf-8")
    split = text.replace(
        "Norfolk County Council (25 010 721)", "Norfolk County Council\n(25 010 721)"
    )
    assert split != text
    assert parse_decision(split).as_dict() == parse_decision(text).as_dict()


# --- paragraph numbers and lists ------------------------------------------------------------


def test_paragraphs_are_numbered_through_the_statement_as_published():
    # The page text restarts at "1." after each heading and after a bulleted list; the
    # statement's paragraphs run 1 to 20 (decisions/parsing/paragraphs.py).
    parsed = parse_decision(SEEDS[0].read_text(encoding="utf-8"))
    markers = {section.heading: section.markers for section in parsed.sections}
    assert markers[C] == ("1", "2")
    assert markers[R] == ("3", "4")
    assert markers[H] == ("5", "-", "-", "-", "6")
    assert markers["Key facts"] == tuple(str(n) for n in range(7, 20))
    assert markers[F] == ("20",)
    considered = next(s for s in parsed.sections if s.heading == H)
    assert considered.paragraphs[1] == "considered the complaint and documents provided by Mrs X;"
    assert considered.paragraphs[4].startswith("Under our information sharing agreement")


def test_a_paragraphs_own_list_is_not_numbered_as_paragraphs():
    # "1. ... failed to: 1. follow ...; 2. adopt ..." with the inner list indented deeper.
    parsed = parse_page(5)
    complaint = parsed.sections[0]
    assert complaint.markers == ("1", "#", "#", "#", "#", "#", "#", "2", "-", "-", "-", "-")
    assert complaint.paragraphs[1].startswith("follow government guidelines")
    assert complaint.paragraphs[7].startswith("Ms X and Mr Y say the Council")


def test_a_numbered_list_that_says_where_it_starts_keeps_its_numbers():
    html = (
        "<html><body><p>Norfolk County Council (19 011 560)</p><p>Summary: test</p>"
        "<h2>The complaint</h2><ol><li>One.</li></ol>"
        '<h2>What I found</h2><ol start="7"><li>Seven.</li><li>Eight.</li></ol>'
        "<h2>Final decision</h2><ol><li>Nine.</li></ol></body></html>"
    )
    parsed = parse_decision(html)
    assert [section.markers for section in parsed.sections] == [("1",), ("7", "8"), ("9",)]


def test_pages_with_only_dashes_keep_their_items_as_bullets():
    parsed = parse_page(40)  # every item "- ", numbered paragraphs and bullets alike
    assert set(parsed.sections[0].markers) == {"-"}


def test_a_summary_label_on_a_line_of_its_own_takes_the_next_line():
    """ "Summary:" alone on its line, the summary on the next (a page whose text was
    copied with the label apart), reads as the inline form does."""
    from tests.conftest import SAMPLES

    text = (SAMPLES / "norfolk-19-011-560.txt").read_text(encoding="utf-8")
    inline = parse_decision(text)
    apart = parse_decision(text.replace("Summary: Mrs X", "Summary:\nMrs X", 1))
    assert apart.summary == inline.summary
    assert apart.summary.startswith("Mrs X complained about the Council’s failure")
