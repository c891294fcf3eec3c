"""Pages: permissions for every view, the decision journey, letters, publication, and that
restricted identifiers never reach lists, exports, history, e-mails or other people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from lift.core.models import AccessLog, Agency, Partnership, Person
from lift.reviews import services
from lift.reviews.choices import DecisionOutcome, LetterKind
from lift.reviews.models import ChildIdentity, Decision, Incident, Letter, Review
from lift.reviews.reference import reference
from tests.permissions import assert_permissions
from tests.reviews.test_services import decide

SECRETS = [
    "Jayden",
    "Thornbury",
    "943 476 5919",
    "9434765919",
    "Larkspur",
    "HM4 7QZ",
    "CS-55501",
    "2019-03-04",
]


def assert_no_identifiers(content: bytes | str) -> None:
    text = content.decode() if isinstance(content, bytes) else content
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked"


@pytest.fixture
def outsider_bu(other_partnership: Partnership) -> Person:
    from tests.factories import person_with_role

    return person_with_role("business_unit", other_partnership)


@pytest.fixture
def decided(incident: Incident, chair: Person) -> Decision:
    return decide(incident, chair)


# --- permissions for every page ---------------------------------------------------------


def test_incident_pages_permissions(
    incident: Incident,
    business_unit: Person,
    chair: Person,
    board_member: Person,
    learner: Person,
    outsider_bu: Person,
    lead: Person,
) -> None:
    base = f"/incidents/{incident.pk}/"
    assert_permissions(
        "/incidents/", allowed=[business_unit, chair, board_member, lead], forbidden=[learner]
    )
    assert_permissions(
        base, allowed=[business_unit, chair, board_member, lead], not_found=[outsider_bu, learner]
    )
    assert_permissions(
        base + "history/", allowed=[business_unit, board_member], not_found=[outsider_bu]
    )
    assert_permissions(
        base + "edit/",
        allowed=[business_unit],
        not_found=[outsider_bu],
        forbidden=[board_member, chair],
    )
    assert_permissions(
        base + "notify/", allowed=[business_unit], not_found=[outsider_bu], forbidden=[board_member]
    )
    assert_permissions(
        "/incidents/add/", allowed=[business_unit, lead], forbidden=[board_member, chair, learner]
    )
    assert_permissions(
        base + "team/", allowed=[business_unit], not_found=[outsider_bu], forbidden=[board_member]
    )
    assert_permissions(
        base + "meetings/add/",
        allowed=[business_unit, chair],
        not_found=[outsider_bu],
        forbidden=[board_member],
    )
    assert_permissions(base + "dhr/", allowed=[business_unit, chair], forbidden=[board_member])
    assert_permissions(
        base + "replies/add/", allowed=[business_unit, chair], forbidden=[board_member]
    )
    assert_permissions(
        base + "letters/add/", allowed=[business_unit, chair], forbidden=[board_member]
    )
    assert_permissions(
        base + "requests/add/", allowed=[business_unit], forbidden=[board_member, chair]
    )
    assert_permissions(base + "rapid-review/", allowed=[business_unit], forbidden=[board_member])


def test_restricted_record_pages_only_case_team(
    incident: Incident,
    identity: ChildIdentity,
    business_unit: Person,
    chair: Person,
    board_member: Person,
    team_member: Person,
    outsider_bu: Person,
) -> None:
    assert_permissions(
        f"/incidents/{incident.pk}/restricted/",
        allowed=[business_unit, team_member],
        forbidden=[chair, board_member],
        not_found=[outsider_bu],
    )
    assert_permissions(
        f"/incidents/{incident.pk}/restricted/add/",
        allowed=[team_member],
        forbidden=[chair, board_member],
    )
    for suffix in ("", "edit/", "history/"):
        assert_permissions(
            f"/restricted-records/{identity.pk}/{suffix}",
            allowed=[team_member, business_unit],
            not_found=[chair, board_member, outsider_bu],
        )


def test_each_read_of_the_restricted_record_is_logged(
    identity: ChildIdentity, team_member: Person, client_for: Callable[[Person], Client]
) -> None:
    before = AccessLog.objects.count()
    response = client_for(team_member).get(f"/restricted-records/{identity.pk}/")
    assert b"Jayden Thornbury-Quell" in response.content
    log = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1
    assert log.person == team_member and log.object_repr == "Restricted record: Child A"


def test_review_pages_permissions(
    decided: Decision,
    business_unit: Person,
    chair: Person,
    board_member: Person,
    learner: Person,
    outsider_bu: Person,
    make_person: Callable[..., Person],
) -> None:
    review = Review.objects.get()
    reviewer = services.reviewer_add(review=review, name="R One", why_chosen="x", by=business_unit)
    milestone = services.milestone_add(
        review=review, kind="draft", planned_on=dt.date(2025, 7, 1), by=business_unit
    )
    base = f"/reviews/{review.pk}/"
    assert_permissions("/reviews/", allowed=[business_unit, board_member], forbidden=[learner])
    assert_permissions(
        "/reviews/dashboard/", allowed=[business_unit, chair, board_member], forbidden=[learner]
    )
    assert_permissions("/reviews/add/", allowed=[business_unit, chair], forbidden=[board_member])
    assert_permissions(
        base, allowed=[business_unit, board_member], not_found=[outsider_bu, learner]
    )
    assert_permissions(base + "history/", allowed=[business_unit], not_found=[outsider_bu])
    assert_permissions(base + "edit/", allowed=[business_unit, chair], forbidden=[board_member])
    for suffix in ("reviewers/add/", "panel/add/"):
        assert_permissions(
            base + suffix,
            allowed=[business_unit, chair],
            forbidden=[board_member],
            not_found=[outsider_bu],
        )
    for suffix in (
        "requests/add/",
        "contributions/add/",
        "milestones/add/",
        "complete/",
        "findings/add/",
        "actions/add/",
    ):
        assert_permissions(
            base + suffix,
            allowed=[business_unit, chair],
            forbidden=[board_member],
            not_found=[outsider_bu],
        )
    assert_permissions(base + "guard/", allowed=[business_unit, chair], forbidden=[board_member])
    assert_permissions(
        base + "publication/", allowed=[business_unit, chair], forbidden=[board_member]
    )
    assert_permissions(
        f"/reviewers/{reviewer.pk}/appoint/",
        allowed=[business_unit, chair],
        forbidden=[board_member],
    )
    assert_permissions(
        f"/reviewers/{reviewer.pk}/override/",
        allowed=[chair],
        forbidden=[business_unit, board_member],
    )
    assert_permissions(
        f"/milestones/{milestone.pk}/done/", allowed=[business_unit], forbidden=[board_member]
    )


def test_letter_pages_permissions(
    decided: Decision,
    business_unit: Person,
    chair: Person,
    board_member: Person,
    outsider_bu: Person,
    learner: Person,
) -> None:
    letter = Letter.objects.get()
    template = services.lettertemplate_for(letter.partnership, LetterKind.INITIATION_YES)
    assert_permissions("/letters/", allowed=[business_unit, board_member], forbidden=[learner])
    assert_permissions(
        f"/letters/{letter.pk}/",
        allowed=[business_unit, board_member],
        not_found=[outsider_bu, learner],
    )
    assert_permissions(f"/letters/{letter.pk}/history/", allowed=[business_unit])
    assert_permissions(
        f"/letters/{letter.pk}/sent/", allowed=[business_unit, chair], forbidden=[board_member]
    )
    assert_permissions(
        f"/letters/{letter.pk}/regenerate/", allowed=[business_unit], forbidden=[board_member]
    )
    assert_permissions(
        "/letter-templates/", allowed=[business_unit, chair], forbidden=[board_member]
    )
    assert_permissions(
        f"/letter-templates/{template.pk}/",
        allowed=[business_unit, chair],
        not_found=[board_member, outsider_bu],
    )
    assert_permissions(
        f"/letter-templates/{template.pk}/edit/", allowed=[business_unit], forbidden=[chair]
    )
    assert_permissions(f"/letter-templates/{template.pk}/history/", allowed=[business_unit])
    assert_permissions(
        f"/letter-templates/{template.pk}/reset/", allowed=[business_unit], forbidden=[chair]
    )


def test_letter_pdf_and_docx(
    decided: Decision, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    letter = Letter.objects.get()
    pdf = client_for(business_unit).get(f"/letters/{letter.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    docx = client_for(business_unit).get(f"/letters/{letter.pk}/docx/")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert client_for(business_unit).get(f"/letters/{letter.pk}/odt/").status_code == 404


def test_referral_pages_permissions(
    partnership: Partnership,
    lead: Person,
    business_unit: Person,
    board_member: Person,
    learner: Person,
    outsider_bu: Person,
    make_person: Callable[..., Person],
) -> None:
    referral = services.referral_create(
        partnership=partnership,
        source_kind="agency",
        referrer=lead,
        reasons="x",
        by=lead,
        pseudonym="Child F",
    )
    lichair = make_person("subgroup_chair")
    assert_permissions("/referrals/", allowed=[business_unit, lead, board_member, learner])
    # A learner may list only the referrals they made themselves: none.
    learner_client = Client()
    learner_client.force_login(learner)
    assert b"Child F" not in learner_client.get("/referrals/").content
    assert_permissions(
        "/referrals/add/", allowed=[business_unit, lead, lichair], forbidden=[board_member, learner]
    )
    assert_permissions(
        f"/referrals/{referral.pk}/",
        allowed=[business_unit, lead, lichair],
        not_found=[outsider_bu, learner],
    )
    assert_permissions(f"/referrals/{referral.pk}/history/", allowed=[business_unit])
    assert_permissions(
        f"/referrals/{referral.pk}/decide/",
        allowed=[business_unit, lichair],
        forbidden=[lead, board_member],
    )


def test_rapid_review_pages(
    make_person: Callable[..., Person], client_for: Callable[[Person], Client]
) -> None:
    from tests.factories import PartnershipFactory, person_with_role

    current = PartnershipFactory(slug="kb", regime="current")
    bu = person_with_role("business_unit", current)
    board = person_with_role("board_member", current)
    agency = Agency.objects.create(partnership=current, name="KB CSC", agency_type="social_care")
    incident = services.incident_create(
        partnership=current,
        by=bu,
        pseudonym="Child K",
        incident_type="death",
        incident_on=dt.date(2025, 5, 20),
        became_aware_on=dt.date(2025, 5, 20),
        notified_on=dt.date(2025, 5, 21),
        agencies=[agency],
    )
    response = client_for(bu).post(f"/incidents/{incident.pk}/rapid-review/")
    rr = incident.rapid_review
    assert response.status_code == 302 and response["Location"] == f"/rapid-reviews/{rr.pk}/"
    request = incident.requests.get()
    for suffix in ("", "history/", "edit/", "send/", "response/"):
        ok = [bu, board] if suffix in ("", "history/") else [bu]
        assert_permissions(f"/rapid-reviews/{rr.pk}/{suffix}", allowed=ok)
    assert_permissions(f"/agency-requests/{request.pk}/", allowed=[bu, board])
    assert_permissions(f"/agency-requests/{request.pk}/received/", allowed=[bu], forbidden=[board])
    assert_permissions(
        f"/agency-requests/{request.pk}/quality-assured/", allowed=[bu], forbidden=[board]
    )


# --- the Chair's decision: one question per page, check your answers ---------------------


def test_decision_journey(
    incident: Incident, chair: Person, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    assert client_for(business_unit).get(f"/incidents/{incident.pk}/decision/").status_code == 403
    c = client_for(chair)
    start = c.get(f"/incidents/{incident.pk}/decision/")
    assert start["Location"].endswith("/decision/date/")
    # Back-dating before the incident is refused on its own page.
    bad = c.post(f"/incidents/{incident.pk}/decision/date/", {"decided_on": "2025-04-01"})
    assert bad.status_code == 200 and b"before the incident" in bad.content
    assert c.post(f"/incidents/{incident.pk}/decision/date/", {"decided_on": "2025-05-20"})[
        "Location"
    ].endswith("/outcome/")
    assert (
        c.post(f"/incidents/{incident.pk}/decision/outcome/", {"outcome": "no_review"}).status_code
        == 302
    )
    assert (
        c.post(
            f"/incidents/{incident.pk}/decision/reasons/",
            {"reasons": "Does not meet the criteria."},
        ).status_code
        == 302
    )
    for crit in reference().for_regime("lscb-2015").at("review"):
        r = c.post(
            f"/incidents/{incident.pk}/decision/criterion-{crit.key}/", {"reason": "Not met."}
        )
        assert r.status_code == 302
    r = c.post(f"/incidents/{incident.pk}/decision/referral/", {"refer": "yes"})
    assert r["Location"].endswith("/decision/check/")
    check = c.get(r["Location"])
    assert (
        b"Check your answers" in check.content and b"Does not meet the criteria." in check.content
    )
    assert not Decision.objects.exists()
    done = c.post(r["Location"])
    assert done.status_code == 302
    decision = Decision.objects.get()
    assert decision.outcome == DecisionOutcome.NO_REVIEW and decision.refer_for_learning_review
    assert Letter.objects.get().kind == LetterKind.INITIATION_NO
    assert c.get(f"/incidents/{incident.pk}/decision/").status_code == 404
    # Once recorded, no question and no check page is there to take, nor to post.
    assert c.get(f"/incidents/{incident.pk}/decision/reasons/").status_code == 404
    assert c.post(f"/incidents/{incident.pk}/decision/check/").status_code == 404
    assert Decision.objects.count() == 1


def test_decision_pages_ask_in_order_and_only_the_questions_that_apply(
    incident: Incident,
    chair: Person,
    board_member: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    base = f"/incidents/{incident.pk}/decision/"
    assert client_for(board_member).get(base + "date/").status_code == 403
    assert client_for(outsider).get(base + "date/").status_code == 404
    c = client_for(chair)
    # The check page sends the Chair back to the first question not yet answered.
    assert c.get(base + "check/")["Location"].endswith("/decision/date/")
    assert c.post(base + "check/")["Location"].endswith("/decision/date/")
    page = c.get(base + "date/")
    assert page.status_code == 200 and b"question 1 of" in page.content
    assert c.get(base + "no-such-question/").status_code == 404
    # The referral question is asked only for an outcome that is not a review.
    assert c.post(base + "outcome/", {"outcome": "no_review"}).status_code == 302
    assert c.get(base + "referral/").status_code == 200
    assert c.post(base + "outcome/", {"outcome": DecisionOutcome.STATUTORY}).status_code == 302
    assert c.get(base + "referral/").status_code == 404
    assert c.get(base + "outcome/").content.count(b"checked") == 1
    assert not Decision.objects.exists()


def test_letter_needs_a_date_to_be_marked_sent(
    decided: Decision, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    letter = Letter.objects.get()
    c = client_for(business_unit)
    r = c.post(f"/letters/{letter.pk}/sent/", {"sent_on": ""})
    assert r.status_code == 200 and b"Enter the date the letter was sent" in r.content
    assert c.post(f"/letters/{letter.pk}/sent/", {"sent_on": "2025-05-21"}).status_code == 302
    letter.refresh_from_db()
    assert letter.sent_on == dt.date(2025, 5, 21) and letter.sent_by == business_unit


def test_letter_template_edit_refuses_tags(
    partnership: Partnership, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    template = services.lettertemplate_for(partnership, LetterKind.INITIATION_NO)
    c = client_for(business_unit)
    page = c.get(f"/letter-templates/{template.pk}/edit/")
    r = c.post(
        f"/letter-templates/{template.pk}/edit/",
        {
            "name": "x",
            "subject": "s",
            "body": "{% include 'base.html' %}",
            "_version": page.context["version"],
        },
    )
    assert r.status_code == 200 and b"not allowed" in r.content


# --- identifiers never leak -------------------------------------------------------------


def test_identifiers_not_in_lists_exports_or_pages(
    incident: Incident,
    identity: ChildIdentity,
    decided: Decision,
    business_unit: Person,
    board_member: Person,
    chair: Person,
    client_for: Callable[[Person], Client],
) -> None:
    for person in (business_unit, board_member, chair):
        c = client_for(person)
        for url in (
            "/incidents/",
            "/incidents/?export=csv",
            "/incidents/?export=xlsx",
            f"/incidents/{incident.pk}/",
            f"/incidents/{incident.pk}/history/",
            "/reviews/",
            "/reviews/?export=csv",
            "/reviews/dashboard/",
            "/letters/",
            "/letters/?export=csv",
            "/history/",
            "/",
        ):
            response = c.get(url)
            if response.status_code == 200:
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                if url.endswith("xlsx"):
                    import io

                    from openpyxl import load_workbook

                    sheet = load_workbook(io.BytesIO(body)).active
                    body = " ".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()
                assert_no_identifiers(body)


def test_history_diffs_hidden_from_non_team(
    identity: ChildIdentity,
    board_member: Person,
    business_unit: Person,
    chair: Person,
    client_for: Callable[[Person], Client],
) -> None:
    identity.full_name = "Jayden Thornbury"
    identity.save()
    for person in (chair, board_member):
        assert (
            client_for(person).get(f"/restricted-records/{identity.pk}/history/").status_code == 404
        )
        search = client_for(person).get("/history/?q=Restricted")
        if search.status_code == 200:
            assert_no_identifiers(search.content)
    api = client_for(business_unit).get("/api/v1/history/")
    assert api.status_code == 200
    assert_no_identifiers(api.content)


def test_emails_carry_no_identifiers(
    chair: Person, incident: Incident, identity: ChildIdentity, business_unit: Person
) -> None:
    """The reminder e-mails of the incident's clocks (the real tick path) name no child."""
    from lift.core.tasks import tick

    tick(dt.date(2025, 6, 2))
    tick(dt.date(2025, 7, 20))
    from lift.core.models import OutboundEmail

    emails = list(OutboundEmail.objects.all())
    assert emails, "the overdue decision clock should have sent a reminder"
    assert any(e.to == chair.email for e in emails), "the Chair is told a decision is needed"
    for email in emails:
        assert_no_identifiers(email.subject + email.body)
    for message in mail.outbox:
        assert_no_identifiers(message.subject + message.body)


