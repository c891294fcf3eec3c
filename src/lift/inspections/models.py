"""Learning from inspection: models."""
