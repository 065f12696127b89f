"""What the list page says about its downloads and feed."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def download_limit() -> str:
    """ "100,000": the most decisions one download holds (DOWNLOAD_MAX_ROWS)."""
    return f"{settings.DOWNLOAD_MAX_ROWS:,}"
