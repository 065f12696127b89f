"""The archive's own system checks, run by `manage.py check`, `migrate`, `runserver` and
the other commands that run Django's checks, and logged when the web application starts
(config/wsgi.py: gunicorn runs no checks of its own).
https://docs.djangoproject.com/en/5.2/topics/checks/
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Warning, register, run_checks

# The archive's own checks, to run them alone at start-up.
ARCHIVE = "archive"


@register(ARCHIVE)
def contact_email_is_set(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> Sequence[CheckMessage]:
    """A public site must say where to report a mistake or personal information in a
    statement (the about, accessibility and privacy pages give CONTACT_EMAIL). Not asked
    of development (DEBUG on), where the pages show a placeholder instead."""
    if settings.DEBUG or settings.CONTACT_EMAIL:
        return []
    return [
        Warning(
            "CONTACT_EMAIL is not set: the about, accessibility and privacy pages show a "
            "placeholder where the address people should write to belongs.",
            hint="Set CONTACT_EMAIL to the address that answers for this archive.",
            id="decisions.W001",
        )
    ]


def log_warnings_at_start() -> list[CheckMessage]:
    """Log what the archive's checks find, for a process that runs none (gunicorn)."""
    found = list(run_checks(tags=[ARCHIVE]))
    for message in found:
        logging.getLogger("archive.checks").warning("%s", message)
    return found
