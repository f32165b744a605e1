"""Build a national-scale data set for benchmarks: ``manage.py generate_scale_data``.

The generator is ``ibportal.scale`` (its docstring describes the data). Accounts, all with the
password given by ``--password`` (default ``demo``):

- ``scale-board-<n>`` board staff and ``scale-admin-<n>`` board administrator of board n;
  board 1 is the largest (150 schools at scale 1), "Stichting Grootste Bestuur (150 scholen)",
  bevoegd-gezag number 10001 (board n: 10000 + n);
- ``scale-director-<n>`` directors (one school, or two or three small schools of one board);
- ``scale-ib-<n>`` the IB of appointment n;
- ``scale-swv-<n>`` staff of partnership n.

Never run it on a production database: ``--flush`` deletes all app data and accounts.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ibportal import scale


class Command(BaseCommand):
    help = (
        "Generate a national-scale data set with bulk inserts: about 6,100 schools, 900 boards "
        "(board 1, 'Stichting Grootste Bestuur', has 150 schools), 75 partnerships, 6,000 IB "
        "appointments, three school years of task packages and self-assessment rounds. "
        "Accounts: scale-board-<n> and scale-admin-<n> (board n), scale-director-<n>, "
        "scale-ib-<n>, scale-swv-<n> (partnership n). Refuses a database that has boards "
        "unless --flush is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiplies the counts (default 1.0: the national picture; tests use 0.01).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed, the same data."
        )
        parser.add_argument(
            "--password", default="demo", help="The password of every generated account."
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help=(
                "First delete ALL data of the app (partnerships, boards, schools, appointments, "
                "packages, frameworks, rounds, ...) and every account that is not a superuser."
            ),
        )

    def handle(self, *args, **options) -> None:
        if not 0 < options["scale"] <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        try:
            counts = scale.generate(
                scale=options["scale"],
                seed=options["seed"],
                password=options["password"],
                flush=options["flush"],
                log=self.stdout.write,
            )
        except scale.DataExists as error:
            raise CommandError(str(error)) from error
        for label, count in counts.items():
            self.stdout.write(f"{label:<32}{count:>10,}")
        self.stdout.write(self.style.SUCCESS("Scale data ready."))
