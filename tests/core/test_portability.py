"""Partnership export: documented JSON, one partnership only, restricted records opt-in."""

from __future__ import annotations

import hashlib
import json
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder

from lift.core.models import Agency, Notification
from lift.core.portability import is_restricted_model, partnership_export
from lift.core.services import role_assign

from ..factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_partnerships(partnership: Any, other_partnership: Any, agency: Any, make_person: Any):
    ours = make_person("business_unit", full_name="Olive Ours")
    far_agency = AgencyFactory(partnership=other_partnership, name="Farland Police (fictional)")
    theirs = make_person("business_unit", partnership_=other_partnership, full_name="Tad Theirs")
    Notification.objects.create(key="n1", partnership=partnership, person=ours, title="Ours")
    Notification.objects.create(
        key="n2", partnership=other_partnership, person=theirs, title="Theirs only"
    )
    return ours, theirs, far_agency


def test_export_holds_only_one_partnership(partnership: Any, two_partnerships: Any) -> None:
    ours, theirs, _far_agency = two_partnerships
    export = partnership_export(partnership=partnership)
    text = json.dumps(export, cls=DjangoJSONEncoder)
    assert "Farland Police" not in text and "Theirs only" not in text
    assert theirs.email not in text and "Tad Theirs" not in text
    for label, rows in export["data"].items():
        for row in rows:
            if "partnership" in row["fields"]:
                assert row["fields"]["partnership"] == partnership.pk, label
    assert [r["pk"] for r in export["data"]["core.Partnership"]] == [partnership.pk]
    assert ours.pk in [r["pk"] for r in export["data"]["core.Person"]]
    assert Agency.objects.filter(partnership=partnership).count() == len(
        export["data"]["core.Agency"]
    )
    assert {r["fields"]["title"] for r in export["data"]["core.Notification"]} == {"Ours"}
    roles = export["data"]["core.RoleAssignment"]
    assert roles and all(r["fields"]["partnership"] == partnership.pk for r in roles)


def test_people_carry_no_secrets(partnership: Any, two_partnerships: Any) -> None:
    export = partnership_export(partnership=partnership)
    for row in export["data"]["core.Person"]:
        assert "password" not in row["fields"] and "is_superuser" not in row["fields"]


def test_manifest_counts_and_checksums(partnership: Any, two_partnerships: Any) -> None:
    export = partnership_export(partnership=partnership)
    manifest = export["manifest"]
    assert manifest["format"] == "lift-partnership-export" and manifest["version"] == 1
    assert manifest["partnership"]["slug"] == partnership.slug
    assert set(manifest["models"]) == set(export["data"])
    for label, entry in manifest["models"].items():
        rows = export["data"][label]
        blob = json.dumps(rows, cls=DjangoJSONEncoder, sort_keys=True).encode()
        assert entry == {"count": len(rows), "sha256": hashlib.sha256(blob).hexdigest()}


def test_restricted_models_only_on_request(partnership: Any) -> None:
    default = partnership_export(partnership=partnership)
    restricted = list(default["manifest"]["excluded"])
    assert restricted, "at least one restricted-record model is installed"
    from django.apps import apps

    assert all(is_restricted_model(apps.get_model(label)) for label in restricted)
    assert not set(restricted) & set(default["data"])
    full = partnership_export(partnership=partnership, include_restricted=True)
    assert set(restricted) <= set(full["data"]) and not full["manifest"]["excluded"]


def test_history_hides_restricted_values_by_default(partnership: Any) -> None:
    from django.contrib.contenttypes.models import ContentType

    from lift.core.models import ChangeLog

    ChangeLog.objects.create(
        partnership=partnership,
        content_type=ContentType.objects.get_for_model(Agency),
        object_id="1",
        object_repr="Child A",
        action="update",
        changes={"name": ["Old", "New"], "secret": ["Ann Example", "Ann Sample"]},
        restricted_fields=["secret"],
    )
    text = json.dumps(partnership_export(partnership=partnership), cls=DjangoJSONEncoder)
    assert "Ann Example" not in text and "[restricted]" in text
    full = json.dumps(
        partnership_export(partnership=partnership, include_restricted=True), cls=DjangoJSONEncoder
    )
    assert "Ann Example" in full


def test_command_writes_private_file(partnership: Any, two_partnerships: Any, tmp_path: Path):
    path = tmp_path / "export.json"
    out = StringIO()
    call_command("export_partnership", partnership.slug, str(path), stdout=out)
    assert "Exported" in out.getvalue() and "Left out" in out.getvalue()
    assert os.stat(path).st_mode & 0o077 == 0
    loaded = json.loads(path.read_text())
    assert loaded["manifest"]["partnership"]["pk"] == partnership.pk
    with pytest.raises(CommandError, match="No partnership"):
        call_command("export_partnership", "no-such-place", str(tmp_path / "x.json"))


def test_case_role_assignments_are_exported(partnership: Any, two_partnerships: Any) -> None:
    ours = two_partnerships[0]
    role_assign(partnership=partnership, person=ours, role="chair")
    export = partnership_export(partnership=partnership)
    people = {r["fields"]["person"] for r in export["data"]["core.RoleAssignment"]}
    assert ours.pk in people
