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

from competencies.models import AssessmentRound, Framework, HeatMapConsent, Rating
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
from tasks.models import CatalogueTask, Domain, Package, PackageItem
from tasks.services import catalogue_copy_standard
from tasks.standard_catalogue import REFERENCE_SCHOOL

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

# Task mixes: standard catalogue keys in the order a director gives them priority. A package
# takes them at the hours the sheet proposes for the school's size (hours per group or teacher
# times its groups or teachers) as long as they fit the share of the budget it fills; what
# does not fit is left out, so a small school does the core in fewer tasks, and a large school
# does more tasks, not the same tasks in inflated hours.
MIXES = {
    "breed": [
        "klassenbezoeken-met-nagesprek",
        "groepsbesprekingen",
        "trendanalyse-twee-keer-per-jaar",
        "intern-ondersteuningsteam",
        "ondersteuning-coordineren",
        "consultatie-handelingsverlegenheid",
        "overleg-directeur",
        "leerteams-ondersteunen",
        "opp-begeleiden",
        "externe-contacten",
        "aanvragen-extra-ondersteuning-tlv",
        "coaching-instructie-klassenmanagement",
        "onderwijsinhoudelijke-teambijeenkomsten",
        "schoolplan-jaarplan-opstellen",
        "toetskalender-toetsafspraken",
        "ib-werkplan",
        "nieuwe-leerkrachten-inwerken",
        "arrangementen-uitvoeren-verantwoorden",
        "meldcode-veilig-thuis",
        "teamvergaderingen-studiedagen",
        "teamprofessionalisering-regisseren",
        "zorgprotocollen-bijhouden",
        "oudergesprekken-ondersteunen",
        "overstap-voortgezet-onderwijs",
        "leerlingvolgsysteem-beheren",
        "jaarplan-evalueren",
        "ib-netwerk-kc-platform",
        "sop-zorgplan-actualiseren",
        "schoolactiviteiten",
        "kwaliteitsrapportage",
        "leerkrachten-coachen-data-analyse",
        "onderwijsassistenten-begeleiden",
        "regie-met-ketenpartners",
        "doubleren-versnellen-advies",
        "instroom-zij-instromers",
        "ondersteuningsstructuur-evalueren",
        "leerlingdossiers-bewaken",
        "doorgaande-leerlijnen",
        "collegiale-consultatie-organiseren",
        "monitor-sociaal-emotioneel",
        "effecten-ondersteuning-evalueren",
    ],
    "zorg": [
        "groepsbesprekingen",
        "intern-ondersteuningsteam",
        "consultatie-handelingsverlegenheid",
        "ondersteuning-coordineren",
        "klassenbezoeken-met-nagesprek",
        "trendanalyse-twee-keer-per-jaar",
        "opp-begeleiden",
        "aanvragen-extra-ondersteuning-tlv",
        "arrangementen-uitvoeren-verantwoorden",
        "externe-contacten",
        "leerlingobservaties",
        "overstap-voortgezet-onderwijs",
        "overleg-directeur",
        "regie-met-ketenpartners",
        "oudergesprekken-ondersteunen",
        "meldcode-veilig-thuis",
        "zorgprotocollen-bijhouden",
        "groepsplannen-handelingsplannen",
        "leerteams-ondersteunen",
        "toetskalender-toetsafspraken",
        "ib-werkplan",
        "onderwijsinhoudelijke-teambijeenkomsten",
        "teamvergaderingen-studiedagen",
        "sop-zorgplan-actualiseren",
        "leerlingvolgsysteem-beheren",
        "ondersteuningsstructuur-evalueren",
        "doubleren-versnellen-advies",
        "instroom-zij-instromers",
        "coaching-instructie-klassenmanagement",
        "schoolactiviteiten",
        "jaarplan-evalueren",
    ],
    "kwaliteit": [
        "klassenbezoeken-met-nagesprek",
        "groepsbesprekingen",
        "trendanalyse-twee-keer-per-jaar",
        "leerteams-ondersteunen",
        "intern-ondersteuningsteam",
        "ondersteuning-coordineren",
        "opp-begeleiden",
        "externe-contacten",
        "aanvragen-extra-ondersteuning-tlv",
        "teamprofessionalisering-regisseren",
        "kwaliteitsrapportage",
        "overleg-directeur",
        "coaching-instructie-klassenmanagement",
        "onderwijsinhoudelijke-teambijeenkomsten",
        "schoolplan-jaarplan-opstellen",
        "jaarplan-evalueren",
        "ib-werkplan",
        "toetskalender-toetsafspraken",
        "consultatie-handelingsverlegenheid",
        "meldcode-veilig-thuis",
        "leerkrachten-coachen-data-analyse",
        "doorgaande-leerlijnen",
        "monitor-sociaal-emotioneel",
        "sop-zorgplan-actualiseren",
        "ib-netwerk-kc-platform",
        "teamvergaderingen-studiedagen",
    ],
    "klein": [
        "klassenbezoeken-met-nagesprek",
        "groepsbesprekingen",
        "trendanalyse-twee-keer-per-jaar",
        "intern-ondersteuningsteam",
        "ondersteuning-coordineren",
        "consultatie-handelingsverlegenheid",
        "overleg-directeur",
        "opp-begeleiden",
        "externe-contacten",
        "aanvragen-extra-ondersteuning-tlv",
        "toetskalender-toetsafspraken",
        "ib-werkplan",
        "overdracht-voorschool",
        "overstap-voortgezet-onderwijs",
        "meldcode-veilig-thuis",
        "leerteams-ondersteunen",
        "zorgprotocollen-bijhouden",
        "teamvergaderingen-studiedagen",
        "schoolplan-jaarplan-opstellen",
        "onderwijsinhoudelijke-teambijeenkomsten",
    ],
}