def test_publication_guard_page_masks(
    decided: Decision,
    identity: ChildIdentity,
    business_unit: Person,
    client_for: Callable[[Person], Client],
) -> None:
    review = Review.objects.get()
    review.report_text = "Intro.\nJayden's mother was seen at 14 Larkspur Close."
    review.save()
    page = client_for(business_unit).get(f"/reviews/{review.pk}/guard/")
    assert page.status_code == 200
    assert b"name of Child A" in page.content and b"address of Child A" in page.content
    assert_no_identifiers(page.content)


def test_public_pages_need_no_login_and_show_only_published(
    decided: Decision, business_unit: Person, client: Client
) -> None:
    review = Review.objects.get()
    review.report_text = "Child A was harmed. Lessons follow."
    review.save()
    services.review_complete(review=review, completed_on=dt.date(2025, 5, 22), by=business_unit)
    answers = {q.key: "Considered." for q in reference().questions}
    with time_machine.travel(dt.datetime(2025, 5, 22, 10, 0), tick=False):
        publication = services.publication_decide(
            review=review,
            by=business_unit,
            answers=answers,
            decision="publish",
            decided_on=dt.date(2025, 5, 22),
            planned_on=dt.date(2025, 6, 1),
        )
    assert client.get("/public/reviews/").status_code == 200
    letter = Letter.objects.get(kind=LetterKind.PUBLICATION_YES)
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 22), by=business_unit)
    services.publication_publish(
        publication=publication, published_on=dt.date(2025, 6, 1), by=business_unit
    )
    review.refresh_from_db()
    listing = client.get("/public/reviews/")
    assert review.title.encode() in listing.content
    detail = client.get(f"/public/reviews/{review.slug}/")
    assert detail.status_code == 200 and b"Lessons follow." in detail.content
    assert client.get("/public/reviews/not-a-review/").status_code == 404


