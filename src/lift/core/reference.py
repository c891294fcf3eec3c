"""Reference data from versioned YAML files in `reference/` (placeholder; see below)."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from django.conf import settings


@cache
def regimes() -> dict[str, Any]:
    out = {}
    for path in sorted((settings.REFERENCE_DIR / "regimes").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        out[data["id"]] = data
    return out


def load_all() -> None:
    regimes()
