"""Statutory and business rules for serious incidents and reviews, each named and documented.

The `check_*` functions are the models' `clean()`; the named rules are also called by the
services. The publication guard is at the end.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from lift.core.roles import R

if TYPE_CHECKING:
    from .models import ChildIdentity, Incident, RapidReview, Review, Reviewer


def _today() -> dt.date:
    return timezone.localdate()


# --- the incident -----------------------------------------------------------------------


def notifiable(combinations: Iterable[Sequence[str]], criteria: Iterable[str]) -> bool:
    """A serious incident is notifiable when every criterion of at least one combination in
    the regime's `notifiable_when` (reference/reviews/criteria.yaml) is met (2015: abuse or
    neglect and death or serious harm; any death of a looked-after child or in a regulated
    setting; current: the Children Act 2004 s16C equivalents)."""
    met = set(criteria)
    return any(set(combo) <= met for combo in combinations)


def statutory_review_indicated(combinations: Iterable[Sequence[str]], met: Iterable[str]) -> bool:
    """The criteria met point to a statutory review (SCR / LCSPR) when every criterion of one
    combination in the regime's `statutory_review_when` is met. The decision stays the
    decision-maker's: this only informs it."""
    return notifiable(combinations, met)


def dates_not_in_future(**dates: dt.date | None) -> None:
    """Dates that record something done cannot be in the future."""
    today = _today()
    errors = {
        name: "The date cannot be in the future." for name, d in dates.items() if d and d > today
    }
    if errors:
        raise ValidationError(errors)


def check_incident(incident: Incident) -> None:
    """An incident's dates are in order (aware and notified on or after the incident, none in
    the future) and its checklist only uses the regime's notification criteria."""
    from .reference import reference

    errors: dict[str, str] = {}
    if (
        incident.incident_on
        and incident.became_aware_on
        and incident.became_aware_on < incident.incident_on
    ):
        errors["became_aware_on"] = "The local authority cannot become aware before the incident."
    if (
        incident.notified_on
        and incident.incident_on
        and incident.notified_on < incident.incident_on
    ):
        errors["notified_on"] = "The notification cannot be before the incident."
    today = _today()
    for name in ("incident_on", "became_aware_on", "notified_on"):
        value = getattr(incident, name)
        if value and value > today:
            errors[name] = "The date cannot be in the future."
    if incident.regime:
        known = {c.key for c in reference().for_regime(incident.regime).at("notification")}
        unknown = [c for c in incident.criteria or [] if c not in known]
        if unknown:
            errors["criteria"] = f"Unknown criteria: {', '.join(unknown)}."
    if errors:
        raise ValidationError(errors)


NHS_DIGITS = re.compile(r"^\d{10}$")


