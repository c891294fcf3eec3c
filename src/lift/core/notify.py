"""Notifications in the product and the e-mails that go with them, each sent at most once.

Every notification has a key that names what it is about, e.g.
`clock:42:overdue:2025-05-12:to:7`. The key is unique, so calling `notify` again with the
same key (a retried task, a second tick) creates nothing and sends nothing. An e-mail is
an OutboundEmail row with the same key, sent by a task; `send_outbound` locks the row and
sends only if it has not been sent, so a retried task never sends twice.

Each person chooses how they are e-mailed (`Person.email_choice`, on /accounts/emails/):
- "immediate": each notification's e-mail is queued as it is made;
- "digest" (the default): no e-mail now; the notification is marked `email_pending` and
  goes in the person's daily digest (lift.core.digest), sent once each working day;
- "none": no e-mail; the notification is in LIFT only.
`notify(immediate=True)` (a chase sent by the business unit, an escalation, an alert about
the account's security) is e-mailed now whatever the choice. E-mails about the account
itself (invitations, password resets, e-mail address changes, two-factor links) do not go
through `notify` and are always sent (lift.core.identity). Only the person changes their
own choice (`email_choice_set`); the business unit cannot.

E-mails leave the product's protection: they must never contain child-identifying data
(name, date of birth, address, NHS number, or a case's free text). Callers write the title
and body from labels, dates and pseudonyms only, and link to the record for the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification, OutboundEmail, Partnership, Person
from .models.people import EmailChoice

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.LIFT_BASE_URL.rstrip('/')}/{url.lstrip('/')}"


def email_body(*, title: str, body: str, url: str, partnership: Partnership | None) -> str:
    parts = [title, ""]
    if body:
        parts += [body, ""]
    if url:
        parts += [f"Open it in LIFT: {_absolute(url)}", ""]
    sender = f"LIFT for {partnership.name}" if partnership is not None else "LIFT"
    parts.append(f"This message was sent by {sender}. Do not reply to it.")
    return "\n".join(parts)


@transaction.atomic
def notify(
    *,
    person: Any,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    partnership: Partnership | None = None,
    email: bool = True,
    immediate: bool = False,
) -> Notification:
    """Tell `person` something in the product and, if `email`, by e-mail as they chose:
    now (queued once committed), in their daily digest, or not at all.

    `immediate`: the e-mail goes now whatever the person's choice of e-mails (a chase sent
    by the business unit, an escalation), instead of waiting for their daily digest.

    Idempotent on `key`: a second call with the same key returns the first notification
    and queues nothing. `title` and `body` must not identify a child (see the module doc).
    """
    mode = email_mode(person, email=email, immediate=immediate)
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "person": person,
            "title": title[:300],
            "body": body,
            "url": url[:500],
            "partnership": partnership,
            "email_pending": mode == EmailChoice.DIGEST,
        },
    )
    if created and mode == EmailChoice.IMMEDIATE:
        outbound, queued = OutboundEmail.objects.get_or_create(
            key=key,
            defaults={
                "to": person.email,
                "subject": title[:300],
                "body": email_body(title=title, body=body, url=url, partnership=partnership),
            },
        )
        if queued:
            transaction.on_commit(lambda: _enqueue(outbound.pk))
    return notification


def email_mode(person: Any, *, email: bool = True, immediate: bool = False) -> str:
    """How a notification to `person` is e-mailed: an EmailChoice value ("none" when it is
    not e-mailed at all: `email` False, no address, or someone deactivated)."""
    if not (email and person.email and person.is_active):
        return EmailChoice.NONE
    if immediate:
        return EmailChoice.IMMEDIATE
    choice = getattr(person, "email_choice", EmailChoice.DIGEST)
    return choice if choice in EmailChoice.values else EmailChoice.DIGEST


NOT_YOUR_CHOICE = (
    "You can only choose how LIFT e-mails you. Each person chooses for their own account, "
    "so nothing was changed."
)


@transaction.atomic
def email_choice_set(*, person: Person, choice: str, by: Any) -> Person:
    """Record how `person` wants to be e-mailed (an EmailChoice value).

    Only the person themselves may choose: anyone else, the business unit included, is
    refused (PermissionDenied, NOT_YOUR_CHOICE) and nothing changes. The change is in the
    person's history. Notifications already waiting for a digest stay in LIFT; from now on
    each is e-mailed as chosen."""
    if by is None or not getattr(by, "is_authenticated", False) or by.pk != person.pk:
        raise PermissionDenied(NOT_YOUR_CHOICE)
    if choice not in EmailChoice.values:
        raise ValidationError({"email_choice": "Select how you want LIFT to e-mail you"})
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.email_choice != choice:
        locked.email_choice = choice
        locked.save(update_fields=["email_choice", "updated_at"])
    person.email_choice = choice
    return locked


def _enqueue(outbound_id: int) -> None:
    from .tasks import send_email_task

    send_email_task.enqueue(outbound_id)


def send_outbound(outbound_id: int) -> bool:
    """Send one queued e-mail if it has not been sent; True if this call sent it.

    The row is locked while sending, so two workers cannot both send it; a failure is
    recorded on the row (attempts, last_error) and raised so the task is marked failed.
    """
    error: Exception | None = None
    with transaction.atomic():
        outbound = OutboundEmail.objects.select_for_update().filter(pk=outbound_id).first()
        if outbound is None or outbound.sent_at is not None:
            return False
        if outbound.attempts >= MAX_ATTEMPTS:
            log.warning("E-mail %s not sent: %s attempts failed", outbound.pk, outbound.attempts)
            return False
        outbound.attempts += 1
        try:
            send_mail(
                outbound.subject,
                outbound.body,
                settings.DEFAULT_FROM_EMAIL,
                [outbound.to],
                fail_silently=False,
            )
        except Exception as exc:  # any transport failure: record it and let the task fail
            outbound.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            error = exc
        else:
            outbound.sent_at = timezone.now()
            outbound.last_error = ""
        outbound.save(update_fields=["attempts", "sent_at", "last_error"])
    if error is not None:
        raise error
    return True


def outbound_retry_unsent(*, older_than: dt.timedelta = dt.timedelta(minutes=15)) -> int:
    """Queue again every unsent e-mail older than `older_than` that has attempts left
    (after a mail server outage, or a worker that died). Sending stays at most once."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__lt=cutoff
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        _enqueue(pk)
    return len(ids)
