"""Documents (PDF, DOCX, HTML) built in the background and kept for download."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .. import roles as r
from ..access import VIEW, Access, P, RestrictedQuerySet, S, grants
from .base import DomainModel


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    HTML = "html", "Web page (HTML)"


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def generated_path(instance: GeneratedDocument, filename: str) -> str:
    # Random stored names, as for attachments; the download name is `filename`.
    return f"documents/{instance.partnership_id}/{uuid.uuid4().hex}.{instance.format}"


class GeneratedDocumentQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = VIEW) -> GeneratedDocumentQuerySet:
        """The model's own rules (oversight roles, or the person who asked for it), and
        only documents about something the user may see: a document is as confidential
        as its subject."""
        qs = super().restrict(user, action)
        if user is None or not user.is_authenticated or getattr(user, "is_superuser", False):
            return qs  # type: ignore[return-value]
        visible = Q(pk__in=[])
        type_ids = (
            GeneratedDocument.objects.order_by()
            .values_list("content_type_id", flat=True)
            .distinct()
        )
        for content_type in ContentType.objects.filter(pk__in=list(type_ids)):
            model = content_type.model_class()
            manager = getattr(model, "_default_manager", None) if model else None
            subjects = manager.all() if manager is not None else None
            if not isinstance(subjects, RestrictedQuerySet):
                continue  # a subject without a policy shows nothing
            visible |= Q(
                content_type=content_type,
                object_id__in=subjects.restrict(user, VIEW).values("pk"),
            )
        return qs.filter(visible)  # type: ignore[return-value]


GeneratedDocumentManager = models.Manager.from_queryset(GeneratedDocumentQuerySet)


class GeneratedDocument(DomainModel):
    """One request for a document about one subject, in one format, and its result."""

    kind = models.CharField(max_length=100, help_text="The registered builder's key.")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    format = models.CharField(max_length=10, choices=DocumentFormat.choices)
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    title = models.CharField(max_length=300, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    file = models.FileField(upload_to=generated_path, max_length=300, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = GeneratedDocumentManager()  # type: ignore[misc]
    access: ClassVar[Access] = Access(
        grants(view={P: r.OVERSIGHT, S: r.EVERYONE}), person="requested_by"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="generateddocument_progress_max_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file=""),
                name="generateddocument_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.kind} ({self.get_format_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.READY, DocumentStatus.FAILED)

    def get_absolute_url(self) -> str:
        return reverse("core:document_status", args=[self.pk])

    def get_download_url(self) -> str:
        return reverse("core:document_download", args=[self.pk])
