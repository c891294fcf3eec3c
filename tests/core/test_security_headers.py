"""Security headers on every response, and the production settings' hardening."""

from __future__ import annotations

import importlib
import re

import pytest

pytestmark = pytest.mark.django_db


def test_csp_is_strict(client, learner):
    client.force_login(learner)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    # Scripts only from our own origin (a nonce is added when a page needs one).
    assert "script-src 'self'" in csp


def test_frame_referrer_nosniff_permissions(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_inline_script_in_pages(client, learner):
    client.force_login(learner)
    body = client.get("/").content.decode()
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag, f"inline script: {tag}"
    assert ' style="' not in body


def test_session_cookie_flags(client, learner, settings):
    from tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"username": learner.email, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_production_settings_harden(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("LIFT_DEBUG", "false")
    importlib.reload(importlib.import_module("lift.config.settings.base"))
    module = importlib.reload(importlib.import_module("lift.config.settings.production"))
    assert module.SESSION_COOKIE_SECURE and module.CSRF_COOKIE_SECURE
    assert module.SECURE_HSTS_SECONDS >= 31536000 and module.SECURE_SSL_REDIRECT
    assert module.SESSION_COOKIE_NAME.startswith("__Host-")


def test_production_refuses_missing_secret(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SECRET_KEY", "")
    monkeypatch.setenv("LIFT_DEBUG", "false")
    importlib.reload(importlib.import_module("lift.config.settings.base"))
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.reload(importlib.import_module("lift.config.settings.production"))


def production_module(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("LIFT_DEBUG", "false")
    importlib.reload(importlib.import_module("lift.config.settings.base"))
    return importlib.reload(importlib.import_module("lift.config.settings.production"))


def test_probes_are_not_redirected_to_https_in_production(monkeypatch, settings):
    """Issue 17, finding 12: /healthz and /readyz answered 301 over plain HTTP, so a load
    balancer's probe never saw a 503. They are exempt from the HTTPS redirect; pages are not."""
    from django.test import Client

    production = production_module(monkeypatch)
    settings.SECURE_SSL_REDIRECT = production.SECURE_SSL_REDIRECT
    settings.SECURE_PROXY_SSL_HEADER = production.SECURE_PROXY_SSL_HEADER
    settings.SECURE_REDIRECT_EXEMPT = getattr(production, "SECURE_REDIRECT_EXEMPT", [])
    assert settings.SECURE_SSL_REDIRECT
    client = Client()  # a new client builds its middleware with these settings

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code in {200, 503}
    for page in ("/", "/accounts/login/", "/healthz-not", "/static/x.css", "/api/v1/"):
        response = client.get(page)
        assert response.status_code == 301, page
        assert response["Location"].startswith("https://"), page
    # Over HTTPS (as the proxy says) the probes answer as before.
    assert client.get("/healthz", HTTP_X_FORWARDED_PROTO="https").status_code == 200
