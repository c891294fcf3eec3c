"""Where files are kept: the local media folder, or an object store through the S3 API.

The base settings choose (`storage_settings`): with `LIFT_S3_BUCKET` set, Django's default
storage is django-storages' S3 backend (any S3-API store: AWS S3, MinIO, Ceph, a cloud's
S3-compatible service); without it, the local `MEDIA_ROOT`. Everything LIFT keeps goes
through that default storage: uploads (`Attachment.file`), generated documents
(`GeneratedDocument.file`), backups written with `lift backup --storage` and exports with
`lift export_partnership --storage`. Nothing is ever served from the store directly:
downloads go through LIFT's permission-checked views, which read the file from storage
(`open_for_download`) and stream it.

An object store that cannot be reached (refused, timed out, a missing bucket, refused
credentials) gives a 503 page saying files are unavailable, and a log line
(`StorageUnavailableMiddleware`), never a 500 with a traceback.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the settings import this module: nothing of Django's at import time
    from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = "LIFT cannot reach its file store. Try again in a few minutes."
RETRY_AFTER_SECONDS = 120
# S3 error codes meaning the object is not there (a missing file, not a missing store).
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


def storage_settings(environ: os._Environ[str] | dict[str, str] | None = None) -> dict[str, Any]:
    """The STORAGES["default"] entry from the environment (see docs/operations.md)."""
    env = os.environ if environ is None else environ
    bucket = env.get("LIFT_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    from botocore.config import Config

    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": env.get("LIFT_S3_ENDPOINT_URL") or None,
        "region_name": env.get("LIFT_S3_REGION") or None,
        # Unset: boto3's own chain (AWS_* variables, an instance or pod role).
        "access_key": env.get("LIFT_S3_ACCESS_KEY_ID") or None,
        "secret_key": env.get("LIFT_S3_SECRET_ACCESS_KEY") or None,
        "location": env.get("LIFT_S3_PREFIX", "").strip("/"),
        "addressing_style": env.get("LIFT_S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        # Private objects; never replace a file of the same name (a suffix is added, as on
        # the local disk); signed URLs, if anything asks for one, last a minute.
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 60,
        # A store that does not answer fails a request in seconds, not minutes.
        "client_config": Config(
            connect_timeout=float(env.get("LIFT_S3_CONNECT_TIMEOUT", "5")),
            read_timeout=float(env.get("LIFT_S3_READ_TIMEOUT", "30")),
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def is_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` says the object store could not be used (not that a file is missing)."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - botocore is a dependency
        return False
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, BotoCoreError):
            return True
        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            return code not in _NOT_FOUND
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def unavailable_response(request: HttpRequest | None) -> HttpResponse:
    """503 with Retry-After: JSON for the API, otherwise a page of its own."""
    from django.http import HttpResponse, JsonResponse
    from django.template import loader

    path = getattr(request, "path", "") or ""
    response: HttpResponse
    if path.startswith("/api/"):
        response = JsonResponse(
            {"detail": UNAVAILABLE_MESSAGE, "code": "storage_unavailable"}, status=503
        )
    else:
        response = HttpResponse(
            loader.get_template("errors/files_unavailable.html").render(), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class StorageUnavailableMiddleware:
    """Turn an unreachable object store in a view into a 503 page and a log line."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_unavailable(exception):
            return None
        logger.error(
            "File storage unavailable: %s %s answered 503 (%s: %s)",
            request.method,
            request.path,
            type(exception).__name__,
            exception,
        )
        return unavailable_response(request)


def open_for_download(field_file: Any) -> Any:
    """The stored file, opened for reading and fetched from the store now, so a store that
    cannot be reached fails in the view (a 503 page) rather than half-way through the
    response. Pass the result to FileResponse, which streams it and closes it."""
    stored = field_file.storage.open(field_file.name, "rb")
    stored.seek(0)
    return stored
