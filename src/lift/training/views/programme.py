"""The programme, its approval, changes and priorities; the course catalogue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from lift.core.models import Attachment
from lift.core.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    allowed,
)
from lift.core.views.steps import StepView

from .. import selectors, services
from ..filters import CourseFilter
from ..forms import (
    CommissionForm,
    CourseEditForm,
    CourseForm,
    MaterialForm,
    PriorityLinkForm,
    ProgrammeApproveForm,
    ProgrammeChangeForm,
    ProgrammeForm,
)
from ..models import Commission, Course, Programme, TrainingSession
from ..tables import COURSE_TABLE, PROGRAMME_TABLE


class ProgrammeListView(ObjectListView):
    model = Programme
    table = PROGRAMME_TABLE
    ordering = ("-starts_on",)
    add_url_name = "training:programme_add"
    title = "Training programmes"
    intro = (
        "The annual multi-agency training programme, linked to the business plan priorities "
        "and approved by the Executive."
    )


class ProgrammeDetailView(ObjectDetailView):
    model = Programme
    template_name = "training/programme_detail.html"
    fields = [
        "year",
        "title",
        "summary",
        "starts_on",
        "ends_on",
        "status",
        "approved_by_body",
        "approved_on",
        "approval_reference",
    ]

    def extra_context(self) -> dict[str, Any]:
        p = self.object
        return {
            "themes": list(p.themes.all()),
            "priorities": list(p.priorities.prefetch_related("themes")),
            "changes": list(p.changes.select_related("course", "recorded_by")),
            "courses": list(p.courses.order_by("level", "title")),
            "needs": list(p.needs_assessments.all()),
            "can_approve": not p.is_approved and allowed(self.request, p, "approve"),
            "can_change": allowed(self.request, p, "change"),
        }


class ProgrammeCreateView(ObjectCreateView):
    model = Programme
    form_class = ProgrammeForm

    def save(self, form: forms.BaseForm) -> Programme:
        data = form.cleaned_data
        return services.programme_create(
            partnership=self.partnership,
            year=data["year"],
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            summary=data["summary"],
            themes=list(data["themes"]),
        )


class ProgrammeEditView(ObjectEditView):
    model = Programme
    form_class = ProgrammeForm

    def save(self, form: forms.BaseForm) -> Programme:
        return services.programme_update(
            programme=self.object,
            by=self.me,
            **{n: form.cleaned_data[n] for n in form.fields},
        )


class ProgrammeHistoryView(ObjectHistoryView):
    model = Programme


class ProgrammeApproveView(StepView):
    model = Programme
    permission = "approve"
    form_class = ProgrammeApproveForm
    title = "Record the Executive's approval"
    submit_label = "Record approval"
    success_message = "The approval is recorded."

    def check_step(self) -> None:
        if self.object.is_approved:
            raise Http404("Already approved.")

    def perform(self, form: forms.BaseForm) -> None:
        d = form.cleaned_data
        services.programme_approve(
            programme=self.object,
            by=self.me,
            approved_on=d["approved_on"],
            body=d["body"],
            reference=d["reference"],
        )


class ProgrammeChangeAddView(StepView):
    model = Programme
    permission = "change"
    form_class = ProgrammeChangeForm
    title = "Record a change to the programme"
    submit_label = "Record the change"
    success_message = "The change is recorded."

    def initial(self) -> dict[str, Any]:
        return {"changed_on": timezone.localdate()}

    def perform(self, form: forms.BaseForm) -> None:
        d = form.cleaned_data
        services.programme_change_record(
            programme=self.object,
            reason=d["reason"],
            description=d["description"],
            changed_on=d["changed_on"],
            by=self.me,
        )


class ProgrammePriorityAddView(StepView):
    model = Programme
    permission = "change"
    form_class = PriorityLinkForm
    title = "Link a business plan priority"
    submit_label = "Link the priority"
    success_message = "The priority is linked."

    def perform(self, form: forms.BaseForm) -> None:
        d = form.cleaned_data
        services.programme_link_priority(
            programme=self.object, title=d["title"], themes=list(d["themes"])
        )


class CourseListView(ObjectListView):
    model = Course
    queryset = Course.objects.select_related("programme")
    table = COURSE_TABLE
    filterset_class = CourseFilter
    ordering = ("level", "title")
    add_url_name = "training:course_add"
    title = "Course catalogue"


class CourseDetailView(ObjectDetailView):
    model = Course
    queryset = Course.objects.select_related("programme", "trainer_agency")
    template_name = "training/course_detail.html"
    fields = [
        "summary",
        "level",
        "format",
        "programme",
        "trainer_kind",
        "trainer_name",
        "trainer_agency",
        "duration_hours",
        "cost",
        "paid_by",
    ]

    def extra_context(self) -> dict[str, Any]:
        c = self.object
        user = self.request.user
        ct = ContentType.objects.get_for_model(Course)
        return {
            "outcomes": c.outcomes(),
            "themes": list(c.themes.all()),
            "findings": list(c.findings.restrict(user, "view")),
            "recommendations": list(c.recommendations.restrict(user, "view")),
            "sessions": list(
                selectors.with_places(c.sessions.restrict(user, "view")).order_by("-starts_on")[:30]
            ),
            "commissions": list(
                Commission.objects.restrict(user, "view")
                .filter(course=c)
                .select_related("requesting_agency")
            ),
            "materials": list(Attachment.objects.filter(content_type=ct, object_id=c.pk)),
            "cascades": c.cascades.restrict(user, "view").count()
            if c.is_train_the_trainer
            else None,
            "can_manage": allowed(self.request, c, "change"),
            "can_add_session": TrainingSession.access.allows(user, "add", self.partnership),
        }


class CourseCreateView(ObjectCreateView):
    model = Course
    form_class = CourseForm

    def save(self, form: forms.BaseForm) -> Course:
        d = form.cleaned_data
        return services.course_create(
            partnership=self.partnership,
            programme=d["programme"],
            title=d["title"],
            summary=d["summary"],
            level=d["level"],
            format=d["format"],
            learning_outcomes=d["learning_outcomes"],
            themes=list(d["themes"]),
            findings=list(d["findings"]),
            recommendations=list(d["recommendations"]),
            trainer_kind=d["trainer_kind"],
            trainer_name=d["trainer_name"],
            trainer_agency=d["trainer_agency"],
            duration_hours=d["duration_hours"],
            cost=d["cost"],
            paid_by=d["paid_by"],
            public=d["public"],
            by=self.me,
            change_reason=d.get("change_reason", ""),
        )


class CourseEditView(ObjectEditView):
    model = Course
    form_class = CourseEditForm

    def make_form(self, **kwargs: Any) -> forms.BaseForm:
        form = super().make_form(**kwargs)
        form.fields.pop("change_reason", None)
        return form

    def save(self, form: forms.BaseForm) -> Course:
        # Only the model's fields (the form's in-year change reason is not offered here).
        return services.course_update(
            course=self.object,
            by=self.me,
            **{n: form.cleaned_data[n] for n in form.fields},
        )


class CourseHistoryView(ObjectHistoryView):
    model = Course


class CommissionAddView(StepView):
    model = Course
    permission = "change"
    form_class = CommissionForm
    title = "Record a commission"
    intro = (
        "Level 3 specialist training is commissioned and fully funded by the requesting agencies."
    )
    submit_label = "Record the commission"
    success_message = "The commission is recorded."

    def check_step(self) -> None:
        if not Commission.access.allows(self.request.user, "add", self.partnership):
            raise PermissionDenied

    def perform(self, form: forms.BaseForm) -> None:
        d = form.cleaned_data
        services.commission_add(
            course=self.object,
            requesting_agency=d["requesting_agency"],
            funding_agreed=d["funding_agreed"],
            agreed_on=d["agreed_on"],
            invoice_reference=d["invoice_reference"],
        )


class MaterialAddView(StepView):
    model = Course
    permission = "change"
    form_class = MaterialForm
    title = "Add course or cascade materials"
    submit_label = "Upload"
    success_message = "The file is added."

    def perform(self, form: forms.BaseForm) -> None:
        services.course_material_add(
            course=self.object,
            uploaded_file=form.cleaned_data["file"],
            by=self.me,
            description=form.cleaned_data["description"],
        )
