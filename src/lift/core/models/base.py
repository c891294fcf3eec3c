"""The abstract bases every domain model uses."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from ..access import Access, RestrictedManager


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Tracked(models.Model):
    """A model whose every create, change and delete is written to the change log.

    Field values as loaded are kept so the log can show before and after without a query.
    """

    history_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at", "created_at"})
    # Fields holding child-identifying data: the log keeps them, but shows them only to
    # people who may view this object's restricted record.
    history_restricted: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    _loaded_values: dict[str, Any]

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_values = dict(zip(field_names, values, strict=False))
        return instance


class DomainModel(Tracked, TimeStamped):
    """A row that belongs to one partnership, is permission-checked and change-logged."""

    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = RestrictedManager()
    access: ClassVar[Access]

    class Meta:
        abstract = True
