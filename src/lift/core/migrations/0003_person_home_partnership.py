"""Each person's account belongs to one partnership: the one that first gave them a role."""

import django.db.models.deletion
from django.db import migrations, models


def set_home_partnership(apps, schema_editor):  # type: ignore[no-untyped-def]
    Person = apps.get_model("core", "Person")
    RoleAssignment = apps.get_model("core", "RoleAssignment")
    first = {}
    for person_id, partnership_id in RoleAssignment.objects.order_by(
        "-starts_on", "-pk"
    ).values_list("person_id", "partnership_id"):
        first[person_id] = partnership_id  # the earliest wins: the list runs newest first
    for partnership_id in set(first.values()):
        ids = [p for p, home in first.items() if home == partnership_id]
        for start in range(0, len(ids), 500):
            Person.objects.filter(pk__in=ids[start : start + 500]).update(
                home_partnership_id=partnership_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_generateddocument"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="home_partnership",
            field=models.ForeignKey(
                blank=True,
                help_text="The partnership that invited this person: only its business unit "
                "may change their e-mail address, deactivate them or reset their two-factor "
                "authentication.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="own_people",
                to="core.partnership",
                verbose_name="account managed by",
            ),
        ),
        migrations.RunPython(set_home_partnership, migrations.RunPython.noop),
    ]