def nhs_number_valid(value: str) -> bool:
    """An NHS number is 10 digits (spaces allowed) whose last digit is the modulus 11 check
    digit of the first nine."""
    digits = re.sub(r"[\s-]", "", value)
    if not NHS_DIGITS.match(digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def check_identity(identity: ChildIdentity) -> None:
    """A restricted record's NHS number is a valid NHS number; the date of birth is not in the
    future nor after the incident; a child other than the subject says how they are related."""
    errors: dict[str, str] = {}
    if identity.nhs_number and not nhs_number_valid(identity.nhs_number):
        errors["nhs_number"] = "Enter a valid 10-digit NHS number."
    if identity.date_of_birth:
        if identity.date_of_birth > _today():
            errors["date_of_birth"] = "The date of birth cannot be in the future."
        elif (
            identity.incident_id is not None
            and identity.incident is not None
            and identity.date_of_birth > identity.incident.incident_on
        ):
            errors["date_of_birth"] = "The date of birth cannot be after the incident."
    if not identity.is_subject and not identity.relationship.strip():
        errors["relationship"] = "Say how this child is related to the subject (e.g. sibling)."
    if errors:
        raise ValidationError(errors)


# --- the decision -------------------------------------------------------------------------


def decision_maker_is_chair(user: Any, partnership: Any) -> None:
    """The decision whether to hold a statutory review is the Chair's alone (seed; Working
    Together 2015): only a person holding the chair role in the partnership records it."""
    if not (user and user.is_authenticated and R.CHAIR in _roles(user, partnership)):
        raise ValidationError("Only the Chair can record the decision on a statutory review.")


def _roles(user: Any, partnership: Any) -> set[str]:
    from lift.core.access import roles_in

    return roles_in(user, partnership)


def decision_not_backdated(incident: Incident, decided_on: dt.date) -> None:
    """A decision cannot be dated before the incident, before the local authority became aware
    of it, or in the future."""
    if decided_on < incident.incident_on:
        raise ValidationError(
            {
                "decided_on": "The decision cannot be before the incident "
                f"({incident.incident_on:%-d %B %Y})."
            }
        )
    if decided_on < incident.became_aware_on:
        raise ValidationError(
            {
                "decided_on": "The decision cannot be before the local authority became aware "
                f"of the incident ({incident.became_aware_on:%-d %B %Y})."
            }
        )
    if decided_on > _today():
        raise ValidationError({"decided_on": "The decision cannot be in the future."})


def reasons_against_each_criterion(keys: Iterable[str], reasons: dict[str, str]) -> None:
    """The decision gives a reason against each of the regime's review criteria."""
    missing = [k for k in keys if not (reasons.get(k) or "").strip()]
    if missing:
        raise ValidationError(
            {"criteria_reasons": f"Give a reason against each criterion ({len(missing)} missing)."}
        )


def rapid_review_needs_notification(incident: Incident) -> None:
    """No rapid review without a prior notification to the Panel (Working Together 2023)."""
    if not incident.notified_on:
        raise ValidationError("Record the notification to the Panel before the rapid review.")


def check_rapid_review(rr: RapidReview) -> None:
    """A rapid review's meeting and sending dates are not before the notification nor in the
    future, and it is sent only with a recommendation."""
    errors: dict[str, str] = {}
    notified = rr.incident.notified_on if rr.incident_id else None
    for name in ("meeting_on", "sent_to_panel_on", "panel_response_on"):
        value = getattr(rr, name)
        if value and notified and value < notified:
            errors[name] = "The date cannot be before the notification."
        if value and value > _today():
            errors[name] = "The date cannot be in the future."
    if rr.sent_to_panel_on and not rr.recommendation:
        errors["recommendation"] = "Record the recommendation before sending the rapid review."
    if rr.panel_response and not rr.panel_response_on:
        errors["panel_response_on"] = "Give the date of the Panel's response."
    if errors:
        raise ValidationError(errors)


# --- the review ---------------------------------------------------------------------------


def check_review(review: Review) -> None:
    """A review's methodology is one from reference/reviews/methodologies.yaml; it is not
    decided before its incident; the final report date is not before the decision."""
    from .reference import reference

    errors: dict[str, str] = {}
    if review.methodology and review.methodology not in {m.key for m in reference().methodologies}:
        errors["methodology"] = "Choose a methodology from the list."
    incident = review.incident if review.incident_id else None
    if incident is not None and review.decided_on and review.decided_on < incident.incident_on:
        errors["decided_on"] = "The review cannot be decided before the incident."
    if review.completed_on and review.decided_on and review.completed_on < review.decided_on:
        errors["completed_on"] = "The final report cannot be before the review was decided."
    if review.completed_on and review.completed_on > _today():
        errors["completed_on"] = "The date cannot be in the future."
    if errors:
        raise ValidationError(errors)


def check_reviewer(reviewer: Reviewer) -> None:
    """Reviewers are independent of the case and of the agencies reviewed (Working Together):
    a reviewer who declares involvement cannot be appointed unless the Chair has recorded an
    override with a reason."""
    if reviewer.declared_involvement and not reviewer.involvement_details.strip():
        raise ValidationError({"involvement_details": "Describe the involvement declared."})
    if (
        reviewer.appointed_on
        and reviewer.declared_involvement
        and not (reviewer.override_by_id and reviewer.override_reason.strip())
    ):
        raise ValidationError(
            "This reviewer declared involvement with the case or agencies: they cannot be "
            "appointed unless the Chair records an override with a reason."
        )


def override_by_chair(user: Any, partnership: Any) -> None:
    """Only a person holding the chair role may override a declaration of involvement."""
    if not (user and user.is_authenticated and R.CHAIR in _roles(user, partnership)):
        raise ValidationError("Only the Chair can override a declaration of involvement.")


def letter_sent_needs_date(sent_on: dt.date | None) -> None:
    """A letter cannot be marked sent without the date it was sent (nor a future date)."""
    if sent_on is None:
        raise ValidationError({"sent_on": "Enter the date the letter was sent."})
    if sent_on > _today():
        raise ValidationError({"sent_on": "The date sent cannot be in the future."})


def publication_period_kept(
    published_on: dt.date | None, removed_on: dt.date, *, minimum_until: dt.date | None
) -> None:
    """A published report stays on the website for at least the regime's period (12 months)."""
    if published_on is None:
        raise ValidationError("The report has not been published.")
    if minimum_until is not None and removed_on < minimum_until:
        raise ValidationError(
            {
                "removed_on": "The report must stay published for at least 12 months, until "
                f"{minimum_until:%-d %B %Y}."
            }
        )


# --- the publication guard ----------------------------------------------------------------

MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip


@dataclass(frozen=True)
class GuardMatch:
    """One identifier found in a text: which kind, whose, and where (1-based line and
    character), with a snippet in which every identifier is masked."""

    document: str
    kind: str
    pseudonym: str
    line: int
    column: int
    snippet: str

    def __str__(self) -> str:
        return (
            f"{self.document}, line {self.line}, character {self.column}: "
            f"{self.kind} of {self.pseudonym} - \u201c{self.snippet}\u201d"
        )


def _flex(text: str) -> str:
    """A regex for `text` that allows any run of whitespace where it has some."""
    return r"\s+".join(re.escape(part) for part in text.split())


def _word(pattern: str) -> str:
    return rf"(?<![\w]){pattern}(?![\w])"


def _name_patterns(full_name: str) -> list[str]:
    """The name, and each part of it over 2 letters (first name, surname, each half of a
    hyphenated name); possessives ("Smith's") match as the word is followed by an apostrophe."""
    names: list[str] = []
    whole = full_name.strip()
    if not whole:
        return names
    names.append(_word(_flex(whole)))
    parts: list[str] = []
    for word in whole.split():
        parts.append(word)
        if "-" in word:
            parts.extend(p for p in word.split("-") if p)
    for part in parts:
        part = part.strip(".,'\u2019")
        if len(part) > 2:
            names.append(_word(re.escape(part)))
    return names


def _date_patterns(d: dt.date) -> list[str]:
    day, month, year = d.day, d.month, d.year
    yy = f"{year % 100:02d}"
    month_name = MONTHS[month - 1]
    month_alt = rf"(?:{month_name}|{month_name[:3]}\.?)"
    day_alt = rf"0?{day}(?:st|nd|rd|th)?"
    sep = r"[/.\-]"
    return [
        _word(rf"{year}{sep}0?{month}{sep}0?{day}"),
        _word(rf"0?{day}{sep}0?{month}{sep}(?:{year}|{yy})"),
        _word(rf"{day_alt}\s+(?:of\s+)?{month_alt},?\s+{year}"),
        _word(rf"{month_alt}\s+{day_alt},?\s+{year}"),
    ]


def _postcode_pattern(postcode: str) -> str | None:
    compact = re.sub(r"\s", "", postcode)
    if len(compact) < 5:
        return None
    outward, inward = compact[:-3], compact[-3:]
    return _word(rf"{re.escape(outward)}\s*{re.escape(inward)}")


def _nhs_pattern(nhs: str) -> str | None:
    digits = re.sub(r"\D", "", nhs)
    if len(digits) != 10:
        return None
    return _word(r"[\s-]?".join(digits))


def _address_patterns(address: str) -> list[str]:
    """Each line of the address that holds a number (a house and street), and the street
    without its number. A town on its own is not an identifier (it is in agency names)."""
    out: list[str] = []
    lines = [p.strip() for p in re.split(r"[\n,]", address) if p.strip()]
    for i, line in enumerate(lines):
        if not any(c.isdigit() for c in line) and i > 0:
            continue
        out.append(_word(_flex(line)))
        street = re.sub(r"^(?:flat\s+)?\d+[a-z]?\s+", "", line, flags=re.IGNORECASE).strip()
        if street and street != line and len(street) > 4:
            out.append(_word(_flex(street)))
    return out


def _other_patterns(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        value = line.split(":", 1)[1] if ":" in line else line
        value = value.strip()
        if len(value) >= 3:
            out.append(_word(_flex(value)))
    return out


def identity_patterns(identity: Any) -> list[tuple[str, re.Pattern[str]]]:
    """(kind, compiled pattern) for every identifier in a restricted record."""
    specs: list[tuple[str, str]] = []
    names = [identity.full_name, *(identity.other_names or "").splitlines()]
    for name in names:
        specs += [("name", p) for p in _name_patterns(name)]
    if identity.date_of_birth:
        specs += [("date of birth", p) for p in _date_patterns(identity.date_of_birth)]
    if identity.address:
        specs += [("address", p) for p in _address_patterns(identity.address)]
    if identity.postcode and (p := _postcode_pattern(identity.postcode)):
        specs.append(("postcode", p))
    if identity.nhs_number and (p := _nhs_pattern(identity.nhs_number)):
        specs.append(("NHS number", p))
    if identity.other_identifiers:
        specs += [("other identifier", p) for p in _other_patterns(identity.other_identifiers)]
    return [(kind, re.compile(p, re.IGNORECASE)) for kind, p in specs]


def publication_guard(
    texts: dict[str, str], identities: Iterable[Any], *, context: int = 35
) -> list[GuardMatch]:
    """The report and any briefing cannot be published while their text contains a name,
    date of birth, address, postcode, NHS number or other identifier recorded in the case's
    restricted record, including simple variants (any case; surname or first name alone
    where over two letters; possessives; each part of a hyphenated name; dates in several
    formats; postcodes and NHS numbers with or without spaces). Returns every match, with
    where it is and a snippet in which all identifiers are masked."""
    compiled = [
        (kind, identity.pseudonym, pattern)
        for identity in identities
        for kind, pattern in identity_patterns(identity)
    ]
    found: list[GuardMatch] = []
    for document, text in texts.items():
        if not text:
            continue
        for line_no, line in enumerate(text.splitlines(), start=1):
            spans: list[tuple[int, int, str, str]] = []
            for kind, pseudonym, pattern in compiled:
                for m in pattern.finditer(line):
                    spans.append((m.start(), m.end(), kind, pseudonym))
            if not spans:
                continue
            # Longest match first at each position; overlapping shorter ones are dropped.
            spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
            kept: list[tuple[int, int, str, str]] = []
            for span in spans:
                if kept and span[0] < kept[-1][1]:
                    continue
                kept.append(span)
            masked_parts: list[str] = []
            offsets: list[int] = []
            pos = 0
            length = 0
            for start, end, kind, _p in kept:
                masked_parts.append(line[pos:start])
                length += start - pos
                offsets.append(length)
                token = f"[{kind}]"
                masked_parts.append(token)
                length += len(token)
                pos = end
            masked_parts.append(line[pos:])
            masked = "".join(masked_parts)
            for (start, _end, kind, pseudonym), offset in zip(kept, offsets, strict=True):
                lo = max(0, offset - context)
                hi = min(len(masked), offset + len(kind) + 2 + context)
                snippet = (
                    ("\u2026" if lo else "")
                    + masked[lo:hi]
                    + ("\u2026" if hi < len(masked) else "")
                )
                found.append(
                    GuardMatch(document, kind, pseudonym, line_no, start + 1, snippet.strip())
                )
    return found
