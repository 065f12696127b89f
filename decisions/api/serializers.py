"""The shapes of the API's responses. They describe the JSON for the OpenAPI schema as
much as they make it: what a serializer says here is what the contract test holds every
response to."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from decisions.filters import SORTS
from decisions.models import Category, Decision


class TermsSerializer(serializers.Serializer):
    licence = serializers.CharField(help_text="The Ombudsman's re-use terms.")
    licence_url = serializers.URLField()
    attribution = serializers.CharField(help_text="Quote this with anything re-used.")


class NamedSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


def named(item: Any) -> dict[str, str] | None:
    return {"name": item.name, "slug": item.slug} if item is not None else None


class DecisionSummarySerializer(serializers.Serializer):
    """A decision as a list shows it."""

    reference = serializers.CharField(help_text="Canonical: 19 011 560.")
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="This decision in the API.")
    permalink = serializers.SerializerMethodField(help_text="Its page on this site.")
    organisation = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    subcategory = serializers.SerializerMethodField()
    outcome = serializers.CharField(help_text="The outcome family's key; empty if unknown.")
    outcome_label = serializers.CharField(source="get_outcome_display")
    outcome_wording = serializers.CharField(help_text="As published.")
    decision_date = serializers.DateField(allow_null=True, help_text="Null when unknown.")
    summary = serializers.CharField()
    remedy_total = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Pounds: the financial remedies' total."
    )
    snippet = serializers.SerializerMethodField(
        help_text="For a search: the search words in context, as HTML with <mark>."
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, decision: Decision) -> str:
        return reverse("api:decision", args=[decision.slug], request=self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_permalink(self, decision: Decision) -> str:
        request = self.context.get("request")
        url = decision.get_absolute_url()
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_organisation(self, decision: Decision) -> dict[str, str] | None:
        return named(decision.organisation)

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_category(self, decision: Decision) -> dict[str, str] | None:
        return named(decision.category.parent if decision.category else None)

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_subcategory(self, decision: Decision) -> dict[str, str] | None:
        category: Category | None = decision.category
        return named(category if category and category.parent_id else None)

    @extend_schema_field(OpenApiTypes.STR)
    def get_snippet(self, decision: Decision) -> str:
        return self.context.get("snippets", {}).get(decision.pk, "")


class SectionSerializer(serializers.Serializer):
    heading = serializers.CharField(allow_blank=True)
    paragraphs = serializers.ListField(child=serializers.CharField(allow_blank=True))
    markers = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text='One a paragraph: its number as published ("12"), a list item\'s kind, '
        "or empty. Absent for decisions parsed before paragraph numbers were kept.",
    )


class DecisionDetailSerializer(DecisionSummarySerializer):
    """A decision in full: every field the archive publishes (decisions.records.PUBLISHED,
    under its own name or as RENAMED says, less LEFT_OUT)."""

    RENAMED = {"url": "source_url"}
    # What the API leaves out of PUBLISHED, and why (tests/test_outward_shapes.py holds
    # every other field to be given).
    LEFT_OUT = {
        "body_text": "the sections hold the same text, with their headings",
        "parse_warnings": "staff's, for review",
        "needs_review": "staff's, for review",
        "curated_at": "staff's",
        "curated_fields": "staff's",
        "source": "the import's file: staff's",
        "source_hash": "the dump's, to re-import",
    }

    outcome_inferred = serializers.BooleanField(
        help_text="True when the page had no outcome line and the family was read from the text."
    )
    sections = SectionSerializer(many=True)
    remedies = serializers.DictField(help_text="The remedies as parsed: payments and actions.")
    other_bodies = serializers.ListField(child=serializers.JSONField())
    legislation = serializers.ListField(child=serializers.JSONField())
    truncated = serializers.BooleanField(
        help_text="True when the stored text stops before the end of the statement: the "
        "source URL has it all."
    )
    source_url = serializers.CharField(source="url", help_text="On lgo.org.uk; may be empty.")
    content_hash = serializers.CharField(help_text="SHA-256 of the parsed content.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    # A decision alone is not a search result. None removes an inherited field (REST
    # framework's documented idiom), which the stubs' field type does not allow.
    snippet = None  # type: ignore[assignment]


class DecisionResponseSerializer(TermsSerializer):
    decision = DecisionDetailSerializer()


class OptionSerializer(serializers.Serializer):
    # The serializer's metaclass moves declared fields into _declared_fields, so these
    # names do not shadow Field.label (or Serializer.errors below) at run time.
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    exact = serializers.BooleanField(help_text="Always true: every count is exact.")
    selected = serializers.BooleanField()
    parameters = serializers.DictField(
        child=serializers.CharField(), help_text="The parameters to set for this option."
    )
    drops = serializers.ListField(
        child=serializers.CharField(), help_text="The parameters to remove with it."
    )


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    estimated = serializers.BooleanField(help_text="Always false: every count is exact.")
    options = OptionSerializer(many=True)


class PaginationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["cursor", "page"])
    per_page = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    page = serializers.IntegerField(allow_null=True, help_text="Relevance order only.")
    pages = serializers.IntegerField(allow_null=True, help_text="Relevance order only.")
    reachable = serializers.IntegerField(
        help_text="How many of the matches paging reaches: all of them (the total)."
    )
    capped = serializers.BooleanField(
        help_text="Always false: paging reaches every match (kept for existing clients)."
    )


class DecisionListSerializer(TermsSerializer):
    total = serializers.IntegerField(help_text="How many decisions match.")
    total_exact = serializers.BooleanField(
        help_text="Always true: the total is exact (kept for existing clients)."
    )
    total_shown = serializers.CharField(help_text='As the page shows it: "41,213".')
    sort = serializers.ChoiceField(list(SORTS))
    pagination = PaginationSerializer()
    notes = serializers.ListField(child=serializers.CharField())
    results = DecisionSummarySerializer(many=True)
    facets = FacetSerializer(many=True, help_text="Empty with facets=false.")


class OrganisationSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    count = serializers.IntegerField(help_text="Published decisions.")
    decisions = serializers.URLField(help_text="Its decisions in the API.")


class OrganisationListSerializer(TermsSerializer):
    results = OrganisationSerializer(many=True)


class SubcategorySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    count = serializers.IntegerField(help_text="Published decisions.")
    decisions = serializers.URLField()


class CategorySerializer(SubcategorySerializer):
    subcategories = SubcategorySerializer(many=True)


class CategoryListSerializer(TermsSerializer):
    results = CategorySerializer(many=True)


class ErrorSerializer(TermsSerializer):
    status = serializers.IntegerField()
    message = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # a declared field, as above
        child=serializers.ListField(child=serializers.CharField()),
        help_text="By parameter name: what is wrong with its value.",
    )
    last_page = serializers.IntegerField(
        required=False,
        help_text="Only on the 404 of a page past the end: the last page's number.",
    )
