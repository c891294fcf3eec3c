"""Reviews: the register, the review page, reviewers, panel, requests, contributions,
milestones, learning, the publication checklist and guard, and the dashboard."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.forms import modelform_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from lift.core.access import has_role
from lift.core.clocks import clocks_for
from lift.core.forms import DateInput
from lift.core.models import Attachment
from lift.core.roles import OVERSIGHT
from lift.core.tables import Column, Table
from lift.core.views.generic import (
    LiftView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    allowed,
)
from lift.core.views.steps import StepView
from lift.learning.selectors import chain_for
from lift.learning.services import action_create, finding_create, recommendation_create

from .. import forms as f
from .. import selectors, services
from ..choices import ReviewKind, ReviewStatus
from ..models import Decision, Milestone, Publication, Review, Reviewer
from ..reference import reference


class ReviewFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ReviewKind.choices, label="Type")
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label="Stage")

    class Meta:
        model = Review
        fields = ["kind", "status"]


class ReviewListView(ObjectListView):
    model = Review
    title = "Reviews"
    filterset_class = ReviewFilter
    add_url_name = "reviews:review_add"
    table = Table(
        [
            Column("title", "Review", link=True),
            Column("kind", "Type"),
            Column("status", "Stage"),
            Column("decided_on", "Decided"),
            Column("completed_on", "Final report"),
        ]
    )
    ordering = ("-decided_on", "-pk")


class ReviewCreateView(ObjectCreateView):
    model = Review
    form_class = f.ReviewCreateForm
    title = "Open a review"

    def initial(self) -> dict[str, Any]:
        return {}

    def save(self, form: Any) -> Review:
        return services.review_create(partnership=self.partnership, by=self.me, **form.cleaned_data)  # type: ignore[arg-type]


class ReviewDetailView(ObjectDetailView):
    model = Review
    template_name = "reviews/review_detail.html"
    queryset = Review.objects.select_related("incident", "publication")

    def summary(self) -> list[tuple[str, Any]]:
        r = self.object
        scope = ""
        if r.scope_from or r.scope_to:
            scope = (
                f"{r.scope_from:%-d %B %Y} to {r.scope_to:%-d %B %Y}"
                if r.scope_from and r.scope_to
                else ""
            )
        return [
            ("Type", r.get_kind_display()),
            ("Child", r.pseudonym),
            ("Incident", r.incident),
            ("Stage", r.get_status_display()),
            ("Decided", r.decided_on),
            ("Methodology", reference().methodology_label(r.methodology) if r.methodology else ""),
            ("Period under review", scope),
            ("Terms of reference", r.terms_of_reference),
            ("Joint with a DHR", r.joint_dhr),
            ("Final report agreed", r.completed_on),
        ]

    def may(self, action: str) -> bool:
        """The review's permissions from the person's (cached) role assignments: no query
        per permission (the object itself came through restrict())."""
        review: Review = self.object
        return Review.access.allows(
            self.request.user, action, review.partnership_id, case=review.incident
        )

    def extra_context(self) -> dict[str, Any]:
        review: Review = self.object
        stage, next_step = selectors.review_stage(review)
        publication: Publication | None = getattr(review, "publication", None)
        subjects: list[Any] = [review] if publication is None else [review, publication]
        clocks = selectors.clocks_of(subjects)
        can_change = self.may("change")
        chain = chain_for(self.request.user, review)
        return {
            "stage": stage,
            "next_step": next_step,
            "clocks": clocks,
            "reviewers": review.reviewers.select_related("override_by"),
            "panel": review.panel.filter(ended_on__isnull=True).select_related("person", "agency"),
            "requests": review.requests.select_related("agency"),
            "contributions": review.contributions.all(),
            "milestones": review.milestones.all(),
            "findings": chain.findings,
            "recommendations": chain.recommendations,
            "actions": chain.actions.select_related("owner_agency"),
            "publication": publication,
            "concerns": review.concerns.select_related("letter"),
            "attachments": Attachment.objects.filter(
                content_type=ContentType.objects.get_for_model(Review), object_id=review.pk
            ),
            "can_change": can_change,
            "can_appoint": self.may("appoint"),
            "can_override": self.may("override"),
            "can_publish": self.may("publish"),
            "guard_count": len(services.review_guard(review, publication)),
        }


class ReviewEditView(ObjectEditView):
    """Correct the review through `review_update`. Its decision date is offered unless the
    review was opened by the Chair's decision (corrected on the incident's page), so a
    corrected date moves the completion clock."""

    model = Review
    form_class = f.ReviewForm

    def get_form_class(self) -> Any:
        review: Review = self.object
        if review.incident_id and Decision.objects.filter(incident_id=review.incident_id).exists():
            return f.ReviewForm
        return modelform_factory(
            Review,
            form=f.ReviewForm,
            fields=[*f.ReviewForm.Meta.fields, "decided_on"],
            widgets={**f.ReviewForm.Meta.widgets, "decided_on": DateInput},  # type: ignore[dict-item]
        )

    def save(self, form: Any) -> Review:
        return services.review_update(
            review=self.object,
            by=self.request.user,  # type: ignore[arg-type]
            **{name: form.cleaned_data[name] for name in form.fields},
        )


class ReviewHistoryView(ObjectHistoryView):
    model = Review


class ReviewerAddView(StepView):
    model = Review
    permission = "appoint"
    form_class = f.ReviewerForm
    title = "Propose an independent reviewer"
    intro = (
        "Reviewers are independent of the case and of the agencies reviewed. "
        "Record any involvement they declare."
    )

    def perform(self, form: Any) -> Any:
        return services.reviewer_add(review=self.object, by=self.me, **form.cleaned_data)


class ReviewerAppointView(StepView):
    model = Reviewer
    permission = "change"
    form_class = f.DateDoneForm
    title = "Appoint the reviewer"
    submit_label = "Appoint"

    def perform(self, form: Any) -> Any:
        return services.reviewer_appoint(
            reviewer=self.object, appointed_on=form.cleaned_data["on"], by=self.me
        )


class ReviewerOverrideView(StepView):
    model = Reviewer
    permission = "view"
    form_class = f.ReasonForm
    title = "Override the declaration of involvement"
    intro = "Only the Chair can allow a reviewer who declared involvement to be appointed."
    submit_label = "Record the override"

    def check_step(self) -> None:
        """The override is the Chair's, a permission on the review."""
        if not self.can(self.object.review, "override"):
            raise PermissionDenied

    def perform(self, form: Any) -> Any:
        return services.reviewer_override(
            reviewer=self.object, reason=form.cleaned_data["reason"], by=self.me
        )


