"""`lift demo`: create the fictional demo partnership once, then print the logins."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import transaction

from lift.core import demo, history
from lift.core.models import Partnership


class Command(BaseCommand):
    help = "Create the fictional Harrowmere demo partnership (kept if it exists) and print logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if Partnership.objects.filter(slug=demo.DEMO_SLUG).exists():
            self.stdout.write("The demo partnership exists already; its data is kept.")
        else:
            cache.clear()  # drawings cached for an earlier database under the same name
            with transaction.atomic(), history.acting(source="command", reason="Demo data"):
                ctx = demo.build_core()
                for app in settings.LIFT_APPS:
                    if app != "core" and find_spec(f"lift.{app}.demo") is not None:
                        import_module(f"lift.{app}.demo").build(ctx)
                self._mfa_devices(ctx)
            self.stdout.write(self.style.SUCCESS("Created the Harrowmere demo partnership."))
        self._print_logins()

    def _mfa_devices(self, ctx: demo.DemoContext) -> None:
        try:
            from lift.core.views.accounts import ensure_totp_device
        except ImportError:
            return
        for person in ctx.people.values():
            key = demo.DEMO_TOTP_KEYS.get(person.email)
            if key:
                ensure_totp_device(person, key)

    def _print_logins(self) -> None:
        out = self.stdout
        out.write("")
        out.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD})")
        out.write("-" * 78)
        for email, role, does in demo.logins():
            out.write(f"{email:38} {role}")
            out.write(f"{'':38} {does}")
        out.write("-" * 78)
        out.write(
            "Business unit, chair and CDOP logins need a two-factor code: run\n"
            "  .venv/bin/lift demo_otp EMAIL\n"
            "for the current code (demo only), or add the key it prints to an authenticator app."
        )
