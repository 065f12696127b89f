"""A seeded synthetic corpus of LGSCO decision pages, for benchmarks.

    python -m bench.generate_corpus --count 100000 --seed 1 --out bench/data/corpus.jsonl

One JSON object a line, `{"url": ..., "text": ...}`: the scraper records that
`manage.py import_decisions file.jsonl` reads. The pages imitate the real shapes in
tests/fixtures/README.md (labelled header with blank lines and "Back to top", the
same on single lines with "- " bullets, URL-only header, cookie-banner wrapped, the
2016-2017 bare reference) at realistic lengths (3-12 KB), with wording drawn from a
vocabulary so that the full-text index sees realistic text, not 50 words repeated.

Streaming: records are made one at a time, so memory stays flat whatever --count.
References are unique without remembering them: record i gets an affine permutation
of i over the (year, serial) space. Same --count and --seed, same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "decisions" / "parsing" / "taxonomy.json"
# Real statements, committed with the project: a bank of sentences that gives the
# corpus the long tail of words (names of schemes, places, conditions) real pages have.
SAMPLES = ROOT / "samples"
# Bump when the output for a given (count, seed) changes: cached corpora are named with it.
VERSION = 2
REFERENCE_YEARS = tuple(range(15, 26))  # complaints received 2015-2025, decided 2016-2026
SERIALS_PER_YEAR = 100_000
FIRST_DATE, LAST_DATE = date(2016, 1, 4), date(2026, 5, 29)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# --- vocabulary ---------------------------------------------------------------------------


def _lines(block: str) -> tuple[str, ...]:
    """Phrases one a line, or several on a line separated by "|"."""
    return tuple(item.strip() for item in block.replace("|", "\n").splitlines() if item.strip())


COUNTIES = _lines("""
Cambridgeshire|Cumbria|Derbyshire|Devon|East Sussex|Essex|Gloucestershire|Hampshire
Hertfordshire|Kent|Lancashire|Leicestershire|Lincolnshire|Norfolk|North Yorkshire
Nottinghamshire|Oxfordshire|Somerset|Staffordshire|Suffolk|Surrey|Warwickshire
West Sussex|Worcestershire|Durham
""")
LONDON = _lines("""
Barking and Dagenham|Barnet|Bexley|Brent|Bromley|Camden|Croydon|Ealing|Enfield|Greenwich
Hackney|Hammersmith and Fulham|Haringey|Harrow|Havering|Hillingdon|Hounslow|Islington
Lambeth|Lewisham|Merton|Newham|Redbridge|Richmond upon Thames|Southwark|Sutton
Tower Hamlets|Waltham Forest|Wandsworth
""")
CITIES = _lines("""
Birmingham|Bristol|Leeds|Leicester|Liverpool|Manchester|Nottingham|Sheffield|Coventry
Bradford|Derby|Plymouth|Portsmouth|Southampton|Stoke-on-Trent|Sunderland|Wakefield|York
Westminster|Peterborough|Salford|Newcastle upon Tyne|Brighton and Hove|Exeter|Lincoln
Norwich|Oxford|Cambridge|Canterbury|Chelmsford|Gloucester|Hull|Lancaster|Preston
Winchester|Worcester|Wolverhampton|Carlisle|Chichester|Durham|Southend-on-Sea|Bath
""")
DISTRICTS = _lines("""
Babergh|Basildon|Basingstoke and Deane|Bassetlaw|Blaby|Bolsover|Braintree|Breckland
Brentwood|Broadland|Bromsgrove|Broxtowe|Cannock Chase|Charnwood|Cherwell|Chiltern
Chorley|Cotswold|Dacorum|Dartford|Dover|East Devon|East Hampshire|East Lindsey
East Suffolk|Epping Forest|Fenland|Folkestone and Hythe|Forest of Dean|Fylde|Gedling
Harborough|Hart|Hertsmere|High Peak|Hinckley and Bosworth|Horsham|Huntingdonshire
Lewes|Lichfield|Maldon|Malvern Hills|Mansfield|Mid Devon|Mid Suffolk|Mid Sussex
New Forest|Newark and Sherwood|North Devon|North Hertfordshire|North Kesteven
North Norfolk|North West Leicestershire|Ribble Valley|Rochford|Rother|Rushcliffe
Ryedale|Sevenoaks|South Cambridgeshire|South Derbyshire|South Hams|South Holland
South Kesteven|South Norfolk|South Oxfordshire|South Staffordshire|Stafford
Staffordshire Moorlands|Stroud|Swale|Teignbridge|Tendring|Test Valley|Tewkesbury
Thanet|Three Rivers|Tonbridge and Malling|Torridge|Uttlesford|Vale of White Horse
Warwick|Watford|Waverley|Wealden|West Devon|West Lancashire|West Lindsey|West Oxfordshire
Wychavon|Wyre|Wyre Forest|Craven|Hambleton|Harrogate|Richmondshire|Selby|Allerdale
Copeland|Eden|South Lakeland|Ashfield|Amber Valley|Erewash|North East Derbyshire
""")
METROPOLITAN = _lines("""
Barnsley|Bolton|Bury|Calderdale|Dudley|Gateshead|Kirklees|Knowsley|Oldham|Rochdale
Rotherham|Sandwell|Sefton|Solihull|St Helens|Stockport|Tameside|Trafford|Walsall|Wigan
Wirral|North Tyneside|South Tyneside|Doncaster
""")
UNITARY = _lines("""
Buckinghamshire|Cornwall|Dorset|Herefordshire|Isle of Wight|Medway|Milton Keynes|Torbay
Shropshire|Wiltshire|Rutland|Halton|Slough|Swindon|Thurrock|Luton|Reading|Bedford
Central Bedfordshire|Cheshire East|Cheshire West and Chester|North Somerset
South Gloucestershire|Telford and Wrekin|Warrington|West Berkshire|Wokingham
Bracknell Forest|Blackpool|Blackburn with Darwen|Darlington|Hartlepool|Middlesbrough
Redcar and Cleveland|Stockton-on-Tees|North Lincolnshire|North East Lincolnshire
East Riding of Yorkshire|Northumberland|Bournemouth, Christchurch and Poole
North Northamptonshire|West Northamptonshire|Westmorland and Furness|Cumberland
""")
CARE_PROVIDERS = _lines("""
Meadowbank|Oakleigh|Ashdown|Willow Lodge|Beechwood|Cedar House|Hollybrook|Salveo
Fernlea|Brookfield|Elmhurst|Rosewood|Abbeyfield Court|Harbour View|Larchwood|Kingfisher
Maple Leaf|Heathside|Rivermead|Greenacres
""")

STREET_NAMES = _lines("""
Acacia|Albert|Alder|Ash|Beech|Birch|Blackthorn|Bramble|Chestnut|Church|Clarence|Coronation
Elm|Ferndale|Foxglove|Granville|Hawthorn|Hazel|Heather|Holly|Juniper|Kings|Laburnum
Lavender|Lime|Linden|Manor|Maple|Meadow|Mill|Nelson|Oak|Orchard|Park|Poplar|Priory
Queens|Rectory|Rowan|Sandringham|School|Station|Sycamore|Victoria|Vicarage|Walnut|Willow
Windsor|Yew|Abbey|Bridge|Brook|Castle|Chapel|Cromwell|Dene|Eastfield|Fairfield|Glebe
""")
CATEGORY_WEIGHTS = {
    "adult-care-services": 15, "benefits-and-tax": 9, "children-s-care-services": 10,
    "corporate-and-other-services": 5, "education": 13, "environment-and-regulation": 10,
    "housing": 15, "leisure-and-culture": 2, "other-categories": 2, "planning": 11,
    "transport-and-highways": 8,
}  # fmt: skip
# Per category: what people complain about, the things a chronology mentions, the law.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "adult-care-services": (
        _lines("""the assessment of {po} mother's care needs
            the charges for {po} father's residential care
            the way the Council reviewed {po} direct payments
            delays in providing a disabled facilities grant
            the quality of home care provided to {po} husband
            the Council's safeguarding enquiry into care given to {po} aunt"""),
        _lines("""the care and support plan|a financial assessment|the care home placement
            a top-up fee|the direct payment account|the occupational therapist's report
            the home care visits|a safeguarding referral|the deferred payment agreement
            the respite care budget|the moving and handling assessment|the stairlift quote"""),
        _lines("""The Care Act 2014 places a duty on councils to assess anyone who appears to need care and support.
            The Care and Support Statutory Guidance says councils should review care plans at least every 12 months.
            Councils must carry out a financial assessment before charging for care (Care and Support (Charging and Assessment of Resources) Regulations 2014)."""),
    ),
    "benefits-and-tax": (
        _lines("""the Council's decision to send enforcement agents to recover council tax arrears
            its refusal of a discretionary housing payment
            the way it calculated {po} council tax reduction
            its decision that {pr} did not qualify for a business grant
            the business rates bill for {po} shop"""),
        _lines("""the council tax account|a liability order|the enforcement agent's visit
            the single person discount|the reminder notice|the housing benefit overpayment
            the business rates relief application|the payment arrangement|the appeal to the Valuation Tribunal
            the council tax support form|the backdating request|the summons"""),
        _lines("""The Council Tax (Administration and Enforcement) Regulations 1992 set out how councils may recover unpaid council tax.
            The Taking Control of Goods Regulations 2013 govern what enforcement agents may do and the fees they may charge.
            People can appeal to the Valuation Tribunal about council tax liability and discounts."""),
    ),
    "children-s-care-services": (
        _lines("""the way the Council carried out a child and family assessment
            the support it offered to {po} family as special guardians
            its handling of a child protection enquiry about {po} son
            the allowance it pays {pobj} as a kinship carer
            its response to {po} complaint under the statutory children's complaints procedure"""),
        _lines("""the child protection plan|the section 47 enquiry|the special guardianship order
            the social worker's report|the stage two investigation|the pathway plan
            the looked after child review|the fostering allowance|the core group meeting
            the independent investigator's findings|the contact arrangements|the case conference minutes"""),
        _lines("""The Children Act 1989 sets out councils' duties to children in need and children in care.
            The statutory guidance Getting the Best from Complaints sets out a three-stage procedure for complaints about children's social care.
            Working Together to Safeguard Children is the statutory guidance for child protection enquiries."""),
    ),
    "corporate-and-other-services": (
        _lines("""the Council's handling of {po} freedom of information request
            the conduct of a councillor at a public meeting
            the way the Council dealt with {po} application for a community grant
            the Council's management of land next to {po} home
            its investigation of a rogue trader who took money from {pobj}"""),
        _lines("""the code of conduct complaint|the standards committee decision|the grant criteria
            the land registry plan|the trading standards referral|the electoral register entry
            the contract award|the procurement exercise|the monitoring officer's response
            the subject access request|the consultation report|the boundary fence"""),
        _lines("""The Localism Act 2011 requires councils to adopt a code of conduct for councillors.
            The Freedom of Information Act 2000 gives people a right to request information held by public bodies.
            The Information Commissioner deals with complaints about data protection and information requests."""),
    ),
    "education": (
        _lines("""the delay in issuing an Education, Health and Care Plan for {po} son
            the Council's refusal of free home to school transport for {po} daughter
            the school admission appeal for {po} child
            the education provided to {po} son while he was out of school
            the Council's enquiries into the home education {pr} provides"""),
        _lines("""the EHC needs assessment|the draft EHC Plan|the annual review
            the educational psychologist's advice|the alternative provision|the school transport policy
            the independent appeal panel|the walking route assessment|the SEND Tribunal appeal
            the tuition package|the school place offer|the attendance records"""),
        _lines("""The Children and Families Act 2014 and the SEND Code of Practice set the timescales for EHC needs assessments and Plans.
            The Education Act 1996, section 508B, requires councils to provide free travel for eligible children.
            The School Admission Appeals Code sets out how independent appeal panels must work."""),
    ),
    "environment-and-regulation": (
        _lines("""the Council's response to {po} reports of noise from a neighbouring pub
            missed bin collections at {po} home
            the way the Council dealt with fly-tipping on land near {po} property
            its decision on a premises licence for a late-night takeaway
            its investigation of a statutory nuisance caused by smoke from bonfires"""),
        _lines("""the noise diary|the statutory nuisance investigation|the abatement notice
            the assisted bin collection|the premises licence|the fixed penalty notice
            the odour monitoring|the tree preservation order|the drainage survey
            the environmental health officer's visit|the sound recording equipment|the licensing sub-committee hearing"""),
        _lines("""The Environmental Protection Act 1990 requires councils to investigate complaints of statutory nuisance.
            The Licensing Act 2003 sets out how councils must consider applications for premises licences.
            The Anti-social Behaviour, Crime and Policing Act 2014 introduced the community trigger."""),
    ),
    "housing": (
        _lines("""the Council's handling of {po} housing register application
            the suitability of the temporary accommodation it provided
            its decision on {po} homelessness application
            the delay in completing a medical assessment for {po} housing application
            its response to reports of disrepair in {po} privately rented home
            the service charges on {po} leasehold flat"""),
        _lines("""the housing register application|the medical priority assessment|the interim accommodation
            the personalised housing plan|the section 202 review|the banding decision
            the bed and breakfast placement|the damp and mould report|the improvement notice
            the offer of accommodation|the housing options interview|the storage of belongings"""),
        _lines("""Part 6 of the Housing Act 1996 requires councils to have an allocations scheme and to follow it.
            Part 7 of the Housing Act 1996 and the Homelessness Code of Guidance set out councils' duties to homeless people.
            The Housing Act 2004 introduced the Housing Health and Safety Rating System for assessing hazards in homes."""),
    ),
    "leisure-and-culture": (
        _lines("""the closure of the library near {po} home
            the way the Council managed bookings at its leisure centre
            the condition of the children's play area in {po} local park
            the Council's decision to end {po} allotment tenancy"""),
        _lines("""the allotment agreement|the leisure centre membership|the library consultation
            the play equipment inspection|the park maintenance schedule|the events licence
            the refund request|the swimming lesson booking"""),
        _lines("""The Public Libraries and Museums Act 1964 requires councils to provide a comprehensive library service.
            The Allotments Act 1922 sets notice periods for ending allotment tenancies."""),
    ),
    "other-categories": (
        _lines("""the Council's claim that {pr} had encroached on its land
            the way the Police and Crime Commissioner handled {po} complaint
            the Council's handling of {po} request for information about a neighbour"""),
        _lines("""the boundary dispute|the land registry title|the complaint review
            the commissioner's response|the legal advice|the site visit"""),
        _lines(
            """The Local Government Act 1974 sets out which bodies the Ombudsman may investigate.""",
        ),
    ),
    "planning": (
        _lines("""the Council's decision to grant planning permission for {po} neighbour's extension
            its failure to take enforcement action against a breach of planning control
            the way it dealt with building regulations for work next to {po} home
            its handling of a planning application for a new housing estate near {po} property
            its advice before {pr} applied for planning permission"""),
        _lines("""the planning officer's report|the site notice|the enforcement investigation
            the building control inspection|the neighbour consultation|the delegated decision
            the planning condition|the amended plans|the breach of condition notice
            the pre-application advice|the committee meeting|the overlooking assessment"""),
        _lines("""The Town and Country Planning Act 1990 gives councils discretion to take enforcement action against breaches of planning control.
            The National Planning Policy Framework says enforcement action should be proportionate.
            The Building Act 1984 and the Building Regulations 2010 set the standards for building work."""),
    ),
    "transport-and-highways": (
        _lines("""a penalty charge notice issued to {pobj} for a parking contravention
            the Council's refusal of {po} application for a blue badge
            its failure to repair a pothole that damaged {po} car
            its decision to make a traffic regulation order on {po} road
            the condition of a public right of way across {po} land"""),
        _lines("""the penalty charge notice|the blue badge application|the pothole inspection
            the traffic regulation order|the dropped kerb application|the definitive map modification order
            the highway insurance claim|the street lighting column|the resident parking permit
            the bus pass renewal|the road closure|the speed limit consultation"""),
        _lines("""The Highways Act 1980 places a duty on councils to maintain highways.
            The Traffic Management Act 2004 lets people appeal against penalty charge notices to an independent adjudicator.
            The Road Traffic Regulation Act 1984 sets out how councils make traffic regulation orders."""),
    ),
}
OTHER_BODIES = _lines("""the Information Commissioner|the Care Quality Commission|the Housing Ombudsman
    the First-tier Tribunal|the Traffic Penalty Tribunal|the Valuation Tribunal
    the Planning Inspectorate|the Local Government and Social Care Ombudsman's Assessment Code
    Ofsted|the Department for Education""")
