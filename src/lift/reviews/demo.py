"""Serious incidents and reviews in the fictional demo.

Harrowmere (2015 rules): "Child A", a toddler seriously harmed, is notified to Ofsted; after
an information-sharing meeting the Chair decides on a Serious Case Review; the national
panel is told (reviewer named, publication confirmed); agencies send chronologies and IMRs;
the mother contributes; the final report's findings and actions go into the learning chain;
the publication guard catches the child's first name left in the briefing; once removed
the report is sent to the panel and published on the public page.
"Child C" is notified too, but the Chair decides no SCR: the panel gets the NO letter with
the notification attached, and the case is referred to the Learning and Improvement
sub-group, which agrees a learning lessons review. Months later the national panel asks for
the chronology behind the decision on Child C: the business unit has to reply.
"Child E" was notified last week and waits for the Chair's decision; the business unit has
asked the agencies for chronologies: social care's is in and waits for quality assurance,
the police's and health's are due. "Child F" was decided on this week (no SCR): the letter
telling the panel why is generated and waits to be checked, the local authority's Serious
Incident Notification attached to it, and sent.

Kingsbrook (current rules): "Child K" is notified to the Child Safeguarding Practice Review
Panel; the rapid review gathers returns from the agencies, meets, and is sent within 15
working days; the Panel agrees with a local review. The safeguarding partners decide on a
Local Child Safeguarding Practice Review; the agencies send IMRs (the health agency's as
a DOCX file uploaded and submitted through the IMR upload service), the final report's
findings go into the learning chain, the report goes to the Panel seven working days ahead
and is published on Kingsbrook's public page.

Every child, name, address and number here is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify

from lift.core import calendar
from lift.core.documents import Bullets, Doc, Heading, KeyValue, Para, render, render_docx
from lift.core.files import MEDIA_TYPES
from lift.core.history import change_reason
from lift.core.roles import R
from lift.core.services import agency_create, person_create
from lift.learning.services import action_create, finding_create, recommendation_create

from . import services
from .choices import DecisionOutcome, LetterKind, ReferralDecision
from .models import Letter, Review
from .reference import reference

DOCX = MEDIA_TYPES["docx"]


def _nhs(nine: str) -> str:
    """A (fictional) NHS number with a valid check digit."""
    for tail in range(10):
        digits = nine[:8] + str(tail)
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            full = digits + str(check)
            return f"{full[:3]} {full[3:6]} {full[6:]}"
    raise ValueError(nine)


def _reasons(regime: str, text: dict[str, str], default: str) -> dict[str, str]:
    return {c.key: text.get(c.key, default) for c in reference().for_regime(regime).at("review")}


@dataclass(frozen=True)
class _Action:
    title: str
    agency: str  # key in the agencies mapping the review's story passes in
    due_after: int  # days after the review completed
    success_measure: str


@dataclass(frozen=True)
class _Lesson:
    """A review's finding, its recommendation and the actions agreed for it."""

    title: str
    text: str
    themes: tuple[str, ...]
    recommendation: str
    actions: tuple[_Action, ...]


LESSONS: dict[str, _Lesson] = {
    "harrowmere-scr": _Lesson(
        title="Domestic abuse notifications not shared with health",
        text="Police domestic abuse call-outs did not reach health visiting or nursery.",
        themes=("domestic-abuse",),
        recommendation=(
            "Partners agree a same-day route for domestic abuse notifications to health."
        ),
        actions=(
            _Action(
                "Daily domestic abuse notification triage with health visiting",
                "police",
                120,
                "Audit shows 95% of notifications reach health within one working day.",
            ),
            _Action(
                "Follow up two missed health appointments with the child's setting",
                "health",
                90,
                "Case audit of 20 families shows follow-up recorded.",
            ),
        ),
    ),
    "kingsbrook-lcspr": _Lesson(
        title="Health visiting records did not follow the family",
        text="Each move between areas reset the health visiting service's knowledge.",
        themes=(),
        recommendation=(
            "Health agrees a warm handover between health visiting teams when families move."
        ),
        actions=(
            _Action(
                "Warm handover call for every family transferring in or out",
                "health",
                90,
                "Audit of 20 transfers shows a recorded handover call.",
            ),
        ),
    ),
}


