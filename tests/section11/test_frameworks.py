"""The framework importer: the shipped files, refusals with clear messages, versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command

from lift.section11 import services
from lift.section11.frameworks import check_all, framework_load, parse, parse_text
from lift.section11.models import Framework, Requirement

from .conftest import framework_yaml

# The eight Pan-London standards, worded as in the partnership's framework (the seed).
SEED_STANDARDS = [
    "Senior management have commitment to the importance of safeguarding and promoting "
    "children's welfare",
    "There is a clear statement of the agency's responsibility towards children and this is "
    "available to all staff",
    "There is a clear line of accountability within the organisation for work on safeguarding "
    "and promoting welfare",
    "Service development takes into account the need to safeguard and promote welfare and is "
    "informed, where appropriate, by the views of children and families",
    "There is effective training on safeguarding and promoting the welfare of children for all "
    "staff working with or, depending on the agency's primary functions, in contact with "
    "children and families",
    "Safer recruitment procedures including vetting procedures and those for managing "
    "allegations are in place",
    "There is effective inter-agency working to safeguard and promote the welfare of children",
    "There is effective information sharing",
]


def test_pan_london_has_the_eight_standards_as_worded() -> None:
    parsed = parse(Path(settings.REFERENCE_DIR) / "section11" / "pan-london.yaml")
    assert [s.title for s in parsed.standards] == SEED_STANDARDS
    assert all(len(s.requirements) >= 3 for s in parsed.standards)
    assert [lvl.value for lvl in parsed.scale.levels] == ["fully", "partially", "not-met"]


def test_every_shipped_file_is_valid_and_has_its_own_scale() -> None:
    files = {f.id: f for f in check_all()}
    assert {"pan-london", "voluntary-short"} <= set(files)
    assert files["voluntary-short"].scale.key == "score-0-3"


@pytest.mark.django_db
def test_shared_frameworks_are_loaded_after_migrate() -> None:
    pan = Framework.objects.get(urn="urn:lift:section11:pan-london", partnership=None)
    assert pan.standards.count() == 8
    assert Requirement.objects.filter(framework=pan, essential=True).exists()
    assert pan.scale.levels.count() == 3
    assert Framework.objects.filter(code="voluntary-short", partnership=None).exists()


def _bad(mutate: Any) -> str:
    data = yaml.safe_load(framework_yaml())
    mutate(data)
    with pytest.raises(ImproperlyConfigured) as exc:
        parse_text(yaml.safe_dump(data), "reference/section11/bad.yaml")
    return str(exc.value)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("scale"), "is missing the required key 'scale'"),
        (lambda d: d.update(colour="red"), "has unknown key 'colour'"),
        (lambda d: d.update(version=0), "version must be a whole number of 1 or more"),
        (lambda d: d.update(urn="urn:lift:section11:other"), "urn must be"),
        (
            lambda d: d["scale"]["levels"][0].update(colour="crimson"),
            "scale.levels[0].colour must be one of",
        ),
        (
            lambda d: d["scale"]["levels"][1].update(value="fully"),
            "scale.levels[1].value 'fully' is already used",
        ),
        (
            lambda d: d["standards"][0]["requirements"][0].update(
                urn="urn:lift:section11:test-frame:requirement:9.9"
            ),
            "standards[0].requirements[0].urn must be",
        ),
        (lambda d: d["standards"][1].update(requirements=[]), "at least one requirement"),
        (lambda d: d["standards"][0]["requirements"][0].pop("text"), "'text'"),
    ],
)
def test_malformed_files_are_refused_naming_the_file_and_problem(
    mutate: Any, expected: str
) -> None:
    message = _bad(mutate)
    assert message.startswith("reference/section11/bad.yaml: ")
    assert expected in message


def test_invalid_yaml_gives_the_line() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"bad.yaml: is not valid YAML at line 3"):
        parse_text("id: x\nname: [unclosed\n", "bad.yaml")


@pytest.mark.django_db
def test_an_older_version_is_refused(make_framework: Any) -> None:
    make_framework(version=2)
    parsed = parse_text(framework_yaml(version=1), "reference/section11/old.yaml")
    fw = Framework.objects.get(code="test-frame")
    with pytest.raises(ImproperlyConfigured) as exc:
        framework_load(parsed=parsed, partnership=fw.partnership)
    assert str(exc.value).startswith(
        "reference/section11/old.yaml: version 1 is older than version 2"
    )


@pytest.mark.django_db
def test_same_version_unchanged_is_a_no_op_and_new_version_is_new_rows(make_framework: Any) -> None:
    first = make_framework()
    parsed = parse_text(framework_yaml(), "x.yaml")
    again, created = framework_load(parsed=parsed, partnership=first.partnership)
    assert (again.pk, created) == (first.pk, False)
    second = make_framework(version=2, per_standard=3)
    assert second.pk != first.pk and second.requirements.count() == 6


@pytest.mark.django_db
def test_changed_content_of_a_version_in_use_is_refused(
    make_framework: Any, make_cycle: Any, agency: Any
) -> None:
    fw = make_framework()
    make_cycle(fw, [agency])
    parsed = parse_text(framework_yaml(per_standard=3), "reference/section11/x.yaml")
    with pytest.raises(ImproperlyConfigured, match="Bump 'version'"):
        framework_load(parsed=parsed, partnership=fw.partnership)


@pytest.mark.django_db
def test_a_framework_in_use_cannot_be_deleted(
    make_framework: Any, make_cycle: Any, agency: Any, business_unit: Any
) -> None:
    fw = make_framework()
    make_cycle(fw, [agency])
    with pytest.raises(ValidationError, match="is used by the cycle"):
        services.framework_delete(framework=fw, by=business_unit)
    unused = make_framework(code="unused")
    services.framework_delete(framework=unused, by=business_unit)
    assert not Framework.objects.filter(pk=unused.pk).exists()


@pytest.mark.django_db
def test_command_loads_a_partnership_variant_and_refuses_bad_files(
    tmp_path: Path, partnership: Any
) -> None:
    good = tmp_path / "schools.yaml"
    good.write_text(framework_yaml(code="schools"), encoding="utf-8")
    call_command("load_frameworks", file=str(good), partnership=partnership.slug)
    assert Framework.objects.filter(code="schools", partnership=partnership).exists()
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: broken\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken.yaml: .*missing the required key"):
        call_command("load_frameworks", file=str(bad), partnership=partnership.slug)
    older = tmp_path / "schools-old.yaml"
    good.write_text(framework_yaml(code="schools", version=3), encoding="utf-8")
    call_command("load_frameworks", file=str(good), partnership=partnership.slug)
    older.write_text(framework_yaml(code="schools", version=2), encoding="utf-8")
    with pytest.raises(CommandError, match="version 2 is older than version 3"):
        call_command("load_frameworks", file=str(older), partnership=partnership.slug)


@pytest.mark.django_db
def test_command_check_validates_the_shared_files() -> None:
    call_command("load_frameworks", check=True)
