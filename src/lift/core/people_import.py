"""Importing people from CSV or Excel: one row per person with their first role. Every row
is checked first; a file with any bad row imports nothing, and each problem is reported by
row number (the heading row is 1) and column. Each person imported is sent an invitation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .imports import (
    Column,
    ImportResult,
    ImportSpec,
    import_all_or_nothing,
    parse_choice,
    parse_email,
    read_rows,
)
from .models import Agency, Partnership, Person
from .roles import Role
from .services import person_create


def _agency_parser(partnership: Partnership) -> Callable[[str], Agency | None]:
    by_name = {a.name.strip().lower(): a for a in Agency.objects.filter(partnership=partnership)}

    def parse(value: str) -> Agency | None:
        if not value.strip():
            return None
        agency = by_name.get(value.strip().lower())
        if agency is None:
            raise ValueError(f"“{value}” is not an agency of this partnership.")
        return agency

    return parse


def spec(partnership: Partnership) -> ImportSpec:
    return ImportSpec(
        columns=[
            Column("full name", required=True, aliases=("name",)),
            Column("email", required=True, parser=parse_email, aliases=("email address",)),
            Column("role", required=True, parser=parse_choice(Role.choices)),
            Column("agency", parser=_agency_parser(partnership)),
            Column("job title"),
            Column("phone"),
        ]
    )


def people_import(
    *, partnership: Partnership, uploaded: Any, by: Person
) -> tuple[ImportResult, list[Person]]:
    """Import people into `partnership`, each invited by `by`. Returns the checked result
    (its errors, if any) and the people created (none if any row had a problem)."""
    result = read_rows(uploaded, spec(partnership))
    seen: dict[str, int] = {}
    for row, line in zip(result.rows, result.line_numbers, strict=True):
        email = row["email"]
        if email in seen:
            result.add_error(line, "email", f"The same email address is on row {seen[email]}.")
        seen.setdefault(email, line)
    taken = set(Person.objects.filter(email__in=list(seen)).values_list("email", flat=True))
    for email in sorted(taken):
        result.add_error(seen[email], "email", f"{email} already has a LIFT account.")
    result.errors.sort()
    created: list[Person] = []

    def create(row: dict[str, Any], line: int) -> Any:
        return person_create(
            partnership=partnership,
            email=row["email"],
            full_name=row["full name"],
            role=row["role"],
            agency=row.get("agency"),
            job_title=row.get("job title") or "",
            phone=row.get("phone") or "",
            invited_by=by,
        )

    # The rows are tried once before they are written: collect keeps only those written.
    import_all_or_nothing(result, create, collect=created)
    return result, created
