"""The sections every statement carries, "The Ombudsman's role and powers" and "How I
considered this complaint", in the wording of the statement's era.

The wording is the real statements' (tests/fixtures/lgo_pages.jsonl, samples/), which
changed over the years:

- to 2018: "We investigate complaints of injustice caused by 'maladministration' and
  'service failure'. I have used the word 'fault' to refer to these."; how the complaint
  was considered told in one paragraph of prose;
- 2019 to mid-2021: "In this statement, I have used the word fault to refer to these...
  I refer to this as 'injustice'"; for complaints not investigated, "We provide a free
  service, but must use public money carefully. We may decide not to start...";
- mid-2021 to 2023: complaints not investigated are "assessed" against the Ombudsman's
  Assessment Code, and say so; "which we call 'fault'";
- from 2024: "fault which has caused significant injustice, or that could cause
  injustice to others in the future"; "the tests set out in our Assessment Code".

Paragraphs are formatted like the vocabulary's templates ({P}, {O}, ...): a council is
"a council's" and any other body "an organisation's".
"""

from __future__ import annotations

from datetime import date

from bench.corpus_vocabulary import phrases

ERAS = (2016, 2019, 2021, 2024)


def era(decided: date) -> int:
    """The first year of the wording a statement decided on `decided` uses."""
    if decided.year <= 2018:
        return 2016
    if decided < date(2021, 7, 1):
        return 2019
    return 2021 if decided.year <= 2023 else 2024


LGA = "Local Government Act 1974"
# The opening paragraph of an investigated complaint's role and powers, by era.
INVESTIGATED = {
    2016: phrases(f"""
        We investigate complaints of injustice caused by ‘maladministration’ and ‘service failure’. I have used the word ‘fault’ to refer to these. We cannot question whether {{a_body}} decision is right or wrong simply because the complainant disagrees with it. We must consider whether there was fault in the way the decision was reached. ({LGA}, section 34(3), as amended)
        The Ombudsman investigates complaints of injustice caused by ‘maladministration’ and ‘service failure’. I have used the word ‘fault’ to refer to these. If there has been fault which has caused an injustice, the Ombudsman may suggest a remedy. ({LGA}, sections 26(1) and 26A(1), as amended)"""),
    2019: phrases(f"""
        We investigate complaints about ‘maladministration’ and ‘service failure’. In this statement, I have used the word fault to refer to these. We must also consider whether any fault has had an adverse impact on the person making the complaint. I refer to this as ‘injustice’. If there has been fault which has caused an injustice, we may suggest a remedy. ({LGA}, sections 26(1) and 26A(1), as amended)"""),
    2024: phrases(f"""
        We investigate complaints about ‘maladministration’ and ‘service failure’. In this statement, I have used the word fault to refer to these. We must also consider whether any fault has had an adverse impact on the person making the complaint. I refer to this as ‘injustice’. If there has been fault which has caused significant injustice, or that could cause injustice to others in the future we may suggest a remedy. ({LGA}, sections 26(1) and 26A(1), as amended)"""),
}
INVESTIGATED[2021] = INVESTIGATED[2019]
# Sometimes said instead, and without the word injustice (tests/fixtures: 19 014 022).
ABOUT_DECISIONS = f"We investigate complaints about ‘maladministration’ and ‘service failure’. In this statement, I have used the word fault to refer to these. We consider whether there was fault in the way an organisation made its decision. If there was no fault in the decision making, we cannot question the outcome. ({LGA}, section 34(3), as amended)"
SATISFIED = f"If we are satisfied with {{a_body}} actions or proposed actions, we can complete our investigation and issue a decision statement. ({LGA}, section 30(1B) and 34H(i), as amended)"
RESTRICTIONS = (
    f"The {LGA} sets out our powers but also imposes restrictions on what we can investigate."
)
# Said sometimes in investigated statements, from the era given.
EXTRAS = (
    (2016, f"We cannot investigate an issue if someone has started court action about the matter. ({LGA}, section 26(6)(c), as amended)"),
    (2019, f"We may investigate a complaint on behalf of someone who has died or who cannot authorise someone to act for them. ({LGA}, section 26A(2), as amended)"),
    (2021, "Service failure can happen when an organisation fails to provide a service as it should have done because of circumstances outside its control. We do not need to show any blame, intent, flawed policy or process, or bad faith by an organisation to say service failure (fault) has occurred."),
    (2024, "When considering complaints we make findings based on the balance of probabilities. This means that we look at the available relevant evidence and decide what was more likely to have happened."),
)  # fmt: skip
CARE_PROVIDER = phrases(f"""
    We investigate complaints about adult social care providers and decide whether their actions have caused injustice, or could have caused injustice, to the person complaining. I have used the term fault to describe this. ({LGA}, sections 34B and 34C)
    If an adult social care provider’s actions have caused injustice, we may suggest a remedy. ({LGA}, section 34H(1))""")
