"""Files attached to any object (evidence, papers, reports), served only through a check."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from .. import roles as r
from ..access import Access, P, grants
from .base import DomainModel


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored names are random: the user's file name never reaches the file system.
    return f"attachments/{instance.partnership_id}/{uuid.uuid4().hex}"


class Attachment(DomainModel):
    """A stored file. Who may read it is decided by the object it is attached to."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    access: ClassVar[Access] = Access(grants(view={P: r.ADMINS}, delete={P: r.ADMINS}))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("core:attachment_download", args=[self.pk])
