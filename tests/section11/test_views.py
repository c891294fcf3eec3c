"""Every Section 11 page: permissions (anonymous, out of scope 404, no permission 403),
the journey through the pages, and query-count guards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lift.section11 import services
from lift.section11.choices import ReturnStatus
from lift.section11.models import Answer, Escalation, Section11Return

from ..permissions import assert_permissions
from .conftest import rate_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    make_framework: Any,
    make_cycle: Any,
    agency: Any,
    other_agency: Any,
    lead: Any,
    make_person: Any,
    lay: Any,
    business_unit: Any,
    chair: Any,
) -> dict[str, Any]:
    fw = make_framework()
    cycle = make_cycle(fw, [agency, other_agency])
    ret = cycle.returns.get(agency=agency)
    other_ret = cycle.returns.get(agency=other_agency)
    other_lead = make_person("safeguarding_lead", agency=other_agency, full_name="Olu Other")
    panel = services.panel_create(cycle=cycle, name="Panel A")
    member = services.panel_member_add(panel=panel, person=other_lead, is_chair=True)
    services.panel_member_add(panel=panel, person=lay, is_lay=True)
    return {
        "framework": fw,
        "cycle": cycle,
        "ret": ret,
        "other_ret": other_ret,
        "other_lead": other_lead,
        "panel": panel,
        "member": member,
    }


def _submit(ret: Section11Return, lead: Any) -> None:
    rate_all(ret, lead)
    services.return_submit(agency_return=ret, by=lead)


def test_cycle_pages_permissions(
    world: Any, business_unit: Any, lead: Any, learner: Any, outsider: Any, chair: Any
) -> None:
    cycle = world["cycle"]
    assert_permissions(
        reverse("section11:cycle_list"), allowed=[business_unit, lead], forbidden=[learner]
    )
    assert_permissions(
        reverse("section11:cycle_detail", args=[cycle.pk]),
        allowed=[business_unit, lead, chair],
        not_found=[outsider, learner],
    )
    assert_permissions(
        reverse("section11:cycle_add"), allowed=[business_unit], forbidden=[lead, chair]
    )
    for name in ("cycle_edit", "panel_add"):
        assert_permissions(
            reverse(f"section11:{name}", args=[cycle.pk]),
            allowed=[business_unit],
            forbidden=[lead, chair],
            not_found=[outsider],
        )
    assert_permissions(
        reverse("section11:cycle_close", args=[cycle.pk]),
        allowed=[business_unit, chair],
        forbidden=[lead],
        not_found=[outsider],
    )
    assert_permissions(
        reverse("section11:cycle_history", args=[cycle.pk]),
        allowed=[business_unit],
        not_found=[outsider],
    )
    assert_permissions(
        reverse("section11:framework_list"), allowed=[business_unit, lead], forbidden=[]
    )
    assert_permissions(
        reverse("section11:framework_detail", args=[world["framework"].pk]),
        allowed=[business_unit, lead],
        not_found=[outsider],
    )
    assert_permissions(
        reverse("section11:framework_delete", args=[world["framework"].pk]),
        allowed=[business_unit],
        forbidden=[lead],
        not_found=[outsider],
    )


def test_return_pages_permissions(
    world: Any, business_unit: Any, lead: Any, lay: Any, outsider: Any, learner: Any
) -> None:
    ret, other_lead = world["ret"], world["other_lead"]
    answer = ret.answers.first()
    url = reverse("section11:return_detail", args=[ret.pk])
    # The lead of another agency cannot see this return (their panel has not been given it).
    assert_permissions(
        url, allowed=[lead, business_unit, lay], not_found=[other_lead, outsider, learner]
    )
    assert_permissions(
        reverse("section11:answer_edit", args=[ret.pk, answer.pk]),
        allowed=[lead],
        forbidden=[business_unit, lay],
        not_found=[other_lead, outsider],
    )
    assert_permissions(
        reverse("section11:return_submit", args=[ret.pk]),
        allowed=[lead],
        forbidden=[business_unit],
        not_found=[other_lead, outsider],
    )
    assert_permissions(
        reverse("section11:return_action_add", args=[ret.pk]),
        allowed=[lead],
        forbidden=[business_unit],
        not_found=[other_lead],
    )
    assert_permissions(
        reverse("section11:section11return_history", args=[ret.pk]),
        allowed=[lead, business_unit],
        not_found=[other_lead, outsider],
    )
    assert_permissions(
        reverse("section11:return_challenge", args=[ret.pk]),
        allowed=[lead, business_unit, lay],
        not_found=[other_lead, outsider],
    )
    assert_permissions(
        reverse("section11:return_assign_panel", args=[ret.pk]),
        allowed=[business_unit],
        forbidden=[lead, lay],
        not_found=[other_lead],
    )


def test_panel_members_see_and_challenge_assigned_returns(
    world: Any, business_unit: Any, lead: Any, lay: Any, outsider: Any
) -> None:
    ret, other_lead, panel = world["ret"], world["other_lead"], world["panel"]
    _submit(ret, lead)
    services.return_assign_panel(agency_return=ret, panel=panel)
    # Now the police lead sits on the panel for this return: they may see it.
    assert_permissions(
        reverse("section11:return_challenge", args=[ret.pk]), allowed=[other_lead, lay]
    )
    assert_permissions(
        reverse("section11:challenge_start", args=[ret.pk]),
        allowed=[other_lead, lay, business_unit],
        forbidden=[lead],
        not_found=[outsider],
    )
    services.challenge_start(agency_return=ret, by=other_lead)
    answer = ret.answers.first()
    for name, args in (
        ("question_add", [ret.pk]),
        ("answer_moderate", [ret.pk, answer.pk]),
        ("return_moderate", [ret.pk]),
    ):
        assert_permissions(
            reverse(f"section11:{name}", args=args),
            allowed=[other_lead, lay],
            forbidden=[lead],
            not_found=[outsider],
        )
    q = services.question_ask(
        agency_return=ret, standard=ret.cycle.framework.standards.first(), question="Why?", by=lay
    )
    assert_permissions(
        reverse("section11:question_respond", args=[q.pk]),
        allowed=[lead],
        forbidden=[lay, other_lead],
        not_found=[outsider],
    )
    assert_permissions(
        reverse("section11:panel_detail", args=[panel.pk]),
        allowed=[business_unit, lay, other_lead],
        not_found=[lead, outsider],
    )
    assert_permissions(
        reverse("section11:panelmember_add", args=[panel.pk]),
        allowed=[business_unit],
        forbidden=[lay],
        not_found=[outsider],
    )
    assert_permissions(
        reverse("section11:panelmember_remove", args=[world["member"].pk]),
        allowed=[business_unit],
        forbidden=[lay],
        not_found=[outsider],
    )


def test_lead_answers_and_submits_through_the_pages(world: Any, lead: Any, client_for: Any) -> None:
    ret = world["ret"]
    c: Client = client_for(lead)
    answers = list(ret.answers.order_by("requirement__order"))
    url = reverse("section11:answer_edit", args=[ret.pk, answers[0].pk])
    bad = c.post(url, {"self_rating": "brilliant", "narrative": "x"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    response = c.post(url, {"self_rating": "fully", "narrative": "Named director."})
    assert response.status_code == 302
    assert response["Location"] == reverse("section11:answer_edit", args=[ret.pk, answers[1].pk])
    early = c.post(reverse("section11:return_submit", args=[ret.pk]))
    assert early.status_code == 200 and "Rate every requirement" in early.content.decode()
    for a in answers[1:]:
        last = c.post(
            reverse("section11:answer_edit", args=[ret.pk, a.pk]), {"self_rating": "partially"}
        )
    assert last["Location"] == reverse("section11:return_submit", args=[ret.pk])
    page = c.get(reverse("section11:return_submit", args=[ret.pk]))
    assert "Check your answers" in page.content.decode()
    done = c.post(reverse("section11:return_submit", args=[ret.pk]))
    assert done.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED
    # Read-only now: the answer page refuses a change.
    again = c.post(url, {"self_rating": "not-met"})
    assert again.status_code == 200
    assert Answer.objects.get(pk=answers[0].pk).self_rating == "fully"


def test_evidence_file_upload_on_an_answer(world: Any, lead: Any, client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    ret = world["ret"]
    answer = ret.answers.first()
    c = client_for(lead)
    upload = SimpleUploadedFile("policy.txt", b"Our safeguarding policy.", "text/plain")
    response = c.post(
        reverse("section11:answer_edit", args=[ret.pk, answer.pk]),
        {"self_rating": "fully", "evidence_file": upload},
    )
    assert response.status_code == 302
    page = c.get(reverse("section11:return_detail", args=[ret.pk]))
    assert "policy.txt" in page.content.decode()


def test_return_page_query_count_does_not_grow_with_requirements(
    make_framework: Any,
    make_cycle: Any,
    agency: Any,
    lead: Any,
    client_for: Any,
    django_assert_num_queries: Any,
) -> None:
    small = make_cycle(make_framework(code="small", standards=2, per_standard=5), [agency])
    big = make_cycle(
        make_framework(code="big", standards=8, per_standard=15), [agency], name="2017-19"
    )
    c = client_for(lead)
    counts = []
    for cycle in (small, big):
        ret = cycle.returns.get()
        rate_all(ret, lead) if cycle is small else None
        url = reverse("section11:return_detail", args=[ret.pk])
        c.get(url)  # warm caches (content types, session)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert big.returns.get().answers.count() == 120


def test_report_follow_up_and_letters(
    world: Any,
    lead: Any,
    business_unit: Any,
    chair: Any,
    outsider: Any,
    client_for: Any,
) -> None:
    # Role assignments start today, so the dates are set relative to today rather than by
    # travelling in time.
    today = timezone.localdate()
    cycle, ret = world["cycle"], world["ret"]
    _submit(ret, lead)
    services.return_action_add(
        agency_return=ret,
        by=lead,
        title="Audit supervision",
        due_on=today - dt.timedelta(days=30),
        success_measure="Supervision audit shows monthly sessions",
    )
    report_url = reverse("section11:cycle_report", args=[cycle.pk])
    assert_permissions(
        report_url, allowed=[business_unit, chair], forbidden=[lead], not_found=[outsider]
    )
    c = client_for(business_unit)
    write = c.post(
        reverse("section11:overview_write", args=[cycle.pk]),
        {"summary": "Both agencies returned.", "key_areas": "Supervision\nViews of children"},
    )
    assert write.status_code == 302
    page = c.get(report_url).content.decode()
    assert "govuk-tag--green" in page and "Heat map" in page
    assert 'style="' not in page and "<script>" not in page
    for fmt, ctype in (("pdf", "application/pdf"), ("docx", "wordprocessingml")):
        resp = c.get(report_url, {"format": fmt})
        assert resp.status_code == 200 and ctype in resp["Content-Type"]
    assert_permissions(
        reverse("section11:overview_present", args=[cycle.pk]),
        allowed=[business_unit, chair],
        forbidden=[lead],
    )
    board = today - dt.timedelta(days=200)
    c.post(
        reverse("section11:overview_present", args=[cycle.pk]), {"board_date": board.isoformat()}
    )
    follow_url = reverse("section11:cycle_follow_up", args=[cycle.pk])
    assert_permissions(follow_url, allowed=[business_unit, chair], forbidden=[lead])
    assert services.follow_up_due(today) == 1
    cc = client_for(chair)
    page = cc.get(follow_url).content.decode()
    assert "Audit supervision" in page and "Overdue" in page
    assert cc.get(follow_url, {"format": "docx"}).status_code == 200
    add_url = reverse("section11:escalation_add", args=[cycle.pk])
    assert_permissions(add_url, allowed=[chair, business_unit], forbidden=[lead])
    resp = cc.post(
        add_url,
        {
            "agency": ret.agency.pk,
            "addressee": "Director of Children's Services",
            "letter_text": "Please update the Board.",
        },
    )
    assert resp.status_code == 302
    letter = Escalation.objects.get()
    letter_url = reverse("section11:escalation_detail", args=[letter.pk])
    assert_permissions(letter_url, allowed=[chair, lead], not_found=[world["other_lead"]])
    assert cc.get(letter_url, {"format": "pdf"})["Content-Type"] == "application/pdf"
    assert_permissions(
        reverse("section11:escalation_response", args=[letter.pk]),
        allowed=[chair],
        forbidden=[lead],
    )
    assert_permissions(
        reverse("section11:follow_up_present", args=[cycle.pk]),
        allowed=[chair],
        forbidden=[lead],
    )


def test_my_work_shows_my_return_and_my_panels_steps(
    world: Any, lead: Any, client_for: Any
) -> None:
    """The lead's return and the panel's challenge are on the to-do lists (their kinds are
    tested in tests/section11/test_todo.py); the "Our Section 11 return" panel stays for
    returns past the lead's steps, and "My peer challenge panel" gave way to the list."""
    ret = world["ret"]
    page = client_for(lead).get("/").content.decode()
    assert "Complete and submit the Section 11 return for" in page
    assert f'href="{ret.get_absolute_url()}"' in page and "0 of 4 requirements answered" in page
    assert "Our Section 11 return" in page
    _submit(ret, lead)
    services.return_assign_panel(agency_return=ret, panel=world["panel"])
    page = client_for(lead).get("/").content.decode()
    assert "Complete and submit the Section 11 return" not in page
    assert "Our Section 11 return" in page and "Submitted" in page
    page = client_for(world["other_lead"]).get("/").content.decode()
    assert "Start the peer challenge of the Section 11 return for" in page
    assert f'href="{reverse("section11:return_challenge", args=[ret.pk])}"' in page
    assert "My peer challenge panel" not in page


