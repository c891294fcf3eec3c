"""The learning lessons review referral pathway and its register."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied

from lift.core.tables import Column, Table
from lift.core.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    allowed,
)
from lift.core.views.steps import StepView

from .. import forms as f
from .. import services
from ..choices import ReferralDecision, ReferralSource
from ..models import Referral
from ..reference import reference


class ReferralFilter(django_filters.FilterSet):
    source_kind = django_filters.ChoiceFilter(choices=ReferralSource.choices, label="From")
    decision = django_filters.ChoiceFilter(choices=ReferralDecision.choices, label="Outcome")

    class Meta:
        model = Referral
        fields = ["source_kind", "decision"]


class ReferralListView(ObjectListView):
    model = Referral
    title = "Learning lessons review referrals"
    intro = "Cases referred to the Learning and Improvement sub-group, and what it decided."
    filterset_class = ReferralFilter
    add_url_name = "reviews:referral_add"
    queryset = Referral.objects.select_related("referrer", "referrer_agency", "review")
    table = Table(
        [
            Column("reference", "Reference", link=True),
            Column("pseudonym", "Child"),
            Column("source_kind", "From"),
            Column("referrer", "Referred by", sort="referrer__full_name"),
            Column("referred_on", "Referred"),
            Column("decision", "Outcome"),
            Column("review", "Review", sort=None),
        ]
    )
    ordering = ("-referred_on", "-pk")


class ReferralCreateView(ObjectCreateView):
    model = Referral
    form_class = f.ReferralForm
    title = "Refer a case for a learning lessons review"

    def check_allowed(self) -> None:
        user = self.request.user
        if not Referral.access.allows(
            user, "add", self.partnership, agency=getattr(user, "agency", None)
        ):
            raise PermissionDenied

    def initial(self) -> dict[str, Any]:
        return {}

    def save(self, form: Any) -> Referral:
        return services.referral_create(
            partnership=self.partnership, referrer=self.me, by=self.me, **form.cleaned_data
        )


class ReferralDetailView(ObjectDetailView):
    model = Referral
    template_name = "reviews/referral_detail.html"
    queryset = Referral.objects.select_related(
        "referrer", "referrer_agency", "review", "decided_by"
    )

    def summary(self) -> list[tuple[str, Any]]:
        r = self.object
        return [
            ("Child", r.pseudonym),
            ("From", r.get_source_kind_display()),
            ("Referred by", r.referrer),
            ("Agency", r.referrer_agency),
            ("Referred", r.referred_on),
            ("Reasons", r.reasons),
            ("Outcome", r.get_decision_display()),
            ("Decided", r.decided_on),
            ("Decided by", r.decided_by),
            ("Sub-group's reasons", r.decision_reasons),
            ("Methodology", reference().methodology_label(r.methodology) if r.methodology else ""),
        ]

    def extra_context(self) -> dict[str, Any]:
        r = self.object
        return {
            "can_decide": allowed(self.request, r, "decide")
            and r.decision == ReferralDecision.PENDING
        }


class ReferralHistoryView(ObjectHistoryView):
    model = Referral


class ReferralDecideView(StepView):
    model = Referral
    permission = "decide"
    form_class = f.ReferralDecideForm
    title = "Record the sub-group's decision"

    def perform(self, form: Any) -> Any:
        d = form.cleaned_data
        return services.referral_decide(
            referral=self.object,
            by=self.me,
            decision=d["decision"],
            reasons=d["reasons"],
            methodology=d["methodology"],
            decided_on=d["decided_on"],
        )
