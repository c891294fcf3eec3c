"""A sparkline: a tiny inline SVG drawn on the server, with no style attributes (the CSP
forbids them) and a text alternative for screen readers."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 100, 24, 2


def sparkline(values: Sequence[float], *, label: str) -> SafeString:
    """An SVG polyline of `values` (oldest first), described by `label` in its <title>
    and aria-label. Nothing for fewer than two values."""
    if len(values) < 2:
        return mark_safe("")
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    points = " ".join(
        f"{PAD + i * step:.1f},{HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD):.1f}"
        for i, v in enumerate(values)
    )
    last_x, last_y = points.split(" ")[-1].split(",")
    text = escape(label)
    return mark_safe(
        f'<svg class="lift-sparkline" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{text}" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" focusable="false"><title>{text}</title>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2" fill="currentColor"/></svg>'
    )


def describe(values: Sequence[float], unit_label: str) -> str:
    if len(values) < 2:
        return "Not enough values for a trend line."
    first, last = values[0], values[-1]
    return (
        f"Trend of the last {len(values)} values, from {first:g} to {last:g} {unit_label}; "
        f"lowest {min(values):g}, highest {max(values):g}."
    )
