"""An average exactly halfway between two levels shows as the level the framework's scale
names (`halfway`): for the Pan-London RAG scale, 2.5 is "Partially met", never "Fully met"."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from lift.section11 import selectors, services
from lift.section11.frameworks import parse_text
from lift.section11.models import RatingLevel

from .conftest import framework_yaml

pytestmark = pytest.mark.django_db


def _levels(framework: Any) -> list[RatingLevel]:
    return list(
        RatingLevel.objects.filter(scale__framework=framework)
        .select_related("scale")
        .order_by("order")
    )


def test_the_pan_london_scale_says_halfway_is_the_lower_level(pan_london: Any) -> None:
    levels = _levels(pan_london)
    scale = levels[0].scale
    assert scale.halfway == "lower"
    labels = {s: scale.level_for(levels, s).label for s in (3, 2.76, 2.51, 2.5, 2.49, 1.5, 1)}
    assert labels == {
        3: "Fully met",
        2.76: "Fully met",
        2.51: "Fully met",
        2.5: "Partially met",
        2.49: "Partially met",
        1.5: "Not met",
        1: "Not met",
    }
    assert scale.level_for(levels, None) is None


def test_a_framework_may_say_halfway_is_the_higher_level(make_framework: Any) -> None:
    data = yaml.safe_load(framework_yaml(code="generous"))
    data["scale"]["halfway"] = "higher"
    from lift.section11.frameworks import framework_load

    parsed = parse_text(yaml.safe_dump(data), "generous.yaml")
    framework, _ = framework_load(parsed=parsed)
    levels = _levels(framework)
    assert levels[0].scale.level_for(levels, 2.5).label == "Fully met"
    assert _levels(make_framework())[0].scale.halfway == "lower"  # left out: the lower


def test_an_unknown_halfway_rule_is_refused_with_the_choices() -> None:
    data = yaml.safe_load(framework_yaml(code="odd"))
    data["scale"]["halfway"] = "nearest"
    with pytest.raises(Exception, match="halfway must be one of lower, higher"):
        parse_text(yaml.safe_dump(data), "odd.yaml")


def test_an_agency_averaging_exactly_halfway_is_partially_met_in_the_overview(
    pan_london: Any, make_cycle: Any, agency: Any, lead: Any
) -> None:
    cycle = make_cycle(pan_london, [agency])
    ret = cycle.returns.get(agency=agency)
    standard = pan_london.standards.order_by("order").first()
    answers = list(
        ret.answers.filter(requirement__standard=standard).order_by("requirement__order")
    )
    assert len(answers) % 2 == 0  # half fully met, half partially: an average of 2.5
    for i, answer in enumerate(answers):
        services.answer_save(
            answer=answer,
            by=lead,
            self_rating="fully" if i % 2 == 0 else "partially",
            narrative="We do this.",
        )
    ov = selectors.overview(cycle)
    score = ov.heat[agency.pk][standard.pk]
    assert score == 2.5
    assert ov.level_for(score).label == "Partially met"
    (row,) = ov.heat_rows()
    assert row["cells"][0]["level"].label == "Partially met"
