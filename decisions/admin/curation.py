"""The admin's curation of decisions: correcting a parse, flags for review, withdrawal and
restoring, and the organisations and categories they belong to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from decisions.admin.captures import provenance_line
from decisions.admin.forms import (
    CuratedFilter,
    DecisionForm,
    ReviewCauseFilter,
    WithdrawForm,
    WithdrawnFilter,
    remedies_total,
)
from decisions.models import Category, Decision, Organisation

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class DecisionCount(TypedDict):
    """What OrganisationAdmin.get_queryset annotates."""

    decision_count: int


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "decision_count"]
    search_fields = ["name"]
    readonly_fields = ["created_at"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(decision_count=Count("decisions"))

    @admin.display(description="Decisions", ordering="decision_count")
    def decision_count(self, organisation: WithAnnotations[Organisation, DecisionCount]) -> int:
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
    form = DecisionForm
    # Django 6 makes https the default scheme for typed-in addresses; take it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "reference",
        "organisation",
        "category",
        "outcome",
        "decision_date",
        "needs_review",
        "is_public",
    ]
    list_filter = [
        "needs_review",
        ReviewCauseFilter,
        "truncated",
        WithdrawnFilter,
        CuratedFilter,
        "outcome",
        ("category__parent", admin.RelatedOnlyFieldListFilter),
        "decision_date",
    ]
    search_fields = ["reference", "organisation__name", "summary"]
    list_select_related = ["organisation", "category__parent"]
    autocomplete_fields = ["organisation", "category"]
    date_hierarchy = "decision_date"
    show_full_result_count = False  # COUNT(*) over a million rows on every page is not free
    actions = ["withdraw", "restore"]
    readonly_fields = [
        "content_hash",
        "source_hash",
        "parse_warnings_list",
        "source",
        "remedy_total",
        "curated_at",
        "curated_fields",
        "withdrawn_at",
        "withdrawal_reason",
        "created_at",
        "updated_at",
        "capture_list",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "organisation", "category", "decision_date"]}),
        ("Review", {"fields": ["needs_review", "truncated", "parse_warnings_list"]}),
        ("Outcome", {"fields": ["outcome", "outcome_wording", "outcome_inferred"]}),
        ("Text", {"fields": ["summary", "sections", "body_text"]}),
        ("Extracted", {"fields": ["remedies", "remedy_total", "other_bodies", "legislation"]}),
        (
            "Corrections and withdrawal",
            {
                "fields": ["curated_at", "curated_fields", "withdrawn_at", "withdrawal_reason"],
                "description": "A correction made here survives re-imports of the same page; "
                "a changed page replaces it (see README, “Curation”). Withdraw or restore "
                "a decision with the actions on the list of decisions.",
            },
        ),
        (
            "Provenance",
            {
                "fields": [
                    "source",
                    "url",
                    "content_hash",
                    "source_hash",
                    "created_at",
                    "updated_at",
                    "capture_list",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Decision | None = None) -> list:
        # The reference is the import key: changing it would make a re-import a new row.
        return [*self.readonly_fields, "reference"] if obj else self.readonly_fields

    @admin.display(description="Parse warnings")
    def parse_warnings_list(self, decision: Decision) -> str:
        if not decision.parse_warnings:
            return "None"
        # format_html_join escapes every warning: page text never becomes markup.
        return format_html(
            "<ul class='parse-warnings'>{}</ul>",
            format_html_join("", "<li>{}</li>", ((str(w),) for w in decision.parse_warnings)),
        )

    @admin.display(description="Captures (every source it came from)")
    def capture_list(self, decision: Decision) -> str:
        """Read-only, not an inline: a correction's form stays the decision's alone. Each
        capture links to its own page, with its scraper record's other keys in full."""
        rows = decision.captures.order_by("-held", "-created_at").values_list(
            "pk", "created_at", "origin", "source", "held", "note", "raw_size", "metadata"
        )[:50]
        if not rows:
            return "None"
        return format_html(
            "<ul class='capture-list'>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} · <a href='{}'>{}</a> · {} bytes{}{}{}</li>",
                (
                    (
                        # Formatted here: format_html escapes its arguments to strings first.
                        f"{created:%Y-%m-%d %H:%M}",
                        origin,
                        reverse("admin:decisions_capture_change", args=[pk]),
                        source,
                        f"{size:,}",
                        " · HELD" if held else "",
                        f" · {note}" if note else "",
                        f" · {line}" if (line := provenance_line(metadata)) else "",
                    )
                    for pk, created, origin, source, held, note, size, metadata in rows
                ),
            ),
        )

    @admin.display(description="Public", boolean=True, ordering="withdrawn_at")
    def is_public(self, decision: Decision) -> bool:
        return decision.withdrawn_at is None

    def save_model(
        self, request: HttpRequest, obj: Decision, form: forms.ModelForm[Decision], change: bool
    ) -> None:
        obj.remedy_total = remedies_total(obj.remedies)
        if change and form.changed_data:
            obj.curated_at = timezone.now()
            obj.curated_fields = sorted(set(obj.curated_fields or []) | set(form.changed_data))
        # The search index and the statistics follow through the change log
        # (decisions.search.syncing): nothing is rebuilt in this request.
        super().save_model(request, obj, form, change)

    @admin.action(description="Withdraw from public view", permissions=["change"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            chosen = list(queryset.filter(withdrawn_at__isnull=True))
            Decision.objects.filter(pk__in=[d.pk for d in chosen]).update(
                withdrawn_at=timezone.now(), withdrawal_reason=reason
            )
            for decision in chosen:
                self.log_change(request, decision, f"Withdrawn from public view: {reason}")
            self.message_user(request, f"{len(chosen)} decision(s) withdrawn from public view.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Withdraw from public view",
            "opts": self.model._meta,
            "decisions": queryset,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/decisions/decision/withdraw.html", context)

    @admin.action(description="Restore to public view", permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset.filter(withdrawn_at__isnull=False))
        Decision.objects.filter(pk__in=[d.pk for d in chosen]).update(
            withdrawn_at=None, withdrawal_reason=""
        )
        for decision in chosen:
            self.log_change(request, decision, "Restored to public view")
        self.message_user(request, f"{len(chosen)} decision(s) restored to public view.")
