"""JSON log lines with the request id, and no restricted identifier in any of them.

The base settings' LOGGING sends every record through one handler with two filters and a
formatter from here:

- `ContextFilter` puts the current request id, user id and path (`lift.core.ops.context`)
  on the record;
- `RedactFilter` replaces every restricted identifier in the message, the arguments, the
  traceback and the stack with "[restricted]": the values of the fields a model declares in
  `history_restricted` (a child's names, date of birth, NHS number, address...), noted
  whenever such a record is loaded or saved while handling the request or task
  (`track_restricted_models`, connected in CoreConfig.ready), and anything shaped like a
  valid NHS number (ten digits passing the modulus 11 check), whatever the record;
- `JsonFormatter` writes one JSON object per line: time, level, logger, message,
  request_id, user_id, path, and status, duration_ms, method and view for the request
  lines, task and task_id for the worker's, exc for a traceback.

`LIFT_LOG_FORMAT=text` (the dev settings' default) gives one plain line per record instead.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

from .context import RestrictedValues, current

REDACTED = "[restricted]"
# Values shorter than this are not redacted on their own (they would blank out common
# words); whole field values of two characters still are.
MIN_TOKEN = 3
# A name or address is also redacted part by part ("Ann", "Lee"), but never by a part that is
# an everyday word: a restricted "Flat 2 and 3, Mill Road" must not blank out every "and",
# "from" or "road" in later log lines. The whole value is still redacted wherever it appears.
_COMMON_WORDS_TEXT = """
    a an and are as at be but by for from has have in into is it its no not of off on or
    our out over so than that the their then there these they this to up was we were what
    when where which who will with you your
    all any can did does done each few her him his how may more most new now old one own
    she some such two very
    flat house road street lane close court avenue drive way place hill park green gardens
    crescent terrace square view north south east west upper lower little great
    mr mrs ms miss mx dr
"""
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
# Outside a request or task (a management command) the values seen are kept here, the
# oldest forgotten first beyond this many.
FALLBACK_LIMIT = 20_000

# Ten digits, optionally grouped 3-3-4 by spaces or hyphens (an NHS number as written).
_NHS_RE = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
# Attributes a record may carry from `extra=` that the JSON line includes.
EXTRA_FIELDS = ("status", "duration_ms", "method", "view", "task", "task_id")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number check digit (modulus 11)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _redact_nhs(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        return REDACTED if nhs_number_valid("".join(m.groups())) else m.group(0)

    return _NHS_RE.sub(sub, text)


_fallback = RestrictedValues(limit=FALLBACK_LIMIT)


def _values() -> RestrictedValues:
    ctx = current()
    return ctx.restricted if ctx is not None else _fallback


def _variants(value: Any, *, field: str) -> list[str]:
    """The strings under which `value` could appear in a log line."""
    if value is None or value == "" or isinstance(value, bool):
        return []
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return [
            value.isoformat(),
            f"{value:%d/%m/%Y}",
            f"{value.day} {value:%B %Y}",
            f"{value:%d %B %Y}",
            f"{value.day} {value:%b %Y}",
        ]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _variants(v, field=field)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _variants(v, field=field)]
    if not isinstance(value, str):
        return []
    text = value.strip()
    out = [text] if len(text) >= 2 else []
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit() and len(digits) >= 6:  # an NHS or other number, however grouped
        out += [digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}"]
        return out
    if "\n" in text:  # a longer text: each line, not each word
        out += [line.strip() for line in text.splitlines() if len(line.strip()) >= MIN_TOKEN]
    elif len(text) <= 200:  # a name, an address line, a postcode: each part too
        out += [
            part
            for part in re.split(r"[\s,]+", text)
            if len(part) >= MIN_TOKEN and part.lower() not in COMMON_WORDS
        ]
    return out


def note_restricted(instance: Any) -> None:
    """Remember the restricted values of `instance` (a model declaring `history_restricted`),
    so no log line of this request or task shows them."""
    names = getattr(type(instance), "history_restricted", ())
    if not names:
        return
    values = _values()
    loaded = instance.__dict__
    for name in names:
        try:
            attname = instance._meta.get_field(name).attname
        except Exception:
            attname = name
        if attname in loaded:  # deferred fields are not loaded, so not shown either
            for text in _variants(loaded[attname], field=name):
                values.add(text)


def redact(text: str) -> str:
    """`text` with every restricted value seen and every NHS number replaced."""
    if not text:
        return text
    pattern = _values().pattern()
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    return _redact_nhs(text)


def track_restricted_models() -> None:
    """Note the restricted values of every model declaring `history_restricted` whenever
    one is loaded or about to be saved. Called once from CoreConfig.ready."""
    from django.apps import apps
    from django.db.models.signals import post_init, pre_save

    def loaded(sender: Any, instance: Any, **kwargs: Any) -> None:
        note_restricted(instance)

    for model in apps.get_models():
        if getattr(model, "history_restricted", None):
            label = model._meta.label
            post_init.connect(loaded, sender=model, weak=False, dispatch_uid=f"ops:i:{label}")
            pre_save.connect(loaded, sender=model, weak=False, dispatch_uid=f"ops:s:{label}")


class ContextFilter(logging.Filter):
    """Puts request_id, user_id and path on every record (None outside a request/task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = current()
        record.request_id = ctx.request_id if ctx else None
        record.user_id = ctx.user_id if ctx else None
        record.path = ctx.path if ctx and ctx.path else None
        if ctx and ctx.task and not hasattr(record, "task"):
            record.task = ctx.task
            record.task_id = ctx.task_id
        return True


class RedactFilter(logging.Filter):
    """Replaces restricted identifiers in the message, traceback and stack (see redact)."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (see the module doc)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
            "path": getattr(record, "path", None),
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """A plain line for a developer's console, with the request id."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id") or record.request_id is None:
            record.request_id = "-"
        return super().format(record)


def logging_config(*, level: str, fmt: str) -> dict[str, Any]:
    """The LOGGING setting: one console handler, context and redaction, JSON or text."""
    if fmt not in {"json", "text"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LIFT_LOG_FORMAT must be json or text, not {fmt!r}")
    formatter = (
        "lift.core.ops.logs.JsonFormatter"
        if fmt == "json"
        else ("lift.core.ops.logs.TextFormatter")
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "lift.core.ops.logs.ContextFilter"},
            "redact": {"()": "lift.core.ops.logs.RedactFilter"},
        },
        "formatters": {"lift": {"()": formatter}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context", "redact"],
                "formatter": "lift",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Django's own handlers (console when DEBUG, mail_admins) replaced by ours.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        },
    }
