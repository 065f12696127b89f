"""The statistics' summary tables, as they were until migration 0020 removed them
(statistics are now counted from the search index's matches)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0012_largest_payment_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatisticsCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(blank=True, max_length=40)),
                ('month', models.DateField(help_text="The first day of the decisions' month.", null=True)),
                ('remedy_total', models.DecimalField(decimal_places=2, max_digits=12)),
                ('remedies', models.JSONField(default=dict)),
                ('apology', models.BooleanField(default=False)),
                ('service_improvement', models.BooleanField(default=False)),
                ('reassessment', models.BooleanField(default=False)),
                ('staff_training', models.BooleanField(default=False)),
                ('decisions', models.PositiveIntegerField()),
                ('category', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='decisions.category')),
                ('organisation', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='decisions.organisation')),
            ],
            options={
                'indexes': [models.Index(fields=['organisation'], name='stat_cell_org_idx'), models.Index(fields=['category'], name='stat_cell_category_idx')],
            },
        ),
        migrations.CreateModel(
            name='StatisticsPayment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(blank=True, max_length=40)),
                ('decision_date', models.DateField(null=True)),
                ('remedy_total', models.DecimalField(decimal_places=2, max_digits=12)),
                ('remedies', models.JSONField(default=dict)),
                ('amount', models.DecimalField(decimal_places=2, max_digits=12)),
                ('purpose', models.TextField(blank=True)),
                ('category', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='decisions.category')),
                ('decision', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='decisions.decision')),
                ('organisation', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='decisions.organisation')),
            ],
            options={
                'indexes': [models.Index(fields=['decision'], name='stat_payment_decision_idx'), models.Index(fields=['organisation'], name='stat_payment_org_idx')],
            },
        ),
            # The remedy filter's conditions (remedies -> 'apology' = 'true', ...) are
        # expressions, of which PostgreSQL keeps no statistics unless asked: it would
        # guess 0.5% of the rows for a third of them, and plan a nested loop.
        migrations.RunSQL(
            [
                f"CREATE STATISTICS {table}_flags ON "
                "(remedies -> 'apology'), (remedies -> 'service_improvement'),"
                " (remedies -> 'reassessment'), (remedies -> 'staff_training')"
                f" FROM decisions_{table}"
                for table in ("statisticscell", "statisticspayment")
            ],
            [f"DROP STATISTICS {table}_flags" for table in ("statisticscell", "statisticspayment")],
        ),
    ]
