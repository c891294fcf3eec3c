"""Case audits: models."""
