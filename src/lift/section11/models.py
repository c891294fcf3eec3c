"""Section 11 audits: models."""
