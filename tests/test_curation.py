"""Staff corrections in the admin, what re-imports do to them, review filters, and
withdrawal from public view."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from decisions.importing.pipeline import run_import
from decisions.importing.sources import iter_sources
from decisions.models import Category, Decision
from tests.conftest import FIXTURES

SEED_CLOSED = FIXTURES / "seeds" / "001_4607d231c94eb0e8.txt"  # 25 010 721
SEED_UPHELD = FIXTURES / "seeds" / "000_bde59b1ddb6e75bb.txt"  # 19 011 560


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    """A closed-after-enquiries statement (SEED_CLOSED) as a page file to import."""
    path = tmp_path / "page.txt"
    path.write_bytes(SEED_CLOSED.read_bytes())
    return path


def import_file(path: Path, **options):
    return run_import(iter_sources([path]), sources=[str(path)], **options)


def change_form_data(decision: Decision, **changes) -> dict:
    """What the admin's change form posts for `decision`, with `changes` applied."""
    data = {
        "organisation": decision.organisation_id or "",
        "category": decision.category_id or "",
        "decision_date": decision.decision_date.isoformat() if decision.decision_date else "",
        "needs_review": "on" if decision.needs_review else "",
        "outcome": decision.outcome,
        "outcome_wording": decision.outcome_wording,
        "outcome_inferred": "on" if decision.outcome_inferred else "",
        "summary": decision.summary,
        "sections": json.dumps(decision.sections),
        "body_text": decision.body_text,
        "remedies": json.dumps(decision.remedies),
        "other_bodies": json.dumps(decision.other_bodies),
        "legislation": json.dumps(decision.legislation),
        "url": decision.url,
    }
    # Fields with callable defaults carry their initial value in a hidden input, which
    # Django compares against to tell what changed.
    for name in ("sections", "remedies", "other_bodies", "legislation"):
        data[f"initial-{name}"] = data[name]
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def correct(client: Client, decision: Decision, **changes):
    url = reverse("admin:decisions_decision_change", args=[decision.pk])
    return client.post(url, change_form_data(decision, **changes))


def test_an_admin_correction_is_recorded_as_a_curation(editor, seed_file):
    import_file(seed_file)
    decision = Decision.objects.get()
    response = correct(editor, decision, summary="A corrected summary.")
    assert response.status_code == 302, response.content.decode()[:2000]
    decision.refresh_from_db()
    assert decision.summary == "A corrected summary."
    assert decision.curated_at is not None
    assert decision.curated_fields == ["summary"]


def test_a_correction_survives_a_re_import_of_the_unchanged_page(editor, seed_file):
    import_file(seed_file)
    decision = Decision.objects.get()
    correct(editor, decision, summary="A corrected summary.")
    run = import_file(seed_file)
    assert (run.updated, run.unchanged) == (0, 1)
    decision.refresh_from_db()
    assert decision.summary == "A corrected summary."
    assert decision.curated_fields == ["summary"]


def test_a_correction_survives_when_only_the_parser_output_differs(editor, seed_file):
    import_file(seed_file)
    decision = Decision.objects.get()
    correct(editor, decision, summary="A corrected summary.")
    # As if the parser had changed since: the stored parse no longer matches a new one.
    Decision.objects.update(content_hash="0" * 64)
    run = import_file(seed_file)
    assert run.unchanged == 1
    assert Decision.objects.get().summary == "A corrected summary."


def test_a_changed_source_page_replaces_the_correction_and_asks_for_review(editor, seed_file):
    import_file(seed_file)
    decision = Decision.objects.get()
    correct(editor, decision, summary="A corrected summary.", needs_review="")
    seed_file.write_text(
        SEED_CLOSED.read_text(encoding="utf-8").replace(
            "Decision date : 15 Dec 2025", "Decision date : 16 Dec 2025"
        ),
        encoding="utf-8",
    )
    results = []
    run = import_file(seed_file, on_result=results.append)
    assert run.updated == 1
    assert "replaced a staff correction" in results[0].note
    decision.refresh_from_db()
    assert decision.summary != "A corrected summary."
    assert decision.decision_date.isoformat() == "2025-12-16"
    assert decision.curated_at is None and decision.curated_fields == []
    assert decision.needs_review