def _lessons_record(
    review: Review, lesson: _Lesson, *, completed: dt.date, agencies: dict[str, Any], by: Any
) -> None:
    """The review's finding, recommendation and actions into the learning chain (themes the
    partnership's taxonomy does not have are left out)."""
    finding = finding_create(
        source=review,
        title=lesson.title,
        text=lesson.text,
        themes=[t for t in lesson.themes if _theme_exists(review.partnership, t)],
        identified_on=completed,
        recorded_by=by,
    )
    rec = recommendation_create(source=review, text=lesson.recommendation, findings=[finding])
    for action in lesson.actions:
        action_create(
            title=action.title,
            owner_agency=agencies[action.agency],
            due_on=completed + dt.timedelta(days=action.due_after),
            success_measure=action.success_measure,
            recommendation=rec,
        )


def build(ctx: Any) -> None:
    today = ctx.today
    _harrowmere_scr(ctx, today)
    _harrowmere_no_scr(ctx, today)
    _harrowmere_waiting(ctx, today)
    _kingsbrook_rapid_review(ctx, today)


def _harrowmere_scr(ctx: Any, today: dt.date) -> None:
    p, a, who = ctx.partnership, ctx.agencies, ctx.people
    bu, chair = who["bu"], who["chair"]
    aware = today - dt.timedelta(days=262)
    notified = calendar.add_working_days(aware, 3)
    incident = services.incident_create(
        partnership=p,
        by=bu,
        pseudonym="Child A",
        incident_type="serious_harm",
        incident_on=aware - dt.timedelta(days=1),
        became_aware_on=aware,
        notified_on=notified,
        criteria=["abuse-or-neglect", "seriously-harmed"],
        summary=(
            "Child A, aged two, was taken to the emergency department with a head injury and "
            "older bruising. Child A's older sibling (Sibling B) was at home. The family were "
            "known to health visiting, early help and the police (domestic abuse call-outs)."
        ),
        agencies=[a["social_care"], a["police"], a["health"], a["education"]],
    )
    services.identity_create(
        incident=incident,
        by=bu,
        pseudonym="Child A",
        is_subject=True,
        full_name="Kai Wrenfield-Moss",
        date_of_birth=aware.replace(day=1) - dt.timedelta(days=2 * 365),
        address="7 Pelham Rise\nHarrowmere",
        postcode="HM2 4XT",
        nhs_number=_nhs("401023213"),
        other_identifiers="Social care case number: HSC-20417",
    )
    services.identity_create(
        incident=incident,
        by=bu,
        pseudonym="Sibling B",
        relationship="Older sibling",
        full_name="Ellie Wrenfield-Moss",
        address="7 Pelham Rise\nHarrowmere",
        postcode="HM2 4XT",
    )
    services.case_team_add(
        incident=incident, person=chair, team_role="Chair (decision-maker)", by=bu
    )
    services.meeting_create(
        incident=incident,
        held_on=notified + dt.timedelta(days=9),
        agencies=[a["social_care"], a["police"], a["health"], a["education"]],
        advice=(
            "Agencies had each seen part of the picture: missed health appointments, domestic "
            "abuse call-outs and nursery absence were not brought together. The meeting "
            "advised that the criteria for a Serious Case Review appear to be met."
        ),
        by=chair,
    )
    decided = notified + dt.timedelta(days=20)
    services.decision_record(
        incident=incident,
        by=chair,
        decided_on=decided,
        outcome=DecisionOutcome.STATUTORY,
        reasons=(
            "Abuse is suspected, Child A was seriously harmed, and there is cause for concern "
            "about how agencies worked together."
        ),
        criteria_reasons=_reasons(
            incident.regime,
            {
                "agencies-concern": "Met: information held by four agencies was not shared.",
                "scr-harm": "Met: serious harm with suspected abuse and concerns about agencies.",
            },
            "Not met: Child A did not die and was not in custody.",
        ),
    )
    review = Review.objects.get(incident=incident)
    review.terms_of_reference = (
        "How did agencies identify and respond to risks to Child A and Sibling B, including "
        "domestic abuse, in the 18 months before the incident?"
    )
    review.scope_from = aware - dt.timedelta(days=540)
    review.scope_to = aware
    review.methodology = "scie-systems"
    review.save()
    reviewer = services.reviewer_add(
        review=review,
        name="Dr Imogen Sallow",
        organisation="Independent safeguarding consultant",
        why_chosen=(
            "Accredited in the SCIE Learning Together model; no previous work in Harrowmere."
        ),
        by=bu,
    )
    services.reviewer_appoint(reviewer=reviewer, appointed_on=decided + dt.timedelta(days=6), by=bu)
    for person, role, agency in [
        (who["lead_sc"], "Panel member", a["social_care"]),
        (who["lead_health"], "Panel member", a["health"]),
        (who["lead_police"], "Panel member", a["police"]),
    ]:
        services.case_team_add(
            incident=incident, person=person, team_role=role, agency=agency, review=review, by=bu
        )
    letter = Letter.objects.get(incident=incident, kind=LetterKind.INITIATION_YES)
    services.letter_regenerate(letter=letter, by=bu)
    services.letter_mark_sent(letter=letter, sent_on=decided + dt.timedelta(days=7), by=bu)
    services.panel_reply_record(
        incident=incident,
        letter=letter,
        kind="acknowledgement",
        received_on=decided + dt.timedelta(days=30),
        summary="The panel noted the decision and the reviewer at its monthly meeting.",
        by=bu,
    )
    _imrs_received(
        incident,
        review,
        [(a["social_care"], 33), (a["police"], 35), (a["health"], 41)],
        decided=decided,
        asked_after=8,
        due_after=38,
        qa_days=7,
        by=bu,
    )
    services.contribution_add(
        review=review,
        contributor="parent",
        method="meeting",
        contributed_on=decided + dt.timedelta(days=60),
        summary="Child A's mother met the reviewer and described feeling judged at appointments.",
        by=bu,
    )
    services.contribution_add(
        review=review,
        contributor="sibling",
        method="declined",
        summary="Sibling B's carer felt it was too soon; the reviewer will offer again.",
        by=bu,
    )
    for kind, days in [("panel_meeting", 30), ("practitioner_event", 75), ("draft", 120)]:
        services.milestone_add(
            review=review,
            kind=kind,
            planned_on=decided + dt.timedelta(days=days),
            done_on=decided + dt.timedelta(days=days + 2),
            by=bu,
        )
    # While the criminal proceedings ran, the board feared the report could not be published
    # and alerted the panel; the proceedings ended before the report was agreed.
    concern = services.publication_concern_raise(
        review=review,
        concern=(
            "Criminal proceedings against Child A's father have begun and may not end before "
            "the review does. Publishing the report while they run could prejudice them."
        ),
        raised_on=decided + dt.timedelta(days=40),
        by=bu,
    )
    assert concern.letter is not None
    services.letter_mark_sent(letter=concern.letter, sent_on=decided + dt.timedelta(days=42), by=bu)
    review.report_text = (
        "Summary\n\nChild A, aged two, suffered a serious head injury at home. Four agencies "
        "each knew part of the family's circumstances, but nobody brought the picture "
        "together.\n\nFindings\n\n1. Domestic abuse call-outs were not shared with health "
        "visiting.\n2. Missed health appointments were not followed up with nursery.\n"
        "3. Practitioners did not ask about Sibling B's experience."
    )
    review.briefing_text = (
        "Seven-minute briefing: think family, share domestic abuse notifications, follow up "
        "missed appointments. Kai's story shows what happens when nobody joins the dots."
    )
    review.save()
    completed = decided + dt.timedelta(days=150)
    services.review_complete(review=review, completed_on=completed, by=bu)
    _lessons_record(review, LESSONS["harrowmere-scr"], completed=completed, agencies=a, by=bu)
    answers = {
        "public-interest": "High: the case raised local concern and the lessons are general.",
        "lessons-shared": "The lessons apply to every agency and will be briefed widely.",
        "balance-interests": "Sibling B's privacy protected: no names, ages only, no addresses.",
        "fit-for-publication": "Written for publication; reviewed by the panel chair.",
        "legal-restrictions": "Criminal proceedings concluded; no reporting restrictions.",
        "expert-advice": "Legal and communications advice taken.",
        "media": "Press statement agreed; one spokesperson.",
    }
    decided_pub = completed + dt.timedelta(days=10)
    planned = completed + dt.timedelta(days=40)
    publication = services.publication_decide(
        review=review,
        by=bu,
        answers=answers,
        decision="publish",
        decided_on=decided_pub,
        planned_on=planned,
        public_summary="Four agencies each knew part of Child A's story; nobody joined it up.",
    )
    pub_letter = Letter.objects.get(incident=incident, kind=LetterKind.PUBLICATION_YES)
    services.letter_mark_sent(letter=pub_letter, sent_on=decided_pub + dt.timedelta(days=2), by=bu)
    try:
        services.publication_publish(publication=publication, published_on=planned, by=bu)
    except ValidationError:
        # The guard found "Kai" in the briefing: removed, then published.
        review.briefing_text = (
            "Seven-minute briefing: think family, share domestic abuse notifications, follow "
            "up missed appointments. Child A's story shows what happens when nobody joins "
            "the dots."
        )
        with change_reason("Removed the child's first name found by the publication guard"):
            review.save()
    services.publication_publish(publication=publication, published_on=planned, by=bu)