INJUSTICES = _lines("""distress|uncertainty|frustration|avoidable time and trouble|anxiety
    inconvenience|upset|a loss of opportunity|worry about what would happen next""")
FAULT_VERBS = _lines("""did not respond to|delayed in dealing with|failed to properly consider
    did not keep proper records of|gave wrong advice about|did not explain its decision on
    lost|did not follow its own procedure for|took too long to review|did not tell {pobj} about""")
GOOD_VERBS = _lines("""properly considered|explained its reasons for|kept clear records of
    followed its procedure for|responded promptly to|reviewed|gave accurate advice about""")
COMPLAINANT_ACTS = _lines("""contacted the Council about|emailed the Council to ask about
    telephoned the Council about|wrote to the Council again about|complained to the Council about
    asked the Council to reconsider|sent the Council further evidence about|chased the Council about""")
COUNCIL_ACTS = _lines("""wrote to {P} about|sent {P} a decision on|acknowledged {po} concerns about
    agreed to look again at|reviewed|asked {P} for more information about|completed
    did not reply to {po} emails about|apologised for the delay with|refused to change""")
CLOSED_REASONS = _lines("""there is not enough evidence of fault by the Council
    we could not add to the Council's investigation or achieve a different outcome
    it is reasonable to expect {P} to use {po} right of appeal
    the injustice claimed is not significant enough to warrant our involvement
    the law prevents us from investigating complaints about councils acting as social landlords
    it would be reasonable for {P} to take the matter to court
    the complaint is late and there are no good reasons to investigate it now""")
