"""The throttle's cache table (settings.CACHES["throttle"]): Django's database cache,
shared by every web process, made here so `migrate` is the only set-up step."""

from django.core.management import call_command
from django.db import migrations

TABLE = "api_throttle_cache"


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_table, drop_table)]