def _imrs_received(
    incident: Any,
    review: Review,
    received_after: list[tuple[Any, int]],
    *,
    decided: dt.date,
    asked_after: int,
    due_after: int,
    qa_days: int,
    by: Any,
    uploaded: dict[Any, bytes] | None = None,
) -> None:
    """IMRs asked of each agency `asked_after` days after the decision and due `due_after`
    days after it, received the given number of days after it, quality assured `qa_days`
    after receipt. An agency in `uploaded` sends its IMR as that DOCX file, uploaded and
    submitted through the IMR upload service; the others' are recorded as received."""
    uploaded = uploaded or {}
    for agency, received in received_after:
        request = services.agency_request_create(
            incident=incident,
            review=review,
            agency=agency,
            kind="imr",
            requested_on=decided + dt.timedelta(days=asked_after),
            due_on=decided + dt.timedelta(days=due_after),
            by=by,
        )
        on = decided + dt.timedelta(days=received)
        if agency in uploaded:
            services.imr_file_add(
                request=request,
                uploaded_file=SimpleUploadedFile(
                    f"imr-{slugify(agency.name)}.docx", uploaded[agency], content_type=DOCX
                ),
                by=by,
                description="IMR as sent by the agency",
            )
            services.imr_submit(request=request, by=by, submitted_on=on)
        else:
            services.agency_request_receive(request=request, received_on=on, by=by)
        services.agency_request_quality_assure(
            request=request, on=on + dt.timedelta(days=qa_days), by=by
        )


