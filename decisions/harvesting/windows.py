"""Date windows and their checkpoints.

Windows are aligned on fixed boundaries (every `days` days from 1 January 2000), so a
window of one run is the same window in the next, whatever dates each was given, and
its checkpoint (a HarvestWindow row) is found again. A window is walked again while
any of it is within the most recent `rewalk_days`: late publications and edits appear
there, and a statement missing from its listings twice in a row is taken as removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from decisions.models import HarvestRun, HarvestWindow

EPOCH = date(2000, 1, 1)


@dataclass(frozen=True)
class Window:
    date_from: date
    date_to: date
    recent: bool  # within the re-walked days: walked on every run

    def label(self) -> str:
        return f"{self.date_from.isoformat()} to {self.date_to.isoformat()}"


def windows_between(
    since: date, until: date, days: int, today: date, rewalk_days: int
) -> list[Window]:
    """The windows covering since..until, newest first (new statements matter most),
    each cut to since..until."""
    horizon = today - timedelta(days=rewalk_days)
    start = EPOCH + timedelta(days=((since - EPOCH).days // days) * days)
    windows = []
    while start <= until:
        end = start + timedelta(days=days - 1)
        window_from, window_to = max(start, since), min(end, until)
        windows.append(Window(window_from, window_to, recent=window_to >= horizon))
        start = end + timedelta(days=1)
    return windows[::-1]


def finished(base_url: str, window: Window) -> bool:
    """Has a harvest walked all of `window` before (a checkpoint covering it)?"""
    return HarvestWindow.objects.filter(
        base_url=base_url, date_from__lte=window.date_from, date_to__gte=window.date_to
    ).exists()


def checkpoint(base_url: str, window: Window, run: HarvestRun) -> None:
    HarvestWindow.objects.update_or_create(
        base_url=base_url,
        date_from=window.date_from,
        date_to=window.date_to,
        defaults={"run": run, "finished_at": timezone.now()},
    )
