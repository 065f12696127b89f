"""The words of the synthetic corpus: names of councils and other bodies, and per
category and subcategory what people complain about, what a chronology mentions, and
the law. bench/generate_corpus.py builds the pages from them.

Templates are formatted with the complainant and the body complained about: {P} "Mrs X",
{pr} {Pr} {po} {pobj} her pronouns, {O} {Oc} "the Council" (or "the Care Provider",
"the Commissioner", ...). None names the Council outright, so that a page about another
body can be written without the word (bench/word_statistics.py counts it).
"""

from __future__ import annotations

from dataclasses import dataclass


def phrases(block: str) -> tuple[str, ...]:
    """Phrases one a line, or several on a line separated by "|"."""
    return tuple(item.strip() for item in block.replace("|", "\n").splitlines() if item.strip())


COUNTIES = phrases("""
Cambridgeshire|Cumbria|Derbyshire|Devon|East Sussex|Essex|Gloucestershire|Hampshire
Hertfordshire|Kent|Lancashire|Leicestershire|Lincolnshire|Norfolk|North Yorkshire
Nottinghamshire|Oxfordshire|Somerset|Staffordshire|Suffolk|Surrey|Warwickshire
West Sussex|Worcestershire|Durham
""")
LONDON = phrases("""
Barking and Dagenham|Barnet|Bexley|Brent|Bromley|Camden|Croydon|Ealing|Enfield|Greenwich
Hackney|Hammersmith and Fulham|Haringey|Harrow|Havering|Hillingdon|Hounslow|Islington
Lambeth|Lewisham|Merton|Newham|Redbridge|Richmond upon Thames|Southwark|Sutton
Tower Hamlets|Waltham Forest|Wandsworth
""")
CITIES = phrases("""
Birmingham|Bristol|Leeds|Leicester|Liverpool|Manchester|Nottingham|Sheffield|Coventry
Bradford|Derby|Plymouth|Portsmouth|Southampton|Stoke-on-Trent|Sunderland|Wakefield|York
Westminster|Peterborough|Salford|Newcastle upon Tyne|Brighton and Hove|Exeter|Lincoln
Norwich|Oxford|Cambridge|Canterbury|Chelmsford|Gloucester|Hull|Lancaster|Preston
Winchester|Worcester|Wolverhampton|Carlisle|Chichester|Durham|Southend-on-Sea|Bath
""")
DISTRICTS = phrases("""
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
METROPOLITAN = phrases("""
Barnsley|Bolton|Bury|Calderdale|Dudley|Gateshead|Kirklees|Knowsley|Oldham|Rochdale
Rotherham|Sandwell|Sefton|Solihull|St Helens|Stockport|Tameside|Trafford|Walsall|Wigan
Wirral|North Tyneside|South Tyneside|Doncaster
""")
UNITARY = phrases("""
Buckinghamshire|Cornwall|Dorset|Herefordshire|Isle of Wight|Medway|Milton Keynes|Torbay
Shropshire|Wiltshire|Rutland|Halton|Slough|Swindon|Thurrock|Luton|Reading|Bedford
Central Bedfordshire|Cheshire East|Cheshire West and Chester|North Somerset
South Gloucestershire|Telford and Wrekin|Warrington|West Berkshire|Wokingham
Bracknell Forest|Blackpool|Blackburn with Darwen|Darlington|Hartlepool|Middlesbrough
Redcar and Cleveland|Stockton-on-Tees|North Lincolnshire|North East Lincolnshire
East Riding of Yorkshire|Northumberland|Bournemouth, Christchurch and Poole
North Northamptonshire|West Northamptonshire|Westmorland and Furness|Cumberland
""")
CARE_PROVIDERS = phrases("""
Meadowbank|Oakleigh|Ashdown|Willow Lodge|Beechwood|Cedar House|Hollybrook|Salveo
Fernlea|Brookfield|Elmhurst|Rosewood|Abbeyfield Court|Harbour View|Larchwood|Kingfisher
Maple Leaf|Heathside|Rivermead|Greenacres
""")

STREET_NAMES = phrases("""
Acacia|Albert|Alder|Ash|Beech|Birch|Blackthorn|Bramble|Chestnut|Church|Clarence|Coronation
Elm|Ferndale|Foxglove|Granville|Hawthorn|Hazel|Heather|Holly|Juniper|Kings|Laburnum
Lavender|Lime|Linden|Manor|Maple|Meadow|Mill|Nelson|Oak|Orchard|Park|Poplar|Priory
Queens|Rectory|Rowan|Sandringham|Station|Sycamore|Victoria|Vicarage|Walnut|Willow
Windsor|Yew|Abbey|Bridge|Brook|Castle|Chapel|Cromwell|Dene|Eastfield|Fairfield|Glebe
""")
# Other bodies in the Ombudsman's jurisdiction, for the few decisions not about a council.
CARE_PROVIDERS = phrases("""
Meadowbank|Oakleigh|Ashdown|Willow Lodge|Beechwood|Cedar House|Hollybrook|Salveo
Fernlea|Brookfield|Elmhurst|Rosewood|Abbeyfield Court|Harbour View|Larchwood|Kingfisher
Maple Leaf|Heathside|Rivermead|Greenacres
""")
POLICE_AREAS = phrases("""
Staffordshire|Cheshire|Avon and Somerset|Thames Valley|West Mercia|Lancashire|Kent|Sussex
Devon and Cornwall|North Yorkshire|Essex|Surrey
""")
NATIONAL_PARKS = phrases("""
Peak District|Lake District|Dartmoor|Exmoor|New Forest|North York Moors|South Downs
Yorkshire Dales|Northumberland|Broads
""")
SCHOOLS = phrases("""
St Mary's Catholic Primary|Holy Trinity Church of England Primary|Kingsmead Academy
The Priory Academy|St Joseph's Catholic High|Oakwood Free|Bishop Challoner Catholic
Heathfield Community|Ridgeway Academy|St Peter's Church of England
""")


@dataclass(frozen=True)
class Body:
    """Who a decision is about: the name in its header, and the words the text uses."""

    name: str
    short: str  # {O}: "the Council"
    council: bool  # False for a care provider, a commissioner, a school, a park authority


def councils() -> tuple[tuple[Body, ...], tuple[Body, ...]]:
    """(all councils, those with social care, education and highways duties)."""
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
    upper_bodies = tuple(Body(name, "the Council", True) for name in upper)
    return upper_bodies + tuple(Body(name, "the Council", True) for name in districts), upper_bodies


# Per "category/subcategory": the chance a decision is about another body, and its bodies.
OTHER_BODIES_BY_SUBCATEGORY = {
    "adult-care-services/residential-care": (
        0.45, tuple(Body(f"{name} Care Ltd", "the Care Provider", False) for name in CARE_PROVIDERS)
    ),
    "adult-care-services/domiciliary-care": (
        0.45, tuple(Body(f"{name} Care Ltd", "the Care Provider", False) for name in CARE_PROVIDERS)
    ),
    "other-categories/other": (
        0.6,
        tuple(Body(f"{area} Police and Crime Commissioner", "the Commissioner", False)
              for area in POLICE_AREAS),
    ),
    "education/school-admissions": (
        0.4, tuple(Body(f"{name} School", "the School", False) for name in SCHOOLS)
    ),
    "planning/planning-applications": (
        0.1,
        tuple(Body(f"{park} National Park Authority", "the Authority", False)
              for park in NATIONAL_PARKS),
    ),
    "planning/enforcement": (
        0.1,
        tuple(Body(f"{park} National Park Authority", "the Authority", False)
              for park in NATIONAL_PARKS),
    ),
}  # fmt: skip
# Districts have no social care, education or highways duties.
UPPER_TIER_ONLY = {
    "adult-care-services", "children-s-care-services", "education", "transport-and-highways",
}  # fmt: skip


@dataclass(frozen=True)
class Topic:
    subjects: tuple[str, ...]  # what the complaint is about
    nouns: tuple[str, ...]  # what a chronology and the findings mention
    laws: tuple[str, ...]  # the law and guidance section
    actors: tuple[str, ...]  # who acted for the body: "an officer"


# A category's share of decisions (%) and its topic. The shares follow the word targets
# of bench/word_statistics.py: the words of a category's labels ("Housing", "Planning")
# appear in its pages' first 2,000 characters.
CATEGORIES: dict[str, tuple[float, Topic]] = {
    "adult-care-services": (17, Topic(
        phrases("""{O}'s handling of {po} mother's adult social care
            the way {O} dealt with {po} concerns about {po} father's care"""),
        phrases("""the care and support plan|the care home placement|the care manager's notes
            a top-up fee|the direct payment account|the occupational therapist's report
            the home care visits|a safeguarding referral|the deferred payment agreement
            the respite care budget|the moving and handling equipment|the stairlift quote"""),
        phrases("""The Care Act 2014 places a duty on councils to assess anyone who appears to need care and support.
            The Care and Support Statutory Guidance says councils should review care plans at least every 12 months.
            Councils must work out what a person can afford to pay before charging them for care (Care Act 2014, section 17)."""),
        phrases("""an officer|the occupational therapist|the team manager|a reviewing officer
            the brokerage team|the finance officer"""),
    )),
    "benefits-and-tax": (9, Topic(
        phrases("""the way {O} handled {po} account
            {O}'s decision on {po} application for financial help"""),
        phrases("""the reminder notice|the payment arrangement|the backdating request|the summons
            the appeal form|the review request|the evidence of income|the bank statements
            the final notice|the account statement"""),
        phrases("""The Council Tax (Administration and Enforcement) Regulations 1992 set out how councils may recover unpaid council tax.
            People can appeal to the Valuation Tribunal about council tax liability and discounts.
            The Local Government Finance Act 1992 sets out who is liable to pay council tax."""),
        phrases("""an officer|the revenues team|the benefits team|a recovery officer|the team leader"""),
    )),
    "children-s-care-services": (11, Topic(
        phrases("""the way {O} dealt with {po} concerns about {po} children
            its response to {po} complaint under the statutory children's complaints procedure
            the support {O} offered {po} family"""),
        phrases("""the child protection plan|the section 47 enquiry|the special guardianship order
            the stage two investigation|the pathway plan|the contact arrangements
            the looked after child review|the fostering allowance|the core group meeting
            the independent investigator's findings|the case conference minutes|the family support plan"""),
        phrases("""The Children Act 1989 sets out councils' duties to children in need and children in care.
            The statutory guidance Getting the Best from Complaints sets out a three-stage procedure for complaints about children's social care.
            Working Together to Safeguard Children is the statutory guidance for child protection enquiries."""),
        phrases("""the team manager|the independent reviewing officer|a family support worker
            the service manager|the independent investigator"""),
    )),
    "corporate-and-other-services": (4.5, Topic(
        phrases("""{O}'s handling of {po} freedom of information request
            the conduct of a councillor at a public meeting
            the way {O} dealt with {po} application for a community grant
            {O}'s management of land next to {po} home
            its investigation of a rogue trader who took money from {pobj}"""),
        phrases("""the code of conduct complaint|the standards committee decision|the grant criteria
            the land registry plan|the trading standards referral|the electoral register entry
            the contract award|the procurement exercise|the monitoring officer's response
            the subject access request|the consultation report|the boundary fence"""),
        phrases("""The Localism Act 2011 requires councils to adopt a code of conduct for councillors.
            The Freedom of Information Act 2000 gives people a right to request information held by public bodies.
            The Information Commissioner deals with complaints about data protection and information requests."""),
        phrases("""an officer|the monitoring officer|the legal team|the estates officer"""),
    )),
    "education": (10.5, Topic(
        phrases("""the support {O} gave {po} son
            {O}'s response to {po} concerns about {po} daughter's needs"""),
        phrases("""the annual review|the educational psychologist's advice|the tuition package
            the attendance records|the provision map|the caseworker's notes|the consultation response
            the independent appeal panel|the reduced timetable|the speech and language therapy report"""),
        phrases("""The Children and Families Act 2014 and the SEND Code of Practice set the timescales for EHC needs assessments and Plans.
            The Education Act 1996, section 19, requires councils to arrange suitable education for children who cannot attend because of illness or exclusion.
            The School Admission Appeals Code sets out how independent appeal panels must work."""),
        phrases("""the SEN caseworker|an officer|the team manager|the educational psychologist"""),
    )),
    "environment-and-regulation": (10, Topic(
        phrases("""{O}'s response to {po} reports of noise from a neighbouring pub
            missed bin collections at {po} home
            the way {O} dealt with fly-tipping on land near {po} property
            its decision on a premises licence for a late-night takeaway
            its investigation of a statutory nuisance caused by smoke from bonfires"""),
        phrases("""the noise diary|the statutory nuisance investigation|the abatement notice
            the assisted bin collection|the premises licence|the fixed penalty notice
            the odour monitoring|the tree preservation order|the drainage survey
            the environmental health officer's visit|the sound recording equipment|the licensing sub-committee hearing"""),
        phrases("""The Environmental Protection Act 1990 requires councils to investigate complaints of statutory nuisance.
            The Licensing Act 2003 sets out how councils must consider applications for premises licences.
            The Anti-social Behaviour, Crime and Policing Act 2014 introduced the community trigger."""),
        phrases("""an officer|an environmental health officer|the licensing officer|the waste team"""),
    )),
    "housing": (13.3, Topic(
        phrases("""{O}'s handling of {po} housing application
            the way {O} dealt with {po} housing situation"""),
        phrases("""the housing register application|the medical evidence|the banding decision
            the personalised housing plan|the section 202 review|the offer of accommodation
            the damp and mould report|the improvement notice|the housing options interview
            the tenancy agreement|the rent account|the repairs request"""),
        phrases("""Part 6 of the Housing Act 1996 requires councils to have an allocations scheme and to follow it.
            The Housing Act 2004 introduced the Housing Health and Safety Rating System for assessing hazards in homes.
            The Housing Act 1985 gives secure tenants the right to buy their home."""),
        phrases("""a housing officer|an officer|the team leader|the lettings team|a caseworker"""),
    )),
    "leisure-and-culture": (1.5, Topic(
        phrases("""the closure of the library near {po} home
            the way {O} managed bookings at its leisure centre
            the condition of the children's play area in {po} local park
            {O}'s decision to end {po} allotment tenancy"""),
        phrases("""the allotment agreement|the leisure centre membership|the library consultation
            the play equipment inspection|the park maintenance schedule|the events licence
            the refund request|the swimming lesson booking"""),
        phrases("""The Public Libraries and Museums Act 1964 requires councils to provide a comprehensive library service.
            The Allotments Act 1922 sets notice periods for ending allotment tenancies."""),
        phrases("""an officer|the leisure manager|the parks team"""),
    )),
    "other-categories": (1.5, Topic(
        phrases("""{O}'s claim that {pr} had encroached on its land
            the way {O} handled {po} complaint about the police
            {O}'s handling of {po} request for information about a neighbour"""),
        phrases("""the boundary dispute|the land registry title|the complaint review
            the commissioner's response|the legal advice|the site visit"""),
        phrases(
            """The Local Government Act 1974 sets out which bodies the Ombudsman may investigate.""",
        ),
        phrases("""an officer|the complaints manager|the chief executive"""),
    )),
    "planning": (7.5, Topic(
        phrases("""the way {O} dealt with an application to build next to {po} home
            {O}'s handling of {po} objections to development near {po} property"""),
        phrases("""the officer's report|the site notice|the neighbour consultation
            the delegated decision|the amended plans|the committee meeting
            the loss of light|the case officer's notes|the decision notice|the drawings"""),
        phrases("""The Town and Country Planning Act 1990 gives councils discretion to take enforcement action against breaches of planning control.
            The National Planning Policy Framework says enforcement action should be proportionate.
            The Building Act 1984 and the Building Regulations 2010 set the standards for building work."""),
        phrases("""the case officer|an officer|the team leader|the enforcement officer"""),
    )),
    "transport-and-highways": (9, Topic(
        phrases("""the condition of the road outside {po} home
            the way {O} dealt with {po} reports about {po} street"""),
        phrases("""the blue badge application|the pothole inspection|the traffic regulation order
            the dropped kerb application|the definitive map modification order|the highway insurance claim
            the street lighting column|the bus pass renewal|the road closure|the speed limit consultation"""),
        phrases("""The Highways Act 1980 places a duty on councils to maintain highways.
            The Road Traffic Regulation Act 1984 sets out how councils make traffic regulation orders.
            The Wildlife and Countryside Act 1981 requires councils to keep a definitive map of public rights of way."""),
        phrases("""a highways officer|an officer|the team leader|the inspector"""),
    )),
}  # fmt: skip

