from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from decisions.models import Category, Decision, ImportRun, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "decision_count"]
    search_fields = ["name"]
    readonly_fields = ["created_at"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(decision_count=Count("decisions"))

    @admin.display(description="Decisions", ordering="decision_count")
    def decision_count(self, organisation: Organisation) -> int:
        return organisation.decision_count


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "in_taxonomy"]
    list_filter = ["in_taxonomy", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "parent__name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "category", "outcome", "decision_date"]
    list_filter = [
        "needs_review",
        "outcome",
        "outcome_inferred",
        ("category__parent", admin.RelatedOnlyFieldListFilter),
        "decision_date",
    ]
    search_fields = ["reference", "organisation__name", "summary"]
    list_select_related = ["organisation", "category__parent"]
    autocomplete_fields = ["organisation", "category"]
    date_hierarchy = "decision_date"
    show_full_result_count = False  # COUNT(*) over a million rows on every page is not free
    readonly_fields = [
        "content_hash",
        "parse_warnings",
        "source",
        "remedy_total",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "organisation", "category", "decision_date"]}),
        ("Outcome", {"fields": ["outcome", "outcome_wording", "outcome_inferred"]}),
        ("Text", {"fields": ["summary", "sections", "body_text"]}),
        ("Extracted", {"fields": ["remedies", "remedy_total", "other_bodies", "legislation"]}),
        (
            "Provenance",
            {
                "fields": [
                    "source",
                    "url",
                    "content_hash",
                    "parse_warnings",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """A read-only audit trail: runs are recorded by the pipeline, never edited."""

    list_display = [
        "started_at",
        "origin",
        "started_by",
        "created",
        "updated",
        "unchanged",
        "failed",
        "finished_at",
    ]
    list_filter = ["origin", "started_at"]
    list_select_related = ["started_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False
