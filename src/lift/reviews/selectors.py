"""Reads for serious incidents and reviews, always for a given user."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BigIntegerField,
    Case,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse

from lift.core.models import Clock
from lift.core.models.clocks import OPEN_STATES
from lift.core.reference import regime

from .choices import PublicationDecision, ReviewKind, ReviewStatus
from .models import (
    Decision,
    Incident,
    Letter,
    Publication,
    Review,
)


def incidents_for(user: Any, partnership: Any) -> QuerySet[Incident]:
    return Incident.objects.restrict(user, "view").filter(partnership=partnership)


def reviews_for(user: Any, partnership: Any) -> QuerySet[Review]:
    return Review.objects.restrict(user, "view").filter(partnership=partnership)


@dataclass
class Row:
    """One line of the review dashboard."""

    kind: str
    title: str
    url: str
    stage: str
    next_step: str
    owner: str
    clocks: list[Clock] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return any(c.state == "overdue" for c in self.clocks)


def incident_stage(incident: Incident) -> tuple[str, str, str]:
    """(stage, next step, who) for an incident, from what has been recorded."""
    reg = regime(incident.partnership.regime)
    wording = reg.wording
    decision: Decision | None = getattr(incident, "decision", None)
    letters: list[Letter] = list(incident.letters.all())
    unsent = [letter for letter in letters if not letter.sent_on]
    owner = str(incident.owner) if incident.owner else "Business unit"
    if not incident.notified_on:
        return "Notification", "Record the date the incident was notified", owner
    if decision is None:
        if wording.rapid_review:
            rr = getattr(incident, "rapid_review", None)
            if rr is None:
                return wording.rapid_review, "Start the rapid review", owner
            if not rr.sent_to_panel_on:
                return (
                    wording.rapid_review,
                    f"Send the rapid review to {wording.national_panel_short}",
                    owner,
                )
            if not rr.panel_response:
                return wording.rapid_review, "Record the Panel's response", owner
        return (
            "Awaiting decision",
            f"The {wording.decision_maker} decides on a review",
            wording.decision_maker,
        )
    if unsent:
        return "Panel correspondence", f"Send the letter: {unsent[0].get_kind_display()}", owner
    if incident.closed_on:
        return "Closed", "", owner
    return "Decided", decision.get_outcome_display(), owner


def review_stage(review: Review) -> tuple[str, str]:
    """(stage, next step) for a review."""
    publication: Publication | None = getattr(review, "publication", None)
    if review.status == ReviewStatus.PLANNING:
        if not review.terms_of_reference:
            return review.get_status_display(), "Agree the terms of reference"
        return review.get_status_display(), "Appoint the reviewer(s)"
    if review.status in (ReviewStatus.IN_PROGRESS, ReviewStatus.DRAFT):
        return review.get_status_display(), "Agree the final report"
    if review.status == ReviewStatus.FINAL:
        if publication is None:
            if review.kind == ReviewKind.STATUTORY:
                return review.get_status_display(), "The Board decides on publication"
            return review.get_status_display(), "Share the learning"
        if publication.decision == PublicationDecision.PUBLISH:
            if not publication.sent_to_panel_on:
                return "Publication", "Send the report to the national panel"
            return "Publication", "Publish the report"
    return review.get_status_display(), ""


def clocks_of(objects: list[Any]) -> list[Clock]:
    """Every clock of these objects (any state), in one query, by due date."""
    from django.db.models import Q

    q = Q()
    for obj in objects:
        ct = ContentType.objects.get_for_model(type(obj))
        q |= Q(content_type_id=ct.pk, object_id=obj.pk)
    return list(Clock.objects.filter(q).order_by("due_on", "pk")) if objects else []


def _clocks_by_subject(objects: list[Any]) -> dict[tuple[int, int], list[Clock]]:
    by_type: dict[int, list[int]] = defaultdict(list)
    for obj in objects:
        ct = ContentType.objects.get_for_model(type(obj))
        by_type[ct.pk].append(obj.pk)
    out: dict[tuple[int, int], list[Clock]] = defaultdict(list)
    if not by_type:
        return out
    from django.db.models import Q

    q = Q()
    for ct_id, ids in by_type.items():
        q |= Q(content_type_id=ct_id, object_id__in=ids)
    for clock in Clock.objects.filter(q, state__in=(*OPEN_STATES, "met_late")).order_by("due_on"):
        out[(clock.content_type_id, clock.object_id)].append(clock)
    return out


def _key(obj: Any) -> tuple[int, int]:
    return (ContentType.objects.get_for_model(type(obj)).pk, obj.pk)


@dataclass
class DashboardPage:
    rows: list[Row]
    page: Any  # a django Page of (overdue, title, kind, pk) keys
    total: int
    overdue: int


def dashboard_page(
    user: Any, partnership: Any, page_number: Any = 1, per_page: int = 50
) -> DashboardPage:
    """One page of the dashboard: every open incident and review is ordered (overdue
    first, then by title) from a few narrow queries; only the rows on the page are loaded
    in full with their clocks, so the work does not grow with the number of cases."""
    from django.core.paginator import Paginator

    from .models import Decision as DecisionModel

    incidents = incidents_for(user, partnership).filter(closed_on__isnull=True)
    reviews = reviews_for(user, partnership).exclude(status=ReviewStatus.CLOSED)
    ct = ContentType.objects.get_for_model
    overdue = Clock.objects.filter(state="overdue")
    late_incidents = set(
        overdue.filter(content_type=ct(Incident), object_id__in=incidents.values("pk"))
        .values_list("object_id", flat=True)
        .distinct()
    ) | set(
        DecisionModel.objects.filter(
            incident__in=incidents.values("pk"),
            pk__in=overdue.filter(content_type=ct(DecisionModel)).values("object_id"),
        ).values_list("incident_id", flat=True)
    )
    late_reviews = set(
        reviews.filter(
            Q(pk__in=overdue.filter(content_type=ct(Review)).values("object_id"))
            | Q(publication__in=overdue.filter(content_type=ct(Publication)).values("object_id"))
        ).values_list("pk", flat=True)
    )
    keys = [
        (pk not in late_incidents, f"{ref}: {pseudonym}", "i", pk)
        for pk, ref, pseudonym in incidents.values_list("pk", "reference", "pseudonym")
    ] + [
        (pk not in late_reviews, str(title), "r", pk)
        for pk, title in reviews.values_list("pk", "title")
    ]
    keys.sort()
    page = Paginator(keys, per_page).get_page(page_number)
    wanted_i = [k[3] for k in page.object_list if k[2] == "i"]
    wanted_r = [k[3] for k in page.object_list if k[2] == "r"]
    built = {
        (("i" if row_kind == "Incident" else "r"), pk): row
        for (row_kind, pk), row in _rows(
            incidents.filter(pk__in=wanted_i) if wanted_i else incidents.none(),
            reviews.filter(pk__in=wanted_r) if wanted_r else reviews.none(),
        ).items()
    }
    rows = [built[(k[2], k[3])] for k in page.object_list if (k[2], k[3]) in built]
    return DashboardPage(
        rows=rows,
        page=page,
        total=len(keys),
        overdue=len(late_incidents & {k[3] for k in keys if k[2] == "i"}) + len(late_reviews),
    )


def dashboard(user: Any, partnership: Any) -> list[Row]:
    """Every incident and review the user may see, with clocks, stage, next step and owner."""
    rows = list(
        _rows(
            incidents_for(user, partnership).filter(closed_on__isnull=True),
            reviews_for(user, partnership).exclude(status=ReviewStatus.CLOSED),
        ).values()
    )
    rows.sort(key=lambda r: (not r.overdue, r.title))
    return rows


def next_deadlines(user: Any, partnership: Any, limit: int = 6) -> list[tuple[Row, Clock]]:
    """The open incidents and reviews with the soonest-due open clocks, each with that
    clock, soonest first (overdue clocks are due in the past, so they come first).

    Clock first: the partnership's open clocks on incidents, decisions, reviews and
    publications the user may see are read in due-date order (one query on the clocks'
    partnership/state/due-date index, each tagged with its case), then only the cases
    shown are loaded, so the work does not grow with the number of cases."""
    incidents = incidents_for(user, partnership).filter(closed_on__isnull=True)
    reviews = reviews_for(user, partnership).exclude(status=ReviewStatus.CLOSED)
    if incidents.query.is_empty() and reviews.query.is_empty():
        return []  # nothing the user may see (building the clock query costs milliseconds)

    def about(model: type[Any]) -> Q:
        # Matched through the join to the content type table: no content type lookups
        # (a query each while their cache is cold).
        meta = model._meta
        return Q(content_type__app_label=meta.app_label, content_type__model=meta.model_name)

    decisions = Decision.objects.filter(incident__in=incidents.values("pk")).values("pk")
    publications = Publication.objects.filter(review__in=reviews.values("pk")).values("pk")
    open_clocks = (
        Clock.objects.filter(partnership=partnership, state__in=OPEN_STATES)
        .filter(
            (about(Incident) & Q(object_id__in=incidents.values("pk")))
            | (about(Decision) & Q(object_id__in=decisions))
            | (about(Review) & Q(object_id__in=reviews.values("pk")))
            | (about(Publication) & Q(object_id__in=publications))
        )
        .annotate(
            case_kind=Case(
                When(about(Incident) | about(Decision), then=Value("i")),
                default=Value("r"),
            ),
            case_id=Case(
                When(
                    about(Decision),
                    then=Subquery(
                        Decision.objects.filter(pk=OuterRef("object_id")).values("incident_id")[:1]
                    ),
                ),
                When(
                    about(Publication),
                    then=Subquery(
                        Publication.objects.filter(pk=OuterRef("object_id")).values("review_id")[:1]
                    ),
                ),
                default=F("object_id"),
                output_field=BigIntegerField(),
            ),
        )
        .only("id", "partnership", "rule", "label", "due_on", "state", "met_on")
        .order_by("due_on", "pk")
    )
    # A case has a few open clocks at most, so a window of clocks several times the limit
    # almost always holds `limit` cases; the next window is read only if it does not.
    window = limit * 8
    chosen: dict[tuple[str, int], Any] = {}  # annotated clocks (case_kind, case_id)
    start = 0
    while len(chosen) < limit:
        batch = list(open_clocks[start : start + window])
        for clock in batch:
            key = (clock.case_kind, clock.case_id)  # type: ignore[attr-defined]
            if key not in chosen and len(chosen) < limit:
                chosen[key] = clock
        if len(batch) < window:
            break
        start += window
    if not chosen:
        return []
    wanted_i = [pk for kind, pk in chosen if kind == "i"]
    wanted_r = [pk for kind, pk in chosen if kind == "r"]
    # The clocks were read only on cases the user may see: load those cases by key alone.
    built = _rows(
        Incident.objects.filter(pk__in=wanted_i) if wanted_i else Incident.objects.none(),
        Review.objects.filter(pk__in=wanted_r) if wanted_r else Review.objects.none(),
        with_clocks=False,
    )
    out: list[tuple[Row, Clock]] = []
    for (kind, pk), clock in chosen.items():
        row = built.get(("Incident" if kind == "i" else "Review", pk))
        if row is not None:
            row.clocks = [clock]
            out.append((row, clock))
    return out


def _rows(
    incident_qs: QuerySet[Incident], review_qs: QuerySet[Review], *, with_clocks: bool = True
) -> dict[tuple[str, int], Row]:
    """Dashboard rows, keyed by ("Incident" or "Review", pk); without their clocks (and
    without the query for them) if `with_clocks` is false."""
    incidents = list(
        incident_qs.select_related("owner", "decision", "rapid_review", "partnership")
        .defer("summary", "criteria")
        .prefetch_related(
            # Only what the stage needs: never the letters' bodies.
            Prefetch(
                "letters",
                queryset=Letter.objects.only("id", "incident_id", "kind", "sent_on"),
            )
        )
        .order_by("-became_aware_on")
    )
    reviews = list(
        review_qs.select_related("publication", "incident", "partnership")
        .defer("report_text", "briefing_text", "incident__summary")
        .order_by("-decided_on")
    )
    decisions = [i.decision for i in incidents if getattr(i, "decision", None) is not None]
    publications = [r.publication for r in reviews if getattr(r, "publication", None) is not None]
    clocks: dict[tuple[int, int], list[Clock]] = (
        _clocks_by_subject([*incidents, *reviews, *decisions, *publications]) if with_clocks else {}
    )
    incident_url = reverse("reviews:incident_detail", args=[0]).replace("/0/", "/{}/")
    review_url = reverse("reviews:review_detail", args=[0]).replace("/0/", "/{}/")
    rows: dict[tuple[str, int], Row] = {}
    for incident in incidents:
        stage, next_step, owner = incident_stage(incident)
        mine = list(clocks.get(_key(incident), []))
        decision = getattr(incident, "decision", None)
        if decision is not None:
            mine += clocks.get(_key(decision), [])
        rows[("Incident", incident.pk)] = Row(
            "Incident",
            str(incident),
            incident_url.format(incident.pk),
            stage,
            next_step,
            owner,
            mine,
        )
    for review in reviews:
        stage, next_step = review_stage(review)
        mine = list(clocks.get(_key(review), []))
        publication = getattr(review, "publication", None)
        if publication is not None:
            mine += clocks.get(_key(publication), [])
        rows[("Review", review.pk)] = Row(
            review.get_kind_display(),
            str(review),
            review_url.format(review.pk),
            stage,
            next_step,
            "Business unit",
            mine,
        )
    return rows


FORWARD_PLAN_LIMIT = 10


def forward_plan_items(partnership: Any) -> list[dict[str, Any]]:
    """Items ready for a Board or Executive meeting (titles carry pseudonyms only): the
    oldest reviews awaiting a publication decision and the latest published, ten of each."""
    out: list[dict[str, Any]] = []
    for review in (
        Review.objects.filter(
            partnership=partnership, status=ReviewStatus.FINAL, publication__isnull=True
        )
        .only("id", "title", "completed_on")
        .order_by("completed_on")[:FORWARD_PLAN_LIMIT]
    ):
        out.append(
            {
                "title": f"Publication decision: {review.title}",
                "url": review.get_absolute_url(),
                "group_kind": "board",
                "due": review.completed_on,
            }
        )
    for review in (
        Review.objects.filter(partnership=partnership, status=ReviewStatus.PUBLISHED)
        .select_related("publication")
        .only("id", "title", "publication__published_on")
        .order_by("-publication__published_on")[:FORWARD_PLAN_LIMIT]
    ):
        out.append(
            {
                "title": f"Published review and action plan: {review.title}",
                "url": review.get_absolute_url(),
                "group_kind": "board",
                "due": review.publication.published_on,
            }
        )
    from .models import JointDhr

    for dhr in JointDhr.objects.filter(
        partnership=partnership, executive_reporting_on__isnull=False, agenda_item_id__isnull=True
    ).select_related("incident"):
        out.append(
            {
                "title": f"Joint DHR / review progress: {dhr.incident.pseudonym}",
                "url": dhr.incident.get_absolute_url(),
                "group_kind": "joint",
                "due": dhr.executive_reporting_on,
            }
        )
    return out


def public_reviews() -> QuerySet[Review]:
    """Published, not removed reports, for the public pages (no sign-in)."""
    return (
        Review.objects.filter(
            status=ReviewStatus.PUBLISHED,
            slug__isnull=False,
            publication__published_on__isnull=False,
            publication__removed_on__isnull=True,
        )
        .select_related("publication", "partnership")
        .order_by("-publication__published_on")
    )


def public_kept_until(review: Review) -> dt.date | None:
    """The day a published report stays on the public pages until, at least: the end of the
    regime's minimum publication period (its clock), or None where the regime sets none."""
    from lift.core.clocks import clocks_for

    clock = clocks_for(review.publication, rule="publication-period").first()
    return clock.due_on if clock is not None else None


def public_texts_pass_guard(review: Review) -> bool:
    """Whether the published texts (report, briefing, public summary) still pass the
    publication guard. Checked each time they are shown: a text changed after publication is
    not shown until no identifier from the case's restricted record is found in it."""
    from .services import review_guard

    return not review_guard(review, review.publication)


def dashboard_url() -> str:
    return reverse("reviews:dashboard")
