"""Shared view plumbing: an object in view scope (404 outside it) that needs a permission
(403 without it), and one-step forms that call a service."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.functional import cached_property

from lift.core.models import Person
from lift.core.views.generic import (
    FormMixin,
    ObjectMixin,
    add_validation_errors,
    allowed,
    restricted,
)

FORMATS = ("pdf", "docx")


class Scoped(ObjectMixin):
    """The object comes from `restrict(user, "view")` in the current partnership (else 404);
    then the view's `permission` is checked on it (else 403)."""

    def scoped_queryset(self) -> models.QuerySet:
        qs = self.queryset.all() if self.queryset is not None else None
        return restricted(self.model, self.request, "view", qs)

    @cached_property
    def object(self) -> Any:
        try:
            obj = self.scoped_queryset().get(pk=self.kwargs[self.lookup_kwarg])
        except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
            raise Http404(f"No {self.model._meta.verbose_name} found.") from exc
        if self.permission and self.permission != "view" and not self.can(obj, self.permission):
            raise PermissionDenied
        return obj

    @property
    def person(self) -> Person:
        """The signed-in person (every view here needs one)."""
        return cast(Person, self.request.user)

    def can(self, obj: models.Model, action: str) -> bool:
        return allowed(self.request, obj, action)


class StepView(Scoped, FormMixin):
    """A one-page step on an object: a form whose valid POST calls `perform(form)`, which
    returns the URL to go to next. Service ValidationErrors are shown on the form."""

    template_name: ClassVar[str] = "core/object_form.html"
    submit_label: ClassVar[str] = "Continue"
    form_class: ClassVar[type[forms.BaseForm] | None] = None

    def perform(self, form: forms.BaseForm) -> str:
        raise NotImplementedError

    def initial(self) -> dict[str, Any]:
        return {}

    def cancel_url(self) -> str:
        return str(self.object.get_absolute_url())

    def page_context(self) -> dict[str, Any]:
        return {}

    def render_step(self, form: forms.BaseForm) -> HttpResponseBase:
        return self.render_form(
            form,
            object=self.object,
            cancel_url=self.cancel_url(),
            submit_label=self.submit_label,
            **self.page_context(),
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.render_step(self.make_form(initial=self.initial()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = self.make_form(data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    url = self.perform(form)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return HttpResponseRedirect(url)
        return self.render_step(form)


class ConfirmForm(forms.Form):
    """An empty form: the page explains, the button confirms."""
