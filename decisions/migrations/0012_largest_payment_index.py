"""The list sorted by the largest payment first reads this index in order, as the other
sorts read theirs (decisions.querysets.LARGEST_PAYMENT_FIRST)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0011_decision_truncated"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                models.OrderBy(models.F("remedy_total"), descending=True),
                models.OrderBy(models.F("decision_date"), descending=True, nulls_last=True),
                models.OrderBy(models.F("id"), descending=True),
                name="decision_largest_payment_idx",
            ),
        ),
    ]
