"""An agency's return: the page, answering one requirement per page, check your answers and
submit, actions; the panel's challenge: questions, responses, moderation, conclusion."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lift.core.views.generic import ObjectHistoryView, ObjectMixin, allowed
from lift.core.views.steps import ConfirmForm, StepView

from .. import selectors, services
from ..choices import ReturnStatus
from ..forms import (
    ActionForm,
    AnswerForm,
    AssignPanelForm,
    ConclusionForm,
    ModerateForm,
    QuestionForm,
    ReasonForm,
    ResponseForm,
)
from ..models import Answer, ChallengeQuestion, RatingLevel, Section11Return

RS = ReturnStatus
RETURN_QS = Section11Return.objects.select_related(
    "cycle",
    "cycle__framework",
    "cycle__framework__scale",
    "agency",
    "panel",
    "submitted_by",
    "carried_forward_from__cycle",
)
_PK = 987654321  # a placeholder primary key, replaced in reversed URLs


def _tag(level: RatingLevel | None) -> str:
    if level is None:
        return '<strong class="govuk-tag govuk-tag--grey">Not rated</strong>'
    return (
        f'<strong class="govuk-tag govuk-tag--{escape(level.colour)}">'
        f"{escape(level.label)}</strong>"
    )


def rows_html(ret: Section11Return, rows: list[dict[str, Any]], *, can_edit: bool) -> SafeString:
    """A standard's requirement rows of the return page, built in Python: 120 rows through
    template includes cost several times the page's floor; this is the same markup, every
    value passed through escape(), with URLs reversed once."""
    edit_url = reverse("section11:answer_edit", args=[ret.pk, _PK])
    file_url = reverse("core:attachment_download", args=[_PK])
    out = []
    for row in rows:
        answer, req = row["answer"], row["requirement"]
        key = f"{escape(req.ref)} {escape(req.text)}"
        if req.essential:
            key += ' <strong class="govuk-tag govuk-tag--purple">Essential</strong>'
        rating = f"Self-rating: {_tag(row['self_level'])}"
        if answer.needs_review:
            rating += ' <strong class="govuk-tag govuk-tag--orange">To review</strong>'
        if row["moderated_level"]:
            rating += f"<br>Moderated: {_tag(row['moderated_level'])}"
            if row["changed"]:
                rating += ' <span class="govuk-body-s">(changed by the panel)</span>'
        value = f'<p class="govuk-body">{rating}</p>'
        if answer.narrative:
            value += f'<p class="govuk-body">{linebreaksbr(answer.narrative)}</p>'
        items = [
            f'<li><a class="govuk-link" href="{file_url.replace(str(_PK), str(f.pk))}">'
            f"{escape(f.original_name)}</a> ({filesizeformat(f.size)})</li>"
            for f in row["files"]
        ] + [
            f'<li><a class="govuk-link" href="{escape(link)}" rel="noopener noreferrer">'
            f"{escape(link)}</a></li>"
            for link in answer.links
        ]
        if items:
            value += f'<ul class="govuk-list govuk-body-s">{"".join(items)}</ul>'
        actions = ""
        if can_edit:
            label = "Change" if answer.self_rating else "Answer"
            actions = (
                '<dd class="govuk-summary-list__actions"><a class="govuk-link" '
                f'href="{edit_url.replace(str(_PK), str(answer.pk))}">{label}<span '
                f'class="govuk-visually-hidden"> requirement {escape(req.ref)}</span></a></dd>'
            )
        out.append(
            f'<div class="govuk-summary-list__row" id="answer-{answer.pk}"><dt '
            f'class="govuk-summary-list__key">{key}</dt><dd class="govuk-summary-list__value">'
            f"{value}</dd>{actions}</div>"
        )
    return mark_safe("".join(out))  # every value above went through escape()


def _actions(user: Any, ret: Section11Return) -> Any:
    from lift.learning.selectors import chain_for

    return chain_for(user, ret).actions.select_related("owner").order_by("due_on", "pk")


class ReturnDetailView(ObjectMixin):
    """The return: progress, each standard's requirements with self-rating and (after
    challenge) the moderated rating beside it, evidence, challenge questions and actions.
    A fixed number of queries however many requirements (selectors.return_page)."""

    model = Section11Return
    queryset = RETURN_QS
    permission = "view"

    def tabs(self) -> list[dict[str, Any]]:
        ret = self.object
        tabs = [
            {"label": "Return", "url": ret.get_absolute_url()},
            {
                "label": "Peer challenge",
                "url": reverse("section11:return_challenge", args=[ret.pk]),
            },
            {
                "label": "History",
                "url": reverse("section11:section11return_history", args=[ret.pk]),
            },
        ]
        for tab in tabs:
            tab["active"] = tab["url"] == self.request.path
        return tabs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        ret = self.object
        page = selectors.return_page(ret)
        can_edit = ret.status == RS.DRAFT and allowed(request, ret, "change")
        for block in page["standards"]:
            block["rows_html"] = rows_html(ret, block["rows"], can_edit=can_edit)
        context = {
            "title": str(ret),
            "object": ret,
            "tabs": self.tabs(),
            **page,
            "can_edit": can_edit,
            "can_submit": ret.status == RS.DRAFT and allowed(request, ret, "submit"),
            "can_add_action": ret.status != RS.CLOSED and allowed(request, ret, "change"),
            "can_manage": allowed(request, ret, "manage"),
            "actions": _actions(self.request.user, ret),
            "first_unanswered": _first_unanswered(page),
        }
        return render(request, "section11/return_detail.html", context)


def _first_unanswered(page: dict[str, Any]) -> Answer | None:
    for block in page["standards"]:
        for row in block["rows"]:
            if not row["answer"].self_rating or row["answer"].needs_review:
                return row["answer"]  # type: ignore[no-any-return]
    return None


class ReturnHistoryView(ObjectHistoryView):
    model = Section11Return


class _OnReturn(StepView):
    model = Section11Return
    queryset = RETURN_QS

    @cached_property
    def levels(self) -> list[RatingLevel]:
        return list(RatingLevel.objects.filter(scale__framework_id=self.object.cycle.framework_id))


class AnswerEditView(_OnReturn):
    """One requirement per page: the self-rating, narrative and evidence; "Save and
    continue" goes to the next requirement not yet answered (or carried and not reviewed)."""

    permission = "change"
    form_class: ClassVar[type[forms.BaseForm] | None] = AnswerForm
    template_name = "section11/answer_form.html"
    submit_label = "Save and continue"
    success_message = ""

    @cached_property
    def answer(self) -> Answer:
        try:
            return (
                Answer.objects.select_related("requirement", "requirement__standard")
                .filter(agency_return=self.object)
                .get(pk=self.kwargs["answer"])
            )
        except (Answer.DoesNotExist, ValueError) as exc:
            raise Http404("No such requirement in this return.") from exc

    def get_title(self) -> str:
        return f"Requirement {self.answer.requirement.ref}"

    def form_kwargs(self) -> dict[str, Any]:
        return {"levels": self.levels}

    def initial(self) -> dict[str, Any]:
        a = self.answer
        return {
            "self_rating": a.self_rating,
            "narrative": a.narrative,
            "evidence_links": a.evidence_links,
        }

    def extra_context(self) -> dict[str, Any]:
        from django.contrib.contenttypes.models import ContentType

        from lift.core.models import Attachment

        answer = self.answer
        files = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Answer), object_id=answer.pk
        )
        answered, total = services.progress(self.object)
        return {
            "answer": answer,
            "requirement": answer.requirement,
            "files": files,
            "answered": answered,
            "total": total,
            "read_only": self.object.status != RS.DRAFT,
        }

    def perform(self, form: forms.BaseForm) -> str:
        data = form.cleaned_data
        upload = data.get("evidence_file")
        services.answer_save(
            answer=self.answer,
            by=self.me,
            self_rating=data["self_rating"],
            narrative=data["narrative"],
            evidence_links=data["evidence_links"],
            files=[upload] if upload else [],
        )
        ret = self.object
        nxt = (
            Answer.objects.filter(
                agency_return=ret, requirement__order__gt=self.answer.requirement.order
            )
            .filter(_to_do())
            .order_by("requirement__order")
            .first()
        ) or Answer.objects.filter(agency_return=ret).filter(_to_do()).order_by(
            "requirement__order"
        ).first()
        if nxt is not None:
            return reverse("section11:answer_edit", args=[ret.pk, nxt.pk])
        return reverse("section11:return_submit", args=[ret.pk])


