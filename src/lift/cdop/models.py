"""Child death reviews: models."""
