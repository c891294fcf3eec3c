"""The database's full-text structures: PostgreSQL's GIN index on the entries' tsvector, or
SQLite's FTS5 table (porter stemming) kept equal to the entries by triggers. Each runs only
on its own database (a vendor check), and is safe to run again."""

from typing import Any

from django.db import migrations

from lift.search.backends import POSTGRES_DROP, POSTGRES_SQL, SQLITE_DROP, SQLITE_SQL


class VendorSQL(migrations.RunSQL):
    """RunSQL for one database vendor only."""

    def __init__(self, vendor: str, sql: list[str], reverse_sql: list[str]) -> None:
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        VendorSQL("sqlite", SQLITE_SQL, SQLITE_DROP),
        VendorSQL("postgresql", POSTGRES_SQL, POSTGRES_DROP),
    ]