def _to_do() -> Q:
    """Answers still to do: not rated, or carried forward and not yet reviewed."""
    return Q(self_rating="") | Q(needs_review=True)


class ReturnSubmitView(_OnReturn):
    """Check your answers, then submit: the return becomes read-only for the agency."""

    permission = "submit"
    template_name = "section11/return_submit.html"
    title = "Check your answers before submitting"
    submit_label = "Submit the return"
    success_message = "The return has been submitted to the business unit."

    def extra_context(self) -> dict[str, Any]:
        return selectors.return_page(self.object)

    def perform(self, form: forms.BaseForm) -> str:
        services.return_submit(agency_return=self.object, by=self.me)
        return str(self.object.get_absolute_url())


class ReturnActionAddView(_OnReturn):
    permission = "change"
    form_class = ActionForm
    title = "Add an action to the plan"
    intro = (
        "Actions have an owner and a timescale. They appear in the action tracker with "
        "this return as their source, and are followed up six months after the "
        "overview report goes to the Board."
    )
    submit_label = "Add the action"
    success_message = "Action added to the plan and the action tracker."

    def form_kwargs(self) -> dict[str, Any]:
        return {"agency": self.object.agency}

    def perform(self, form: forms.BaseForm) -> str:
        services.return_action_add(agency_return=self.object, by=self.me, **form.cleaned_data)
        return str(self.object.get_absolute_url())


