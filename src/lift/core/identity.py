"""An account's identity: its e-mail address, API tokens and two-factor enrolment.

An account belongs to the person and to the one partnership that invited them
(`Person.home_partnership`). Another partnership's business unit gives or takes away roles in
its own partnership only (`Person.objects.restrict(user, "change")`).

- A new e-mail address takes effect only when a link sent to it is followed; the old address
  is told (`email_change_request`, `email_change_confirm`).
- An API token is made only from a fully verified session (`api_token_create`), expires after
  `LIFT_API_TOKEN_DAYS` (checked by `ExpiringTokenAuthentication`), and ends with a new
  password or a deactivation (`Person.save`).
- Deactivating someone signs them out of every browser (`sessions_end`).
- Someone whose role needs two-factor authentication and who has no device yet sets one up
  only after following a link sent to their e-mail address (`enrol_link`, `enrolment_allowed`):
  a password alone is not enough to choose the second factor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from . import history
from .models import Person

EMAIL_CHANGE_SALT = "lift.email-change"
EMAIL_CHANGE_MAX_AGE = 3 * 24 * 3600
ENROL_SESSION_KEY = "lift_mfa_enrol"


def _absolute(path: str) -> str:
    return f"{settings.LIFT_BASE_URL.rstrip('/')}{path}"


def _send(to: str, subject: str, lines: list[str]) -> None:
    body = "\n".join([*lines, "", "LIFT. Do not reply to this e-mail."])
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    )


def masked(email: str) -> str:
    """`j***@example.org`: enough for the owner to recognise, not enough to harvest."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


# --- E-mail address changes -------------------------------------------------------------------


def email_change_request(*, person: Person, new_email: str, requested_by: Any) -> str:
    """Send a confirmation link to `new_email`; nothing changes until it is followed.

    Returns the signed token (the link's last part). The address must be free.
    """
    new_email = Person.objects.normalize_email(new_email.strip()).lower()
    validate_email(new_email)
    if new_email == person.email:
        raise ValidationError({"email": "This is already the person's e-mail address."})
    if Person.objects.filter(email__iexact=new_email).exclude(pk=person.pk).exists():
        raise ValidationError({"email": "A person with this email address already exists."})
    token = signing.dumps(
        {"p": person.pk, "old": person.email, "new": new_email}, salt=EMAIL_CHANGE_SALT
    )
    link = _absolute(reverse("accounts:email_confirm", args=[token]))
    who = "You" if getattr(requested_by, "pk", None) == person.pk else str(requested_by)
    _send(
        new_email,
        "Confirm your new e-mail address for LIFT",
        [
            f"Dear {person.get_short_name()},",
            "",
            f"{who} asked for this to become the e-mail "
            "address of your LIFT account. To confirm it, open this link:",
            "",
            link,
            "",
            "The link works for 3 days. Until you confirm, you sign in with your old address.",
            "If you did not expect this, ignore this e-mail: nothing has changed.",
        ],
    )
    return token