WANTS = _lines("""apologise|reconsider its decision|pay compensation|change its policy
    take enforcement action|refund the money {pr} paid|explain what went wrong""")
PAYMENT_PURPOSES = _lines("""to acknowledge the distress caused|for {po} time and trouble
    to acknowledge the uncertainty caused by the delay|for the lost opportunity
    to recognise the frustration and inconvenience caused|for the avoidable distress""")
AMOUNTS = (100, 150, 200, 250, 300, 350, 400, 500, 600, 750, 1000, 1200, 1500, 2400, 3450)
ACTIONS = _lines("""remind staff of the need to respond to complaints within published timescales
    review its procedure for {noun} and tell us what it has changed
    provide training to officers on {noun}
    carry out a fresh review of {noun}
    share the learning from this complaint with relevant staff
    update its website so people know how to challenge {noun}""")
COOKIE_BANNER = """Privacy settings

LGO logogram

Review your privacy settings

Required cookies

These cookies enable the website to function properly. You can only disable these by changing your browser preferences, but this will affect how the website performs.

View required cookies

Analytical cookies

Google Analytics cookies help us improve the performance of the website by understanding how visitors use the site.
We recommend you set these 'ON'.

View analytical cookies

In using Google Analytics, we do not collect or store personal information that could identify you (for example your name or address). We do not allow Google to use or share our analytics data. Google has developed a tool to help you opt out of Google Analytics cookies.

"""
ROLE_PARAGRAPHS = _lines("""We investigate complaints about 'maladministration' and 'service failure'. In this statement, I have used the word fault to refer to these. We must also consider whether any fault has had an adverse impact on the person making the complaint. I refer to this as 'injustice'. If there has been fault which has caused an injustice, we may suggest a remedy. (Local Government Act 1974, sections 26(1) and 26A(1), as amended)
    We investigate complaints about 'maladministration' and 'service failure', which we call 'fault'. We must also consider whether any fault has had an adverse impact on the person making the complaint, which we call 'injustice'. We provide a free service, but must use public money carefully. We do not start or continue an investigation if we decide any injustice is not significant enough to justify our involvement or we could not add to any previous investigation by the organisation. (Local Government Act 1974, section 24A(6), as amended)
    We cannot question whether a council's decision is right or wrong simply because the complainant disagrees with it. We must consider whether there was fault in the way the decision was reached. (Local Government Act 1974, section 34(3), as amended)
    The law says we cannot normally investigate a complaint when someone could take the matter to court. However, we may decide to investigate if we consider it would be unreasonable to expect the person to go to court. (Local Government Act 1974, section 26(6)(c), as amended)
    If we are satisfied with a council's actions or proposed actions, we can complete our investigation and issue a decision statement. (Local Government Act 1974, section 30(1B) and 34H(i), as amended)
    We cannot investigate late complaints unless we decide there are good reasons. Late complaints are when someone takes more than 12 months to complain to us about something a council has done. (Local Government Act 1974, sections 26B and 34D, as amended)""")
