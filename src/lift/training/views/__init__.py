"""The training pages."""
