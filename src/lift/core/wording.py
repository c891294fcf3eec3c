"""Sentences chosen from figures: "no meetings were held", "1 meeting was held", "3 meetings
were held". A report that prints a count prints it through these, so the words agree with
the number (GOV.UK style: numerals, "no" for zero, commas in thousands)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

from django.utils import timezone


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun for `n` things: "meeting" for 1, "meetings" otherwise."""
    return singular if n == 1 else (plural or f"{singular}s")


def counted(n: int, singular: str, plural: str | None = None, *, zero: str = "no") -> str:
    """`n` things: "no meetings", "1 meeting", "1,204 meetings"."""
    number = zero if n == 0 else f"{n:,}"
    return f"{number} {noun(n, singular, plural)}"


def was(n: int) -> str:
    """ "was" for one thing, "were" for none or several."""
    return "was" if n == 1 else "were"


def times(n: int) -> str:
    """How often: "once", "twice", "3 times" ("not at all" for 0)."""
    return {0: "not at all", 1: "once", 2: "twice"}.get(n, f"{n:,} times")


def listed(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def sentence(text: str) -> str:
    """The text with a capital first letter ("no meetings ..." -> "No meetings ...")."""
    return text[:1].upper() + text[1:]


def long_date(value: Any) -> str:
    """A date as GOV.UK style writes it: "6 December 2026" (no leading zero, the month's
    name with its capital). A date and time gives its local day; an ISO string
    ("2026-12-06") is read as a date; None and "" give "". Every date a person reads goes
    through this (templates: the ``long_date`` filter)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def stored_value(value: Any) -> str:
    """A value as JSON keeps it (the change history, snapshots) in words: an ISO date
    "2026-12-06" as "6 December 2026", an ISO date and time in local time ("6 December
    2026, 14:05"), True/False as Yes/No, lists with commas and mappings as "key: value"."""
    from django.utils import formats

    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(stored_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {stored_value(v)}" for k, v in value.items())
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            return long_date(value)
        if _ISO_DATETIME.fullmatch(value):
            with contextlib.suppress(ValueError):
                moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return formats.date_format(moment, "DATETIME_FORMAT")
    return str(value)


def shortened(text: str, limit: int = 80) -> str:
    """The text, cut at a word before `limit` characters with an ellipsis when it is
    longer: for a link or a choice whose full text is shown beside it or on its page.
    A page heading is never shortened."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return f"{cut.rstrip(' ,;:.')}…"


_WH = {"how", "when", "what", "why", "where", "who", "which", "whose", "whom"}
_BE = {"is", "are", "was", "were"}
_HAVE = {"has", "have", "had"}
_MODAL = {"will", "would", "can", "could", "should", "must", "may", "might", "shall"}
_DO = {"do", "does", "did"}
_AUX = _BE | _HAVE | _MODAL | _DO
_PRONOUNS = {"i", "we", "you", "they", "he", "she", "it", "this", "that", "there"}
_DEMONSTRATIVES = {"this", "that", "there"}  # a pronoun, or the start of "this decision"
_PREPOSITIONS = {"for", "on", "in", "to", "from", "about", "with", "of", "at", "by", "into"}
_IRREGULAR = {
    "made", "done", "given", "seen", "held", "taken", "sent", "written", "told", "known",
    "found", "met", "paid", "set", "put", "kept", "chosen", "shown", "led", "heard", "read",
    "spent", "brought", "taught", "built", "run", "begun", "been", "being", "needed",
}  # fmt: skip


def _verb_part(word: str) -> bool:
    w = word.lower().strip(",;:")
    return w in _IRREGULAR or w.endswith(("ed", "en", "ing"))


def _clause(aux: str, rest: list[str]) -> str | None:
    """`rest` (the words after the auxiliary) in statement order with `aux` put back."""
    if not rest:
        return None
    pronoun = rest[0].lower() in _PRONOUNS - _DEMONSTRATIVES or (
        rest[0].lower() in _DEMONSTRATIVES
        and (len(rest) == 1 or rest[1].lower() in {"a", "an", "the"} or _verb_part(rest[1]))
    )
    if pronoun:  # "will we know ...", "have you had ...", "is this a ..."
        return " ".join([rest[0], aux, *rest[1:]])
    if aux.lower() in _MODAL:
        return None
    tail = 0  # the verb group at the end: "measured", "being deleted", "moving", "for"
    while tail < len(rest) - 1 and (
        _verb_part(rest[-1 - tail]) or (tail == 0 and rest[-1].lower() in _PREPOSITIONS)
    ):
        tail += 1
    if tail == 0:
        return None if aux.lower() not in _BE else " ".join([*rest, aux])
    return " ".join([*rest[: len(rest) - tail], aux, *rest[len(rest) - tail :]])


def question_as_clause(question: str) -> str | None:
    """A question turned into the words an instruction can use, or None when it cannot be
    turned safely: "How was impact measured?" -> "how impact was measured", "Which agency
    leads it?" -> "which agency leads it", "Was the death expected?" -> "if the death was
    expected", "Do you want the place?" -> "if you want the place"."""
    words = question.strip().rstrip("?").split()
    if len(words) < 2:
        return None
    first = words[0].lower()
    if first in _WH:
        aux_at = [i for i, w in enumerate(words[1:], 1) if w.lower() in _AUX]
        if not aux_at or aux_at[0] > 1 or _verb_part(words[2] if len(words) > 2 else ""):
            if any(words[i].lower() in _DO for i in aux_at):
                return None  # "which area did the child live in": needs the verb's tense
            return " ".join([first, *words[1:]])  # already in statement order
        aux = words[1]
        if aux.lower() in _DO:
            if aux.lower() == "do" or (words[2].lower() in _PRONOUNS - {"it", "he", "she"}):
                return " ".join([first, *words[2:]]) if aux.lower() == "do" else None
            return None
        clause = _clause(aux, words[2:])
        return f"{first} {clause}" if clause else None
    if first in _AUX:
        if first == "do":
            return " ".join(["if", *words[1:]])
        if first in _DO:
            return None
        clause = _clause(words[0].lower(), words[1:])
        return f"if {clause}" if clause else None
    return None


def instruction(verb: str, label: str) -> str:
    """The GOV.UK error message for an answer left out: "Enter the title" for the label
    "Title", "Select how impact was measured" for "How was impact measured?" - never
    "Select how was impact measured?". A question that cannot be turned safely gives
    "<Verb> an answer"."""
    text = " ".join(str(label).split())
    if not text:
        return f"{verb} an answer"
    if not text.endswith("?"):
        return f"{verb} {text[0].lower()}{text[1:]}"
    clause = question_as_clause(text)
    return f"{verb} {clause}" if clause else f"{verb} an answer"