class PanelAddView(StepView):
    model = Review
    permission = "appoint"
    form_class = f.TeamMemberForm
    title = "Add a review panel member"
    intro = "Panel members join the case team and can see the restricted record."

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def perform(self, form: Any) -> Any:
        if self.object.incident is None:
            from django.core.exceptions import ValidationError

            raise ValidationError("This review has no incident, so no case team.")
        services.case_team_add(
            incident=self.object.incident,
            review=self.object,
            by=self.me,
            **form.cleaned_data,
        )
        return self.object


class ReviewRequestAddView(StepView):
    model = Review
    permission = "change"
    form_class = f.AgencyRequestForm
    title = "Ask an agency for a chronology or IMR"

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def perform(self, form: Any) -> Any:
        if self.object.incident is None:
            from django.core.exceptions import ValidationError

            raise ValidationError("This review has no incident to request information about.")
        services.agency_request_create(
            incident=self.object.incident,
            review=self.object,
            by=self.me,
            **form.cleaned_data,
        )
        return self.object


class ContributionAddView(StepView):
    model = Review
    permission = "change"
    form_class = f.ContributionForm
    title = "Record a family or child contribution"

    def perform(self, form: Any) -> Any:
        services.contribution_add(review=self.object, by=self.me, **form.cleaned_data)
        return self.object


class MilestoneAddView(StepView):
    model = Review
    permission = "change"
    form_class = f.MilestoneForm
    title = "Add a milestone"

    def perform(self, form: Any) -> Any:
        services.milestone_add(review=self.object, by=self.me, **form.cleaned_data)
        return self.object


class MilestoneDoneView(StepView):
    model = Milestone
    permission = "change"
    form_class = f.DateDoneForm
    title = "Record the milestone as done"

    def perform(self, form: Any) -> Any:
        from lift.reviews import rules

        rules.dates_not_in_future(done_on=form.cleaned_data["on"])
        self.object.done_on = form.cleaned_data["on"]
        self.object.full_clean()
        self.object.save()
        return self.object


class ReviewCompleteView(StepView):
    model = Review
    permission = "change"
    form_class = f.DateDoneForm
    title = "Record the final report as agreed"
    submit_label = "Record"

    def perform(self, form: Any) -> Any:
        return services.review_complete(
            review=self.object, completed_on=form.cleaned_data["on"], by=self.me
        )


class ReportUploadView(StepView):
    """Attach the report (or a draft) as a file; it is downloaded only by those who may see
    the review."""

    model = Review
    permission = "change"
    form_class = f.ReportUploadForm
    title = "Attach the report"
    submit_label = "Upload"

    def perform(self, form: Any) -> Any:
        from lift.core.files import attachment_create

        attachment_create(
            subject=self.object,
            uploaded_file=form.cleaned_data["file"],
            uploaded_by=self.me,
            description=form.cleaned_data["description"],
        )
        return self.object


