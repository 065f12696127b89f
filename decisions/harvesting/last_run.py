"""When the archive last brought itself up to date: the about page and /readyz say so."""

from __future__ import annotations

import datetime

from decisions.models import HarvestRun


def last_harvest() -> datetime.datetime | None:
    """When the newest harvest that walked to its end finished (not a dry run: a dry
    run records nothing), or None."""
    run = (
        HarvestRun.objects.filter(
            kind=HarvestRun.Kind.HARVEST,
            status=HarvestRun.Status.FINISHED,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .only("finished_at")
        .first()
    )
    return run.finished_at if run is not None else None