# After its mix, a package takes these as far as they fit (left out of them: the tasks the
# 2026 stories add to a copied package, which must not be in it already).
EXTRAS = [
    "leerlingvolgsysteem-beheren",
    "arrangementen-uitvoeren-verantwoorden",
    "zorgprotocollen-bijhouden",
    "oudergesprekken-ondersteunen",
    "overstap-voortgezet-onderwijs",
    "nieuwe-leerkrachten-inwerken",
    "collegiale-consultatie-organiseren",
    "onderwijsassistenten-begeleiden",
    "groepsplannen-handelingsplannen",
    "effecten-ondersteuning-evalueren",
    "ondersteuningsstructuur-evalueren",
    "doubleren-versnellen-advies",
    "instroom-zij-instromers",
    "leerlingdossiers-bewaken",
    "inspectiebevindingen-duiden",
    "bovenschools-ondersteuningsbeleid",
    "schoolactiviteiten",
    "mr-of-schoolwerkgroep",
]

# What a school still has hours for once the catalogue's tasks are in: a project of its own,
# written on the sheet as the director's own task (title, domain).
OWN_TASKS = {
    "breed": ("Invoering van de nieuwe methode begrijpend lezen", "leren"),
    "zorg": ("Opvang en begeleiding van nieuwkomers in de taalklas", "zorg"),
    "kwaliteit": ("Schoolbrede aanpak rekenen: doelen en monitoring", "data"),
    "klein": ("Afstemming met de peuteropvang in het kindcentrum", "zorg"),
}

# Tasks counted per school year whose work still grows with the number of pupils (more OPPs,
# requests and contacts): a school larger than the catalogue's reference school of 12 groups
# gets them in proportion, as its director would.
CASELOAD = {
    "opp-begeleiden",
    "aanvragen-extra-ondersteuning-tlv",
    "arrangementen-uitvoeren-verantwoorden",
    "externe-contacten",
    "regie-met-ketenpartners",
    "oudergesprekken-ondersteunen",
    "instroom-zij-instromers",
    "doubleren-versnellen-advies",
    "overstap-voortgezet-onderwijs",
}

