"""The statutory and business rules of child death reviews, each named and documented.

Sources: Child Death Review Statutory and Operational Guidance (England) 2018; the lists
are in reference/cdop/*.yaml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from lift.core.rules import BusinessRule

from .choices import AgeBand
from .reference import cdop_reference

if TYPE_CHECKING:
    from .models import Analysis, Campaign, ChildDeath, ChildDeathIdentity


class JointAgencyResponseCriteria(BusinessRule):
    """Choose joint agency response criteria from the list in reference/cdop."""

    field = "jar_criteria"

    @classmethod
    def check(cls, criteria: Iterable[str]) -> None:
        known = {c.code for c in cdop_reference().jar_criteria}
        if any(c not in known for c in criteria):
            raise cls.violation()


def joint_agency_response_needed(criteria: Iterable[str]) -> bool:
    """A joint agency response is needed when the death is or may be due to external causes,
    is sudden with no apparent cause, occurs in custody or detention, the circumstances raise
    suspicion, or it is a stillbirth with no healthcare professional present: any one of the
    criteria in reference/cdop/joint-agency-response.yaml."""
    criteria = list(criteria)
    JointAgencyResponseCriteria.check(criteria)
    return bool(criteria)


class JarDatesNeedResponse(BusinessRule):
    """Joint agency response dates are recorded only when a joint agency response was
    needed, and it cannot finish before it started."""

    field = "jar_started_on"

    @classmethod
    def check(cls, needed: bool, started: dt.date | None, finished: dt.date | None) -> None:
        if not needed and (started or finished):
            raise cls.violation()
        if finished and (not started or finished < started):
            raise cls.violation()


class UnexpectedWithJar(BusinessRule):
    """A death that meets a joint agency response criterion is unexpected."""

    field = "expected"

    @classmethod
    def check(cls, expected: str, needed: bool) -> None:
        if needed and expected == "expected":
            raise cls.violation()


class CategoryInList(BusinessRule):
    """Choose a category of death from the ten categories of the analysis form."""

    field = "category"

    @classmethod
    def check(cls, code: str) -> None:
        if cdop_reference().category(code) is None:
            raise cls.violation()


class DomainScoreInScale(BusinessRule):
    """Score each domain 0 (information not available), 1 (no factors, or unlikely to have
    contributed) or 2 (factors that may have contributed)."""

    field = "score"

    @classmethod
    def check(cls, score: Any) -> None:
        if isinstance(score, bool) or score not in cdop_reference().score_values:
            raise cls.violation()


class EveryDomainScored(BusinessRule):
    """Score all four factor domains: intrinsic to the child, social environment, physical
    environment and service provision."""

    @classmethod
    def check(cls, scores: Mapping[str, Any]) -> None:
        domains = {d.code for d in cdop_reference().domains}
        if set(scores) != domains:
            raise cls.violation()
        for score in scores.values():
            DomainScoreInScale.check(score)


def domain_known(code: str) -> None:
    if code not in {d.code for d in cdop_reference().domains}:
        raise ValidationError({"domain": "Choose one of the four factor domains."})


class ModifiableOutcomeInList(BusinessRule):
    """Record whether modifiable factors were identified, none were identified, or there
    was insufficient information."""

    field = "modifiable"

    @classmethod
    def check(cls, code: str) -> None:
        if code not in {o.code for o in cdop_reference().outcomes}:
            raise cls.violation()


class ModifiableNeedsContributingFactor(BusinessRule):
    """Modifiable factors are identified only where at least one domain has factors that
    may have contributed (score 2): factors which, acted on through national or local
    interventions, could reduce the risk of future child deaths."""

    field = "modifiable"

    @classmethod
    def check(cls, modifiable: str, scores: Iterable[int]) -> None:
        if modifiable == "identified" and 2 not in set(scores):
            raise cls.violation()


class FactorInList(BusinessRule):
    """Choose recorded factors from the list in reference/cdop/factors.yaml."""

    field = "factors"

    @classmethod
    def check(cls, codes: Iterable[str]) -> None:
        known = {f.code for f in cdop_reference().factors}
        if any(c not in known for c in codes):
            raise cls.violation()


class ReportLinkUsable(BusinessRule):
    """This reporting-form link has expired or has already been used. Ask the CDOP
    coordinator for a new one."""

    @classmethod
    def usable(
        cls, expires_at: dt.datetime, used_at: dt.datetime | None, *, now: dt.datetime | None = None
    ) -> bool:
        return used_at is None and (now or timezone.now()) < expires_at


class LinkOutlivesDueDate(BusinessRule):
    """The link must work until at least the due date: make the expiry longer than the time
    allowed to return the form."""

    @classmethod
    def check(cls, due_on: dt.date, expires_on: dt.date) -> None:
        if expires_on < due_on:
            raise cls.violation()


def age_band(date_of_birth: dt.date | None, date_of_death: dt.date) -> str:
    """The age band at death used in CDOP and NCMD tables: 0-27 days (neonatal), 28-364
    days (infant), then 1-4, 5-9, 10-14, 15-17 years."""
    if date_of_birth is None:
        return AgeBand.UNKNOWN
    if date_of_birth > date_of_death:
        raise ValidationError({"date_of_birth": "The date of birth must be before the death."})
    days = (date_of_death - date_of_birth).days
    if days < 28:
        return AgeBand.NEONATAL
    years = date_of_death.year - date_of_birth.year
    if (date_of_death.month, date_of_death.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    if years < 1:
        return AgeBand.INFANT
    if years < 5:
        return AgeBand.AGE_1_4
    if years < 10:
        return AgeBand.AGE_5_9
    if years < 15:
        return AgeBand.AGE_10_14
    if years < 18:
        return AgeBand.AGE_15_17
    raise ValidationError(
        {"date_of_birth": "Child death reviews cover children under 18 at the time of death."}
    )


def suppress(counts: Mapping[str, int], threshold: int) -> dict[str, int | None]:
    """Small-number suppression for any aggregate shown outside the panel: a count of 1 to
    threshold - 1 is withheld (None, shown as "fewer than N"). When exactly one count in a
    group is withheld and others are shown, the smallest other non-zero count is withheld
    too, so the withheld one cannot be worked out from the group's total."""
    out: dict[str, int | None] = {k: (None if 0 < v < threshold else v) for k, v in counts.items()}
    hidden = [k for k, v in out.items() if v is None]
    if len(hidden) == 1:
        shown = sorted(
            ((v, k) for k, v in out.items() if v not in (None, 0)), key=lambda t: (t[0], t[1])
        )
        if shown:
            out[shown[0][1]] = None
    return out


