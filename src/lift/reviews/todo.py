"""The reviews area's kinds of to-do, read from the records' states (a query or two a kind):

- decide on a review: the Chair, for each notified incident awaiting the decision (under
  rules with a rapid review, once the Panel has responded to it), with the decision clock;
- send a letter: the incident's owner (the business unit when it has none), for each panel
  letter generated and not yet marked sent, with the clock the letter answers;
- reply to the panel: the same person, for each request for information (or reply with a
  due date) from the national panel not yet answered;
- send our agency's return, chronology or IMR: the agency's safeguarding lead and the
  nominated author, until it is received (submitted);
- quality assure a return, chronology or IMR: the incident's owner (the business unit when
  it has none), once received and until quality assured.

"Who takes the next step" is the incident's `owner` ("usually the business unit"): when an
incident names someone of the business unit, its letters, replies and quality assurance
are theirs alone, so they do not also sit on every colleague's list; otherwise they are the
whole business unit's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import assignments_for, roles_in
from lift.core.models import Clock, RoleAssignment
from lift.core.models.clocks import OPEN_STATES
from lift.core.reference import regime, regimes
from lift.core.todo import Kind, ToDo, lead_ids, register
from lift.learning.selectors import led_agency_ids

from .choices import LetterKind, ReplyKind, RequestKind
from .models import AgencyRequest, Decision, Incident, Letter, PanelReply, Publication

R = r.R
DECIDE = "reviews.decision"
LETTER = "reviews.letter"
PANEL_REPLY = "reviews.panel_reply"
AGENCY_REQUEST = "reviews.agency_request"
QUALITY = "reviews.quality_assurance"

# Roles that may take the business unit's steps on a case (as the incident's owner).
NEXT_STEP_ROLES = r.ADMINS | {R.CHAIR, R.CASE_TEAM}


def _date(d: Any) -> str:
    return f"{d:%-d %B %Y}"


def _next_step_is_mine(person: Any, partnership: Any, path: str = "incident__owner") -> Q:
    """Rows whose incident names the person as its owner; and, for the business unit, rows
    whose incident names no one of the business unit (no one, or a safeguarding lead who
    recorded it and cannot send the panel's letters), so the step is never no one's."""
    q = Q(**{path: person})
    if roles_in(person, partnership) & r.ADMINS:
        business_unit = (
            RoleAssignment.objects.current()
            .filter(partnership=partnership, role__in=r.ADMINS, case_type__isnull=True)
            .values("person_id")
        )
        q |= ~Q(**{f"{path}__in": business_unit})
    return q


def _works_for_an_agency(person: Any, partnership: Any) -> bool:
    pid = getattr(partnership, "pk", partnership)
    return any(
        a.partnership_id == pid and a.agency_id is not None and a.case_type_id is None
        for a in assignments_for(person)
    )


def _open_clocks(model: type[Any], ids: Iterable[int], rules: Iterable[str]) -> dict[int, Clock]:
    """The open clock of each object of `model` under one of `rules`, by object id (one
    query; none when there are no ids)."""
    ids = list(ids)
    if not ids:
        return {}
    keys = set(rules)
    # Clocks store the rule's URN, one per regime.
    urns = [d.urn for reg in regimes().values() for k, d in reg.deadlines.items() if k in keys]
    clocks = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=ids,
        rule__in=urns,
        state__in=OPEN_STATES,
    ).only("id", "object_id", "due_on", "state")
    return {c.object_id: c for c in clocks.order_by("-due_on")}


def decisions(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Incidents awaiting the Chair's decision on a review."""
    wording = regime(partnership.regime).wording
    incidents = (
        Incident.objects.restrict(person, "decide")
        .filter(
            partnership=partnership,
            notified_on__isnull=False,
            decision__isnull=True,
            closed_on__isnull=True,
        )
        .only("id", "reference", "pseudonym", "notified_on")
        .order_by("notified_on", "pk")
    )
    if wording.rapid_review:
        # The decision follows the rapid review and the Panel's response to it.
        incidents = incidents.filter(
            rapid_review__sent_to_panel_on__isnull=False,
        ).exclude(rapid_review__panel_response="")
    found = list(incidents)
    clocks = _open_clocks(Incident, [i.pk for i in found], ["chair-decision"])
    for incident in found:
        clock = clocks.get(incident.pk)
        yield ToDo(
            kind=DECIDE,
            title=f"Decide whether to hold a {wording.statutory_review} for {incident}",
            url=reverse("reviews:decision_start", args=[incident.pk]),
            subject=incident,
            due_on=clock.due_on if clock else None,
            clock_state=clock.state if clock else None,
            hint=f"Notified on {_date(incident.notified_on)}.",
        )


def letters(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Panel letters generated and not yet sent, for whoever takes the case's next step."""
    found = list(
        Letter.objects.restrict(person, "change")
        .filter(partnership=partnership, sent_on__isnull=True)
        .filter(_next_step_is_mine(person, partnership))
        .select_related("incident", "review__publication", "incident__decision")
        .only(
            "id",
            "kind",
            "due_on",
            "incident__id",
            "incident__reference",
            "incident__pseudonym",
            "incident__decision__id",
            "review__id",
            "review__publication__id",
        )
        .order_by("due_on", "pk")
    )
    decision_ids, publication_ids = [], []
    for letter in found:
        decision = getattr(letter.incident, "decision", None)
        if letter.kind == LetterKind.INITIATION_NO and decision is not None:
            decision_ids.append(decision.pk)
        publication = getattr(letter.review, "publication", None) if letter.review else None
        if letter.kind == LetterKind.PUBLICATION_YES and publication is not None:
            publication_ids.append(publication.pk)
    by_decision = _open_clocks(Decision, decision_ids, ["panel-no-decision"])
    by_publication = _open_clocks(Publication, publication_ids, ["publication-notice"])
    for letter in found:
        clock = None
        if letter.kind == LetterKind.INITIATION_NO:
            decision = getattr(letter.incident, "decision", None)
            clock = by_decision.get(decision.pk) if decision is not None else None
        elif letter.kind == LetterKind.PUBLICATION_YES and letter.review is not None:
            publication = getattr(letter.review, "publication", None)
            clock = by_publication.get(publication.pk) if publication is not None else None
        yield ToDo(
            kind=LETTER,
            title=f"Send the letter to the panel: {letter.get_kind_display().lower()}",
            url=reverse("reviews:letter_detail", args=[letter.pk]),
            subject=letter.incident,
            due_on=clock.due_on if clock else letter.due_on,
            clock_state=clock.state if clock else None,
            hint="Check it, send it, then mark it as sent with the date.",
        )


def panel_replies(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Requests for information (and replies with a due date) from the national panel
    not yet answered."""
    replies = (
        PanelReply.objects.restrict(person, "change")
        .filter(partnership=partnership, responded_on__isnull=True)
        .filter(Q(kind=ReplyKind.REQUEST) | Q(response_due_on__isnull=False))
        .filter(_next_step_is_mine(person, partnership))
        .select_related("incident")
        .only(
            "id",
            "kind",
            "received_on",
            "response_due_on",
            "incident__id",
            "incident__reference",
            "incident__pseudonym",
        )
        .order_by("response_due_on", "pk")
    )
    for reply in replies:
        what = (
            "the panel's request for information"
            if reply.kind == ReplyKind.REQUEST
            else f"the panel: {reply.get_kind_display().lower()}"
        )
        yield ToDo(
            kind=PANEL_REPLY,
            title=f"Reply to {what}",
            url=reverse("reviews:panelreply_respond", args=[reply.pk]),
            subject=reply.incident,
            due_on=reply.response_due_on,
            hint=f"Received on {_date(reply.received_on)}.",
        )


_SEND_TITLES = {
    RequestKind.RAPID_REVIEW_RETURN: "Send {agency}'s rapid review return",
    RequestKind.CHRONOLOGY: "Upload and submit {agency}'s chronology",
    RequestKind.IMR: "Upload and submit {agency}'s Individual Management Review",
}


def agency_request_candidates(partnership: Any) -> set[int]:
    """Who could have a request to answer: the named authors of open requests, and leads."""
    open_requests = AgencyRequest.objects.filter(partnership=partnership, received_on__isnull=True)
    authors = open_requests.values_list("author_id", flat=True)
    return {pk for pk in authors if pk is not None} | lead_ids(partnership)


def agency_requests(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Returns, chronologies and IMRs asked of an agency the person leads on safeguarding,
    or that they were named to write, and not yet received."""
    led = led_agency_ids(person, partnership)
    if not led and not _works_for_an_agency(person, partnership):
        return  # an author is named from the agency's people: no query for anyone else
    requests = (
        AgencyRequest.objects.restrict(person, "view")
        .filter(partnership=partnership, received_on__isnull=True)
        .filter(Q(agency_id__in=led) | Q(author=person))
        .select_related("incident", "agency")
        .only(
            "id",
            "kind",
            "due_on",
            "requested_on",
            "agency__name",
            "incident__id",
            "incident__reference",
            "incident__pseudonym",
        )
        .order_by("due_on", "pk")
    )
    for request in requests:
        yield ToDo(
            kind=AGENCY_REQUEST,
            title=_SEND_TITLES[RequestKind(request.kind)].format(agency=request.agency.name),
            url=request.get_absolute_url(),
            subject=request.incident,
            due_on=request.due_on,
            hint=f"Asked for on {_date(request.requested_on)}.",
        )


def quality_assurance(person: Any, partnership: Any) -> Iterator[ToDo]:
    """Returns, chronologies and IMRs received and not yet quality assured."""
    requests = (
        AgencyRequest.objects.restrict(person, "change")
        .filter(
            partnership=partnership,
            received_on__isnull=False,
            quality_assured_on__isnull=True,
        )
        .filter(_next_step_is_mine(person, partnership))
        .select_related("incident", "agency")
        .only(
            "id",
            "kind",
            "received_on",
            "agency__name",
            "incident__id",
            "incident__reference",
            "incident__pseudonym",
        )
        .order_by("received_on", "pk")
    )
    for request in requests:
        yield ToDo(
            kind=QUALITY,
            title=f"Quality assure {request.agency.name}'s {request.get_kind_display().lower()}",
            url=reverse("reviews:agencyrequest_quality", args=[request.pk]),
            subject=request.incident,
            hint=f"Received on {_date(request.received_on)}.",
        )


def register_kinds() -> None:
    register(
        Kind(
            key=DECIDE,
            label="Decide on a review",
            provider=decisions,
            roles=frozenset({R.CHAIR}),
        )
    )
    register(
        Kind(
            key=LETTER, label="Send a letter to the panel", provider=letters, roles=NEXT_STEP_ROLES
        )
    )
    register(
        Kind(
            key=PANEL_REPLY,
            label="Reply to the national panel",
            provider=panel_replies,
            roles=NEXT_STEP_ROLES,
        )
    )
    register(
        Kind(
            key=AGENCY_REQUEST,
            label="Send a rapid review return, chronology or IMR",
            provider=agency_requests,
            candidates=agency_request_candidates,
        )
    )
    register(
        Kind(
            key=QUALITY,
            label="Quality assure a return, chronology or IMR",
            provider=quality_assurance,
            roles=NEXT_STEP_ROLES,
        )
    )
