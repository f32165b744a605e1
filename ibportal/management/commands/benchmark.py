"""``manage.py benchmark``: time the main pages on the configured database.

See ``ibportal/benchmark.py`` for what is measured and ``benchmarks/README.md`` for how to run
it on SQLite and PostgreSQL with the national-scale data set.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ibportal import benchmark


class Command(BaseCommand):
    help = "Time the main pages (median, p95, queries, raw-SQL floor) and write a Markdown table."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests first.")
        parser.add_argument(
            "--output",
            type=Path,
            help="Markdown file to write (default benchmarks/latest-<database>.md); "
            "the change against its previous content is shown.",
        )
        parser.add_argument("--no-write", action="store_true", help="Only print the table.")
        parser.add_argument("--only", help="Only the pages whose name contains this text.")
        parser.add_argument(
            "--profile",
            action="store_true",
            help="Instead of the table, print a cProfile of each page (use with --only).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit with an error when a page misses its target or does not answer 200.",
        )

    def handle(self, *args, repeat, warmup, output, no_write, only, profile, check, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1")
        if profile:
            benchmark.profile(only=only, repeat=repeat)
            return
        if output is None and not no_write:
            output = Path(settings.BASE_DIR) / "benchmarks" / f"latest-{connection.vendor}.md"
        try:
            results = benchmark.run(
                repeat=repeat, warmup=warmup, output=None if no_write else output, only=only
            )
        except benchmark.NoSubject as missing:
            raise CommandError(
                f"The database has no data to measure ({missing}); "
                "run `manage.py generate_scale_data` first."
            ) from missing
        if output and not no_write:
            self.stdout.write(f"Written to {output}")
        failed = [r.subject.name for r in results if r.verdict not in ("ok", "-")]
        if check and failed:
            raise CommandError(f"Missed: {', '.join(failed)}")
