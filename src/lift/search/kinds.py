"""What is indexed: each kind of record, the text it contributes, and what changes it.

A kind is declared once here: its model, its page, the fields it gives the index (title,
body, date, themes, agencies) built in bulk for a batch of rows, and the other models whose
change must re-index it (a Section 11 answer re-indexes its return). Only text that every
person who may view the record sees on its page goes in; restricted records (a child's real
identifiers) are never a kind, and any identifier from a case's restricted record found in
a record's text is masked before the text is stored (`Masks`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

MASK = "[identifier removed]"


@dataclass
class Document:
    """One record as the index holds it."""

    object_id: int
    partnership_id: int
    title: str
    body: str
    dated_on: dt.date | None = None
    theme_ids: list[int] = field(default_factory=list)
    agency_ids: list[int] = field(default_factory=list)


Builder = Callable[[list[Any], "Masks"], Iterator[Document]]


@dataclass(frozen=True)
class Kind:
    key: str  # "learning.finding"
    label: str  # "Finding"
    area: str  # the app label, for the area filter
    area_label: str
    model_label: str  # "learning.Finding"
    url_name: str  # reversed with the record's pk
    build: Builder
    # Rows loaded for a batch (select_related/prefetch_related names).
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    # Other models whose change re-indexes records of this kind:
    # parents: (model label, its field holding this kind's pk): a Section 11 answer's
    #   `agency_return_id` -> its return;
    # followers: (model label, this kind's field holding that model's pk): a cycle renamed
    #   -> every return with that `cycle_id`.
    parents: tuple[tuple[str, str], ...] = ()
    followers: tuple[tuple[str, str], ...] = ()

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)


def _join(*parts: Any) -> str:
    return "\n".join(str(p).strip() for p in parts if p and str(p).strip())


def _ids(manager: Any) -> list[int]:
    return sorted(o.pk for o in manager.all())


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- masking identifiers of restricted records ----------------------------------------------


class Masks:
    """Identifiers from the restricted records of the cases a batch touches, loaded once a
    batch (one query a kind of case), and the text with each one replaced by a mask."""

    def __init__(self) -> None:
        self._patterns: dict[tuple[str, int], list[re.Pattern[str]]] = {}
        self._loaded: set[tuple[str, int]] = set()

    def load(self, case: str, ids: Iterable[int | None]) -> None:
        wanted = {i for i in ids if i is not None and (case, i) not in self._loaded}
        if not wanted:
            return
        from lift.reviews.rules import identity_patterns

        self._loaded.update((case, i) for i in wanted)
        for key, identity in _identities(case, wanted):
            self._patterns.setdefault((case, key), []).extend(
                p for _kind, p in identity_patterns(identity)
            )

    def mask(self, text: str, case: str, case_id: int | None) -> str:
        if not text or case_id is None:
            return text
        for pattern in self._patterns.get((case, case_id), ()):
            text = pattern.sub(MASK, text)
        return text


def _identities(case: str, ids: set[int]) -> Iterator[tuple[int, Any]]:
    """(case id, identity-like object) for each restricted record of the cases `ids`."""
    if case == "incident":
        from lift.reviews.models import ChildIdentity

        for child in ChildIdentity.objects.filter(incident_id__in=ids):
            yield child.incident_id, child
    elif case == "audit":
        from lift.audits.models import CaseIdentity

        for identity in CaseIdentity.objects.filter(case__audit_id__in=ids).select_related("case"):
            yield (
                identity.case.audit_id,
                SimpleNamespace(
                    full_name=identity.full_name,
                    other_names=identity.other_names,
                    date_of_birth=identity.date_of_birth,
                    address=identity.address,
                    postcode="",
                    nhs_number="",
                    other_identifiers=identity.record_numbers,
                ),
            )
    elif case == "death":
        from lift.cdop.models import ChildDeathIdentity

        for death in ChildDeathIdentity.objects.filter(case_id__in=ids):
            yield (
                death.case_id,
                SimpleNamespace(
                    full_name=f"{death.first_name} {death.family_name}".strip(),
                    other_names="",
                    date_of_birth=death.date_of_birth,
                    address=death.address,
                    postcode=death.postcode,
                    nhs_number=death.nhs_number,
                    other_identifiers="",
                ),
            )


# Sources of the learning chain that are cases with restricted records: (model, case kind).
CASE_SOURCES = {
    "reviews.incident": "incident",
    "reviews.review": "incident",
    "audits.audit": "audit",
    "cdop.childdeath": "death",
}


def _source_cases(rows: list[Any], masks: Masks) -> dict[int, tuple[str, int | None]]:
    """For rows of the learning chain: each row's case (kind, id), loading the masks."""
    by_type: dict[int, set[int]] = {}
    for row in rows:
        if row.source_type_id is not None and row.source_id is not None:
            by_type.setdefault(row.source_type_id, set()).add(row.source_id)
    case_of: dict[tuple[int, int], tuple[str, int | None]] = {}
    for type_id, ids in by_type.items():
        ct = ContentType.objects.get_for_id(type_id)
        case = CASE_SOURCES.get(f"{ct.app_label}.{ct.model}")
        if case is None:
            continue
        if ct.model == "review":
            from lift.reviews.models import Review

            for pk, incident_id in Review.objects.filter(pk__in=ids).values_list(
                "pk", "incident_id"
            ):
                case_of[(type_id, pk)] = (case, incident_id)
        else:
            case_of.update({(type_id, pk): (case, pk) for pk in ids})
    for case in {c for c, _ in case_of.values()}:
        masks.load(case, (i for c, i in case_of.values() if c == case))
    return {
        row.pk: case_of.get((row.source_type_id, row.source_id), ("", None))
        for row in rows
        if row.source_type_id is not None
    }


