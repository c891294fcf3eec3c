"""Young people's voice: models."""
