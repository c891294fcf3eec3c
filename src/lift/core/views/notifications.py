"""How LIFT e-mails you: each person chooses for their own account (lift.core.notify)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from ..models.people import EmailChoice
from ..notify import NOT_YOUR_CHOICE, email_choice_set
from .generic import LiftView

CHOSEN = {
    EmailChoice.IMMEDIATE: "LIFT will e-mail you each notification straight away.",
    EmailChoice.DIGEST: "LIFT will e-mail you one summary each working day.",
    EmailChoice.NONE: "LIFT will not e-mail you your notifications. They are all here.",
}


class EmailChoiceForm(forms.Form):
    email_choice = forms.ChoiceField(
        label="How do you want LIFT to e-mail you about your notifications?",
        choices=EmailChoice.choices,
        widget=forms.RadioSelect,
        help_text="E-mails about your account (invitations, password resets, changes of "
        "e-mail address, sign-in security) and urgent chases are always sent straight away.",
        error_messages={
            "required": "Select how you want LIFT to e-mail you",
            "invalid_choice": "Select how you want LIFT to e-mail you",
        },
    )


class EmailChoiceView(LiftView):
    """Choose immediate e-mails, a daily digest or none, for yourself only."""

    permission = "view"
    title = "How LIFT e-mails you"
    template_name = "core/email_choice.html"

    def _page(self, form: EmailChoiceForm, *, error: str = "", status: int = 200) -> HttpResponse:
        context = {"title": self.title, "form": form, "error": error}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._page(EmailChoiceForm(initial={"email_choice": request.user.email_choice}))  # type: ignore[union-attr]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = EmailChoiceForm(request.POST)
        # Only your own choice: a form naming someone else is refused, whoever sends it.
        someone = request.POST.get("person", "")
        if someone and someone != str(request.user.pk):
            fresh = EmailChoiceForm(initial={"email_choice": request.user.email_choice})  # type: ignore[union-attr]
            return self._page(fresh, error=NOT_YOUR_CHOICE, status=403)
        if not form.is_valid():
            return self._page(form, status=400)
        choice = form.cleaned_data["email_choice"]
        try:
            email_choice_set(person=request.user, choice=choice, by=request.user)  # type: ignore[arg-type]
        except PermissionDenied:
            return self._page(form, error=NOT_YOUR_CHOICE, status=403)
        except ValidationError as exc:
            form.add_error("email_choice", exc.messages[0])
            return self._page(form, status=400)
        messages.success(request, CHOSEN[EmailChoice(choice)])
        return HttpResponseRedirect(reverse("core:notification_list"))
