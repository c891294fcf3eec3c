"""Learning chain: models."""
