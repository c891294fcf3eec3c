"""Letters to the national panel: templates, generating, editing and sending them, and
the panel's replies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from lift.core import calendar
from lift.core.history import change_reason
from lift.core.models import Partnership, Person
from lift.core.reference import regime
from lift.core.services import changes_apply

from .. import letters as letter_text
from .. import rules
from ..choices import (
    LetterKind,
    ReviewKind,
)
from ..models import (
    ChildIdentity,
    Decision,
    Incident,
    Letter,
    LetterTemplate,
    PanelReply,
    Publication,
    PublicationConcern,
    RapidReview,
    Review,
)
from ..reference import reference
from .base import _date, _meet, _open_clock, _today

# --- letters to the national panel ---------------------------------------------------------


def lettertemplate_for(partnership: Partnership, key: str) -> LetterTemplate:
    """The partnership's template for `key`, created from letters.yaml the first time."""
    template = LetterTemplate.objects.filter(partnership=partnership, key=key).first()
    if template is not None:
        return template
    default = reference().letter(key)
    template = LetterTemplate(
        partnership=partnership,
        key=key,
        name=default.name,
        subject=default.subject,
        body=default.body,
        default_version=reference().letters_version,
    )
    template.full_clean()
    template.save()
    return template


def lettertemplates_ensure(partnership: Partnership) -> list[LetterTemplate]:
    return [lettertemplate_for(partnership, key) for key in LetterKind.values]


@transaction.atomic
def lettertemplate_reset(*, template: LetterTemplate, by: Person) -> LetterTemplate:
    """Bring back the default text from reference/reviews/letters.yaml."""
    default = reference().letter(template.key)
    template.name, template.subject, template.body = default.name, default.subject, default.body
    template.default_version = reference().letters_version
    template.full_clean()
    with change_reason("Reset to the default text"):
        template.save()
    return template


LETTERTEMPLATE_EDITABLE = frozenset({"name", "subject", "body"})


@transaction.atomic
def lettertemplate_update(*, template: LetterTemplate, by: Person, **fields: Any) -> LetterTemplate:
    """Change a letter template's name, subject or body (letters already made keep theirs)."""
    return changes_apply(template, fields, editable=LETTERTEMPLATE_EDITABLE)


def letter_context(
    incident: Incident, *, by: Person | None, review: Review | None = None
) -> dict[str, str]:
    """The fixed context a letter template may use: labels, dates and the pseudonym only."""
    wording = regime(incident.partnership.regime).wording
    decision = Decision.objects.filter(incident=incident).select_related("decided_by").first()
    crit = reference().for_regime(incident.regime)
    review = review or incident.reviews.filter(kind=ReviewKind.STATUTORY).first()
    reviewers = list(review.reviewers.all()) if review else []
    rr = RapidReview.objects.filter(incident=incident).first()
    publication = Publication.objects.filter(review=review).first() if review else None
    concern = (
        PublicationConcern.objects.filter(review=review).order_by("-raised_on", "-pk").first()
        if review
        else None
    )
    questions = reference().questions
    return {
        "partnership": incident.partnership.name,
        "board": wording.board,
        "decision_maker": wording.decision_maker,
        "national_panel": wording.national_panel,
        "national_panel_short": wording.national_panel_short,
        "statutory_review": wording.statutory_review,
        "statutory_review_short": wording.statutory_review_short,
        "pseudonym": incident.pseudonym,
        "incident_reference": incident.reference,
        "incident_type": incident.get_incident_type_display(),
        "became_aware_on": _date(incident.became_aware_on),
        "notified_on": _date(incident.notified_on),
        "decision_on": _date(decision.decided_on) if decision else "(not decided)",
        "decision": decision.get_outcome_display() if decision else "(not decided)",
        "review_type": (
            reference().methodology_label(review.methodology)
            if review and review.methodology
            else (wording.statutory_review if review else "")
        ),
        "reviewers": "\n".join(
            f"- {rv.name}{', ' + rv.organisation if rv.organisation else ''}: {rv.why_chosen}"
            for rv in reviewers
        )
        or "- (reviewers to be appointed)",
        "reasons": decision.reasons if decision else "",
        "criteria_reasons": "\n".join(
            f"- {crit.label(k)}: {v}"
            for k, v in (decision.criteria_reasons if decision else {}).items()
        ),
        "publication_on": _date(publication.planned_on) if publication else "",
        "publication_answers": "\n".join(
            f"- {q.label}: {(publication.answers or {}).get(q.key, '')}" for q in questions
        )
        if publication
        else "",
        "rapid_review_sent_on": _date(rr.sent_to_panel_on) if rr else "",
        "rapid_review_recommendation": rr.get_recommendation_display() if rr else "",
        "signatory": (decision.decided_by.full_name if decision else "")
        or (by.full_name if by else ""),
        "today": _date(_today()),
        "concern": concern.concern if concern else "",
        "concern_on": _date(concern.raised_on) if concern else "",
    }