# Per "category/subcategory": its weight within the category (1 unless given), what its
# complaints are about (else the category's subjects), and nouns added to the category's.
SUBCATEGORIES: dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]] = {
    "adult-care-services/assessment-and-care-plan": (4, phrases("""
        {O}'s assessment of {po} mother's care needs
        the way {O} assessed {po} son's eligibility for care and support
        the care and support plan {O} drew up for {po} father
        {O}'s failure to review {po} husband's care plan
        the delay in assessing {po} needs after {pr} left hospital"""),
        phrases("""the needs assessment|the moving and handling assessment""")),
    "adult-care-services/charging": (2.5, phrases("""
        the charges for {po} father's residential care
        {O}'s financial assessment of {po} mother's contribution to her care
        {O}'s decision that {po} aunt had deprived herself of capital to avoid care charges
        the invoices {O} sent for {po} brother's home care"""),
        phrases("""a financial assessment|the deferred payment agreement""")),
    "adult-care-services/direct-payments": (1, phrases("""
        the way {O} reviewed {po} direct payments
        {O}'s decision to reduce {po} son's direct payments
        {O}'s audit of {po} direct payment account"""), ()),
    "adult-care-services/disabled-facilities-grants": (0.8, phrases("""
        delays in providing a disabled facilities grant for {po} home
        {O}'s refusal of a disabled facilities grant for a downstairs bathroom"""), ()),
    "adult-care-services/domiciliary-care": (1.5, phrases("""
        the quality of home care provided to {po} husband
        missed and late care visits to {po} mother
        the way carers treated {po} father during home care visits"""), ()),
    "adult-care-services/residential-care": (2, phrases("""
        the care {po} mother received in a care home
        the decision to move {po} father to a different care home
        a top-up fee for {po} mother's care home placement
        the care home's decision to give notice on {po} aunt's placement"""), ()),
    "adult-care-services/safeguarding": (2, phrases("""
        {O}'s safeguarding enquiry into care given to {po} aunt
        the way {O} dealt with a safeguarding concern about {po} brother
        {O}'s decision to close a safeguarding enquiry about {po} mother's care"""), ()),
    "adult-care-services/transition-from-childrens-services": (0.4, phrases("""
        {O}'s planning for {po} son's move to adult social care
        the support {O} arranged for {po} daughter when she turned 18"""), ()),
    "adult-care-services/transport": (0.3, phrases("""
        {O}'s decision to withdraw transport to {po} daughter's day centre"""), ()),
    "adult-care-services/covid-19": (0.15, phrases("""
        the suspension of {po} mother's day care during the pandemic
        visiting restrictions at {po} father's care home during the pandemic"""), ()),
    "benefits-and-tax/council-tax": (5, phrases("""
        {O}'s decision to send bailiffs to {po} home to recover council tax arrears
        the fees bailiffs charged {pobj} when {O} passed {po} council tax debt to them
        the way bailiffs acting for {O} treated {pobj} when they called about {po} council tax
        {O}'s refusal to award {pobj} a single person discount on {po} council tax
        {O}'s decision that {pr} was liable for council tax on an empty property
        the way {O} recovered {po} council tax arrears
        {O}'s handling of {po} council tax account after {pr} moved home"""),
        phrases("""the liability order|the council tax account|the single person discount
            the enforcement agent's fees|the council tax support form""")),
    "benefits-and-tax/business-rates": (0.8, phrases("""
        the business rates bill for {po} shop
        {O}'s refusal of small business rate relief for {po} premises"""),
        phrases("""the business rates relief application|the rateable value""")),
    "benefits-and-tax/housing-benefit-and-council-tax-benefit": (2, phrases("""
        the way {O} calculated {po} housing benefit
        {O}'s decision to recover an overpayment of housing benefit
        the way {O} calculated {po} council tax reduction
        {O}'s assessment of {po} income for housing benefit"""),
        phrases("""the housing benefit overpayment|the council tax reduction claim""")),
    "benefits-and-tax/local-welfare-provision": (0.6, phrases("""
        its refusal of a discretionary housing payment
        {O}'s refusal of a crisis payment from its local welfare scheme"""), ()),
    "benefits-and-tax/other": (0.5, (), ()),
    "benefits-and-tax/covid-19": (0.4, phrases("""
        its decision that {pr} did not qualify for a business grant
        {O}'s refusal of a self-isolation support payment"""), ()),
    "children-s-care-services/child-protection": (3, phrases("""
        its handling of a child protection enquiry about {po} son
        the way {O} carried out a child protection investigation into {po} family
        the accuracy of a report {O} wrote about {po} children"""), ()),
    "children-s-care-services/looked-after-children": (1.5, phrases("""
        the support {O} gave {po} son when he was in its care
        {O}'s support for {pobj} as a care leaver"""), ()),
    "children-s-care-services/disabled-children": (1, phrases("""
        {O}'s assessment of {po} disabled son's needs
        the short breaks {O} provides for {po} disabled daughter"""), ()),
    "children-s-care-services/fostering": (0.8, phrases("""
        {O}'s decision to end {po} approval as a foster carer
        the fostering allowance {O} paid {pobj}"""), ()),
    "children-s-care-services/friends-and-family-carers": (0.8, phrases("""
        the allowance {O} pays {pobj} as a kinship carer
        the support {O} gave {pobj} when {pr} took in {po} grandchildren"""), ()),
    "children-s-care-services/special-guardianship": (1, phrases("""
        the support {O} offered to {po} family as special guardians
        {O}'s decision to reduce {po} special guardianship allowance"""), ()),
    "children-s-care-services/adoption": (0.4, phrases("""
        the adoption support {O} provided to {po} family"""), ()),
    "children-s-care-services/other": (1.5, (), ()),
    "children-s-care-services/covid-19": (0.15, phrases("""
        the contact {O} arranged with {po} children during the pandemic"""), ()),
    "education/special-educational-needs": (5, phrases("""
        the delay in issuing an Education, Health and Care Plan for {po} son
        {O}'s refusal to carry out an EHC needs assessment for {po} daughter
        {O}'s failure to secure the special educational provision in {po} son's EHC Plan
        the delay in the annual review of {po} daughter's EHC Plan
        {O}'s handling of {po} son's EHC Plan when he changed school"""),
        phrases("""the EHC needs assessment|the draft EHC Plan|the SEND Tribunal appeal
            the special school placement|the named school""")),
    "education/school-admissions": (2, phrases("""
        the school admission appeal for {po} child
        the way the independent appeal panel considered {po} appeal for a place at a school
        {O}'s refusal of a place at {po} local primary school"""),
        phrases("""the appeal hearing|the school place offer|the admission criteria|the clerk's notes""")),
    "education/school-transport": (1.5, phrases("""
        {O}'s refusal of free home to school transport for {po} daughter
        {O}'s decision to withdraw school transport for {po} son
        the school transport appeal {O} refused"""),
        phrases("""the school transport policy|the walking route assessment|the travel appeal""")),
    "education/alternative-provision": (1, phrases("""
        the education provided to {po} son while he was out of school
        {O}'s failure to arrange education for {po} daughter when she could not attend school"""),
        ()),
    "education/early-years-and-nurseries": (0.4, phrases("""
        the funded nursery place for {po} daughter
        {O}'s decision about {po} childcare funding"""), ()),
    "education/other": (1, phrases("""
        {O}'s enquiries into the home education {pr} provides
        the way {O} handled {po} concerns about {po} son's education"""), ()),
    "education/covid-19": (0.15, phrases("""
        the education {O} arranged for {po} son during the pandemic"""), ()),
    "environment-and-regulation/noise": (1.5, phrases("""
        {O}'s response to {po} reports of noise from a neighbouring pub
        {O}'s assessment of the noise from a factory near {po} home
        the way {O} investigated {po} complaints about a neighbour's barking dog"""), ()),
    "environment-and-regulation/covid-19": (0.15, phrases("""
        {O}'s enforcement of pandemic restrictions at a business near {po} home"""), ()),
    "housing/allocations": (3, phrases("""
        {O}'s handling of {po} housing register application
        {O}'s decision on {po} banding under its housing allocations scheme
        the delay in completing a medical assessment for {po} housing application
        the way {O} assessed {po} family's need to move to a larger home
        the priority {O} gave {po} application after {po} family became homeless"""),
        phrases("""the medical priority assessment""")),
    "housing/homelessness": (3, phrases("""
        its decision on {po} homelessness application
        {O}'s assessment of {po} housing needs when {pr} became homeless
        the suitability of the temporary accommodation {O} provided when {pr} became homeless
        {O}'s handling of {po} request for help when {pr} was threatened with homelessness
        the way {O} dealt with {po} belongings while {pr} was homeless
        the bed and breakfast accommodation {O} placed {po} family in"""),
        phrases("""the interim accommodation|the bed and breakfast placement|the storage of belongings
            the prevention duty|the relief duty""")),
    "housing/private-housing": (1.5, phrases("""
        its response to reports of disrepair in {po} privately rented home
        {O}'s decision to serve an improvement notice on {po} landlord
        the way {O} dealt with {po} landlord's failure to protect {po} deposit"""), ()),
    "housing/managing-council-tenancies": (1, phrases("""
        the repairs to {po} council home
        {O}'s response to reports of damp and mould in {po} council flat
        the way {O} dealt with {po} neighbour's behaviour on the estate"""), ()),
    "housing/council-house-sales-and-leaseholders": (0.8, phrases("""
        the refusal of {po} right to buy application
        the service charges on {po} leasehold flat
        the major works bill {O} sent {pobj} as a leaseholder"""), ()),
    "housing/covid-19": (0.15, phrases("""
        the way {O} housed rough sleepers during the pandemic"""), ()),
    "planning/planning-applications": (3, phrases("""
        {O}'s decision to grant planning permission for {po} neighbour's extension
        its handling of a planning application for a new housing estate near {po} property
        {O}'s decision to approve plans for a block of flats behind {po} garden
        the way {O} consulted neighbours about a planning application next door
        {O}'s assessment of the effect of {po} neighbour's extension on {po} home"""),
        phrases("""the planning officer's report|the planning condition|the planning committee""")),
    "planning/enforcement": (2, phrases("""
        its failure to take enforcement action against a breach of planning control
        {O}'s decision not to take planning enforcement action against {po} neighbour
        the way {O} investigated {po} reports of an unauthorised building"""),
        phrases("""the enforcement investigation|the breach of condition notice|the enforcement notice""")),
    "planning/building-control": (1, phrases("""
        the way {O} dealt with building regulations for work next to {po} home
        the building control inspections of {po} extension"""),
        phrases("""the building control inspection|the completion certificate""")),
    "planning/planning-advice": (0.5, phrases("""
        its advice before {pr} applied for planning permission
        the pre-application advice {O} gave {pobj}"""), phrases("""the pre-application advice""")),
    "planning/planning-policy": (0.3, phrases("""
        the way {O} prepared its local plan"""), ()),
    "planning/other": (0.8, (), ()),
    "planning/covid-19": (0.1, (), ()),
    "transport-and-highways/parking-and-other-penalties": (2.3, phrases("""
        a penalty charge notice issued to {pobj} for a parking contravention
        {O}'s refusal of a resident parking permit for {po} street
        {O}'s use of bailiffs to recover an unpaid parking penalty from {pobj}
        a parking fine {O} issued while {po} blue badge was on display
        the parking restrictions {O} introduced outside {po} home"""),
        phrases("""the penalty charge notice|the parking permit|the notice to owner
            the Traffic Penalty Tribunal appeal|the civil enforcement officer's photographs""")),
    "transport-and-highways/highway-repair-and-maintenance": (1.5, phrases("""
        its failure to repair a pothole that damaged {po} car
        the condition of the pavement outside {po} home
        {O}'s handling of {po} claim after {pr} tripped on a broken kerb"""), ()),
    "transport-and-highways/traffic-management": (1, phrases("""
        its decision to make a traffic regulation order on {po} road
        the speed humps {O} installed in {po} street"""), ()),
    "transport-and-highways/rights-of-way": (0.8, phrases("""
        the condition of a public right of way across {po} land
        {O}'s decision on an application to record a footpath"""), ()),
    "transport-and-highways/public-transport": (0.8, phrases("""
        {O}'s refusal of {po} application for a blue badge
        the mobility assessment {O} carried out when {pr} applied for a blue badge
        {O}'s refusal of a concessionary bus pass"""), ()),
    "transport-and-highways/street-furniture-and-lighting": (0.5, phrases("""
        the street light {O} installed outside {po} home"""), ()),
    "transport-and-highways/highway-adoption": (0.4, phrases("""
        {O}'s refusal to adopt the road on {po} estate"""), ()),
    "transport-and-highways/other": (0.8, (), ()),
    "transport-and-highways/covid-19": (0.1, (), ()),
}  # fmt: skip
COVID_WEIGHT, OTHER_WEIGHT = 0.15, 0.6  # subcategories not listed above


