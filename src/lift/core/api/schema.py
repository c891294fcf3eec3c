"""drf-spectacular hooks: every operation documents the error answers it can give."""

from __future__ import annotations

from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")
# Every operation: bad data, not signed in, not allowed, not found (or outside the person's
# scope), throttled. Updates also: 412 when If-Match names an older version. Deletes also:
# 409 when other records depend on the one named.
ERRORS = {
    "400": "The request has errors: `errors` has the messages by field.",
    "401": "Not signed in (no valid session or token).",
    "403": "Not allowed.",
    "404": "Not found, or outside your partnership or scope (the same answer).",
    "429": "Too many requests: try again later.",
}
PRECONDITION_FAILED = (
    "412",
    "The record was changed since the version named in If-Match: nothing was saved; "
    "`current` is the saved version.",
)
IN_USE = (
    "409",
    "Other records depend on this one: nothing was deleted; `dependents` counts them by kind.",
)
ERROR_SCHEMA = {
    "type": "object",
    "description": "LIFT's one error shape (lift.core.api.exceptions).",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Messages by field (non_field_errors for the whole request).",
            "additionalProperties": True,
        },
        "current": {
            "type": "object",
            "description": "On 412: the saved version.",
            "additionalProperties": True,
        },
        "dependents": {
            "type": "array",
            "description": "On 409: how many records of each kind depend on this one.",
            "items": {
                "type": "object",
                "required": ["type", "count"],
                "properties": {"type": {"type": "string"}, "count": {"type": "integer"}},
            },
        },
    },
}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS: the error shape as a component, and as the 400, 401, 403, 404 and
    429 answers (412 too on PUT and PATCH, 409 on DELETE) of every operation that does not
    document them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for ops in result.get("paths", {}).values():
        for method, op in ops.items():
            if method not in METHODS:
                continue
            codes = dict(ERRORS)
            if method in ("put", "patch"):
                codes[PRECONDITION_FAILED[0]] = PRECONDITION_FAILED[1]
            if method == "delete":
                codes[IN_USE[0]] = IN_USE[1]
            responses = op.setdefault("responses", {})
            for code, description in sorted(codes.items()):
                responses.setdefault(code, {"description": description, "content": content})
    return result
