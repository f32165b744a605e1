"""Fictional demo data: one partnership, two boards, schools, directors, IBs, appointments and
the IBs' task packages of 2025-2026 and 2026-2027 in every workflow state.

Idempotent: running it again updates the same rows instead of adding new ones; a task package
that exists is left alone. Every demo account has the password ``demo``. All names are invented.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from competencies.models import AssessmentRound, Framework, Goal, HeatMapConsent, Rating
from competencies.services import framework_copy_standard
from competencies.standard_frameworks import FRAMEWORKS
from schools.models import (
    Appointment,
    AppointmentShare,
    Board,
    Membership,
    Partnership,
    Role,
    School,
    SchoolFigures,
    SchoolYear,
)
from schools.services import ShareInput, appointment_save
from tasks import packages as pkg
from tasks.models import CatalogueTask, Package, PackageItem
from tasks.services import catalogue_copy_standard

DEMO_PASSWORD = "demo"

PARTNERSHIP = {"code": "PO9901", "name": "SWV Passend Onderwijs De Kempenwaard"}

BOARDS = {
    "A": {
        "number": "49901",
        "name": "Stichting Kempenwaard Onderwijs",
        "reserved_hours_per_fte": Decimal("40"),
        "min_ib_fte": Decimal("0.6"),
        "salary_scales": "LB, LC, LD",
        # Board A sends its figures to the partnership, as the SWV asks: `swv` sees them.
        "shares_with_partnership": True,
    },
    "B": {
        "number": "49902",
        "name": "Stichting Heuvelrand Scholen",
        "reserved_hours_per_fte": Decimal("0"),
        "min_ib_fte": Decimal("0.5"),
        "salary_scales": "L10, L11, L12, 9, 10, 11",
    },
}

# board, BRIN, location, name, place, (pupils, groups) for 2025 and 2026
SCHOOLS = [
    ("A", "11AA", "00", "OBS De Regenboog", "Kempenhout", (585, 22), (600, 23)),
    ("A", "11AB", "00", "CBS De Wegwijzer", "Kempenhout", (430, 16), (418, 16)),
    ("A", "11AC", "00", "OBS Het Kompas", "Heiloo aan de Dommel", (300, 12), (312, 12)),
    ("A", "11AD", "00", "RKBS Sint Jozef", "Veldhoven-Zuid", (251, 10), (240, 10)),
    ("A", "11AE", "00", "OBS De Vlinder", "Bergeijkerveld", (176, 8), (182, 8)),
    ("A", "11AF", "00", "CBS De Zaaier", "Bergeijkerveld", (128, 6), (121, 6)),
    ("A", "11AG", "00", "OBS 't Klavertje", "Lage Mierde-Oost", (97, 5), (95, 5)),
    ("A", "11AH", "00", "RKBS De Linde", "Hoogeloon-Noord", (84, 4), (80, 4)),
    ("A", "11AJ", "01", "OBS De Horizon, locatie Akkerveld", "Kempenhout", (356, 14), (349, 14)),
    ("B", "22BA", "00", "OBS De Heuvelrug", "Heuvelstad", (410, 16), (402, 16)),
    ("B", "22BB", "00", "CBS Het Zonnepad", "Heuvelstad", (230, 9), (236, 9)),
    ("B", "22BC", "00", "OBS De Bron", "Rand aan Zee", (140, 6), (150, 6)),
]

# username, first name, last name, [(role, scope key)]; scope keys: board letter, BRIN, "SWV"
PEOPLE = [
    ("bestuur.a", "Marieke", "Hollestein", [(Role.BOARD_STAFF, "A")]),
    ("beheer.a", "Gerard", "Dommelaar", [(Role.BOARD_ADMIN, "A")]),
    ("bestuur.b", "Laila", "Rozenbeek", [(Role.BOARD_STAFF, "B")]),
    ("swv", "Henk", "Polderkamp", [(Role.PARTNERSHIP_STAFF, "SWV")]),
    ("directeur.regenboog", "Sanne", "Ooievaart", [(Role.DIRECTOR, "11AA")]),
    ("directeur.wegwijzer", "Ruud", "Heidemaat", [(Role.DIRECTOR, "11AB")]),
    (
        "directeur.kompas",
        "Nadia",
        "Elzenbroek",
        [(Role.DIRECTOR, "11AC"), (Role.DIRECTOR, "11AJ")],
    ),
    ("directeur.jozef", "Tom", "Lindeloof", [(Role.DIRECTOR, "11AD")]),
    (
        "directeur.vlinder",
        "Petra",
        "Vossenkuil",
        [(Role.DIRECTOR, "11AE"), (Role.DIRECTOR, "11AF")],
    ),
    # The multi-school director of the two smallest schools.
    ("directeur.meer", "Karim", "Beukenrode", [(Role.DIRECTOR, "11AG"), (Role.DIRECTOR, "11AH")]),
    (
        "directeur.heuvelrug",
        "Eva",
        "Zandvoorde",
        [(Role.DIRECTOR, "22BA"), (Role.DIRECTOR, "22BB")],
    ),
    ("directeur.bron", "Bas", "Kreekmolen", [(Role.DIRECTOR, "22BC")]),
    ("ib.regenboog", "Ilse", "Kempelaar", [(Role.IB, "A")]),
    ("ib.wegwijzer", "Joris", "Wantveld", [(Role.IB, "A")]),
    ("ib.kompas", "Mirjam", "Brakeldonk", [(Role.IB, "A")]),
    ("ib.jozef", "Femke", "Akkerhout", [(Role.IB, "A")]),
    ("ib.tweescholen", "Daan", "Veldwachter", [(Role.IB, "A")]),
    ("ib.klein", "Yara", "Mosbeek", [(Role.IB, "A")]),
    ("ib.horizon", "Lotte", "Brugstede", [(Role.IB, "A")]),
    ("ib.heuvelrand", "Olaf", "Duinhoven", [(Role.IB, "B")]),
    ("ib.bron", "Noor", "Eikenlaan", [(Role.IB, "B")]),
]

START = datetime.date(2025, 8, 1)

# username, board, kind, scale, [(BRIN, fte)], lead BRIN on a tie
APPOINTMENTS = [
    ("ib.regenboog", "A", "functie", "LC", [("11AA", "1.0")], None),
    ("ib.wegwijzer", "A", "functie", "LC", [("11AB", "0.7")], None),
    ("ib.kompas", "A", "functie", "LB", [("11AC", "0.6")], None),
    # Below the board's minimum of 0.6 fte: allowed, but flagged.
    ("ib.jozef", "A", "taak", "LB", [("11AD", "0.4")], None),
    # Spread over two schools; the director of De Vlinder is personnel-responsible.
    ("ib.tweescholen", "A", "functie", "LC", [("11AE", "0.5"), ("11AF", "0.3")], None),
    # Equal shares at the multi-school director's schools: the leading school is chosen.
    ("ib.klein", "A", "functie", "LB", [("11AG", "0.3"), ("11AH", "0.3")], "11AG"),
    ("ib.horizon", "A", "functie", "LD", [("11AJ", "0.6")], None),
    ("ib.heuvelrand", "B", "functie", "L11", [("22BA", "0.6"), ("22BB", "0.3")], None),
    ("ib.bron", "B", "taak", "10", [("22BC", "0.4")], None),
]


# -- task packages -------------------------------------------------------------------------

# Task mixes: standard catalogue keys. A package gets the standard hours of its mix scaled to
# a share of its budget, so a 0.3 fte package holds the same kind of work in fewer hours.
MIXES = {
    "breed": [
        "klassenbezoeken-met-nagesprek",
        "leerteams-ondersteunen",
        "coaching-instructie-klassenmanagement",
        "onderwijsinhoudelijke-teambijeenkomsten",
        "nieuwe-leerkrachten-inwerken",
        "trendanalyse-twee-keer-per-jaar",
        "groepsresultaten-analyseren",
        "databespreking-leerteam",
        "toetskalender-toetsafspraken",
        "ib-werkplan",
        "overleg-directeur",
        "ondersteuning-coordineren",
        "intern-ondersteuningsteam",
        "groepsbesprekingen",
        "opp-begeleiden",
        "externe-contacten",
        "oudergesprekken-ondersteunen",
    ],
    "zorg": [
        "klassenbezoeken-met-nagesprek",
        "coaching-instructie-klassenmanagement",
        "trendanalyse-twee-keer-per-jaar",
        "leerlingvolgsysteem-beheren",
        "overleg-directeur",
        "ondersteuning-coordineren",
        "intern-ondersteuningsteam",
        "groepsbesprekingen",
        "consultatie-handelingsverlegenheid",
        "leerlingobservaties",
        "opp-begeleiden",
        "aanvragen-extra-ondersteuning-tlv",
        "externe-contacten",
        "overstap-voortgezet-onderwijs",
    ],
    "kwaliteit": [
        "klassenbezoeken-met-nagesprek",
        "leerteams-ondersteunen",
        "doorgaande-leerlijnen",
        "teamprofessionalisering-regisseren",
        "trendanalyse-twee-keer-per-jaar",
        "groepsresultaten-analyseren",
        "leerkrachten-coachen-data-analyse",
        "kwaliteitsrapportage",
        "jaarplan-evalueren",
        "monitor-sociaal-emotioneel",
        "ib-werkplan",
        "overleg-directeur",
        "ondersteuning-coordineren",
        "groepsbesprekingen",
        "anonieme-leerlingbespreking",
    ],
    "klein": [
        "klassenbezoeken-met-nagesprek",
        "trendanalyse-twee-keer-per-jaar",
        "groepsresultaten-analyseren",
        "toetskalender-toetsafspraken",
        "ib-werkplan",
        "overleg-directeur",
        "ondersteuning-coordineren",
        "intern-ondersteuningsteam",
        "groepsbesprekingen",
        "opp-begeleiden",
        "externe-contacten",
        "overdracht-voorschool",
    ],
}

# Agreed packages of 2025-2026: BRIN, mix, share of the budget filled. The 2026 packages
# below start as copies of these (package_copy_previous).
PACKAGES_2025 = [
    ("11AA", "breed", "0.96"),
    ("11AB", "zorg", "0.95"),
    ("11AC", "kwaliteit", "0.97"),
    ("11AE", "breed", "0.94"),
    ("11AF", "klein", "0.95"),
    ("11AJ", "kwaliteit", "0.96"),
    ("22BA", "zorg", "0.97"),
    ("22BC", "klein", "0.93"),
]


class Command(BaseCommand):
    help = "Load fictional demo data (idempotent). Every demo account has the password 'demo'."

    def handle(self, *args, **options) -> None:
        # The package services queue e-mail notices to IBs and directors. The demo load sends
        # them at once (never into a database queue, where a worker would mail them later), and
        # some 25 notices would flood the console backend's output, so they go to the in-memory
        # backend and are only counted; with -v 2 they are printed as usual.
        from django.test import override_settings  # test utility, used here only for this

        immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        if options["verbosity"] >= 2:
            with override_settings(TASKS=immediate):
                self._load()
            return
        sent_before = len(getattr(mail, "outbox", []))
        with override_settings(
            TASKS=immediate, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            self._load()  # the transaction commits (and mails) inside the override
        notices = len(getattr(mail, "outbox", [])) - sent_before
        if notices:
            self.stdout.write(f"{notices} e-mail notices not sent (use -v 2 to print them).")

    @transaction.atomic
    def _load(self) -> None:
        partnership, _ = Partnership.objects.update_or_create(
            code=PARTNERSHIP["code"], defaults={"name": PARTNERSHIP["name"]}
        )
        boards = {}
        for key, data in BOARDS.items():
            board, _ = Board.objects.update_or_create(
                number=data["number"], defaults={k: v for k, v in data.items() if k != "number"}
            )
            board.partnerships.add(partnership)
            catalogue_copy_standard(board=board)
            boards[key] = board

        years = {
            start: SchoolYear.objects.get_or_create(start_year=start)[0] for start in (2025, 2026)
        }
        schools = {}
        for board_key, brin, location, name, place, figures_2025, figures_2026 in SCHOOLS:
            school, _ = School.objects.update_or_create(
                brin=brin,
                location_code=location,
                defaults={
                    "board": boards[board_key],
                    "name": name,
                    "place": place,
                    "partnership": partnership,
                },
            )
            for start, (pupils, groups) in ((2025, figures_2025), (2026, figures_2026)):
                SchoolFigures.objects.update_or_create(
                    school=school,
                    school_year=years[start],
                    defaults={"pupils": pupils, "groups": groups},
                )
            schools[brin] = school

        users = self._people(boards, schools, partnership)
        self._superuser()
        for username, board_key, kind, scale, shares, lead in APPOINTMENTS:
            board = boards[board_key]
            appointment = Appointment.objects.filter(
                ib=users[username], board=board, start_date=START
            ).first() or Appointment(ib=users[username], board=board, start_date=START)
            wanted = {schools[b].pk: Decimal(fte) for b, fte in shares}
            lead_id = schools[lead].pk if lead else None
            if (
                appointment.pk
                and (appointment.kind, appointment.salary_scale, appointment.lead_school_id)
                == (kind, scale, lead_id)
                and dict(appointment.shares.values_list("school_id", "fte")) == wanted
            ):
                continue  # unchanged: saving would only touch updated_at
            appointment.kind = kind
            appointment.salary_scale = scale
            appointment.lead_school = schools[lead] if lead else None
            appointment_save(
                appointment=appointment,
                shares=[ShareInput(school=schools[b], fte=Decimal(fte)) for b, fte in shares],
            )
        for board in boards.values():
            frameworks_copy(board)
        rounds_create(boards["A"], users)
        consents_create(boards["A"], users)
        todo_examples_create(boards["A"], users)
        demo = DemoPackages(users, schools)
        for brin, mix, fill in PACKAGES_2025:
            self._package_2025(demo, years[2025], brin, mix, Decimal(fill))
        self._packages_2026(demo, years[2026])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(boards)} boards, {len(schools)} schools, "
                f"{len(users)} accounts (password '{DEMO_PASSWORD}'), "
                f"{Package.objects.count()} task packages ({demo.built} new)."
            )
        )

    # -- task packages, built through the services as directors and IBs would --------------

    def _package_2025(self, demo: DemoPackages, year, brin: str, mix: str, fill: Decimal):
        package = demo.new(brin, year)
        if package is None:
            return
        demo.fill(package, mix, fill)
        if brin == "11AB":
            # One package went back and forth before it was agreed: a history to look at.
            demo.submit(package, "Het pakket voor dit jaar, graag je reactie.")
            demo.give_back(
                package,
                "Ik mis tijd voor de overstap naar het voortgezet onderwijs.",
                {
                    "consultatie-handelingsverlegenheid": "Dit kan wat minder, de leerkrachten "
                    "zijn inmiddels goed op weg."
                },
            )
            demo.change(package, "consultatie-handelingsverlegenheid", -20)
            demo.change(package, "overstap-voortgezet-onderwijs", +20)
        demo.submit(package, "Het pakket zoals we het in het jaargesprek bespraken.")
        demo.accept(package, "Akkoord.")

    def _packages_2026(self, demo: DemoPackages, year) -> None:
        # akkoord: copied from last year, one task more and one less, agreed.
        if package := demo.new("11AA", year, copy=True):
            demo.change(package, "coaching-instructie-klassenmanagement", +10)
            demo.remove(package, "nieuwe-leerkrachten-inwerken")
            demo.add(package, "kennis-effectief-leren-delen", 30, "Nieuw: leesonderwijs")
            demo.submit(package, "Zoals besproken: de kennisdeling over lezen komt erbij.")
            demo.accept(package, "Akkoord, fijn dat de kennisdeling erbij is.")
        # voorgelegd: waiting for the IB.
        if package := demo.new("11AB", year, copy=True):
            demo.change(package, "leerlingobservaties", +10, "Twee nieuwe kleutergroepen")
            demo.submit(package, "Graag je reactie voor de herfstvakantie.")
        # teruggestuurd: the IB returned it with an overall comment and two task comments.
        if package := demo.new("11AC", year, copy=True):
            demo.remove(package, "teamprofessionalisering-regisseren")
            demo.submit(package, "Dit jaar minder teamscholing vanuit jou.")
            demo.give_back(
                package,
                "Ik mis de tijd voor de teamscholing die in het jaarplan staat; die loopt via "
                "mij. Kunnen we die terugzetten en de kwaliteitsrapportage inkorten?",
                {
                    "kwaliteitsrapportage": "Dit kan naar 12 uur: het bestuur levert de "
                    "cijfers voortaan aan.",
                    "anonieme-leerlingbespreking": "Graag uitbreiden, dit werkt goed.",
                },
            )
        # voorgelegd with a task that is not IB work (role purity): no package last year.
        if package := demo.new("11AD", year):
            demo.fill(package, "klein", Decimal("0.80"))
            demo.add(package, "remedial-teaching-leerlingen", 80, "Twee leerlingen in groep 5")
            demo.submit(package, "Ook dit jaar weer de RT voor groep 5.")
        # heropend: agreed, then reopened; version 2 is a draft with changes (a diff).
        if package := demo.new("11AE", year, copy=True):
            demo.submit(package, "Hetzelfde als vorig jaar.")
            demo.accept(package, "Akkoord.")
            demo.reopen(package, "Na de herfstvakantie komt er een extra groep 3 bij.")
            demo.change(package, "klassenbezoeken-met-nagesprek", +16)
            demo.add(package, "leerlingobservaties", 24, "Extra groep 3")
            demo.remove(package, "databespreking-leerteam")
        # concept: copied and being worked on.
        if package := demo.new("11AF", year, copy=True):
            demo.change(package, "overdracht-voorschool", +6, "Nieuwe peuterspeelzaal")
        # over budget: tasks added without taking others out.
        if package := demo.new("11AJ", year, copy=True):
            demo.add(package, "consultatie-handelingsverlegenheid", 100)
            demo.add(package, "onderwijsvernieuwingsprojecten", 40, "Nieuwe rekenmethode")
            demo.add(package, "oudergesprekken-ondersteunen", 30)
        # board B: one agreed, one draft.
        if package := demo.new("22BA", year, copy=True):
            demo.submit(package, "Zelfde pakket als vorig jaar.")
            demo.accept(package, "Akkoord.")
        demo.new("22BC", year, copy=True)

    def _people(self, boards, schools, partnership) -> dict:
        User = get_user_model()
        users = {}
        for username, first, last, roles in PEOPLE:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.ib-portaal.invalid",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            for role, key in roles:
                scope = {"board": None, "school": None, "partnership": None}
                if key == "SWV":
                    scope["partnership"] = partnership
                elif key in boards:
                    scope["board"] = boards[key]
                else:
                    scope["school"] = schools[key]
                Membership.objects.get_or_create(user=user, role=role, **scope)
            users[username] = user
        return users

    def _superuser(self) -> None:
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@demo.invalid"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])


# -- competencies ------------------------------------------------------------------------

# Self-assessments on board A's KempenKind matrix: username, date, completed, shared with the
# personnel-responsible director, level offset. ib.regenboog has two rounds: a trend.
ROUNDS = [
    ("ib.regenboog", datetime.date(2025, 10, 6), True, False, 0),
    ("ib.regenboog", datetime.date(2026, 10, 12), True, True, 1),
    ("ib.wegwijzer", datetime.date(2026, 10, 19), True, True, 2),
    ("ib.kompas", datetime.date(2026, 11, 2), True, False, 1),
    ("ib.jozef", datetime.date(2026, 11, 9), True, True, 0),
    ("ib.tweescholen", datetime.date(2026, 11, 16), False, False, 3),
    ("ib.horizon", datetime.date(2026, 11, 23), True, False, 3),
    ("ib.klein", datetime.date(2026, 11, 30), True, False, 2),
]
# IBs who let their self-assessments count anonymously in board A's heat map without sharing
# them; with the shared rounds, the heat map of 2026-2027 counts six IBs.
HEATMAP_CONSENTS = ["ib.kompas", "ib.horizon", "ib.klein"]


def frameworks_copy(board: Board) -> None:
    """The three standard frameworks, once per board (a copy the board edited is kept)."""
    have = set(Framework.objects.filter(board=board).values_list("standard_key", flat=True))
    for key in FRAMEWORKS:
        if key not in have:
            framework_copy_standard(board=board, key=key)


def rounds_create(board: Board, users: dict) -> None:
    """Demo rounds, made directly on the models; a round that exists (by IB and date) stays."""
    framework = (
        Framework.objects.filter(board=board, standard_key="kempenkind-matrix").current().get()
    )
    levels = list(framework.levels.all())
    cells = list(framework.cells.select_related("row", "column"))
    for username, date, completed, shared, offset in ROUNDS:
        ib = users[username]
        if AssessmentRound.objects.filter(ib=ib, board=board, date=date).exists():
            continue
        director = None
        if shared:
            appointment = Appointment.objects.filter(ib=ib, board=board).first()
            director = next(iter(appointment.personnel_directors), None) if appointment else None
        moment = timezone.make_aware(datetime.datetime.combine(date, datetime.time(16)))
        round_ = AssessmentRound.objects.create(
            ib=ib,
            board=board,
            framework=framework,
            date=date,
            status=AssessmentRound.Status.COMPLETED if completed else AssessmentRound.Status.DRAFT,
            completed_at=moment if completed else None,
            shared_with=director,
            shared_at=moment if director else None,
        )
        Rating.objects.bulk_create(
            Rating(
                round=round_,
                cell=cell,
                level=levels[demo_level(cell, offset)],
                evidence="Besproken in het IB-netwerk." if (cell.row.order + offset) % 3 else "",
            )
            for cell in cells
        )


def demo_level(cell, offset: int) -> int:
    """A level index (0-3): stronger in the first roles and with individual teachers, weaker
    in the later roles and outside the school, so the heat map shows a gradient."""
    return max(0, min(3, offset + 3 - cell.row.order - (cell.column.order - 1)))


def consents_create(board: Board, users: dict) -> None:
    """Open heat map consents of the demo IBs (kept when one exists)."""
    for username in HEATMAP_CONSENTS:
        moment = timezone.make_aware(datetime.datetime(2026, 10, 1, 9))
        HeatMapConsent.objects.get_or_create(
            ib=users[username],
            board=board,
            withdrawn_at=None,
            defaults={"given_at": moment},
        )


def todo_examples_create(board: Board, users: dict) -> None:
    """Something for ib.regenboog's to-do list, whose package is agreed: a development goal
    falling due (kept when it exists; its date is set from the day of the first load, so it
    is due three weeks after it). The other roles' lists show the packages' states."""
    Goal.objects.get_or_create(
        ib=users["ib.regenboog"],
        board=board,
        title="Trendanalyses bespreken in de leerteams",
        defaults={
            "description": "Na elke toetsperiode de trendanalyse met de leerteams bespreken.",
            "status": Goal.Status.IN_PROGRESS,
            "due_date": timezone.localdate() + datetime.timedelta(days=21),
        },
    )


class DemoPackages:
    """Builds demo packages through the package services, as each school's director and IB."""

    def __init__(self, users: dict, schools: dict) -> None:
        self.users = users
        self.schools = schools
        self.directors = {
            key: users[username]
            for username, _first, _last, roles in PEOPLE
            for role, key in roles
            if role == Role.DIRECTOR
        }
        self.catalogues: dict[int, dict[str, CatalogueTask]] = {}
        self.built = 0

    def new(self, brin: str, year: SchoolYear, *, copy: bool = False) -> Package | None:
        """A new draft package of the school's IB, or None when it exists (left alone)."""
        share = AppointmentShare.objects.select_related("appointment__ib", "school__board").get(
            school=self.schools[brin], appointment__start_date=START
        )
        if Package.objects.filter(share=share, school_year=year).exists():
            return None
        package = pkg.package_create(share=share, school_year=year, actor=self.director(brin))
        self.built += 1
        if copy:
            pkg.package_copy_previous(
                package=package, actor=self.director(package), lock_version=package.lock_version
            )
        return package

    def director(self, package_or_brin) -> object:
        brin = package_or_brin if isinstance(package_or_brin, str) else package_or_brin.school.brin
        return self.directors[brin]

    def ib(self, package: Package) -> object:
        return self.users[package.share.appointment.ib.username]

    def task(self, package: Package, key: str) -> CatalogueTask:
        board_id = package.share.school.board_id
        if board_id not in self.catalogues:
            self.catalogues[board_id] = {
                task.standard_key: task
                for task in CatalogueTask.objects.filter(board_id=board_id).exclude(standard_key="")
            }
        return self.catalogues[board_id][key]

    def item(self, package: Package, key: str) -> PackageItem:
        return pkg.current_version(package).items.get(task=self.task(package, key))

    def fill(self, package: Package, mix: str, fill: Decimal) -> None:
        """Add a mix's tasks, their standard hours scaled to ``fill`` of the budget."""
        tasks = [self.task(package, key) for key in MIXES[mix]]
        standard = sum(task.default_hours for task in tasks)
        scale = package.budget_hours * fill / standard
        for task in tasks:
            hours = max(Decimal("4"), (task.default_hours * scale).quantize(Decimal("1")))
            self.add(package, task.standard_key, hours)

    def add(self, package: Package, key: str, hours, note: str = "") -> None:
        pkg.item_add(
            package=package,
            actor=self.director(package),
            lock_version=package.lock_version,
            task=self.task(package, key),
            hours=Decimal(hours),
            note=note,
        )

    def change(self, package: Package, key: str, delta: int, note: str | None = None) -> None:
        item = self.item(package, key)
        pkg.item_update(
            item=item,
            actor=self.director(package),
            lock_version=package.lock_version,
            hours=item.hours + delta,
            note=item.note if note is None else note,
        )

    def remove(self, package: Package, key: str) -> None:
        pkg.item_remove(
            item=self.item(package, key),
            actor=self.director(package),
            lock_version=package.lock_version,
        )

    def submit(self, package: Package, comment: str) -> None:
        pkg.package_submit(
            package=package,
            actor=self.director(package),
            lock_version=package.lock_version,
            comment=comment,
        )

    def accept(self, package: Package, comment: str = "") -> None:
        pkg.package_review(
            package=package,
            actor=self.ib(package),
            lock_version=package.lock_version,
            accept=True,
            comment=comment,
        )

    def give_back(self, package: Package, comment: str, task_comments: dict[str, str]) -> None:
        pkg.package_review(
            package=package,
            actor=self.ib(package),
            lock_version=package.lock_version,
            accept=False,
            comment=comment,
            item_comments={self.item(package, key).pk: text for key, text in task_comments.items()},
        )

    def reopen(self, package: Package, comment: str) -> None:
        pkg.package_reopen(
            package=package,
            actor=self.director(package),
            lock_version=package.lock_version,
            comment=comment,
        )
