"""Choices of the performance dataset."""

from __future__ import annotations

from django.db import models


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    RATE_10K = "rate_10k", "Rate per 10,000 children"
    DAYS = "days", "Days"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEITHER = "neither", "Neither"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NONE = "none", "No target"


RAG_COLOURS = {Rag.RED: "red", Rag.AMBER: "orange", Rag.GREEN: "green", Rag.NONE: "grey"}


class Direction(models.TextChoices):
    BETTER = "better", "Improving"
    WORSE = "worse", "Getting worse"
    SAME = "same", "No change"
    UP = "up", "Going up"
    DOWN = "down", "Going down"
    UNKNOWN = "unknown", "Not enough data"


class AnalysisStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    RECEIVED = "received", "Received"
    PRESENTED = "presented", "Presented"