class ReturnReopenView(_OnReturn):
    permission = "manage"
    form_class = ReasonForm
    title = "Send the return back to the agency"
    submit_label = "Send back as a draft"
    success_message = "The return is a draft again."

    def make_form(self, **kwargs: Any) -> forms.BaseForm:
        form = super().make_form(**kwargs)
        form.fields["reason"].required = True
        form.fields["reason"].help_text = "The agency sees this reason in the return's history."
        return form

    def perform(self, form: forms.BaseForm) -> str:
        services.return_reopen(
            agency_return=self.object, by=self.me, reason=form.cleaned_data["reason"]
        )
        return str(self.object.get_absolute_url())


# --- peer challenge -------------------------------------------------------------------------


class ChallengeView(ReturnDetailView):
    """The panel's page: questions by standard with the agency's responses, and each
    requirement's self-rating beside the moderated rating (before / after challenge)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        ret = self.object
        page = selectors.return_page(ret)
        challenging = allowed(request, ret, "challenge")
        members = ret.panel.members.select_related("person") if ret.panel else []
        context = {
            "title": f"Peer challenge: {ret.agency.name}",
            "object": ret,
            "tabs": self.tabs(),
            **page,
            "members": members,
            "can_manage": allowed(request, ret, "manage")
            and ret.status not in (RS.MODERATED, RS.CLOSED),
            "can_start": challenging and ret.status == RS.SUBMITTED and ret.panel_id is not None,
            "can_challenge": challenging and ret.status == RS.UNDER_CHALLENGE,
            "can_respond": ret.status == RS.UNDER_CHALLENGE and allowed(request, ret, "respond"),
        }
        return render(request, "section11/challenge.html", context)


class AssignPanelView(_OnReturn):
    permission = "manage"
    form_class: ClassVar[type[forms.BaseForm] | None] = AssignPanelForm
    title = "Choose the peer challenge panel"
    submit_label = "Assign to the panel"
    success_message = "Return assigned to the panel."

    def form_kwargs(self) -> dict[str, Any]:
        return {"cycle": self.object.cycle}

    def cancel_url(self) -> str:
        return reverse("section11:return_challenge", args=[self.object.pk])

    def perform(self, form: forms.BaseForm) -> str:
        services.return_assign_panel(
            agency_return=self.object, panel=form.cleaned_data["panel"], by=self.me
        )
        return self.cancel_url()


class ChallengeStartView(AssignPanelView):
    permission = "challenge"
    form_class = ConfirmForm
    title = "Start the peer challenge"
    intro = (
        "The panel can then ask questions on each standard and record moderated "
        "ratings. The agency answers the questions on this return's challenge page."
    )
    submit_label = "Start the challenge"
    success_message = "The return is under challenge."

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def perform(self, form: forms.BaseForm) -> str:
        services.challenge_start(agency_return=self.object, by=self.me)
        return self.cancel_url()


class QuestionAddView(AssignPanelView):
    permission = "challenge"
    form_class = QuestionForm
    title = "Ask the agency a question"
    submit_label = "Ask the question"
    success_message = "Question recorded."

    def form_kwargs(self) -> dict[str, Any]:
        return {"framework": self.object.cycle.framework}

    def perform(self, form: forms.BaseForm) -> str:
        services.question_ask(agency_return=self.object, by=self.me, **form.cleaned_data)
        return self.cancel_url()


class QuestionRespondView(StepView):
    model = ChallengeQuestion
    queryset = ChallengeQuestion.objects.select_related("agency_return", "standard")
    permission = "respond"
    form_class = ResponseForm
    title = "Respond to the panel's question"
    submit_label = "Save the response"
    success_message = "Response saved."

    def initial(self) -> dict[str, Any]:
        return {"response": self.object.response}

    def summary(self) -> list[tuple[str, Any]]:
        q = self.object
        return [("Standard", str(q.standard)), ("Question", q.question)]

    def perform(self, form: forms.BaseForm) -> str:
        services.question_respond(
            question=self.object, response=form.cleaned_data["response"], by=self.me
        )
        return str(self.object.get_absolute_url())


class AnswerModerateView(AnswerEditView):
    permission = "challenge"
    form_class = ModerateForm
    template_name = "core/step.html"
    submit_label = "Save the moderated rating"
    success_message = "Moderated rating saved."

    def get_title(self) -> str:
        return f"Moderate requirement {self.answer.requirement.ref}"

    def initial(self) -> dict[str, Any]:
        return {
            "moderated_rating": self.answer.moderated_rating,
            "moderation_note": self.answer.moderation_note,
        }

    def cancel_url(self) -> str:
        return reverse("section11:return_challenge", args=[self.object.pk])

    def summary(self) -> list[tuple[str, Any]]:
        a = self.answer
        self_label = next((lvl.label for lvl in self.levels if lvl.value == a.self_rating), "")
        return [
            ("Requirement", a.requirement.text),
            ("Self-rating", self_label),
            ("Agency's narrative", a.narrative),
        ]

    def extra_context(self) -> dict[str, Any]:
        return {}  # not the answer page's evidence and progress

    def perform(self, form: forms.BaseForm) -> str:
        services.answer_moderate(
            answer=self.answer,
            rating=form.cleaned_data["moderated_rating"],
            note=form.cleaned_data["moderation_note"],
            by=self.me,
        )
        return self.cancel_url() + f"#answer-{self.answer.pk}"


class ReturnModerateView(AssignPanelView):
    permission = "challenge"
    form_class = ConclusionForm
    title = "Record the panel's conclusion"
    submit_label = "Record the conclusion and finish moderation"
    success_message = "The return is moderated."

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def initial(self) -> dict[str, Any]:
        return {"conclusion": self.object.conclusion}

    def perform(self, form: forms.BaseForm) -> str:
        services.return_moderate(
            agency_return=self.object,
            conclusion=form.cleaned_data["conclusion"],
            by=self.me,
        )
        return self.cancel_url()