def test_open_cycle_performance_40_agencies_by_120_requirements(
    make_framework: Any,
    partnership: Any,
    business_unit: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from ..factories import AgencyFactory

    agencies = [AgencyFactory(partnership=partnership, name=f"Agency {i:02}") for i in range(40)]
    fw = make_framework(code="big", standards=8, per_standard=15)
    cycle = services.cycle_create(
        partnership=partnership,
        name="2015-17",
        framework=fw,
        agencies=agencies,
        starts_on=dt.date(2015, 9, 1),
        deadline=dt.date(2015, 12, 1),
        challenge_starts_on=dt.date(2016, 1, 4),
        challenge_ends_on=dt.date(2016, 2, 26),
        by=business_unit,
    )
    # 4,800 answer rows in bulk: the inserts are batched (SQLite allows 999 parameters per
    # statement, so about 70 batches there; PostgreSQL takes 1,000 rows a batch) - the count
    # is bounded by the batch size, never one query per row, agency or requirement.
    with django_assert_max_num_queries(100):
        services.cycle_open(cycle=cycle, by=business_unit)
    assert Answer.objects.filter(agency_return__cycle=cycle).count() == 4800
    c = Client()
    c.force_login(business_unit)
    ret = cycle.returns.order_by("pk").first()
    for url in (
        reverse("section11:cycle_list"),
        reverse("section11:cycle_detail", args=[cycle.pk]),
        reverse("section11:cycle_report", args=[cycle.pk]),
        reverse("section11:return_detail", args=[ret.pk]),
        reverse("section11:return_challenge", args=[ret.pk]),
    ):
        c.get(url)  # warm caches (content types, the report's drawing)
        with django_assert_max_num_queries(20):
            assert c.get(url).status_code == 200


def test_deleting_a_framework_in_use_shows_why_on_the_page(
    world: Any, business_unit: Any, client_for: Any
) -> None:
    fw = world["framework"]
    response = client_for(business_unit).post(
        reverse("section11:framework_delete", args=[fw.pk]), {"reason": "Tidying up"}
    )
    assert response.status_code == 200
    assert "is used by the cycle(s) 2015-17, so it cannot be deleted" in response.content.decode()
    assert type(fw).objects.filter(pk=fw.pk).exists()


def test_closing_a_cycle_with_unmoderated_returns_needs_a_reason(
    world: Any, chair: Any, client_for: Any
) -> None:
    url = reverse("section11:cycle_close", args=[world["cycle"].pk])
    c = client_for(chair)
    refused = c.post(url, {"reason": ""})
    assert refused.status_code == 200 and "cannot close while a return is not moderated" in (
        refused.content.decode()
    )
    assert c.post(url, {"reason": "Both agencies are restructuring."}).status_code == 302


def test_planning_and_opening_a_cycle_through_the_pages(
    make_framework: Any, agency: Any, other_agency: Any, business_unit: Any, client_for: Any
) -> None:
    fw = make_framework()
    c = client_for(business_unit)
    response = c.post(
        reverse("section11:cycle_add"),
        {
            "name": "2017-19",
            "framework": fw.pk,
            "agencies": [agency.pk, other_agency.pk],
            "starts_on": "2017-09-01",
            "deadline": "2017-12-15",
            "challenge_starts_on": "2018-01-08",
            "challenge_ends_on": "2018-02-23",
        },
    )
    assert response.status_code == 302
    cycle = fw.cycles.get()
    assert c.post(reverse("section11:cycle_open", args=[cycle.pk])).status_code == 302
    assert cycle.returns.count() == 2
    page = c.get(reverse("section11:cycle_detail", args=[cycle.pk])).content.decode()
    assert "0 of 4" in page
