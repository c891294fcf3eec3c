"""A slow document and a slow tick step, so the drill can kill the worker mid-task."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.apps import AppConfig

REMINDERS = 12
DOC_KIND = "drill-slow"


def slow_document(subject: Any, progress: Any) -> Any:
    from lift.core.documents import Doc, Heading, Para

    for step in range(30):  # a minute: long enough to be caught mid-way on a busy machine
        time.sleep(2)
        progress(step * 3)
    return Doc(
        title="Worker drill document",
        partnership=subject,
        sections=[Heading("Worker drill", 1), Para("A fictional document built slowly.")],
    )


def slow_reminders(today: dt.date) -> int:
    from lift.core.models import Person
    from lift.core.notify import notify

    person = Person.objects.get(email="drill.owner@kingsbrook.example")
    made = 0
    for i in range(REMINDERS):
        notify(
            person=person,
            key=f"drill:{today.isoformat()}:{i}",
            title=f"Drill reminder {i + 1} of {REMINDERS}",
            body="A fictional reminder from the worker drill.",
            partnership=None,
        )
        made += 1
        time.sleep(2)
    return made


class DrillWorkloadConfig(AppConfig):
    name = "drill_workload"
    label = "drill_workload"

    def ready(self) -> None:
        from lift.core.documents import register_document
        from lift.core.tasks import register_tick_step

        register_document(DOC_KIND, slow_document)
        register_tick_step(slow_reminders, name="drill_slow_reminders")
