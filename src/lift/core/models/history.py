"""The change log and the access log: append-only records of who did and saw what."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .. import roles as r
from ..access import Access, P, RestrictedQuerySet, grants


class AppendOnlyQuerySet(RestrictedQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("History is append-only.")

    def delete(self) -> Any:
        raise PermissionError("History is append-only.")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("History is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("History is append-only.")


class ChangeLog(AppendOnly):
    """One create, change or delete of a tracked object."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"

    class Source(models.TextChoices):
        WEB = "web", "Web"
        API = "api", "API"
        COMMAND = "command", "Command"
        TASK = "task", "Background task"
        SYSTEM = "system", "System"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    partnership = models.ForeignKey(
        "core.Partnership",
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.DO_NOTHING, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
    )
    actor_repr = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SYSTEM)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict)
    restricted_fields = models.JSONField(default=list)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()
    access: ClassVar[Access] = Access(grants(view={P: r.ADMINS | {r.R.CHAIR}}))

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            models.Index(fields=["partnership", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class AccessLog(AppendOnly):
    """A read of a restricted record (a child's identifiers, a case's real details)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    partnership = models.ForeignKey(
        "core.Partnership",
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.DO_NOTHING, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    purpose = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=500, blank=True)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()
    access: ClassVar[Access] = Access(grants(view={P: r.ADMINS | {r.R.CHAIR}}))

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.person_id} read {self.object_repr}"