RECIPIENTS = {
    LetterKind.INITIATION_YES: "{panel} and Ofsted",
    LetterKind.INITIATION_NO: "{panel}",
    LetterKind.RAPID_REVIEW: "{panel}",
    LetterKind.PUBLICATION_YES: "{panel}",
    LetterKind.PUBLICATION_NO: "{panel}",
    LetterKind.PUBLICATION_CONCERN: "{panel}",
}


def _render_letter(
    incident: Incident, kind: str, by: Person | None, review: Review | None
) -> tuple[str, str, int]:
    template = lettertemplate_for(incident.partnership, kind)
    context = letter_context(incident, by=by, review=review)
    subject = letter_text.as_plain(letter_text.render(template.subject, context))
    body = letter_text.as_plain(letter_text.render(template.body, context))
    return subject.strip()[:300], body.strip(), template.default_version


def letter_guard(incident: Incident, subject: str, body: str) -> list[rules.GuardMatch]:
    """The publication guard run on a panel letter's text: every identifier from the case's
    restricted record found in its subject or body (read by the system, never shown)."""
    identities = list(ChildIdentity.objects.filter(incident_id=incident.pk))
    return rules.publication_guard({"Subject": subject, "Body": body}, identities)


def _refuse_identifiers(
    incident: Incident,
    subject: str,
    body: str,
    doing: str,
    fix: str = "the letter template or the record the letter quotes (for example the "
    "decision's reasons)",
) -> None:
    """Refuse to generate, save or send a letter whose text holds a restricted identifier,
    saying where each one is (masked: the message never repeats the identifier)."""
    matches = letter_guard(incident, subject, body)
    if matches:
        raise ValidationError(
            [
                f"The letter cannot be {doing}: its text contains "
                f"{len(matches)} identifier{'s' if len(matches) != 1 else ''} from the case's "
                f"restricted record. Remove them from {fix}, then try again:"
            ]
            + [str(m) for m in matches[:20]]
        )


def _lock_fresh(letter: Letter) -> None:
    """Lock the letter's row and read its saved state into `letter`: a caller holding an
    older copy never saves a stale text over an edit, and a letter sent meanwhile is seen
    as sent (frozen)."""
    Letter.objects.select_for_update().filter(pk=letter.pk).first()
    letter.refresh_from_db()


def _refuse_if_sent(letter: Letter) -> None:
    if letter.sent_on:
        raise ValidationError(
            f"This letter was marked sent on {letter.sent_on:%-d %B %Y}: its text cannot be "
            "changed. Record anything further as a reply or a new letter."
        )


@transaction.atomic
def letter_generate(
    *, incident: Incident, kind: str, by: Person | None, review: Review | None = None
) -> Letter:
    """Generate a letter to the national panel from the partnership's template. A NO letter
    is due within the regime's period from the decision (2015: 14 days)."""
    subject, body, version = _render_letter(incident, kind, by, review)
    _refuse_identifiers(incident, subject, body, "generated")
    wording = regime(incident.partnership.regime).wording
    due_on = None
    if kind == LetterKind.INITIATION_NO:
        decision = Decision.objects.filter(incident=incident).first()
        clock = _open_clock(decision, "panel-no-decision") if decision else None
        due_on = clock.due_on if clock else None
    if kind == LetterKind.PUBLICATION_YES and review is not None:
        publication = Publication.objects.filter(review=review).first()
        clock = _open_clock(publication, "publication-notice") if publication else None
        due_on = clock.due_on if clock else None
    letter = Letter(
        partnership=incident.partnership,
        incident=incident,
        review=review,
        kind=kind,
        recipients=RECIPIENTS[LetterKind(kind)].format(panel=wording.national_panel),
        subject=subject,
        body=body,
        template_version=version,
        due_on=due_on,
    )
    letter.full_clean()
    letter.save()
    return letter


@transaction.atomic
def letter_regenerate(*, letter: Letter, by: Person) -> Letter:
    """Regenerate an unsent letter from the current template and record (e.g. once the
    reviewers are appointed)."""
    _lock_fresh(letter)
    _refuse_if_sent(letter)
    subject, body, version = _render_letter(letter.incident, letter.kind, by, letter.review)
    _refuse_identifiers(letter.incident, subject, body, "regenerated")
    letter.subject, letter.body, letter.template_version = subject, body, version
    letter.full_clean()
    with change_reason("Regenerated from the template"):
        letter.save()
    return letter


def may_edit_letter(letter: Letter, by: Person | None) -> bool:
    """Whoever may send the panel's letters (the business unit, the Chair) edits their drafts."""
    return by is not None and Letter.objects.restrict(by, "change").filter(pk=letter.pk).exists()


def _plain(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


@transaction.atomic
def letter_update(*, letter: Letter, subject: str, body: str, by: Person) -> Letter:
    """Edit the draft of an unsent letter: its subject and text (plain text; a blank line
    between paragraphs, lines starting "- " as a bulleted list). The publication guard checks
    the edited text as it checks generated text: a restricted identifier refuses the edit and
    nothing is saved. The change history keeps every version; a sent letter is frozen."""
    _lock_fresh(letter)
    if not may_edit_letter(letter, by):
        raise ValidationError("Only the business unit or the Chair edits a letter to the panel.")
    _refuse_if_sent(letter)
    subject, body = " ".join(subject.split()), _plain(body)
    if not subject:
        raise ValidationError({"subject": "Enter the subject of the letter"})
    if not body:
        raise ValidationError({"body": "Enter the text of the letter"})
    _refuse_identifiers(letter.incident, subject, body, "saved", fix="the letter's text")
    if (subject, body) == (letter.subject, letter.body):
        return letter
    letter.subject, letter.body = subject, body
    letter.full_clean()
    with change_reason("Draft edited"):
        letter.save()
    return letter


NOTIFICATION_NEEDED = (
    "Attach the local authority's Serious Incident Notification to this letter before "
    "marking it sent: the letter tells the panel it is attached."
)


def letter_enclosures(letter: Letter) -> list[Any]:
    """The files sent with a letter (for a NO letter, the local authority's Serious
    Incident Notification), oldest first."""
    from lift.core.models import Attachment

    return list(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Letter), object_id=letter.pk
        ).order_by("created_at", "pk")
    )


@transaction.atomic
def letter_enclosure_add(
    *, letter: Letter, uploaded_file: Any, by: Person, description: str = ""
) -> Any:
    """Attach a file to an unsent letter (checked as every upload is, `lift.core.files`);
    the file is downloaded only by those who may see the letter. A NO letter's enclosure
    is the local authority's Serious Incident Notification."""
    from lift.core.files import attachment_create

    _lock_fresh(letter)
    if letter.sent_on:
        raise ValidationError(
            f"The letter was marked sent on {letter.sent_on:%-d %B %Y}: nothing more can be "
            "attached to it."
        )
    if not description.strip() and letter.kind == LetterKind.INITIATION_NO:
        description = "Serious Incident Notification"
    return attachment_create(
        subject=letter, uploaded_file=uploaded_file, uploaded_by=by, description=description
    )


@transaction.atomic
def letter_mark_sent(*, letter: Letter, sent_on: dt.date | None, by: Person) -> Letter:
    """Mark a letter sent, with its date (required). Meets the clock the letter answers; the
    national panel meets monthly, so the month it is expected to consider it is noted."""
    rules.letter_sent_needs_date(sent_on)
    assert sent_on is not None
    _lock_fresh(letter)
    if letter.sent_on:
        raise ValidationError("The letter is already marked sent.")
    if letter.kind == LetterKind.INITIATION_NO and not letter_enclosures(letter):
        raise ValidationError(NOTIFICATION_NEEDED)
    _refuse_identifiers(letter.incident, letter.subject, letter.body, "sent")
    decision = Decision.objects.filter(incident=letter.incident).first()
    if decision and sent_on < decision.decided_on and letter.kind.startswith("initiation"):
        raise ValidationError({"sent_on": "The letter cannot be sent before the decision."})
    letter.sent_on = sent_on
    letter.sent_by = by
    letter.panel_meeting_month = calendar.add_months(sent_on.replace(day=1), 1)
    letter.full_clean()
    letter.save()
    if letter.kind == LetterKind.INITIATION_NO and decision:
        _meet(decision, "panel-no-decision", sent_on)
    if letter.kind == LetterKind.PUBLICATION_YES and letter.review_id:
        publication = Publication.objects.filter(review_id=letter.review_id).first()
        if publication is not None:
            publication.sent_to_panel_on = sent_on
            publication.save()
            _meet(publication, "publication-notice", sent_on)
    return letter


@transaction.atomic
def panel_reply_record(
    *,
    incident: Incident,
    kind: str,
    received_on: dt.date,
    summary: str,
    by: Person,
    letter: Letter | None = None,
    response_due_on: dt.date | None = None,
) -> PanelReply:
    """Record a reply or request from the national panel, with its own due date."""
    rules.dates_not_in_future(received_on=received_on)
    if response_due_on and response_due_on < received_on:
        raise ValidationError({"response_due_on": "The due date cannot be before it was received."})
    reply = PanelReply(
        partnership=incident.partnership,
        incident=incident,
        letter=letter,
        kind=kind,
        received_on=received_on,
        summary=summary,
        response_due_on=response_due_on,
    )
    reply.full_clean()
    reply.save()
    return reply


@transaction.atomic
def panel_reply_respond(*, reply: PanelReply, responded_on: dt.date, by: Person) -> PanelReply:
    rules.dates_not_in_future(responded_on=responded_on)
    if responded_on < reply.received_on:
        raise ValidationError({"responded_on": "The response cannot be before the request."})
    reply.responded_on = responded_on
    reply.full_clean()
    reply.save()
    return reply
