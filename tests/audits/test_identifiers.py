"""A sampled child's restricted identifiers never leave through the overview report (page,
PDF, DOCX), exports, the API or e-mail - even if one slipped into stored text past the
checks on the way in."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lift.audits import services
from lift.audits.choices import Declaration
from lift.audits.models import Audit, AuditReturn, Workshop, YoungPeoplesViews
from lift.audits.reminders import audit_reminders
from lift.core import documents
from lift.core.models import Person
from lift.learning.models import Finding
from tests.factories import immediate_emails

from .conftest import CHILD_NAME, World, answer_everything, cleared_assignment

SURNAME = CHILD_NAME.split()[1]


@pytest.fixture
def leaky(world: World, django_capture_on_commit_callbacks: Any) -> World:
    """A finished audit whose stored text was edited behind the services' back to name the
    child (as a careless import or a database fix might)."""
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        x = cleared_assignment(w, w.case1, w.police, w.auditor_police)
    answer_everything(x.audit_return, w.auditor_police)
    services.return_submit(audit_return=x.audit_return, by=w.auditor_police)
    services.views_record(
        audit=w.audit,
        by=w.bu,
        group_description="Forum",
        held_on=dt.date(2015, 11, 1),
        how_gathered="survey",
        what_they_said="Tell us.",
    )
    services.workshop_record(
        audit=w.audit,
        by=w.bu,
        held_on=dt.date(2015, 11, 2),
        attendees="A",
        discussion_notes="Discussed.",
    )
    services.audit_finding_add(audit=w.audit, by=w.bu, title="F", text="T", kind="strength")
    AuditReturn.objects.filter(pk=x.audit_return_id).update(
        strengths=f"{CHILD_NAME} was seen weekly.",
        areas_for_improvement=f"{SURNAME} family not visited; DOB 14/03/2004; CSC-778812.",
        evidence_notes=f"Read {CHILD_NAME}'s file.",
    )
    YoungPeoplesViews.objects.filter(audit=w.audit).update(what_they_said=f"Like {CHILD_NAME}.")
    Workshop.objects.filter(audit=w.audit).update(challenge_notes=f"About {CHILD_NAME}.")
    Audit.objects.filter(pk=w.audit.pk).update(overview_summary=f"{CHILD_NAME} aside, fine.")
    Finding.objects.filter(title="F").update(text=f"{CHILD_NAME} again.")
    w.extra["return"] = x.audit_return
    return w


def _clean(text: str, w: World) -> None:
    lowered = text.lower()
    for identifier in w.case1.identity.identifiers():
        assert identifier.lower() not in lowered, f"{identifier!r} leaked"


def test_report_page(leaky: World) -> None:
    c = Client()
    c.force_login(leaky.board)
    page = c.get(reverse("audits:audit_report", args=[leaky.audit.pk])).content.decode()
    assert "Case MA-01" in page and "[identifier removed]" in page
    _clean(page, leaky)


def test_report_pdf(leaky: World, monkeypatch: pytest.MonkeyPatch) -> None:
    printed: list[str] = []
    real = documents._pdf_html

    def spy(doc: Any) -> str:
        html = real(doc)
        printed.append(html)
        return html

    monkeypatch.setattr(documents, "_pdf_html", spy)
    c = Client()
    c.force_login(leaky.board)
    response = c.get(reverse("audits:audit_report_download", args=[leaky.audit.pk, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert printed and "Case MA-01" in printed[0]
    _clean(printed[0], leaky)


def test_report_docx(leaky: World) -> None:
    c = Client()
    c.force_login(leaky.board)
    response = c.get(reverse("audits:audit_report_download", args=[leaky.audit.pk, "docx"]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        xml = z.read("word/document.xml").decode()
    assert "Case MA-01" in xml
    _clean(xml, leaky)


@pytest.mark.parametrize("name", ["audit_list", "assignment_list"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports(leaky: World, name: str, fmt: str) -> None:
    c = Client()
    c.force_login(leaky.bu)
    response = c.get(reverse(f"audits:{name}") + f"?export={fmt}")
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content)  # type: ignore[arg-type]
        if response.streaming
        else response.content
    )
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            content = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    _clean(content.decode("utf-8", "replace"), leaky)


def test_api(leaky: World) -> None:
    c = Client()
    c.force_login(leaky.bu)
    r = leaky.extra["return"]
    body = c.get(f"/api/v1/audit-returns/{r.pk}/").content.decode()
    assert "[identifier removed]" in body
    _clean(body, leaky)
    _clean(c.get("/api/v1/audit-assignments/").content.decode(), leaky)
    _clean(c.get("/api/v1/audits/").content.decode(), leaky)


def test_emails(leaky: World, django_capture_on_commit_callbacks: Any) -> None:
    w = leaky
    # Everyone chose an e-mail for each notification, so every notification is e-mailed.
    immediate_emails(*[v for v in vars(w).values() if isinstance(v, Person)])
    with django_capture_on_commit_callbacks(execute=True):
        x = services.assignment_create(
            case=w.case1,
            agency=w.health,
            auditor=w.auditor_health,
            by=w.bu,
            due_on=dt.date(2015, 10, 1),
        )
        audit_reminders(dt.date(2015, 10, 20))
        services.return_send_back(
            audit_return=w.extra["return"], by=w.lead_police, reason="Add more detail."
        )
    assert x.pk
    assert len(mail.outbox) >= 3
    for message in mail.outbox:
        _clean(message.subject + message.body, w)


def test_report_query_count_is_flat(world: World, django_assert_num_queries: Any) -> None:
    w = world
    c = Client()
    c.force_login(w.board)
    target = reverse("audits:audit_report", args=[w.audit.pk])

    def add_returns(case: Any) -> None:
        for agency, auditor in ((w.police, w.auditor_police), (w.health, w.auditor_health)):
            x = cleared_assignment(w, case, agency, auditor)
            answer_everything(x.audit_return, auditor)
            services.return_submit(audit_return=x.audit_return, by=auditor)

    add_returns(w.case1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c.get(target)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        c.get(target)
    add_returns(w.case2)
    for i in range(3, 6):
        add_returns(
            services.sample_case_add(
                audit=w.audit, reference=f"Case MA-{i:02}", by=w.bu, full_name=f"Fictional Child{i}"
            )
        )
    with django_assert_num_queries(len(small.captured_queries)):
        assert c.get(target).status_code == 200


# --- issue 17: the check on the way in confirms nothing about records the writer cannot open


OTHER_CHILD = "Corin Ashdown-Vale"  # case2's child, see conftest
RANDOM_NAME = "Ferdinand Mossbank"  # nobody in the sample


def _summary(c: Client, audit_return: Any, text: str) -> tuple[int, str]:
    response = c.post(
        reverse("audits:auditreturn_summary", args=[audit_return.pk]),
        {"evidence_notes": f"Met {text} at school.", "strengths": "", "areas_for_improvement": ""},
    )
    return response.status_code, response.get("Location", "")


def test_hidden_childs_name_is_treated_like_any_name(world: World) -> None:
    """An auditor cleared on case 1 cannot open case 2's restricted record: typing that
    child's name answers exactly as typing a random name does, so the check cannot be used to
    learn who is in the sample. The name of the child they can see is still refused."""
    from lift.audits.models import CaseIdentity

    w = world
    x = cleared_assignment(w, w.case1, w.police, w.auditor_police)
    visible = CaseIdentity.objects.restrict(w.auditor_police, "view")
    assert not visible.filter(case=w.case2).exists() and visible.filter(case=w.case1).exists()
    c = Client()
    c.force_login(w.auditor_police)
    assert _summary(c, x.audit_return, OTHER_CHILD) == _summary(c, x.audit_return, RANDOM_NAME)
    assert _summary(c, x.audit_return, RANDOM_NAME)[0] == 302
    response = c.post(
        reverse("audits:auditreturn_summary", args=[x.audit_return.pk]),
        {"evidence_notes": f"Met {CHILD_NAME}.", "strengths": "", "areas_for_improvement": ""},
    )
    assert response.status_code == 200 and "identifies a child" in response.content.decode()


def test_hidden_childs_name_in_a_line_of_enquiry(world: World) -> None:
    w = world
    x = cleared_assignment(w, w.case1, w.police, w.auditor_police)
    section = w.template.sections.first()
    question = section.questions.exclude(answer_type="yes_no_partly").first()

    def save(text: str) -> None:
        services.return_section_save(
            audit_return=x.audit_return,
            section=section,
            by=w.auditor_police,
            answers={question.pk: f"Spoke to {text}."},
            grade=None,
        )

    save(RANDOM_NAME)
    save(OTHER_CHILD)  # accepted, as the random name was
    with pytest.raises(ValidationError):
        save(CHILD_NAME)
    # the audit team, who can open every record, is still stopped for either child
    with pytest.raises(ValidationError):
        services.return_section_save(
            audit_return=x.audit_return,
            section=section,
            by=w.bu,
            answers={question.pk: f"Spoke to {OTHER_CHILD}."},
            grade=None,
        )


def test_declaration_before_clearance_confirms_no_name(world: World) -> None:
    """Before declaring, the auditor sees only the case reference: the declaration's details
    are not checked against a record they cannot open (any refusal would name the child)."""
    w = world
    x = services.assignment_create(case=w.case1, agency=w.health, auditor=w.auditor_health, by=w.bu)
    declared = services.assignment_declare(
        assignment=x, by=w.auditor_health, involved=True, details=f"I know {CHILD_NAME}."
    )
    assert declared.declaration == Declaration.BLOCKED  # as with any other name


def test_reading_back_a_hidden_childs_name_confirms_nothing(world: World) -> None:
    """What the auditor wrote comes back to them through the API as they wrote it, for a
    hidden child's name as for a random one (redacting only the first would confirm it);
    everyone else still gets it redacted."""
    w = world
    x = cleared_assignment(w, w.case1, w.police, w.auditor_police)
    services.return_summary_save(
        audit_return=x.audit_return,
        by=w.auditor_police,
        evidence_notes=f"Met {OTHER_CHILD} and {RANDOM_NAME}.",
        strengths="",
        areas_for_improvement="",
    )
    url = f"/api/v1/audit-returns/{x.audit_return_id}/"
    c = Client()
    c.force_login(w.auditor_police)
    assert c.get(url).json()["evidence_notes"] == f"Met {OTHER_CHILD} and {RANDOM_NAME}."
    c.force_login(w.bu)
    notes = c.get(url).json()["evidence_notes"]
    assert notes == f"Met [identifier removed] and {RANDOM_NAME}."
