"""Shared by the Section 11 pages."""

from __future__ import annotations

FORMATS = ("pdf", "docx")
