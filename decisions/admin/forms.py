"""The admin's list filters and forms for decisions: review causes, withdrawal, remedies."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from decisions.models import Capture, Decision


class ReviewCauseFilter(admin.SimpleListFilter):
    """Each reason the importer flags a decision for review, on its own."""

    title = "needs review because"
    parameter_name = "review_cause"
    CAUSES = {
        "inferred_outcome": ("Outcome inferred from the text", Q(outcome_inferred=True)),
        "no_outcome": ("No outcome", Q(outcome="")),
        "no_date": ("No decision date", Q(decision_date__isnull=True)),
        "unknown_organisation": ("Organisation not named", Q(organisation__isnull=True)),
        "parse_warnings": ("Parse warnings", ~Q(parse_warnings=[])),
        "held_update": (
            "A newer version was held back (it would have lost information)",
            Q(needs_review=True)
            & Q(Exists(Capture.objects.filter(decision=OuterRef("pk"), held=True))),
        ),
        "outside_taxonomy": (
            "Category missing or outside the taxonomy",
            Q(category__isnull=True) | Q(category__in_taxonomy=False),
        ),
    }

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Decision]
    ) -> list[tuple[str, str]]:
        return [(key, label) for key, (label, _) in self.CAUSES.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        cause = self.CAUSES.get(self.value() or "")
        return queryset.filter(cause[1]) if cause else queryset


class WithdrawnFilter(admin.SimpleListFilter):
    title = "public view"
    parameter_name = "withdrawn"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Decision]
    ) -> list[tuple[str, str]]:
        return [("no", "Published"), ("yes", "Withdrawn")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in {"yes", "no"}:
            return queryset.filter(withdrawn_at__isnull=self.value() == "no")
        return queryset


class CuratedFilter(admin.SimpleListFilter):
    title = "corrected by staff"
    parameter_name = "curated"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Decision]
    ) -> list[tuple[str, str]]:
        return [("yes", "Corrected"), ("no", "As imported")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in {"yes", "no"}:
            return queryset.filter(curated_at__isnull=self.value() == "no")
        return queryset


def remedies_total(remedies: object) -> Decimal:
    """The sum of the payments in a remedies object; ValueError if it is malformed."""
    if not isinstance(remedies, dict):
        raise ValueError('Remedies must be a JSON object, like {"payments": [...]}.')
    payments = remedies.get("payments", [])
    if not isinstance(payments, list):
        raise ValueError('"payments" must be a list.')
    total = Decimal("0")
    for number, payment in enumerate(payments, start=1):
        try:
            amount = Decimal(str(payment["amount"]))
        except (TypeError, KeyError, InvalidOperation):
            raise ValueError(
                f'Payment {number} needs an "amount" in pounds, like "250.00".'
            ) from None
        if amount < 0 or not amount.is_finite():
            raise ValueError(f"Payment {number}'s amount must be zero or more.")
        total += amount
    return total.quantize(Decimal("0.01"))


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        # The admin passes the fields of DecisionAdmin.fieldsets; these are the ones
        # this form cleans itself.
        fields = ["remedies"]

    def clean_remedies(self) -> dict:
        remedies = self.cleaned_data["remedies"]
        if remedies in ({}, None):
            return remedies or {}
        try:
            total = remedies_total(remedies)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        # remedy_total and remedies["total"] always say the same as the payments.
        return {**remedies, "total": f"{total:.2f}"}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=2000,
        help_text="Kept with the decision and shown to administrators, never to the public.",
    )
