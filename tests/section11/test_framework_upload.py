"""Uploading a framework file through the web: the same validating loader as the files in
reference/section11/, refusals with the loader's message and nothing stored, permissions,
and a framework in use that cannot be deleted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lift.core.models import ChangeLog
from lift.section11.models import Framework, Requirement

from ..permissions import assert_permissions
from .conftest import framework_yaml

pytestmark = pytest.mark.django_db

URL = "/section11/frameworks/upload/"


def _upload(client: Any, text: str | bytes, name: str = "schools.yaml") -> Any:
    data = text.encode() if isinstance(text, str) else text
    return client.post(URL, {"file": SimpleUploadedFile(name, data, "application/yaml")})


def _own(partnership: Any) -> Any:
    return Framework.objects.filter(partnership=partnership)


def test_upload_page_permissions(
    business_unit: Any, lead: Any, chair: Any, learner: Any, outsider: Any
) -> None:
    assert reverse("section11:framework_upload") == URL
    # The other partnership's business unit uploads into its own partnership (below).
    assert_permissions(URL, allowed=[business_unit, outsider], forbidden=[lead, chair, learner])
    # Refused on POST too (nothing stored).
    for person in (lead, chair):
        from django.test import Client

        c = Client()
        c.force_login(person)
        assert _upload(c, framework_yaml(code="schools")).status_code == 403
    assert not Framework.objects.filter(code="schools").exists()


def test_business_unit_uploads_a_variant_which_loads_as_the_partnerships_own(
    business_unit: Any, partnership: Any, other_partnership: Any, outsider: Any, client_for: Any
) -> None:
    c = client_for(business_unit)
    page = c.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in page and "Check and load the framework" in page
    text = framework_yaml(code="schools", standards=3, per_standard=4, scale="score")
    response = _upload(c, text)
    fw = _own(partnership).get(code="schools")
    assert response.status_code == 302 and response["Location"] == fw.get_absolute_url()
    assert fw.file_name == "schools.yaml" and fw.version == 1
    assert Requirement.objects.filter(framework=fw).count() == 12
    assert list(fw.scale.levels.values_list("value", flat=True)) == ["3", "2", "1", "0"]
    assert not Framework.objects.filter(partnership=other_partnership, code="schools").exists()
    assert c.get(reverse("section11:framework_detail", args=[fw.pk])).status_code == 200
    entry = ChangeLog.objects.filter(object_id=str(fw.pk), action="create").first()
    assert entry is not None and entry.actor_id == business_unit.pk
    listing = c.get(reverse("section11:framework_list")).content.decode()
    assert "Test framework schools" in listing and URL in listing
    # Another partnership neither sees it nor is blocked by it: its own upload is separate.
    theirs = client_for(outsider)
    assert theirs.get(reverse("section11:framework_detail", args=[fw.pk])).status_code == 404
    assert _upload(theirs, framework_yaml(code="schools")).status_code == 302
    assert Framework.objects.filter(partnership=other_partnership, code="schools").count() == 1


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("id: x\nurn: [unclosed\n", "broken.yaml", "broken.yaml: is not valid YAML at line"),
        (
            framework_yaml(code="schools").replace(
                "schools:requirement:2.1", "other:requirement:2.1"
            ),
            "schools.yaml",
            "schools.yaml: standards[1].requirements[0].urn must be "
            "&#x27;urn:lift:section11:schools:requirement:2.1&#x27;",
        ),
        (framework_yaml(code="schools") + "colour: blue\n", "schools.yaml", "colour"),
        (framework_yaml(code="schools"), "schools.txt", "must be a YAML file ending .yaml or .yml"),
        ("a: &x [1]\nb: *x\n", "alias.yaml", "uses a YAML anchor or alias at line 1"),
        ("", "empty.yaml", "The submitted file is empty"),
        ("# nothing but a comment\n", "blank.yaml", "blank.yaml: is empty"),
    ],
)
def test_malformed_file_is_refused_with_the_loaders_message_and_nothing_stored(
    business_unit: Any, partnership: Any, client_for: Any, text: str, name: str, message: str
) -> None:
    before = Framework.objects.count()
    response = _upload(client_for(business_unit), text, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert Framework.objects.count() == before


def test_not_utf8_or_too_large_is_refused(business_unit: Any, client_for: Any) -> None:
    c = client_for(business_unit)
    assert "is not UTF-8 text" in _upload(c, b"id: \xff\xfe", "latin.yaml").content.decode()
    big = framework_yaml(code="schools") + "#" * 1_000_001
    assert "is larger than 1 MB" in _upload(c, big).content.decode()
    assert not Framework.objects.filter(code="schools").exists()


def test_older_version_is_refused_and_the_same_file_again_changes_nothing(
    business_unit: Any, partnership: Any, client_for: Any
) -> None:
    c = client_for(business_unit)
    assert _upload(c, framework_yaml(code="schools", version=2)).status_code == 302
    older = _upload(c, framework_yaml(code="schools", version=1))
    assert older.status_code == 200
    assert (
        "schools.yaml: version 1 is older than version 2 of urn:lift:section11:schools, which "
        "is already loaded" in older.content.decode()
    )
    again = _upload(c, framework_yaml(code="schools", version=2))
    assert again.status_code == 200 and "already loaded with exactly this content" in (
        again.content.decode()
    )
    assert list(_own(partnership).filter(code="schools").values_list("version", flat=True)) == [2]
    newer = _upload(c, framework_yaml(code="schools", version=3))
    assert newer.status_code == 302
    assert _own(partnership).filter(code="schools").count() == 2


def test_changed_content_under_a_version_in_use_is_refused(
    business_unit: Any, partnership: Any, agency: Any, client_for: Any, make_cycle: Any
) -> None:
    c = client_for(business_unit)
    _upload(c, framework_yaml(code="schools"))
    fw = _own(partnership).get(code="schools")
    make_cycle(fw, [agency], open_=False)
    changed = _upload(c, framework_yaml(code="schools", per_standard=3))
    assert "is used by a Section 11 cycle and its content has changed" in (changed.content.decode())
    assert Requirement.objects.filter(framework=fw).count() == 4


def test_uploaded_framework_in_use_cannot_be_deleted_on_the_web(
    business_unit: Any, partnership: Any, agency: Any, client_for: Any, make_cycle: Any
) -> None:
    c = client_for(business_unit)
    _upload(c, framework_yaml(code="schools"))
    fw = _own(partnership).get(code="schools")
    make_cycle(fw, [agency], open_=False)
    refused = c.post(reverse("section11:framework_delete", args=[fw.pk]), {"reason": "Old"})
    assert refused.status_code == 200 and "cannot be deleted" in refused.content.decode()
    assert Framework.objects.filter(pk=fw.pk).exists()
    _upload(c, framework_yaml(code="spare"))
    spare = _own(partnership).get(code="spare")
    gone = c.post(reverse("section11:framework_delete", args=[spare.pk]), {"reason": "Unused"})
    assert gone.status_code == 302 and not Framework.objects.filter(pk=spare.pk).exists()
