"""The counters of decisions.limits.hit(): the API throttle, the download limit, alerts."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0020_search_index_replaces_postgres_search"),
    ]

    operations = [
        migrations.CreateModel(
            name='RateCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(max_length=40)),
                ('key', models.TextField()),
                ('window_start', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
                ('hits', models.IntegerField(default=0)),
            ],
            options={
                'db_table': 'rate_counter',
                'indexes': [models.Index(fields=['expires_at'], name='rate_counter_expires_at')],
                'constraints': [models.UniqueConstraint(fields=('scope', 'key', 'window_start'), name='rate_counter_one_per_window')],
            },
        ),
    ]
