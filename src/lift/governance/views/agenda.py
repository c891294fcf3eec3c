"""Pages of agenda items, their papers and the meeting's Board pack."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from lift.core.tables import Column, Table
from lift.core.views.generic import (
    LiftView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    add_validation_errors,
    restricted,
)

from .. import rules, selectors, services
from ..filters import AgendaItemFilter
from ..forms import AgendaItemEditForm, AgendaItemForm, PaperForm, PaperLateForm, PaperReplaceForm
from ..models import AgendaItem, BoardPack, Meeting, Paper
from .base import ParentMixin


class AgendaItemListView(ObjectListView):
    model = AgendaItem
    title = "Agenda items"
    filterset_class = AgendaItemFilter
    queryset = AgendaItem.objects.select_related("meeting__board", "presenter", "linked_type")
    table = Table(
        [
            Column("title", "Item", link=True),
            Column("meeting", "Meeting", sort="meeting__starts_at"),
            Column("purpose", "Purpose"),
            Column("presenter", "Presenter", sort="presenter__full_name"),
            Column("linked_type.name", "Linked to", sort=None),
        ]
    )
    ordering = ("-meeting__starts_at", "order")


class AgendaItemCreateView(ParentMixin, ObjectCreateView):
    model = AgendaItem
    parent_model = Meeting
    form_class = AgendaItemForm
    title = "Add an agenda item"

    def form_kwargs(self) -> dict[str, Any]:
        return {"request": self.request}

    def check_allowed(self) -> None:
        super().check_allowed()
        _ = self.parent

    def render_form(self, form: forms.BaseForm, **extra: Any) -> HttpResponseBase:
        return super().render_form(form, cancel_url=self.parent.get_absolute_url(), **extra)

    def save(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return services.agenda_item_add(
            meeting=self.parent,
            title=data["title"],
            purpose=data["purpose"],
            presenter=data.get("presenter"),
            order=data.get("order"),
            linked=form.linked_object,  # type: ignore[attr-defined]
            by=self.request.user,  # type: ignore[arg-type]
        )

    def success_url(self, obj: Any) -> str:
        return obj.meeting.get_absolute_url()


class AgendaItemDetailView(ObjectDetailView):
    model = AgendaItem
    template_name = "governance/agendaitem_detail.html"
    queryset = AgendaItem.objects.select_related("meeting__board", "presenter")
    fields = ["meeting", "order", "purpose", "presenter", "minutes"]

    def extra_context(self) -> dict[str, Any]:
        item = self.object
        return {
            "link": selectors.visible_links(self.request.user, [item])[0],
            "papers": [
                {"paper": p, "versions": list(p.versions.all()), "late_form": PaperLateForm()}
                for p in Paper.objects.restrict(self.request.user, "view")
                .filter(item=item)
                .select_related("file")
                .prefetch_related("versions__file")
            ],
            "paper_form": PaperForm(),
            "papers_deadline": rules.papers_deadline(item.meeting.starts_at),
            "decisions": item.decisions.all(),
        }


class AgendaItemEditView(ObjectEditView):
    model = AgendaItem
    form_class = AgendaItemEditForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"request": self.request}

    def make_form(self, **kwargs: Any) -> forms.BaseForm:
        form = super().make_form(**kwargs)
        instance = kwargs.get("instance")
        if instance is not None and instance.linked_type_id and not form.is_bound:
            target = instance.linked
            url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
            form.initial["link"] = url
        return form

    def save(self, form: forms.BaseForm) -> Any:
        item = form.save(commit=False)  # type: ignore[attr-defined]
        if item.order is None:
            item.order = self.object.order
        item.full_clean()
        item.save()
        return services.agenda_item_link(
            item=item,
            linked=form.linked_object,  # type: ignore[attr-defined]
            by=self.request.user,  # type: ignore[arg-type]
        )


class AgendaItemDeleteView(ObjectDeleteView):
    model = AgendaItem
    success_url_name = "governance:meeting_list"


class AgendaItemHistoryView(ObjectHistoryView):
    model = AgendaItem


class PaperAddView(ParentMixin):
    """Add a paper to an agenda item."""

    permission = "change"
    parent_model = AgendaItem

    def page(self, form: forms.Form, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "governance/paper_form.html",
            {
                "title": "Add a paper",
                "form": form,
                "item": self.parent,
                "action": reverse("governance:agendaitem_papers", args=[self.parent.pk]),
                "button": "Add paper",
                "deadline": rules.papers_deadline(self.parent.meeting.starts_at),
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(PaperForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        item = self.parent
        form = PaperForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.paper_add(
                    item=item,
                    uploaded_file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Paper added.")
                return HttpResponseRedirect(item.get_absolute_url() + "#papers")
        return self.page(form, status=400)


class PaperReplaceView(ParentMixin):
    """Upload a new version of a paper; the older versions are kept."""

    permission = "change"
    parent_model = Paper

    def page(self, form: forms.Form, status: int = 200) -> HttpResponse:
        paper = self.parent
        return render(
            self.request,
            "governance/paper_form.html",
            {
                "title": f"Replace “{paper.title}”",
                "form": form,
                "item": paper.item,
                "paper": paper,
                "action": reverse("governance:paper_replace", args=[paper.pk]),
                "button": "Upload new version",
                "deadline": rules.papers_deadline(paper.item.meeting.starts_at),
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(PaperReplaceForm(initial={"title": self.parent.title}))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        paper = self.parent
        form = PaperReplaceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                paper = services.paper_replace(
                    paper=paper,
                    uploaded_file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, f"Version {paper.version} uploaded.")
                return HttpResponseRedirect(paper.get_absolute_url())
        return self.page(form, status=400)


class PaperLateView(ParentMixin):
    """Mark a paper late, or not (POST only)."""

    permission = "change"
    parent_model = Paper

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        paper = self.parent
        form = PaperLateForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose whether the paper is late.")
            return HttpResponseRedirect(paper.get_absolute_url())
        try:
            paper = services.paper_mark_late(
                paper=paper,
                late=form.cleaned_data["late"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Marked late." if paper.late else "No longer marked late.")
        return HttpResponseRedirect(paper.get_absolute_url())


class PaperMoveView(ParentMixin):
    """Move a paper up or down among its item's papers (POST only)."""

    permission = "change"
    parent_model = Paper

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        paper = self.parent
        direction = request.POST.get("direction")
        if direction not in ("up", "down"):
            messages.error(request, "Choose whether to move the paper up or down.")
            return HttpResponseRedirect(paper.get_absolute_url())
        try:
            paper = services.paper_move(
                paper=paper,
                up=direction == "up",
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"“{paper.title}” moved {direction}.")
        return HttpResponseRedirect(paper.item.get_absolute_url() + "#papers")


