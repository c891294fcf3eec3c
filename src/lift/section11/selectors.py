"""Reads of the Section 11 area, given the reading user, and the overview report's figures
(computed with a fixed number of queries however many agencies and requirements)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from lift.core.models import Attachment

from .choices import ReturnStatus
from .models import (
    Answer,
    ChallengeQuestion,
    Cycle,
    Framework,
    RatingLevel,
    Section11Return,
    Standard,
)


def returns_visible(user: Any, partnership: Any) -> QuerySet[Section11Return]:
    return (
        Section11Return.objects.restrict(user, "view")
        .filter(partnership=partnership)
        .select_related("cycle", "agency", "panel")
        .with_progress()  # type: ignore[attr-defined]
    )


def my_returns(user: Any, partnership: Any) -> QuerySet[Section11Return]:
    """The open returns of the agencies the user contributes to (lead or practitioner)."""
    from lift.core.access import assignments_for

    agency_ids = {
        a.agency_id
        for a in assignments_for(user)
        if a.partnership_id == partnership.pk and a.agency_id and a.case_type_id is None
    }
    return (
        returns_visible(user, partnership)
        .filter(agency_id__in=agency_ids)
        .exclude(status=ReturnStatus.CLOSED)
        .order_by("-cycle__starts_on", "agency__name")
    )


def my_panel_returns(user: Any, partnership: Any) -> QuerySet[Section11Return]:
    """Returns given to panels the user sits on, still to be moderated."""
    return (
        returns_visible(user, partnership)
        .filter(panel__members__person=user)
        .filter(status__in=[ReturnStatus.SUBMITTED, ReturnStatus.UNDER_CHALLENGE])
        .order_by("cycle__starts_on", "agency__name")
    )


# What the return, submit and challenge pages show of each answer (nothing else is loaded:
# a template using another field would cost a query per row, which the guard tests catch).
ANSWER_PAGE_FIELDS = (
    "id",
    "agency_return_id",
    "self_rating",
    "narrative",
    "evidence_links",
    "needs_review",
    "moderated_rating",
    "moderation_note",
    "requirement__id",
    "requirement__standard_id",
    "requirement__ref",
    "requirement__text",
    "requirement__essential",
    "requirement__order",
)


def return_page(agency_return: Section11Return) -> dict[str, Any]:
    """Everything the return page shows, in a fixed number of queries: standards with their
    answers (requirement, files) and challenge questions, the scale and progress."""
    framework = agency_return.cycle.framework
    levels = list(RatingLevel.objects.filter(scale__framework=framework).order_by("order"))
    answer_type = ContentType.objects.get_for_model(Answer)
    answers = list(
        Answer.objects.filter(agency_return=agency_return)
        .select_related("requirement")
        .only(*ANSWER_PAGE_FIELDS)
        .order_by("requirement__order")
    )
    files_by_answer: dict[int, list[Attachment]] = defaultdict(list)
    for f in Attachment.objects.filter(
        content_type=answer_type, object_id__in=[a.pk for a in answers]
    ).order_by("created_at"):
        files_by_answer[f.object_id].append(f)
    questions_by_standard: dict[int, list[ChallengeQuestion]] = defaultdict(list)
    for q in agency_return.questions.select_related("asked_by", "responded_by"):
        questions_by_standard[q.standard_id].append(q)
    by_value = {level.value: level for level in levels}
    answers_by_standard: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in answers:
        answers_by_standard[a.requirement.standard_id].append(
            {
                "answer": a,
                "requirement": a.requirement,
                "self_level": by_value.get(a.self_rating),
                "moderated_level": by_value.get(a.moderated_rating),
                "changed": bool(a.moderated_rating) and a.moderated_rating != a.self_rating,
                "files": files_by_answer.get(a.pk, []),
            }
        )
    standards = [
        {
            "standard": s,
            "rows": answers_by_standard.get(s.pk, []),
            "questions": questions_by_standard.get(s.pk, []),
        }
        for s in Standard.objects.filter(framework=framework).order_by("order")
    ]
    answered = sum(1 for a in answers if a.self_rating)
    return {
        "standards": standards,
        "levels": levels,
        "answered": answered,
        "total": len(answers),
        "to_review": sum(1 for a in answers if a.needs_review),
        "moderated": sum(1 for a in answers if a.moderated_rating),
        "changed": sum(
            1 for a in answers if a.moderated_rating and a.moderated_rating != a.self_rating
        ),
    }


# --- overview report --------------------------------------------------------------------


@dataclass
class Overview:
    cycle: Cycle
    framework: Framework
    levels: list[RatingLevel]
    standards: list[Standard]
    agencies: list[Any]
    completion: list[dict[str, Any]]
    # agency id -> standard id -> average score (moderated where given, else self)
    heat: dict[int, dict[int, float | None]]
    self_by_standard: dict[int, float | None]
    moderated_by_standard: dict[int, float | None]
    differences: list[dict[str, Any]]
    previous: Overview | None = None
    status_counts: dict[str, int] = field(default_factory=dict)

    def level_for(self, score: float | None) -> RatingLevel | None:
        """The level an average score shows as (the heat map's colour and label): the
        nearest, and exactly halfway the one the framework's scale names
        (`RatingScale.level_for`)."""
        if not self.levels:
            return None
        return self.levels[0].scale.level_for(self.levels, score)

    def heat_rows(self) -> list[dict[str, Any]]:
        rows = []
        for agency in self.agencies:
            cells = []
            for std in self.standards:
                score = self.heat.get(agency.pk, {}).get(std.pk)
                cells.append({"score": score, "level": self.level_for(score)})
            rows.append({"agency": agency, "cells": cells})
        return rows

    def by_standard_rows(self) -> list[dict[str, Any]]:
        prev = self.previous
        prev_by_ref = {}
        if prev is not None:
            prev_by_ref = {s.ref: prev.final_by_standard(s.pk) for s in prev.standards}
        return [
            {
                "standard": s,
                "self": self.self_by_standard.get(s.pk),
                "moderated": self.moderated_by_standard.get(s.pk),
                "previous": prev_by_ref.get(s.ref),
            }
            for s in self.standards
        ]

    def final_by_standard(self, standard_id: int) -> float | None:
        moderated = self.moderated_by_standard.get(standard_id)
        return moderated if moderated is not None else self.self_by_standard.get(standard_id)


def _avg(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def overview(
    cycle: Cycle,
    *,
    with_previous: bool = True,
    _reference: tuple[int, list[RatingLevel], list[Standard]] | None = None,
) -> Overview:
    """The overview report's figures for a cycle: a fixed number of queries (the scores
    come back as one grouped query, not one per agency or requirement): 5 for the cycle,
    3 more for the previous cycle on the same framework version (5 on another)."""
    framework = cycle.framework
    if _reference is not None and _reference[0] == cycle.framework_id:
        levels, standards = _reference[1], _reference[2]
    else:
        levels = list(
            RatingLevel.objects.filter(scale__framework=framework)
            .select_related("scale")
            .order_by("order")
        )
        standards = list(Standard.objects.filter(framework=framework).order_by("order"))
    score_of = {level.value: level.score for level in levels}
    returns = list(
        Section11Return.objects.filter(cycle=cycle)
        .select_related("agency")
        .annotate(
            answered_count=Count("answers", filter=~Q(answers__self_rating="")),
            total_count=Count("answers"),
        )
        .order_by("agency__name")
    )
    agencies = [r.agency for r in returns]
    # One grouped query: how many of each (self, moderated) rating per agency and standard.
    rating_counts: Any = (
        Answer.objects.filter(agency_return__cycle=cycle)
        .exclude(self_rating="", moderated_rating="")
        .values(
            "agency_return__agency_id",
            "requirement__standard_id",
            "self_rating",
            "moderated_rating",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    self_scores: dict[tuple[int, int], list[int]] = defaultdict(list)
    mod_scores: dict[tuple[int, int], list[int]] = defaultdict(list)
    self_std: dict[int, list[int]] = defaultdict(list)
    mod_std: dict[int, list[int]] = defaultdict(list)
    for row in rating_counts:
        key = (row["agency_return__agency_id"], row["requirement__standard_id"])
        score = score_of.get(row["self_rating"])
        if score is not None:
            self_scores[key] += [score] * row["n"]
            self_std[key[1]] += [score] * row["n"]
        score = score_of.get(row["moderated_rating"])
        if score is not None:
            mod_scores[key] += [score] * row["n"]
            mod_std[key[1]] += [score] * row["n"]
    heat: dict[int, dict[int, float | None]] = defaultdict(dict)
    differences = []
    for agency in agencies:
        for std in standards:
            key = (agency.pk, std.pk)
            self_avg = _avg(self_scores.get(key, []))
            mod_avg = _avg(mod_scores.get(key, []))
            heat[agency.pk][std.pk] = mod_avg if mod_avg is not None else self_avg
            if self_avg is not None and mod_avg is not None and self_avg != mod_avg:
                differences.append(
                    {
                        "agency": agency,
                        "standard": std,
                        "self": self_avg,
                        "moderated": mod_avg,
                        "change": round(mod_avg - self_avg, 2),
                    }
                )
    completion = [
        {
            "agency": r.agency,
            "return": r,
            "answered": r.answered_count,  # type: ignore[attr-defined]
            "total": r.total_count,  # type: ignore[attr-defined]
            "status": r.get_status_display(),
        }
        for r in returns
    ]
    counts: dict[str, int] = defaultdict(int)
    for r in returns:
        counts[r.get_status_display()] += 1
    previous = None
    if with_previous and cycle.previous_id:
        prev_cycle = Cycle.objects.select_related("framework").get(pk=cycle.previous_id)
        previous = overview(
            prev_cycle, with_previous=False, _reference=(cycle.framework_id, levels, standards)
        )
    return Overview(
        cycle=cycle,
        framework=framework,
        levels=levels,
        standards=standards,
        agencies=agencies,
        completion=completion,
        heat=heat,
        self_by_standard={s.pk: _avg(self_std.get(s.pk, [])) for s in standards},
        moderated_by_standard={s.pk: _avg(mod_std.get(s.pk, [])) for s in standards},
        differences=differences,
        previous=previous,
        status_counts=dict(counts),
    )


def report_version(cycle: Cycle, report: Any) -> tuple[Any, ...]:
    """Everything the overview report's figures and text depend on, in one aggregate query:
    the cycle and its previous cycle, their returns (count, last change, agency names) and
    answers (count, last change), the report's last change, and today's date (the document
    is dated). Saves bump `updated_at`, so any change gives a new version."""
    ids = [cycle.pk] + ([cycle.previous_id] if cycle.previous_id else [])
    figures = Section11Return.objects.filter(cycle_id__in=ids).aggregate(
        n_returns=Count("pk", distinct=True),
        returns_changed=Max("updated_at"),
        agencies_changed=Max("agency__updated_at"),
        cycles_changed=Max("cycle__updated_at"),
        n_answers=Count("answers"),
        answers_changed=Max("answers__updated_at"),
    )
    return (
        cycle.pk,
        cycle.updated_at,
        cycle.framework_id,
        cycle.previous_id,
        getattr(report, "pk", None),
        getattr(report, "updated_at", None),
        timezone.localdate(),
        tuple(sorted(figures.items())),
    )


# --- the six-month follow-up --------------------------------------------------------------


def outstanding_actions(cycle: Cycle, *, today: dt.date | None = None) -> list[Any]:
    """Open actions whose source is one of the cycle's returns, by agency and due date."""
    from lift.learning.choices import OPEN_STATUSES
    from lift.learning.models import Action

    ct = ContentType.objects.get_for_model(Section11Return)
    return list(
        Action.objects.filter(
            source_type=ct,
            source_id__in=Section11Return.objects.filter(cycle=cycle).values("pk"),
            status__in=OPEN_STATUSES,
        )
        .select_related("owner_agency", "owner")
        .order_by("owner_agency__name", "due_on", "pk")
    )


def outstanding_by_agency(cycle: Cycle, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    today = today or timezone.localdate()
    grouped: dict[int, dict[str, Any]] = {}
    for action in outstanding_actions(cycle, today=today):
        entry = grouped.setdefault(
            action.owner_agency_id,
            {"agency": action.owner_agency, "actions": [], "overdue": 0},
        )
        late = action.due_on < today
        entry["actions"].append({"action": action, "overdue": late})
        entry["overdue"] += int(late)
    return list(grouped.values())


def answers_for(agency_return: Section11Return) -> QuerySet[Answer]:
    return Answer.objects.filter(agency_return=agency_return).select_related("requirement")


def returns_with_answers(cycle: Cycle) -> QuerySet[Section11Return]:
    return cycle.returns.prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("requirement"))
    )
