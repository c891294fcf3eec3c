"""The database's own full-text search, behind one small interface.

- PostgreSQL: `SearchEntry.vector`, a tsvector of the title (weight A) and the body (weight
  B) in the English configuration (Snowball stemming), with a GIN index; ranked with
  `SearchRank`, snippets by `SearchHeadline`.
- SQLite: an FTS5 table (`search_fts`, porter stemming) over the entries' title and body,
  kept equal to them by triggers; ranked with bm25(), snippets by snippet().

Both stem the same way for the words people use: "neglected" finds "neglect". A query is
the words typed (letters and digits; punctuation ignored), all of which must match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import F, FloatField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import SearchEntry

# Markers around matched words in a snippet: characters no record's text holds, replaced by
# <mark> after the text is escaped (so a record's text is never read as HTML).
START, STOP = "\x02", "\x03"
WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12

TABLE = SearchEntry._meta.db_table
FTS = "search_fts"

# Made by migration 0002 and, for databases built from the models without migrations
# (the test suite), after `migrate` (apps.py). Each statement is safe to run again.
SQLITE_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(title, body, "
    f"content='{TABLE}', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);"
    " END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE OF title, body ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);"
    f" INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_SQL = [
    f"CREATE INDEX IF NOT EXISTS search_entry_vector ON {TABLE} USING gin (vector)",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS search_entry_vector"]


def words(query: str) -> list[str]:
    """The words of a query, at most MAX_WORDS, lower case, each once."""
    found = [w.lower() for w in WORD.findall(query or "")]
    return list(dict.fromkeys(found))[:MAX_WORDS]


def install(conn: Any = None) -> None:
    """Create the vendor's full-text structures if they are missing."""
    conn = conn or connection
    statements = {"sqlite": SQLITE_SQL, "postgresql": POSTGRES_SQL}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def refresh_vectors(entries: models.QuerySet[SearchEntry]) -> None:
    """After entries were written: PostgreSQL's tsvector (SQLite's triggers did their part)."""
    if connection.vendor != "postgresql":
        return
    entries.update(
        vector=SearchVector("title", weight="A", config="english")
        + SearchVector("body", weight="B", config="english")
    )


def _fts_query(terms: Sequence[str]) -> str:
    # Each word quoted: FTS5's operators (AND, NEAR, *, :) in what people type are words.
    return " ".join(f'"{t}"' for t in terms)


def matching(qs: models.QuerySet[SearchEntry], terms: Sequence[str]) -> models.QuerySet:
    """The entries of `qs` matching every word of `terms`, with `rank` (higher is better)."""
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(terms), config="english", search_type="plain")
        return qs.filter(vector=query).annotate(rank=SearchRank(F("vector"), query))
    expr = _fts_query(terms)
    return qs.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [expr])
    ).annotate(
        rank=RawSQL(
            f"SELECT -bm25({FTS}, 10.0, 1.0) FROM {FTS} "
            f"WHERE {FTS} MATCH %s AND {FTS}.rowid = {TABLE}.id",
            [expr],
            output_field=FloatField(),
        )
    )


def snippets(ids: Iterable[int], terms: Sequence[str]) -> dict[int, str]:
    """A short passage of each entry's text around the words matched, with the matched
    words between START and STOP (one query)."""
    ids = list(ids)
    if not ids or not terms:
        return {}
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(terms), config="english", search_type="plain")
        rows = (
            SearchEntry.objects.filter(pk__in=ids)
            .annotate(
                snippet=SearchHeadline(
                    "body",
                    query,
                    config="english",
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("pk", "snippet")
        )
        return dict(rows)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({FTS}, 1, %s, %s, ' … ', 30) FROM {FTS} "
            f"WHERE {FTS} MATCH %s AND rowid IN ({marks})",
            [START, STOP, _fts_query(terms), *ids],
        )
        return {int(pk): text or "" for pk, text in cursor.fetchall()}


def plain(snippet: str) -> str:
    return snippet.replace(START, "").replace(STOP, "")


def highlighted(snippet: str) -> SafeString:
    """The snippet as HTML: its text escaped, each matched word in <mark>."""
    out: list[str] = []
    for i, part in enumerate(re.split(f"[{START}{STOP}]", snippet)):
        text = escape(part)
        out.append(f'<mark class="lift-search__hit">{text}</mark>' if i % 2 and text else text)
    return mark_safe("".join(out))  # every part escaped above
