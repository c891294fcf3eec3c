"""Section 11 frameworks and cycles: uploading a framework, creating and opening a cycle.

Opening a cycle creates every return and every answer row with bulk_create. bulk_create
sends no post_save signals, so the change log would miss the returns: `_log_created` writes
one ChangeLog "create" entry per return in a single bulk insert (same fields as
core.history writes for a normal save). The answer rows are not logged one by one: each
return's entry records how many answers it was opened with, and every later change to an
answer is logged normally (answers are saved with .save()).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from lift.core import history
from lift.core.models import Agency, Attachment, ChangeLog, Partnership, Person

from .. import rules
from ..choices import CycleStatus, ReturnStatus
from ..models import (
    Answer,
    Cycle,
    Framework,
    Requirement,
    Section11Return,
)

RS = ReturnStatus
FOLLOW_UP_RULE = "section11-follow-up"


# --- frameworks ---------------------------------------------------------------------------


@transaction.atomic
def framework_delete(*, framework: Framework, by: Person | None, reason: str = "") -> None:
    """Delete a framework version no cycle uses (FrameworkInUse otherwise)."""
    names = list(framework.cycles.order_by("name").values_list("name", flat=True))
    rules.FrameworkInUse.check(framework, names)
    try:
        with history.acting(actor=by, reason=reason):
            framework.delete()
    except ProtectedError as exc:  # a cycle created meanwhile
        raise rules.FrameworkInUse.violation() from exc


@transaction.atomic
def framework_upload(
    *, partnership: Partnership, data: bytes, file_name: str, by: Person | None
) -> Framework:
    """Load an uploaded framework file as the partnership's own version, through the same
    validating loader as reference/section11/ (frameworks.parse_upload, framework_load).

    A malformed file, an older version than one loaded, changed content under a version a
    cycle uses, or the same version again unchanged is refused with the loader's message
    (ValidationError on "file") and nothing is stored."""
    from django.core.exceptions import ImproperlyConfigured

    from ..frameworks import framework_load, parse_upload

    try:
        parsed = parse_upload(data, file_name)
        with history.acting(actor=by, reason=f"Framework uploaded from {parsed.shown}"):
            framework, created = framework_load(parsed=parsed, partnership=partnership)
    except ImproperlyConfigured as exc:
        raise ValidationError({"file": str(exc)}) from None
    if not created:
        raise ValidationError(
            {
                "file": f"{parsed.shown}: version {parsed.version} of {parsed.urn} is already "
                "loaded with exactly this content, so nothing changed."
            }
        )
    return framework


def level_values(framework: Framework) -> list[str]:
    return list(framework.scale.levels.order_by("order").values_list("value", flat=True))


# --- cycles -------------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *,
    partnership: Partnership,
    name: str,
    framework: Framework,
    agencies: Iterable[Agency],
    starts_on: dt.date,
    deadline: dt.date,
    challenge_starts_on: dt.date,
    challenge_ends_on: dt.date,
    previous: Cycle | None = None,
    by: Person | None = None,
) -> Cycle:
    """Plan a cycle: the framework version, the agencies taking part and the dates."""
    agencies = list(agencies)
    rules.CycleAgenciesInPartnership.check(partnership.pk, agencies)
    if framework.partnership_id not in (None, partnership.pk):
        raise ValidationError({"framework": "Choose a framework of this partnership."})
    if previous is not None and previous.partnership_id != partnership.pk:
        raise ValidationError({"previous": "Choose a cycle of this partnership."})
    cycle = Cycle(
        partnership=partnership,
        name=name,
        framework=framework,
        previous=previous,
        starts_on=starts_on,
        deadline=deadline,
        challenge_starts_on=challenge_starts_on,
        challenge_ends_on=challenge_ends_on,
    )
    cycle.full_clean()
    with history.acting(actor=by):
        cycle.save()
        cycle.agencies.set(agencies)
    return cycle


def _log_created(objs: list[Any], reason: str) -> None:
    """One change-log "create" entry per object created with bulk_create (no signals)."""
    if not objs:
        return
    ctx = history.current()
    actor = ctx.actor if getattr(ctx.actor, "pk", None) else None
    content_type = ContentType.objects.get_for_model(type(objs[0]))
    ChangeLog.objects.bulk_create(
        [
            ChangeLog(
                partnership_id=obj.partnership_id,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                action=ChangeLog.Action.CREATE,
                actor=actor,
                actor_repr=str(actor)[:300] if actor else "",
                source=ctx.source,
                reason=reason or ctx.reason,
                changes={
                    k: [None, v]
                    for k, v in history.snapshot(obj).items()
                    if v not in (None, "", [], {})
                },
                restricted_fields=[],
            )
            for obj in objs
        ],
        batch_size=500,
    )


@transaction.atomic
def cycle_open(
    *,
    cycle: Cycle,
    by: Person | None = None,
    carry_forward: Iterable[Agency] = (),
    today: dt.date | None = None,
) -> list[Section11Return]:
    """Open the cycle: every participating agency gets a draft return with one answer row
    per requirement of the framework, all created in bulk. Agencies in `carry_forward` start
    from their previous-cycle answers (matched by requirement URN, so a newer framework
    version still matches) and evidence, each marked for review."""
    cycle = (
        Cycle.objects.select_for_update(of=("self",)).select_related("framework").get(pk=cycle.pk)
    )
    if cycle.status != CycleStatus.PLANNED:
        raise ValidationError("This cycle is already open.")
    agencies = list(cycle.agencies.order_by("name"))
    if not agencies:
        raise ValidationError({"agencies": "Choose the agencies taking part before opening."})
    carry_ids = {a.pk for a in carry_forward}
    requirements = list(Requirement.objects.filter(framework=cycle.framework).order_by("order"))
    scale = set(level_values(cycle.framework))

    previous_answers: dict[int, dict[str, Answer]] = {}
    previous_returns: dict[int, Section11Return] = {}
    if carry_ids:
        if cycle.previous_id is None:
            raise ValidationError("Choose the previous cycle before carrying answers forward.")
        for old_return in Section11Return.objects.filter(
            cycle_id=cycle.previous_id, agency_id__in=carry_ids
        ):
            previous_returns[old_return.agency_id] = old_return
        for old in Answer.objects.filter(
            agency_return__in=list(previous_returns.values())
        ).select_related("requirement"):
            previous_answers.setdefault(old.agency_return.agency_id, {})[old.requirement.urn] = old
        missing = [a.name for a in agencies if a.pk in carry_ids and a.pk not in previous_returns]
        if missing:
            raise ValidationError(
                f"No return in the previous cycle to carry forward for: {', '.join(missing)}."
            )

    with history.acting(actor=by):
        returns = Section11Return.objects.bulk_create(
            [
                Section11Return(
                    partnership=cycle.partnership,
                    cycle=cycle,
                    agency=agency,
                    carried_forward_from=previous_returns.get(agency.pk),
                )
                for agency in agencies
            ]
        )
        for ret, agency in zip(returns, agencies, strict=True):
            ret.cycle, ret.agency = cycle, agency
        _log_created(
            returns,
            f"Cycle {cycle.name} opened: {len(requirements)} requirements to answer.",
        )
        answers = []
        for ret in returns:
            old_by_urn = previous_answers.get(ret.agency_id, {})
            for req in requirements:
                carried = old_by_urn.get(req.urn)
                answer = Answer(partnership=cycle.partnership, agency_return=ret, requirement=req)
                if carried is not None:
                    answer.self_rating = carried.self_rating if carried.self_rating in scale else ""
                    answer.narrative = carried.narrative
                    answer.evidence_links = carried.evidence_links
                    answer.needs_review = True
                    answer.carried_from = carried
                answers.append(answer)
        Answer.objects.bulk_create(answers, batch_size=1000)
        if previous_answers:
            _carry_attachments([a for a in answers if a.carried_from_id])
        cycle.status = CycleStatus.OPEN
        cycle.opened_on = today or timezone.localdate()
        cycle.save()
    return returns


def _carry_attachments(answers: list[Answer]) -> None:
    """Evidence files of carried-forward answers: new Attachment rows for the same stored
    files, attached to the new answers (so the new return's permissions apply)."""
    answer_type = ContentType.objects.get_for_model(Answer)
    by_old = {a.carried_from_id: a for a in answers}
    old_files = Attachment.objects.filter(content_type=answer_type, object_id__in=list(by_old))
    Attachment.objects.bulk_create(
        [
            Attachment(
                partnership_id=f.partnership_id,
                content_type=answer_type,
                object_id=by_old[f.object_id].pk,
                file=f.file.name,
                original_name=f.original_name,
                media_type=f.media_type,
                size=f.size,
                sha256=f.sha256,
                description=f.description or "Carried forward from the previous cycle",
                uploaded_by=f.uploaded_by,
            )
            for f in old_files
        ],
        batch_size=500,
    )