def test_a_dry_run_says_a_changed_page_would_replace_a_correction(editor, seed_file):
    import_file(seed_file)
    correct(editor, Decision.objects.get(), summary="A corrected summary.")
    seed_file.write_text(seed_file.read_text(encoding="utf-8").replace("15 Dec", "16 Dec"), "utf-8")
    results = []
    run = import_file(seed_file, dry_run=True, on_result=results.append)
    assert run.updated == 1
    assert "would replace a staff correction" in results[0].note
    assert Decision.objects.get().summary == "A corrected summary."


def test_editing_remedies_keeps_the_total_consistent(editor, seed_file):
    import_file(seed_file)
    decision = Decision.objects.get()
    remedies = {
        **decision.remedies,
        "payments": [
            {"amount": "150.00", "purpose": "distress", "text": "pay £150"},
            {"amount": "99.50", "purpose": "", "text": "refund £99.50"},
        ],
    }
    response = correct(editor, decision, remedies=json.dumps(remedies))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.remedy_total == Decimal("249.50")
    assert decision.remedies["total"] == "249.50"
    assert "remedies" in decision.curated_fields


def test_malformed_remedies_are_refused_with_a_message(editor, seed_file):
    import_file(seed_file)
    decision = Decision.objects.get()
    response = correct(editor, decision, remedies='{"payments": [{"amount": "lots"}]}')
    assert response.status_code == 200
    assert "Payment 1 needs an" in response.content.decode()


def test_page_text_with_a_script_shows_as_text_in_the_admin(editor, seed_file):
    import_file(seed_file)
    decision = Decision.objects.get()
    Decision.objects.update(
        summary="<script>alert('x')</script>", parse_warnings=["<b>odd</b> <script>x</script>"]
    )
    body = editor.get(reverse("admin:decisions_decision_change", args=[decision.pk])).content
    assert b"<script>alert" not in body and b"<script>x</script>" not in body
    assert b"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert b"<li>&lt;b&gt;odd&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;</li>" in body


def test_the_admin_filters_the_decisions_whose_copy_is_incomplete(editor, sample_decisions):
    changelist = reverse("admin:decisions_decision_changelist")
    response = editor.get(changelist, {"truncated__exact": "1"})
    assert response.status_code == 200
    shown = {d.reference for d in response.context["cl"].result_list}
    assert "24 012 973" in shown and "19 011 560" not in shown
    assert all(Decision.objects.get(reference=r).truncated for r in shown)
    assert b"By incomplete copy" in editor.get(changelist).content


def test_each_review_cause_has_its_own_filter(editor, sample_decisions):
    changelist = reverse("admin:decisions_decision_changelist")

    def references(cause: str) -> set[str]:
        response = editor.get(changelist, {"review_cause": cause})
        assert response.status_code == 200
        return {d.reference for d in response.context["cl"].result_list}

    assert "24 000 140" in references("inferred_outcome")
    assert "24 000 140" in references("no_date")
    assert "16 003 210" in references("unknown_organisation")
    assert "19 011 560" not in references("unknown_organisation")
    Decision.objects.filter(reference="19 011 560").update(parse_warnings=["odd layout"])
    with_warnings = references("parse_warnings")
    assert "19 011 560" in with_warnings
    assert all(Decision.objects.get(reference=r).parse_warnings for r in with_warnings)
    Category.objects.filter(decisions__reference="24 012 973").update(in_taxonomy=False)
    assert "24 012 973" in references("outside_taxonomy")


def test_parse_warnings_read_as_a_list_on_the_change_page(editor, seed_file):
    import_file(seed_file)
    decision = Decision.objects.get()
    Decision.objects.update(parse_warnings=["no outcome line", "two dates"])
    body = editor.get(reverse("admin:decisions_decision_change", args=[decision.pk])).content
    assert b"<ul class='parse-warnings'><li>no outcome line</li><li>two dates</li></ul>" in body


