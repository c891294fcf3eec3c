"""`lift tick`: refresh clock states and send due reminders (run it from cron, e.g. hourly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Run the periodic tick now: refresh every clock's state and queue the reminders due. "
        "Safe to run as often as you like: a reminder is never sent twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the tick for the task worker instead of running it here.",
        )
        parser.add_argument(
            "--date",
            help="Run as if today were this date (YYYY-MM-DD); for testing and catching up.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from lift.core.tasks import tick, tick_task

        if options["enqueue"]:
            if options["date"]:
                raise CommandError("--date cannot be used with --enqueue.")
            result = tick_task.enqueue()
            self.stdout.write(f"Tick queued (task {result.id}).")
            return
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}.") from exc
        results = tick(today, source="command")
        for name, count in results.items():
            self.stdout.write(f"{name}: {count}")
