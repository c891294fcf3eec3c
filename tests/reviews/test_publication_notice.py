"""The publication notice is counted one way: the clock (back from the planned date) and
the publish step agree, a Saturday publication included (issue 21 item 14)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lift.core import calendar
from lift.core.clocks import clocks_for
from lift.core.models import Person
from lift.core.reference import regime
from lift.reviews import services
from lift.reviews.choices import LetterKind, PublicationDecision
from lift.reviews.models import Incident, Letter
from lift.reviews.reference import reference

from .test_services import _completed_review

pytestmark = pytest.mark.django_db

SATURDAY = dt.date(2025, 6, 21)


def test_a_saturday_publication_with_notice_sent_on_its_due_date_is_published(
    incident: Incident, chair: Person, business_unit: Person
) -> None:
    partnership = incident.partnership
    partnership.regime = "current"  # 7 working days' notice
    partnership.save()
    review = _completed_review(incident, chair, business_unit, "Child A was harmed.")
    publication = services.publication_decide(
        review=review,
        by=business_unit,
        answers={q.key: "Considered." for q in reference().questions},
        decision=PublicationDecision.PUBLISH,
        decided_on=dt.date(2025, 5, 27),
        planned_on=SATURDAY,
    )
    notice = clocks_for(publication, rule="publication-notice").get()
    # 7 working days back from Saturday 21 June 2025: Thursday 12 June.
    assert notice.due_on == dt.date(2025, 6, 12)
    letter = Letter.objects.get(incident=incident, kind=LetterKind.PUBLICATION_YES)
    with time_machine.travel(dt.datetime(2025, 6, 23, 10, 0), tick=False):  # after both
        services.letter_mark_sent(letter=letter, sent_on=notice.due_on, by=business_unit)
        notice.refresh_from_db()
        assert notice.state == "met"
        with pytest.raises(ValidationError, match="on or after 21 June 2025"):
            services.publication_publish(
                publication=publication, published_on=dt.date(2025, 6, 20), by=business_unit
            )
        services.publication_publish(
            publication=publication, published_on=SATURDAY, by=business_unit
        )
    publication.refresh_from_db()
    assert publication.published_on == SATURDAY


def test_the_earliest_event_for_a_notice_is_where_its_clock_would_be_met() -> None:
    rule = regime("current").deadline("publication-notice")
    for given in (dt.date(2025, 6, 12) + dt.timedelta(days=n) for n in range(14)):
        earliest = calendar.notice_earliest(rule, given)
        assert calendar.due_date(rule, earliest) >= given  # in time
        before = earliest - dt.timedelta(days=1)
        assert calendar.due_date(rule, before) < given  # and the day before is not
    weekly = regime("lscb-2015").deadline("publication-notice")
    assert calendar.notice_earliest(weekly, dt.date(2025, 5, 30)) == dt.date(2025, 6, 6)
    with pytest.raises(ValueError, match="not a notice rule"):
        calendar.notice_earliest(regime("current").deadline("publication-period"), SATURDAY)
