"""System checks that keep the shared mechanisms honest."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks


def register() -> None:
    checks.register(check_domain_models_declare_access, checks.Tags.models)


def check_domain_models_declare_access(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Every LIFT model with a restrict() manager must declare an Access policy."""
    from .access import RestrictedQuerySet

    errors = []
    for model in apps.get_models():
        if not model.__module__.startswith("lift."):
            continue
        manager = model._default_manager
        if isinstance(manager.get_queryset(), RestrictedQuerySet) and not hasattr(model, "access"):
            errors.append(
                checks.Error(
                    f"{model._meta.label} has restrict() but declares no access policy.",
                    hint="Add `access = Access(grants(...))` to the model.",
                    obj=model,
                    id="lift.E001",
                )
            )
    return errors
