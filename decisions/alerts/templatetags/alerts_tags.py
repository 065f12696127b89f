"""What the privacy page says the alerts keep, read from the settings that decide it."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()

KEPT = {
    "unconfirmed_days": "ALERTS_UNCONFIRMED_DAYS",
    "digest_days": "ALERTS_KEEP_DIGESTS_DAYS",
    "per_address": "ALERTS_CONFIRMATIONS_PER_ADDRESS_PER_HOUR",
    "per_client": "ALERTS_SIGNUPS_PER_CLIENT_PER_HOUR",
}


@register.simple_tag
def alerts_setting(name: str) -> int:
    value: int = getattr(settings, KEPT[name])
    return value
