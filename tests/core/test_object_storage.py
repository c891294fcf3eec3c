"""Files in object storage (issue 23, item 1), against a real S3 API server on 127.0.0.1.

moto's server mode (ThreadedMotoServer) answers the S3 protocol over HTTP on a loopback
port; LIFT talks to it through django-storages and boto3 exactly as to any object store.
Every name and file is fictional.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from moto.server import ThreadedMotoServer

from lift.core import documents as d
from lift.core.models import Agency, Attachment, Partnership, Person
from lift.core.models.documents import DocumentStatus
from lift.core.storage import is_unavailable, storage_settings
from lift.reviews import services
from lift.reviews.models import Incident, Review
from tests.reviews.test_services import decide

from .ops_capture import captured_log
from .test_documents import builders  # noqa: F401 (fixture)

REGION = "eu-west-2"
KEYS = {"LIFT_S3_ACCESS_KEY_ID": "lift-test-key", "LIFT_S3_SECRET_ACCESS_KEY": "lift-test-secret"}


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """A real S3 API server on a free loopback port, for this module's tests."""
    os.environ["NO_PROXY"] = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1"]))
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["LIFT_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["LIFT_S3_SECRET_ACCESS_KEY"],
    )


def use_store(settings: Any, endpoint: str, bucket: str) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_settings(
            {
                "LIFT_S3_BUCKET": bucket,
                "LIFT_S3_ENDPOINT_URL": endpoint,
                "LIFT_S3_REGION": REGION,
                "LIFT_S3_PREFIX": "lift-test",
                "LIFT_S3_CONNECT_TIMEOUT": "2",
                "LIFT_S3_READ_TIMEOUT": "5",
                **KEYS,
            }
        ),
    }


@pytest.fixture
def bucket(s3_server: str, settings: Any) -> Iterator[str]:
    """A fresh bucket, made LIFT's default storage for the test."""
    name = f"lift-{uuid.uuid4().hex[:12]}"
    s3_client(s3_server).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    use_store(settings, s3_server, name)
    yield name


def keys(endpoint: str, bucket: str) -> list[str]:
    listing = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(obj["Key"] for obj in listing.get("Contents", []))


def read_object(endpoint: str, bucket: str, key: str) -> bytes:
    body: bytes = s3_client(endpoint).get_object(Bucket=bucket, Key=key)["Body"].read()
    return body


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens there any more: connections are refused


@pytest.fixture
def unreachable(settings: Any) -> None:
    use_store(settings, f"http://127.0.0.1:{closed_port()}", "lift-gone")


@pytest.fixture
def incident(partnership: Partnership, business_unit: Person, agency: Agency) -> Incident:
    return services.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child A",
        incident_type="serious_harm",
        incident_on=dt.date(2025, 4, 28),
        became_aware_on=dt.date(2025, 4, 29),
        notified_on=dt.date(2025, 5, 2),
        criteria=["abuse-or-neglect", "seriously-harmed"],
        summary="Child A was admitted to hospital.",
        agencies=[agency],
    )


@pytest.fixture
def review(incident: Incident, chair: Person) -> Review:
    decide(incident, chair)
    return incident.reviews.get()


@pytest.fixture
def board_member(make_person: Callable[..., Person]) -> Person:
    return make_person("board_member", full_name="Bob Board")


REPORT = b"Child A overview report (fictional), kept in the object store."


def upload(client: Client, review: Review, content: bytes = REPORT) -> Any:
    return client.post(
        f"/reviews/{review.pk}/report/",
        {
            "file": SimpleUploadedFile("report.txt", content, content_type="text/plain"),
            "description": "Final",
        },
    )


# --- choosing the storage ---------------------------------------------------------------


