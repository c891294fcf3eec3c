"""Helpers shared by the training pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied

from lift.core.views.generic import ObjectCreateView


class AgencyCreateView(ObjectCreateView):
    """Create a row for an agency: partnership staff for any agency, a lead for their own."""

    def check_allowed(self) -> None:
        if not self.model.access.allows_any(  # type: ignore[attr-defined]
            self.request.user, "add", self.partnership
        ):
            raise PermissionDenied

    def make_form(self, **kwargs: Any) -> forms.BaseForm:
        form = super().make_form(**kwargs)
        field = form.fields.get("agency")
        if field is not None:
            allowed = [
                a.pk
                for a in field.queryset  # type: ignore[attr-defined]
                if self.model.access.allows(  # type: ignore[attr-defined]
                    self.request.user, "add", self.partnership, agency=a
                )
            ]
            field.queryset = field.queryset.filter(pk__in=allowed)  # type: ignore[attr-defined]
        return form
