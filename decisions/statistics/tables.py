"""The statistics' own tables, rebuilt from the published decisions whenever the archive
changes (decisions.statistics.summary): the aggregates that make statistics of filters
exact and fast at any size.

`StatisticsCell`: the published decisions counted by every value a filter selects on
and a figure groups by: organisation, subcategory, outcome, month, the decision's
payment total and its remedy flags. A filter of the list applies to the cells as it
does to the decisions (the FilterSet's own filters, with the same field names), except
the dates: a month is whole or it is not, so a range by day takes its whole months
from the cells and its edge days from the decisions (decisions.statistics.selection).

Why months, and the payment total as a value: at 100,000 decisions over ten years and
300 organisations almost every cell holds one decision (93,000 cells), so the table is
in effect a narrow copy of what statistics read (some 60 bytes a row against the
decision's kilobytes of text, read in one sequential pass); its size is bounded by
organisations x subcategories x outcomes x months, not by decisions, so it grows
slower than the archive. Cells by day would be the decisions themselves; by year, a
date filter by day would need most of its decisions from the base table.

`StatisticsPayment`: one row per payment of a published decision, with the decision's
filter values, so medians and quartiles (percentile_cont needs every amount) are exact
for any filter, dates by day included.
"""

from __future__ import annotations

from django.db import models

# The foreign keys have no database constraint: the rows are derived, rebuilt from the
# decisions in the same transaction as any change would need them to be, and a
# constraint would only order their deletion (a deleted decision's payments go with
# the next refresh).


class StatisticsCell(models.Model):
    """How many published decisions share these values (see the module's docstring)."""

    # The field names are the decision's, so the FilterSet's filters apply unchanged.
    organisation = models.ForeignKey(
        "decisions.Organisation",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    category = models.ForeignKey(
        "decisions.Category",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    outcome = models.CharField(max_length=40, blank=True)
    month = models.DateField(null=True, help_text="The first day of the decisions' month.")
    remedy_total = models.DecimalField(max_digits=12, decimal_places=2)
    # Only the remedy flags the filters read (apology, service_improvement, reassessment,
    # staff_training), with the decision's own values: absent when it has none.
    remedies = models.JSONField(default=dict)
    # The same flags as booleans, true where the filter's `remedies -> flag = true`
    # holds: what the figures count. Testing a jsonb key in each of 90,000 cells took
    # two thirds of the counting query's time.
    apology = models.BooleanField(default=False)
    service_improvement = models.BooleanField(default=False)
    reassessment = models.BooleanField(default=False)
    staff_training = models.BooleanField(default=False)
    decisions = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # The organisation page and the organisation filter: WHERE organisation_id IN (...).
            models.Index(fields=["organisation"], name="stat_cell_org_idx"),
            # The category and subcategory filters: WHERE category_id IN (... the category's).
            models.Index(fields=["category"], name="stat_cell_category_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.decisions} decision(s) of {self.month or 'no date'}"


class StatisticsPayment(models.Model):
    """One payment of a published decision, with the decision's filter values."""

    decision = models.ForeignKey(
        "decisions.Decision",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    organisation = models.ForeignKey(
        "decisions.Organisation",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    category = models.ForeignKey(
        "decisions.Category",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    outcome = models.CharField(max_length=40, blank=True)
    decision_date = models.DateField(null=True)
    remedy_total = models.DecimalField(max_digits=12, decimal_places=2)
    remedies = models.JSONField(default=dict)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    purpose = models.TextField(blank=True)

    class Meta:
        indexes = [
            # A search's payments: WHERE decision_id IN (the matches' ids).
            models.Index(fields=["decision"], name="stat_payment_decision_idx"),
            # The organisation page and the organisation filter.
            models.Index(fields=["organisation"], name="stat_payment_org_idx"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} in decision {self.decision_id}"
