"""Database-level guards that the ORM alone cannot give."""

from __future__ import annotations

from typing import Any

from django.db import connections

APPEND_ONLY_TABLES = ("core_changelog", "core_accesslog")

_FUNCTION = """
CREATE OR REPLACE FUNCTION lift_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'LIFT history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def install_append_only_triggers(using: str = "default", **kwargs: Any) -> None:
    """On PostgreSQL, refuse UPDATE and DELETE on the change history and the access log,
    whoever connects (the product, a shell, a script). Re-run safely after every migrate."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_FUNCTION)
        for table in APPEND_ONLY_TABLES:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE "
                f"ON {table} FOR EACH ROW EXECUTE FUNCTION lift_append_only()"
            )
