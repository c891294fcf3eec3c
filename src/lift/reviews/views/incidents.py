"""Serious incidents: the register, the incident page, its case team and restricted record,
meetings, the joint DHR, agency requests and the rapid review."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property

from lift.core import history
from lift.core.clocks import clocks_for
from lift.core.forms import DateInput
from lift.core.reference import regime
from lift.core.tables import Column, Table
from lift.core.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    allowed,
    model_form,
    restricted,
)
from lift.core.views.steps import StepView

from .. import forms as f
from .. import services
from ..choices import IncidentType
from ..models import (
    AgencyRequest,
    CaseTeamMember,
    ChildIdentity,
    Decision,
    ImrFile,
    Incident,
    RapidReview,
)
from ..reference import reference
from ..selectors import incident_stage


def in_case_team(request: HttpRequest, incident: Incident) -> bool:
    return ChildIdentity.access.allows(request.user, "view", incident.partnership, case=incident)


def may_quality_assure(request: HttpRequest, agency_request: AgencyRequest) -> bool:
    """Quality assurance of an agency's return is the business unit's (who may change the
    incident) or the case team's, not the agency's own."""
    incident = agency_request.incident
    return allowed(request, incident, "change") or in_case_team(request, incident)


class IncidentFilter(django_filters.FilterSet):
    incident_type = django_filters.ChoiceFilter(choices=IncidentType.choices, label="Type")
    aware_from = django_filters.DateFilter(
        field_name="became_aware_on", lookup_expr="gte", label="Aware from", widget=DateInput
    )
    open = django_filters.BooleanFilter(field_name="closed_on", lookup_expr="isnull", label="Open")

    class Meta:
        model = Incident
        fields = ["incident_type", "aware_from", "open"]


def _decision(incident: Incident) -> str:
    decision = getattr(incident, "decision", None)
    return decision.get_outcome_display() if decision else "Not decided"


class IncidentListView(ObjectListView):
    model = Incident
    title = "Serious incidents"
    intro = (
        "Every serious incident notified, by pseudonym. Real identifiers are in "
        "each case's restricted record."
    )
    filterset_class = IncidentFilter
    add_url_name = "reviews:incident_add"
    queryset = Incident.objects.select_related("decision")
    table = Table(
        [
            Column("reference", "Reference", link=True),
            Column("pseudonym", "Child"),
            Column("incident_type", "Type"),
            Column("became_aware_on", "Became aware"),
            Column("notified_on", "Notified"),
            Column("decision", "Decision", value=_decision),
        ]
    )
    ordering = ("-became_aware_on", "-pk")

    def can_add(self) -> bool:
        return services.may_record_incident(self.request.user, self.partnership)  # type: ignore[arg-type]


class IncidentCreateView(ObjectCreateView):
    model = Incident
    form_class = f.IncidentForm
    title = "Record a serious incident"

    def check_allowed(self) -> None:
        if not services.may_record_incident(self.request.user, self.partnership):  # type: ignore[arg-type]
            raise PermissionDenied

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def initial(self) -> dict[str, Any]:
        return {}

    def save(self, form: Any) -> Incident:
        return services.incident_create(
            partnership=self.partnership, by=self.me, **form.cleaned_data
        )  # type: ignore[arg-type]


class IncidentDetailView(ObjectDetailView):
    model = Incident
    template_name = "reviews/incident_detail.html"
    queryset = Incident.objects.select_related("owner", "recorded_by", "decision", "rapid_review")

    def summary(self) -> list[tuple[str, Any]]:
        i = self.object
        crit = reference().for_regime(i.regime)
        return [
            ("Child", i.pseudonym),
            ("Type", i.get_incident_type_display()),
            ("Date of the incident", i.incident_on),
            ("Became aware", i.became_aware_on),
            ("Notified", i.notified_on),
            ("Criteria met", "\n".join(crit.label(k) for k in i.criteria) or "None recorded"),
            ("Agencies involved", ", ".join(a.name for a in i.agencies.all())),
            ("What happened", i.summary),
            ("Owner", i.owner),
        ]

    def extra_context(self) -> dict[str, Any]:
        incident: Incident = self.object
        request = self.request
        wording = regime(incident.partnership.regime).wording
        stage, next_step, owner = incident_stage(incident)
        decision = Decision.objects.filter(incident=incident).first()
        clocks = list(clocks_for(incident))
        if decision is not None:
            clocks += list(clocks_for(decision))
        return {
            "wording": wording,
            "stage": stage,
            "next_step": next_step,
            "stage_owner": owner,
            "clocks": clocks,
            "decision": decision,
            "decision_reasons": [
                (reference().for_regime(incident.regime).label(k), v)
                for k, v in (decision.criteria_reasons if decision else {}).items()
            ],
            "meetings": incident.meetings.all(),
            "letters": incident.letters.all(),
            "replies": incident.replies.all(),
            "requests": incident.requests.select_related("agency"),
            "reviews": incident.reviews.all(),
            "rapid_review": RapidReview.objects.filter(incident=incident).first(),
            "dhr": getattr(incident, "dhr", None) if hasattr(incident, "dhr") else None,
            "in_team": in_case_team(request, incident),
            "can_decide": allowed(request, incident, "decide") and decision is None,
            "can_correct_decision": decision is not None and allowed(request, incident, "decide"),
            "can_correspond": allowed(request, incident, "correspond"),
            "can_team": allowed(request, incident, "team"),
        }


class IncidentEditView(ObjectEditView):
    """Correct the incident through `incident_update`, so a corrected date moves the clocks
    that count from it. The notification date is offered once recorded (it is first given
    on the notify page)."""

    model = Incident
    fields = ["pseudonym", "incident_type", "incident_on", "became_aware_on", "summary", "owner"]

    def get_form_class(self) -> Any:
        fields = list(self.fields or [])
        if self.object.notified_on:
            fields.append("notified_on")
        return model_form(Incident, fields)

    def make_form(self, **kwargs: Any) -> Any:
        form = super().make_form(**kwargs)
        if "notified_on" in form.fields:
            form.fields["notified_on"].required = True
        return form

    def save(self, form: Any) -> Incident:
        data = form.cleaned_data
        return services.incident_update(
            incident=self.object,
            by=self.request.user,  # type: ignore[arg-type]
            notified_on=data.get("notified_on"),
            **{name: data[name] for name in self.fields or []},
        )


class DecisionDateEditView(StepView):
    """Correct the date of the Chair's decision (`decision_update`): the clocks counting
    from it move."""

    model = Incident
    permission = "decide"
    form_class = f.DecisionDateForm
    title = "Correct the date of the decision"
    intro = (
        "The review's completion clock, or the letter to the national panel, counts from this "
        "date: correcting it moves their due dates."
    )
    submit_label = "Save the date"
    success_message = "The date of the decision is corrected."

    @cached_property
    def decision(self) -> Decision:
        decision = Decision.objects.filter(incident=self.object).first()
        if decision is None:
            raise Http404("No decision is recorded on this incident.")
        return decision

    def check_step(self) -> None:
        _ = self.decision

    def initial(self) -> dict[str, Any]:
        return {"decided_on": self.decision.decided_on}

    def perform(self, form: Any) -> Any:
        return services.decision_update(
            decision=self.decision, by=self.me, decided_on=form.cleaned_data["decided_on"]
        )

    def success_url(self, result: Any) -> str:
        return str(self.object.get_absolute_url())


class IncidentHistoryView(ObjectHistoryView):
    model = Incident


class IncidentNotifyView(StepView):
    model = Incident
    permission = "change"
    form_class = f.NotifyForm
    title = "Record the notification"
    success_message = "The notification date is recorded."

    def perform(self, form: Any) -> Any:
        return services.incident_notify(incident=self.object, by=self.me, **form.cleaned_data)


# --- case team and restricted record ------------------------------------------------------


class IncidentTeamView(StepView):
    """The case team: who may see the restricted record. The business unit adds people."""

    model = Incident
    permission = "view"
    form_class = f.TeamMemberForm
    template_name = "reviews/incident_team.html"
    submit_label = "Add to the case team"
    success_message = "Added to the case team."

    title = "Case team"

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    @cached_property
    def can_team(self) -> bool:
        return self.may("team")

    def check_step(self) -> None:
        """The case team and those who manage it see the page; only the latter add."""
        if self.request.method == "POST" and not self.can_team:
            raise PermissionDenied
        if not (self.can_team or in_case_team(self.request, self.object)):
            raise PermissionDenied

    def extra_context(self) -> dict[str, Any]:
        return {
            "members": CaseTeamMember.objects.filter(
                incident=self.object, ended_on__isnull=True
            ).select_related("person", "review"),
            "can_team": self.can_team,
        }

    def perform(self, form: Any) -> Any:
        services.case_team_add(incident=self.object, by=self.me, **form.cleaned_data)
        return None

    def success_url(self, result: Any) -> str:
        return reverse("reviews:incident_team", args=[self.object.pk])


class TeamMemberRemoveView(StepView):
    model = CaseTeamMember
    permission = "change"
    form_class = f.ReasonForm
    title = "Remove from the case team"
    submit_label = "Remove"
    success_message = "Removed from the case team."

    def perform(self, form: Any) -> Any:
        return services.case_team_remove(
            member=self.object, by=self.me, reason=form.cleaned_data["reason"]
        )


class RestrictedRecordListView(ObjectMixin):
    """The children in the notification, by pseudonym, for the case team only."""

    model = Incident
    permission = "view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = self.object
        if not in_case_team(request, incident):
            raise PermissionDenied
        identities = ChildIdentity.objects.restrict(request.user, "view").filter(incident=incident)
        return render(
            request,
            "reviews/restricted_list.html",
            {"object": incident, "title": "Restricted record", "identities": identities},
        )


class ChildIdentityCreateView(StepView):
    model = Incident
    permission = "view"
    form_class = f.ChildIdentityForm  # type: ignore[assignment]
    title = "Add a child to the restricted record"
    intro = "Only the case team can see these details. Each time someone opens them it is logged."
    success_message = "Added to the restricted record."

    def check_step(self) -> None:
        if not in_case_team(self.request, self.object):
            raise PermissionDenied

    def perform(self, form: Any) -> Any:
        return services.identity_create(incident=self.object, by=self.me, **form.cleaned_data)


IDENTITY_FIELDS = [
    "pseudonym",
    "is_subject",
    "relationship",
    "full_name",
    "other_names",
    "date_of_birth",
    "address",
    "postcode",
    "nhs_number",
    "other_identifiers",
]


class ChildIdentityDetailView(ObjectDetailView):
    model = ChildIdentity
    restricted_record = True
    fields = IDENTITY_FIELDS
    template_name = "reviews/childidentity_detail.html"


class ChildIdentityEditView(ObjectEditView):
    model = ChildIdentity
    fields = IDENTITY_FIELDS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        history.record_access(request.user, self.object, purpose="edit", path=request.path)
        return super().get(request, *args, **kwargs)  # type: ignore[return-value]

    def save(self, form: Any) -> ChildIdentity:
        return services.identity_update(
            identity=self.object, by=self.me, **{n: form.cleaned_data[n] for n in self.fields or []}
        )


class ChildIdentityHistoryView(ObjectHistoryView):
    model = ChildIdentity


# --- meetings, DHR, replies -------------------------------------------------------------


class MeetingCreateView(StepView):
    model = Incident
    permission = "correspond"
    form_class = f.MeetingForm
    title = "Record the information-sharing meeting"

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def perform(self, form: Any) -> Any:
        return services.meeting_create(incident=self.object, by=self.me, **form.cleaned_data)


class JointDhrCreateView(StepView):
    model = Incident
    permission = "correspond"
    form_class = f.DhrForm
    title = "Record the joint Domestic Homicide Review decision"
    intro = (
        "When an incident involves the murder of an adult and a child and meets the criteria "
        "for both reviews, the Community Safety Partnership Board chair decides on the DHR and "
        "the chairs agree joint or separate panels and reports."
    )

    def perform(self, form: Any) -> Any:
        return services.joint_dhr_record(incident=self.object, by=self.me, **form.cleaned_data)


class JointDhrReportView(StepView):
    """Put the joint panel's report on a governance meeting's agenda (the six-monthly joint
    CSP / Executive meeting)."""

    model = Incident
    permission = "correspond"
    title = "Report to the joint CSP / Executive meeting"
    submit_label = "Add to the agenda"

    def get_form_class(self) -> Any:
        try:
            from lift.governance.models import Meeting
        except ImportError as exc:  # governance not built
            raise Http404 from exc
        from django import forms
        from django.utils import timezone

        meetings = Meeting.objects.filter(
            partnership=self.partnership, starts_at__gte=timezone.now()
        ).select_related("board")

        class MeetingChoiceForm(forms.Form):
            meeting = forms.ModelChoiceField(queryset=meetings, label="Which meeting?")

        return MeetingChoiceForm

    def check_step(self) -> None:
        self._dhr()

    def _dhr(self) -> Any:
        dhr = getattr(self.object, "dhr", None) if hasattr(self.object, "dhr") else None
        if dhr is None:
            raise Http404("No joint DHR is recorded for this incident.")
        return dhr

    def perform(self, form: Any) -> Any:
        services.joint_dhr_report_to_meeting(
            dhr=self._dhr(), meeting=form.cleaned_data["meeting"], by=self.me
        )
        return self.object


class ReplyCreateView(StepView):
    model = Incident
    permission = "correspond"
    form_class = f.ReplyForm
    title = "Record a reply or request from the national panel"

    def perform(self, form: Any) -> Any:
        return services.panel_reply_record(incident=self.object, by=self.me, **form.cleaned_data)


# --- agency requests and rapid review ---------------------------------------------------


class AgencyRequestCreateView(StepView):
    model = Incident
    permission = "change"
    form_class = f.AgencyRequestForm
    title = "Ask an agency for a return, chronology or IMR"

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def perform(self, form: Any) -> Any:
        review = None
        review_id = self.request.GET.get("review")
        if review_id:
            review = self.object.reviews.filter(pk=review_id).first()
        return services.agency_request_create(
            incident=self.object, review=review, by=self.me, **form.cleaned_data
        )


class AgencyRequestDetailView(ObjectDetailView):
    model = AgencyRequest
    fields = [
        "agency",
        "kind",
        "requested_on",
        "due_on",
        "received_on",
        "quality_assured_on",
        "notes",
    ]
    template_name = "reviews/agencyrequest_detail.html"

    def summary(self) -> list[tuple[str, Any]]:
        return [
            ("Case", self.object.incident),
            ("State", self.object.get_state_display()),
            *super().summary(),
        ]

    def extra_context(self) -> dict[str, Any]:
        request_obj = self.object
        documents = request_obj.kind in services.AGENCY_DOCUMENTS
        files = (
            restricted(ImrFile, self.request, "view")
            .filter(request=request_obj)
            .select_related("attachment", "uploaded_by")
            if documents
            else ImrFile.objects.none()
        )
        return {
            "can_change": self.may("change"),
            "can_quality_assure": may_quality_assure(self.request, request_obj),
            "documents": documents,
            "files": list(files),
            "can_upload": documents
            and not request_obj.quality_assured_on
            and allowed(self.request, request_obj, "upload"),
            "can_submit": documents
            and not request_obj.received_on
            and allowed(self.request, request_obj, "submit"),
            "can_nominate": documents and allowed(self.request, request_obj, "nominate"),
        }


class ImrAuthorView(StepView):
    """The agency's safeguarding lead names the IMR's author."""

    model = AgencyRequest
    permission = "nominate"
    form_class = f.ImrAuthorForm
    title = "Name the IMR author"
    submit_label = "Save"

    def form_kwargs(self) -> dict[str, Any]:
        return {"request_obj": self.object}

    def perform(self, form: Any) -> Any:
        return services.imr_author_nominate(
            request=self.object, author=form.cleaned_data["author"], by=self.me
        )


class ImrFileUploadView(StepView):
    """Upload a file of the agency's IMR or chronology."""

    model = AgencyRequest
    permission = "upload"
    form_class = f.ImrFileForm
    title = "Upload a file"
    intro = (
        "Only the business unit, the case team, your agency's safeguarding lead and the IMR "
        "author can download it."
    )
    submit_label = "Upload"
    success_message = "Uploaded."

    def perform(self, form: Any) -> Any:
        services.imr_file_add(
            request=self.object,
            uploaded_file=form.cleaned_data["file"],
            by=self.me,
            description=form.cleaned_data["description"],
        )
        return self.object


