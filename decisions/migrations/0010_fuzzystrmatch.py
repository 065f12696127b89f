"""fuzzystrmatch (levenshtein), for organisation names typed with a small misspelling in
the search box or the organisation field (decisions.querysets.OrganisationQuerySet).
A contrib extension shipped with PostgreSQL, like pg_trgm (migration 0004)."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0009_list_order_defined_once"),
    ]

    operations = [CreateExtension("fuzzystrmatch")]