def subcategory_weight(category: str, subcategory: str) -> float:
    weight = SUBCATEGORIES.get(f"{category}/{subcategory}", (None,))[0]
    if weight is None:
        weight = {"covid-19": COVID_WEIGHT, "other": OTHER_WEIGHT}.get(subcategory, 1.0)
    return weight


# Words a statement uses only when its subject does: the search for `bailiff` matched
# about 3% of real decisions, so no other page may borrow one from a real sentence.
CONFINED_WORDS = ("bailiff",)
# The share of decisions, per category, whose statement speaks of a social worker.
SOCIAL_WORKER = {
    "adult-care-services": 0.8, "children-s-care-services": 0.97, "education": 0.2,
    "housing": 0.15, "benefits-and-tax": 0.03,
}  # fmt: skip
SOCIAL_WORKER_OTHERWISE = 0.02

# --- phrases --------------------------------------------------------------------------------

STREET_KINDS = ("Road", "Lane", "Close", "Avenue", "Street", "Drive", "Gardens")
# Where else a complainant might take a complaint, by category.
ELSEWHERE = {
    "adult-care-services": ("the Care Quality Commission", "the courts"),
    "benefits-and-tax": ("the Valuation Tribunal", "the First-tier Tribunal"),
    "children-s-care-services": ("the courts", "the Information Commissioner"),
    "corporate-and-other-services": ("the Information Commissioner", "the police"),
    "education": ("the First-tier Tribunal", "the Department for Education"),
    "environment-and-regulation": ("the magistrates' court", "the Environment Agency"),
    "housing": ("the Housing Ombudsman", "the First-tier Tribunal"),
    "planning": ("the Planning Inspectorate", "the courts"),
    "transport-and-highways": ("the Traffic Penalty Tribunal", "its insurers"),
}
ELSEWHERE_OTHERWISE = ("the courts", "the Information Commissioner")
INJUSTICES = phrases("""distress|uncertainty|frustration|avoidable time and trouble|anxiety
    inconvenience|upset|a loss of opportunity|worry about what would happen next""")