def _kingsbrook_health_imr(partnership: Any, pseudonym: str) -> bytes:
    """A short, fictional IMR from Kingsbrook's health agency, as the DOCX it would send."""
    doc = Doc(
        title=f"Individual management review: {pseudonym}",
        subtitle="Kingsbrook Integrated Care Board",
        partnership=partnership,
        toc=False,
        sections=[
            KeyValue(
                [
                    ("Agency", "Kingsbrook Integrated Care Board (health visiting)"),
                    ("Author", "Designated nurse for safeguarding children"),
                    ("Child", f"{pseudonym} (pseudonym)"),
                ]
            ),
            Heading("Involvement with the family", 2),
            Para(
                f"Health visiting saw {pseudonym} at the new birth visit in the family's first "
                "area. After each move the records arrived weeks later and the new team "
                "started again; no practitioner spoke to the previous health visitor."
            ),
            Heading("Analysis", 2),
            Bullets(
                [
                    "Transfer-in relied on records being posted, not on a conversation.",
                    "The older children's needs were recorded separately by each team.",
                ]
            ),
            Heading("Recommendations for the agency", 2),
            Para("A warm handover call between health visiting teams for every family move."),
        ],
    )
    return render_docx(doc)


def _notification_pdf(incident: Any) -> bytes:
    """The local authority's Serious Incident Notification of a fictional case, as the PDF
    it would send (pseudonym only)."""
    criteria = reference().for_regime(incident.regime)
    doc = Doc(
        title=f"Serious Incident Notification: {incident.pseudonym}",
        subtitle=f"{incident.partnership.name}: the local authority's notification to Ofsted",
        partnership=incident.partnership,
        toc=False,
        sections=[
            KeyValue(
                [
                    ("Child", f"{incident.pseudonym} (pseudonym)"),
                    ("Type of incident", incident.get_incident_type_display()),
                    ("Date of the incident", f"{incident.incident_on:%-d %B %Y}"),
                    ("Local authority became aware", f"{incident.became_aware_on:%-d %B %Y}"),
                    ("Criteria", "; ".join(criteria.label(k) for k in incident.criteria)),
                ]
            ),
            Heading("What happened", 2),
            Para(incident.summary or "As reported by children's social care."),
        ],
    )
    return render(doc, "pdf")


