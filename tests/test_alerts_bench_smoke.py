"""The alerts benchmark (bench/alerts_bench.py), run tiny: it makes alerts, imports a
harvest through the real pipeline, times send_alerts, and leaves the database as it was.
Timings belong in bench/README.md, never here."""

from __future__ import annotations

import pytest

from bench.alerts_bench import measure
from decisions.alerts.models import Alert, Digest
from decisions.models import Decision


@pytest.mark.django_db
def test_the_alerts_benchmark_sends_the_harvest_and_cleans_up(sample_decisions):
    before = Decision.objects.count()
    result = measure(alerts=30, new=5)
    assert result.new == 5
    assert result.digests >= 1 and result.decisions >= 1
    assert result.queries > 0 and result.quiet_queries > 0
    assert not Alert.objects.exists() and not Digest.objects.exists()
    assert Decision.objects.count() == before