def test_local_disk_unless_a_bucket_is_configured() -> None:
    assert storage_settings({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    chosen = storage_settings(
        {"LIFT_S3_BUCKET": "lift-files", "LIFT_S3_ENDPOINT_URL": "https://s3.example.test"}
    )
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    options = chosen["OPTIONS"]
    assert options["bucket_name"] == "lift-files"
    assert options["endpoint_url"] == "https://s3.example.test"
    assert options["file_overwrite"] is False and options["default_acl"] is None
    assert options["access_key"] is None  # boto3's own credential chain
    assert options["client_config"].connect_timeout == 5


# --- uploads and downloads --------------------------------------------------------------


def test_an_upload_goes_to_the_store_and_downloads_only_through_lift(
    bucket: str,
    s3_server: str,
    review: Review,
    business_unit: Person,
    board_member: Person,
    outsider: Person,
    client_for: Callable[..., Client],
) -> None:
    response = upload(client_for(business_unit), review)
    assert response.status_code == 302, response.content[-1000:]
    attachment = Attachment.objects.get()
    stored = keys(s3_server, bucket)
    assert stored == [f"lift-test/{attachment.file.name}"]
    assert read_object(s3_server, bucket, stored[0]) == REPORT

    download = client_for(board_member).get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == REPORT
    assert "attachment" in download["Content-Disposition"]
    # Permission-checked: outside the partnership, not found, whatever is in the store.
    assert client_for(outsider).get(attachment.get_absolute_url()).status_code == 404


def test_a_generated_document_is_kept_in_the_store(
    builders: Any,  # noqa: F811
    bucket: str,
    s3_server: str,
    agency: Agency,
    business_unit: Person,
    client_for: Callable[..., Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        generated = d.document_request(
            kind="test_agency_report", subject=agency, fmt="pdf", user=business_unit
        )
    generated.refresh_from_db()
    assert generated.status == DocumentStatus.READY
    key = f"lift-test/{generated.file.name}"
    assert key in keys(s3_server, bucket)
    assert read_object(s3_server, bucket, key).startswith(b"%PDF")
    response = client_for(business_unit).get(generated.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- backups and the partnership export -------------------------------------------------


def test_backup_to_the_store_holds_the_stored_files_and_verifies(
    bucket: str,
    s3_server: str,
    review: Review,
    business_unit: Person,
    client_for: Callable[..., Client],
) -> None:
    assert upload(client_for(business_unit), review).status_code == 302
    attachment = Attachment.objects.get()
    out = io.StringIO()
    call_command("backup", "backups/nightly.tar.gz", "--storage", stdout=out)
    assert "in the file storage" in out.getvalue()
    assert "lift-test/backups/nightly.tar.gz" in keys(s3_server, bucket)

    from lift.core.backup import _read_backup

    manifest, contents = _read_backup("backups/nightly.tar.gz", from_storage=True)
    assert contents[f"files/{attachment.file.name}"] == REPORT
    assert manifest["rows"]["core.attachment"] == 1
    out = io.StringIO()
    call_command("restore", "--verify", "--storage", "backups/nightly.tar.gz", stdout=out)
    assert out.getvalue().startswith("Checked")

    # A second backup of the same name does not replace the first.
    call_command("backup", "backups/nightly.tar.gz", "--storage", stdout=io.StringIO())
    assert len([k for k in keys(s3_server, bucket) if k.startswith("lift-test/backups/")]) == 2


def test_restore_from_the_store_refuses_a_missing_or_damaged_backup(
    bucket: str, s3_server: str
) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not in the file store"):
        call_command("restore", "--verify", "--storage", "backups/none.tar.gz")
    s3_client(s3_server).put_object(
        Bucket=bucket, Key="lift-test/backups/junk.tar.gz", Body=b"not a backup"
    )
    with pytest.raises(CommandError, match="not a readable LIFT backup"):
        call_command("restore", "--verify", "--storage", "backups/junk.tar.gz")


def test_partnership_export_to_the_store(
    bucket: str, s3_server: str, partnership: Partnership, business_unit: Person
) -> None:
    out = io.StringIO()
    call_command(
        "export_partnership", partnership.slug, "exports/harrowmere.json", "--storage", stdout=out
    )
    assert "in the file storage" in out.getvalue()
    body = json.loads(read_object(s3_server, bucket, "lift-test/exports/harrowmere.json"))
    assert body["manifest"]["partnership"]["slug"] == partnership.slug
    assert body["manifest"]["include_restricted"] is False


# --- readiness --------------------------------------------------------------------------


def test_readyz_probes_the_store(bucket: str, s3_server: str, client: Client, db: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["storage"] == "ok"
    assert [k for k in keys(s3_server, bucket) if "readyz" in k] == []  # probe deleted


def test_readyz_with_the_store_unreachable(unreachable: None, client: Client, db: Any) -> None:
    started = time.monotonic()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "storage": "unavailable",
        "queue": "ok",
    }
    assert time.monotonic() - started < 30


# --- an unreachable store: a clear page and a log line -----------------------------------


def test_download_with_the_store_unreachable_is_a_clear_page(
    bucket: str,
    s3_server: str,
    settings: Any,
    review: Review,
    business_unit: Person,
    board_member: Person,
    client_for: Callable[..., Client],
) -> None:
    assert upload(client_for(business_unit), review).status_code == 302
    attachment = Attachment.objects.get()
    use_store(settings, f"http://127.0.0.1:{closed_port()}", bucket)
    with captured_log() as out:
        response = client_for(board_member).get(attachment.get_absolute_url())
    assert response.status_code == 503
    page = response.content.decode()
    assert "Files are unavailable" in page
    assert "Traceback" not in page and "botocore" not in page
    assert response["Retry-After"]
    errors = [line for line in out.lines if line["logger"] == "lift.core.storage"]
    assert len(errors) == 1 and errors[0]["level"] == "ERROR"
    assert "File storage unavailable" in errors[0]["message"]
    assert f"/files/{attachment.pk}/" in errors[0]["message"]


def test_upload_with_the_store_unreachable_keeps_no_row(
    unreachable: None,
    review: Review,
    business_unit: Person,
    client_for: Callable[..., Client],
) -> None:
    with captured_log() as out:
        response = upload(client_for(business_unit), review)
    assert response.status_code == 503
    assert "Files are unavailable" in response.content.decode()
    assert not Attachment.objects.exists()
    assert any(line["logger"] == "lift.core.storage" for line in out.lines)


def test_the_api_gets_json() -> None:
    from django.http import HttpRequest

    from lift.core.storage import unavailable_response

    request = HttpRequest()
    request.path = "/api/v1/attachments/"
    response = unavailable_response(request)
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "storage_unavailable"


def test_a_missing_file_is_not_an_unavailable_store(bucket: str) -> None:
    with pytest.raises(Exception) as exc:
        default_storage.open("no/such/file.txt", "rb")
    assert not is_unavailable(exc.value)
