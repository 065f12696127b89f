"""The default cache's table (settings.CACHES["default"], config/shared_state.py):
Django's database cache, shared by every web process, made here so that `migrate`
stays the only set-up step. With CACHE_URL set the table is made but left unused."""

from django.core.management import call_command
from django.db import migrations

TABLE = "archive_cache"


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("decisions", "0014_harvesting")]

    operations = [migrations.RunPython(create_table, drop_table)]
