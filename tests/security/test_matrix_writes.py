"""The permission matrix for reads of one record and for writes, through the API and the web.

The world (tests/security/world.py) holds Harrowmere records of every area and one person per
role in Harrowmere and Kingsbrook. A few roles stand for the rest (the business unit, a
safeguarding lead of each of two agencies, a learner, a board member; Kingsbrook's business
unit and safeguarding lead). Checks:

- API details: every router viewset's detail route answers a Kingsbrook role 404 for a
  Harrowmere record, and a Harrowmere role 200 exactly when the model's `Access` lets them
  view it (else 403/404);
- API writes: a PATCH or DELETE by someone the `Access` does not let change/delete the record
  is refused (403/404/405, never 2xx) and leaves the row as it was; Kingsbrook's get 404;
- web writes: a POST to the generic edit and delete pages of a Harrowmere record by someone
  without change/delete, or by Kingsbrook, is refused and leaves the row as it was;
- e-mails: the notifications the areas send about Harrowmere records (services and the
  scheduled tick's reminders) go to Harrowmere people only and name no child;
- form choices: the create and edit pages a Kingsbrook business unit opens offer no Harrowmere
  agency, person or meeting, and a Harrowmere id posted there is refused.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Model

from lift.core.models import Partnership, Person
from lift.core.roles import Role

from ..core.test_url_permissions import all_patterns
from .test_matrix import _plain_pages
from .test_matrix_details import record_for
from .world import AUDIT_CHILD, CDOP_CHILD, CDOP_NHS, World, client_for, may, module_world

ARG = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
ABSENT = 987654321
# A valid confirmation for the generic delete page: a refused delete is refused for who asks.
REASON = {"reason": "Tidying up (security test)"}


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    yield from module_world(django_db_blocker)


@pytest.fixture
def db_world(world: World, db: Any, settings: Any) -> World:
    settings.LIFT_ENFORCE_MFA = False
    return world


def _home_people(world: World) -> list[Person]:
    return [
        world.home_people[Role.BUSINESS_UNIT],
        world.home_people[Role.SAFEGUARDING_LEAD],
        world.police_people[Role.SAFEGUARDING_LEAD],
        world.home_people[Role.LEARNER],
        world.home_people[Role.BOARD_MEMBER],
    ]


def _away_people(world: World) -> list[Person]:
    return [world.away_people[Role.BUSINESS_UNIT], world.away_people[Role.SAFEGUARDING_LEAD]]


def _has_partnership(model: type[Model]) -> bool:
    return any(f.name == "partnership" for f in model._meta.get_fields())


def home_record(world: World, model: type[Model]) -> Model | None:
    """A Harrowmere record of `model`: the world's own, else the first of the demo story's."""
    if model is Partnership:
        return world.home
    if model is Person:
        return world.home_people[Role.LEARNER]
    obj = record_for(world, model._meta.label)
    if obj is not None:
        return obj
    if _has_partnership(model):
        return model._base_manager.filter(partnership=world.home).order_by("pk").first()
    return None


def national(obj: Model) -> bool:
    """Reference data every partnership reads (templates, frameworks, themes)."""
    if isinstance(obj, (Partnership, Person)):
        return False
    return getattr(obj, "partnership_id", None) is None


def record_type(label: str) -> type[Model]:
    from django.apps import apps

    return apps.get_model(label)


def _row(obj: Model) -> list[dict[str, Any]]:
    return list(type(obj)._base_manager.filter(pk=obj.pk).values())


# --- API details and writes ---------------------------------------------------------------


def api_details() -> list[tuple[str, Any, set[str]]]:
    """(list URL, viewset, the methods its detail route takes) of every router viewset with a
    detail route."""
    lists: dict[Any, str] = {}
    details: dict[Any, set[str]] = {}
    for regex, p in all_patterns():
        route = regex.replace("^", "").replace("$", "")
        cls = getattr(p.callback, "cls", None)
        actions = getattr(p.callback, "actions", None) or {}
        if not route.startswith("api/") or cls is None or "format" in route:
            continue
        if "<" not in route and "(?P" not in route and actions.get("get") == "list":
            lists[cls] = "/" + route
        elif actions.get("get") == "retrieve" and route.count("(?P") == 1:
            details[cls] = set(actions)
    return [(lists[cls], cls, methods) for cls, methods in details.items() if cls in lists]


def _api_objects(world: World) -> list[tuple[str, Model, set[str]]]:
    out = []
    for url, cls, methods in api_details():
        obj = home_record(world, cls.queryset.model)
        if obj is not None:
            out.append((f"{url}{obj.pk}/", obj, methods))
    return out


def test_every_api_detail_route_is_checked(db_world: World) -> None:
    routes = api_details()
    checked = _api_objects(db_world)
    assert len(routes) > 50
    missing = sorted(
        cls.queryset.model._meta.label
        for _u, cls, _m in routes
        if home_record(db_world, cls.queryset.model) is None
    )
    # National reference data (themes, frameworks) and records the world does not build.
    assert len(checked) >= len(routes) - 5, f"no Harrowmere record for {missing}"


def test_api_details_answer_what_the_policy_allows(db_world: World) -> None:
    wrong: list[tuple[Any, ...]] = []
    for person in _home_people(db_world):
        client = client_for(person)
        for url, obj, _methods in _api_objects(db_world):
            status = client.get(url, HTTP_ACCEPT="application/json").status_code
            allowed = may(person, obj)
            if (status == 200) != allowed or status not in (200, 403, 404):
                wrong.append((str(person), url, status, f"view={allowed}"))
    assert not wrong, f"API details not as the policy says: {wrong}"


def test_api_details_of_harrowmere_are_not_found_from_kingsbrook(db_world: World) -> None:
    wrong: list[tuple[Any, ...]] = []
    for person in _away_people(db_world):
        client = client_for(person)
        for url, obj, _methods in _api_objects(db_world):
            if national(obj):
                continue
            status = client.get(url, HTTP_ACCEPT="application/json").status_code
            if status != 404:
                wrong.append((str(person), url, status))
    assert not wrong, f"Kingsbrook reached Harrowmere records through the API: {wrong}"


def _api_write(client: Any, method: str, url: str, etag: str = "") -> int:
    """An empty PATCH (it still saves, so the row's `updated_at` would move) or a DELETE.
    `If-Match` is optional for the API; the refusals come before it is read."""
    headers = {"If-Match": etag} if etag else {}
    if method == "patch":
        response = client.patch(url, {}, content_type="application/json", headers=headers)
    else:
        response = client.delete(url, headers=headers)
    return int(response.status_code)


def test_an_allowed_api_write_changes_the_row(db_world: World) -> None:
    """The checks below can fail: a PATCH by someone allowed moves the row's version."""
    bu = db_world.home_people[Role.BUSINESS_UNIT]
    obj = home_record(db_world, record_type("governance.Board"))
    assert obj is not None and may(bu, obj, "change")
    client = client_for(bu)
    url = f"/api/v1/boards/{obj.pk}/"
    before = _row(obj)
    etag = client.get(url, HTTP_ACCEPT="application/json")["ETag"]
    assert _api_write(client, "patch", url, etag) == 200
    assert _row(obj) != before


def test_api_writes_without_permission_are_refused(db_world: World) -> None:
    wrong: list[tuple[Any, ...]] = []
    tried = 0
    for person in _home_people(db_world):
        client = client_for(person)
        for url, obj, methods in _api_objects(db_world):
            for method, action in (("patch", "change"), ("delete", "delete")):
                if may(person, obj, action):
                    continue
                before = _row(obj)
                status = _api_write(client, method, url)
                tried += 1
                if status not in (403, 404, 405) or _row(obj) != before:
                    wrong.append((str(person), method, url, status))
                if method not in methods and status != 405:
                    wrong.append((str(person), method, url, status, "not routed"))
    assert tried > 200
    assert not wrong, f"API writes not refused: {wrong}"


def test_api_writes_from_kingsbrook_are_not_found(db_world: World) -> None:
    wrong: list[tuple[Any, ...]] = []
    for person in _away_people(db_world):
        client = client_for(person)
        for url, obj, _methods in _api_objects(db_world):
            if national(obj):
                continue
            for method in ("patch", "delete"):
                before = _row(obj)
                status = _api_write(client, method, url)
                if _row(obj) != before:
                    wrong.append((str(person), method, url, status, "row changed"))
                elif status != 404:
                    # A method the viewset does not take is 405 for any id: it tells nothing.
                    absent = _api_write(client, method, url.replace(f"/{obj.pk}/", f"/{ABSENT}/"))
                    if status != 405 or absent != 405:
                        wrong.append((str(person), method, url, status, absent))
    assert not wrong, f"Kingsbrook API writes to Harrowmere records: {wrong}"


# --- web writes ----------------------------------------------------------------------------


def web_writes() -> list[tuple[str, type[Model], str]]:
    """(route, model, action) of the edit and delete pages that take one record's pk."""
    out = []
    for route, p in all_patterns():
        name = p.name or ""
        action = {"edit": "change", "delete": "delete"}.get(name.rpartition("_")[2], "")
        args = ARG.findall(route)
        if route.startswith("api/") or not action or len(args) != 1 or args[0][1] != "pk":
            continue
        model = getattr(getattr(p.callback, "view_class", None), "model", None)
        if model is not None:
            out.append((route, model, action))
    return out


def _web_objects(world: World) -> list[tuple[str, Model, str]]:
    out = []
    for route, model, action in web_writes():
        obj = home_record(world, model)
        if obj is not None:
            out.append(("/" + ARG.sub(str(obj.pk), route), obj, action))
    return out


def test_web_edits_and_deletes_without_permission_are_refused(db_world: World) -> None:
    pages = _web_objects(db_world)
    assert len(pages) > 40, "the world should hold a record for most edit and delete pages"
    wrong: list[tuple[Any, ...]] = []
    tried = 0
    for person in _home_people(db_world):
        client = client_for(person)
        for url, obj, action in pages:
            if may(person, obj, action):
                continue
            before = _row(obj)
            status = client.post(url, REASON).status_code
            tried += 1
            if status not in (403, 404) or _row(obj) != before:
                wrong.append((str(person), url, status, f"{action}={may(person, obj, action)}"))
    assert tried > 100
    assert not wrong, f"web writes not refused: {wrong}"


def test_web_edits_and_deletes_from_kingsbrook_are_refused(db_world: World) -> None:
    wrong: list[tuple[Any, ...]] = []
    for person in [*_away_people(db_world), None]:
        client = client_for(person)
        for url, obj, _action in _web_objects(db_world):
            if national(obj):
                continue
            before = _row(obj)
            response = client.post(url, REASON)
            status = response.status_code
            if person is None:
                refused = status == 302 and response["Location"].startswith("/accounts/login/")
            else:
                refused = status == 404
                if status == 403:  # refused before any lookup: the same for a missing record
                    absent = client.post(url.replace(f"/{obj.pk}/", f"/{ABSENT}/"), {})
                    refused = absent.status_code == 403
            if not refused or _row(obj) != before:
                wrong.append((str(person), url, status))
    assert not wrong, f"writes to Harrowmere records from outside: {wrong}"


def test_an_allowed_web_delete_removes_the_row(db_world: World) -> None:
    """The checks above can fail: the same POST by someone allowed deletes the record."""
    bu = db_world.home_people[Role.BUSINESS_UNIT]
    client = client_for(bu)
    for url, obj, action in _web_objects(db_world):
        if action == "delete" and may(bu, obj, "delete"):
            before = _row(obj)
            status = client.post(url, REASON).status_code
            if status == 302:
                assert _row(obj) == [], url
                return
            assert status == 200 and _row(obj) == before, url  # kept: other records use it
    pytest.fail("no record the business unit may delete")


# --- e-mails -------------------------------------------------------------------------------

# Days the scheduled tick runs on: around the world's due dates (audit returns, Section 11,
# child death reporting forms, the training session and its follow-ups, the demo stories'
# actions, inspection progress reports and indicator values).
TICK_DAYS = [
    dt.date(2015, 10, 28),
    dt.date(2015, 11, 6),
    dt.date(2015, 12, 21),
    dt.date(2016, 4, 5),
    dt.date(2025, 3, 20),
    dt.date(2025, 4, 30),
    dt.date(2025, 6, 8),
    dt.date(2025, 9, 12),
    dt.date(2025, 12, 20),
    dt.date(2027, 3, 1),
]


def _restricted_values(world: World) -> list[str]:
    from lift.reviews.models import ChildIdentity

    values = [*CDOP_CHILD, CDOP_NHS, AUDIT_CHILD]
    for row in ChildIdentity.objects.filter(partnership=world.home).values(
        "full_name", "nhs_number", "address", "postcode"
    ):
        values += [str(v).splitlines()[0] for v in row.values() if v]
    return values


def _harrowmere_addresses(world: World) -> set[str]:
    """Harrowmere people, and the contacts without accounts named on its child deaths."""
    from lift.cdop.models import AgencyReport, ChildDeath
    from lift.core.models import RoleAssignment

    people = RoleAssignment.objects.filter(partnership=world.home).values_list(
        "person__email", flat=True
    )
    contacts = AgencyReport.objects.filter(partnership=world.home).values_list(
        "contact_email", flat=True
    )
    notifiers = ChildDeath.objects.filter(partnership=world.home).values_list(
        "notifier_email", flat=True
    )
    return {e.lower() for e in [*people, *contacts, *notifiers] if e}


def _trigger_harrowmere_emails(world: World) -> None:
    """Notifications about Harrowmere records: services that tell someone, then the tick."""
    from lift.cdop import services as cdop
    from lift.core.tasks import tick
    from lift.reviews import services as reviews
    from lift.training import services as training

    bu = world.home_people[Role.BUSINESS_UNIT]
    # A serious incident notified: the Chairs are told a decision is needed.
    incident = reviews.incident_create(
        partnership=world.home,
        by=bu,
        pseudonym="Child Q",
        incident_type="serious_harm",
        incident_on=dt.date(2025, 2, 3),
        became_aware_on=dt.date(2025, 2, 4),
        criteria=["abuse-or-neglect", "seriously-harmed"],
        agencies=[world.home_agency],
    )
    reviews.identity_create(
        incident=incident,
        by=bu,
        pseudonym="Child Q",
        is_subject=True,
        full_name="Tamsin Oakridge-Vell",
        nhs_number="485 777 3457",
    )
    reviews.incident_notify(incident=incident, notified_on=dt.date(2025, 2, 5), by=bu)
    # A place booked on a course: the learner's confirmation, with its calendar file.
    learner = world.police_people[Role.LEARNER]
    training.booking_create(
        session=world.records["training_session"],  # type: ignore[arg-type]
        learner=learner,
        by=learner,
        today=dt.date(2025, 5, 3),
    )
    # A child death reporting form asked of another agency: its contact is told.
    cdop.agency_report_request(
        case=world.records["child_death"],  # type: ignore[arg-type]
        agency=world.ctx.agencies["health"],
        contact_name="Bronwen Ashcombe",
        contact_email="bronwen.ashcombe@example.test",
        by=world.home_people[Role.CDOP_COORDINATOR],
        today=dt.date(2025, 3, 13),
    )
    for day in TICK_DAYS:
        tick(today=day)


def _send_queued() -> None:
    """Send what the world's build queued (its commits never happen: it is rolled back)."""
    from lift.core.models import OutboundEmail
    from lift.core.notify import send_outbound
    from lift.training.models import BookingEmail
    from lift.training.services.bookings import send_booking_email

    for pk in OutboundEmail.objects.filter(sent_at=None).values_list("pk", flat=True):
        send_outbound(pk)
    for pk in BookingEmail.objects.filter(sent_at=None).values_list("pk", flat=True):
        send_booking_email(pk)


def test_emails_about_harrowmere_go_to_harrowmere_and_name_no_child(
    db_world: World, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    from lift.core.models import Notification, Person
    from tests.factories import immediate_emails

    # Everyone chose an e-mail for each notification, so every notification's e-mail is
    # checked here (the daily digest's content: tests/core/test_digest.py).
    immediate_emails(*Person.objects.all())
    for people in (db_world.home_people, db_world.away_people, db_world.police_people):
        immediate_emails(*people.values())
    with django_capture_on_commit_callbacks(execute=True):
        _trigger_harrowmere_emails(db_world)
    _send_queued()
    home = _harrowmere_addresses(db_world)
    away = {p.email.lower() for p in db_world.away_people.values()}
    hidden = _restricted_values(db_world)
    assert "Tamsin Oakridge-Vell" in hidden
    subjects = " ".join(m.subject for m in mailoutbox)
    # The triggers worked: the Chair's decision, the booking, the agency contact, reminders.
    for expected in ("Decision needed", "Overdue audit return", "Action overdue"):
        assert expected in subjects, expected
    assert "bronwen.ashcombe@example.test" in {r for m in mailoutbox for r in m.to}
    assert len(mailoutbox) > 60
    wrong: list[tuple[Any, ...]] = []
    mine = f"sent by LIFT for {db_world.home.name}."
    theirs = f"sent by LIFT for {db_world.away.name}."
    # The demo stories also hold Kingsbrook records (for the public pages); their e-mails
    # go to Kingsbrook's people and are not what is checked here.
    assert all(mine in m.body or theirs in m.body for m in mailoutbox)
    about_harrowmere = [m for m in mailoutbox if mine in m.body]
    assert len(about_harrowmere) > 50
    for message in about_harrowmere:
        recipients = {r.lower() for r in [*message.to, *message.cc, *message.bcc]}
        text = " ".join(
            [message.subject, message.body]
            + [str(a[1]) for a in message.attachments if isinstance(a, tuple)]
        )
        if recipients - home or recipients & away:
            wrong.append((message.subject, sorted(recipients - home)))
        wrong += [(message.subject, f"names {v!r}") for v in hidden if v in text]
    assert not wrong, f"e-mails outside Harrowmere or naming a child: {wrong}"
    told = Notification.objects.filter(partnership=db_world.home).exclude(person__email__in=home)
    assert not told.exists(), list(told.values_list("title", flat=True))


# --- form choices --------------------------------------------------------------------------

# A choice of a record: an option or a checkbox/radio whose value is a primary key.
CHOICE = re.compile(
    r'<option value="\d+"[^>]*>(?P<option>.*?)</option>'
    r'|<input[^>]*value="\d+"[^>]*>\s*<label[^>]*>(?P<label>.*?)</label>',
    re.S,
)


def _choice_labels(text: str) -> set[str]:
    return {
        " ".join(html.unescape(m.group("option") or m.group("label") or "").split())
        for m in CHOICE.finditer(text)
    }


def _labels(world: World, partnership: Partnership) -> set[str]:
    """How the records of `partnership` that forms offer as choices are shown: the str() of
    every row of every model another model points at."""
    from django.apps import apps

    from lift.core.models import RoleAssignment

    targets = {
        f.related_model
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if (f.many_to_one or f.many_to_many or f.one_to_one) and f.concrete and f.related_model
    }
    labels: set[str] = set()
    for model in targets:
        if model is Person:
            people = RoleAssignment.objects.filter(partnership=partnership).values("person")
            rows: Any = Person.objects.filter(pk__in=people)
        elif model is Partnership:
            rows = [partnership]
        elif _has_partnership(model):
            rows = model._base_manager.filter(partnership=partnership)[:300]
        else:
            continue
        labels |= {" ".join(str(obj).split()) for obj in rows}
    return labels


def _kingsbrook_form_pages() -> list[str]:
    """Every page without arguments: the create pages and the list pages' filter forms."""
    files = (".ics", ".csv", ".xlsx", ".json", ".pdf")
    return [url for url in _plain_pages() if not url.endswith(files)]


def test_kingsbrook_forms_offer_no_harrowmere_choices(db_world: World) -> None:
    theirs = _labels(db_world, db_world.home) - _labels(db_world, db_world.away)
    assert str(db_world.home_agency) in theirs
    assert str(db_world.records["board_meeting"]) in theirs
    client = client_for(db_world.away_people[Role.BUSINESS_UNIT])
    wrong: list[tuple[Any, ...]] = []
    offered = 0
    for url in _kingsbrook_form_pages():
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        labels = _choice_labels(response.content.decode())
        offered += len(labels)
        wrong += [(url, label) for label in sorted(labels & theirs)]
    assert offered > 200
    # The check can fail: the same page offers Harrowmere's business unit its own boards.
    home_page = client_for(db_world.home_people[Role.BUSINESS_UNIT]).get("/boards/add/")
    assert _choice_labels(home_page.content.decode()) & theirs
    assert not wrong, f"Harrowmere records offered to Kingsbrook: {wrong}"


# Create pages whose record choices a Kingsbrook business unit might try to fill with a
# Harrowmere record's id (its boards, meetings, people, agencies, findings, programmes).
POSTED_PAGES = [
    "/boards/add/",
    "/boards/members/add/",
    "/meetings/add/",
    "/actions/add/",
    "/recommendations/add/",
    "/audits/add/",
    "/inspections/add/",
    "/training/courses/add/",
    "/performance/focus/add/",
    "/voice/presentations/add/",
]
PK_CHOICE = re.compile(
    r'<select name="(?P<select>\w+)"[^>]*>(?P<options>(?:(?!</select>).)*)</select>'
    r'|<input[^>]*name="(?P<box>\w+)"[^>]*type="(?:checkbox|radio)"[^>]*value="(?P<value>\d+)"',
    re.S,
)


def _pk_choices(text: str) -> dict[str, set[str]]:
    """The primary keys each record choice of a page offers, by field name."""
    out: dict[str, set[str]] = {}
    for m in PK_CHOICE.finditer(text):
        if m.group("select"):
            values = set(re.findall(r'<option value="(\d+)"', m.group("options")))
            if values:
                out.setdefault(m.group("select"), set()).update(values)
        else:
            out.setdefault(m.group("box"), set()).add(m.group("value"))
    return out


def test_kingsbrook_cannot_post_harrowmere_choices(db_world: World) -> None:
    from django.urls import resolve

    home = client_for(db_world.home_people[Role.BUSINESS_UNIT])
    away = client_for(db_world.away_people[Role.BUSINESS_UNIT])
    wrong: list[tuple[Any, ...]] = []
    posted = 0
    for url in POSTED_PAGES:
        theirs = _pk_choices(home.get(url).content.decode())
        ours = _pk_choices(away.get(url).content.decode())
        # A Harrowmere record for every choice that offers one (not national reference data).
        data = {
            name: sorted(values - ours.get(name, set()))[0]
            for name, values in theirs.items()
            if values - ours.get(name, set())
        }
        assert data, f"{url} offers Harrowmere's business unit no Harrowmere record"
        model = resolve(url).func.view_class.model  # type: ignore[attr-defined]
        count = model._base_manager.count()
        response = away.post(url, data)
        text = response.content.decode()
        posted += len(data)
        for name in data:
            error = re.search(
                rf'<p id="id_{name}-error" class="govuk-error-message">(.*?)</p>', text
            )
            if response.status_code != 200 or not error or "valid choice" not in error.group(1):
                wrong.append((url, name, response.status_code))
        if model._base_manager.count() != count:
            wrong.append((url, "a record was created"))
    assert posted > 20
    assert not wrong, f"Harrowmere records accepted from Kingsbrook: {wrong}"
