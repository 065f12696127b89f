"""The model's ordering is now decisions.querysets.NEWEST_FIRST, the list order written
once: the same order as before (the id as an expression), so no SQL runs."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0008_captures_and_run_status"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="decision",
            options={
                "ordering": [
                    models.OrderBy(models.F("decision_date"), descending=True, nulls_last=True),
                    models.OrderBy(models.F("id"), descending=True),
                ]
            },
        ),
    ]