class ImrSubmitView(StepView):
    """The agency submits its IMR: recorded as received for quality assurance."""

    model = AgencyRequest
    permission = "submit"
    title = "Submit the IMR"
    intro = "The business unit is told it has been received and quality assures it."
    submit_label = "Submit"
    success_message = "Submitted."

    def perform(self, form: Any) -> Any:
        return services.imr_submit(request=self.object, by=self.me)


class AgencyRequestReceiveView(StepView):
    model = AgencyRequest
    form_class = f.DateDoneForm
    title = "Record that it was received"

    def perform(self, form: Any) -> Any:
        return services.agency_request_receive(
            request=self.object, received_on=form.cleaned_data["on"], by=self.me
        )


class AgencyRequestQualityView(StepView):
    model = AgencyRequest
    form_class = f.DateDoneForm
    title = "Record that it was quality assured"

    def check_step(self) -> None:
        if not may_quality_assure(self.request, self.object):
            raise PermissionDenied

    def perform(self, form: Any) -> Any:
        return services.agency_request_quality_assure(
            request=self.object, on=form.cleaned_data["on"], by=self.me
        )


class RapidReviewStartView(StepView):
    model = Incident
    permission = "change"
    title = "Start the rapid review"
    intro = (
        "A return (chronology, agency involvement, immediate safety actions) "
        "will be requested from each involved agency."
    )
    submit_label = "Start the rapid review"

    def perform(self, form: Any) -> Any:
        return services.rapid_review_start(incident=self.object, by=self.me)