def email_change_read(token: str) -> dict[str, Any]:
    """The change a token asks for, or a ValidationError saying why it cannot be used."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError("This link has expired. Ask for the change again.") from exc
    except signing.BadSignature as exc:
        raise ValidationError("This link is not valid. Check you copied all of it.") from exc
    person = Person.objects.filter(pk=data.get("p"), email=data.get("old")).first()
    if person is None:
        raise ValidationError("This link has already been used or is no longer valid.")
    return {"person": person, "old": data["old"], "new": data["new"]}


@transaction.atomic
def email_change_confirm(*, token: str) -> Person:
    """Apply the change a confirmation link asks for, and tell the old address."""
    change = email_change_read(token)
    person = Person.objects.select_for_update().get(pk=change["person"].pk)
    if person.email != change["old"]:
        raise ValidationError("This link has already been used or is no longer valid.")
    if Person.objects.filter(email__iexact=change["new"]).exclude(pk=person.pk).exists():
        raise ValidationError("Another account now uses this e-mail address.")
    person.email = change["new"]
    person.full_clean(exclude=["password"])
    with history.change_reason("E-mail address confirmed from the new address"):
        person.save(update_fields=["email", "updated_at"])
    _send(
        change["old"],
        "Your LIFT e-mail address was changed",
        [
            f"Dear {person.get_short_name()},",
            "",
            f"The e-mail address of your LIFT account was changed to {masked(change['new'])}. "
            "From now on, sign in with the new address.",
            "",
            "If you did not expect this, tell your partnership's business unit at once.",
        ],
    )
    return person


# --- API tokens -------------------------------------------------------------------------------


def api_token_days() -> int:
    return int(settings.LIFT_API_TOKEN_DAYS)


def api_token_expires(token: Token) -> dt.datetime:
    return token.created + dt.timedelta(days=api_token_days())


def session_fully_verified(request: Any) -> bool:
    """Signed in, and past the second factor where the person has or needs one."""
    from .middleware import needs_mfa

    user = request.user
    if not user.is_authenticated:
        return False
    if not settings.LIFT_ENFORCE_MFA:
        return True
    check = getattr(user, "is_verified", None)
    return bool(check and check()) or not needs_mfa(user)


@transaction.atomic
def api_token_create(*, request: Any) -> Token:
    """Replace the person's token with a new one: only from a fully verified session."""
    if not session_fully_verified(request):
        raise ValidationError("Enter your two-factor code before making an API token.")
    Token.objects.filter(user=request.user).delete()
    return Token.objects.create(user=request.user)


def api_token_revoke(*, person: Any) -> int:
    deleted, _ = Token.objects.filter(user=person).delete()
    return deleted


# --- Signing out everywhere ---------------------------------------------------------------------


def sessions_end(*, person: Any) -> int:
    """Delete every session the person is signed in with, in any browser.

    A deactivated person is already refused on their next request (the authentication
    backend reads `is_active`); deleting the sessions as well means a later reactivation
    does not bring an old session back to life. Sessions live in the database
    (SESSION_ENGINE `db` or `cached_db`), which cannot be searched by person, so this reads
    the sessions not yet expired: idle expiry (SESSION_COOKIE_AGE, 30 minutes) keeps them
    few. Returns how many were ended."""
    from importlib import import_module

    from django.contrib.auth import SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0  # cookie or cache sessions: `is_active` alone refuses them
    model = store.get_model_class()
    ended = 0
    live = model.objects.filter(expire_date__gt=timezone.now()).only("session_key", "session_data")
    for row in live.iterator():
        data = store().decode(row.session_data)
        if str(data.get(SESSION_KEY)) == str(person.pk):
            store(session_key=row.session_key).delete()
            ended += 1
    return ended


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than LIFT_API_TOKEN_DAYS."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if timezone.now() >= api_token_expires(token):
            raise exceptions.AuthenticationFailed(
                "Your API token has expired. Make a new one on the API access page."
            )
        return user, token


# --- Two-factor enrolment -----------------------------------------------------------------------


class EnrolTokenGenerator(PasswordResetTokenGenerator):
    """A link to set up two-factor authentication: valid for PASSWORD_RESET_TIMEOUT, and no
    longer once the person has a confirmed device or changes their password."""

    key_salt = "lift.core.identity.EnrolTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).count()
        return f"{super()._make_hash_value(user, timestamp)}:{enrolled}"


enrol_tokens = EnrolTokenGenerator()


def enrol_hours() -> int:
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 3600)


