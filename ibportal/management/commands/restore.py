"""Restore a backup archive written by ``manage.py backup`` (see ibportal/backup.py).

Usage::

    python manage.py restore /srv/backups/ib-portaal-2026-01-31.zip          # empty database
    python manage.py restore /srv/backups/ib-portaal-2026-01-31.zip --yes    # replace all data

Run ``migrate`` first (same code version as the backup). The whole restore is one transaction.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ibportal.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace all data and uploaded files with those of a backup archive. Refuses a "
        "database with records unless --yes (or --flush) is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="an archive written by `manage.py backup`")
        parser.add_argument(
            "--yes",
            "--flush",
            action="store_true",
            dest="replace",
            help="empty a database that has records first (everything in it is replaced)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, path, replace, database, **options):
        try:
            manifest = restore(path, replace=replace, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(manifest['counts'].values())} records and "
                f"{len(manifest['files'])} files from {path} "
                f"(backup of {manifest['created_at']}, Django {manifest['django_version']})."
            )
        )
