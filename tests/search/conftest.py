"""Records of every indexed kind, each holding a stemmed word, and how to search as someone.

The index is written when a transaction commits; inside a test's transaction nothing
commits, so the fixtures run the commit callbacks as production's commit would
(`django_capture_on_commit_callbacks(execute=True)`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from lift.core.models import Agency, Partnership, Person
from lift.search.selectors import search


@pytest.fixture
def committing(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """A block whose commit callbacks run at its end, as after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def found(person: Person, partnership: Partnership, query: str, **filters: Any) -> set[str]:
    """'kind:id' of every hit the person gets."""
    return {f"{e.kind}:{e.object_id}" for e in search(person, partnership, query=query, **filters)}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@dataclass
class Made:
    key: str  # "kind:id"
    obj: Any


def make_record(kind: str, partnership: Partnership, agency: Agency, text: str) -> Any:
    """One record of `kind` in `partnership` whose text holds `text` (owned by, or about,
    `agency` where the kind has an agency)."""
    from lift.audits.models import Audit, AuditProgramme
    from lift.governance.models import Board, Decision, Meeting
    from lift.inspections.models import Inspection
    from lift.learning.models import Action, Finding, LibraryItem, Recommendation
    from lift.reviews.models import Review
    from lift.section11.models import Cycle, Framework, Section11Return
    from lift.training.models import Course
    from lift.voice.models import Consultation

    day = dt.date(2026, 3, 2)
    p = partnership
    if kind == "learning.finding":
        return Finding.objects.create(
            partnership=p, title="Lesson on home conditions", text=text, identified_on=day
        )
    if kind == "learning.recommendation":
        rec = Recommendation.objects.create(partnership=p, reference="R1", text=text)
        rec.agencies.add(agency)
        return rec
    if kind == "learning.action":
        return Action.objects.create(
            partnership=p,
            title="Audit home visits",
            description=text,
            owner_agency=agency,
            due_on=day,
            success_measure="Fewer repeat referrals.",
        )
    if kind == "learning.libraryitem":
        return LibraryItem.objects.create(
            partnership=p, kind="research", title="A national study", summary=text
        )
    if kind == "reviews.review":
        review = Review.objects.create(
            partnership=p,
            kind="learning_lessons",
            title="Learning review of Child B",
            pseudonym="Child B",
            decided_on=day,
            report_text=text,
        )
        review.agencies.add(agency)
        return review
    if kind == "audits.audit":
        programme, _ = AuditProgramme.objects.get_or_create(
            partnership=p, year="2026/27", title="Audits"
        )
        audit = Audit.objects.create(
            partnership=p, programme=programme, title="Thematic audit", purpose=text
        )
        audit.agencies.add(agency)
        return audit
    if kind == "section11.return":
        framework = Framework.objects.filter(partnership=None).order_by("pk").first()
        cycle = Cycle.objects.create(
            partnership=p,
            name=f"2025-27 ({Cycle.objects.count() + 1})",
            framework=framework,
            starts_on=day,
            deadline=day + dt.timedelta(days=90),
            challenge_starts_on=day + dt.timedelta(days=100),
            challenge_ends_on=day + dt.timedelta(days=130),
        )
        cycle.agencies.add(agency)
        return Section11Return.objects.create(
            partnership=p, cycle=cycle, agency=agency, conclusion=text
        )
    if kind == "inspections.inspection":
        return Inspection.objects.create(
            partnership=p,
            agency=agency,
            inspectorate="Ofsted",
            title="Inspection of the service",
            started_on=day,
            ended_on=day,
            summary=text,
        )
    if kind in {"governance.meeting", "governance.decision"}:
        board, _ = Board.objects.get_or_create(partnership=p, kind="board", name="The Board")
        meeting = Meeting.objects.create(
            partnership=p,
            board=board,
            title="Board meeting",
            starts_at=at(day),
            notes=text if kind == "governance.meeting" else "",
        )
        if kind == "governance.meeting":
            return meeting
        return Decision.objects.create(partnership=p, meeting=meeting, text=text)
    if kind == "training.course":
        return Course.objects.create(
            partnership=p,
            title="Working with families",
            level=2,
            format="course",
            learning_outcomes=text,
            trainer_kind="external",
        )
    if kind == "voice.consultation":
        return Consultation.objects.create(
            partnership=p, topic="What young people think", description=text, opened_on=day
        )
    raise AssertionError(f"no maker for {kind}")


@pytest.fixture
def make(
    partnership: Partnership, agency: Agency, committing: Callable[..., Any]
) -> Callable[..., Made]:
    def _make(kind: str, text: str, **kwargs: Any) -> Made:
        with committing():
            obj = make_record(
                kind, kwargs.get("partnership", partnership), kwargs.get("agency", agency), text
            )
        return Made(f"{kind}:{obj.pk}", obj)

    return _make


@pytest.fixture
def other_lead(make_person: Callable[..., Person], other_agency: Agency) -> Person:
    return make_person("safeguarding_lead", agency=other_agency, full_name="Ola Otherlead")
