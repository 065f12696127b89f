"""`manage.py refresh_statistics`: rebuild the statistics' summary tables.

Every import, admin edit, withdrawal and restoration already does this; run it after
changing decisions any other way (SQL by hand, a restored database backup).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from decisions.models import StatisticsCell, StatisticsPayment
from decisions.statistics.summary import refresh_statistics


class Command(BaseCommand):
    help = "Rebuild the statistics' summary tables from the published decisions."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        refresh_statistics()
        self.stdout.write(
            f"Statistics refreshed: {StatisticsCell.objects.count():,} cells, "
            f"{StatisticsPayment.objects.count():,} payments, "
            f"in {time.perf_counter() - started:.1f} s."
        )