def _masked(masks: Masks, case: tuple[str, int | None] | None, *texts: Any) -> list[str]:
    if case is None or case[1] is None:
        return [str(t or "") for t in texts]
    return [masks.mask(str(t or ""), case[0], case[1]) for t in texts]


# --- the kinds -------------------------------------------------------------------------------


def _findings(rows: list[Any], masks: Masks) -> Iterator[Document]:
    cases = _source_cases(rows, masks)
    for f in rows:
        title, text = _masked(masks, cases.get(f.pk), f.title, f.text)
        yield Document(
            f.pk, f.partnership_id, title, text, f.identified_on, theme_ids=_ids(f.themes)
        )


def _recommendations(rows: list[Any], masks: Masks) -> Iterator[Document]:
    cases = _source_cases(rows, masks)
    for rec in rows:
        text, reason = _masked(masks, cases.get(rec.pk), rec.text, rec.response_reason)
        label = rec.reference or "Recommendation"
        first = text.splitlines()[0] if text else ""
        title = f"{label}: {first[:200]}" if first else label
        yield Document(
            rec.pk,
            rec.partnership_id,
            title,
            _join(text, reason),
            rec.responded_on or _date(rec.created_at),
            theme_ids=_ids(rec.themes),
            agency_ids=_ids(rec.agencies),
        )


def _actions(rows: list[Any], masks: Masks) -> Iterator[Document]:
    cases = _source_cases(rows, masks)
    for a in rows:
        title, *texts = _masked(
            masks, cases.get(a.pk), a.title, a.description, a.success_measure, a.status_reason
        )
        yield Document(
            a.pk,
            a.partnership_id,
            title,
            _join(*texts),
            a.due_on,
            theme_ids=_ids(a.themes),
            agency_ids=[a.owner_agency_id],
        )


def _reviews(rows: list[Any], masks: Masks) -> Iterator[Document]:
    masks.load("incident", (r.incident_id for r in rows))
    for r in rows:
        case = ("incident", r.incident_id)
        title, *texts = _masked(
            masks, case, r.title, r.terms_of_reference, r.report_text, r.briefing_text
        )
        yield Document(
            r.pk,
            r.partnership_id,
            title,
            _join(r.get_kind_display(), r.pseudonym, *texts),
            r.decided_on,
            agency_ids=_ids(r.agencies),
        )


def _audits(rows: list[Any], masks: Masks) -> Iterator[Document]:
    masks.load("audit", (a.pk for a in rows))
    for a in rows:
        title, *texts = _masked(
            masks, ("audit", a.pk), a.title, a.purpose, a.sampling_rule, a.overview_summary
        )
        yield Document(
            a.pk,
            a.partnership_id,
            title,
            _join(*texts),
            a.completed_on or a.planned_start,
            theme_ids=_ids(a.themes),
            agency_ids=_ids(a.agencies),
        )


def _returns(rows: list[Any], masks: Masks) -> Iterator[Document]:
    for r in rows:
        answers = [_join(a.narrative, a.moderation_note) for a in r.answers.all() if a.narrative]
        yield Document(
            r.pk,
            r.partnership_id,
            f"{r.agency.name}: Section 11 return {r.cycle.name}",
            _join(r.conclusion, r.unmoderated_reason, *answers),
            r.submitted_on or r.cycle.deadline,
            agency_ids=[r.agency_id],
        )


def _inspections(rows: list[Any], masks: Masks) -> Iterator[Document]:
    for i in rows:
        yield Document(
            i.pk,
            i.partnership_id,
            i.title,
            _join(i.inspectorate, i.summary),
            i.published_on or i.started_on,
            agency_ids=[i.agency_id] if i.agency_id else [],
        )


