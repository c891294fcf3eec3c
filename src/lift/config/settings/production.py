"""Production: HTTPS only, HSTS, secure cookies; SECRET_KEY and ALLOWED_HOSTS must be set."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, LIFT_DEMO, SECRET_KEY, env_bool

if DEBUG:
    raise ImproperlyConfigured("LIFT_DEBUG must be off in production settings.")
if LIFT_DEMO:
    raise ImproperlyConfigured("LIFT_DEMO must be off in production settings.")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )

SECURE_SSL_REDIRECT = env_bool("LIFT_SECURE_SSL_REDIRECT", True)
# A load balancer probes the health and readiness pages over plain HTTP: a redirect would
# hide a 503 from it; Prometheus scrapes each app server's /metrics (with its token) the
# same way. Patterns match the path without its leading slash.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$", r"^metrics/?$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-lift-session"
CSRF_COOKIE_NAME = "__Host-lift-csrf"
