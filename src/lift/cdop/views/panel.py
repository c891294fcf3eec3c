"""The panel: its meetings (cases and papers), the analysis (the former Form C), its
recommendations (learning chain) and referrals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models

from lift.core.models import Attachment
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
from lift.learning.selectors import chain_for

from .. import services
from ..choices import ReferralKind, ReferralStatus
from ..forms import (
    AnalysisForm,
    ChairDecisionForm,
    MeetingCaseForm,
    MeetingForm,
    MeetingMemberForm,
    PaperForm,
    RecommendationForm,
    ReferralForm,
)
from ..models import Analysis, CdopMeeting, CdopReferral, ChildDeath
from ..reference import cdop_reference
from ..tables import MEETING_TABLE

# --- meetings --------------------------------------------------------------------------------


class CdopMeetingListView(ObjectListView):
    model = CdopMeeting
    table = MEETING_TABLE
    add_url_name = "cdop:cdopmeeting_add"
    title = "CDOP meetings"
    ordering = ("-held_on", "-id")


class CdopMeetingCreateView(ObjectCreateView):
    model = CdopMeeting
    form_class = MeetingForm

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.cdopmeeting_create(
            partnership=self.partnership,
            by=self.me,
            **form.cleaned_data,  # type: ignore[arg-type]
        )


class CdopMeetingDetailView(ObjectDetailView):
    model = CdopMeeting
    template_name = "cdop/cdopmeeting_detail.html"
    fields = ["held_on", "title", "location", "notes"]

    def extra_context(self) -> dict[str, Any]:
        meeting = self.object
        cases = restricted(ChildDeath, self.request, "view").filter(meeting=meeting)
        papers = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(CdopMeeting), object_id=meeting.pk
        )
        return {
            "cases": cases.order_by("reference"),
            "papers": papers,
            "members": services.meeting_members(meeting),
        }


class CdopMeetingEditView(ObjectEditView):
    """Correct the meeting through `cdopmeeting_update`."""

    model = CdopMeeting
    form_class = MeetingForm

    def save(self, form: forms.BaseForm) -> CdopMeeting:
        return services.cdopmeeting_update(
            cdopmeeting=self.object, by=self.me, **{n: form.cleaned_data[n] for n in form.fields}
        )


class CdopMeetingHistoryView(ObjectHistoryView):
    model = CdopMeeting


class MeetingCaseAddView(StepView):
    model = CdopMeeting
    form_class = MeetingCaseForm
    title = "List a case for this meeting"
    submit_label = "List the case"
    success_message = "Case listed for the meeting."

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.partnership}

    def perform(self, form: Any) -> Any:
        services.meeting_case_add(meeting=self.object, case=form.cleaned_data["case"], by=self.me)
        return self.object


class MeetingMemberAddView(StepView):
    model = CdopMeeting
    form_class = MeetingMemberForm
    title = "Add a panel member"
    intro = (
        "Panel members see this meeting, its papers and its cases, including the child's "
        "restricted record (each read is logged)."
    )
    submit_label = "Add the member"
    success_message = "Panel member added."

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.partnership}

    def perform(self, form: Any) -> Any:
        services.meeting_member_add(
            meeting=self.object, person=form.cleaned_data["person"], by=self.me
        )
        return self.object


class MeetingPaperAddView(StepView):
    model = CdopMeeting
    form_class = PaperForm
    title = "Add a paper for the meeting"
    submit_label = "Upload"
    success_message = "Paper added."

    def perform(self, form: Any) -> Any:
        services.meeting_paper_attach(
            meeting=self.object,
            uploaded_file=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            by=self.me,
        )
        return self.object


# --- analysis --------------------------------------------------------------------------------


class AnalysisRecordView(StepView):
    """Record or correct the panel's analysis of a case."""

    model = ChildDeath
    form_class = AnalysisForm
    title = "The panel's analysis"
    submit_label = "Save the analysis"
    success_message = "Analysis saved."

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.partnership}

    def initial(self) -> dict[str, Any]:
        analysis = getattr(self.object, "analysis", None)
        if analysis is None:
            from django.utils import timezone

            return {"completed_on": timezone.localdate(), "meeting": self.object.meeting_id}
        data: dict[str, Any] = {
            "category": analysis.category,
            "modifiable": analysis.modifiable,
            "learning_points": analysis.learning_points,
            "completed_on": analysis.completed_on,
            "meeting": analysis.meeting_id,
            "factors": [f.code for f in analysis.factor_codes.all()],
            "modifiable_factors": [f.code for f in analysis.factor_codes.all() if f.modifiable],
        }
        for d in analysis.domains.all():
            data[f"score_{d.domain}"] = str(d.score)
            data[f"factors_{d.domain}"] = d.factors
        return data

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        return services.analysis_record(
            case=self.object,
            by=self.me,
            category=data["category"],
            modifiable=data["modifiable"],
            scores=form.scores(),
            domain_factors=form.domain_factors(),
            factors=data["factors"],
            modifiable_factors=data["modifiable_factors"],
            learning_points=data["learning_points"],
            completed_on=data["completed_on"],
            meeting=data["meeting"],
        )