FAULT_VERBS = phrases("""did not respond to|failed to properly consider|gave wrong advice about
    did not keep proper records of|did not explain its decision on|lost
    did not follow its own procedure for|did not tell {pobj} about|took too long to deal with""")
DELAY_VERB = "delayed in dealing with"
GOOD_VERBS = phrases("""properly considered|explained its reasons for|kept clear records of
    followed its procedure for|responded promptly to|reviewed|gave accurate advice about""")
COMPLAINANT_ACTS = phrases("""contacted {O} about|emailed {O} to ask about
    telephoned {O} about|wrote to {O} again about|complained to {O} about
    asked {O} to reconsider|sent {O} further evidence about|chased {O} about""")
BODY_ACTS = phrases("""wrote to {P} about|sent {P} a decision on|acknowledged {po} concerns about
    agreed to look again at|reviewed|asked {P} for more information about|completed
    did not reply to {po} emails about|refused to change""")
# Why a complaint was not investigated: the key picks the paragraph of the law the
# statement quotes (bench/corpus_boilerplate.py), the weight how often it is given.
CLOSED_REASONS = {
    "evidence": (30, "there is not enough evidence of fault by {O}"),
    "add": (15, "we could not add to {O}'s investigation or achieve a different outcome"),
    "injustice": (12, "the injustice claimed is not significant enough to warrant our involvement"),
    "appeal": (12, "it is reasonable to expect {P} to use {po} right of appeal"),
    "court": (8, "it would be reasonable for {P} to take the matter to court"),
    "late": (10, "the complaint is late and there are no good reasons to investigate it now"),
    "elsewhere": (5, "another body is better placed to consider it"),
    "landlord": (3, "the law prevents us from investigating complaints about social housing"),
}  # fmt: skip
# Subcategories whose complaints are mostly closed for one reason, and how often.
USUAL_REASON = {
    "transport-and-highways/parking-and-other-penalties": ("appeal", 0.6),
    "housing/managing-council-tenancies": ("landlord", 0.8),
    "benefits-and-tax/council-tax": ("appeal", 0.3),
    "education/special-educational-needs": ("appeal", 0.3),
    "education/school-admissions": ("evidence", 0.5),
    "other-categories/land": ("court", 0.6),
    "corporate-and-other-services/other": ("elsewhere", 0.4),
}  # fmt: skip
WANTS = phrases("""reconsider its decision|pay compensation|change its policy
    take enforcement action|refund the money {pr} paid|explain what went wrong""")
PAYMENT_PURPOSES = phrases("""to acknowledge the distress caused|for {po} time and trouble
    to acknowledge the uncertainty caused|for the lost opportunity
    to recognise the frustration and inconvenience caused|for the avoidable distress""")
AMOUNTS = (100, 150, 200, 250, 300, 350, 400, 500, 600, 750, 1000, 1200, 1500, 2400, 3450)
ACTIONS = phrases("""remind staff of the need to respond to complaints within published timescales
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
