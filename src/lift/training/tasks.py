"""Background work of the training area: booking e-mails and the tick steps."""

from __future__ import annotations

from django_tasks import task

from lift.core.history import acting


@task()
def send_booking_email_task(email_id: int) -> bool:
    """Send one booking e-mail with its calendar file (at most once)."""
    from .services.bookings import send_booking_email

    with acting(source="task"):
        return send_booking_email(email_id)


def register_steps() -> None:
    from lift.core.tasks import register_tick_step

    from .services import (
        follow_up_reminders,
        follow_ups_due,
        offers_lapse,
        session_reminders,
    )

    register_tick_step(offers_lapse, name="training_offers_lapse")
    register_tick_step(session_reminders, name="training_session_reminders")
    register_tick_step(follow_ups_due, name="training_follow_ups")
    register_tick_step(follow_up_reminders, name="training_follow_up_reminders")
