"""Case pages: the list, notification by the coordinator, the case page (case number only),
the restricted record, agency reporting forms and the child death review meeting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.functional import cached_property

from lift.core.clocks import clocks_for
from lift.core.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    allowed,
    restricted,
)
from lift.core.views.steps import StepView
from lift.learning.models import Action, Recommendation
from lift.learning.selectors import chain_for

from .. import selectors, services
from ..filters import ChildDeathFilter
from ..forms import (
    AgencyReportRequestForm,
    CaseForm,
    IdentityForm,
    NotificationForm,
    ReviewMeetingForm,
)
from ..models import AgencyReport, ChildDeath, ChildDeathIdentity, ReviewMeeting
from ..reference import cdop_reference
from ..tables import CASE_TABLE


class ChildDeathListView(ObjectListView):
    model = ChildDeath
    queryset = ChildDeath.objects.select_related("meeting")
    table = CASE_TABLE
    filterset_class = ChildDeathFilter
    add_url_name = "cdop:childdeath_add"
    title = "Child deaths"
    intro = "Every child death notified to the panel, by case number."
    ordering = ("-notified_on", "-id")


class ChildDeathCreateView(ObjectCreateView):
    model = ChildDeath
    form_class = NotificationForm
    title = "Record a child death notification"
    template_name = "core/step.html"
    success_message = "Notification recorded."

    def render_form(self, form: forms.BaseForm, **extra: Any) -> HttpResponseBase:
        extra.setdefault("submit_label", "Record the notification")
        extra.setdefault("cancel_url", reverse("cdop:childdeath_list"))
        return super().render_form(form, **extra)

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.childdeath_notify(
            partnership=self.partnership,
            by=self.me,
            **form.cleaned_data,  # type: ignore[arg-type]
        )


class ChildDeathDetailView(ObjectDetailView):
    model = ChildDeath
    queryset = ChildDeath.objects.select_related("meeting", "partnership")
    template_name = "cdop/childdeath_detail.html"
    fields = [
        "notified_on",
        "notified_via",
        "year_of_death",
        "age_band",
        "sex",
        "expected",
        "status",
        "meeting",
    ]

    def summary(self) -> list[tuple[str, Any]]:
        rows = super().summary()
        obj = self.object
        ref = cdop_reference()
        if obj.joint_agency_response:
            criteria = "\n".join(ref.label(ref.jar_criteria, c) for c in obj.jar_criteria)
            rows += [
                ("Joint agency response", f"Needed:\n{criteria}"),
                ("Joint agency response started", obj.jar_started_on or ""),
                ("Joint agency response finished", obj.jar_completed_on or ""),
            ]
        else:
            rows.append(("Joint agency response", "Not needed"))
        if selectors.is_coordinator(self.request.user, obj.partnership):
            who = ", ".join(
                x
                for x in [
                    obj.notifier_name,
                    obj.notifier_role,
                    obj.notifier_organisation,
                    obj.notifier_email,
                    obj.notifier_phone,
                ]
                if x
            )
            rows.append(("Notified by", who))
        return rows

    def extra_context(self) -> dict[str, Any]:
        case = self.object
        user = self.request.user
        reports = list(selectors.reports_for(user, case))
        identity = ChildDeathIdentity.objects.restrict(user, "view").filter(case=case).first()
        analysis = getattr(case, "analysis", None)
        recommendations: list[Recommendation] = []
        actions: list[Action] = []
        if analysis is not None:
            chain = chain_for(user, analysis)
            recommendations = list(chain.recommendations)
            actions = list(chain.actions.select_related("owner_agency"))
        return {
            "identity": identity,
            "reports": reports,
            "may_see_reports": AgencyReport.access.allows(
                user, "view", case.partnership, case=case
            ),
            "comparison": selectors.comparison(reports),
            "review_meetings": restricted(ReviewMeeting, self.request, "view").filter(case=case),
            "analysis": analysis,
            "referrals": case.referrals.all(),
            "recommendations": recommendations,
            "actions": actions,
            "can_refer": allowed(self.request, case, "refer"),
            "can_export": allowed(self.request, case, "export"),
            "clocks": clocks_for(case, user=user),
        }


class ChildDeathEditView(ObjectEditView):
    model = ChildDeath
    form_class = CaseForm
    title = "Change the case"

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.childdeath_update(
            case=self.object,
            by=self.me,
            **form.cleaned_data,  # type: ignore[attr-defined]
        )


class ChildDeathHistoryView(ObjectHistoryView):
    """The case's history; the notifier's contact details only for the coordinator."""

    model = ChildDeath

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        from django.core.paginator import Paginator
        from django.shortcuts import render

        from lift.core import history

        obj = self.object
        may_see = selectors.is_coordinator(request.user, obj.partnership)
        page = Paginator(history.for_object(obj), 25).get_page(request.GET.get("page"))
        entries = [
            {"entry": e, "rows": history.display_changes(e, can_see_restricted=may_see)}
            for e in page.object_list
        ]
        context = {
            "view": self,
            "title": f"History: {obj}",
            "entries": entries,
            "page_obj": page,
            **self.object_context(),
        }
        return render(request, self.template_name, context)


class IdentityDetailView(ObjectDetailView):
    model = ChildDeathIdentity
    queryset = ChildDeathIdentity.objects.select_related("case")
    restricted_record = True
    template_name = "cdop/identity_detail.html"
    fields = [
        "first_name",
        "family_name",
        "date_of_birth",
        "date_of_death",
        "address",
        "postcode",
        "nhs_number",
        "circumstances",
    ]


class IdentityEditView(ObjectEditView):
    model = ChildDeathIdentity
    form_class = IdentityForm
    title = "Change the restricted record"

    def save(self, form: forms.BaseForm) -> models.Model:
        data = dict(form.cleaned_data)  # type: ignore[attr-defined]
        return services.identity_update(identity=self.object, by=self.me, **data)


class IdentityHistoryView(ObjectHistoryView):
    model = ChildDeathIdentity


# --- agency reporting forms ------------------------------------------------------------------


class AgencyReportRequestView(StepView):
    model = ChildDeath
    form_class = AgencyReportRequestForm
    title = "Ask an agency for its reporting form"
    intro = (
        "LIFT e-mails the contact a link to the form. The link works once, needs no account, "
        "and expires; only a hash of it is kept."
    )
    submit_label = "Send the link"
    success_message = "The link has been sent."

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.partnership}

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        services.agency_report_request(
            case=self.object,
            agency=data["agency"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            supplementary=data["supplementary"],
            due_on=data["due_on"],
            by=self.me,
        )
        return self.object


class AgencyReportDetailView(ObjectDetailView):
    model = AgencyReport
    queryset = AgencyReport.objects.select_related("case", "agency")
    template_name = "cdop/agencyreport_detail.html"
    fields = [
        "agency",
        "contact_name",
        "contact_email",
        "requested_on",
        "due_on",
        "status",
        "received_on",
        "completed_by",
    ]

    def extra_context(self) -> dict[str, Any]:
        report = self.object
        answers = [
            (label, report.answers.get(key, ""))
            for key, label, _hint, _limit in services.report_questions(report)
        ]
        return {"answers": answers}


class AgencyReportResendView(StepView):
    model = AgencyReport
    title = "Send a new link"
    intro = "The old link stops working and the contact gets a new one by e-mail."
    submit_label = "Send a new link"
    success_message = "A new link has been sent."

    def perform(self, form: Any) -> Any:
        report, _token = services.agency_report_resend(report=self.object, by=self.me)
        return report


class AgencyReportWithdrawView(StepView):
    model = AgencyReport
    title = "Stop asking this agency"
    intro = "The link stops working. The agency is no longer counted as outstanding."
    submit_label = "Withdraw the request"
    success_message = "The request was withdrawn."

    def perform(self, form: Any) -> Any:
        return services.agency_report_withdraw(report=self.object, by=self.me)


class AgencyReportHistoryView(ObjectHistoryView):
    model = AgencyReport


# --- the child death review meeting ------------------------------------------------------------


class ReviewMeetingRecordView(StepView):
    model = ChildDeath
    form_class = ReviewMeetingForm
    title = "Record the child death review meeting"
    success_message = "Review meeting recorded."

    def perform(self, form: Any) -> Any:
        return services.review_meeting_record(case=self.object, by=self.me, **form.cleaned_data)


class ReviewMeetingDetailView(ObjectDetailView):
    model = ReviewMeeting
    queryset = ReviewMeeting.objects.select_related("case")
    fields = ["held_on", "attendees", "summary", "issues_for_panel"]


class ReviewMeetingHistoryView(ObjectHistoryView):
    model = ReviewMeeting


class AgencyReportSendLinkView(StepView):
    """For the agency's safeguarding lead and the form's named contact (the to-do list's
    "send the reporting form"): have the link e-mailed again to the contact. Neither the
    form's answers nor the case's details are shown here."""

    model = AgencyReport
    permission = "send_link"
    template_name = "cdop/agencyreport_send_link.html"
    submit_label = "Send the link again"
    success_message = "A new link has been sent to the named contact. The old one no longer works."

    @cached_property
    def object(self) -> Any:
        """The one exception to ADR 0007's "view, then the action": the lead and the contact
        may send the link for a form they may not view, so the form is found among those
        they may send; someone who may view it but not send gets 403, anyone else 404."""
        pk = self.kwargs["pk"]
        rows = restricted(AgencyReport, self.request, "send_link").select_related("case", "agency")
        try:
            return rows.get(pk=pk)
        except (AgencyReport.DoesNotExist, ValueError) as exc:
            if restricted(AgencyReport, self.request, "view").filter(pk=pk).exists():
                raise PermissionDenied from exc
            raise Http404 from exc

    def cancel_url(self) -> str:
        return reverse("cdop:agencyreport_send_link", args=[self.object.pk])

    def get_title(self) -> str:
        return f"Send the child death reporting form for case {self.object.case.reference}"

    def extra_context(self) -> dict[str, Any]:
        # No link to the form's own page: the lead and the contact cannot open it.
        return {"object": None, "report": self.object}

    def perform(self, form: Any) -> Any:
        report, _token = services.agency_report_link_send(report=self.object, by=self.me)
        return report

    def success_url(self, result: Any) -> str:
        return reverse("cdop:agencyreport_send_link", args=[self.object.pk])