# Agreed packages of 2025-2026: BRIN, mix, share of the budget filled at most. The 2026
# packages below start as copies of these (package_copy_previous).
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
            transfer = demo.item(package, "overstap-voortgezet-onderwijs").hours
            demo.give_back(
                package,
                "Ik mis tijd voor de overstap naar het voortgezet onderwijs: met twee groepen 8 "
                f"is {transfer:.0f} uur te weinig.",
                {
                    "consultatie-handelingsverlegenheid": "Dit kan wat minder, de leerkrachten "
                    "zijn inmiddels goed op weg."
                },
            )
            demo.change(package, "consultatie-handelingsverlegenheid", -12)
            demo.change(package, "overstap-voortgezet-onderwijs", +12, "Twee groepen 8")
        demo.submit(package, "Het pakket zoals we het in het jaargesprek bespraken.")
        demo.accept(package, "Akkoord.")

    def _packages_2026(self, demo: DemoPackages, year) -> None:
        # akkoord: copied from last year, one task more and one less, agreed.
        if package := demo.new("11AA", year, copy=True):
            demo.change(package, "coaching-instructie-klassenmanagement", +10)
            demo.remove(package, "nieuwe-leerkrachten-inwerken")
            demo.add(package, "onderzoek-onderwijskwaliteit", 24, "Nieuw: onderzoek naar lezen")
            demo.submit(
                package,
                "Zoals besproken: het onderzoek naar ons leesonderwijs komt erbij, het inwerken "
                "van nieuwe collega's loopt dit jaar via de academie van het bestuur.",
            )
            demo.accept(package, "Akkoord, fijn dat het leesonderzoek erbij is.")
        # voorgelegd: waiting for the IB.
        if package := demo.new("11AB", year, copy=True):
            demo.change(
                package, "leerlingobservaties", +8, "Vier extra observaties bij de kleuters"
            )
            demo.submit(package, "Graag je reactie voor de herfstvakantie.")
        # teruggestuurd: the IB returned it with an overall comment and two task comments.
        if package := demo.new("11AC", year, copy=True):
            demo.remove(package, "teamprofessionalisering-regisseren")
            demo.submit(package, "Dit jaar minder teamscholing vanuit jou.")
            report = demo.item(package, "kwaliteitsrapportage").hours
            demo.give_back(
                package,
                "Ik mis de tijd voor de teamscholing die in het jaarplan staat; die loopt via "
                "mij. Kunnen we die terugzetten en de kwaliteitsrapportage inkorten?",
                {
                    "kwaliteitsrapportage": f"Dit kan van {report:.0f} naar {report / 2:.0f} uur: "
                    "het bestuur levert de cijfers voortaan aan.",
                    "leerteams-ondersteunen": "De anonieme leerlingbespreking in de leerteams "
                    "werkt goed; graag wat meer tijd.",
                },
            )
        # voorgelegd with a task that is not IB work (role purity): no package last year.
        if package := demo.new("11AD", year):
            demo.fill(package, "klein", Decimal("0.80"))
            demo.add(package, "remedial-teaching-leerlingen", 80, "Twee leerlingen in groep 5")
            demo.submit(package, "Met de RT voor twee leerlingen in groep 5, twee uur per week.")
        # heropend: agreed, then reopened; version 2 is a draft with changes (a diff).
        if package := demo.new("11AE", year, copy=True):
            demo.submit(package, "Hetzelfde als vorig jaar.")
            demo.accept(package, "Akkoord.")
            demo.reopen(
                package,
                "Na de herfstvakantie komt er een extra groep 3 bij, met een nieuwe leerkracht.",
            )
            # One teacher and one group more: three class visits and three group discussions.
            demo.change(package, "klassenbezoeken-met-nagesprek", +6, "Extra groep 3")
            demo.change(package, "groepsbesprekingen", +5, "Extra groep 3")
            demo.add(package, "leerlingobservaties", 4, "Twee observaties in de nieuwe groep 3")
            demo.remove(package, "schoolactiviteiten")
        # concept: copied and being worked on.
        if package := demo.new("11AF", year, copy=True):
            demo.change(package, "overdracht-voorschool", +6, "Nieuwe peuterspeelzaal")
        # over budget: tasks added without taking others out.
        if package := demo.new("11AJ", year, copy=True):
            demo.add(package, "onderwijsvernieuwingsprojecten", 40, "Nieuwe rekenmethode")
            demo.add(package, "regie-met-ketenpartners", 20, "Twee leerlingen met jeugdhulp")
            demo.add(package, "leerlingobservaties", 28)
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
        """Add a mix's tasks in order at the hours the sheet proposes for the school's size,
        each one that still fits in ``fill`` of the budget; never scaled to the IB's fte."""
        size = pkg.school_size(package)
        larger = max(Decimal("1"), Decimal(size.groups) / REFERENCE_SCHOOL["groups"])
        room = package.budget_hours * fill
        for key in MIXES[mix] + [key for key in EXTRAS if key not in MIXES[mix]]:
            hours = pkg.proposed_hours(self.task(package, key), size)
            if key in CASELOAD:
                hours = (hours * larger).quantize(Decimal("1"))
            if hours <= room:
                self.add(package, key, hours)
                room -= hours
        # Hours left beyond a small margin go to a project of the school's own.
        own = (room - package.budget_hours * Decimal("0.03")) // 10 * 10
        if own >= 20:
            title, code = OWN_TASKS[mix]
            pkg.item_add(
                package=package,
                actor=self.director(package),
                lock_version=package.lock_version,
                title=title,
                domain=Domain.objects.get(code=code),
                hours=own,
            )

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