COMMISSIONER = f"The Ombudsman cannot investigate complaints about actions taken by Police and Crime Commissioners (or any other body in our jurisdiction) about the investigation or prevention of crime. ({LGA}, Schedule 5, paragraph 2)"
APPEAL_PANEL = f"We cannot question whether a school admissions appeal panel’s decision is right or wrong simply because the complainant disagrees with it. We must consider if there was fault in the way the decision was reached. If we find fault, which calls into question the panel’s decision, we may ask for a new appeal hearing. ({LGA}, section 34(3), as amended)"

# The opening of a closed complaint's role and powers, by era; {test} says why we may not
# investigate, in the words of its reason.
NOT_INVESTIGATED = {
    2016: phrases(f"""
        We investigate complaints of injustice caused by ‘maladministration’ and ‘service failure’. I have used the word ‘fault’ to refer to these. We may decide not to start or continue with an investigation if we believe {{test}}. ({LGA}, section 24A(6), as amended)
        We investigate complaints of injustice caused by ‘maladministration’ and ‘service failure’. I have used the word ‘fault’ to refer to these. We provide a free service, but must use public money carefully. We may decide not to start or continue with an investigation if we believe {{test}}. ({LGA}, section 24A(6), as amended)"""),
    2019: phrases(f"""
        We investigate complaints about ‘maladministration’ and ‘service failure’. In this statement, I have used the word ‘fault’ to refer to these. We must also consider whether any fault has had an adverse impact on the person making the complaint. I refer to this as ‘injustice’. We provide a free service, but must use public money carefully. We may decide not to start or continue with an investigation if we believe {{test}}. ({LGA}, section 24A(6), as amended)"""),
    2021: phrases(f"""
        The Ombudsman investigates complaints about ‘maladministration’ and ‘service failure’, which we call ‘fault’. We must also consider whether any fault has had an adverse impact on the person making the complaint, which we call ‘injustice’. We provide a free service, but must use public money carefully. We do not start or may decide not to continue with an investigation if we decide {{test}}. ({LGA}, section 24A(6), as amended, section 34(B))
        We investigate complaints about ‘maladministration’ and ‘service failure’, which we call ‘fault’. We must also consider whether any fault has had an adverse impact on the person making the complaint, which we call ‘injustice’. We provide a free service, but must use public money carefully. We do not start or continue an investigation if we decide {{test}}. ({LGA}, section 24A(6), as amended, section 34(B))"""),
    2024: phrases(f"""
        We investigate complaints about ‘maladministration’ and ‘service failure’, which we call ‘fault’. We must also consider whether any fault has had an adverse effect on the person making the complaint, which we call ‘injustice’. We provide a free service, but must use public money carefully. We do not start an investigation if we decide the tests set out in our Assessment Code are not met. ({LGA}, section 24A(6), as amended)
        We investigate complaints about ‘maladministration’ and ‘service failure’, which we call ‘fault’. We must also consider whether any fault has had an adverse impact on the person making the complaint, which we call ‘injustice’. We provide a free service, but must use public money carefully. We do not start or continue an investigation if we decide {{test}}. ({LGA}, section 24A(6), as amended, section 34(B))"""),
}  # fmt: skip
# Closed statements' shorter opening, without fault or injustice (21 003 690).
BRIEFLY = f"We investigate complaints about ‘maladministration’ and ‘service failure’. We provide a free service, but must use public money carefully. We may decide not to start or continue with an investigation if we believe {{test}}. ({LGA}, section 24A(6), as amended)"
TESTS = {
    "evidence": "there is not enough evidence of fault to justify investigating",
    "add": "we could not add to any previous investigation by the organisation",
    "injustice": "any injustice is not significant enough to justify our involvement",
    "appeal": "it would be reasonable for the person to ask for a review or appeal",
    "court": "it would be reasonable for the person to go to court",
    "late": "the complaint was made too late",
    "elsewhere": "there is another body better placed to consider this complaint",
    "landlord": "we cannot achieve the outcome someone wants",
}
# The law a closed statement quotes for its reason; these say nothing of fault.
REASON_PARAGRAPHS = {
    "appeal": f"The law says we cannot normally investigate a complaint when someone can appeal to a tribunal. However, we may decide to investigate if we consider it would be unreasonable to expect the person to appeal. ({LGA}, section 26(6)(a), as amended)",
    "court": f"The law says we cannot normally investigate a complaint when someone could take the matter to court. However, we may decide to investigate if we consider it would be unreasonable to expect the person to go to court. ({LGA}, section 26(6)(c), as amended)",
    "late": f"We cannot investigate late complaints unless we decide there are good reasons. Late complaints are when someone takes more than 12 months to complain to us about something {{a_body_bare}} has done. ({LGA}, sections 26B and 34D, as amended)",
    "elsewhere": f"We normally expect someone to refer the matter to the Information Commissioner if they have a complaint about data protection. However, we may decide to investigate if we think there are good reasons. ({LGA}, section 24A(6), as amended)",
    "landlord": f"We cannot investigate complaints about the provision or management of social housing by a council acting as a registered social housing provider. ({LGA}, paragraph 5A schedule 5, as amended)",
}  # fmt: skip
MINISTER = f"The law says we normally cannot investigate a complaint when someone can appeal to a government minister. However, we may decide to investigate if we consider it would be unreasonable to expect the person to appeal. ({LGA}, section 26(6)(b))"

