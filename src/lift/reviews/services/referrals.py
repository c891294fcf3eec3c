"""Referrals to a learning lessons review, and the decision on them."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from lift.core.access import roles_in
from lift.core.models import Agency, Partnership, Person
from lift.core.roles import R

from .. import rules
from ..choices import (
    ReferralDecision,
    ReferralSource,
    ReviewKind,
)
from ..models import (
    Decision,
    Incident,
    Referral,
)
from .base import _next_reference, _today
from .reviews import review_create

# --- learning lessons review referrals -----------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    partnership: Partnership,
    source_kind: str,
    source: models.Model | None = None,
    referrer: Person,
    reasons: str,
    by: Person,
    pseudonym: str = "",
    referrer_agency: Agency | None = None,
    incident: Incident | None = None,
    referred_on: dt.date | None = None,
) -> Referral:
    """Refer a case to the Learning and Improvement sub-group for a learning lessons review.

    For other areas: CDOP (`source_kind="cdop"`, source = the child death review), audits
    (`"audit"`, source = the audit), agencies (`"agency"`) and the Chair after a decision not
    to hold a statutory review (`"chair"`, source = the decision). `reasons` and `pseudonym`
    must not identify the child. Returns the referral, pending the sub-group's decision.
    """
    if source_kind not in ReferralSource.values:
        raise ValidationError({"source_kind": "Choose where the referral comes from."})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the referral."})
    if source is not None and getattr(source, "partnership_id", partnership.pk) != partnership.pk:
        raise ValidationError("The source belongs to another partnership.")
    if incident is None and isinstance(source, Incident):
        incident = source
    if incident is None and isinstance(source, Decision):
        incident = source.incident
    pseudonym = (
        pseudonym
        or (incident.pseudonym if incident else "")
        or str(getattr(source, "pseudonym", ""))
    )
    if not pseudonym:
        raise ValidationError({"pseudonym": "Give the child's pseudonym."})
    referred_on = referred_on or _today()
    referral = Referral(
        partnership=partnership,
        reference=_next_reference(partnership, Referral, "LLR", referred_on.year),
        source_kind=source_kind,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        incident=incident,
        pseudonym=pseudonym,
        referrer=referrer,
        referrer_agency=referrer_agency or getattr(referrer, "agency", None),
        referred_on=referred_on,
        reasons=reasons.strip(),
    )
    if referral.referrer_agency and referral.referrer_agency.partnership_id != partnership.pk:
        referral.referrer_agency = None
    referral.full_clean()
    referral.save()
    return referral


@transaction.atomic
def referral_decide(
    *,
    referral: Referral,
    by: Person,
    decision: str,
    reasons: str,
    methodology: str = "",
    decided_on: dt.date | None = None,
) -> Referral:
    """The Learning and Improvement sub-group decides on a referral; an accepted referral opens
    a learning lessons review with the chosen methodology."""
    if referral.decision != ReferralDecision.PENDING:
        raise ValidationError("The referral has already been decided.")
    if (
        not {R.SUBGROUP_CHAIR, R.BUSINESS_UNIT} & roles_in(by, referral.partnership)
        and not by.is_superuser
    ):
        raise ValidationError("Only the sub-group chair or the business unit records the decision.")
    if decision not in (ReferralDecision.ACCEPTED, ReferralDecision.DECLINED):
        raise ValidationError({"decision": "Choose accepted or declined."})
    if not reasons.strip():
        raise ValidationError({"decision_reasons": "Give the reasons."})
    decided_on = decided_on or _today()
    if decided_on < referral.referred_on:
        raise ValidationError({"decided_on": "The decision cannot be before the referral."})
    rules.dates_not_in_future(decided_on=decided_on)
    if decision == ReferralDecision.ACCEPTED and not methodology:
        raise ValidationError({"methodology": "Choose the methodology."})
    referral.decision = decision
    referral.decided_on = decided_on
    referral.decided_by = by
    referral.decision_reasons = reasons.strip()
    referral.methodology = methodology
    if decision == ReferralDecision.ACCEPTED:
        referral.review = review_create(
            partnership=referral.partnership,
            incident=referral.incident,
            kind=ReviewKind.LEARNING_LESSONS,
            decided_on=decided_on,
            by=by,
            pseudonym=referral.pseudonym,
            methodology=methodology,
        )
    referral.full_clean()
    referral.save()
    return referral