CARE_ROLE_PARAGRAPHS = _lines("""We investigate complaints about adult social care providers and decide whether their actions have caused injustice, or could have caused injustice, to the person complaining. I have used the term fault to describe this. (Local Government Act 1974, sections 34B and 34C)
    If an adult social care provider's actions have caused injustice, we may suggest a remedy. (Local Government Act 1974, section 34H(1))""")
OLDER_WORDINGS = {
    "upheld": ("Upheld: maladministration and injustice", "Upheld: fault and injustice"),
    "not_upheld": ("Not upheld: no maladministration", "Not upheld: no further action"),
    "closed": (
        "Closed after initial enquiries - out of jurisdiction",
        "Closed after initial enquiries - no further action",
        "Advice given",
    ),
}
WORDINGS = {
    "upheld": "Upheld",
    "not_upheld": "Not upheld",
    "closed": "Closed after initial enquiries",
}
SIGN_OFFS = ("Investigator's decision on behalf of the Ombudsman",) * 4 + (
    "Assistant Ombudsman's decision on behalf of the Ombudsman",
)

# --- organisations and categories -----------------------------------------------------------


def organisations() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(all councils, councils with social care and education duties, care providers)."""
    districts = tuple(
        f"{name} {'Borough' if index % 3 == 1 else 'District'} Council"
        for index, name in enumerate(DISTRICTS)
    )
    upper = (
        tuple(f"{name} County Council" for name in COUNTIES)
        + tuple(f"London Borough of {name}" for name in LONDON)
        + tuple(f"{name} City Council" for name in CITIES)
        + tuple(f"{name} Metropolitan Borough Council" for name in METROPOLITAN)
        + tuple(f"{name} Council" for name in UNITARY)
        + ("City of Bradford Metropolitan District Council", "City of Doncaster Council")
    )
    providers = tuple(f"{name} Care Ltd" for name in CARE_PROVIDERS)
    return upper + districts, upper, providers


# Districts have no social care, education or highways duties.
UPPER_TIER_ONLY = {
    "adult-care-services", "children-s-care-services", "education", "transport-and-highways",
}  # fmt: skip


def load_categories() -> list[tuple[str, str, str, str]]:
    """(category name, slug, subcategory name, slug) from the taxonomy the parser ships."""
    data = json.loads(TAXONOMY.read_text())
    return [
        (category["name"], category["slug"], sub["name"], sub["slug"])
        for category in data["categories"]
        for sub in category["subcategories"]
    ]


# --- one decision -----------------------------------------------------------------------------


@dataclass
class Item:
    text: str
    bullet: bool = False


@dataclass
class Section:
    heading: str
    items: list[Item]
    back_to_top: bool = True  # False for a sub-heading inside "What I found"


class Page:
    """Everything drawn for one decision, and the wording helpers that use it."""

    def __init__(
        self, rng: random.Random, topics: tuple, complainant: dict[str, str], real: tuple[str, ...]
    ) -> None:
        self.rng = rng
        self.real = real
        self.subjects, self.nouns, self.laws = topics
        self.ctx = complainant
        # One subject a page: the summary, the complaint and the 2016 shape all name it.
        subject = self.pick(self.subjects)
        if subject.startswith("its "):
            subject = f"{complainant['O']}'s {subject[4:]}"
        self.subject = subject

    def w(self, template: str, **extra: str) -> str:
        return template.format(**self.ctx, **extra)

    def pick(self, phrases: tuple[str, ...]) -> str:
        return self.w(self.rng.choice(phrases))

    def real_sentence(self, chance: float) -> str:
        """ " " and a sentence from a real statement, `chance` of the time; else ""."""
        if not self.real or self.rng.random() >= chance:
            return ""
        return " " + self.rng.choice(self.real).replace("{", "(").replace("}", ")")

    def place(self) -> str:
        street = self.rng.choice(STREET_NAMES)
        kind = self.rng.choice(("Road", "Lane", "Close", "Avenue", "Street", "Drive", "Gardens"))
        return f"{street} {kind}"

    def noun(self) -> str:
        return self.rng.choice(self.nouns)

    def when(self, day: date) -> str:
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"

    def chronology(self, day: date) -> str:
        first = f"In {self.when(day)}, {{P}} {self.pick(COMPLAINANT_ACTS)} {self.noun()}."
        second = self.rng.choice(
            (
                f"{{Oc}} {self.pick(COUNCIL_ACTS)} {self.noun()} {self.rng.randint(2, 9)} weeks later.",
                f"Shortly afterwards, {{O}} {self.pick(COUNCIL_ACTS)} {self.noun()}.",
                f"An officer visited the property in {self.place()} on {day.day} {self.when(day)} and discussed {self.noun()}.",
                f"{{Oc}} said it would deal with {self.noun()} within {self.rng.choice(('10', '20', '28'))} working days.",
            )
        )
        third = self.rng.choice(
            (
                "",
                " {Pr} said the information was inaccurate and asked for it to be corrected.",
                " {Pr} says {pr} was not given a chance to respond before the decision was made.",
                f" The records show no further contact until {self.when(day + timedelta(days=70))}.",
                f" {{Pr}} chased a reply in {self.when(day + timedelta(days=35))} but received none.",
            )
        )
        return self.w(first + " " + second + third) + self.real_sentence(0.5)

    def fault_finding(self) -> str:
        return self.real_sentence(0.3).lstrip() or self.rng.choice(
            (
                f"{{Oc}} {self.pick(FAULT_VERBS)} {self.noun()}. That was fault.",
                f"There is no evidence {{O}} considered {self.noun()} before it reached its decision. This was fault.",
                f"{{Oc}} accepts it {self.pick(FAULT_VERBS)} {self.noun()}. I agree this was fault.",
                f"The delay of {self.rng.randint(3, 30)} weeks in dealing with {self.noun()} was fault.",
                f"I am satisfied the fault caused {{P}} {self.pick(INJUSTICES)} and {self.pick(INJUSTICES)}.",
                f"I do not find fault in the way {{O}} dealt with {self.noun()}. It followed the relevant guidance.",
            )
        )

    def no_fault_finding(self) -> str:
        return self.real_sentence(0.3).lstrip() or self.rng.choice(
            (
                f"{{Oc}} {self.pick(GOOD_VERBS)} {self.noun()}. I do not find fault.",
                f"I understand {{P}} disagrees with the decision about {self.noun()}. But we cannot question a decision made without fault.",
                f"The records show {{O}} {self.pick(GOOD_VERBS)} {self.noun()} within the timescales in its policy.",
                f"{{Oc}} explained its decision on {self.noun()} clearly and told {{P}} how to challenge it.",
            )
        )

    def paragraphs(self, make, minimum: int, size: int) -> list[Item]:
        """At least `minimum` paragraphs from `make()`, and more until `size` characters."""
        items: list[Item] = []
        while len(items) < minimum or sum(len(item.text) for item in items) < size:
            items.append(Item(self.w(make())))
        return items


def complaint_section(page: Page) -> Section:
    opener = page.rng.choice(("{P} complains", "The complainant, whom I shall call {P}, complains"))
    first = page.w(f"{opener} about {page.subject}.")
    first += page.w(f" {{Pr}} says {{O}} {page.pick(FAULT_VERBS)} {page.noun()}.")
    second = page.w(
        f"{{Pr}} says this caused {{pobj}} {page.pick(INJUSTICES)} and {page.pick(INJUSTICES)}. "
        f"{{Pr}} wants {{O}} to {page.pick(WANTS)} and {page.pick(WANTS)}."
    )
    return Section("The complaint", [Item(first), Item(second)])


def role_section(page: Page, care_provider: bool) -> Section:
    paragraphs = list(CARE_ROLE_PARAGRAPHS if care_provider else ())
    chosen = page.rng.sample(range(len(ROLE_PARAGRAPHS)), page.rng.randint(1, 3))
    paragraphs += [ROLE_PARAGRAPHS[index] for index in sorted(chosen)]
    return Section("The Ombudsman's role and powers", [Item(p) for p in paragraphs])


def considered_section(page: Page, investigated: bool) -> Section:
    if not investigated:
        items = [Item(page.w("I considered information provided by {P}.")),
                 Item("I considered the Ombudsman's Assessment Code.")]  # fmt: skip
        if page.rng.random() < 0.4:
            items.append(Item(page.w("I considered {P}'s comments on a draft of this decision.")))
        return Section("How I considered this complaint", items)
    steps = (
        "considered the complaint and the documents provided by {P};",
        "made enquiries of {O} and considered its response;",
        "spoken to {P} about the complaint;",
        "considered the relevant law and guidance, as set out below;",
        f"considered {page.noun()} and {page.noun()};",
        "sent a draft version of this decision to both parties and invited comments on it.",
    )
    chosen = sorted(page.rng.sample(range(len(steps) - 1), 3)) + [len(steps) - 1]
    items = [Item("As part of my investigation I have:")]
    items += [Item(page.w(steps[index]), bullet=True) for index in chosen]
    if page.rng.random() < 0.25:
        body = page.rng.choice(("Ofsted", "the Care Quality Commission"))
        items.append(
            Item(
                f"Under our information sharing agreement, we will share this decision with {body}."
            )
        )
    return Section("How I considered this complaint", items)


def found_sections(page: Page, upheld: bool, received: date, size: int) -> list[Section]:
    law = [Item(text) for text in page.rng.sample(page.laws, min(2, len(page.laws)))]
    findings = page.paragraphs(page.fault_finding if upheld else page.no_fault_finding, 3, 0)
    if upheld:
        findings.append(Item(page.w(f"This caused {{P}} {page.pick(INJUSTICES)}.")))
    # Events end around when the complaint reached us: about one per 330 characters.
    day = received - timedelta(days=35 * (size // 330) + page.rng.randint(0, 90))
    events: list[Item] = []
    while len(events) < 3 or sum(len(i.text) for i in events + law + findings) < size:
        events.append(Item(page.chronology(day)))
        day += timedelta(days=page.rng.randint(10, 60))
    return [
        Section("What I found", [], back_to_top=False),
        Section(page.rng.choice(("Relevant law and guidance", "Law and guidance")), law, False),
        Section(page.rng.choice(("What happened", "Key facts", "Background")), events, False),
        Section(page.rng.choice(("Analysis", "My findings", "Findings")), findings),
    ]


def assessment_section(page: Page, reason: str, size: int) -> Section:
    def make() -> str:
        return page.rng.choice(
            (
                lambda: page.chronology(
                    date(2000 + page.rng.randint(16, 25), 1 + page.rng.randint(0, 11), 1)
                ),
                lambda: f"We will not investigate this complaint because {reason}.",
                lambda: (
                    f"It is open to {{P}} to raise concerns about {page.noun()} with {page.pick(OTHER_BODIES)}."
                ),
                lambda: (
                    f"{{Oc}} has explained its position on {page.noun()} in its final complaint response. Investigation by us would not add to that response or lead to a different outcome."
                ),
                lambda: (
                    f"{{P}} says {{O}} {page.pick(FAULT_VERBS)} {page.noun()}. But there is not enough evidence that any fault caused {{pobj}} significant {page.pick(INJUSTICES)}."
                ),
            )
        )()

    return Section("My assessment", page.paragraphs(make, 3, size))


def remedy_items(page: Page) -> tuple[list[Item], int]:
    amount = page.rng.choice(AMOUNTS)
    items = [
        Item(page.w(f"apologise to {{P}} for the {page.pick(INJUSTICES)} caused;"), bullet=True),
        Item(page.w(f"pay {{P}} £{amount:,} {page.pick(PAYMENT_PURPOSES)};"), bullet=True),
    ]
    if page.rng.random() < 0.3:
        extra = page.rng.choice(AMOUNTS[:6])
        items.append(
            Item(page.w(f"pay {{pobj}} a further £{extra} for {{po}} time and trouble;"), True)
        )
        amount += extra
    for template in page.rng.sample(ACTIONS, page.rng.randint(0, 2)):
        items.append(Item(page.w(template, noun=page.noun()) + ".", bullet=True))
    return items, amount


def summary_text(page: Page, outcome: str, reason: str, remedy: str) -> str:
    subject = page.subject
    if outcome == "closed":
        opener = page.rng.choice(
            (
                "We will not investigate {P}'s complaint",
                "The Ombudsman will not investigate this complaint",
            )
        )
        return page.w(f"{opener} about {subject}. This is because {reason}.")
    first = page.w(f"{{P}} complained about {subject}.")
    if outcome == "not_upheld":
        return first + page.w(f" We found no fault in the way {{O}} dealt with {page.noun()}.")
    found = page.w(
        f" We found {{O}} {page.pick(FAULT_VERBS)} {page.noun()}, which caused {{pobj}} {page.pick(INJUSTICES)}."
    )
    return first + found + remedy


def final_section(page: Page, outcome: str, reason: str) -> Section:
    text = {
        "upheld": "I have completed my investigation. There was fault by {O} which caused injustice to {P}. {Oc} has agreed to the actions set out above to remedy that injustice.",
        "not_upheld": "I have completed my investigation. I have not found fault by {O} in the matters {P} complained about.",
        "closed": f"We will not investigate {{P}}'s complaint because {reason}.",
    }[outcome]
    return Section("Final decision", [Item(page.w(text))], back_to_top=False)


# --- rendering --------------------------------------------------------------------------------


def render_blank(header: list[str], summary: str, sections: list[Section], sign_off: str) -> str:
    """The older site's shape: blank lines, numbered paragraphs, "Back to top"."""
    out = ["\n\n".join(header), f"The Ombudsman's final decision:\n\nSummary: {summary}"]
    for section in sections:
        lines, number = [], 0
        for item in section.items:
            if item.bullet:
                lines.append(f"  • {item.text}")
            else:
                number += 1
                lines.append(f"  {number}. {item.text}")
        block = section.heading + ("\n\n" + "\n".join(lines) if lines else "")
        out.append(block + ("\n\nBack to top" if section.back_to_top else ""))
    out.append(sign_off + "\n\nPrint this page")
    return "\n\n".join(out)


