"""Signing in and out, passwords, and two-factor authentication (TOTP with backup codes).

Failed sign-ins are counted by django-axes (it locks the e-mail address and IP address pair
and renders accounts/locked_out.html). Failed two-factor codes are counted on the person's
django-otp devices; after the same number of failures the codes are refused for the same
cool-off time. People holding an MFA role are sent to the two-factor page by
`lift.core.middleware.MfaRequiredMiddleware`; anyone else may set up an app too, and is then
asked for a code each time they sign in.

Demo data: `ensure_totp_device(person=..., secret_hex=...)` gives a person a confirmed
authenticator with a known key, and `lift demo_otp <email>` prints its current code in the
demo (LIFT_DEMO).
"""

from __future__ import annotations

import base64
import binascii
import math
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..accounts_forms import (
    WRONG_CODE,
    CodeForm,
    LiftPasswordChangeForm,
    LiftPasswordResetForm,
    LiftSetPasswordForm,
    SignInForm,
    VerifyForm,
)
from ..identity import (
    allow_enrolment,
    email_change_confirm,
    email_change_read,
    enrol_hours,
    enrol_link_send,
    enrol_tokens,
    enrolment_allowed,
    invitation_tokens,
)
from ..middleware import needs_mfa
from .generic import LiftView

APP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
BACKUP_SESSION_KEY = "lift_new_backup_codes"
HOME = "/"


# --- Services -------------------------------------------------------------------------------


@transaction.atomic
def ensure_totp_device(person: Any, secret_hex: str) -> TOTPDevice:
    """Give `person` a confirmed authenticator whose secret key is `secret_hex` (hex-encoded
    bytes, 20 bytes = 40 hex digits is usual).

    Positional arguments are allowed because the demo command calls it that way.
    For demo and test data only: a real person sets up their own app on /accounts/mfa/ and
    the key never leaves the server except in their QR code. Running it again with the same
    key changes nothing; with a different key it replaces the key.
    """
    try:
        key = binascii.unhexlify(secret_hex)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({"key": "The secret must be hexadecimal."}) from exc
    if len(key) < 10:
        raise ValidationError({"key": "The secret must be at least 10 bytes (20 hex digits)."})
    device = TOTPDevice.objects.filter(user=person, name=APP_NAME).order_by("pk").first()
    if device is None:
        device = TOTPDevice(user=person, name=APP_NAME)
    if device.key != secret_hex.lower() or not device.confirmed:
        device.key = secret_hex.lower()
        device.confirmed = True
        device.last_t = -1
        device.throttle_reset(commit=False)
        device.full_clean()
        device.save()
    return device


def totp_now(device: TOTPDevice) -> str:
    """The code the device's app shows at this moment (for demo use and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@transaction.atomic
def backup_codes_create(*, person: Any) -> list[str]:
    """Replace the person's backup codes with 10 new single-use ones and return them.

    They are shown once; each works once on the verify page instead of an app code.
    """
    device, _ = StaticDevice.objects.get_or_create(
        user=person, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    device.throttle_reset()
    return codes


def confirmed_app(person: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=person, confirmed=True).order_by("pk").first()


def pending_app(person: Any) -> TOTPDevice:
    """The unconfirmed device being set up: the same key until it is confirmed, so a QR code
    already scanned stays valid if the page is reloaded."""
    device = TOTPDevice.objects.filter(user=person, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=person, name=APP_NAME, confirmed=False)
    return device


def mfa_failure_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def mfa_cool_off() -> timedelta:
    return timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def mfa_locked_until(person: Any) -> datetime | None:
    """Codes are refused for the sign-in cool-off time once any of the person's devices has
    had as many wrong codes in a row as the sign-in failure limit."""
    now = timezone.now()
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(
            user=person, throttling_failure_count__gte=mfa_failure_limit()
        ):
            if device.throttling_failure_timestamp is None:
                continue
            until = device.throttling_failure_timestamp + mfa_cool_off()
            if until > now:
                return until
    return None


# --- Helpers --------------------------------------------------------------------------------


def safe_next(request: HttpRequest, default: str = HOME) -> str:
    """The `next` URL if it stays on this site, otherwise `default`."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url and next_url != HOME else url


