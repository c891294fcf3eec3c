"""Local development and `make demo`: SQLite under var/, console e-mail, demo mode on.

Debug is off, so a visitor to the demo sees LIFT's own 403, 404 and 500 pages, never Django's
technical pages (which list every URL and the settings). A developer who wants them runs with
`LIFT_DEBUG=true` (e.g. `LIFT_DEBUG=true make demo`); tracebacks are printed on the console
either way. Static files are served by WhiteNoise straight from the app directories, with no
`collectstatic`, in both cases.
"""

import os

os.environ.setdefault("LIFT_DEMO", "true")
# Plain log lines on a developer's console (production writes JSON).
os.environ.setdefault("LIFT_LOG_FORMAT", "text")

from .base import *  # noqa: F403
from .base import SECRET_KEY as _SECRET_KEY
from .base import storage_settings

SECRET_KEY = _SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
STORAGES = {
    "default": storage_settings(),  # the local media folder unless LIFT_S3_BUCKET is set
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise follows DEBUG for these by default; the demo serves static files with DEBUG off.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