def _attach_notification(letter: Letter, by: Any) -> None:
    """A NO letter goes with the local authority's Serious Incident Notification."""
    pdf = _notification_pdf(letter.incident)
    upload = SimpleUploadedFile(
        f"serious-incident-notification-{slugify(letter.incident.pseudonym)}.pdf",
        pdf,
        content_type="application/pdf",
    )
    services.letter_enclosure_add(letter=letter, uploaded_file=upload, by=by)


def _theme_exists(partnership: Any, code: str) -> bool:
    from lift.learning.models import Theme

    return Theme.objects.for_partnership(partnership).filter(code=code).exists()


def _harrowmere_no_scr(ctx: Any, today: dt.date) -> None:
    p, a, who = ctx.partnership, ctx.agencies, ctx.people
    bu, chair = who["bu"], who["chair"]
    aware = today - dt.timedelta(days=118)
    notified = calendar.add_working_days(aware, 2)
    incident = services.incident_create(
        partnership=p,
        by=bu,
        pseudonym="Child C",
        incident_type="serious_harm",
        incident_on=aware,
        became_aware_on=aware,
        notified_on=notified,
        criteria=["abuse-or-neglect", "seriously-harmed"],
        summary="Child C, aged 14, was seriously injured after going missing from home.",
        agencies=[a["social_care"], a["police"], a["yjs"], a["education"]],
    )
    services.identity_create(
        incident=incident,
        by=bu,
        pseudonym="Child C",
        is_subject=True,
        full_name="Rory Calloway-Penn",
        address="Flat 3, 21 Quarry Lane\nHarrowmere",
        postcode="HM7 1LB",
    )
    decided = notified + dt.timedelta(days=15)
    services.decision_record(
        incident=incident,
        by=chair,
        decided_on=decided,
        outcome=DecisionOutcome.NO_REVIEW,
        reasons=(
            "Agencies worked together well once Child C went missing; there is no cause for "
            "concern about how they worked together, so the SCR criteria are not met. There "
            "is learning about exploitation screening in schools."
        ),
        criteria_reasons=_reasons(
            incident.regime,
            {"agencies-concern": "Not met: the multi-agency response was timely and joined up."},
            "Not met.",
        ),
        refer_for_learning_review=True,
    )
    letter = Letter.objects.get(incident=incident, kind=LetterKind.INITIATION_NO)
    _attach_notification(letter, bu)
    services.letter_mark_sent(letter=letter, sent_on=decided + dt.timedelta(days=6), by=bu)
    # The panel considered the letter and asks for more: the business unit's reply is due.
    services.panel_reply_record(
        incident=incident,
        letter=letter,
        kind="request",
        received_on=today - dt.timedelta(days=6),
        response_due_on=today + dt.timedelta(days=8),
        summary="The panel asks for the multi-agency chronology that informed the decision.",
        by=bu,
    )
    referral = incident.referrals.get()
    services.referral_decide(
        referral=referral,
        by=who["lichair"],
        decision=ReferralDecision.ACCEPTED,
        reasons="Learning about exploitation screening in schools is likely to apply widely.",
        methodology="practice-review-learning-event",
        decided_on=decided + dt.timedelta(days=20),
    )
    services.referral_create(
        partnership=p,
        source_kind="agency",
        referrer=who["lead_health"],
        reasons="A baby's repeated minor injuries were explained away by three services.",
        by=who["lead_health"],
        pseudonym="Child D",
        referred_on=today - dt.timedelta(days=12),
    )


