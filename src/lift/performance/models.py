"""Performance dataset: models."""
