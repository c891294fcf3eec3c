"""People: everyone LIFT knows about. A person with a usable password can sign in."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .. import roles as r
from ..access import Access, P, RestrictedQuerySet, S, grants
from .base import TimeStamped, Tracked


class EmailChoice(models.TextChoices):
    """How a person wants LIFT to e-mail them their notifications (see lift.core.notify)."""

    IMMEDIATE = "immediate", "An e-mail for each notification, straight away"
    DIGEST = "digest", "One e-mail each working day, listing my to-do list and new notifications"
    NONE = "none", "No e-mails: I will check my notifications in LIFT"


class PersonQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> PersonQuerySet:
        """People are shared across partnerships: you see those who hold a role where you
        hold one (business unit and chair), the people in your agency (safeguarding lead),
        and yourself."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        from ..access import assignments_for
        from .tenancy import RoleAssignment

        clauses = Q(pk=user.pk)
        admin_roles = {"view": r.ADMINS | {r.R.CHAIR}, "change": r.ADMINS, "add": r.ADMINS}
        if action == "change":
            # An account's identity (e-mail address, password, whether it is active, its
            # two-factor devices) belongs to the one partnership that invited the person:
            # another partnership's business unit manages only its own roles for them.
            owned = [
                a.partnership_id
                for a in assignments_for(user)
                if a.case_type_id is None and a.role in r.ADMINS
            ]
            return self.filter(home_partnership_id__in=owned)
        administered: set[int] = set()
        for a in assignments_for(user):
            if a.case_type_id is not None:
                continue
            if a.role in admin_roles.get(action, set()):
                administered.add(a.partnership_id)
            elif action == "view" and a.role == r.R.SAFEGUARDING_LEAD and a.agency_id:
                clauses |= Q(agency_id=a.agency_id)
            elif action == "view" and a.role == r.R.LINE_MANAGER:
                clauses |= Q(line_manager_id=user.pk)
        if action not in admin_roles and action != "view":
            return self.none()
        if administered:
            # A semi-join rather than a join: no duplicate rows, so no DISTINCT over whole
            # person rows (which made the People page slow with 200,000 people). The user
            # holds a role where they administer, so "themselves" is already in it; without
            # other clauses the OR (which stops PostgreSQL using the semi-join) is left out.
            members = Q(
                pk__in=RoleAssignment.objects.filter(partnership_id__in=administered).values(
                    "person_id"
                )
            )
            clauses = members if clauses == Q(pk=user.pk) else clauses | members
        return self.filter(clauses)


class PersonManager(BaseUserManager.from_queryset(PersonQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Person:
        if not email:
            raise ValueError("A person needs an e-mail address.")
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Person:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> Person:
        return self.get(email__iexact=username)


class Person(Tracked, AbstractBaseUser, PermissionsMixin, TimeStamped):
    """A person: board member, practitioner, learner, reviewer. E-mail is the login."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        help_text="The agency that employs this person.",
    )
    line_manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    home_partnership = models.ForeignKey(
        "core.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_people",
        verbose_name="account managed by",
        help_text="The partnership that invited this person: only its business unit may change "
        "their e-mail address, deactivate them or reset their two-factor authentication.",
    )
    is_active = models.BooleanField(default=True)
    email_choice = models.CharField(
        "how LIFT e-mails you",
        max_length=20,
        choices=EmailChoice.choices,
        default=EmailChoice.DIGEST,
        help_text="Only the person chooses this. E-mails about their account (invitations, "
        "password resets, sign-in security) and urgent chases are always sent straight away.",
    )
    invited_at = models.DateTimeField(
        null=True, blank=True, help_text="When the latest invitation to set a password was sent."
    )
    invited_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_staff = models.BooleanField(default=False, help_text="May use the reference-data admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()
    # Adding a person (with their first role) is for the business unit; changing one is for
    # the business unit of the partnership that manages the account (PersonQuerySet).
    access: ClassVar[Access] = Access(grants(view={S: r.EVERYONE}, add={P: r.ADMINS}), person="pk")

    history_exclude = frozenset({"password", "last_login", "updated_at", "created_at"})

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def invitation_state(self) -> str:
        """ "Invited", "Invitation expired", "Signed in" or "Not invited", for the People list."""
        from django.conf import settings

        if self.last_login is not None:
            return "Signed in"
        if self.has_usable_password():
            return "Not signed in yet"
        if self.invited_at is None:
            return "Not invited"
        age = timezone.now() - self.invited_at
        if age.total_seconds() > int(settings.LIFT_INVITATION_DAYS) * 86400:
            return "Invitation expired"
        return "Invited"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_absolute_url(self) -> str:
        return reverse("core:person_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new password or a deactivation ends the person's API tokens, however it was made
        (a reset, a change, the business unit): a token must not outlive the credentials it
        was made with. Sessions end too, through Django's session hash and `is_active`."""
        password_changed = self._password is not None  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if self.pk and (password_changed or not self.is_active):
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user_id=self.pk).delete()


__all__ = ["EmailChoice", "P", "Person"]
