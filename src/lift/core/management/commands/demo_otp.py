"""Print the current two-factor code for a demo login. Refused outside the demo (LIFT_DEMO)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lift.core.views.accounts import base32_secret, confirmed_app, totp_now


class Command(BaseCommand):
    help = (
        "Print the current 6-digit two-factor code for a demo person (by email address), "
        "then the key to add to an authenticator app. "
        "Only works in the demo (LIFT_DEMO=true, as `make demo` sets): on a real service codes "
        "come from people's own apps."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The person's email address.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.LIFT_DEMO:
            raise CommandError("demo_otp only works in the demo (LIFT_DEMO=true).")
        email = options["email"]
        person = get_user_model().objects.filter(email__iexact=email).first()
        if person is None:
            raise CommandError(f"No person has the email address {email}.")
        device = confirmed_app(person)
        if device is None:
            raise CommandError(f"{email} has not set up an authenticator app.")
        self.stdout.write(totp_now(device))
        self.stdout.write(
            f"The code changes every {device.step} seconds. To use an authenticator app "
            f"instead, add this key to it: {base32_secret(device)}"
        )
