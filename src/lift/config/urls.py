"""URL map: each app's pages at its own prefixes (declared in its urls.py), the API, probes."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from lift.core.api.exceptions import api_not_found
from lift.core.views import errors

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("lift.core.urls_accounts")),
    path("api/v1/", include("lift.config.api_urls")),
    path("", include("lift.core.urls")),
]
for app in settings.LIFT_APPS:
    if app == "core":
        continue
    if find_spec(f"lift.{app}.urls") is not None:
        module = import_module(f"lift.{app}.urls")
        if module.urlpatterns:
            urlpatterns.append(path("", include(module)))

handler403 = errors.permission_denied


def page_not_found(request: HttpRequest, exception: object = None) -> HttpResponse:
    """JSON under /api/ (the API's error shape), the HTML page everywhere else."""
    if request.path_info.startswith("/api/"):
        return api_not_found(request, exception)
    return errors.page_not_found(request, exception)


handler404 = page_not_found
handler500 = errors.server_error
