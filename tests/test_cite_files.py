"""Citing a decision: "Cite this decision" opens its page beside the facts, is in its
Contents, gives the source's address beside the archive's, and downloads as RIS and
BibTeX for a reference manager. On the bundled real decisions."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from decisions.models import Category, Decision, Organisation
from tests.support.helpers import get_html, make_decision

NORFOLK = "/decisions/19-011-560/"
ORIGINAL = (
    "https://www.lgo.org.uk/decisions/children-s-care-services/friends-and-family-carers/25-014-449"
)


def download(client, url: str, content_type: str, filename: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response.content.decode("utf-8")


def test_the_ris_file_of_a_decision_holds_its_citation(client, sample_decisions):
    ris = download(
        client,
        f"{NORFOLK}cite.ris",
        "application/x-research-info-systems",
        "lgsco-19-011-560.ris",
    )
    assert ris.endswith("ER  - \r\n")
    lines = ris.split("\r\n")[:-1]
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines), lines
    assert lines[0] == "TY  - CASE"
    for line in (
        "TI  - Norfolk County Council (19 011 560)",
        "AU  - Local Government and Social Care Ombudsman",
        "PB  - Local Government and Social Care Ombudsman",
        "M1  - 19 011 560",
        "PY  - 2020",
        "DA  - 2020/03/31",
        "UR  - http://testserver/decisions/19-011-560/",
    ):
        assert line in lines
    decision = Decision.objects.get(reference="19 011 560")
    assert f"AB  - {' '.join(decision.summary.split())}" in lines
    assert f"KW  - {decision.category.parent.name}" in lines
    assert f"KW  - {decision.category.name}" in lines
    assert "KW  - Upheld" in lines


def test_the_ris_file_gives_the_sources_own_address(client, sample_decisions):
    ris = client.get("/decisions/25-014-449/cite.ris").content.decode()
    assert f"UR  - {ORIGINAL}\r\n" in ris
    assert "UR  - http://testserver/decisions/25-014-449/\r\n" in ris


def test_the_bibtex_file_of_a_decision_holds_its_citation(client, sample_decisions):
    bib = download(client, f"{NORFOLK}cite.bib", "application/x-bibtex", "lgsco-19-011-560.bib")
    assert bib.startswith("@misc{lgsco-19-011-560,\n")
    for field in (
        "  title = {{Norfolk County Council (19 011 560)}}",
        "  author = {{Local Government and Social Care Ombudsman}}",
        "  number = {19 011 560}",
        "  year = {2020}",
        "  date = {2020-03-31}",
        "  url = {http://testserver/decisions/19-011-560/}",
    ):
        assert field in bib
    assert bib.count("{") == bib.count("}")
    source = client.get("/decisions/25-014-449/cite.bib").content.decode()
    assert f"  note = {{Published by the Ombudsman at \\url{{{ORIGINAL}}}}}" in source


def test_bibtex_escapes_what_latex_would_read_as_commands(client, db):
    bath = Organisation.objects.create(
        name="Bath & North East Somerset Council (100% {test}_1)", slug="bath"
    )
    make_decision("20 000 001", organisation=bath)
    bib = client.get("/decisions/20-000-001/cite.bib").content.decode()
    assert (
        r"title = {{Bath \& North East Somerset Council (100\% \{test\}\_1) (20 000 001)}}" in bib
    )
    assert "year" not in bib  # no date, no year: never a made-up one


def test_an_unknown_or_withdrawn_decision_has_no_citation_file(client, sample_decisions):
    assert client.get("/decisions/19-011-561/cite.ris").status_code == 404
    assert client.get("/decisions/not-a-ref/cite.bib").status_code == 404
    Decision.objects.filter(reference="19 011 560").update(
        withdrawn_at=timezone.now(), withdrawal_reason="Published in error."
    )
    assert client.get(f"{NORFOLK}cite.ris").status_code == 410
    assert client.get(f"{NORFOLK}cite.bib").status_code == 410


def test_cite_this_decision_comes_with_the_facts_before_the_statement(client, sample_decisions):
    html = get_html(client, NORFOLK)
    facts = html.index('<dl class="facts">')
    cite = html.index('<h2 id="cite-title">Cite this decision</h2>')
    summary = html.index('<h2 id="summary-title">')
    statement = html.index('class="statement-section"')
    assert facts < cite < summary < statement
    assert '<a href="/decisions/19-011-560/cite.ris" download>RIS file' in html
    assert '<a href="/decisions/19-011-560/cite.bib" download>BibTeX file' in html


def test_cite_this_decision_gives_the_sources_address_beside_the_archives(client, sample_decisions):
    html = get_html(client, "/decisions/25-014-449/")
    cite = html.split('<h2 id="cite-title">')[1].split("</section>")[0]
    assert 'value="http://testserver/decisions/25-014-449/"' in cite
    assert f'<a href="{ORIGINAL}">{ORIGINAL}</a> on the Ombudsman’s website' in cite
    # Imported from a text file: the archive has no address of its source.
    assert not Decision.objects.get(reference="19 011 560").url
    unknown = get_html(client, NORFOLK).split('<h2 id="cite-title">')[1].split("</section>")[0]
    assert "does not know this statement’s address on the Ombudsman’s website" in unknown


def test_the_contents_lead_to_the_citation_and_the_similar_decisions(client, db):
    housing = Category.objects.create(name="Housing", slug="housing")
    allocations = Category.objects.create(name="Allocations", slug="allocations", parent=housing)
    make_decision(
        "20 000 001",
        category=allocations,
        summary="Housing register banding delay.",
        sections=[{"heading": "The complaint", "paragraphs": ["Banding."]}],
    )
    make_decision(
        "20 000 002",
        category=allocations,
        summary="Banding on the housing register.",
        outcome="upheld",
        remedy_total="350.00",
    )
    html = get_html(client, "/decisions/20-000-001/")
    contents = re.search(r'<nav class="contents".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="#([^"]+)">', contents) == [
        "cite-title",
        "the-complaint",
        "similar-title",
    ]
    # Each similar decision with its outcome and its remedy, when it has one.
    similar = html.split('<h2 id="similar-title">')[1].split("</section>")[0]
    assert "Upheld, remedy £350" in similar


@pytest.mark.parametrize("suffix", ["ris", "bib"])
def test_a_citation_file_reads_any_spelling_of_the_reference(client, sample_decisions, suffix):
    response = client.get(f"/decisions/19011560/cite.{suffix}")
    assert response.status_code == 200
    assert "19 011 560" in response.content.decode()