class RapidReviewDetailView(ObjectDetailView):
    model = RapidReview
    template_name = "reviews/rapidreview_detail.html"
    fields = [
        "meeting_on",
        "facts",
        "immediate_actions",
        "learning",
        "recommendation",
        "recommendation_reasons",
        "sent_to_panel_on",
        "panel_response",
        "panel_response_on",
        "panel_response_notes",
    ]

    def extra_context(self) -> dict[str, Any]:
        rr = self.object
        return {
            "clocks": clocks_for(rr.incident, rule="rapid-review"),
            "requests": rr.incident.requests.filter(kind="rapid_review_return").select_related(
                "agency"
            ),
        }


class RapidReviewEditView(ObjectEditView):
    model = RapidReview
    form_class = f.RapidReviewForm

    def save(self, form: Any) -> RapidReview:
        return services.rapid_review_update(
            rapid_review=self.object,
            by=self.me,
            **{n: form.cleaned_data[n] for n in form.fields},
        )


class RapidReviewHistoryView(ObjectHistoryView):
    model = RapidReview


class RapidReviewSendView(StepView):
    model = RapidReview
    form_class = f.RapidReviewSendForm
    title = "Send the rapid review to the Panel"
    submit_label = "Record as sent"

    def perform(self, form: Any) -> Any:
        return services.rapid_review_send(rapid_review=self.object, by=self.me, **form.cleaned_data)


class RapidReviewResponseView(StepView):
    model = RapidReview
    form_class = f.PanelResponseForm
    title = "Record the Panel's response"

    def perform(self, form: Any) -> Any:
        return services.rapid_review_panel_response(
            rapid_review=self.object, by=self.me, **form.cleaned_data
        )
