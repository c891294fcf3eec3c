"""Form submissions already accepted, by their single-use token (core.idempotency)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """One form token, claimed by the first submission that carried it.

    A second submission with the same token (a double click, a resend from the back
    button, two tabs) finds the row and is not run. Rows are kept a day (the tick forgets
    older ones): a page is not left open, and then sent, for longer than that.
    """

    token = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Where the accepted submission was sent on to, so a repeat can be sent there too.
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Form submission at {self.created_at:%Y-%m-%d %H:%M}"
