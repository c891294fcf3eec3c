"""Shared view pieces: an action on one object (a form that calls a service)."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.functional import cached_property

from lift.core.models import Person
from lift.core.views.generic import (
    LiftView,
    add_validation_errors,
    allowed,
    restricted,
    scope_form,
)


def get_visible(
    model: type[models.Model], request: HttpRequest, pk: Any, action: str = "view"
) -> Any:
    """The object if the user may see it (else 404) and may `action` it (else 403)."""
    try:
        obj = restricted(model, request, "view").get(pk=pk)
    except (model.DoesNotExist, ValueError) as exc:  # type: ignore[attr-defined]
        raise Http404 from exc
    if action != "view" and not allowed(request, obj, action):
        raise PermissionDenied
    return obj


class MeMixin:
    """`self.me`: the signed-in person (every LIFT page needs one)."""

    request: HttpRequest

    @property
    def me(self) -> Person:
        return cast(Person, self.request.user)


class ConfirmForm(forms.Form):
    """No fields: a button that confirms the action."""


class ObjectActionView(MeMixin, LiftView):
    """A form page acting on one object through a service: GET shows the form, POST runs
    `perform(form)` (ValidationError shown on the form) and redirects to `success_url()`."""

    model: ClassVar[type[models.Model]]
    permission = "change"
    form_class: ClassVar[type[forms.Form]] = ConfirmForm
    template_name: ClassVar[str] = "reviews/form.html"
    submit_label: ClassVar[str] = "Save"
    intro: ClassVar[str] = ""
    success_message: ClassVar[str] = "Saved."

    @cached_property
    def object(self) -> Any:
        return get_visible(self.model, self.request, self.kwargs["pk"], self.permission or "view")

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form_class(self) -> type[forms.Form]:
        return self.form_class

    def initial(self) -> dict[str, Any]:
        return {}

    def get_title(self) -> str:
        return self.title

    def extra_context(self) -> dict[str, Any]:
        return {}

    def render_form(self, form: forms.Form) -> HttpResponse:
        context = {
            "view": self,
            "form": form,
            "object": self.object,
            "title": self.get_title(),
            "intro": self.intro,
            "submit_label": self.submit_label,
            **self.extra_context(),
        }
        return render(self.request, self.template_name, context)

    def perform(self, form: forms.Form) -> Any:
        raise NotImplementedError

    def success_url(self, result: Any) -> str:
        target = result if hasattr(result, "get_absolute_url") else self.object
        return str(target.get_absolute_url())

    def make_form(self, data: Any = None, initial: Any = None, files: Any = None) -> Any:
        """The form, its choices narrowed to the partnership's rows the person may view
        (with the uploaded files, for a form with a file field)."""
        form_class: Any = self.get_form_class()
        form = form_class(data, files, initial=initial, **self.form_kwargs())
        return scope_form(form, self.request)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.make_form(initial=self.initial()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form(request.POST, files=request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    result = self.perform(form)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return HttpResponseRedirect(self.success_url(result))
        return self.render_form(form)