def _harrowmere_waiting(ctx: Any, today: dt.date) -> None:
    """Cases with steps waiting today: the Chair's decision on Child E (and the agencies'
    chronologies for it), and the letter to the panel on Child F."""
    p, a, who = ctx.partnership, ctx.agencies, ctx.people
    bu, chair = who["bu"], who["chair"]
    aware = today - dt.timedelta(days=9)
    incident = services.incident_create(
        partnership=p,
        by=bu,
        pseudonym="Child E",
        incident_type="serious_harm",
        incident_on=aware - dt.timedelta(days=1),
        became_aware_on=aware,
        notified_on=calendar.add_working_days(aware, 2),
        criteria=["abuse-or-neglect", "seriously-harmed"],
        summary=(
            "Child E, aged nine, was admitted to hospital malnourished and with untreated "
            "injuries. The family had moved into the area in the spring and were known to "
            "the school and the GP."
        ),
        agencies=[a["social_care"], a["police"], a["health"], a["education"]],
    )
    asked = today - dt.timedelta(days=5)
    for key in ("social_care", "police", "health"):
        request = services.agency_request_create(
            incident=incident,
            agency=a[key],
            kind="chronology",
            requested_on=asked,
            due_on=today + dt.timedelta(days=9),
            by=bu,
            notes="Contact with Child E's family since they moved into the area.",
        )
        if key == "social_care":
            services.agency_request_receive(
                request=request, received_on=today - dt.timedelta(days=1), by=bu
            )
    ctx.extra["reviews_awaiting_decision"] = incident

    aware = today - dt.timedelta(days=30)
    notified = calendar.add_working_days(aware, 2)
    incident = services.incident_create(
        partnership=p,
        by=bu,
        pseudonym="Child F",
        incident_type="serious_harm",
        incident_on=aware,
        became_aware_on=aware,
        notified_on=notified,
        criteria=["seriously-harmed"],
        summary="Child F, aged 15, was seriously injured in a road collision while missing.",
        agencies=[a["social_care"], a["police"], a["yjs"]],
    )
    services.decision_record(
        incident=incident,
        by=chair,
        decided_on=today - dt.timedelta(days=3),
        outcome=DecisionOutcome.NO_REVIEW,
        reasons=(
            "Child F was not harmed through abuse or neglect, and agencies searched for and "
            "found Child F quickly; the SCR criteria are not met."
        ),
        criteria_reasons=_reasons(incident.regime, {}, "Not met."),
    )
    # The letter telling the panel why is generated with the decision: a draft the business
    # unit checks, edits (Edit the letter) and marks sent; not yet sent.


def _kingsbrook_rapid_review(ctx: Any, today: dt.date) -> None:
    from lift.core.models import Agency, Person

    kb = ctx.other_partnership
    bu = ctx.people["bu"]
    social_care = Agency.objects.get(partnership=kb, agency_type="social_care")
    police = agency_create(partnership=kb, name="Kingsbrook Constabulary", agency_type="police")
    health = agency_create(
        partnership=kb, name="Kingsbrook Integrated Care Board", agency_type="icb"
    )
    chair: Person = person_create(
        partnership=kb,
        email="chair@kingsbrook.example",
        full_name="Anwen Castellan",
        job_title="Independent scrutineer and chair",
        role=R.CHAIR,
        password=None,
    )
    aware = today - dt.timedelta(days=300)
    notified = calendar.add_working_days(aware, 2)
    incident = services.incident_create(
        partnership=kb,
        by=bu,
        pseudonym="Child K",
        incident_type="death",
        incident_on=aware - dt.timedelta(days=1),
        became_aware_on=aware,
        notified_on=notified,
        criteria=["abuse-or-neglect", "died"],
        summary="Child K, aged four months, died; neglect is suspected.",
        agencies=[social_care, police, health],
    )
    services.identity_create(
        incident=incident,
        by=bu,
        pseudonym="Child K",
        is_subject=True,
        full_name="Noah Tilbrook",
        postcode="KB3 9RD",
    )
    rr = services.rapid_review_start(
        incident=incident,
        by=bu,
        requested_on=notified,
        returns_due_on=calendar.add_working_days(notified, 7),
    )
    for request in incident.requests.all():
        services.agency_request_receive(
            request=request, received_on=calendar.add_working_days(notified, 6), by=bu
        )
    rr.meeting_on = calendar.add_working_days(notified, 9)
    rr.facts = "Child K lived with both parents; the family had moved twice in six months."
    rr.immediate_actions = "Safety plans for the two older children; police investigation."
    rr.learning = "Moves between areas broke health visiting continuity."
    rr.recommendation = "local"
    rr.recommendation_reasons = "Recurrent theme of transfer between areas; two agencies."
    rr.save()
    sent = calendar.add_working_days(notified, 13)
    services.rapid_review_send(rapid_review=rr, sent_on=sent, by=bu)
    services.rapid_review_panel_response(
        rapid_review=rr,
        response="agrees",
        responded_on=sent + dt.timedelta(days=14),
        notes="The Panel agrees that a local review is appropriate.",
        by=bu,
    )
    decided = sent + dt.timedelta(days=15)
    services.decision_record(
        incident=incident,
        by=chair,
        decided_on=decided,
        outcome=DecisionOutcome.STATUTORY,
        reasons="The rapid review and the Panel both recommend a local review.",
        criteria_reasons=_reasons(
            incident.regime,
            {
                "recurrent-themes": "Met: transfer between areas is a recurrent theme.",
                "agencies-concern": "Met: health and social care did not share the move.",
            },
            "Considered at the rapid review.",
        ),
    )
    _kingsbrook_lcspr(ctx, incident, chair, decided, {"police": police, "health": health})


