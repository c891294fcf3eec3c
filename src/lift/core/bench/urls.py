"""The benchmark's URLconf: LIFT's own, plus the floor page (only while `lift bench` runs)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import URLPattern, URLResolver, path

from lift.config.urls import urlpatterns as lift_urlpatterns
from lift.core.models import Partnership
from lift.core.views.generic import LiftView

from . import FLOOR_PATH


class FloorView(LiftView):
    """The floor: a signed-in page in the LIFT layout that makes one query of its own."""

    permission = "view"
    title = "Benchmark floor"

    def get(self, request: HttpRequest) -> HttpResponse:
        name = Partnership.objects.filter(pk=self.partnership.pk).values_list("name", flat=True)
        context = {"title": self.title, "name": name.first()}
        return HttpResponse(_FLOOR_TEMPLATE.render(context, request))


# Kept here rather than in a template directory: the floor exists only in this URLconf.
_FLOOR_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}'
    '<h1 class="govuk-heading-l">{{ title }}</h1><p class="govuk-body">{{ name }}</p>'
    "{% endblock %}"
)


urlpatterns: list[URLPattern | URLResolver] = [
    path(FLOOR_PATH.lstrip("/"), FloorView.as_view(), name="bench_floor"),
    *lift_urlpatterns,
]
handler403 = "lift.core.views.errors.permission_denied"
handler404 = "lift.core.views.errors.page_not_found"
handler500 = "lift.core.views.errors.server_error"
