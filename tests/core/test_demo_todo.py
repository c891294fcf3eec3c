"""The to-do list in the demo (issue 19): every kind of to-do appears for the demo login
whose step it is, and doing the step through its service clears it.

The demo is built once for the module, as tests/core/test_demo.py builds it (inside an
outer transaction rolled back at the end); each step is done in its own savepoint, rolled
back before the next.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from lift.core import demo, todo
from lift.core.models import Person

pytestmark = pytest.mark.django_db

# Every kind of to-do and the demo login who has one in Harrowmere. A kind registered
# without an entry here (or without demo data for this login) fails the test below.
WHO: dict[str, str] = {
    "audits.assignment": "auditor@harrowmere.example",
    "core.handover": "lead.police@harrowmere.example",
    "audits.case_audit_acknowledge": "manager.sc@harrowmere.example",
    "audits.case_audit_feedback": "lead.socialcare@harrowmere.example",
    "cdop.agency_report": "lead.health@harrowmere.example",
    "governance.minutes": "bu@harrowmere.example",
    "learning.evidence_needed": "lead.police@harrowmere.example",
    "learning.overdue_action": "lead.health@harrowmere.example",
    "learning.respond_recommendation": "lead.socialcare@harrowmere.example",
    "learning.verify_impact": "chair@harrowmere.example",
    "reviews.agency_request": "lead.police@harrowmere.example",
    "reviews.decision": "chair@harrowmere.example",
    "reviews.letter": "bu@harrowmere.example",
    "reviews.panel_reply": "bu@harrowmere.example",
    "reviews.quality_assurance": "bu@harrowmere.example",
    "reports.section_due": "trainer@harrowmere.example",
    "section11.challenge_question": "lead.charity@harrowmere.example",
    "section11.panel_challenge": "lay@harrowmere.example",
    "section11.return_submit": "lead.charity@harrowmere.example",
    "training.booking_approval": "manager@harrowmere.example",
    "training.evaluation": "learner@harrowmere.example",
    "training.follow_up": "manager@harrowmere.example",
    "voice.chair_meeting": "chair@harrowmere.example",
}


def _login(email: str) -> Person:
    """A demo person one can sign in as: active, with the demo password."""
    person = Person.objects.get(email=email)
    assert person.is_active and person.check_password(demo.DEMO_PASSWORD), email
    return person


def _items(email: str, ctx: demo.DemoContext, key: str) -> list[todo.ToDo]:
    return todo.items_for(_login(email), ctx.partnership, only=[key])


# --- every kind has demo data --------------------------------------------------------


def test_every_kind_of_to_do_appears_for_its_demo_login(built: demo.DemoContext) -> None:
    missing = []
    for kind in todo.kinds():
        email = WHO.get(kind.key)
        if email is None:
            missing.append(f"{kind.key}: no demo login named in WHO")
        elif not _items(email, built, kind.key):
            missing.append(f"{kind.key}: nothing on {email}'s list")
    assert not missing, "\n".join(missing)


def test_every_kind_named_is_registered() -> None:
    assert set(WHO) <= {k.key for k in todo.kinds()}


def test_the_demo_has_a_leaver_with_a_step_left_open(built: demo.DemoContext) -> None:
    """Someone who left an agency (deactivated) still owns an overdue action: the step is
    for their agency now, and never on the leaver's own list."""
    from lift.learning.models import Action

    leaver = Person.objects.get(email="leaver.police@harrowmere.example")
    assert not leaver.is_active and leaver.agency == built.agencies["police"]
    open_actions = Action.objects.filter(
        owner=leaver, status__in=["proposed", "agreed", "in_progress"], due_on__lt=built.today
    )
    assert open_actions.exists()
    assert todo.items_for(leaver, built.partnership) == []


def test_the_scrutineer_has_nothing_to_do(built: demo.DemoContext) -> None:
    """The read-only scrutineer changes nothing, so has no step to take."""
    assert todo.items_for(_login("scrutineer@harrowmere.example"), built.partnership) == []


# --- doing the step clears it ----------------------------------------------------------