def qr_svg(data: str) -> SafeString:
    """A QR code as inline SVG markup, drawn on the server: no image requests, no script."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace(
        "<svg ",
        '<svg role="img" aria-label="QR code for your authenticator app" '
        'class="lift-qr-code" focusable="false" ',
        1,
    )
    # Built from our own otpauth URL only: nothing user-supplied reaches the markup.
    return mark_safe(svg)


def base32_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def is_verified(user: Any) -> bool:
    """Has this session entered a two-factor code? (django-otp's OTPMiddleware adds
    is_verified(); a user object fresh from authenticate() has not got it yet.)"""
    check = getattr(user, "is_verified", None)
    return bool(check()) if check is not None else False


def _when(until: datetime) -> str:
    return timezone.localtime(until).strftime("%H:%M")


# --- Signing in and out -------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Sign in with e-mail address and password. Axes counts failures."""

    public = True
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        target = safe_next(self.request)
        if target.split("?")[0] == self.request.path:
            target = HOME  # never back to the sign-in page itself
        user = self.request.user
        verified = is_verified(user)
        if target.startswith(reverse("accounts:mfa") + "enrol/"):
            return target  # the e-mailed set-up link, opened before signing in
        if (
            user.is_authenticated
            and not verified
            and (needs_mfa(user) or confirmed_app(user) is not None)
        ):
            return with_next(reverse("accounts:mfa"), target)
        return target


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only); works even when the session has already expired."""

    public = True
    http_method_names = ["post", "options"]
    next_page = "accounts:signed_out"


class SignedOutView(TemplateView):
    public = True
    template_name = "accounts/signed_out.html"
    extra_context = {"title": "You have signed out"}


# --- Passwords ----------------------------------------------------------------------------


@method_decorator(sensitive_post_parameters(), name="dispatch")
class PasswordChangeView(LiftView):
    """Change your password; you stay signed in (and two-factor verified) afterwards."""

    permission = "view"
    title = "Change your password"
    template_name = "accounts/password_change.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(LiftPasswordChangeForm(request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LiftPasswordChangeForm(request.user, request.POST)
        if not form.is_valid():
            return self.page(form)
        form.save()
        update_session_auth_hash(request, form.user)
        return HttpResponseRedirect(reverse("accounts:password_change_done"))

    def page(self, form: LiftPasswordChangeForm) -> HttpResponse:
        return render(self.request, self.template_name, {"title": self.title, "form": form})


class PasswordChangeDoneView(LiftView):
    permission = "view"
    title = "Your password has been changed"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/password_change_done.html", {"title": self.title})


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The page says the same whether or not the address is known."""

    public = True
    form_class = LiftPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "registration/lift_password_reset_email.txt"
    subject_template_name = "registration/lift_password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    public = True
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the e-mailed link; this also lifts a sign-in lockout."""

    public = True
    form_class = LiftSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        axes_reset(username=user.get_username())
        if needs_mfa(user) and confirmed_app(user) is None:
            # The link proved the person reads this e-mail address and they chose a new
            # password: they are signed in and may now choose their second factor.
            auth_login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
            allow_enrolment(self.request)
            return HttpResponseRedirect(reverse("accounts:mfa"))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    public = True
    template_name = "accounts/password_reset_complete.html"


# --- Two-factor authentication --------------------------------------------------------------


class MfaView(LiftView):
    """Set up an authenticator app, or enter a code from it, then go on to `next`."""

    permission = "view"
    setup_template = "accounts/mfa_setup.html"
    verify_template = "accounts/mfa_verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if is_verified(request.user):
            return HttpResponseRedirect(safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if confirmed_app(request.user) is not None:
            return self.verify_page(VerifyForm())
        if not self.may_set_up():
            return self.link_page()
        return self.setup_page(CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if confirmed_app(request.user) is not None:
            return self.verify_code(VerifyForm(request.POST))
        if not self.may_set_up():
            if request.POST.get("action") == "send-link":
                enrol_link_send(person=request.user)
                return self.link_page(sent=True)
            return self.link_page(status=403)
        return self.set_up_app(CodeForm(request.POST))

    def may_set_up(self) -> bool:
        """Someone whose role needs a second factor chooses it only after following a link
        sent to their e-mail address (a reset or set-up link): whoever knows the password
        alone must not be able to add their own authenticator. Someone who may choose
        two-factor for themselves is already fully signed in."""
        return not needs_mfa(self.request.user) or enrolment_allowed(self.request)

    def link_page(self, *, sent: bool = False, status: int = 200) -> HttpResponse:
        context = {
            "title": "Check your email" if sent else "Set up two-factor authentication",
            "sent": sent,
            "email": getattr(self.request.user, "email", ""),
            "hours": enrol_hours(),
        }
        return render(self.request, "accounts/mfa_link.html", context, status=status)

    # Setting up

    def setup_page(self, form: CodeForm, status: int = 200) -> HttpResponse:
        device = pending_app(self.request.user)
        context = {
            "title": "Set up two-factor authentication",
            "form": form,
            "secret": base32_secret(device),
            "qr_code": qr_svg(device.config_url),
            "required": needs_mfa(self.request.user),
            "next": safe_next(self.request),
        }
        return render(self.request, self.setup_template, context, status=status)

    def set_up_app(self, form: CodeForm) -> HttpResponse:
        person = self.request.user
        locked = mfa_locked_until(person)
        if locked:
            return self.locked(form, locked, self.setup_page)
        if not form.is_valid():
            return self.setup_page(form)
        device = pending_app(person)
        throttled = self.throttled(form, device, self.setup_page)
        if throttled:
            return throttled
        if not device.verify_token(form.cleaned_data["code"]):
            return self.wrong_code(form, device, self.setup_page)
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=person, confirmed=False).delete()
            codes = backup_codes_create(person=person)
        django_otp.login(self.request, device)
        self.request.session[BACKUP_SESSION_KEY] = codes
        return HttpResponseRedirect(
            with_next(reverse("accounts:mfa_backup_codes"), safe_next(self.request))
        )

    # Verifying

    def verify_page(self, form: VerifyForm, status: int = 200) -> HttpResponse:
        context = {
            "title": "Enter your two-factor code",
            "form": form,
            "next": safe_next(self.request),
        }
        return render(self.request, self.verify_template, context, status=status)

    def verify_code(self, form: VerifyForm) -> HttpResponse:
        person = self.request.user
        locked = mfa_locked_until(person)
        if locked:
            return self.locked(form, locked, self.verify_page)
        if not form.is_valid():
            return self.verify_page(form)
        device: TOTPDevice | StaticDevice | None
        if form.is_backup_code:
            device = StaticDevice.objects.filter(user=person, confirmed=True).first()
        else:
            device = confirmed_app(person)
        if device is None:
            form.add_error("code", WRONG_CODE)
            return self.verify_page(form)
        throttled = self.throttled(form, device, self.verify_page)
        if throttled:
            return throttled
        with transaction.atomic():
            device = type(device).objects.select_for_update().get(pk=device.pk)
            ok = device.verify_token(form.cleaned_data["code"])
        if not ok:
            return self.wrong_code(form, device, self.verify_page)
        django_otp.login(self.request, device)
        return HttpResponseRedirect(safe_next(self.request))

    # Failures

    def wrong_code(self, form: Any, device: Any, page: Any) -> HttpResponse:
        locked = mfa_locked_until(self.request.user)
        if locked:
            return self.locked(form, locked, page)
        form.add_error("code", WRONG_CODE)
        return page(form)

    def throttled(self, form: Any, device: Any, page: Any) -> HttpResponse | None:
        """django-otp makes each wrong code double the wait before the next try."""
        allowed, info = device.verify_is_allowed()
        if allowed:
            return None
        until = (info or {}).get("locked_until") or timezone.now() + timedelta(seconds=1)
        wait = max(1, math.ceil((until - timezone.now()).total_seconds()))
        unit = "second" if wait == 1 else "seconds"
        form.add_error("code", f"Wait {wait} {unit}, then enter a new code")
        return page(form, status=429)

    def locked(self, form: Any, until: datetime, page: Any) -> HttpResponse:
        minutes = int(mfa_cool_off().total_seconds() // 60)
        form.is_valid()
        form.errors.clear()
        form.add_error(
            None,
            f"You have entered a wrong code too many times. For your security, codes are "
            f"not accepted for {minutes} minutes. Try again after {_when(until)}.",
        )
        return page(form, status=429)


class BackupCodesView(LiftView):
    """Shows new backup codes once, and lets a verified person replace them."""

    permission = "view"
    template_name = "accounts/mfa_backup_codes.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        codes = request.session.pop(BACKUP_SESSION_KEY, None)
        context = {
            "title": "Your backup codes" if codes else "Backup codes",
            "codes": codes,
            "next": safe_next(request),
            "verified": is_verified(request.user),
        }
        response = render(request, self.template_name, context)
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request: HttpRequest) -> HttpResponse:
        if not is_verified(request.user):
            raise PermissionDenied("Enter a two-factor code before getting new backup codes.")
        request.session[BACKUP_SESSION_KEY] = backup_codes_create(person=request.user)
        return HttpResponseRedirect(
            with_next(reverse("accounts:mfa_backup_codes"), safe_next(request))
        )


class MfaEnrolView(LiftView):
    """The e-mailed link to set up two-factor authentication. It works only for the person
    it was sent to, signed in in this browser, until they have set up an app."""

    permission = "view"
    template_name = "accounts/mfa_link_invalid.html"

    def get(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        try:
            uid = int(urlsafe_base64_decode(uidb64).decode())
        except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
            uid = None
        person: Any = request.user
        if uid != person.pk or not enrol_tokens.check_token(person, token):
            context = {"title": "This link is not valid"}
            return render(request, self.template_name, context, status=400)
        allow_enrolment(request)
        return HttpResponseRedirect(reverse("accounts:mfa"))


@method_decorator(sensitive_post_parameters(), name="dispatch")
class InvitationView(TemplateView):
    """The link in an invitation: choose a password, and you are signed in. It works once,
    for LIFT_INVITATION_DAYS; a newer invitation replaces it."""

    public = True
    template_name = "accounts/invitation.html"

    def person(self, uidb64: str, token: str) -> Any:
        from ..models import Person

        try:
            uid = int(urlsafe_base64_decode(uidb64).decode())
        except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
            return None
        person = Person.objects.filter(pk=uid, is_active=True).first()
        if person is None or not invitation_tokens.check_token(person, token):
            return None
        return person

    def get(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:  # type: ignore[override]
        person = self.person(uidb64, token)
        if person is None:
            return self.invalid()
        return self.page(LiftSetPasswordForm(person), person)

    def post(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        person = self.person(uidb64, token)
        if person is None:
            return self.invalid()
        form = LiftSetPasswordForm(person, request.POST)
        if not form.is_valid():
            return self.page(form, person)
        form.save()
        axes_reset(username=person.get_username())
        auth_login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        if needs_mfa(person) and confirmed_app(person) is None:
            allow_enrolment(request)  # the link proved the e-mail address
            return HttpResponseRedirect(reverse("accounts:mfa"))
        return HttpResponseRedirect(HOME)

    def page(self, form: Any, person: Any) -> HttpResponse:
        context = {"title": "Choose your password", "form": form, "person": person}
        response = render(self.request, self.template_name, context)
        response["Cache-Control"] = "no-store"
        return response

    def invalid(self) -> HttpResponse:
        context = {"title": "This invitation cannot be used", "invalid": True}
        return render(self.request, self.template_name, context, status=400)


class EmailConfirmView(TemplateView):
    """Confirm a new e-mail address from the link sent to it (a button, so that a mail
    program opening links to preview them confirms nothing)."""

    public = True
    template_name = "accounts/email_confirm.html"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:  # type: ignore[override]
        try:
            change = email_change_read(token)
        except ValidationError as exc:
            return self.invalid(exc)
        context = {"title": "Confirm your new email address", "new": change["new"]}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            person = email_change_confirm(token=token)
        except ValidationError as exc:
            return self.invalid(exc)
        context = {
            "title": "Your email address has been changed",
            "done": True,
            "new": person.email,
        }
        return render(request, self.template_name, context)

    def invalid(self, exc: ValidationError) -> HttpResponse:
        context = {"title": "This link cannot be used", "error": " ".join(exc.messages)}
        return render(self.request, self.template_name, context, status=400)


def signed_out_page(view: Any) -> Any:
    """Usable without signing in (LoginRequiredMiddleware lets it through)."""
    return login_not_required(view)