def test_dashboard_query_count(
    partnership: Partnership,
    business_unit: Person,
    chair: Person,
    client_for: Callable[[Person], Client],
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(6):
        inc = services.incident_create(
            partnership=partnership,
            by=business_unit,
            pseudonym=f"Child {n}",
            incident_type="death",
            incident_on=dt.date(2025, 5, 1),
            became_aware_on=dt.date(2025, 5, 1),
            notified_on=dt.date(2025, 5, 2),
        )
        decide(inc, chair)
    c = client_for(business_unit)
    c.get("/reviews/dashboard/")
    with django_assert_max_num_queries(20):
        assert c.get("/reviews/dashboard/").status_code == 200
    with django_assert_max_num_queries(20):
        assert c.get("/incidents/").status_code == 200


def test_joint_dhr_report_page(
    incident: Incident,
    decided: Decision,
    business_unit: Person,
    board_member: Person,
    client_for: Callable[[Person], Client],
) -> None:
    url = f"/incidents/{incident.pk}/dhr/report/"
    assert client_for(business_unit).get(url).status_code == 404  # no joint DHR yet
    services.joint_dhr_record(
        incident=incident,
        by=business_unit,
        cspb_chair="Olu Marchetti",
        decided_on=dt.date(2025, 5, 21),
        panels="joint",
        reports="joint",
    )
    assert_permissions(url, allowed=[business_unit], forbidden=[board_member])


def test_chair_told_a_decision_is_needed(chair: Person, incident: Incident) -> None:
    from lift.core.models import Notification

    note = Notification.objects.get(person=chair)
    assert "Child A" in note.title and note.url == incident.get_absolute_url()
