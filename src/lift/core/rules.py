"""The one base of LIFT's named business rules.

A rule is a class named for what must hold (`ReturnsInBeforeCompletion`,
`WaiverAgreedByChair`); its docstring's first paragraph is the message a person sees when
it is broken, in plain words. Services raise `Rule.violation()` (a Django
`ValidationError` whose code is the rule's name, on `field` when the rule names one) or
call `Rule.require(condition)`. A rule with a decision to make declares its own
`check(...)` classmethod that raises `cls.violation()`.

Every rule in an app's `rules.py` is named by a test (`tests/core/test_rules_named.py`).
"""

from __future__ import annotations

import inspect
from typing import ClassVar

from django.core.exceptions import ValidationError


class BusinessRule:
    """A named rule: the docstring of a subclass is its message."""

    field: ClassVar[str | None] = None

    @classmethod
    def message(cls) -> str:
        text = inspect.cleandoc(cls.__doc__ or cls.__name__).split("\n\n")[0]
        return " ".join(text.split())

    @classmethod
    def violation(cls, message: str | None = None) -> ValidationError:
        """The error to raise when the rule is broken (the rule's name is its code)."""
        text = message or cls.message()
        if cls.field:
            return ValidationError({cls.field: [ValidationError(text, code=cls.__name__)]})
        return ValidationError(text, code=cls.__name__)

    @classmethod
    def require(cls, condition: bool, message: str | None = None) -> None:
        """Raise the rule's violation unless `condition` holds."""
        if not condition:
            raise cls.violation(message)
