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


class Halfway(models.TextChoices):
    """Which level an average exactly halfway between two levels shows as (a scale's
    `halfway` in its framework file): with "lower", 2.5 on a 3-2-1 scale is "Partially
    met", not "Fully met"."""

    LOWER = "lower", "The lower level"
    HIGHER = "higher", "The higher level"


HALFWAY = tuple(Halfway.values)


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
