"""Frameworks, cycles (plan, open, close) and panels."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property

from lift.core.forms import ConfirmDeleteForm
from lift.core.tables import Column, Table
from lift.core.views.generic import (
    ObjectCreateView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    allowed,
)
from lift.core.views.steps import StepView

from .. import services
from ..choices import CycleStatus
from ..forms import (
    CycleEditForm,
    CycleForm,
    CycleOpenForm,
    FrameworkUploadForm,
    PanelForm,
    PanelMemberForm,
    ReasonForm,
)
from ..frameworks import MAX_UPLOAD_BYTES
from ..models import Cycle, Framework, OverviewReport, Panel, PanelMember, Section11Return

# --- frameworks ---------------------------------------------------------------------------


class FrameworkListView(ObjectListView):
    model = Framework
    title = "Section 11 frameworks"
    intro = (
        "Standards frameworks loaded from versioned files. Each cycle uses one version; a "
        "framework in use cannot be deleted."
    )
    table = Table(
        [
            Column("name", "Framework", link=True),
            Column("version", "Version", numeric=True),
            Column("scale.name", "Rating scale", sort=None),
            Column(
                "partnership",
                "Shared or ours",
                sort=None,
                value=lambda f: "Ours" if f.partnership_id else "Shared",
            ),
        ]
    )
    ordering = ("name", "-version")
    add_url_name = "section11:framework_upload"

    def get_queryset(self) -> models.QuerySet:
        return (
            Framework.objects.restrict(self.request.user, "view")
            .for_partnership(self.partnership)
            .select_related("scale")
        )


class FrameworkUploadView(ObjectCreateView):
    """The business unit uploads a framework file (another area's tool, a schools or
    voluntary-sector version): checked by the same loader as reference/section11/, so a
    malformed or older-version file is refused with the loader's message and nothing is
    stored."""

    model = Framework
    form_class = FrameworkUploadForm
    title = "Upload a Section 11 framework"
    template_name = "section11/framework_upload.html"
    success_message = "Framework loaded. Cycles can now use it."

    def render_form(self, form: forms.BaseForm, **extra: Any) -> HttpResponseBase:
        extra.setdefault("cancel_url", reverse("section11:framework_list"))
        return super().render_form(form, **extra)

    def save(self, form: forms.BaseForm) -> models.Model:
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:  # refused before reading it into memory
            raise ValidationError({"file": f"{upload.name}: is larger than 1 MB"})
        return services.framework_upload(
            partnership=self.partnership,
            data=upload.read(),
            file_name=upload.name,
            by=self.me,
        )


class FrameworkScoped(ObjectMixin):
    """A framework: the partnership's own versions and the shared ones (which belong to no
    partnership, so core's lookup, narrowed to the partnership's rows, would not find them).
    The rule of ADR 0007 as for every record: not visible 404, visible but not
    `permission` 403."""

    model = Framework

    @cached_property
    def object(self) -> Any:
        visible = Framework.objects.restrict(self.request.user, "view").for_partnership(
            self.partnership
        )
        try:
            obj = visible.get(pk=self.kwargs[self.lookup_kwarg])
        except (Framework.DoesNotExist, ValueError) as exc:
            raise Http404("No framework found.") from exc
        if self.permission != "view" and not self.can(obj, self.permission or "view"):
            raise PermissionDenied
        return obj


class FrameworkDetailView(FrameworkScoped):
    permission = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        fw = self.object
        standards = fw.standards.prefetch_related(
            models.Prefetch("requirements", queryset=fw.requirements.order_by("order"))
        )
        context = {
            "title": str(fw),
            "object": fw,
            "standards": standards,
            "levels": fw.scale.levels.all(),
            "scale": fw.scale,
            "cycles": fw.cycles.filter(partnership=self.partnership),
            "can_delete": fw.partnership_id is not None and allowed(request, fw, "delete"),
        }
        return render(request, "section11/framework_detail.html", context)


class FrameworkDeleteView(FrameworkScoped):
    """Deletes a partnership's own framework version; refused while a cycle uses it."""

    permission = "delete"

    def render_page(self, form: forms.Form) -> HttpResponseBase:
        return render(
            self.request,
            "core/object_confirm_delete.html",
            {"form": form, "object": self.object, "title": f"Delete {self.object}"},
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.render_page(ConfirmDeleteForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = ConfirmDeleteForm(request.POST)
        if form.is_valid():
            try:
                services.framework_delete(
                    framework=self.object, by=self.me, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, f"{self.object} was deleted.")
                return HttpResponseRedirect(reverse("section11:framework_list"))
        return self.render_page(form)


# --- cycles -------------------------------------------------------------------------------

CYCLE_TABLE = Table(
    [
        Column("name", "Cycle", link=True),
        Column("framework", "Framework", sort="framework__name"),
        Column("deadline", "Deadline"),
        Column("status", "Status"),
    ]
)


class CycleListView(ObjectListView):
    model = Cycle
    queryset = Cycle.objects.select_related("framework")
    title = "Section 11 audits"
    intro = (
        "Every two years each partner agency assesses itself against the Section 11 "
        "standards; a peer challenge panel including lay members scrutinises the returns."
    )
    table = CYCLE_TABLE
    add_url_name = "section11:cycle_add"
    ordering = ("-starts_on", "-id")
    template_name = "section11/cycle_list.html"


class CycleCreateView(ObjectCreateView):
    model = Cycle
    form_class = CycleForm
    title = "Plan a Section 11 cycle"

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def save(self, form: forms.BaseForm) -> models.Model:
        data = form.cleaned_data
        return services.cycle_create(partnership=self.partnership, by=self.me, **data)


class CycleEditView(ObjectEditView):
    model = Cycle
    form_class = CycleEditForm

    def save(self, form: forms.BaseForm) -> models.Model:
        if self.object.status == CycleStatus.CLOSED:
            raise ValidationError("The cycle is closed.")
        return super().save(form)


class CycleHistoryView(ObjectHistoryView):
    model = Cycle


class CycleDetailView(ObjectMixin):
    model = Cycle
    permission = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        from lift.core.views.generic import restricted

        cycle = self.object
        returns = (
            restricted(Section11Return, request, "view")
            .filter(cycle=cycle)
            .select_related("agency", "panel")
            .with_progress()  # type: ignore[attr-defined]
            .order_by("agency__name")
        )
        panels = (
            restricted(Panel, request, "view")
            .filter(cycle=cycle)
            .prefetch_related(
                models.Prefetch("members", queryset=PanelMember.objects.select_related("person"))
            )
        )
        report = OverviewReport.objects.filter(cycle=cycle).first()
        context = {
            "title": str(cycle),
            "object": cycle,
            "opts": Cycle._meta,
            "tabs": self.tabs(),
            "returns": returns,
            "panels": panels,
            "report": report,
            "agencies": cycle.agencies.all(),
            "can_change": allowed(request, cycle, "change"),
            "can_close": allowed(request, cycle, "close"),
            "can_present": allowed(request, cycle, "present"),
            "sees_report": OverviewReport.access.allows_any(request.user, "view", self.partnership),
        }
        return render(request, "section11/cycle_detail.html", context)


class CycleOpenView(StepView):
    model = Cycle
    permission = "change"
    form_class = CycleOpenForm
    title = "Open the cycle"
    submit_label = "Open the cycle and create the returns"
    success_message = "The cycle is open: each agency has its return."

    def form_kwargs(self) -> dict[str, Any]:
        return {"cycle": self.object}

    def extra_context(self) -> dict[str, Any]:
        cycle = self.object
        n = cycle.framework.requirements.count()
        return {
            "intro": f"Each of the {cycle.agencies.count()} agencies taking part gets a draft "
            f"return with the {n} requirements of {cycle.framework}."
        }

    def perform(self, form: forms.BaseForm) -> str:
        services.cycle_open(
            cycle=self.object,
            by=self.me,
            carry_forward=form.cleaned_data.get("carry_forward") or (),
        )
        return str(self.object.get_absolute_url())


class CycleCloseView(StepView):
    model = Cycle
    permission = "close"
    form_class = ReasonForm
    title = "Close the cycle"
    submit_label = "Close the cycle"
    success_message = "The cycle is closed."

    intro = "Closing the cycle closes every return."

    def extra_context(self) -> dict[str, Any]:
        from ..choices import ReturnStatus

        waiting = list(
            self.object.returns.exclude(
                status__in=[ReturnStatus.MODERATED, ReturnStatus.CLOSED]
            ).values_list("agency__name", flat=True)
        )
        if not waiting:
            return {}
        return {
            "warning": "These returns are not moderated, so give the reason the cycle closes "
            f"without them: {', '.join(waiting)}."
        }

    def perform(self, form: forms.BaseForm) -> str:
        services.cycle_close(cycle=self.object, by=self.me, reason=form.cleaned_data["reason"])
        return str(self.object.get_absolute_url())


# --- panels -------------------------------------------------------------------------------


class PanelCreateView(StepView):
    model = Cycle
    permission = "change"
    form_class = PanelForm
    title = "Add a peer challenge panel"
    submit_label = "Add the panel"
    success_message = "Panel added. Now add its members, including a lay member."

    def perform(self, form: forms.BaseForm) -> str:
        panel = services.panel_create(cycle=self.object, by=self.me, **form.cleaned_data)
        return panel.get_absolute_url()


class PanelDetailView(ObjectMixin):
    model = Panel
    permission = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        from lift.core.views.generic import restricted

        panel = self.object
        context = {
            "title": panel.name,
            "object": panel,
            "members": panel.members.select_related("person", "person__agency"),
            "returns": restricted(Section11Return, request, "view")
            .filter(panel=panel)
            .select_related("agency"),
            "can_change": allowed(request, panel, "change"),
        }
        return render(request, "section11/panel_detail.html", context)


class PanelMemberAddView(StepView):
    model = Panel
    permission = "change"
    form_class = PanelMemberForm
    title = "Add a panel member"
    intro = (
        "A panel member cannot sit on their own agency's challenge. Every panel needs "
        "at least one lay member before it challenges a return."
    )
    submit_label = "Add the member"
    success_message = "Member added."

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def perform(self, form: forms.BaseForm) -> str:
        services.panel_member_add(panel=self.object, by=self.me, **form.cleaned_data)
        return str(self.object.get_absolute_url())


class PanelMemberRemoveView(StepView):
    model = PanelMember
    permission = "delete"
    title = "Remove the panel member"
    submit_label = "Remove"
    success_message = "Member removed."

    def cancel_url(self) -> str:
        return str(self.object.panel.get_absolute_url())

    def perform(self, form: forms.BaseForm) -> str:
        url = self.cancel_url()
        services.panel_member_remove(member=self.object, by=self.me)
        return url
