"""/api/v1/: every app registers its viewsets in `lift.<app>.api.routes.register(router)`."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
for app in settings.LIFT_APPS:
    if find_spec(f"lift.{app}.api") is not None and find_spec(f"lift.{app}.api.routes") is not None:
        import_module(f"lift.{app}.api.routes").register(router)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