def render_compact(header: list[str], summary: str, sections: list[Section], sign_off: str) -> str:
    """The newer shape: one line each, "- " before every paragraph and bullet."""
    out = [*header, "The Ombudsman's final decision:", f"Summary: {summary}"]
    for section in sections:
        out.append(section.heading)
        out.extend(f"- {item.text}" for item in section.items)
    out.append(sign_off)
    return "\n".join(out)


def render_2016(header: list[str], page: Page, outcome: str, received: date) -> str:
    """The 2016-2017 shape: a bare reference, an anonymous summary, plain paragraphs."""
    person = page.rng.choice((("woman", "she", "her"), ("man", "he", "his")))
    subject = page.subject
    lines = [*header, "", f"A {person[0]} complains about {subject}.", "The complaint"]
    lines.append(f"The {person[0]} complains about {subject}.")
    day = received - timedelta(days=page.rng.randint(60, 300))
    for _ in range(page.rng.randint(6, 14)):
        lines.append(page.chronology(day))
        day += timedelta(days=page.rng.randint(10, 60))
    verdict = {
        "upheld": "The Ombudsman upheld the complaint and found fault causing injustice.",
        "not_upheld": "The Ombudsman did not uphold the complaint and found no fault.",
        "closed": "The Ombudsman decided not to investigate the complaint.",
    }[outcome]
    lines += ["", verdict]
    if outcome == "upheld":
        items, _ = remedy_items(page)
        lines += ["", "To remedy the injustice caused, the council has agreed to:"]
        lines += [f"  • {item.text}" for item in items]
    lines += [
        "Final decision",
        page.w(f"The Ombudsman's decision is final. {verdict}"),
        "Print this page",
    ]
    return "\n\n".join(lines)


