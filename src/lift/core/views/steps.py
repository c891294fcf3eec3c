"""One step of work on one record, on its own page: the one base every app's step pages use.

A step is declared by its class: the model, the `permission` (an action of the model's
access policy) the person needs, the form, the service it calls (`perform`), and where the
person goes next. This base does the rest, the same way everywhere:

- the record comes from `restrict(user, "view")` in the current partnership: a record the
  person may not see is not found (404); one they may see but may not `permission` is
  forbidden (403) - the rule of ADR 0007, which `ObjectMixin.object` applies;
- `check_step()` refuses a step that does not apply in the record's state (Http404 when
  the step is not there to take, PermissionDenied when this person may not take it);
- GET shows the form; POST validates it, calls `perform(form)` inside one transaction and
  shows the service's `ValidationError` on the form (GOV.UK error summary) or goes to
  `success_url(result)` with `done_message(result)`;
- the form's choices of related records are narrowed to the rows the person may view, and
  a posted id outside them is refused (`scope_form`, through `FormMixin.make_form`);
  uploaded files always reach the form.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase

from .generic import FormMixin, ObjectMixin, add_validation_errors


class ConfirmForm(forms.Form):
    """No fields: the page explains, the button confirms."""


class StepView(ObjectMixin, FormMixin):
    """GET shows the form; POST runs `perform(form)` (a service) and redirects."""

    permission = "change"
    form_class: ClassVar[type[forms.BaseForm] | None] = ConfirmForm
    template_name: ClassVar[str] = "core/step.html"
    intro: ClassVar[str] = ""
    warning: ClassVar[str] = ""
    submit_label: ClassVar[str] = "Save"

    # What the subclass declares -------------------------------------------------------

    def check_step(self) -> None:
        """Raise Http404 (the step is not there to take in the record's present state) or
        PermissionDenied (this person may not take it)."""

    def initial(self) -> dict[str, Any]:
        return {}

    def perform(self, form: forms.BaseForm) -> Any:
        """Call the step's service with the form's cleaned data; return what was made or
        changed (a record, or the URL to go to next)."""
        raise NotImplementedError

    def success_url(self, result: Any) -> str:
        if isinstance(result, str) and result:
            return result
        target = result if hasattr(result, "get_absolute_url") else self.object
        return str(target.get_absolute_url())

    def done_message(self, result: Any) -> str:
        return self.success_message

    def summary(self) -> list[tuple[str, Any]]:
        """Rows shown above the form (a GOV.UK summary list)."""
        return []

    def cancel_url(self) -> str:
        return str(self.object.get_absolute_url())

    def extra_context(self) -> dict[str, Any]:
        return {}

    # The page -------------------------------------------------------------------------

    def page_context(self) -> dict[str, Any]:
        return {
            "object": self.object,
            "intro": self.intro,
            "warning": self.warning,
            "submit_label": self.submit_label,
            "summary": self.summary(),
            "cancel_url": self.cancel_url(),
            **self.extra_context(),
        }

    def render_step(self, form: forms.BaseForm) -> HttpResponseBase:
        return self.render_form(form, **self.page_context())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _ = self.object  # not found, then forbidden, before anything else
        self.check_step()
        return self.render_step(self.make_form(initial=self.initial()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _ = self.object
        self.check_step()
        form = self.make_form(data=request.POST, files=request.FILES, initial=self.initial())
        if form.is_valid():
            try:
                with transaction.atomic():
                    result = self.perform(form)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                message = self.done_message(result)
                if message:
                    messages.success(request, message)
                return HttpResponseRedirect(self.success_url(result))
        return self.render_step(form)
