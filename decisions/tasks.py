"""Work done off the web request, on the PostgreSQL task queue (django-tasks).

A worker runs them: `manage.py db_worker` (started by `make run`; in production, one
or more as their own service, see README "Running in production").
"""

from __future__ import annotations

from django_tasks import task

from decisions.importing.uploads import import_queued
from decisions.models import ImportRun


@task()
def import_queued_run(run_id: int) -> None:
    """Import an admin upload (or re-run) that was stored and queued."""
    run = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).first()
    if run is None:
        return  # already imported (a task delivered twice), or the run was deleted
    import_queued(run)
