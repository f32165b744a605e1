"""Anonymise the people who left longer ago than their board keeps their data
(``Board.retention_years``; schools/personal_data.py). Run it daily from cron or a timer, e.g.
``45 3 * * * .../manage.py anonymise_leavers``. Idempotent: a person already anonymised is
not counted again. ``--dry-run`` lists what it would do and changes nothing. The output and
the log name people by id only."""

from __future__ import annotations

import datetime
import logging
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from schools.personal_data import anonymise_person, leavers_due

logger = logging.getLogger("ibportal.retention")


class Command(BaseCommand):
    help = "Anonymise people who left longer ago than their board's retention period."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be anonymised; change nothing."
        )
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="The day to count from (tests)."
        )

    def handle(self, *args, dry_run: bool = False, today=None, **options) -> None:
        today = today or timezone.localdate()
        due = leavers_due(today)
        if dry_run:
            self.stdout.write(
                f"Dry run: {len(due)} people to anonymise"
                + (f" (ids {', '.join(map(str, due))})" if due else "")
                + "; nothing changed."
            )
            return
        totals: Counter[str] = Counter()
        users = get_user_model().objects.filter(pk__in=due)
        for user in users:
            counts = anonymise_person(user, today=today)
            totals.update(counts)
            logger.info("Retention: user %s anonymised (%s)", user.pk, format_counts(counts))
        self.stdout.write(
            f"Anonymised {len(due)} people"
            + (f" (ids {', '.join(map(str, due))})" if due else "")
            + (f": {format_counts(totals)}" if totals else "")
            + "."
        )


def format_counts(counts) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counts.items()) if value)
