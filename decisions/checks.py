"""The archive's own system checks, run by `manage.py check`, `migrate`, `runserver` and
the other commands that run Django's checks (not by gunicorn serving requests).
https://docs.djangoproject.com/en/5.2/topics/checks/
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register()
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
