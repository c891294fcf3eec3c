"""Choices of the Section 11 area."""

from __future__ import annotations

from django.db import models


class CycleStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_CHALLENGE = "under_challenge", "Under challenge"
    MODERATED = "moderated", "Moderated"
    CLOSED = "closed", "Closed"


# GOV.UK Frontend tag colours a framework's rating levels may use (govuk-tag--<colour>).
TAG_COLOURS = (
    "green",
    "light-blue",
    "turquoise",
    "blue",
    "purple",
    "pink",
    "yellow",
    "orange",
    "red",
    "grey",
)