# --- the corpus -------------------------------------------------------------------------------


class Corpus:
    """Record i of a corpus depends only on (seed, i): --count 200 is a prefix of --count 1000."""

    def __init__(self, seed: int, count: int) -> None:
        self.seed = seed
        self.serials = (
            SERIALS_PER_YEAR if count <= len(REFERENCE_YEARS) * SERIALS_PER_YEAR else 1_000_000
        )
        self.space = len(REFERENCE_YEARS) * self.serials
        if count > self.space:
            raise ValueError(f"at most {self.space:,} unique references")
        rng = random.Random(f"{seed}:references")
        self.step = rng.randrange(self.space // 3, self.space)
        while math.gcd(self.step, self.space) != 1:
            self.step += 1
        self.offset = rng.randrange(self.space)
        self.all_councils, self.upper_tier, self.providers = organisations()
        self.real = real_sentences()
        self.categories = load_categories()
        self.category_weights = [CATEGORY_WEIGHTS[slug] / 10 for _, slug, _, _ in self.categories]

    def reference(self, index: int) -> tuple[int, str]:
        position = (self.step * index + self.offset) % self.space  # a bijection: no repeats
        year = REFERENCE_YEARS[position // self.serials]
        serial = position % self.serials + 1
        return year, f"{year:02d} {serial // 1000:03d} {serial % 1000:03d}"

    def record(self, index: int) -> dict[str, str]:
        rng = random.Random(f"{self.seed}:{index}")
        year, reference = self.reference(index)
        category, cat_slug, sub, sub_slug = rng.choices(self.categories, self.category_weights)[0]
        if sub_slug == "covid-19" and year < 20:  # no pandemic decisions before 2020
            category, cat_slug, sub, sub_slug = rng.choices(self.categories, self.category_weights)[
                0
            ]
        care_provider = sub_slug in {"residential-care", "domiciliary-care"} and rng.random() < 0.3
        if care_provider:
            organisation = rng.choice(self.providers)
        else:
            councils = self.upper_tier if cat_slug in UPPER_TIER_ONLY else self.all_councils
            organisation = rng.choice(councils)
        received = date(2000 + year, 1, 1) + timedelta(days=rng.randint(0, 364))
        decided = decision_date(rng, received)
        outcome = rng.choices(("closed", "upheld", "not_upheld"), (45, 35, 20))[0]
        wording = WORDINGS[outcome]
        if rng.random() < (0.08 if decided.year <= 2018 else 0.01):
            wording = rng.choice(OLDER_WORDINGS[outcome])
        page = Page(rng, TOPICS[cat_slug], complainant(rng, care_provider), self.real)
        labels = [
            f"Category : {category} > {sub}",
            f"Decision : {wording}",
            f"Decision date : {decided.day:02d} {MONTHS[decided.month - 1]} {decided.year}",
        ]
        shape = rng.random()
        if year <= 16 and shape < 0.2:
            text = render_2016([reference, *labels], page, outcome, received)
        else:
            header = [f"{organisation} ({reference})"]
            text = body(page, outcome, received, care_provider, header, labels, shape)
        return {"url": url(rng, cat_slug, sub_slug, reference), "text": text}


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_MARKER = re.compile(r"^(?:\d{1,3}[.)]|[a-z]\)|[•\-–])\s+")


def real_sentences() -> tuple[str, ...]:
    """Body sentences of the bundled real statements: 40-300 characters, ending in '.'."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))]
    jsonl = SAMPLES / "lgo_decisions.jsonl"
    if jsonl.exists():
        texts += [
            json.loads(line)["text"]
            for line in jsonl.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    found: dict[str, None] = {}
    for text in texts:
        for line in text.splitlines():
            line = _MARKER.sub("", line.strip()).removeprefix("Summary:").strip()
            if line.lower().startswith(("category", "decision", "privacy", "in using")):
                continue
            for sentence in _SENTENCE_SPLIT.split(line):
                if 40 <= len(sentence) <= 300 and sentence.endswith("."):
                    found.setdefault(sentence)
    return tuple(found)


def decision_date(rng: random.Random, received: date) -> date:
    decided = received + timedelta(days=rng.randint(20, 420))
    if decided < FIRST_DATE:
        decided = FIRST_DATE + timedelta(days=rng.randint(0, 120))
    if decided > LAST_DATE:
        decided = LAST_DATE - timedelta(days=rng.randint(0, 150))
    return decided


def complainant(rng: random.Random, care_provider: bool) -> dict[str, str]:
    title = rng.choices(("Mrs", "Ms", "Miss", "Mr"), (30, 20, 8, 42))[0]
    letter = rng.choices("XBCDYZJKNP", (60, 8, 6, 6, 5, 4, 3, 3, 3, 2))[0]
    he = title == "Mr"
    pr, po, pobj = ("he", "his", "him") if he else ("she", "her", "her")
    body = "the Care Provider" if care_provider else "the Council"
    return {"P": f"{title} {letter}", "pr": pr, "Pr": pr.capitalize(), "po": po,
            "pobj": pobj, "O": body, "Oc": body[0].upper() + body[1:]}  # fmt: skip


def body(page: Page, outcome: str, received: date, care_provider: bool,
         header: list[str], labels: list[str], shape: float) -> str:  # fmt: skip
    reason = page.pick(CLOSED_REASONS)
    investigated = outcome != "closed"
    sections = [complaint_section(page), role_section(page, care_provider),
                considered_section(page, investigated)]  # fmt: skip
    remedy = ""
    if investigated:
        size = int(page.rng.triangular(2500, 9500, 4500))
        sections += found_sections(page, outcome == "upheld", received, size)
    else:
        sections.append(assessment_section(page, reason, int(page.rng.triangular(900, 4000, 1500))))
    if outcome == "upheld":
        items, amount = remedy_items(page)
        intro = page.rng.choice(("To remedy the injustice caused, {O} has agreed to:",
                                 "Within one month of the final decision, {O} will:"))  # fmt: skip
        items.insert(0, Item(page.w(intro)))
        items.append(
            Item(
                page.w(
                    "{Oc} should provide us with evidence it has complied with the above actions."
                )
            )
        )
        sections.append(Section("Agreed action", items))
        purpose = page.pick(PAYMENT_PURPOSES)
        remedy = page.w(
            f" {{Oc}} has agreed to apologise to {{P}} and pay {{pobj}} £{amount:,} {purpose}."
        )
    summary = summary_text(page, outcome, reason, remedy)
    sections.append(final_section(page, outcome, reason))
    sign_off = page.rng.choice(SIGN_OFFS)
    if shape < 0.04:  # wrapped in the cookie banner
        return COOKIE_BANNER + render_blank(header + labels, summary, sections, sign_off)
    if shape < 0.21:  # no Category/Decision/Decision date lines: the URL says the rest
        return render_compact(header, summary, sections, sign_off)
    if shape < 0.60:
        return render_blank(header + labels, summary, sections, sign_off)
    return render_compact(header + labels, summary, sections, sign_off)


def url(rng: random.Random, category: str, subcategory: str, reference: str) -> str:
    host = rng.choices(
        ("https://www.lgo.org.uk", "https://lgo.org.uk", "http://lgo.org.uk"), (92, 6, 2)
    )[0]
    query = f"?displaypref={rng.randint(0, 3)}" if rng.random() < 0.03 else ""
    return f"{host}/decisions/{category}/{subcategory}/{reference.replace(' ', '-')}{query}"


def generate(count: int, seed: int) -> Iterator[dict[str, str]]:
    """`count` records, one at a time."""
    corpus = Corpus(seed, count)
    for index in range(count):
        yield corpus.record(index)


def write(count: int, seed: int, out: TextIO) -> None:
    for record in generate(count, seed):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="-", help="A .jsonl file, or '-' for stdout.")
    args = parser.parse_args(argv)
    if args.out == "-":
        write(args.count, args.seed, sys.stdout)
        return
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        write(args.count, args.seed, out)


if __name__ == "__main__":
    main()
