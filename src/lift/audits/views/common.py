"""Shared pieces of the audits pages: a one-form step on an object."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from lift.core.models import Person
from lift.core.views.generic import FormMixin, ObjectMixin, add_validation_errors


class StepView(ObjectMixin, FormMixin):
    """A form on one object (found through restrict() for `permission`): GET shows it,
    POST calls `save(form)` (a service) and goes where it returns."""

    template_name = "audits/step.html"
    submit_label: ClassVar[str] = "Save"
    intro: ClassVar[str] = ""
    warning: ClassVar[str] = ""

    def page_context(self) -> dict[str, Any]:
        return {
            "object": self.object,
            "submit_label": self.submit_label,
            "intro": self.intro,
            "warning": self.warning,
            "cancel_url": self.object.get_absolute_url(),
            "summary": self.summary_rows(),
        }

    def summary_rows(self) -> list[tuple[str, Any]]:
        return []

    def check_step(self) -> None:
        """Raise PermissionDenied (or ValidationError shown on the form) when not allowed."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _ = self.object
        self.check_step()
        return self.render_form(self.make_form(initial=self.initial()), **self.page_context())  # type: ignore[return-value]

    def initial(self) -> dict[str, Any]:
        return {}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _ = self.object
        self.check_step()
        form = self.make_form(data=request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    target = self.save(form)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return HttpResponseRedirect(target)
        return self.render_form(form, **self.page_context())  # type: ignore[return-value]

    def save(self, form: forms.BaseForm) -> str:
        raise NotImplementedError


def actor(request: HttpRequest) -> Person:
    """The signed-in person making the change (every view here requires signing in)."""
    return cast(Person, request.user)


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied
