"""Publishing a review: the identifier guard, the decision, concerns, publishing and
removing it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from lift.core import calendar
from lift.core.clocks import (
    clock_stop,
    clocks_for,
)
from lift.core.history import change_reason
from lift.core.models import Person
from lift.core.reference import regime

from .. import rules
from ..choices import (
    LetterKind,
    PublicationDecision,
    ReviewStatus,
)
from ..models import (
    ChildIdentity,
    Publication,
    PublicationConcern,
    Review,
)
from ..reference import reference
from .base import _start
from .letters import letter_generate, letter_guard

# --- publication ----------------------------------------------------------------------------


def guard_texts(review: Review, publication: Publication | None = None) -> dict[str, str]:
    texts = {"Report": review.report_text, "Briefing": review.briefing_text}
    if publication is not None and publication.public_summary:
        texts["Public summary"] = publication.public_summary
    return texts


def guard_identities(review: Review) -> list[ChildIdentity]:
    """Every restricted record of the review's case (read by the system, never shown)."""
    if review.incident_id is None:
        return []
    return list(ChildIdentity.objects.filter(incident_id=review.incident_id))


def review_guard(review: Review, publication: Publication | None = None) -> list[rules.GuardMatch]:
    """The publication guard's findings for this review's texts."""
    return rules.publication_guard(guard_texts(review, publication), guard_identities(review))


@transaction.atomic
def publication_decide(
    *,
    review: Review,
    by: Person,
    answers: dict[str, str],
    decision: str,
    decided_on: dt.date,
    planned_on: dt.date | None = None,
    public_summary: str = "",
) -> Publication:
    """The Board's decision on publishing, with an answer to every question of the seed's
    checklist. Publish: the report goes to the panel at least the regime's notice period
    before `planned_on` (clock). Do not publish: the panel is told why, question by question."""
    if review.completed_on is None:
        raise ValidationError("The final report must be agreed before deciding on publication.")
    if Publication.objects.filter(review=review).exists():
        raise ValidationError("The publication decision is already recorded.")
    questions = reference().questions
    missing = [q.label for q in questions if not (answers.get(q.key) or "").strip()]
    if missing:
        raise ValidationError({"answers": f"Answer every question ({len(missing)} missing)."})
    rules.dates_not_in_future(decided_on=decided_on)
    if decided_on < review.completed_on:
        raise ValidationError({"decided_on": "The decision cannot be before the final report."})
    if decision == PublicationDecision.PUBLISH and planned_on is None:
        raise ValidationError({"planned_on": "Give the planned publication date."})
    publication = Publication(
        partnership=review.partnership,
        review=review,
        answers={q.key: answers[q.key].strip() for q in questions},
        decision=decision,
        decided_on=decided_on,
        planned_on=planned_on if decision == PublicationDecision.PUBLISH else None,
        public_summary=public_summary,
    )
    publication.full_clean()
    publication.save()
    incident = review.incident
    if decision == PublicationDecision.PUBLISH:
        assert planned_on is not None
        # The notice clock opens when the Board decides to publish.
        _start(publication, "publication-notice", planned_on, by, opened_on=decided_on)
        if incident is not None:
            letter_generate(
                incident=incident, kind=LetterKind.PUBLICATION_YES, by=by, review=review
            )
    else:
        review.status = ReviewStatus.NOT_PUBLISHED
        review.save()
        if incident is not None:
            letter_generate(incident=incident, kind=LetterKind.PUBLICATION_NO, by=by, review=review)
    return publication


@transaction.atomic
def publication_concern_raise(
    *, review: Review, concern: str, raised_on: dt.date, by: Person
) -> PublicationConcern:
    """Record the board's concern that the review's report may not be publishable, and
    generate the letter alerting the panel (a draft, edited and sent like any other). At
    any time during the review: not once the Board has decided on publication. The
    concern's text is checked for the case's restricted identifiers, as the letter is."""
    if review.incident_id is None:
        raise ValidationError(
            "This review came from no serious incident: the panel is not told of it."
        )
    if Publication.objects.filter(review=review).exists():
        raise ValidationError(
            "The Board has already decided on publication: the panel was told of the decision."
        )
    if not concern.strip():
        raise ValidationError({"concern": "Say why publication may not be possible."})
    rules.dates_not_in_future(raised_on=raised_on)
    if review.decided_on and raised_on < review.decided_on:
        raise ValidationError(
            {"raised_on": "The concern cannot be raised before the review was decided on."}
        )
    assert review.incident is not None
    matches = letter_guard(review.incident, "", concern)
    if matches:
        raise ValidationError(
            {
                "concern": [
                    f"The concern contains {len(matches)} identifier"
                    f"{'s' if len(matches) != 1 else ''} from the case's restricted record: "
                    "use the pseudonym instead."
                ]
                + [str(m) for m in matches[:20]]
            }
        )
    record = PublicationConcern(
        partnership=review.partnership,
        review=review,
        concern=concern.strip(),
        raised_on=raised_on,
        raised_by=by,
    )
    record.full_clean()
    record.save()
    record.letter = letter_generate(
        incident=review.incident, kind=LetterKind.PUBLICATION_CONCERN, by=by, review=review
    )
    record.save()
    return record


def _unique_slug(review: Review) -> str:
    base = slugify(f"{review.partnership.slug}-{review.title}")[:70] or f"review-{review.pk}"
    slug, n = base, 2
    while Review.objects.filter(slug=slug).exclude(pk=review.pk).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def publication_publish(
    *, publication: Publication, published_on: dt.date, by: Person
) -> Publication:
    """Publish the report on LIFT's public pages. Refused while the guard finds an identifier
    from the case's restricted record in the report, briefing or summary; refused before the
    report has been sent to the panel the notice period ahead. The minimum publication
    period (12 months) clock starts."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    review = publication.review
    if publication.decision != PublicationDecision.PUBLISH:
        raise ValidationError("The decision was not to publish this report.")
    if publication.published_on:
        raise ValidationError("The report is already published.")
    matches = review_guard(review, publication)
    if matches:
        raise ValidationError(
            [f"The text still contains identifiers ({len(matches)}):"]
            + [str(m) for m in matches[:20]]
        )
    if not publication.sent_to_panel_on:
        raise ValidationError("Send the report to the national panel before publishing it.")
    rule = regime(review.partnership.regime).deadline("publication-notice")
    # Counted as the notice clock counts (back from the publication date).
    earliest = calendar.notice_earliest(rule, publication.sent_to_panel_on)
    if published_on < earliest:
        raise ValidationError(
            {
                "published_on": f"The panel must have the report at least {rule.period} before "
                f"publication: publish on or after {earliest:%-d %B %Y}."
            }
        )
    rules.dates_not_in_future(published_on=published_on)
    publication.published_on = published_on
    publication.full_clean()
    publication.save()
    review.slug = review.slug or _unique_slug(review)
    review.status = ReviewStatus.PUBLISHED
    review.save()
    _start(publication, "publication-period", published_on, by)
    return publication


@transaction.atomic
def publication_remove(
    *, publication: Publication, removed_on: dt.date, reason: str, by: Person
) -> Publication:
    """Take the report off the public pages: not before the minimum period (12 months)."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason."})
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    clock = next(iter(clocks_for(publication, rule="publication-period")), None)
    rules.publication_period_kept(
        publication.published_on, removed_on, minimum_until=clock.due_on if clock else None
    )
    publication.removed_on = removed_on
    with change_reason(reason):
        publication.save()
    if clock is not None and clock.is_open:
        clock_stop(clock=clock, reason=reason)
    return publication