def enrol_link(person: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return _absolute(reverse("accounts:mfa_enrol", args=[uid, enrol_tokens.make_token(person)]))


def enrol_link_send(*, person: Any) -> None:
    _send(
        person.email,
        "Set up two-factor authentication for LIFT",
        [
            f"Dear {person.get_short_name()},",
            "",
            "Your role in LIFT needs two-factor authentication. To set up your authenticator "
            "app, sign in and open this link in the same browser:",
            "",
            enrol_link(person),
            "",
            f"The link works until you have set up an app, for {enrol_hours()} hours.",
            "If you did not just sign in to LIFT, tell your partnership's business unit: "
            "someone may know your password.",
        ],
    )


@transaction.atomic
def two_factor_reset(*, person: Person, by: Any) -> None:
    """For a lost phone: remove the person's authenticator and backup codes. Only the business
    unit of the partnership that manages the account, and not for themselves; the person then
    sets up a new app from an e-mailed link."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not Person.objects.restrict(by, "change").filter(pk=person.pk).exists():
        raise ValidationError("Only the business unit that manages this account can do this.")
    if person.pk == getattr(by, "pk", None):
        raise ValidationError("Ask another business unit member to reset your two-factor.")
    had = TOTPDevice.objects.filter(user=person, confirmed=True).exists()
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    history.record_change(
        person, {"two-factor authentication": ["set up" if had else "not set up", "reset"]}
    )
    _send(
        person.email,
        "Your LIFT two-factor authentication was reset",
        [
            f"Dear {person.get_short_name()},",
            "",
            f"{by} reset the two-factor authentication of your LIFT account. The next time "
            "you sign in, you will be asked to set up your authenticator app again, from a "
            "link sent to this address.",
            "",
            "If you did not ask for this, tell your partnership's business unit at once.",
        ],
    )


# --- Invitations ---------------------------------------------------------------------------------


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """The link in an invitation: single use (it dies once a password is set or the person
    signs in), replaced by a new invitation, and valid for LIFT_INVITATION_DAYS."""

    key_salt = "lift.core.identity.InvitationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        sent = user.invited_at.isoformat() if user.invited_at else ""
        return f"{super()._make_hash_value(user, timestamp)}:{sent}"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token) or user.invited_at is None:
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in secrets
        ):
            return False
        age = self._num_seconds(self._now()) - ts
        return age <= int(settings.LIFT_INVITATION_DAYS) * 86400


invitation_tokens = InvitationTokenGenerator()


def invitation_link(person: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = invitation_tokens.make_token(person)
    return _absolute(reverse("accounts:invitation", args=[uid, token]))


@transaction.atomic
def person_invite(*, person: Person, by: Any) -> None:
    """Send (or send again) an invitation to set a password. A new invitation replaces the
    old one: the earlier link stops working. Someone who has already signed in needs none."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.last_login is not None or person.has_usable_password():
        raise ValidationError(
            f"{person} already has a password. If they have forgotten it, they can reset it "
            "from the sign-in page."
        )
    if not person.is_active:
        raise ValidationError(f"{person}'s account is deactivated: reactivate it first.")
    person.invited_at = timezone.now()
    person.invited_by = by if getattr(by, "pk", None) else None
    person.save(update_fields=["invited_at", "invited_by", "updated_at"])
    partnership = person.home_partnership
    where = f" for {partnership.name}" if partnership else ""
    _send(
        person.email,
        f"You have been invited to use LIFT{where}",
        [
            f"Dear {person.get_short_name()},",
            "",
            f"{by} has given you an account on LIFT{where}, the system the partnership "
            "uses to learn from reviews and check that the learning changes practice.",
            "",
            "To choose your password and sign in, open this link:",
            "",
            invitation_link(person),
            "",
            f"The link works once, for {settings.LIFT_INVITATION_DAYS} days. If it has "
            "expired, ask the partnership's business unit to send a new one.",
            f"Your sign-in name is this email address: {person.email}",
        ],
    )


def enrolment_allowed(request: Any) -> bool:
    """May this session choose the person's second factor? Only after an e-mailed link."""
    return request.session.get(ENROL_SESSION_KEY) == request.user.pk


def allow_enrolment(request: Any) -> None:
    request.session[ENROL_SESSION_KEY] = request.user.pk
