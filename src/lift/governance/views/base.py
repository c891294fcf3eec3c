"""The page under a parent record that the governance pages share."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from lift.core.views.generic import LiftView, allowed, restricted


class ParentMixin(LiftView):
    """A page under a parent record (a meeting's agenda, a plan's priorities): the parent
    comes from `restrict(user, parent_action)`, so a parent out of scope is a 404."""

    parent_model: ClassVar[type[models.Model]]
    parent_action: ClassVar[str] = "change"
    parent_kwarg: ClassVar[str] = "pk"

    @property
    def parent(self) -> Any:
        if not hasattr(self, "_parent"):
            qs = restricted(self.parent_model, self.request, "view")
            try:
                parent = qs.get(pk=self.kwargs[self.parent_kwarg])
            except ObjectDoesNotExist as exc:
                raise Http404 from exc
            if not allowed(self.request, parent, self.parent_action):
                raise PermissionDenied
            self._parent = parent
        return self._parent