class PaperWithdrawView(ParentMixin):
    """Withdraw a paper: ask, then remove it and its versions (POST to confirm)."""

    permission = "delete"
    parent_model = Paper
    parent_action = "delete"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        paper = self.parent
        return render(
            request,
            "governance/paper_withdraw.html",
            {"title": f"Withdraw “{paper.title}”", "paper": paper, "item": paper.item},
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        paper = self.parent
        item = paper.item
        try:
            services.paper_withdraw(paper=paper, by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"“{paper.title}” withdrawn.")
        return HttpResponseRedirect(item.get_absolute_url() + "#papers")


class BoardPackPublishView(ParentMixin):
    """Build the meeting's Board pack from its papers and publish it (POST only)."""

    permission = "publish_pack"
    parent_model = Meeting
    parent_action = "publish_pack"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.parent
        try:
            pack = services.board_pack_publish(meeting=meeting, by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                f"Board pack version {pack.number} is being made. Members can download it "
                "here when it is ready.",
            )
        return HttpResponseRedirect(meeting.get_absolute_url() + "#board-pack")


class BoardPackDownloadView(LiftView):
    """The published Board pack, the same file for every member who may see the meeting."""

    permission = "view"

    def get(self, request: HttpRequest, pk: int, fmt: str, *args: Any, **kwargs: Any) -> Any:
        from django.http import FileResponse

        from lift.core.documents import CONTENT_TYPES
        from lift.core.models.documents import DocumentStatus

        if fmt not in ("pdf", "docx"):
            raise Http404
        pack = (
            restricted(BoardPack, request, "view")
            .select_related("pdf", "docx", "meeting")
            .filter(pk=pk)
            .first()
        )
        if pack is None:
            raise Http404
        document = pack.pdf if fmt == "pdf" else pack.docx
        if document.status != DocumentStatus.READY or not document.file:
            raise Http404("The Board pack is still being made.")
        from lift.core.storage import open_for_download

        response = FileResponse(
            open_for_download(document.file),
            as_attachment=True,
            filename=document.filename or f"board-pack.{fmt}",
            content_type=CONTENT_TYPES[fmt],
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
