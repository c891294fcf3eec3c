"""Auditing: assignments, the declaration of no previous involvement, and returns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.functional import cached_property

from lift.core.history import record_access
from lift.core.roles import R
from lift.core.views.generic import (
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    allowed,
    restricted,
)
from lift.core.views.steps import StepView

from .. import rules, services
from ..choices import YES_NO_PARTLY, AnswerType, Declaration, ReturnStatus
from ..filters import AssignmentFilter
from ..forms import (
    AssignmentForm,
    DeclarationForm,
    NoteForm,
    ReasonForm,
    ReturnSectionForm,
    ReturnSummaryForm,
)
from ..models import Assignment, Audit, AuditReturn, CaseIdentity, TemplateSection
from ..tables import ASSIGNMENT_TABLE
from .common import require
from .multi import people_with_roles


class AssignmentListView(ObjectListView):
    model = Assignment
    queryset = Assignment.objects.select_related(
        "case", "audit", "agency", "auditor", "audit_return"
    )
    table = ASSIGNMENT_TABLE
    filterset_class = AssignmentFilter
    ordering = ("due_on", "pk")
    title = "Audit assignments"
    intro = "Cases you have been asked to audit, and (for audit teams and leads) their progress."


class AssignmentAddView(StepView):
    model = Audit
    permission = "view"
    form_class = AssignmentForm
    title = "Assign an auditor to a case"
    intro = (
        "Each agency's auditors audit their own agency's work. The auditor declares whether they "
        "have had any previous involvement before they see the case."
    )
    submit_label = "Assign"
    success_message = "Auditor assigned."

    def check_step(self) -> None:
        a = self.object
        require(Assignment.access.allows(self.request.user, "add", a.partnership, case=a))

    def form_kwargs(self) -> dict[str, Any]:
        a = self.object
        auditors = people_with_roles(a.partnership, {R.AUDITOR, R.SAFEGUARDING_LEAD}).filter(
            role_assignments__agency__in=a.agencies.all()
        )
        return {"audit": a, "auditors": auditors.distinct()}

    def initial(self) -> dict[str, Any]:
        return {"due_on": self.object.returns_due_on}

    def perform(self, form: forms.BaseForm) -> str:
        d = form.cleaned_data
        services.assignment_create(
            case=d["case"],
            agency=d["agency"],
            auditor=d["auditor"],
            due_on=d["due_on"],
            by=self.me,
        )
        return str(self.object.get_absolute_url())


class AssignmentDetailView(ObjectDetailView):
    """For the auditor: the declaration first; once cleared, the case and the return. For
    the audit team and leads: the assignment's progress."""

    model = Assignment
    queryset = Assignment.objects.select_related(
        "audit", "case", "agency", "auditor", "audit_return"
    )
    template_name = "audits/assignment_detail.html"

    def summary(self) -> list[tuple[str, Any]]:
        x = self.object
        return [
            ("Audit", x.audit.title),
            ("Case", x.case.reference),
            ("Agency", x.agency.name),
            ("Auditor", x.auditor.full_name),
            ("Declaration", x.get_declaration_display()),
            ("Return due", f"{x.due_on:%-d %B %Y}" if x.due_on else "Not set"),
            ("Return", x.audit_return.get_status_display()),
        ]

    def extra_context(self) -> dict[str, Any]:
        x = self.object
        mine = x.auditor_id == self.request.user.pk
        cleared = x.declaration == Declaration.CLEARED
        return {
            "mine": mine,
            "cleared": cleared,
            "awaiting": x.declaration == Declaration.AWAITING,
            "blocked": x.declaration == Declaration.BLOCKED,
            # The case is shown to the auditor only once they have declared no involvement.
            "case": x.case if (cleared or not mine) else None,
            "identity": (
                restricted(CaseIdentity, self.request, "view").filter(case=x.case).first()
                if cleared and mine
                else None
            ),
            "return_url": x.audit_return.get_absolute_url()
            if (cleared or not mine) and allowed(self.request, x.audit_return, "view")
            else None,
        }


