"""The analysis (Form C) and its recommendations, referrals to a review, and campaigns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.core.notify import notify
from lift.core.services import changes_apply
from lift.learning.choices import Addressee
from lift.learning.models import Action, Recommendation
from lift.learning.services import action_create, recommendation_create

from .. import rules
from ..choices import (
    CaseStatus,
    ReferralKind,
    ReferralStatus,
)
from ..models import (
    Analysis,
    AnalysisDomain,
    AnalysisFactor,
    Campaign,
    CdopMeeting,
    CdopReferral,
    ChildDeath,
)
from ..reference import cdop_reference
from .base import R, _today

# --- analysis (Form C) -----------------------------------------------------------------------


@transaction.atomic
def analysis_record(
    *,
    case: ChildDeath,
    by: Person | None,
    category: str,
    modifiable: str,
    scores: Mapping[str, int],
    domain_factors: Mapping[str, str] | None = None,
    factors: Iterable[str] = (),
    modifiable_factors: Iterable[str] = (),
    learning_points: str = "",
    completed_on: dt.date | None = None,
    meeting: CdopMeeting | None = None,
) -> Analysis:
    """Record (or correct) the panel's analysis: the category of death (one of ten), a
    score for each of the four domains, the recorded factors, whether modifiable factors
    were identified, and the learning points. The case becomes "reviewed"."""
    ref = cdop_reference()
    rules.CategoryInList.check(category)
    rules.EveryDomainScored.check(scores)
    rules.ModifiableOutcomeInList.check(modifiable)
    rules.ModifiableNeedsContributingFactor.check(modifiable, scores.values())
    factors = sorted(set(factors))
    modifiable_set = set(modifiable_factors)
    rules.FactorInList.check(factors)
    if not modifiable_set <= set(factors):
        raise ValidationError({"modifiable_factors": "Mark as modifiable only recorded factors."})
    if meeting is not None and meeting.partnership_id != case.partnership_id:
        raise ValidationError({"meeting": "Choose a meeting of this partnership."})
    analysis = Analysis.objects.filter(case=case).first() or Analysis(
        partnership=case.partnership, case=case
    )
    analysis.category = category
    analysis.modifiable = modifiable
    analysis.learning_points = learning_points.strip()
    analysis.completed_on = completed_on or _today()
    analysis.meeting = meeting or case.meeting
    analysis.reference_version = ref.categories_version
    analysis.full_clean()
    analysis.save()
    domain_factors = domain_factors or {}
    existing = {d.domain: d for d in analysis.domains.all()}
    for domain in ref.domains:
        row = existing.get(domain.code) or AnalysisDomain(
            partnership=case.partnership, analysis=analysis, domain=domain.code
        )
        row.score = int(scores[domain.code])
        row.factors = str(domain_factors.get(domain.code, "")).strip()
        row.full_clean()
        row.save()
    by_code = {f.code: f for f in ref.factors}
    analysis.factor_codes.exclude(code__in=factors).delete()
    kept = {f.code: f for f in analysis.factor_codes.all()}
    for code in factors:
        factor = kept.get(code) or AnalysisFactor(
            partnership=case.partnership, analysis=analysis, code=code
        )
        factor.domain = by_code[code].domain
        factor.modifiable = code in modifiable_set
        factor.full_clean()
        factor.save()
    if case.status != CaseStatus.CLOSED:
        case.status = CaseStatus.REVIEWED
        case.save(update_fields=["status", "updated_at"])
    return analysis


@transaction.atomic
def analysis_recommend(
    *,
    analysis: Analysis,
    text: str,
    agencies: Iterable[Agency],
    by: Person | None,
    action_title: str = "",
    owner_agency: Agency | None = None,
    due_on: dt.date | None = None,
    success_measure: str = "",
    owner: Person | None = None,
) -> tuple[Recommendation, Action | None]:
    """A panel recommendation to agencies, recorded in the learning chain (tracked by the
    Board through the Chair), with the action that carries it out when one is given."""
    agencies = list(agencies)
    number = Recommendation.objects.from_source(analysis).count() + 1
    rec = recommendation_create(
        source=analysis,
        text=text,
        addressee=Addressee.AGENCIES if agencies else Addressee.BOARD,
        agencies=agencies,
        reference=f"{analysis.case.reference}/R{number}",
        partnership=analysis.partnership,
    )
    action = None
    if action_title:
        if owner_agency is None or due_on is None or not success_measure.strip():
            raise ValidationError(
                "An action needs its owning agency, a due date and how success is measured."
            )
        action = action_create(
            title=action_title,
            owner_agency=owner_agency,
            due_on=due_on,
            success_measure=success_measure,
            recommendation=rec,
            owner=owner,
            partnership=analysis.partnership,
        )
    return rec, action


# --- referrals -------------------------------------------------------------------------------


@transaction.atomic
def cdop_referral_create(
    *,
    case: ChildDeath,
    kind: str,
    reasons: str,
    by: Person,
    referred_on: dt.date | None = None,
) -> CdopReferral:
    """Refer a case to the L&I sub-group for a learning lessons review (created in the
    reviews area through its referral service) or to the Chair to consider a serious case
    review / rapid review (recorded here, awaiting the Chair, who is alerted)."""
    if kind not in ReferralKind.values:
        raise ValidationError({"kind": "Choose who the case is referred to."})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the referral."})
    referred_on = referred_on or _today()
    referral = CdopReferral(
        partnership=case.partnership,
        case=case,
        kind=kind,
        reasons=reasons.strip(),
        referred_on=referred_on,
        referred_by=by,
        status=ReferralStatus.AWAITING_CHAIR,
    )
    if kind == ReferralKind.LEARNING_LESSONS:
        from lift.reviews.services import referral_create

        made = referral_create(
            partnership=case.partnership,
            source_kind="cdop",
            source=case,
            referrer=by,
            reasons=reasons,
            by=by,
            pseudonym=case.reference,
            referred_on=referred_on,
        )
        referral.reviews_referral_id = made.pk
        referral.status = ReferralStatus.SENT
    referral.full_clean()
    referral.save()
    if kind == ReferralKind.CHAIR:
        for a in (
            RoleAssignment.objects.current()
            .filter(partnership=case.partnership, role=R.CHAIR, case_type__isnull=True)
            .select_related("person")
        ):
            notify(
                person=a.person,
                key=f"cdop:referral:{referral.pk}:to:{a.person_id}",
                title=f"CDOP referral for your consideration: {case.reference}",
                body="The Child Death Overview Panel asks you to consider a serious case "
                "review or rapid review.",
                url=referral.get_absolute_url(),
                partnership=case.partnership,
            )
    return referral


@transaction.atomic
def cdop_referral_chair_decide(
    *, referral: CdopReferral, outcome: str, by: Person, decided_on: dt.date | None = None
) -> CdopReferral:
    """The Chair records what they decided about a CDOP referral."""
    if referral.kind != ReferralKind.CHAIR or referral.status != ReferralStatus.AWAITING_CHAIR:
        raise ValidationError("This referral is not awaiting the Chair.")
    if not outcome.strip():
        raise ValidationError({"chair_outcome": "Record what was decided and why."})
    referral.chair_outcome = outcome.strip()
    referral.chair_decided_on = decided_on or _today()
    referral.status = ReferralStatus.CHAIR_DECIDED
    referral.full_clean()
    referral.save()
    return referral


# --- campaigns -------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    partnership: Partnership,
    title: str,
    kind: str,
    audience: str,
    started_on: dt.date,
    by: Person | None,
    partners: str = "",
    factor: str = "",
    ended_on: dt.date | None = None,
    reach: int = 0,
    description: str = "",
    published: bool = False,
) -> Campaign:
    """Record a campaign or publication with its audience and reach. A published one is
    shown on the partnership's public site (the only part of CDOP that is)."""
    campaign = Campaign(
        partnership=partnership,
        title=title,
        kind=kind,
        audience=audience,
        started_on=started_on,
        partners=partners,
        factor=factor,
        ended_on=ended_on,
        reach=reach,
        description=description,
        published=published,
    )
    campaign.full_clean()
    campaign.save()
    return campaign


CAMPAIGN_EDITABLE = frozenset(
    {
        "title",
        "kind",
        "audience",
        "partners",
        "factor",
        "started_on",
        "ended_on",
        "reach",
        "description",
        "published",
    }
)


@transaction.atomic
def campaign_update(*, campaign: Campaign, by: Person, **fields: Any) -> Campaign:
    """Correct a campaign or publication (a published one is on the partnership's public
    site)."""
    return changes_apply(campaign, fields, editable=CAMPAIGN_EDITABLE)
