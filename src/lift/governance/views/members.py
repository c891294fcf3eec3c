"""Pages of the members of boards and groups."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.core.tables import Column, Table
from lift.core.views.generic import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)

from .. import services
from ..filters import MembershipFilter
from ..forms import MembershipEditForm, MembershipForm
from ..models import Membership


class MembershipListView(ObjectListView):
    model = Membership
    title = "Members of boards and groups"
    filterset_class = MembershipFilter
    add_url_name = "governance:membership_add"
    queryset = Membership.objects.select_related("board", "person", "agency")
    table = Table(
        [
            Column("person", "Member", sort="person__full_name", link=True),
            Column("board", "Group", sort="board__name"),
            Column("role", "Role"),
            Column("agency", "Agency", sort="agency__name"),
            Column("starts_on", "From"),
            Column("ends_on", "Until"),
        ]
    )
    ordering = ("board__name", "person__full_name")


class MembershipDetailView(ObjectDetailView):
    model = Membership
    fields = ["board", "person", "role", "agency", "starts_on", "ends_on"]


class MembershipCreateView(ObjectCreateView):
    model = Membership
    form_class = MembershipForm
    title = "Add a member"

    def save(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return services.membership_add(by=self.request.user, **data)  # type: ignore[arg-type]

    def success_url(self, obj: Any) -> str:
        return obj.board.get_absolute_url()


class MembershipEditView(ObjectEditView):
    model = Membership
    form_class = MembershipEditForm

    def save(self, form: forms.BaseForm) -> Any:
        membership = Membership.objects.get(pk=self.object.pk)
        return services.membership_update(
            membership=membership,
            by=self.request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )


class MembershipDeleteView(ObjectDeleteView):
    model = Membership
    success_url_name = "governance:membership_list"


class MembershipHistoryView(ObjectHistoryView):
    model = Membership
