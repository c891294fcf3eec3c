"""Letter templates rendered in a sandbox: Django's template language with no tags at all, a
short list of text filters, a fixed context of plain strings, and autoescaping on.

The business unit edits the text of each letter; `{{ placeholder }}` is replaced by a value
from the fixed context (`letter_context`). Nothing else is reachable: `{% ... %}` (include,
load, extends, ...) is a syntax error, `{{ a.b }}` is refused, and unknown placeholders are
refused when the template is saved. The output is HTML-escaped text; `as_plain` turns it back
into the exact plain text for documents, which escape it themselves.
"""

from __future__ import annotations

import html
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Library, TemplateSyntaxError, defaultfilters

ALLOWED_FILTERS = ("upper", "lower", "title", "capfirst", "default", "wordwrap", "truncatewords")

_library = Library()
for _name in ALLOWED_FILTERS:
    _library.filter(_name, defaultfilters.register.filters[_name])

_PLACEHOLDER = re.compile(r"\{\{\s*([^\s|}]+)")


class _SandboxEngine(Engine):
    """An engine whose only builtins are the allowed filters: no tags, no loaders."""

    default_builtins = []  # type: ignore[misc]  # no tags, no loader tags

    def get_template_builtins(self, builtins: Any) -> list[Library]:
        return [_library]


_engine = _SandboxEngine(autoescape=True, loaders=[], libraries={}, string_if_invalid="")


def placeholders_in(text: str) -> set[str]:
    """The names used as {{ placeholders }} in `text`."""
    return {m.group(1) for m in _PLACEHOLDER.finditer(text)}


def check_template(text: str, allowed: set[str], *, field: str = "body") -> None:
    """Refuse template tags, attribute lookups, unknown placeholders and syntax errors."""
    if "{%" in text:
        raise ValidationError({field: "Template tags ({% ... %}) are not allowed in letters."})
    for name in sorted(placeholders_in(text)):
        if "." in name:
            raise ValidationError({field: f"{{{{ {name} }}}}: use a placeholder on its own."})
        if name not in allowed:
            raise ValidationError(
                {
                    field: f"Unknown placeholder {{{{ {name} }}}}. "
                    f"Allowed: {', '.join(sorted(allowed))}."
                }
            )
    try:
        _engine.from_string(text)
    except TemplateSyntaxError as exc:
        raise ValidationError({field: f"The template cannot be read: {exc}"}) from exc


def render(text: str, context: dict[str, str]) -> str:
    """Render `text` with the fixed context (autoescaped)."""
    values = {k: "" if v is None else str(v) for k, v in context.items()}
    return _engine.from_string(text).render(Context(values, autoescape=True))


def as_plain(rendered: str) -> str:
    """The exact text of a rendered (escaped) letter, for documents that escape it again."""
    return html.unescape(rendered)


# --- the letter's own text ----------------------------------------------------------------
# A generated letter is a draft the business unit edits as plain text with two pieces of
# formatting: paragraphs are separated by a blank line, and lines starting "- " are a
# bulleted list. The page and the documents read the same blocks; nothing in the text is
# ever trusted as markup (templates autoescape every line, documents escape it themselves).


def text_blocks(body: str) -> list[tuple[str, list[str]]]:
    """The letter's text as blocks: ("p", the lines of one paragraph) or ("ul", the items of
    a bulleted list). Within a paragraph, a run of lines starting "- " is a list of its own."""
    blocks: list[tuple[str, list[str]]] = []
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    for para in re.split(r"\n[ \t]*\n", text):
        previous = ""
        for raw in para.split("\n"):
            line = raw.rstrip()
            if not line.strip():
                continue
            kind, value = ("ul", line[2:].strip()) if line.startswith("- ") else ("p", line)
            if kind == previous:
                blocks[-1][1].append(value)
            else:
                blocks.append((kind, [value]))
            previous = kind
    return blocks
