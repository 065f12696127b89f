"""The throttle counts in decisions.limits (migration decisions/0021_rate_counter), one
atomic increment per request; its old cache table, read then written, goes."""

from django.core.management import call_command
from django.db import migrations

TABLE = "api_throttle_cache"


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("api", "0001_throttle_cache")]

    operations = [migrations.RunPython(drop_table, create_table)]
