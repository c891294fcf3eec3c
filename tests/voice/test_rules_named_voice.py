"""Each rule of young people's voice by name (issue 18, item 6): once where it holds and the
service goes ahead, once where it is broken and the service refuses with the rule's
message, saving nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lift.core.rules import BusinessRule
from lift.voice import rules, selectors, services
from lift.voice.choices import ResponseKind
from lift.voice.models import ForumMember, Presentation, Term

pytestmark = pytest.mark.django_db


def _codes(err: ValidationError) -> set[str]:
    if hasattr(err, "error_dict"):
        return {e.code for errors in err.error_dict.values() for e in errors}
    return {e.code for e in err.error_list}


def assert_refused_by(rule: type[BusinessRule], err: ValidationError) -> None:
    """The error is the rule's own: its name as the code, its message as the words."""
    assert rule.__name__ in _codes(err)
    assert rule.message() in err.messages


def _add(forum: Any, youth: Any, **fields: Any) -> ForumMember:
    values: dict[str, Any] = {
        "name": "Bea",
        "age_band": "13_15",
        "joined_on": dt.date(2015, 9, 1),
        "consent_on": dt.date(2015, 9, 1),
        "retain_until": dt.date(2017, 9, 1),
    }
    values.update(fields)
    return services.member_add(forum=forum, by=youth, **values)


def test_GuardianConsentWhenYoung(forum: Any, youth: Any) -> None:
    with pytest.raises(ValidationError) as err:
        _add(forum, youth, age_band="under_13")
    assert_refused_by(rules.GuardianConsentWhenYoung, err.value)
    assert not ForumMember.objects.exists()
    member = _add(forum, youth, age_band="under_13", guardian_consent_on=dt.date(2015, 8, 30))
    assert ForumMember.objects.get().pk == member.pk


def test_ConsentBeforeJoining(forum: Any, youth: Any) -> None:
    with pytest.raises(ValidationError) as err:
        _add(forum, youth, consent_on=dt.date(2015, 9, 2))
    assert_refused_by(rules.ConsentBeforeJoining, err.value)
    assert not ForumMember.objects.exists()
    member = _add(forum, youth, consent_on=dt.date(2015, 8, 31))
    assert ForumMember.objects.get().pk == member.pk


def test_RetentionAfterJoining(forum: Any, youth: Any) -> None:
    with pytest.raises(ValidationError) as err:
        _add(forum, youth, retain_until=dt.date(2015, 9, 1))
    assert_refused_by(rules.RetentionAfterJoining, err.value)
    assert not ForumMember.objects.exists()
    member = _add(forum, youth, retain_until=dt.date(2015, 9, 2))
    assert ForumMember.objects.get().pk == member.pk


def test_check_member(forum: Any, youth: Any, member: ForumMember) -> None:
    rules.check_member(member)  # the fixture's member keeps every rule
    member.consent_on = member.joined_on + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        rules.check_member(member)
    assert_refused_by(rules.ConsentBeforeJoining, err.value)
    with pytest.raises(ValidationError) as err:
        services.member_update(member=member, by=youth, name="Changed")
    assert_refused_by(rules.ConsentBeforeJoining, err.value)
    assert ForumMember.objects.get(pk=member.pk).name == "Ash"


def _term(partnership: Any, youth: Any, name: str, starts: dt.date, ends: dt.date) -> Term:
    return services.term_create(
        partnership=partnership, by=youth, name=name, starts_on=starts, ends_on=ends
    )


def test_TermsDoNotOverlap(partnership: Any, youth: Any, terms: list[Term]) -> None:
    with pytest.raises(ValidationError) as err:
        _term(partnership, youth, "Overlap", dt.date(2015, 12, 18), dt.date(2016, 1, 3))
    assert_refused_by(rules.TermsDoNotOverlap, err.value)
    assert not Term.objects.filter(name="Overlap").exists()
    gap = _term(partnership, youth, "Winter gap", dt.date(2015, 12, 19), dt.date(2016, 1, 3))
    assert Term.objects.filter(pk=gap.pk).exists()


def test_check_term(partnership: Any, youth: Any, terms: list[Term]) -> None:
    for term in terms:
        rules.check_term(term)  # a term does not clash with itself
    moved = Term.objects.get(pk=terms[1].pk)
    moved.starts_on = dt.date(2015, 12, 1)
    with pytest.raises(ValidationError) as err:
        rules.check_term(moved)
    assert_refused_by(rules.TermsDoNotOverlap, err.value)
    assert Term.objects.get(pk=terms[1].pk).starts_on == dt.date(2016, 1, 4)


def test_ResponseNeedsText(consultation: Any, youth: Any) -> None:
    view = services.view_add(consultation=consultation, by=youth, said="More help online")
    with pytest.raises(ValidationError) as err:
        services.view_respond(view=view, by=youth, response=ResponseKind.WE_DID, response_text=" ")
    assert_refused_by(rules.ResponseNeedsText, err.value)
    view.refresh_from_db()
    assert (view.response, view.response_text) == (ResponseKind.PENDING, "")
    services.view_respond(
        view=view, by=youth, response=ResponseKind.WE_DID, response_text="Added a page"
    )
    view.refresh_from_db()
    assert (view.response, view.response_text) == (ResponseKind.WE_DID, "Added a page")


def test_check_response(consultation: Any, youth: Any) -> None:
    view = services.view_add(consultation=consultation, by=youth, said="Quieter rooms")
    rules.check_response(view)  # pending needs no text
    view.response = ResponseKind.NOT_DONE
    view.response_text = "No room free"
    view.responded_on = None
    with pytest.raises(ValidationError) as err:
        rules.check_response(view)
    assert_refused_by(rules.ResponseNeedsText, err.value)
    view.responded_on = dt.date(2015, 12, 1)
    rules.check_response(view)


def test_YearLabel(partnership: Any, business_unit: Any) -> None:
    for bad in ("2015", "2015/17", "15/16"):
        with pytest.raises(ValidationError) as err:
            services.presentation_schedule(
                partnership=partnership, by=business_unit, year=bad, title="Our year", meeting=None
            )
        assert_refused_by(rules.YearLabel, err.value)
    assert not Presentation.objects.exists()
    done = services.presentation_schedule(
        partnership=partnership, by=business_unit, year="2015/16", title="Our year", meeting=None
    )
    assert Presentation.objects.get().pk == done.pk


def test_Against(partnership: Any, forum: Any, youth: Any) -> None:
    def held(n: int) -> rules.Against:
        for i in range(n):
            services.event_create(
                partnership=partnership,
                by=youth,
                kind="information",
                title=f"Event {n}-{i}",
                theme="Online safety",
                held_on=dt.date(2015, 10, 1) + dt.timedelta(days=i),
                audience="Year 9",
                attended=10,
            )
        return selectors.events_year(partnership, "2015/16").against

    short = held(2)
    assert isinstance(short, rules.Against)
    assert (short.count, short.target, short.met, short.shortfall) == (2, 3, False, 1)
    reached = held(1)
    assert (reached.count, reached.met, reached.shortfall) == (3, True, 0)
