"""`lift search-index --rebuild`: build the search index again from the records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Build the search index again from the records (every partnership's, or one's). "
        "Saves keep it current; rebuild after a bulk load, a restore or a change to what is "
        "indexed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="Rebuild the index (required).")
        parser.add_argument("--partnership", help="Only this partnership (its slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        from lift.core.models import Partnership

        from ...index import rebuild

        if not options["rebuild"]:
            raise CommandError("Say what to do: --rebuild builds the index again.")
        partnership = None
        if options["partnership"]:
            partnership = Partnership.objects.filter(slug=options["partnership"]).first()
            if partnership is None:
                raise CommandError(f"No partnership with the slug {options['partnership']!r}.")
        counts = rebuild(partnership=partnership, out=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt: {sum(counts.values()):,} entries.")
        )
