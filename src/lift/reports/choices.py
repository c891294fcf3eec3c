from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED_OFF = "signed_off", "Signed off"


class SectionStatus(models.TextChoices):
    """A section a sub-group's chair writes: being written, or submitted to the business
    unit (which can return it for changes until the report is signed off)."""

    DRAFT = "draft", "Being written"
    SUBMITTED = "submitted", "Submitted"
