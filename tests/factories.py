"""Factories for the core records. Every name and place here is fictional."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.contenttypes.models import ContentType

from lift.core.access import forget_assignments
from lift.core.models import Agency, AgencyType, Partnership, Person, RoleAssignment
from lift.core.models.people import EmailChoice

PASSWORD = "correct-horse-battery-staple"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testshire Partnership {n}")
    short_name = factory.Sequence(lambda n: f"Testshire {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    area = "Testshire (fictional)"
    regime = "lscb-2015"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    agency_type = AgencyType.SOCIAL_CARE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")

    class Params:
        # Everyone starts on the daily digest, as in LIFT; a test about an e-mail sent as a
        # notification is made says so: PersonFactory(immediate_emails=True).
        immediate_emails = factory.Trait(email_choice=EmailChoice.IMMEDIATE)

    @factory.post_generation
    def password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = "board_member"


def person_with_role(
    role: str,
    partnership: Partnership,
    *,
    agency: Agency | None = None,
    case: Any = None,
    **person_fields: Any,
) -> Person:
    """A person holding one role (for an agency or a case team where given)."""
    person_fields.setdefault("home_partnership", partnership)
    person = PersonFactory(agency=agency, **person_fields)
    give_role(person, role, partnership, agency=agency, case=case)
    return person


def immediate_emails(*people: Person) -> None:
    """These people chose an e-mail for each notification, straight away (the default is the
    daily digest): for tests about the e-mail a notification sends."""
    Person.objects.filter(pk__in=[p.pk for p in people]).update(email_choice=EmailChoice.IMMEDIATE)
    for person in people:
        person.email_choice = EmailChoice.IMMEDIATE


def give_role(
    person: Person,
    role: str,
    partnership: Partnership,
    *,
    agency: Agency | None = None,
    case: Any = None,
) -> RoleAssignment:
    kwargs: dict[str, Any] = {}
    if case is not None:
        kwargs = {"case_type": ContentType.objects.get_for_model(case), "case_id": case.pk}
    assignment = RoleAssignment.objects.create(
        person=person, partnership=partnership, role=role, agency=agency, **kwargs
    )
    if person.home_partnership_id is None:
        person.home_partnership = partnership
        Person.objects.filter(pk=person.pk).update(home_partnership=partnership)
    forget_assignments(person)
    return assignment
