"""`manage.py send_alerts --frequency daily|weekly`: run by a systemd timer or cron
(README, "Email alerts"). Safe to run again after any crash (decisions.alerts.sending)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from decisions.alerts import sending
from decisions.alerts.models import Frequency
from decisions.search.engine import IndexUnavailable


class Command(BaseCommand):
    help = "Email every active alert of one frequency the new decisions that match it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", required=True, choices=Frequency.values)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = sending.run(options["frequency"])
        except (IndexUnavailable, sending.AlreadyRunning) as problem:
            raise CommandError(f"No alerts sent: {problem}") from problem
        self.stdout.write(
            f"{report.sent} digest(s) sent with {report.decisions} decision(s); "
            f"{report.finished} left by an earlier run finished; "
            f"{report.expired} unconfirmed sign-up(s) deleted; index position {report.position}"
        )
        if report.failed:
            # Exit non-zero, so the timer or cron shows it: the next run sends them again.
            raise CommandError(
                f"{report.failed} digest(s) not accepted by the mail server (see the log): "
                "the next run sends them again."
            )
