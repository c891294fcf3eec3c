"""`lift search-index`: the same command as `lift search_index`."""

from .search_index import Command

__all__ = ["Command"]
