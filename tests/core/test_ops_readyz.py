"""/readyz checks the database, the file storage and the task queue (issue 23, 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from .ops_capture import captured_log


@pytest.mark.django_db
def test_ready(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok", "queue": "ok"}


@pytest.mark.django_db
def test_the_probe_file_is_written_read_and_deleted(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    assert client.get("/readyz").json()["storage"] == "ok"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # nothing left behind


@pytest.mark.django_db
def test_storage_that_cannot_be_written(client: Client, settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "media")},
        },
    }
    with captured_log() as out:
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body == {
        "status": "unavailable",
        "database": "ok",
        "storage": "unavailable",
        "queue": "ok",
    }
    assert "Traceback" not in response.content.decode()
    (line,) = [line for line in out.lines if line["logger"] == "lift.core.ops.readiness"]
    assert "storage unavailable" in line["message"] and line["level"] == "WARNING"


@pytest.mark.django_db
def test_queue_table_missing(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DBTaskResult._meta, "db_table", "no_such_task_table")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["queue"] == "unreachable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_database_unreachable(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert "connection refused" not in response.content.decode()