class AssignmentDeclareView(StepView):
    """The declaration of no previous involvement. Shows who the child is (name and date of
    birth only, the read logged) so the auditor can tell whether they know the family; the
    case itself is shown only once they declare none."""

    model = Assignment
    permission = "declare"
    queryset = Assignment.objects.select_related("case", "audit", "agency")
    form_class = DeclarationForm
    title = "Declare any previous involvement"
    intro = (
        "Auditors audit cases in which they have had no previous involvement. Tell us "
        "whether you have worked with this child or their family before. You will see the "
        "case only after you declare no involvement."
    )
    submit_label = "Confirm declaration"
    success_message = "Declaration recorded."

    def check_step(self) -> None:
        if self.object.declaration != Declaration.AWAITING:
            raise Http404("This declaration has been made.")

    @cached_property
    def identity(self) -> CaseIdentity | None:
        return CaseIdentity.objects.filter(case=self.object.case).first()

    def summary(self) -> list[tuple[str, Any]]:
        x = self.object
        rows: list[tuple[str, Any]] = [
            ("Audit", x.audit.title),
            ("Case", x.case.reference),
            ("Your agency", x.agency.name),
        ]
        identity = self.identity
        if identity is not None:
            if self.request.method == "GET":
                record_access(
                    self.request.user, identity, purpose="involvement check", path=self.request.path
                )
            rows += [
                ("Child's name", identity.full_name),
                (
                    "Date of birth",
                    f"{identity.date_of_birth:%-d %B %Y}" if identity.date_of_birth else "",
                ),
            ]
        return rows

    def perform(self, form: forms.BaseForm) -> str:
        d = form.cleaned_data
        x = services.assignment_declare(
            assignment=self.object,
            by=self.me,
            involved=d["involved"],
            details=d["details"],
        )
        return str(x.get_absolute_url())


class AssignmentHistoryView(ObjectHistoryView):
    model = Assignment


# --- returns ------------------------------------------------------------------------------


def _answer_text(question: Any, value: str) -> str:
    if question.answer_type == AnswerType.YES_NO_PARTLY:
        return str(dict(YES_NO_PARTLY).get(value, value))
    return value


class ReturnMixin(ObjectMixin):
    model = AuditReturn
    queryset = AuditReturn.objects.select_related("audit__template", "case", "agency")

    def sections(self) -> list[dict[str, Any]]:
        r = self.object
        template = r.audit.template
        if template is None:
            return []
        answers = {a.question_id: a.answer for a in r.answers.all()}
        grades = {g.section_id: g for g in r.grades.select_related("grade")}
        out = []
        for s in template.sections.prefetch_related("questions"):
            out.append(
                {
                    "section": s,
                    "questions": [
                        {"q": q, "answer": _answer_text(q, answers.get(q.pk, ""))}
                        for q in s.questions.all()
                    ],
                    "grade": grades.get(s.pk),
                }
            )
        return out

    def check_cleared(self) -> None:
        """An assigned auditor must have declared no involvement (the team may always)."""
        for x in self.object.assignments.filter(auditor=self.request.user.pk):
            if x.declaration != Declaration.CLEARED:
                raise Http404("Declare no previous involvement first.")


class ReturnDetailView(ReturnMixin, ObjectDetailView):
    """Check your answers: every line of enquiry with its answers and grade, then submit."""

    template_name = "audits/return_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.check_cleared()
        return super().get(request, *args, **kwargs)

    def extra_context(self) -> dict[str, Any]:
        r = self.object
        is_draft = r.status == ReturnStatus.DRAFT
        return {
            "sections": self.sections(),
            "can_edit": is_draft and allowed(self.request, r, "change"),
            "can_submit": is_draft and allowed(self.request, r, "submit"),
            "can_qa": r.status == ReturnStatus.SUBMITTED
            and allowed(self.request, r, "quality_assure"),
            "missing": rules.RequiredQuestionsAnswered.missing(r) if is_draft else [],
        }


