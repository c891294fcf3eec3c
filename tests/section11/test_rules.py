"""One test per named Section 11 rule."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lift.section11 import rules
from lift.section11.choices import ReturnStatus as RS
from lift.section11.models import Cycle


def test_return_transitions_follow_the_workflow() -> None:
    rules.ReturnTransitionAllowed.check(RS.DRAFT, RS.SUBMITTED)
    rules.ReturnTransitionAllowed.check(RS.UNDER_CHALLENGE, RS.MODERATED)
    with pytest.raises(ValidationError, match="It is draft; it cannot become moderated"):
        rules.ReturnTransitionAllowed.check(RS.DRAFT, RS.MODERATED)
    with pytest.raises(ValidationError):
        rules.ReturnTransitionAllowed.check(RS.CLOSED, RS.DRAFT)


def test_rating_must_be_on_the_scale() -> None:
    rules.RatingOnScale.check("fully", ["fully", "partially"])
    rules.RatingOnScale.check("", ["fully"])  # not yet rated is allowed while drafting
    with pytest.raises(ValidationError) as exc:
        rules.RatingOnScale.check("4", ["0", "1", "2", "3"])
    assert exc.value.message_dict == {
        "self_rating": ["'4' is not on the framework's scale. Choose one of: 0, 1, 2, 3."]
    }
    with pytest.raises(ValidationError) as exc:
        rules.RatingOnScale.check("x", ["fully"], field="moderated_rating")
    assert "moderated_rating" in exc.value.message_dict


def test_agency_edits_only_a_draft() -> None:
    rules.AgencyEditsOnlyDraft.check(SimpleNamespace(status=RS.DRAFT))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Answer the panel's challenge questions"):
        rules.AgencyEditsOnlyDraft.check(SimpleNamespace(status=RS.SUBMITTED))  # type: ignore[arg-type]


def test_submit_needs_every_rating() -> None:
    rules.SubmitNeedsEveryRating.check([])
    refs = [f"{i}.1" for i in range(12)]
    with pytest.raises(ValidationError, match="and 2 more"):
        rules.SubmitNeedsEveryRating.check(refs)


def test_carried_forward_answers_must_be_reviewed() -> None:
    rules.CarriedForwardReviewed.check([])
    with pytest.raises(ValidationError, match=r"Still to review: 1\.1"):
        rules.CarriedForwardReviewed.check(["1.1"])


def test_panel_member_cannot_sit_on_own_agency_challenge() -> None:
    agency = SimpleNamespace(pk=7, name="Vale Probation")
    rules.PanelMemberNotOwnAgency.check(
        person="Sam", member_agency_ids={3}, return_agencies=[agency]
    )
    with pytest.raises(ValidationError, match="Sam works for Vale Probation"):
        rules.PanelMemberNotOwnAgency.check(
            person="Sam", member_agency_ids={7}, return_agencies=[agency]
        )


def test_panel_needs_a_lay_member() -> None:
    rules.PanelNeedsLayMember.check(True)
    with pytest.raises(ValidationError, match="lay member"):
        rules.PanelNeedsLayMember.check(False)


def test_moderation_needs_every_rating_and_a_conclusion() -> None:
    rules.ModerationNeedsEveryRating.check([], "Agreed.")
    with pytest.raises(ValidationError, match=r"Not yet moderated: 2\.1"):
        rules.ModerationNeedsEveryRating.check(["2.1"], "Agreed.")
    with pytest.raises(ValidationError, match="conclusion is empty"):
        rules.ModerationNeedsEveryRating.check([], "  ")


def test_cycle_cannot_close_with_unmoderated_returns_without_a_reason() -> None:
    rules.CycleCloseNeedsModeration.check([], "")
    rules.CycleCloseNeedsModeration.check(["Police"], "Withdrawn")
    with pytest.raises(ValidationError) as exc:
        rules.CycleCloseNeedsModeration.check(["Police"], " ")
    assert "reason" in exc.value.message_dict


def test_framework_in_use_cannot_be_deleted() -> None:
    rules.FrameworkInUse.check(SimpleNamespace(), [])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="used by the cycle\\(s\\) 2015-17"):
        rules.FrameworkInUse.check("Pan-London", ["2015-17"])  # type: ignore[arg-type]


def test_cycle_agencies_belong_to_the_partnership() -> None:
    rules.CycleAgenciesInPartnership.check(1, [SimpleNamespace(partnership_id=1)])
    with pytest.raises(ValidationError):
        rules.CycleAgenciesInPartnership.check(1, [SimpleNamespace(partnership_id=2)])


def test_follow_up_needs_the_board_date() -> None:
    rules.FollowUpAfterSixMonths.check(dt.date(2016, 6, 20))
    with pytest.raises(ValidationError, match="went to the Board"):
        rules.FollowUpAfterSixMonths.check(None)


def test_cycle_dates_are_in_order() -> None:
    good: Any = Cycle(
        starts_on=dt.date(2015, 9, 1),
        deadline=dt.date(2015, 12, 1),
        challenge_starts_on=dt.date(2016, 1, 4),
        challenge_ends_on=dt.date(2016, 2, 1),
    )
    rules.check_cycle(good)
    bad: Any = Cycle(
        starts_on=dt.date(2015, 9, 1),
        deadline=dt.date(2015, 8, 1),
        challenge_starts_on=dt.date(2015, 7, 4),
        challenge_ends_on=dt.date(2015, 7, 1),
    )
    with pytest.raises(ValidationError) as exc:
        rules.check_cycle(bad)
    assert set(exc.value.message_dict) == {"deadline", "challenge_starts_on", "challenge_ends_on"}