class AnalysisDetailView(ObjectDetailView):
    model = Analysis
    queryset = Analysis.objects.select_related("case", "meeting")
    template_name = "cdop/analysis_detail.html"

    def summary(self) -> list[tuple[str, Any]]:
        a = self.object
        return [
            ("Case", a.case.reference),
            ("Category of death", a.category_label()),
            ("Modifiable factors", a.modifiable_label()),
            ("Learning points", a.learning_points),
            ("Completed", a.completed_on),
            ("CDOP meeting", a.meeting or ""),
        ]

    def extra_context(self) -> dict[str, Any]:
        a = self.object
        ref = cdop_reference()
        chain = chain_for(self.request.user, a)
        recs = list(chain.recommendations.prefetch_related("agencies"))
        scores = {s.value: s.label for s in ref.scores}
        return {
            "domains": [
                (ref.label(ref.domains, d.domain), d.score, scores.get(d.score, ""), d.factors)
                for d in a.domains.all()
            ],
            "factors": list(a.factor_codes.all()),
            "recommendations": recs,
            "actions": chain.actions.select_related("owner_agency"),
        }


class AnalysisHistoryView(ObjectHistoryView):
    model = Analysis


class AnalysisRecommendView(StepView):
    model = Analysis
    form_class = RecommendationForm
    title = "Add a recommendation"
    intro = (
        "The recommendation and its action go into the learning chain, where the Board "
        "tracks them through the Chair."
    )
    submit_label = "Add the recommendation"
    success_message = "Recommendation added."

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.partnership}

    def perform(self, form: Any) -> Any:
        d = form.cleaned_data
        services.analysis_recommend(
            analysis=self.object,
            text=d["text"],
            agencies=d["agencies"],
            action_title=d["action_title"],
            owner_agency=d["owner_agency"],
            due_on=d["due_on"],
            success_measure=d["success_measure"],
            by=self.me,
        )
        return self.object


# --- referrals -------------------------------------------------------------------------------


class ReferralCreateView(StepView):
    model = ChildDeath
    permission = "refer"
    form_class = ReferralForm
    title = "Refer the case"
    submit_label = "Make the referral"
    success_message = "Referral made."

    def perform(self, form: Any) -> Any:
        return services.cdop_referral_create(
            case=self.object,
            kind=form.cleaned_data["kind"],
            reasons=form.cleaned_data["reasons"],
            by=self.me,
        )


class ReferralDetailView(ObjectDetailView):
    model = CdopReferral
    queryset = CdopReferral.objects.select_related("case", "referred_by")
    template_name = "cdop/cdopreferral_detail.html"
    fields = [
        "kind",
        "reasons",
        "referred_on",
        "referred_by",
        "status",
        "chair_outcome",
        "chair_decided_on",
    ]

    def extra_context(self) -> dict[str, Any]:
        r = self.object
        return {
            "can_decide": r.kind == ReferralKind.CHAIR
            and r.status == ReferralStatus.AWAITING_CHAIR
            and allowed(self.request, r, "decide"),
        }


class ReferralDecideView(StepView):
    model = CdopReferral
    permission = "decide"
    form_class = ChairDecisionForm
    title = "Record your decision on the referral"
    submit_label = "Record the decision"
    success_message = "Decision recorded."

    def perform(self, form: Any) -> Any:
        return services.cdop_referral_chair_decide(
            referral=self.object, outcome=form.cleaned_data["outcome"], by=self.me
        )


class ReferralHistoryView(ObjectHistoryView):
    model = CdopReferral
