from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The full-text structures for a database built without migrations (the test suite
    builds its databases from the models); migration 0002 makes them otherwise."""
    from django.db import connections

    from .backends import install

    conn = connections[using]
    if "search_searchentry" in conn.introspection.table_names():
        install(conn)


def _rebuild_after_restore(sender: Any, **kwargs: Any) -> None:
    """A restored database's records were loaded raw (no indexing signals): index them."""
    from .index import rebuild

    rebuild()


class SearchConfig(AppConfig):
    name = "lift.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from . import bench, index

        index.connect()
        post_migrate.connect(_install, sender=self, dispatch_uid="lift_search_install")
        from lift.core.backup import restored

        restored.connect(_rebuild_after_restore, dispatch_uid="lift_search_restore")
        bench.register()
