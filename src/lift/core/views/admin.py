"""The partnership's own records: its details, agencies, people and their roles, history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from ..access import has_role
from ..filters import AgencyFilter, ChangeLogFilter, PersonFilter, RoleAssignmentFilter
from ..identity import person_invite, two_factor_reset
from ..middleware import SESSION_KEY, partnerships_for
from ..models import (
    Agency,
    Attachment,
    ChangeLog,
    Notification,
    Partnership,
    Person,
    RoleAssignment,
)
from ..roles import ADMINS, Role
from ..services import person_create, person_update, role_assign, role_delete, role_update
from ..storage import open_for_download
from ..tables import Column, Table
from .generic import (
    LiftView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    restricted,
)


class PartnershipDetailView(ObjectDetailView):
    model = Partnership
    template_name = "core/partnership_detail.html"
    fields = [
        "name",
        "short_name",
        "area",
        "regime",
        "website",
        "contact_email",
        "contact_phone",
        "postal_address",
        "reminder_days",
        "escalation_days",
    ]

    def extra_context(self) -> dict[str, Any]:
        from ..reference import regimes

        regime = regimes().get(self.object.regime)
        return {"regime": regime}


class PartnershipEditView(ObjectEditView):
    model = Partnership
    fields = [
        "name",
        "short_name",
        "area",
        "regime",
        "brand_colour",
        "website",
        "contact_email",
        "contact_phone",
        "postal_address",
        "report_concern_text",
        "reminder_days",
        "escalation_days",
    ]

    def get_form_class(self) -> type[forms.BaseForm]:
        from ..reference import regimes

        form_class: Any = super().get_form_class()
        choices = [
            (key, getattr(r, "name", key) if not isinstance(r, dict) else r.get("name", key))
            for key, r in regimes().items()
        ]
        form_class.base_fields["regime"] = forms.ChoiceField(
            choices=choices,
            label="Statutory regime in force",
            help_text="Wording and deadlines come from this regime's reference file.",
        )
        return form_class


class PartnershipHistoryView(ObjectHistoryView):
    model = Partnership


class PartnershipSwitchView(LiftView):
    """Choose which of your partnerships you are working in."""

    permission = "view"
    title = "Choose a partnership"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            "core/partnership_switch.html",
            {"title": self.title, "choices": partnerships_for(request.user)},
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wanted = request.POST.get("partnership", "")
        for p in partnerships_for(request.user):
            if str(p.pk) == wanted:
                request.session[SESSION_KEY] = p.pk
                messages.success(request, f"You are now working in {p.name}.")
                return HttpResponseRedirect("/")
        return render(
            request,
            "core/partnership_switch.html",
            {
                "title": self.title,
                "choices": partnerships_for(request.user),
                "error": "Choose one of your partnerships.",
            },
            status=400,
        )


class AgencyListView(ObjectListView):
    model = Agency
    filterset_class = AgencyFilter
    add_url_name = "core:agency_add"
    queryset = Agency.objects.select_related("safeguarding_lead")
    table = Table(
        [
            Column("name", "Agency", link=True),
            Column("agency_type", "Type", sort="agency_type"),
            Column("safeguarding_lead", "Safeguarding lead", sort="safeguarding_lead__full_name"),
            Column("is_active", "Active"),
        ]
    )
    ordering = ("name",)


AGENCY_FIELDS = ["name", "agency_type", "safeguarding_lead", "is_active"]


class AgencyDetailView(ObjectDetailView):
    model = Agency
    template_name = "core/agency_detail.html"
    fields = AGENCY_FIELDS

    def extra_context(self) -> dict[str, Any]:
        return {"people": self.object.staff.filter(is_active=True).order_by("full_name")[:50]}


class AgencyCreateView(ObjectCreateView):
    model = Agency
    fields = AGENCY_FIELDS


class AgencyEditView(ObjectEditView):
    model = Agency
    fields = AGENCY_FIELDS


class AgencyDeleteView(ObjectDeleteView):
    model = Agency
    success_url_name = "core:agency_list"


class AgencyHistoryView(ObjectHistoryView):
    model = Agency


class PersonListView(ObjectListView):
    model = Person
    filterset_class = PersonFilter
    add_url_name = "core:person_add"
    template_name = "core/person_list.html"
    queryset = Person.objects.select_related("agency")
    table = Table(
        [
            Column("full_name", "Name", link=True),
            Column("job_title", "Job title"),
            Column("agency", "Agency", sort="agency__name"),
            Column("email", "Email"),
            Column("last_login", "Last signed in", sort="last_login"),
            Column("invitation_state", "Account", sort=None),
        ]
    )
    ordering = ("full_name",)

    def get_queryset(self) -> Any:
        qs = Person.objects.restrict(self.request.user, "view").select_related("agency")
        # A semi-join, not a join and DISTINCT: the database need not de-duplicate whole
        # person rows (with their agency) to count and page them.
        members = RoleAssignment.objects.filter(partnership=self.partnership).values("person_id")
        return qs.filter(pk__in=members)

    def can_add(self) -> bool:
        return has_role(self.request.user, self.partnership, ADMINS)


class PersonImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text="One row per person. Columns: full name, email, role (as LIFT names it, for "
        "example Safeguarding lead), agency (optional: as named in LIFT), job title "
        "(optional), phone (optional).",
        error_messages={"required": "Choose a CSV or Excel file of people"},
    )


class PersonImportView(LiftView):
    """Add many people at once: all or nothing, problems listed by row; each is invited."""

    permission = "add"
    title = "Import people"

    def check(self) -> None:
        if not has_role(self.request.user, self.partnership, ADMINS):
            raise PermissionDenied

    def page(self, form: forms.Form, errors: list[Any] | None = None) -> HttpResponse:
        context = {"title": self.title, "form": form, "import_errors": errors or []}
        return render(self.request, "core/person_import.html", context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        return self.page(PersonImportForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from ..people_import import people_import

        self.check()
        form = PersonImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form)
        result, created = people_import(
            partnership=self.partnership,
            uploaded=form.cleaned_data["file"],
            by=request.user,  # type: ignore[arg-type]
        )
        if not result.ok:
            return self.page(form, [tuple(e) for e in result.errors])
        count = len(created)
        messages.success(
            request,
            f"Imported {count} {'person' if count == 1 else 'people'}. Each has been sent an "
            "invitation to choose a password.",
        )
        return HttpResponseRedirect(reverse("core:person_list"))


class PersonDetailView(ObjectDetailView):
    model = Person
    template_name = "core/person_detail.html"
    fields = ["full_name", "email", "job_title", "phone", "agency", "line_manager", "is_active"]

    def extra_context(self) -> dict[str, Any]:
        roles = (
            RoleAssignment.objects.restrict(self.request.user, "view")
            .filter(person=self.object, partnership=self.partnership)
            .select_related("agency")
        )
        from django_otp.plugins.otp_totp.models import TOTPDevice

        manages = self.may("change")
        return {
            "roles": roles,
            "can_assign": has_role(self.request.user, self.partnership, ADMINS),
            "manages_account": manages,
            "home_partnership": self.object.home_partnership,
            "has_two_factor": manages
            and TOTPDevice.objects.filter(user=self.object, confirmed=True).exists(),
            "is_self": self.object.pk == self.request.user.pk,
            "may_invite": manages
            and self.object.last_login is None
            and not self.object.has_usable_password(),
        }


class PersonInviteView(ObjectMixin):
    """Send the invitation again (the earlier link stops working): the managing partnership's
    business unit, for someone who has not yet chosen a password."""

    model = Person
    permission = "change"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.object.get_absolute_url())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            person_invite(person=self.object, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"We have sent a new invitation to {self.object.email}.")
        return HttpResponseRedirect(self.object.get_absolute_url())


class PersonTwoFactorResetView(ObjectMixin):
    """Reset a person's two-factor authentication (a lost phone): the managing partnership's
    business unit only, never for themselves."""

    model = Person
    permission = "change"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = {
            "title": f"Reset two-factor authentication for {self.object}",
            **self.object_context(),
        }
        return render(request, "core/person_two_factor_reset.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            two_factor_reset(person=self.object, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Two-factor authentication was reset. {self.object.get_short_name()} will "
                "set up a new app from a link sent to their email address.",
            )
        return HttpResponseRedirect(self.object.get_absolute_url())


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "email", "job_title", "phone", "agency", "line_manager", "is_active"]


class PersonCreateForm(PersonForm):
    role = forms.ChoiceField(choices=Role.choices, label="First role in this partnership")

    class Meta(PersonForm.Meta):
        fields = ["full_name", "email", "job_title", "phone", "agency", "line_manager"]


PERSON_ADDED = (
    "{name} was added. We have sent an invitation to {email} to choose a password; the link "
    "works for {days} days."
)


class PersonCreateView(ObjectCreateView):
    model = Person
    form_class = PersonCreateForm
    title = "Add a person"

    def check_allowed(self) -> None:
        if not has_role(self.request.user, self.partnership, ADMINS):
            raise PermissionDenied

    def save(self, form: forms.BaseForm) -> Any:
        from django.conf import settings

        data = form.cleaned_data
        self.success_message = PERSON_ADDED.format(  # type: ignore[misc]
            name=data["full_name"], email=data["email"], days=settings.LIFT_INVITATION_DAYS
        )
        return person_create(
            partnership=self.partnership,
            email=data["email"],
            full_name=data["full_name"],
            job_title=data.get("job_title", ""),
            phone=data.get("phone", ""),
            agency=data.get("agency"),
            line_manager=data.get("line_manager"),
            role=data["role"],
            invited_by=self.request.user,  # type: ignore[arg-type]
        )


LEAVER_DEACTIVATED = (
    "{name} can no longer sign in and has been signed out everywhere. Their records and "
    "history are kept. Steps still waiting on them are on their agency's safeguarding "
    "lead's to-do list, or the business unit's if they have no agency or it has no lead."
)


class PersonEditView(ObjectEditView):
    """Only the business unit of the partnership that manages the account (the one that
    invited the person) may open this page; another partnership manages its roles only."""

    model = Person
    form_class = PersonForm

    def save(self, form: forms.BaseForm) -> Any:
        data = dict(form.cleaned_data)
        new_email = data.pop("email")
        old_email, was_active = Person.objects.filter(pk=self.object.pk).values_list(
            "email", "is_active"
        )[0]
        person = person_update(person=self.object, by=self.request.user, email=new_email, **data)
        if was_active and not person.is_active:
            messages.info(self.request, LEAVER_DEACTIVATED.format(name=person))
        if new_email and new_email.lower() != old_email:
            messages.info(
                self.request,
                f"We have sent a link to {new_email} to confirm the new address. Until it is "
                f"followed, {person.get_short_name()} signs in with {old_email}.",
            )
        return person


class PersonHistoryView(ObjectHistoryView):
    model = Person


class RoleAssignmentListView(ObjectListView):
    model = RoleAssignment
    title = "Roles"
    filterset_class = RoleAssignmentFilter
    add_url_name = "core:roleassignment_add"
    queryset = RoleAssignment.objects.select_related("person", "agency")
    table = Table(
        [
            Column("person", "Person", sort="person__full_name", link=True),
            Column("role", "Role"),
            Column("agency", "Agency", sort="agency__name"),
            Column("case", "Case team", sort=None),
            Column("starts_on", "From"),
            Column("ends_on", "Until"),
        ]
    )
    ordering = ("person__full_name", "role")


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["person", "role", "agency", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class RoleAssignmentCreateView(ObjectCreateView):
    model = RoleAssignment
    form_class = RoleAssignmentForm
    title = "Give a person a role"

    def save(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return role_assign(
            partnership=self.partnership,
            person=data["person"],
            role=data["role"],
            agency=data.get("agency"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            by=self.request.user,  # type: ignore[arg-type]
        )

    def success_url(self, obj: Any) -> str:
        return obj.person.get_absolute_url()


class RoleAssignmentEditView(ObjectEditView):
    model = RoleAssignment
    form_class = RoleAssignmentForm

    def save(self, form: forms.BaseForm) -> Any:
        return role_update(assignment=self.object, by=self.request.user, **form.cleaned_data)


class RoleAssignmentDetailView(ObjectDetailView):
    model = RoleAssignment
    fields = ["person", "role", "agency", "starts_on", "ends_on"]


class RoleAssignmentDeleteView(ObjectDeleteView):
    model = RoleAssignment
    success_url_name = "core:roleassignment_list"

    def delete(self, obj: Any) -> None:
        role_delete(assignment=obj)


class RoleAssignmentHistoryView(ObjectHistoryView):
    model = RoleAssignment


def _ra_url(self: RoleAssignment) -> str:
    return reverse("core:roleassignment_detail", args=[self.pk])


RoleAssignment.get_absolute_url = _ra_url  # type: ignore[attr-defined]


class HistorySearchView(ObjectListView):
    """Search every change in the partnership (business unit and Chair)."""

    model = ChangeLog
    title = "Change history"
    filterset_class = ChangeLogFilter
    template_name = "core/history_search.html"
    queryset = ChangeLog.objects.select_related("content_type")
    table = Table(
        [
            Column("at", "When"),
            Column("action", "Change"),
            Column("object_repr", "Record"),
            Column("content_type.name", "Type", sort="content_type__model"),
            Column("actor_repr", "By"),
            Column("source", "Through"),
            Column("reason", "Reason"),
        ]
    )
    ordering = ("-at", "-id")

    def extra_context(self) -> dict[str, Any]:
        return {}


class NotificationListView(LiftView):
    permission = "view"
    title = "Notifications"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        qs = Notification.objects.restrict(request.user, "view").order_by("-created_at")
        page = Paginator(qs, 25).get_page(request.GET.get("page"))
        return render(request, "core/notifications.html", {"title": self.title, "page_obj": page})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        qs = Notification.objects.restrict(request.user, "change").filter(read_at__isnull=True)
        wanted = request.POST.get("notification")
        if wanted and wanted != "all":
            qs = qs.filter(pk=wanted if wanted.isdigit() else 0)
        qs.update(read_at=timezone.now())
        return HttpResponseRedirect(reverse("core:notification_list"))


class AttachmentDownloadView(LiftView):
    """Serve a stored file only to someone who may view the object it belongs to."""

    permission = "view"

    def get(self, request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            attachment = Attachment.objects.select_related("content_type").get(
                pk=pk, partnership=self.partnership
            )
        except Attachment.DoesNotExist as exc:
            raise Http404 from exc
        subject_model = attachment.content_type.model_class()
        if (
            subject_model is None
            or not restricted(subject_model, request, "view")
            .filter(pk=attachment.object_id)
            .exists()
        ):
            raise Http404
        response = FileResponse(
            open_for_download(attachment.file),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.media_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


def safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