# "How I considered this complaint", investigated: one paragraph each, or a list.
CONSIDERED = {
    2016: (
        ("I discussed the complaint with {P} and considered the information {pr} provided. I considered the information {O} provided in response to my enquiries. I considered relevant law, guidance and policy on {noun}. I gave {O} and {P} an opportunity to comment on my draft decision.",),
        ("I have considered all the information which {P} submitted with {po} complaint and {pr} has commented on the draft decision. I made enquiries of {O} and considered its response.",),
    ),
    2019: (
        ("I spoke to {P} about the complaint.", "I made written enquiries of {O} and considered its response along with relevant law and guidance.", "I referred to the Ombudsman’s Guidance on Remedies, a copy of which can be found on our website.", "{P} and {O} had an opportunity to comment on my draft decision. I considered any comments received before making a final decision."),
        ("I considered the information {P} provided and discussed the complaint with {pobj}. I also considered the documents {O} sent me about {noun}. I shared my draft decision with {P} and considered {po} comments on it.",),
        None,  # the list: "As part of my investigation I have:"
    ),
    2024: (
        ("I discussed the complaint with {P} and considered the evidence {pr} provided.", "I made enquiries of {O} and considered its response.", "{P} and {O} had an opportunity to comment on the draft decision. I considered any comments I received before making a final decision."),
        None,
    ),
}  # fmt: skip
CONSIDERED[2021] = CONSIDERED[2019]
INVESTIGATION_STEPS = (
    "considered the complaint and the documents provided by {P};",
    "made enquiries of {O} and considered its response;",
    "spoken to {P} about the complaint;",
    "considered the relevant law and guidance, as set out below;",
    "considered {noun} and {noun2};",
)
LAST_STEP = "sent a draft version of this decision to both parties and invited comments on it."
# Closed without investigation.
ASSESSED = {
    2016: (
        ("I considered the information {P} provided in {po} complaint, and {po} comments in response to a draft of this decision.",),
        ("I considered the information provided by {P} and by {O}. I have also sent {P} a draft decision for {po} comments.",),
    ),
    2019: (
        ("I considered the information provided by {P} and by {O}. I have also sent {P} a draft decision for {po} comments.",),
        ("As part of my assessment I have:", "• considered {P}’s complaint, {po} correspondence with {O} and {O}’s explanation of what happened; and", "• issued a draft decision inviting {P} to respond."),
        ("I considered the information {P} provided in {po} complaint, and {po} comments in response to a draft of this decision.",),
    ),
    2021: (
        ("I considered information provided by the complainant and {O}.", "I considered the Ombudsman’s Assessment Code."),
        ("I considered information provided by {P}.", "I considered the Ombudsman’s Assessment Code."),
        ("I considered the information {P} provided with {po} complaint. I also took account of the Ombudsman’s Assessment Code.",),
    ),
}  # fmt: skip
ASSESSED[2024] = ASSESSED[2021]
DRAFT_COMMENTS = "I considered {P}’s comments on my draft decision."
SHARING = "Under our information sharing agreement, we will share this decision with {regulator}."
