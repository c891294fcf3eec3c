"""The learning library (external reviews and research, with their key lessons) and
dissemination (briefings, newsletters, workshops, posts and conferences)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count

from lift.core.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    allowed,
)
from lift.core.views.steps import StepView

from .. import services
from ..filters import DisseminationFilter, LibraryItemFilter
from ..forms import DisseminationForm, LessonForm, LibraryItemForm
from ..models import Dissemination, Finding, LibraryItem
from ..selectors import chain_for
from ..tables import DISSEMINATION_TABLE, LIBRARY_TABLE


class LibraryItemListView(ObjectListView):
    model = LibraryItem
    queryset = LibraryItem.objects.prefetch_related("themes")
    table = LIBRARY_TABLE
    filterset_class = LibraryItemFilter
    add_url_name = "learning:libraryitem_add"
    title = "Learning library"
    intro = (
        "Case reviews by other partnerships, national panel reviews, research and guidance, "
        "with the key lessons for us."
    )


class LibraryItemDetailView(ObjectDetailView):
    model = LibraryItem
    template_name = "learning/libraryitem_detail.html"
    fields = ["kind", "author", "published_on", "url", "summary", "considered_on"]

    def summary(self) -> list[tuple[str, Any]]:
        rows = super().summary()
        rows.append(("Themes", ", ".join(t.name for t in self.object.themes.all())))
        return rows

    def extra_context(self) -> dict[str, Any]:
        item = self.object
        lessons = (
            chain_for(self.request.user, item)
            .findings.prefetch_related("themes")
            .annotate(recommendation_count=Count("recommendations", distinct=True))
        )
        return {
            "lessons": lessons,
            "can_add_lesson": Finding.access.allows(self.request.user, "add", self.partnership),
            "can_judge": Finding.access.allows(self.request.user, "judge", self.partnership),
        }


class LibraryItemCreateView(ObjectCreateView):
    model = LibraryItem
    form_class = LibraryItemForm
    title = "Add to the learning library"

    def save(self, form: forms.BaseForm) -> LibraryItem:
        data = form.cleaned_data
        return services.library_item_create(
            partnership=self.partnership,
            by=self.me,
            kind=data["kind"],
            title=data["title"],
            author=data["author"],
            published_on=data["published_on"],
            url=data["url"],
            summary=data["summary"],
            considered_on=data["considered_on"],
            themes=list(data["themes"]),
        )


class LibraryItemEditView(ObjectEditView):
    model = LibraryItem
    form_class = LibraryItemForm


class LibraryItemHistoryView(ObjectHistoryView):
    model = LibraryItem


class LibraryLessonAddView(StepView):
    """Add a key lesson of a library item: a finding whose source is the item."""

    model = LibraryItem
    permission = "view"
    title = "Add a key lesson"
    form_class = LessonForm
    submit_label = "Add lesson"
    success_message = "Lesson added."

    def check_step(self) -> None:
        if not Finding.access.allows(self.request.user, "add", self.partnership):
            raise PermissionDenied

    def perform(self, form: forms.BaseForm) -> str:
        data = form.cleaned_data
        services.lesson_add(
            item=self.object,
            by=self.me,
            title=data["title"],
            text=data["text"],
            kind=data["kind"],
            themes=list(data["themes"]),
        )
        return str(self.object.get_absolute_url())


class DisseminationListView(ObjectListView):
    model = Dissemination
    queryset = Dissemination.objects.annotate(
        agency_count=Count("agencies_reached", distinct=True),
        finding_count=Count("findings", distinct=True),
    )
    table = DISSEMINATION_TABLE
    filterset_class = DisseminationFilter
    add_url_name = "learning:dissemination_add"
    title = "Dissemination"
    intro = (
        "Briefings, newsletters, workshops, website posts and conferences that carried our "
        "learning to practitioners, and who they reached."
    )


class DisseminationDetailView(ObjectDetailView):
    model = Dissemination
    template_name = "learning/dissemination_detail.html"
    fields = ["kind", "held_on", "audience", "people_reached", "summary", "is_public"]

    def summary(self) -> list[tuple[str, Any]]:
        rows = super().summary()
        names = ", ".join(a.name for a in self.object.agencies_reached.all())
        rows.insert(4, ("Agencies reached", names))
        return rows

    def extra_context(self) -> dict[str, Any]:
        return {
            "findings": Finding.objects.restrict(self.request.user, "view").filter(
                disseminations=self.object
            ),
            "can_edit": allowed(self.request, self.object, "change"),
        }


class DisseminationCreateView(ObjectCreateView):
    model = Dissemination
    form_class = DisseminationForm
    title = "Record a dissemination"

    def save(self, form: forms.BaseForm) -> Dissemination:
        data = form.cleaned_data
        return services.dissemination_create(
            partnership=self.partnership,
            by=self.me,
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            audience=data["audience"],
            findings=list(data["findings"]),
            agencies_reached=list(data["agencies_reached"]),
            people_reached=data["people_reached"],
            summary=data["summary"],
        )


class DisseminationEditView(ObjectEditView):
    model = Dissemination
    form_class = DisseminationForm


class DisseminationHistoryView(ObjectHistoryView):
    model = Dissemination