def suppress_total(total: int, threshold: int) -> int | None:
    """A group total is itself a count: withheld when it is small."""
    return None if 0 < total < threshold else total


# --- whole-object checks used by clean() ----------------------------------------------------


def check_case(case: ChildDeath) -> None:
    needed = joint_agency_response_needed(case.jar_criteria or [])
    case.joint_agency_response = needed
    UnexpectedWithJar.check(case.expected, needed)
    JarDatesNeedResponse.check(needed, case.jar_started_on, case.jar_completed_on)


def check_identity(identity: ChildDeathIdentity) -> None:
    if identity.date_of_death and identity.date_of_death > timezone.localdate():
        raise ValidationError({"date_of_death": "The date of death must be today or in the past."})
    if identity.date_of_birth and identity.date_of_death:
        age_band(identity.date_of_birth, identity.date_of_death)
    nhs = identity.nhs_number.replace(" ", "")
    if nhs and (not nhs.isdigit() or len(nhs) != 10):
        raise ValidationError({"nhs_number": "An NHS number is 10 digits, like 485 777 3456."})


def check_analysis(analysis: Analysis) -> None:
    CategoryInList.check(analysis.category)
    ModifiableOutcomeInList.check(analysis.modifiable)


def check_campaign(campaign: Campaign) -> None:
    if campaign.ended_on and campaign.ended_on < campaign.started_on:
        raise ValidationError({"ended_on": "The end date must be on or after the start date."})
    if campaign.factor:
        FactorInList.check([campaign.factor])
