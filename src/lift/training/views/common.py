"""Helpers shared by the training pages."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from lift.core.models import Person
from lift.core.views.generic import (
    FormMixin,
    ObjectCreateView,
    ObjectMixin,
    add_validation_errors,
)


def me(request: HttpRequest) -> Person:
    """The signed-in person (every training page needs one)."""
    return cast(Person, request.user)


class StepView(ObjectMixin, FormMixin):
    """One step of a workflow on an object, on its own page: GET shows the form, POST calls
    a service and returns to the object (or `next_url`)."""

    template_name = "training/step.html"
    intro: ClassVar[str] = ""
    submit_label: ClassVar[str] = "Save"

    def get_title(self) -> str:
        return self.title

    def page_context(self) -> dict[str, Any]:
        return {
            "object": self.object,
            "intro": self.intro,
            "submit_label": self.submit_label,
            "summary": self.summary(),
        }

    def summary(self) -> list[tuple[str, Any]]:
        return []

    def check_step(self) -> None:
        """Raise Http404 or PermissionDenied when the step does not apply."""

    def message_for(self, result: Any) -> str:
        return self.success_message

    def next_url(self, result: Any) -> str:
        return str(self.object.get_absolute_url())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_step()
        return self.render_form(self.make_form(), **self.page_context())  # type: ignore[return-value]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_step()
        form = self.make_form(data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    result = self.save(form)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            except PermissionDenied:
                raise
            else:
                messages.success(request, self.message_for(result))
                return HttpResponseRedirect(self.next_url(result))
        return self.render_form(form, **self.page_context())  # type: ignore[return-value]

    def save(self, form: forms.BaseForm) -> Any:
        raise NotImplementedError


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
