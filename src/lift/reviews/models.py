"""Serious incidents and case reviews: models."""