def _kingsbrook_lcspr(
    ctx: Any, incident: Any, chair: Any, decided: dt.date, agencies: dict[str, Any]
) -> None:
    """The LCSPR on Child K, from the decision to the public page."""
    from lift.core.models import Agency

    kb, bu = ctx.other_partnership, ctx.people["bu"]
    social_care = Agency.objects.get(partnership=kb, agency_type="social_care")
    review = Review.objects.get(incident=incident)
    review.terms_of_reference = (
        "How did agencies share information about Child K's family as they moved between "
        "areas, and how did health visiting continuity work across the moves?"
    )
    review.scope_from = decided - dt.timedelta(days=420)
    review.scope_to = incident.incident_on
    review.methodology = "scie-systems"
    review.save()
    reviewer = services.reviewer_add(
        review=review,
        name="Marcus Elderwood",
        organisation="Independent reviewer",
        why_chosen="Experienced LCSPR author; no previous work with Kingsbrook's agencies.",
        by=bu,
    )
    services.reviewer_appoint(reviewer=reviewer, appointed_on=decided + dt.timedelta(days=5), by=bu)
    letter = Letter.objects.get(incident=incident, kind=LetterKind.INITIATION_YES)
    services.letter_regenerate(letter=letter, by=bu)
    services.letter_mark_sent(letter=letter, sent_on=decided + dt.timedelta(days=6), by=bu)
    _imrs_received(
        incident,
        review,
        [(social_care, 30), (agencies["health"], 34)],
        decided=decided,
        asked_after=7,
        due_after=35,
        qa_days=5,
        by=bu,
        uploaded={agencies["health"]: _kingsbrook_health_imr(kb, incident.pseudonym)},
    )
    services.milestone_add(
        review=review,
        kind="practitioner_event",
        planned_on=decided + dt.timedelta(days=60),
        done_on=decided + dt.timedelta(days=60),
        by=bu,
    )
    review.report_text = (
        "Summary\n\nChild K, aged four months, died at home; neglect is suspected. The family "
        "moved twice in six months and each move reset health visiting.\n\nFindings\n\n"
        "1. Records did not follow the family between areas.\n"
        "2. Nobody held the whole picture of the older children's needs."
    )
    review.briefing_text = (
        "Seven-minute briefing: when a family moves, make the call as well as sending the records."
    )
    review.save()
    completed = decided + dt.timedelta(days=140)
    services.review_complete(review=review, completed_on=completed, by=bu)
    _lessons_record(
        review, LESSONS["kingsbrook-lcspr"], completed=completed, agencies=agencies, by=bu
    )
    answers = {
        "public-interest": "The lessons on moves between areas matter to every partnership.",
        "lessons-shared": "Briefed to practitioners in all three agencies.",
        "balance-interests": "The older children are not described; ages only.",
        "fit-for-publication": "Written for publication from the start.",
        "legal-restrictions": "The police investigation has concluded.",
        "expert-advice": "Legal advice taken on the draft.",
        "media": "Statement agreed by the three safeguarding partners.",
    }
    decided_pub = completed + dt.timedelta(days=10)
    planned = calendar.add_working_days(decided_pub, 12)
    publication = services.publication_decide(
        review=review,
        by=bu,
        answers=answers,
        decision="publish",
        decided_on=decided_pub,
        planned_on=planned,
        public_summary="Child K's family moved twice; the records did not follow them.",
    )
    pub_letter = Letter.objects.get(incident=incident, kind=LetterKind.PUBLICATION_YES)
    services.letter_mark_sent(letter=pub_letter, sent_on=decided_pub + dt.timedelta(days=1), by=bu)
    services.publication_publish(publication=publication, published_on=planned, by=bu)
