"""Issue 17, finding 5: a locked database is "LIFT is busy" (503, Retry-After), never a 500,
and SQLite files run in WAL mode with a busy timeout."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.db.utils import ConnectionHandler
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from lift.core.busy import is_busy
from lift.core.views import errors


@login_not_required
def locked(request: HttpRequest) -> HttpResponse:
    raise OperationalError("database is locked")


@login_not_required
def broken(request: HttpRequest) -> HttpResponse:
    raise OperationalError("no such table: core_agency")


@login_not_required
def uses_session(request: HttpRequest) -> HttpResponse:
    request.session["seen"] = True  # saved by SessionMiddleware after the view
    return HttpResponse("ok")


for _view in (locked, broken, uses_session):
    _view.public = True  # type: ignore[attr-defined]

urlpatterns = [
    path("busy-test/locked", locked),
    path("busy-test/broken", broken),
    path("busy-test/session", uses_session),
    path("api/v1/busy-test/locked", locked),
]
handler500 = errors.server_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def client() -> Client:
    return Client(raise_request_exception=False)


def test_a_locked_database_in_a_view_is_a_503_page_with_retry_after() -> None:
    response = client().get("/busy-test/locked")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "LIFT is busy. Try again in a minute." in response.content.decode()


def test_a_locked_database_in_the_api_is_a_json_503() -> None:
    response = client().get("/api/v1/busy-test/locked")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json() == {"detail": "LIFT is busy. Try again in a minute.", "code": "busy"}


def test_a_lock_met_in_a_middleware_is_a_503_too(monkeypatch: Any) -> None:
    """Signing in saves the session after the view, in SessionMiddleware: handler500 says
    "busy" for a lock there."""

    def save(self: SessionStore, must_create: bool = False) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", save)
    response = client().get("/busy-test/session")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"


def test_other_database_errors_are_still_500() -> None:
    response = client().get("/busy-test/broken")
    assert response.status_code == 500
    assert "Retry-After" not in response


class FakePgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("canceling statement")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "busy"),
    [("40001", True), ("40P01", True), ("55P03", True), ("57014", True), ("08006", False)],
)
def test_postgresql_lock_timeouts_and_serialization_failures_are_busy(
    sqlstate: str, busy: bool
) -> None:
    error = OperationalError("canceling statement")
    error.__cause__ = FakePgError(sqlstate)
    assert is_busy(error) is busy
    assert not is_busy(ValueError("database is locked"))


@pytest.fixture
def file_database_settings(monkeypatch: Any, tmp_path: Path) -> Any:
    """The DATABASES that base settings build for a SQLite file (the test settings use an
    in-memory database without these options)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'lift.sqlite3'}")
    monkeypatch.setenv("LIFT_VAR_DIR", str(tmp_path))
    base = importlib.reload(importlib.import_module("lift.config.settings.base"))
    yield base.DATABASES
    monkeypatch.undo()
    importlib.reload(base)


def test_sqlite_files_run_in_wal_mode_with_a_busy_timeout(file_database_settings: Any) -> None:
    options = file_database_settings["default"]["OPTIONS"]
    assert options["timeout"] == 20
    assert options["transaction_mode"] == "IMMEDIATE"
    handler = ConnectionHandler(file_database_settings)
    connection = handler["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
    finally:
        connection.close()
