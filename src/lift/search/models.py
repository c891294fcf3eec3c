"""The search index: one row per indexed record, derived from the record (never edited).

A row holds only what the record shows to anyone who may view it: its title and its
non-restricted text, with any identifier from a case's restricted record masked out.
Which rows a person sees is decided at query time by the record's own `restrict(user,
"view")` (`lift.search.selectors`), never by the index.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    partnership = models.ForeignKey("core.Partnership", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, help_text="The kind's key, e.g. learning.finding.")
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    dated_on = models.DateField(null=True, blank=True)
    themes = models.ManyToManyField("learning.Theme", blank=True, related_name="+")
    agencies = models.ManyToManyField("core.Agency", blank=True, related_name="+")
    # PostgreSQL only (its GIN index is made by migration 0002); SQLite reads the FTS5 table.
    vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "search entry"
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_one_a_record")
        ]
        indexes = [models.Index(fields=["partnership", "kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