def withdraw(client: Client, decision: Decision, reason: str = "Published in error."):
    return client.post(
        reverse("admin:decisions_decision_changelist"),
        {"action": "withdraw", "_selected_action": [decision.pk], "apply": "yes", "reason": reason},
    )


def test_withdrawing_asks_for_a_reason_first(editor, seed_file):
    import_file(seed_file)
    decision = Decision.objects.get()
    response = editor.post(
        reverse("admin:decisions_decision_changelist"),
        {"action": "withdraw", "_selected_action": [decision.pk]},
    )
    assert response.status_code == 200
    assert b"Withdraw from public view" in response.content
    assert Decision.objects.get().withdrawn_at is None
    response = withdraw(editor, decision, reason="")
    assert b"This field is required" in response.content
    assert Decision.objects.get().withdrawn_at is None


def test_a_withdrawn_decision_disappears_from_every_public_page(editor, sample_decisions):
    decision = Decision.objects.get(reference="24 012 973")  # Housing, upheld
    public = Client()
    housing_before = public.get("/", {"category": "housing"}).context["page_obj"].paginator.count
    assert withdraw(editor, decision).status_code == 302
    decision.refresh_from_db()
    assert decision.withdrawn_at is not None
    assert decision.withdrawal_reason == "Published in error."

    listing = public.get("/")
    assert listing.context["page_obj"].paginator.count == 55
    assert b"24 012 973" not in listing.content
    search = public.get("/", {"q": "housing application"})
    assert decision.pk not in {d.pk for d in search.context["decisions"]}
    housing = public.get("/", {"category": "housing"}).context["page_obj"].paginator.count
    assert housing == housing_before - 1
    gone = public.get("/decisions/24-012-973/")
    assert gone.status_code == 410
    assert b"withdrawn" in gone.content and b"housing application" not in gone.content
    # Still there for the admin.
    assert (
        editor.get(reverse("admin:decisions_decision_change", args=[decision.pk])).status_code
        == 200
    )


def test_facet_counts_leave_out_withdrawn_decisions(editor, sample_decisions):
    withdraw(editor, Decision.objects.get(reference="24 012 973"))
    offered = Client().get("/").context["facets"]
    categories = {facet.name: facet for facet in offered}["category"].options
    housing = next(option for option in categories if option.label == "Housing")
    assert (
        housing.count
        == Decision.objects.published().filter(category__parent__slug="housing").count()
    )


def test_a_re_import_does_not_bring_a_withdrawn_decision_back(editor, seed_file):
    import_file(seed_file)
    withdraw(editor, Decision.objects.get())
    seed_file.write_text(seed_file.read_text(encoding="utf-8").replace("15 Dec", "16 Dec"), "utf-8")
    assert import_file(seed_file).updated == 1
    decision = Decision.objects.get()
    assert decision.decision_date.isoformat() == "2025-12-16"
    assert decision.withdrawn_at is not None
    assert decision.withdrawal_reason == "Published in error."


def test_restoring_brings_a_decision_back(editor, seed_file):
    import_file(seed_file)
    decision = Decision.objects.get()
    withdraw(editor, decision)
    editor.post(
        reverse("admin:decisions_decision_changelist"),
        {"action": "restore", "_selected_action": [decision.pk]},
    )
    decision.refresh_from_db()
    assert decision.withdrawn_at is None and decision.withdrawal_reason == ""
    assert Client().get(decision.get_absolute_url()).status_code == 200


def test_page_text_with_a_script_shows_as_text_on_the_public_pages(db, seed_file):
    import_file(seed_file)
    Decision.objects.update(summary="Before <script>alert('x')</script> after")
    decision = Decision.objects.get()
    for url in (decision.get_absolute_url(), "/"):
        body = Client().get(url).content
        assert b"<script>alert" not in body
        assert b"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
