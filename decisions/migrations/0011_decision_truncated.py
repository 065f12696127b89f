"""Decision.truncated: the stored text stops before the statement's end, so the page
says so and links the full text. Set from the parser's warning on import; here, for the
decisions already imported, from the warnings stored with them."""

from django.db import migrations, models

# decisions.parsing.TRUNCATED_WARNING when this was written; a migration keeps its own copy.
TRUNCATED_WARNING = "page appears truncated"


def flag_truncated(apps, schema_editor) -> None:
    Decision = apps.get_model("decisions", "Decision")
    # parse_warnings @> '["page appears truncated"]': one UPDATE, however many rows.
    Decision.objects.filter(parse_warnings__contains=[TRUNCATED_WARNING]).update(truncated=True)


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0010_fuzzystrmatch"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="truncated",
            field=models.BooleanField(
                default=False,
                help_text="The stored text stops before the end of the statement.",
                verbose_name="incomplete copy",
            ),
        ),
        migrations.RunPython(flag_truncated, migrations.RunPython.noop, elidable=True),
    ]
