"""Boards and governance: models."""
