"""Object permissions, declared once per model and applied by `restrict(user, action)`.

Every domain model declares an `Access` policy: for each action ("view", "add", "change",
"delete", or a named operation such as "verify"), which roles may perform it and at which
scope:

- PARTNERSHIP: the role, held anywhere in the row's partnership, covers every row of it;
- AGENCY: the role, held for an agency, covers rows whose agency path is that agency;
- CASE: the role, held for one case (a review panel, an audit team), covers that case's rows;
- SELF: any role covers rows whose person path is the user.

`Model.objects.restrict(user, action)` turns the policy into one WHERE clause. Views, the API,
exports, reports and tasks all start from it; anything outside it is "not found".
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from .models import RoleAssignment


class Scope(enum.Enum):
    PARTNERSHIP = "partnership"
    AGENCY = "agency"
    CASE = "case"
    SELF = "self"


P, A, C, S = Scope.PARTNERSHIP, Scope.AGENCY, Scope.CASE, Scope.SELF

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


@dataclass(frozen=True)
class Grant:
    """A set of roles with what they may do from one assignment's reach."""

    roles: frozenset[str]
    scope: Scope


def grants(**rules: Mapping[Scope, Iterable[str]]) -> dict[str, tuple[Grant, ...]]:
    """Build the rules of an `Access`: `grants(view={P: OVERSIGHT, A: {LEAD}}, ...)`."""
    return {
        action: tuple(Grant(frozenset(roles), scope) for scope, roles in by_scope.items())
        for action, by_scope in rules.items()
    }


@dataclass(frozen=True)
class Access:
    rules: Mapping[str, tuple[Grant, ...]]
    partnership: str = "partnership"
    agency: str | None = None  # path to an Agency (FK or M2M) for AGENCY scope
    case: str | None = None  # path to the case object for CASE scope; "" means the row itself
    person: str | None = None  # path to a Person for SELF scope
    extra: Mapping[str, Any] = field(default_factory=dict)

    def actions(self) -> list[str]:
        return list(self.rules)

    def q(self, model: type[models.Model], user: Any, action: str) -> Q | None:
        """The filter giving the rows `user` may `action`, or None for no rows at all."""
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if user.is_superuser:
            return Q()
        clauses: list[Q] = []
        assignments = assignments_for(user)
        for grant in self.rules.get(action, ()):
            if grant.scope is S and self.person is not None:
                clauses.append(Q(**{self.person: user.pk}))
                continue
            for a in assignments:
                if a.role not in grant.roles:
                    continue
                clause = self._clause(model, grant.scope, a)
                if clause is not None:
                    clauses.append(clause)
        if not clauses:
            return None
        combined = clauses[0]
        for clause in clauses[1:]:
            combined |= clause
        return combined

    def _clause(self, model: type[models.Model], scope: Scope, a: RoleAssignment) -> Q | None:
        # The partnership's own policy points at the row itself ("pk"); others at a FK.
        key = "pk" if self.partnership == "pk" else f"{self.partnership}_id"
        in_partnership = Q(**{key: a.partnership_id})
        if scope is P:
            # A case-scoped assignment grants nothing partnership-wide.
            if a.case_type_id is not None:
                return None
            return in_partnership
        if scope is A:
            if self.agency is None or a.agency_id is None or a.case_type_id is not None:
                return None
            return in_partnership & Q(**{self.agency: a.agency_id})
        if scope is C:
            if self.case is None or a.case_type_id is None:
                return None
            target = case_model(model, self.case)
            if ContentType.objects.get_for_model(target).pk != a.case_type_id:
                return None
            key = "pk" if self.case == "" else f"{self.case}_id"
            return in_partnership & Q(**{key: a.case_id})
        return None

    def allows_any(self, user: Any, action: str, partnership: Any) -> bool:
        """Could `user` `action` any row at all in the partnership? (A list page they may
        not see at all is a 403; one they may see some rows of shows those rows.)"""
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        partnership_id = getattr(partnership, "pk", partnership)
        held = [a for a in assignments_for(user) if a.partnership_id == partnership_id]
        for grant in self.rules.get(action, ()):
            if grant.scope is S and self.person is not None and held:
                return True
            if any(a.role in grant.roles for a in held):
                return True
        return False

    def allows(
        self,
        user: Any,
        action: str,
        partnership: Any,
        *,
        agency: Any = None,
        case: models.Model | None = None,
    ) -> bool:
        """May `user` do `action` to a new or given row in this partnership (and agency/case)?

        Used for "add" and for operations on an object already fetched through `restrict`.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        partnership_id = getattr(partnership, "pk", partnership)
        agency_id = getattr(agency, "pk", agency)
        for grant in self.rules.get(action, ()):
            for a in assignments_for(user):
                if a.role not in grant.roles or a.partnership_id != partnership_id:
                    continue
                if grant.scope is P and a.case_type_id is None:
                    return True
                if grant.scope is A and agency_id is not None and a.agency_id == agency_id:
                    return True
                if (
                    grant.scope is C
                    and case is not None
                    and a.case_type_id == ContentType.objects.get_for_model(case).pk
                    and a.case_id == case.pk
                ):
                    return True
        return False


def case_model(model: type[models.Model], path: str) -> type[models.Model]:
    """The model at the end of a `__` path (the row's own model for an empty path)."""
    target: type[models.Model] = model
    for part in [p for p in path.split("__") if p]:
        target = target._meta.get_field(part).related_model  # type: ignore[assignment]
    return target


def assignments_for(user: Any) -> list[RoleAssignment]:
    """The user's current role assignments, loaded once per user object (once per request)."""
    cached = getattr(user, "_lift_assignments", None)
    if cached is None:
        from .models import RoleAssignment

        cached = list(RoleAssignment.objects.current().filter(person_id=user.pk))
        user._lift_assignments = cached
    return cached


def forget_assignments(user: Any) -> None:
    if hasattr(user, "_lift_assignments"):
        del user._lift_assignments


def roles_in(user: Any, partnership: Any) -> set[str]:
    """Every role the user holds in the partnership, whatever its scope."""
    if user is None or not user.is_authenticated:
        return set()
    partnership_id = getattr(partnership, "pk", partnership)
    return {a.role for a in assignments_for(user) if a.partnership_id == partnership_id}


def has_role(user: Any, partnership: Any, roles: Iterable[str]) -> bool:
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    return bool(roles_in(user, partnership) & set(roles))


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        """Only the rows `user` may `action`. Models without a policy allow nothing."""
        access: Access | None = getattr(self.model, "access", None)
        if access is None:
            return self.none()
        q = access.q(self.model, user, action)
        if q is None:
            return self.none()
        qs = self.filter(q)
        if _is_multi(self.model, access.agency):
            qs = qs.distinct()
        return qs


def _is_multi(model: type[models.Model], path: str | None) -> bool:
    if not path:
        return False
    target: type[models.Model] = model
    for part in path.split("__"):
        try:
            f = target._meta.get_field(part)
        except Exception:
            return False
        if f.many_to_many or f.one_to_many:
            return True
        if f.related_model is None:
            return False
        target = f.related_model  # type: ignore[assignment]
    return False


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
