"""`lift bench-data`: the same command as `lift bench_data`."""

from .bench_data import Command

__all__ = ["Command"]
