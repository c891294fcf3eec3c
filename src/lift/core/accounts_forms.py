"""Forms for signing in, passwords and two-factor codes, with GOV.UK wording.

Error messages follow the GOV.UK Design System: say what went wrong and how to fix it, never
which of the e-mail address or password was wrong.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms

PASSWORD_HINT = (
    "Use at least 12 characters. A long password made of 3 or more random words is "
    "easier to remember and harder to guess. Do not use a password you use anywhere else."
)

ENTER_CODE = "Enter the 6-digit code from your authenticator app"
WRONG_CODE = "The code is not correct or has expired"

TOTP_CODE = re.compile(r"^\d{6}$")
# django-otp's StaticToken.random_token(): 5 random bytes in lower-case base 32.
BACKUP_CODE = re.compile(r"^[a-z2-7]{8}$")


def _email_widget() -> forms.EmailInput:
    return forms.EmailInput(
        attrs={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "none"}
    )


class SignInForm(auth_forms.AuthenticationForm):
    """Django's sign-in form; the field stays `username` because django-axes reads it."""

    username = auth_forms.UsernameField(
        label="Email address", max_length=254, widget=_email_widget()
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Enter a correct email address and password",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"


def _new_password_fields(form: Any) -> None:
    form.fields["new_password1"].label = "New password"
    form.fields["new_password1"].help_text = PASSWORD_HINT
    form.fields["new_password1"].error_messages["required"] = "Enter a new password"
    form.fields["new_password2"].label = "Confirm new password"
    form.fields["new_password2"].help_text = ""
    form.fields["new_password2"].error_messages["required"] = "Confirm your new password"
    form.error_messages["password_mismatch"] = "The passwords do not match"


class LiftSetPasswordForm(auth_forms.SetPasswordForm):
    """Choosing a new password from a reset link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_fields(self)


class LiftPasswordChangeForm(auth_forms.PasswordChangeForm):
    """Changing your password while signed in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_fields(self)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.error_messages["password_incorrect"] = "Your current password is not correct"


class LiftPasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=_email_widget(),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def get_users(self, email: str) -> Any:
        """Django's rule (active, with a password) plus people invited who have not yet
        chosen a password: a lost invitation must not lock them out."""
        from .models import Person

        email = email.strip()
        people = Person.objects.filter(email__iexact=email, is_active=True)
        return (p for p in people if p.has_usable_password() or (p.invited_at and not p.last_login))


def normalise_code(value: str) -> str:
    """People type codes with spaces or hyphens, in either case: ignore them."""
    return re.sub(r"[\s-]", "", value or "").lower()


class CodeForm(forms.Form):
    """A 6-digit code from an authenticator app, when setting one up."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code shown in the app, for example 123456.",
        max_length=20,
        error_messages={"required": ENTER_CODE},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not TOTP_CODE.match(code):
            raise forms.ValidationError(ENTER_CODE)
        return code


class VerifyForm(CodeForm):
    """A 6-digit code from the app or one of the person's single-use backup codes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code"
        self.fields["code"].help_text = (
            "Enter the 6-digit code from your authenticator app. If you do not have your "
            "app, enter one of your 8-character backup codes."
        )
        self.fields["code"].widget.attrs["inputmode"] = "text"
        self.fields["code"].widget.attrs["class"] = "govuk-input--width-10"

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not (TOTP_CODE.match(code) or BACKUP_CODE.match(code)):
            raise forms.ValidationError(ENTER_CODE)
        return code

    @property
    def is_backup_code(self) -> bool:
        return bool(BACKUP_CODE.match(self.cleaned_data.get("code", "")))