class PublicationConcernView(StepView):
    """Alert the panel, at any time during the review, that its report may not be
    publishable: the concern is recorded and the letter generated as a draft to check,
    edit and send."""

    model = Review
    permission = "publish"
    form_class = f.PublicationConcernForm
    title = "Tell the panel publication may not be possible"
    intro = (
        "If at any time during the review the board comes to the view that its report may "
        "not be publishable, the panel is alerted. LIFT records the concern and writes the "
        "letter as a draft for you to check, edit and send."
    )
    submit_label = "Record the concern and write the letter"
    success_message = "The concern is recorded. Check the letter, then send it."

    def perform(self, form: Any) -> Any:
        return services.publication_concern_raise(
            review=self.object,
            concern=form.cleaned_data["concern"],
            raised_on=form.cleaned_data["raised_on"],
            by=self.me,
        )

    def success_url(self, result: Any) -> str:
        return str(result.letter.get_absolute_url())


class FindingAddView(StepView):
    model = Review
    permission = "change"
    form_class = f.FindingForm
    title = "Add a finding to the learning chain"

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        finding = finding_create(
            source=self.object,
            title=data["title"],
            text=data["text"],
            recorded_by=self.me,
        )
        if data["recommendation"]:
            recommendation_create(
                source=self.object, text=data["recommendation"], findings=[finding]
            )
        return self.object


class ActionAddView(StepView):
    model = Review
    permission = "change"
    form_class = f.ActionForm
    title = "Add an action to the action plan"

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def perform(self, form: Any) -> Any:
        action_create(source=self.object, **form.cleaned_data)
        return self.object


class GuardView(ObjectMixin):
    """The publication guard's findings: where each identifier is, with it masked."""

    model = Review
    permission = "publish"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = self.object
        publication = Publication.objects.filter(review=review).first()
        matches = services.review_guard(review, publication)
        return render(
            request,
            "reviews/guard.html",
            {"object": review, "title": "Publication guard", "matches": matches},
        )


class PublicationDecideView(StepView):
    model = Review
    permission = "publish"
    form_class = f.PublicationForm
    title = "Publication checklist"
    intro = (
        "Consider each question, then record the Board's decision. If the "
        "report is not published the national panel is told how each question "
        "was considered."
    )
    submit_label = "Record the decision"

    def perform(self, form: Any) -> Any:
        d = form.cleaned_data
        return services.publication_decide(
            review=self.object,
            by=self.me,
            answers=form.answers(),
            decision=d["decision"],
            decided_on=d["decided_on"],
            planned_on=d["planned_on"],
            public_summary=d["public_summary"],
        )


class PublicationDetailView(ObjectDetailView):
    model = Publication
    template_name = "reviews/publication_detail.html"

    def summary(self) -> list[tuple[str, Any]]:
        p = self.object
        rows: list[tuple[str, Any]] = [
            ("Review", p.review),
            ("Decision", p.get_decision_display()),
            ("Decided", p.decided_on),
            ("Planned publication", p.planned_on),
            ("Sent to the national panel", p.sent_to_panel_on),
            ("Published", p.published_on),
            ("Removed", p.removed_on),
        ]
        for q in reference().questions:
            rows.append((q.label, p.answers.get(q.key, "")))
        return rows

    def extra_context(self) -> dict[str, Any]:
        p = self.object
        return {
            "clocks": clocks_for(p),
            "can_publish": allowed(self.request, p.review, "publish"),
            "public_url": reverse("reviews:public_detail", args=[p.review.slug])
            if p.published_on and p.review.slug
            else "",
        }


class PublicationPublishView(StepView):
    model = Publication
    permission = "change"
    form_class = f.PublishForm
    title = "Publish the report"
    intro = (
        "The report, briefing and summary are checked for every identifier in "
        "the case's restricted record first."
    )
    submit_label = "Publish"

    def perform(self, form: Any) -> Any:
        return services.publication_publish(
            publication=self.object, by=self.me, **form.cleaned_data
        )


class PublicationRemoveView(StepView):
    model = Publication
    permission = "change"
    form_class = f.RemoveForm
    title = "Take the report off the public pages"
    submit_label = "Remove"

    def perform(self, form: Any) -> Any:
        return services.publication_remove(publication=self.object, by=self.me, **form.cleaned_data)


DASHBOARD_PAGE_SIZE = 25


class DashboardView(LiftView):
    """Every incident and review with clocks (overdue in red), stage, next step and owner."""

    permission = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        from ..models import Incident

        if not (
            Incident.access.allows_any(request.user, "view", self.partnership)
            or Review.access.allows_any(request.user, "view", self.partnership)
        ):
            raise PermissionDenied
        # Overdue first: a page of rows at a time keeps the page quick at any size.
        dash = selectors.dashboard_page(
            request.user, self.partnership, request.GET.get("page"), DASHBOARD_PAGE_SIZE
        )
        return render(
            request,
            "reviews/dashboard.html",
            {
                "title": "Review dashboard",
                "rows": dash.rows,
                "page_obj": dash.page,
                "total": dash.total,
                "overdue": dash.overdue,
                "forward_plan": (
                    selectors.forward_plan_items(self.partnership)
                    if has_role(request.user, self.partnership, OVERSIGHT)
                    else []
                ),
            },
        )
