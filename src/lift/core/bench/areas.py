"""Generators for the areas beyond core, learning and governance, each guarded: a missing
app or model is skipped. Areas may instead register their own from their AppConfig.ready()."""

from __future__ import annotations
