"""LIFT - the Learning and Improvement Framework Toolkit."""

__version__ = "0.1.0"