def _verify_impact(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.learning import services
    from lift.learning.models import ImpactCheck

    check = ImpactCheck.objects.get(action=item.subject, verified_on__isnull=True)
    services.impact_verify(check=check, by=person)


def _submit_return(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.section11 import services

    services.return_submit(agency_return=item.subject, by=person)


def _answer_question(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.section11 import services
    from lift.section11.models import ChallengeQuestion

    for question in ChallengeQuestion.objects.filter(agency_return=item.subject, response=""):
        services.question_respond(
            question=question,
            response="Managers follow up a sample of volunteers three months after each course.",
            by=person,
        )


def _approve_booking(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.training.services.bookings import booking_approve

    booking_approve(booking=item.subject, by=person, approve=True)


def _decide(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.reviews import services
    from lift.reviews.choices import DecisionOutcome
    from lift.reviews.demo import _reasons

    incident = item.subject
    services.decision_record(
        incident=incident,
        by=person,
        decided_on=ctx.today,
        outcome=DecisionOutcome.STATUTORY,
        reasons="Child E was seriously harmed, neglect is suspected, and agencies missed signs.",
        criteria_reasons=_reasons(incident.regime, {}, "Considered."),
    )


def _send_letter(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.reviews import services
    from lift.reviews.models import Letter
    from tests.reviews.conftest import attach_notification

    for letter in Letter.objects.filter(incident=item.subject, sent_on__isnull=True):
        if not services.letter_enclosures(letter):
            attach_notification(letter, person)  # a NO letter goes with the notification
        services.letter_mark_sent(letter=letter, sent_on=ctx.today, by=person)


def _reply_to_panel(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.reviews import services
    from lift.reviews.models import PanelReply

    for reply in PanelReply.objects.filter(incident=item.subject, responded_on__isnull=True):
        services.panel_reply_respond(reply=reply, responded_on=ctx.today, by=person)


def _send_chronology(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lift.core.documents import Doc, Para, render_docx
    from lift.core.files import MEDIA_TYPES
    from lift.reviews import services
    from lift.reviews.models import AgencyRequest

    request = AgencyRequest.objects.get(
        incident=item.subject, agency__safeguarding_lead=person, received_on__isnull=True
    )
    docx = render_docx(
        Doc(title="Chronology", partnership=ctx.partnership, toc=False, sections=[Para("Fine.")])
    )
    services.imr_file_add(
        request=request,
        uploaded_file=SimpleUploadedFile("chronology.docx", docx, content_type=MEDIA_TYPES["docx"]),
        by=person,
    )
    services.imr_submit(request=request, by=person)


def _give_feedback(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.audits import services

    services.case_audit_feedback(
        case_audit=item.subject, feedback="Good direct work; date the plan's actions.", by=person
    )


def _complete_leavers_action(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.learning import services
    from lift.learning.choices import ActionStatus

    services.action_update_add(
        action=item.subject,
        by=person,
        text="Taken over from Owen Penrose: the checklist is live on the records system.",
        status=ActionStatus.COMPLETED,
    )


def _add_evidence(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.learning import services

    services.evidence_add(
        action=item.subject,
        by=person,
        kind="link",
        description="Referral form with the new prompt (intranet)",
        url="https://intranet.harrowmere-police.example/forms/referral",
    )


def _submit_section(person: Person, item: todo.ToDo, ctx: demo.DemoContext) -> None:
    from lift.reports import services
    from lift.reports.models import Narrative

    section = Narrative.objects.get(report=item.subject, board__chair=person, status="draft")
    services.section_submit(narrative=section, by=person)


Step = Callable[[Person, todo.ToDo, demo.DemoContext], None]
STEPS: list[tuple[str, Step]] = [
    ("learning.verify_impact", _verify_impact),
    ("section11.return_submit", _submit_return),
    ("section11.challenge_question", _answer_question),
    ("training.booking_approval", _approve_booking),
    ("reviews.decision", _decide),
    ("reviews.letter", _send_letter),
    ("reviews.panel_reply", _reply_to_panel),
    ("reviews.agency_request", _send_chronology),
    ("audits.case_audit_feedback", _give_feedback),
    ("core.handover", _complete_leavers_action),
    ("learning.evidence_needed", _add_evidence),
    ("reports.section_due", _submit_section),
]


def test_doing_each_step_clears_it(built: demo.DemoContext) -> None:
    """Each step done through its service, on the demo data, by its login: the item is
    gone from their list. Each step is undone (its savepoint rolled back) before the next,
    in one test so that the demo is built once even when the suite runs in parallel."""
    failed = []
    for key, step in STEPS:
        email = WHO[key]
        person = _login(email)
        with transaction.atomic():
            before = _items(email, built, key)
            if not before:
                failed.append(f"{key}: nothing on {email}'s list")
                continue
            item = before[0]
            try:
                step(person, item, built)
            except Exception as exc:  # reported with the step it failed on
                failed.append(f"{key}: {exc!r}")
                transaction.set_rollback(True)
                continue
            after = _items(email, built, key)
            if item.url in [i.url for i in after] or len(after) != len(before) - 1:
                failed.append(f"{key}: {item.title!r} still on {email}'s list")
            transaction.set_rollback(True)
    assert not failed, "\n".join(failed)


def test_the_partnerships_list_asks_only_candidates_and_misses_no_step(
    built: demo.DemoContext,
) -> None:
    """A kind asked of everyone names its candidates (`Kind.candidates`) so the partnership's
    list is not read person by person for every learner: on the demo's data, that list is
    exactly the list read by asking everyone."""
    from dataclasses import replace

    from lift.core import pending

    def steps() -> set[tuple[str, str, int]]:
        return {
            (p.item.kind, p.item.url, p.owner.pk) for p in pending.pending_items(built.partnership)
        }

    with_candidates = steps()
    named = [k for k in todo.kinds() if k.candidates is not None]
    assert {k.key for k in named} >= {"learning.overdue_action", "training.booking_approval"}
    assert all(k.roles is None for k in named)
    saved = {k.key: k for k in named}
    try:
        for k in named:
            todo.register(replace(k, candidates=None))
        asking_everyone = steps()
    finally:
        for k in saved.values():
            todo.register(k)
    assert with_candidates == asking_everyone
    assert {kind for kind, _url, _pk in with_candidates} >= {
        "learning.overdue_action",
        "learning.evidence_needed",
        "training.booking_approval",
        "cdop.agency_report",
        "reviews.agency_request",
    }