class ReturnSectionView(ReturnMixin, StepView):
    permission = "change"
    form_class = ReturnSectionForm
    submit_label = "Save and continue"
    success_message = "Saved."

    @cached_property
    def section(self) -> TemplateSection:
        try:
            return TemplateSection.objects.select_related("template").get(
                pk=self.kwargs["section"], template_id=self.object.audit.template_id
            )
        except (TemplateSection.DoesNotExist, ValueError) as exc:
            raise Http404 from exc

    def get_title(self) -> str:
        return self.section.title

    def check_step(self) -> None:
        self.check_cleared()
        if self.object.status != ReturnStatus.DRAFT:
            raise Http404("This return has been submitted.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"section": self.section}

    def initial(self) -> dict[str, Any]:
        r = self.object
        initial: dict[str, Any] = {
            f"q_{a.question_id}": a.answer for a in r.answers.filter(question__section=self.section)
        }
        grade = r.grades.filter(section=self.section).first()
        if grade is not None:
            initial["grade"] = str(grade.grade_id)
            initial["rationale"] = grade.rationale
        return initial

    def extra_context(self) -> dict[str, Any]:
        return {"intro": self.section.description, "section": self.section}

    def perform(self, form: forms.BaseForm) -> str:
        assert isinstance(form, ReturnSectionForm)
        services.return_section_save(
            audit_return=self.object,
            section=self.section,
            by=self.me,
            answers=form.answers(),
            grade=form.grade(),
            rationale=form.cleaned_data["rationale"],
        )
        following = (
            TemplateSection.objects.filter(
                template_id=self.section.template_id, order__gt=self.section.order
            )
            .order_by("order")
            .first()
        )
        if following is not None:
            return f"{self.object.get_absolute_url()}lines/{following.pk}/"
        return f"{self.object.get_absolute_url()}summary/"


class ReturnSummaryView(ReturnMixin, StepView):
    permission = "change"
    form_class = ReturnSummaryForm
    title = "Evidence, strengths and areas for improvement"
    submit_label = "Save and check your answers"
    success_message = "Saved."

    def check_step(self) -> None:
        self.check_cleared()
        if self.object.status != ReturnStatus.DRAFT:
            raise Http404("This return has been submitted.")

    def initial(self) -> dict[str, Any]:
        r = self.object
        return {
            "evidence_notes": r.evidence_notes,
            "strengths": r.strengths,
            "areas_for_improvement": r.areas_for_improvement,
        }

    def perform(self, form: forms.BaseForm) -> str:
        services.return_summary_save(
            audit_return=self.object,
            by=self.me,
            **form.cleaned_data,  # type: ignore[arg-type]
        )
        return str(self.object.get_absolute_url())


class ReturnSubmitView(ReturnMixin, StepView):
    """Submit from the check-your-answers page; a refusal lists what is still unanswered."""

    permission = "submit"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.object.get_absolute_url())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_cleared()
        r = self.object
        try:
            with transaction.atomic():
                services.return_submit(audit_return=r, by=self.me)
        except ValidationError as exc:
            detail = ReturnDetailView()
            detail.setup(request, *args, **kwargs)
            context = {
                "view": detail,
                "title": str(r),
                "summary": detail.summary(),
                "error_list": [{"text": m} for m in exc.messages],
                **detail.object_context(),
                **detail.extra_context(),
            }
            return render(request, "audits/return_detail.html", context)
        messages.success(request, "Return submitted.")
        return HttpResponseRedirect(r.get_absolute_url())


class SubmittedReturnStep(ReturnMixin, StepView):
    permission = "quality_assure"

    def check_step(self) -> None:
        require(self.object.status == ReturnStatus.SUBMITTED)


class ReturnQualityAssureView(SubmittedReturnStep):
    form_class = NoteForm
    title = "Quality-assure this return"
    submit_label = "Mark as quality assured"
    success_message = "Return quality assured."

    def perform(self, form: forms.BaseForm) -> str:
        services.return_quality_assure(
            audit_return=self.object,
            by=self.me,
            note=form.cleaned_data["note"],
        )
        return str(self.object.get_absolute_url())


class ReturnSendBackView(SubmittedReturnStep):
    form_class = ReasonForm
    title = "Send this return back to its auditors"
    submit_label = "Send back"
    success_message = "Return sent back as a draft."

    def perform(self, form: forms.BaseForm) -> str:
        services.return_send_back(
            audit_return=self.object,
            by=self.me,
            reason=form.cleaned_data["reason"],
        )
        return str(self.object.get_absolute_url())


class ReturnHistoryView(ObjectHistoryView):
    model = AuditReturn
