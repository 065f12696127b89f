"""What one harvest or check may do: the HARVEST_* settings, overridable per run."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class HarvestOptions:
    base_url: str
    listing_urls: tuple[str, ...]
    delay_seconds: float
    timeout_seconds: float
    retries: int
    backoff_seconds: float
    max_retry_after_seconds: float
    max_failures_in_a_row: int
    history_days: int
    window_days: int
    rewalk_days: int
    max_pages_per_window: int
    user_agent_name: str
    project_url: str
    contact_email: str
    check_budget: int
    max_page_bytes: int
    import_batch: int

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> HarvestOptions:
        options = cls(
            base_url=settings.HARVEST_BASE_URL,
            listing_urls=tuple(settings.HARVEST_LISTING_URLS),
            delay_seconds=settings.HARVEST_DELAY_SECONDS,
            timeout_seconds=settings.HARVEST_TIMEOUT_SECONDS,
            retries=settings.HARVEST_RETRIES,
            backoff_seconds=settings.HARVEST_BACKOFF_SECONDS,
            max_retry_after_seconds=settings.HARVEST_MAX_RETRY_AFTER_SECONDS,
            max_failures_in_a_row=settings.HARVEST_MAX_FAILURES_IN_A_ROW,
            history_days=settings.HARVEST_HISTORY_DAYS,
            window_days=settings.HARVEST_WINDOW_DAYS,
            rewalk_days=settings.HARVEST_REWALK_DAYS,
            max_pages_per_window=settings.HARVEST_MAX_PAGES_PER_WINDOW,
            user_agent_name=settings.HARVEST_USER_AGENT_NAME,
            project_url=settings.HARVEST_PROJECT_URL,
            contact_email=settings.HARVEST_CONTACT_EMAIL,
            check_budget=settings.CHECK_SOURCES_BUDGET,
            max_page_bytes=settings.HARVEST_MAX_PAGE_BYTES,
            import_batch=settings.HARVEST_IMPORT_BATCH,
        )
        given = {key: value for key, value in overrides.items() if value is not None}
        if "base_url" in given:
            given["base_url"] = given["base_url"].rstrip("/")
        return replace(options, **given)
