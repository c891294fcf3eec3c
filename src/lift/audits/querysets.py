"""Access rules that a role table cannot say on its own.

- An auditor reaches a sampled case, its restricted record and its return only through an
  assignment to them on which they have declared no previous involvement.
- A single-agency audit is also seen by the worker and manager it gives feedback to.
- An agency may share its single-agency programme (never its case audits) with the
  partnership's business unit.

Each adds rows to `restrict()` of the model's policy; nothing is ever taken away from it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lift.core.access import RestrictedManager, RestrictedQuerySet, assignments_for
from lift.core.roles import R

from .choices import Declaration


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


class ClearedAuditorQuerySet(RestrictedQuerySet):
    """Adds the rows reached through the user's cleared assignments (`assignment_path`)."""

    assignment_path: str = "assignments"
    auditor_actions: frozenset[str] = frozenset({"view"})

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        own = super().restrict(user, action)
        if action not in self.auditor_actions or not _signed_in(user) or user.is_superuser:
            return own
        p = self.assignment_path
        cleared = self.filter(
            **{f"{p}__auditor": user.pk, f"{p}__declaration": Declaration.CLEARED}
        ).values("pk")
        return self.filter(Q(pk__in=own.values("pk")) | Q(pk__in=cleared))


class CaseQuerySet(ClearedAuditorQuerySet):
    assignment_path = "assignments"


class IdentityQuerySet(ClearedAuditorQuerySet):
    assignment_path = "case__assignments"


class ReturnQuerySet(ClearedAuditorQuerySet):
    assignment_path = "assignments"
    auditor_actions = frozenset({"view", "change", "submit"})


class ReturnPartQuerySet(ClearedAuditorQuerySet):
    assignment_path = "audit_return__assignments"
    auditor_actions = frozenset({"view", "change"})


class FeedbackQuerySet(RestrictedQuerySet):
    """The worker and the manager a case audit gives feedback to may read and acknowledge it."""

    people_actions = frozenset({"view", "acknowledge"})
    people_paths: tuple[str, ...] = ("worker", "manager")

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        own = super().restrict(user, action)
        if action not in self.people_actions or not _signed_in(user) or user.is_superuser:
            return own
        mine = Q()
        for path in self.people_paths:
            mine |= Q(**{path: user.pk})
        return self.filter(Q(pk__in=own.values("pk")) | (mine & Q(status__in=_FEEDBACK_SHOWN)))


class FeedbackPartQuerySet(FeedbackQuerySet):
    people_actions = frozenset({"view"})
    people_paths = ("case_audit__worker", "case_audit__manager")

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        own = RestrictedQuerySet.restrict(self, user, action)
        if action not in self.people_actions or not _signed_in(user) or user.is_superuser:
            return own
        mine = Q(case_audit__worker=user.pk) | Q(case_audit__manager=user.pk)
        shown = Q(case_audit__status__in=_FEEDBACK_SHOWN)
        return self.filter(Q(pk__in=own.values("pk")) | (mine & shown))


_FEEDBACK_SHOWN = ("feedback_given", "acknowledged")


class SharedWithBusinessUnitQuerySet(RestrictedQuerySet):
    """An agency's programme and its reports, shown to the business unit when the agency
    chose to share them (`share_path` true)."""

    share_path = "share_with_business_unit"
    partnership_path = "partnership"

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        own = super().restrict(user, action)
        if action != "view" or not _signed_in(user) or user.is_superuser:
            return own
        partnerships = {
            a.partnership_id
            for a in assignments_for(user)
            if a.role == R.BUSINESS_UNIT and a.case_type_id is None
        }
        if not partnerships:
            return own
        shared = Q(**{self.share_path: True, f"{self.partnership_path}_id__in": partnerships})
        return self.filter(Q(pk__in=own.values("pk")) | shared)


class SharedReportQuerySet(SharedWithBusinessUnitQuerySet):
    share_path = "programme__share_with_business_unit"


CaseManager = RestrictedManager.from_queryset(CaseQuerySet)
IdentityManager = RestrictedManager.from_queryset(IdentityQuerySet)
ReturnManager = RestrictedManager.from_queryset(ReturnQuerySet)
ReturnPartManager = RestrictedManager.from_queryset(ReturnPartQuerySet)
FeedbackManager = RestrictedManager.from_queryset(FeedbackQuerySet)
FeedbackPartManager = RestrictedManager.from_queryset(FeedbackPartQuerySet)
SharedManager = RestrictedManager.from_queryset(SharedWithBusinessUnitQuerySet)
SharedReportManager = RestrictedManager.from_queryset(SharedReportQuerySet)
