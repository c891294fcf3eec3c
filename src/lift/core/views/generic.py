"""Generic views: an app declares the model, form, table and filters; these do the rest.

Every view here starts from `Model.objects.restrict(user, action)` and the current
partnership, so an object outside the user's scope is "not found" (404). A view must declare
`permission` (an action of the model's access policy) or `public = True`; a test walks every
URL pattern and fails for a view that declares neither.
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import ProtectedError
from django.forms import modelform_factory
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.views import View

from .. import history
from ..access import RestrictedQuerySet
from ..exports import csv_response, xlsx_response
from ..forms import ConfirmDeleteForm, DateInput, specific_messages
from ..tables import Column, Table


class LiftView(View):
    """Base of every LIFT view: a declared permission and the current partnership."""

    permission: ClassVar[str | None] = None
    public: ClassVar[bool] = False
    title: ClassVar[str] = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.permission is None and not self.public:
            raise PermissionDenied("This page declares no permission.")
        no_partnership = getattr(request, "partnership", None) is None
        if not self.public and no_partnership and not request.user.is_superuser:
            raise PermissionDenied("You do not hold a role in any partnership.")
        return super().dispatch(request, *args, **kwargs)

    @property
    def partnership(self) -> Any:
        return self.request.partnership  # type: ignore[attr-defined]

    @property
    def me(self) -> Any:
        """The signed-in person (a `lift.core.models.Person`; every page but a public one
        is behind sign-in)."""
        return self.request.user


def has_partnership(model: type[models.Model]) -> bool:
    return any(f.name == "partnership" for f in model._meta.concrete_fields)


def restricted(
    model: type[models.Model],
    request: HttpRequest,
    action: str,
    queryset: models.QuerySet | None = None,
) -> models.QuerySet:
    """The rows of `model` in the current partnership that the user may `action`."""
    qs = queryset if queryset is not None else model._default_manager.all()
    if not isinstance(qs, RestrictedQuerySet):
        raise TypeError(f"{model.__name__} has no restrict(): it cannot be shown.")
    qs = qs.restrict(request.user, action)
    partnership = getattr(request, "partnership", None)
    if has_partnership(model) and partnership is not None:
        qs = qs.filter(partnership=partnership)
    return qs


def allowed(request: HttpRequest, obj: models.Model, action: str) -> bool:
    """May the user `action` this object (one query)?"""
    return restricted(type(obj), request, action).filter(pk=obj.pk).exists()


OUT_OF_SIGHT = (
    "You cannot save this: afterwards you would no longer be able to see it. "
    "Check the agency and other choices."
)


def check_still_visible(request: HttpRequest, model: type[models.Model], obj: Any) -> None:
    """Refuse a save after which the person could no longer see the row (a lead giving
    their agency's record to another agency). Called inside the save's transaction: the
    ValidationError rolls it back."""
    if (
        isinstance(obj, models.Model)
        and obj.pk is not None
        and not restricted(model, request, "view").filter(pk=obj.pk).exists()
    ):
        raise ValidationError(OUT_OF_SIGHT)


def scope_form(form: forms.BaseForm, request: HttpRequest) -> forms.BaseForm:
    """Limit every choice of a related object to the current partnership's rows, and to
    the rows the person may view: a record that is "not found" to them is neither offered
    nor accepted when its id is posted (ModelChoiceField checks against its queryset).

    People are the exception: they are narrowed by partnership only. Who may be *named*
    (an action's owner, a place booked for someone, a case team member) is wider than whose
    record one may open: `Person.restrict(user, "view")` gives a safeguarding lead only
    their own agency's staff and training staff who book for others only themselves, so
    narrowing by it would break those legitimate forms."""
    partnership = getattr(request, "partnership", None)
    if partnership is None:
        return form
    user = getattr(request, "user", None)
    for field in form.fields.values():
        qs = getattr(field, "queryset", None)
        if qs is None:
            continue
        model = qs.model
        if (
            isinstance(qs, RestrictedQuerySet)
            and model._meta.label != "core.Person"
            and user is not None
            and user.is_authenticated
        ):
            qs = field.queryset = qs.restrict(user, "view")  # type: ignore[attr-defined]
        if hasattr(qs, "for_partnership"):
            field.queryset = qs.for_partnership(partnership)  # type: ignore[attr-defined]
        elif has_partnership(model):
            field.queryset = qs.filter(partnership=partnership)  # type: ignore[attr-defined]
        elif model._meta.label == "core.Partnership":
            field.queryset = qs.filter(pk=partnership.pk)  # type: ignore[attr-defined]
        elif model._meta.label == "core.Person":
            field.queryset = qs.filter(  # type: ignore[attr-defined]
                role_assignments__partnership=partnership
            ).distinct()
    return form


def date_widgets(field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kwargs.setdefault("widget", DateInput)
    return field.formfield(**kwargs)


def model_form(model: type[models.Model], fields: Any) -> type[forms.ModelForm]:
    return modelform_factory(model, fields=fields, formfield_callback=date_widgets)


class ObjectListView(LiftView):
    """A filtered, sorted, paginated table with CSV and XLSX export."""

    permission = "view"
    model: ClassVar[type[models.Model]]
    queryset: ClassVar[models.QuerySet | None] = None
    table: ClassVar[Table | None] = None
    filterset_class: ClassVar[Any] = None
    paginate_by: ClassVar[int] = 25
    ordering: ClassVar[tuple[str, ...] | None] = None
    template_name: ClassVar[str] = "core/object_list.html"
    add_url_name: ClassVar[str | None] = None
    intro: ClassVar[str] = ""

    def get_queryset(self) -> models.QuerySet:
        qs = self.queryset.all() if self.queryset is not None else None
        return restricted(self.model, self.request, self.permission or "view", qs)

    def get_table(self) -> Table:
        if self.table is not None:
            return self.table
        label = str(self.model._meta.verbose_name).capitalize()
        return Table([Column("__str__", label, sort=None, link=True)])

    def get_title(self) -> str:
        return self.title or str(self.model._meta.verbose_name_plural).capitalize()

    def get_filterset(self, qs: models.QuerySet) -> Any:
        if self.filterset_class is None:
            return None
        filterset = self.filterset_class(
            self.request.GET or None, queryset=qs, request=self.request
        )
        scope_form(filterset.form, self.request)
        return filterset

    def sort(self, qs: models.QuerySet, table: Table) -> tuple[models.QuerySet, str]:
        wanted = self.request.GET.get("sort", "")
        key = wanted.lstrip("-")
        if key and key in table.sortable():
            return qs.order_by(wanted, "pk"), wanted
        if self.ordering:
            return qs.order_by(*self.ordering), ""
        if not qs.ordered:
            # Meta.ordering is dropped from GROUP BY queries (an annotated count): keep it,
            # then the key, so pages never repeat or skip rows.
            return qs.order_by(*(self.model._meta.ordering or ()), "pk"), ""
        return qs, ""

    def can_add(self) -> bool:
        access = getattr(self.model, "access", None)
        return bool(
            self.add_url_name
            and access is not None
            and access.allows(self.request.user, "add", self.partnership)
        )

    def extra_context(self) -> dict[str, Any]:
        return {}

    def check_allowed(self) -> None:
        access = getattr(self.model, "access", None)
        if access is None or not access.allows_any(
            self.request.user, self.permission or "view", self.partnership
        ):
            raise PermissionDenied

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.check_allowed()
        qs = self.get_queryset()
        filterset = self.get_filterset(qs)
        if filterset is not None and (filterset.is_bound is False or filterset.is_valid()):
            qs = filterset.qs
        table = self.get_table()
        qs, sorted_by = self.sort(qs, table)
        export = request.GET.get("export")
        filename = f"{self.model._meta.model_name}-export"
        if export == "csv":
            return csv_response(table, qs.iterator(chunk_size=2000), filename)
        if export == "xlsx":
            return xlsx_response(table, qs.iterator(chunk_size=2000), filename, self.get_title())
        page = Paginator(qs, self.paginate_by).get_page(request.GET.get("page"))
        headers = [
            {"label": label, "key": column.sort_key}
            for label, column in zip(table.headers(), table.columns, strict=True)
        ]
        context = {
            "view": self,
            "title": self.get_title(),
            "intro": self.intro,
            "filterset": filterset,
            "headers": headers,
            "rows": table.rows(page.object_list),
            "page_obj": page,
            "sorted_by": sorted_by,
            "add_url": reverse(self.add_url_name) if self.can_add() and self.add_url_name else None,
            **self.extra_context(),
        }
        return render(request, self.template_name, context)


class ObjectMixin(LiftView):
    model: ClassVar[type[models.Model]]
    queryset: ClassVar[models.QuerySet | None] = None
    lookup_kwarg: ClassVar[str] = "pk"

    @cached_property
    def object(self) -> Any:
        """The record, by the one rule of ADR 0007: outside what the person may view it is
        not found (404); in sight but not theirs to `permission` it is forbidden (403)."""
        qs = self.queryset.all() if self.queryset is not None else None
        qs = restricted(self.model, self.request, "view", qs)
        try:
            obj = qs.get(pk=self.kwargs[self.lookup_kwarg])
        except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
            raise Http404(f"No {self.model._meta.verbose_name} found.") from exc
        action = self.permission or "view"
        if action != "view" and not self.can(obj, action):
            raise PermissionDenied
        return obj

    def can(self, obj: models.Model, action: str) -> bool:
        """May the user `action` this object? One query (`allowed`); a page whose policy can
        be answered from the roles already loaded overrides this."""
        return allowed(self.request, obj, action)

    def may(self, action: str) -> bool:
        """May the user `action` the page's record?"""
        return self.can(self.object, action)

    def object_context(self) -> dict[str, Any]:
        obj = self.object
        meta = self.model._meta
        return {
            "object": obj,
            "opts": meta,
            "can_change": self.may("change"),
            "can_delete": self.may("delete"),
            "edit_url": _reverse_or_none(f"{meta.app_label}:{meta.model_name}_edit", obj.pk),
            "delete_url": _reverse_or_none(f"{meta.app_label}:{meta.model_name}_delete", obj.pk),
            "tabs": self.tabs(),
        }

    def tabs(self) -> list[dict[str, Any]]:
        """Tabs on the object's pages: details and history, plus any an app adds."""
        meta = self.model._meta
        obj = self.object
        out = [{"label": "Details", "url": obj.get_absolute_url()}]
        history_url = _reverse_or_none(f"{meta.app_label}:{meta.model_name}_history", obj.pk)
        if history_url:
            out.append({"label": "History", "url": history_url})
        out.extend(self.extra_tabs())
        for tab in out:
            tab["active"] = tab["url"] == self.request.path
        return out

    def extra_tabs(self) -> list[dict[str, Any]]:
        """Override to add tabs (dicts with label and url) after Details and History."""
        return []


def _reverse_or_none(name: str, pk: Any) -> str | None:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


class ObjectDetailView(ObjectMixin):
    permission = "view"
    template_name: ClassVar[str] = "core/object_detail.html"
    fields: ClassVar[list[str] | None] = None
    # A restricted record: each read is written to the access log.
    restricted_record: ClassVar[bool] = False

    def summary(self) -> list[tuple[str, Any]]:
        obj = self.object
        names = self.fields or [
            f.name
            for f in self.model._meta.concrete_fields
            if f.editable and f.name not in {"id", "partnership"}
        ]
        rows = []
        for name in names:
            column = Column(name.replace("__", "."))
            field = None
            with contextlib.suppress(FieldDoesNotExist):
                field = self.model._meta.get_field(name.split("__")[0])
            label = str(getattr(field, "verbose_name", name.replace("_", " "))).capitalize()
            rows.append((label, column.text(obj)))
        return rows

    def extra_context(self) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        obj = self.object
        if self.restricted_record:
            history.record_access(request.user, obj, path=request.path)
        context = {
            "view": self,
            "title": self.title or str(obj),
            "summary": self.summary(),
            **self.object_context(),
            **self.extra_context(),
        }
        return render(request, self.template_name, context)


class FormMixin(LiftView):
    form_class: ClassVar[type[forms.BaseForm] | None] = None
    fields: ClassVar[list[str] | None] = None
    template_name: ClassVar[str] = "core/object_form.html"
    success_message: ClassVar[str] = "Saved."

    def get_form_class(self) -> type[forms.BaseForm]:
        if self.form_class is not None:
            return self.form_class
        return model_form(self.model, self.fields or "__all__")  # type: ignore[attr-defined]

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def make_form(self, **kwargs: Any) -> forms.BaseForm:
        form = self.get_form_class()(**self.form_kwargs(), **kwargs)
        return specific_messages(scope_form(form, self.request))

    def render_form(self, form: forms.BaseForm, **extra: Any) -> HttpResponseBase:
        context = {"view": self, "form": form, "title": self.get_title(), **extra}
        return render(self.request, self.template_name, context)

    def get_title(self) -> str:
        return self.title


class ObjectCreateView(FormMixin):
    """Create a row in the current partnership. Override `save(form)` to call a service."""

    permission = "add"
    model: ClassVar[type[models.Model]]

    def get_title(self) -> str:
        return self.title or f"Add {self.model._meta.verbose_name}"

    def check_allowed(self) -> None:
        if not self.model.access.allows(  # type: ignore[attr-defined]
            self.request.user, "add", self.partnership
        ):
            raise PermissionDenied

    def save(self, form: forms.BaseForm) -> models.Model:
        obj = form.save(commit=False)  # type: ignore[attr-defined]
        if has_partnership(self.model):
            obj.partnership = self.partnership
        obj.full_clean()
        obj.save()
        form.save_m2m()  # type: ignore[attr-defined]
        return obj

    def success_url(self, obj: models.Model) -> str:
        return obj.get_absolute_url()  # type: ignore[attr-defined]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.check_allowed()
        return self.render_form(self.make_form(initial=self.initial()))

    def initial(self) -> dict[str, Any]:
        return dict(self.request.GET.items())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.check_allowed()
        form = self.make_form(data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    obj = self.save(form)
                    check_still_visible(request, self.model, obj)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return HttpResponseRedirect(self.success_url(obj))
        return self.render_form(form)


def add_validation_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a model or service ValidationError on the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ObjectEditView(ObjectMixin, FormMixin):
    """Edit with optimistic concurrency: a save over someone else's newer change is refused
    and both versions are shown, so nothing is lost."""

    permission = "change"
    version_field = "_version"

    def get_title(self) -> str:
        # The whole name, not the one shortened for lists (a heading is never cut).
        return self.title or f"Change {getattr(self.object, 'heading', self.object)}"

    def version_of(self, obj: models.Model) -> str:
        stamp = getattr(obj, "updated_at", None)
        return stamp.isoformat() if stamp else ""

    def save(self, form: forms.BaseForm) -> models.Model:
        obj = form.save(commit=False)  # type: ignore[attr-defined]
        obj.full_clean()
        obj.save()
        form.save_m2m()  # type: ignore[attr-defined]
        return obj

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = self.make_form(instance=self.object)
        return self.render_form(form, version=self.version_of(self.object), **self.object_context())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        obj = self.object
        current_version = self.version_of(obj)
        form = self.make_form(data=request.POST, files=request.FILES, instance=obj)
        conflict = None
        if request.POST.get(self.version_field, current_version) != current_version:
            conflict = self.conflict_rows(form)
            form.is_valid()
            form.add_error(
                None,
                "Someone else saved a change to this record while you were editing it. "
                "Your version and the saved version are shown below. Check them and save "
                "again to keep yours.",
            )
        elif form.is_valid():
            reason = request.POST.get("change_reason", "")
            try:
                with transaction.atomic(), history.change_reason(reason):
                    saved = self.save(form)
                    check_still_visible(request, self.model, saved)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, self.success_message)
                return HttpResponseRedirect(saved.get_absolute_url())  # type: ignore[attr-defined]
        fresh = self.model._default_manager.get(pk=obj.pk)
        return self.render_form(
            form, version=self.version_of(fresh), conflict=conflict, **self.object_context()
        )

    def conflict_rows(self, form: forms.BaseForm) -> list[dict[str, Any]]:
        saved = self.model._default_manager.get(pk=self.object.pk)
        rows = []
        for name, field in form.fields.items():
            if not hasattr(saved, name):
                continue
            theirs = getattr(saved, name)
            mine = form.data.get(name, "")
            if str(theirs if theirs is not None else "") != str(mine):
                rows.append({"label": field.label or name, "saved": theirs, "yours": mine})
        return rows


class ObjectDeleteView(ObjectMixin):
    permission = "delete"
    template_name: ClassVar[str] = "core/object_confirm_delete.html"
    success_url_name: ClassVar[str] = "core:home"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.render_page(ConfirmDeleteForm())

    def delete(self, obj: models.Model) -> None:
        """Override to call a service that may refuse (a ValidationError is shown)."""
        obj.delete()

    def render_page(self, form: forms.Form) -> HttpResponseBase:
        context = {
            "view": self,
            "form": form,
            "title": f"Delete {self.object}",
            **self.object_context(),
        }
        return render(self.request, self.template_name, context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = ConfirmDeleteForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        obj = self.object
        try:
            with transaction.atomic(), history.change_reason(form.cleaned_data["reason"]):
                self.delete(obj)
        except ProtectedError:
            form.add_error(
                None,
                f"This {self.model._meta.verbose_name} cannot be deleted because other records "
                "depend on it.",
            )
            return self.render_page(form)
        except ValidationError as exc:
            add_validation_errors(form, exc)
            return self.render_page(form)
        messages.success(request, f"{str(obj).capitalize()} was deleted.")
        return HttpResponseRedirect(reverse(self.success_url_name))


class ObjectHistoryView(ObjectMixin):
    """The history tab: every change to the object, newest first."""

    permission = "view"
    template_name: ClassVar[str] = "core/object_history.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        obj = self.object
        page = Paginator(history.for_object(obj), 25).get_page(request.GET.get("page"))
        entries = [
            {"entry": e, "rows": history.display_changes(e, can_see_restricted=True)}
            for e in page.object_list
        ]
        context = {
            "view": self,
            "title": f"History: {obj}",
            "entries": entries,
            "page_obj": page,
            **self.object_context(),
        }
        return render(request, self.template_name, context)


def object_urls(
    prefix: str,
    name: str,
    *,
    list_view: type[View] | None = None,
    add: type[View] | None = None,
    detail: type[View] | None = None,
    edit: type[View] | None = None,
    delete: type[View] | None = None,
    history_view: type[View] | None = None,
) -> list[Any]:
    """The standard URLs of one object type: `/<prefix>/`, `add/`, `<pk>/`, `<pk>/edit/`,
    `<pk>/delete/` and `<pk>/history/`, named `<name>_list`, `<name>_add`, `<name>_detail`...
    """
    from django.urls import path

    routes = [
        ("", list_view, "list"),
        ("add/", add, "add"),
        ("<int:pk>/", detail, "detail"),
        ("<int:pk>/edit/", edit, "edit"),
        ("<int:pk>/delete/", delete, "delete"),
        ("<int:pk>/history/", history_view, "history"),
    ]
    return [
        path(f"{prefix}{route}", view.as_view(), name=f"{name}_{suffix}")
        for route, view, suffix in routes
        if view is not None
    ]
