"""Local development and `make demo`: SQLite under var/, console e-mail, debug on."""

import os

os.environ.setdefault("LIFT_DEBUG", "true")

from .base import *  # noqa: E402,F403
from .base import SECRET_KEY as _SECRET_KEY  # noqa: E402

SECRET_KEY = _SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