def _library(rows: list[Any], masks: Masks) -> Iterator[Document]:
    for item in rows:
        yield Document(
            item.pk,
            item.partnership_id,
            item.title,
            _join(item.get_kind_display(), item.author, item.summary),
            item.published_on,
            theme_ids=_ids(item.themes),
        )


def _meetings(rows: list[Any], masks: Masks) -> Iterator[Document]:
    for m in rows:
        items = [_join(i.title, i.minutes) for i in m.items.all()]
        yield Document(
            m.pk,
            m.partnership_id,
            str(m),
            _join(m.board.name, m.location, m.notes, *items),
            _date(m.starts_at),
        )


def _decisions(rows: list[Any], masks: Masks) -> Iterator[Document]:
    for d in rows:
        yield Document(
            d.pk,
            d.partnership_id,
            str(d),
            _join(d.text, d.decided_by, str(d.meeting)),
            _date(d.meeting.starts_at),
        )


def _courses(rows: list[Any], masks: Masks) -> Iterator[Document]:
    for c in rows:
        yield Document(
            c.pk,
            c.partnership_id,
            c.title,
            _join(c.summary, c.learning_outcomes, c.trainer_name),
            _date(c.created_at),
            theme_ids=_ids(c.themes),
            agency_ids=[c.trainer_agency_id] if c.trainer_agency_id else [],
        )


def _consultations(rows: list[Any], masks: Masks) -> Iterator[Document]:
    for c in rows:
        yield Document(c.pk, c.partnership_id, c.topic, c.description, c.opened_on)


KINDS: tuple[Kind, ...] = (
    Kind(
        "learning.finding",
        "Finding",
        "learning",
        "Learning",
        "learning.Finding",
        "learning:finding_detail",
        _findings,
        prefetch=("themes",),
    ),
    Kind(
        "learning.recommendation",
        "Recommendation",
        "learning",
        "Learning",
        "learning.Recommendation",
        "learning:recommendation_detail",
        _recommendations,
        prefetch=("themes", "agencies"),
    ),
    Kind(
        "learning.action",
        "Action",
        "learning",
        "Learning",
        "learning.Action",
        "learning:action_detail",
        _actions,
        prefetch=("themes",),
    ),
    Kind(
        "learning.libraryitem",
        "Library item",
        "learning",
        "Learning",
        "learning.LibraryItem",
        "learning:libraryitem_detail",
        _library,
        prefetch=("themes",),
    ),
    Kind(
        "reviews.review",
        "Review",
        "reviews",
        "Reviews",
        "reviews.Review",
        "reviews:review_detail",
        _reviews,
        prefetch=("agencies",),
    ),
    Kind(
        "audits.audit",
        "Audit",
        "audits",
        "Audits",
        "audits.Audit",
        "audits:audit_detail",
        _audits,
        prefetch=("themes", "agencies"),
    ),
    Kind(
        "section11.return",
        "Section 11 return",
        "section11",
        "Section 11",
        "section11.Section11Return",
        "section11:return_detail",
        _returns,
        select=("agency", "cycle"),
        prefetch=("answers",),
        parents=(("section11.Answer", "agency_return_id"),),
        followers=(("section11.Cycle", "cycle_id"),),
    ),
    Kind(
        "inspections.inspection",
        "Inspection",
        "inspections",
        "Inspections",
        "inspections.Inspection",
        "inspections:inspection_detail",
        _inspections,
    ),
    Kind(
        "governance.meeting",
        "Meeting",
        "governance",
        "Governance",
        "governance.Meeting",
        "governance:meeting_detail",
        _meetings,
        select=("board",),
        prefetch=("items",),
        parents=(("governance.AgendaItem", "meeting_id"),),
        followers=(("governance.Board", "board_id"),),
    ),
    Kind(
        "governance.decision",
        "Decision",
        "governance",
        "Governance",
        "governance.Decision",
        "governance:decision_detail",
        _decisions,
        select=("meeting__board",),
        followers=(("governance.Meeting", "meeting_id"),),
    ),
    Kind(
        "training.course",
        "Training course",
        "training",
        "Training",
        "training.Course",
        "training:course_detail",
        _courses,
        prefetch=("themes",),
    ),
    Kind(
        "voice.consultation",
        "Consultation",
        "voice",
        "Young people's voice",
        "voice.Consultation",
        "voice:consultation_detail",
        _consultations,
    ),
)

BY_KEY = {k.key: k for k in KINDS}
AREAS: list[tuple[str, str]] = list(dict.fromkeys((k.area, k.area_label) for k in KINDS))


def kinds_in(area: str | None) -> list[Kind]:
    return [k for k in KINDS if not area or k.area == area]


def documents(kind: Kind, rows: list[Any], masks: Masks | None = None) -> list[Document]:
    return list(kind.build(rows, masks or Masks()))
