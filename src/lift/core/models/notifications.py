"""In-app notifications and outgoing e-mail, each with a key so nothing is sent twice."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from .. import roles as r
from ..access import Access, S, grants


class Notification(models.Model):
    """A message in a person's notification list."""

    key = models.CharField(max_length=200, unique=True, help_text="Idempotency key.")
    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_pending = models.BooleanField(
        default=False, help_text="Waiting to be e-mailed in the person's daily digest."
    )

    from ..access import RestrictedManager

    objects = RestrictedManager()
    access: ClassVar[Access] = Access(
        grants(view={S: r.EVERYONE}, change={S: r.EVERYONE}), person="person"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["person", "read_at"]),
            models.Index(
                fields=["person"],
                condition=models.Q(email_pending=True),
                name="notification_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OutboundEmail(models.Model):
    """An e-mail queued for sending. The unique key makes reminders idempotent."""

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} -> {self.to}"
