"""One test (or more) per rule in lift.reviews.rules; the publication guard heavily."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from lift.reviews import rules
from lift.reviews.reference import reference


@dataclass
class FakeIdentity:
    pseudonym: str = "Child A"
    full_name: str = "Jayden Thornbury-Quell"
    other_names: str = "Jay Quell"
    date_of_birth: dt.date | None = dt.date(2019, 3, 4)
    address: str = "14 Larkspur Close\nHarrowmere"
    postcode: str = "HM4 7QZ"
    nhs_number: str = "943 476 5919"
    other_identifiers: str = "Case number: CS-55501"


def guard(text: str, *identities: FakeIdentity) -> list[rules.GuardMatch]:
    return rules.publication_guard({"Report": text}, identities or [FakeIdentity()])


# --- notifiable / statutory review --------------------------------------------------------


def test_notifiable_needs_a_whole_combination() -> None:
    combos = reference().for_regime("lscb-2015").notifiable_when
    assert rules.notifiable(combos, ["abuse-or-neglect", "died"])
    assert rules.notifiable(combos, ["looked-after"])
    assert not rules.notifiable(combos, ["abuse-or-neglect"])
    assert not rules.notifiable(combos, ["died"])


def test_statutory_review_indicated_2015_harm_needs_agency_concern() -> None:
    combos = reference().for_regime("lscb-2015").statutory_review_when
    assert not rules.statutory_review_indicated(combos, ["abuse-or-neglect", "seriously-harmed"])
    assert rules.statutory_review_indicated(
        combos, ["abuse-or-neglect", "seriously-harmed", "agencies-concern"]
    )


def test_the_2015_criteria_are_in_the_frameworks_words_serious_sexual_abuse_included() -> None:
    """The framework's appendix: a serious incident is a potentially life-threatening
    injury through abuse or neglect, serious sexual abuse, or serious and permanent
    impairment of health or development through abuse or neglect; or a death (including
    death by suicide) where abuse or neglect is known or suspected to be a factor."""
    rules_2015 = reference().for_regime("lscb-2015")
    labels = {c.key: c.label for c in rules_2015.criteria}
    assert "potentially life-threatening injury" in labels["seriously-harmed"]
    assert "serious and permanent impairment of health or development" in labels["seriously-harmed"]
    assert labels["died"] == "The child has died (including death by suicide)"
    assert "a factor in the child's death" in labels["abuse-or-neglect"]
    assert labels["serious-sexual-abuse"] == "The child has suffered serious sexual abuse"
    assert rules.notifiable(rules_2015.notifiable_when, ["serious-sexual-abuse"])
    assert not rules.statutory_review_indicated(
        rules_2015.statutory_review_when, ["serious-sexual-abuse"]
    )
    assert rules.statutory_review_indicated(
        rules_2015.statutory_review_when, ["serious-sexual-abuse", "agencies-concern"]
    )


def test_statutory_review_indicated_current_any_reg11_criterion() -> None:
    combos = reference().for_regime("current").statutory_review_when
    assert rules.statutory_review_indicated(combos, ["recurrent-themes"])
    assert not rules.statutory_review_indicated(combos, [])


def test_nhs_number_valid_checks_the_modulus_11_digit() -> None:
    assert rules.nhs_number_valid("943 476 5919")
    assert rules.nhs_number_valid("9434765919")
    assert not rules.nhs_number_valid("943 476 5918")
    assert not rules.nhs_number_valid("12345")


def test_reasons_against_each_criterion() -> None:
    rules.reasons_against_each_criterion(["a", "b"], {"a": "x", "b": "y"})
    with pytest.raises(ValidationError):
        rules.reasons_against_each_criterion(["a", "b"], {"a": "x", "b": "  "})


def test_letter_sent_needs_date() -> None:
    with pytest.raises(ValidationError, match="date the letter was sent"):
        rules.letter_sent_needs_date(None)
    with pytest.raises(ValidationError, match="future"):
        rules.letter_sent_needs_date(dt.date.today() + dt.timedelta(days=3))
    rules.letter_sent_needs_date(dt.date.today())


def test_publication_period_kept() -> None:
    with pytest.raises(ValidationError, match="12 months"):
        rules.publication_period_kept(
            dt.date(2025, 1, 1), dt.date(2025, 6, 1), minimum_until=dt.date(2026, 1, 1)
        )
    rules.publication_period_kept(
        dt.date(2025, 1, 1), dt.date(2026, 1, 2), minimum_until=dt.date(2026, 1, 1)
    )


# --- the publication guard ----------------------------------------------------------------


def test_clean_text_passes() -> None:
    assert guard("Child A lived with their mother. Agencies did not share information.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Jayden Thornbury-Quell was seen by the GP.",
        "jayden thornbury-quell was seen",
        "JAYDEN   THORNBURY-QUELL was seen",
        "Jayden was seen by the GP.",
        "The Thornbury-Quell family moved.",
        "Mrs Thornbury said nothing.",
        "The Quell household.",
        "Jayden's school was told.",
        "Thornbury-Quell\u2019s mother called.",
        "Known as Jay Quell at nursery.",
    ],
)
def test_names_and_variants_are_caught(text: str) -> None:
    found = guard(text)
    assert found and all(m.kind == "name" for m in found), text


def test_short_name_parts_are_not_matched_alone() -> None:
    person = FakeIdentity(full_name="Bo Li", other_names="", other_identifiers="")
    assert guard("Bo went to school with Lily.", person) == []
    assert guard("Bo Li went to school.", person)


def test_name_inside_another_word_is_not_matched() -> None:
    assert guard("The Jaydenson report and the Quellington road.") == []


@pytest.mark.parametrize(
    "text",
    [
        "born on 4 March 2019",
        "born on 4th March 2019",
        "born on 04/03/2019",
        "born on 4/3/2019",
        "born on 04-03-2019",
        "born on 04.03.2019",
        "born on 2019-03-04",
        "born on 4 Mar 2019",
        "born on March 4, 2019",
        "born on 04/03/19",
    ],
)
def test_date_of_birth_formats_are_caught(text: str) -> None:
    found = guard(text)
    assert [m.kind for m in found] == ["date of birth"], text


def test_other_dates_are_not_caught() -> None:
    assert guard("The referral on 5 March 2019 and on 04/03/2020.") == []


@pytest.mark.parametrize("text", ["HM4 7QZ", "hm47qz", "HM4  7QZ"])
def test_postcode_with_or_without_space(text: str) -> None:
    assert [m.kind for m in guard(f"Lived at {text} then moved.")] == ["postcode"]


@pytest.mark.parametrize("text", ["943 476 5919", "9434765919", "943-476-5919"])
def test_nhs_number_with_or_without_spaces(text: str) -> None:
    assert [m.kind for m in guard(f"NHS {text}.")] == ["NHS number"]


def test_address_line_and_street_without_number() -> None:
    assert [m.kind for m in guard("The family lived at 14 Larkspur Close.")] == ["address"]
    assert [m.kind for m in guard("A house on larkspur close.")] == ["address"]


def test_town_alone_is_not_an_identifier() -> None:
    assert guard("Harrowmere Children's Social Care was involved.") == []


def test_other_identifiers() -> None:
    assert [m.kind for m in guard("See file cs-55501.")] == ["other identifier"]


def test_sibling_identities_are_checked_too() -> None:
    sibling = FakeIdentity(
        pseudonym="Sibling B",
        full_name="Marnie Oakhollow",
        other_names="",
        date_of_birth=None,
        address="",
        postcode="",
        nhs_number="",
        other_identifiers="",
    )
    found = guard("Marnie was at home.", FakeIdentity(), sibling)
    assert [(m.kind, m.pseudonym) for m in found] == [("name", "Sibling B")]


def test_location_and_masked_snippet() -> None:
    text = "Introduction.\nChild A, also known as Jayden, was born on 4 March 2019 at home."
    found = guard(text)
    line = text.splitlines()[1]
    assert [(m.line, m.column, m.kind) for m in found] == [
        (2, line.index("Jayden") + 1, "name"),
        (2, line.index("4 March") + 1, "date of birth"),
    ]
    for m in found:
        assert "Jayden" not in m.snippet and "2019" not in m.snippet
        assert "[name]" in m.snippet
    assert "line 2, character 24" in str(found[0])


def test_guard_covers_each_document() -> None:
    found = rules.publication_guard(
        {"Report": "Clean text.", "Briefing": "Thornbury was mentioned."}, [FakeIdentity()]
    )
    assert [m.document for m in found] == ["Briefing"]


def test_no_identities_means_nothing_to_find() -> None:
    assert rules.publication_guard({"Report": "Jayden Thornbury-Quell"}, []) == []
