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

from competencies import conversations
from competencies.models import (
    AppraisalConversation,
    AssessmentRound,
    ConversationKind,
    Framework,
    Goal,
    HeatMapConsent,
    Rating,
)
from competencies.network_demo import network_create
from competencies.services import framework_copy_standard
from competencies.standard_frameworks import FRAMEWORKS
from core.versioning import UNCHECKED
from ibportal.demo_division import division_create, own_catalogue_task
from ibportal.demo_evaluation import evaluation_create
from ibportal.demo_nextyear import carry_over_create
from ibportal.demo_training import training_create
from ibportal.demo_werkplan import werkplan_create
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
    SecurityEvent,
    SingleSignOn,
)
from schools.own_hours import OwnHours
from schools.services import ShareInput, appointment_save
from tasks import packages as pkg
from tasks import realisation as rs
from tasks.models import CatalogueTask, Domain, Moment, Package, PackageEvent, PackageItem
from tasks.services import catalogue_copy_standard
from tasks.standard_catalogue import REFERENCE_SCHOOL

DEMO_PASSWORD = "demo"

PARTNERSHIP = {"code": "PO9901", "name": "SWV Passend Onderwijs De Kempenwaard"}

# Board A is a denominational (bijzonder) board of Catholic and Protestant-Christian schools,
# as most boards of the Kempen are; board B is a public (openbaar) board in the same towns. A
# board runs schools of its own kind only, so no board has both OBS and RKBS schools.
BOARDS = {
    "A": {
        "number": "49901",
        "name": "Stichting Kempenwaard Onderwijs",
        # The CAO PO's 83 h professionalisation and 40 h sustainable employability per fte: a
        # 0.6 fte IB keeps 0.6 x (1659 - 123) = 921.6 h for the package.
        "reserved_hours_per_fte": Decimal("123"),
        "min_ib_fte": Decimal("0.6"),
        "salary_scales": "LB, LC, LD",
        # 2 hours a week per group (SWV Apeldoorn): 12 groups make 0.6 fte, as at Het Kompas.
        # No separate rule for the multi-school directors: their schools follow the same norm.
        "norm_kind": Board.NormKind.GROUPS,
        "norm_hours_per_group": Decimal("2"),
        "norm_week_hours_per_fte": Decimal("40"),
        "norm_multi_school_fte": None,
        # Board A sends its figures to the partnership, as the SWV asks: `swv` sees them.
        "shares_with_partnership": True,
        # People who left are anonymised 2 years after leaving (the sector's retention period
        # for a personnel file; ib.vertrokken below is past it).
        "retention_years": 2,
    },
    "B": {
        "number": "49902",
        "name": "Stichting Openbaar Onderwijs Heuvelrand",
        # Only the 83 h professionalisation; the hours for sustainable employability are left
        # to each person.
        "reserved_hours_per_fte": Decimal("83"),
        "min_ib_fte": Decimal("0.5"),
        "salary_scales": "LB, LC, LD",
        # KempenKind's norm: 1 fte per 300 pupils, 1 fte together for a multi-school director.
        "norm_kind": Board.NormKind.PUPILS,
        "norm_pupils_per_fte": 300,
        "norm_multi_school_fte": Decimal("1"),
        # ... and KempenKind's "1 fte" as an indication for small schools: only schools below
        # 300 pupils share it; a bigger one (De Heuvelrug) has its own 1 fte per 300 pupils.
        "norm_multi_school_max_pupils": 300,
        # Realisation mid-year on 1 December, before the Christmas holiday (board A keeps the
        # defaults: 1 February and 1 July).
        "realisation_mid_year": "1-12",
        # Board B's own retention policy keeps data of people who left a year longer.
        "retention_years": 3,
    },
}

# board, BRIN, location, name, place, (pupils, groups) for 2025 and 2026. Real places of the
# Kempen (the schools in them are invented), about 25 pupils a group, fewer in the villages.
SCHOOLS = [
    ("A", "11AA", "00", "RKBS De Regenboog", "Veldhoven", (585, 22), (600, 23)),
    # Two new kindergarten groups in 2026 (see its package).
    ("A", "11AB", "00", "CBS De Wegwijzer", "Veldhoven", (405, 15), (436, 17)),
    ("A", "11AC", "00", "RKBS Het Kompas", "Veldhoven", (300, 12), (312, 12)),
    ("A", "11AD", "00", "RKBS Sint Jozef", "Hapert", (251, 10), (240, 10)),
    ("A", "11AE", "00", "RKBS De Vlinder", "Bergeijk", (176, 8), (182, 8)),
    ("A", "11AF", "00", "CBS De Zaaier", "Bergeijk", (128, 6), (121, 6)),
    ("A", "11AG", "00", "RKBS 't Klavertje", "Lage Mierde", (97, 5), (95, 5)),
    ("A", "11AH", "00", "RKBS De Linde", "Hooge Mierde", (84, 4), (80, 4)),
    ("A", "11AJ", "01", "RKBS De Horizon, locatie Zilverackers", "Veldhoven", (356, 14), (349, 14)),
    ("B", "22BA", "00", "OBS De Heuvelrug", "Veldhoven", (410, 16), (402, 16)),
    ("B", "22BB", "00", "OBS Het Zonnepad", "Eersel", (230, 9), (236, 9)),
    ("B", "22BC", "00", "OBS De Bron", "Bladel", (140, 6), (150, 6)),
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

# username, board, kind, scale, [(BRIN, fte)], lead BRIN on a tie. Scales of today's CAO PO:
# board A places the IB function in LC, board B in LD (as the model Functiebeschrijving IB
# does); a teacher who has IB as a task keeps their teacher scale (LB or LC).
APPOINTMENTS = [
    ("ib.regenboog", "A", "functie", "LC", [("11AA", "1.0")], None),
    ("ib.wegwijzer", "A", "functie", "LC", [("11AB", "0.7")], None),
    ("ib.kompas", "A", "functie", "LC", [("11AC", "0.6")], None),
    # Below the board's minimum of 0.6 fte: allowed, but flagged.
    ("ib.jozef", "A", "taak", "LB", [("11AD", "0.4")], None),
    # Spread over two schools of one director: directeur.vlinder leads all 0.8 fte.
    ("ib.tweescholen", "A", "functie", "LC", [("11AE", "0.5"), ("11AF", "0.3")], None),
    # Equal shares at the multi-school director's schools: no tie, as seed 000 sums the shares
    # per director (0.6 fte within directeur.meer's formation), so no leading school is needed.
    ("ib.klein", "A", "functie", "LC", [("11AG", "0.3"), ("11AH", "0.3")], None),
    ("ib.horizon", "A", "functie", "LC", [("11AJ", "0.6")], None),
    ("ib.heuvelrand", "B", "functie", "LD", [("22BA", "0.6"), ("22BB", "0.3")], None),
    # Below board B's minimum of 0.5 fte.
    ("ib.bron", "B", "taak", "LC", [("22BC", "0.4")], None),
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
        own_catalogue_task(boards["A"])

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
        # Before the packages: their budgets take the own hours into account.
        own_hours_create(boards["A"], users)
        for board in boards.values():
            frameworks_copy(board)
        rounds_create(boards["A"], users)
        consents_create(boards["A"], users)
        todo_examples_create(boards["A"], users)
        conversations_create(boards["A"], users)
        training_create(boards["A"], users)
        network_create(boards["A"], users)
        demo = DemoPackages(users, schools)
        for brin, mix, fill in PACKAGES_2025:
            self._package_2025(demo, years[2025], brin, mix, Decimal(fill))
        self._packages_2026(demo, years[2026])
        werkplan_create(schools)
        demo.date_history()
        realisation_create(demo, list(years.values()))
        evaluation_create(demo.directors, demo.users, list(years.values()))
        # Last: it looks at last year's evaluations and only adds one where a draft needs it.
        carry_over_create(schools)
        division_create(schools, years[2026])
        history_create(boards["A"], users, schools)
        security_events_create(users)
        leaver_create(boards["A"], schools)
        school_account_create(boards["A"])
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

# Self-assessments on board A's KempenKind matrix (its indicators). Each IB has a profile: a
# usual level and where they are stronger or weaker, written to fit the person (a teacher with
# the IB task and few hours has little of the bovenschools work yet; an IB over two schools
# looks beyond them; a 1.0 fte IB at a big school carries the school plan). Keys name a role
# (row), a role in a context, or one indicator, the most specific one counting:
#   "schoolplan", "schoolplan/team", "schoolplan/team/1" (the first indicator there).
ROLES = {"relatie": 1, "proces": 2, "afstemming": 3, "schoolplan": 4}  # row order
CONTEXTS = {"leerkracht": 1, "team": 2, "bovenschools": 3}  # column order

PROFILES: dict[str, tuple[int, dict[str, int]]] = {
    # Ilse, 1.0 fte at a big school: carries the school plan and the data, speaks for the
    # school bovenschools; lets the school's own habits stand too easily.
    "ib.regenboog": (
        3,
        {
            "schoolplan/team/1": 4,
            "schoolplan/team/2": 4,
            "relatie/bovenschools/1": 4,
            "afstemming/team": 4,
            "proces/team/1": 2,
            "proces/bovenschools/2": 2,
        },
    ),
    # Joris: close to the teachers, less at ease in front of the whole team and outside.
    "ib.wegwijzer": (
        3,
        {
            "relatie/leerkracht": 4,
            "proces/leerkracht/1": 4,
            "proces/team/1": 2,
            "proces/team/2": 2,
            "relatie/bovenschools": 2,
            "proces/bovenschools": 2,
            "afstemming/bovenschools": 2,
            "schoolplan/bovenschools": 2,
            "schoolplan/team/1": 2,
        },
    ),
    # Mirjam, 0.6 fte at the school of 300 pupils: solid throughout, reads up on new ideas,
    # still finding her place in the networks.
    "ib.kompas": (
        3,
        {
            "proces/team/3": 4,
            "proces/team/4": 4,
            "relatie/bovenschools": 2,
            "afstemming/bovenschools": 2,
            "schoolplan/bovenschools": 2,
        },
    ),
    # Femke, a teacher with the IB task at 0.4 fte: a trusted colleague for the teachers, new
    # to the data, the school plan and everything outside the school.
    "ib.jozef": (
        2,
        {
            "relatie/leerkracht": 3,
            "proces/leerkracht/1": 3,
            "schoolplan/leerkracht": 3,
            "schoolplan/team/1": 1,
            "schoolplan/team/2": 1,
            "relatie/bovenschools": 1,
            "proces/bovenschools": 1,
            "afstemming/bovenschools": 1,
            "schoolplan/bovenschools": 1,
        },
    ),
    # Daan, over two schools: compares them, coordinates with partners outside; less time for
    # each teacher.
    "ib.tweescholen": (
        3,
        {
            "proces/bovenschools": 4,
            "afstemming/bovenschools": 4,
            "relatie/leerkracht": 2,
            "proces/leerkracht/1": 2,
        },
    ),
    # Lotte, LD: the quality coordinator, strong on data and the team, more on the plan than
    # on the person.
    "ib.horizon": (
        3,
        {
            "schoolplan/team": 4,
            "proces/team/2": 4,
            "afstemming/team": 4,
            "relatie/leerkracht": 2,
            "proces/leerkracht/1": 2,
        },
    ),
    # Yara, 0.3 fte at each of two small schools: pragmatic with each teacher, little room
    # for team processes or writing the plan.
    "ib.klein": (
        2,
        {
            "relatie/leerkracht": 3,
            "schoolplan/leerkracht": 3,
            "afstemming/leerkracht": 3,
            "proces/bovenschools/1": 3,
            "schoolplan/team/2": 1,
            "proces/team/2": 1,
        },
    ),
}

# The rounds: username, date, completed, shared with the personnel-responsible director, and
# the levels this round had where the IB's profile (their latest round) has since moved: a
# step in a few indicators, sometimes none, once down. None leaves an indicator without a
# level (a draft filled in halfway).
ROUNDS: list[tuple[str, datetime.date, bool, bool, dict[str, int | None]]] = [
    (
        "ib.regenboog",
        datetime.date(2025, 10, 6),
        True,
        False,
        # A year of trend analyses in the team, and a harder year for the team's drive.
        {
            "schoolplan/team/1": 3,
            "schoolplan/team/4": 2,
            "proces/team/2": 2,
            "relatie/team/1": 4,
        },
    ),
    ("ib.regenboog", datetime.date(2026, 10, 12), True, True, {}),
    ("ib.wegwijzer", datetime.date(2026, 10, 19), True, True, {}),
    # Mirjam's first year at Het Kompas: the network and the school plan came with time.
    (
        "ib.kompas",
        datetime.date(2025, 11, 3),
        True,
        False,
        {"relatie/bovenschools/1": 1, "schoolplan/team/2": 2},
    ),
    ("ib.kompas", datetime.date(2026, 11, 2), True, False, {}),
    ("ib.jozef", datetime.date(2026, 11, 9), True, True, {}),
    (
        "ib.tweescholen",
        datetime.date(2026, 11, 16),
        False,
        False,
        {"afstemming": None, "schoolplan": None},
    ),
    # Lotte's two rounds: a year without a step, as it goes.
    ("ib.horizon", datetime.date(2025, 11, 24), True, False, {}),
    ("ib.horizon", datetime.date(2026, 11, 23), True, False, {}),
    ("ib.klein", datetime.date(2026, 11, 30), True, False, {}),
]
# A note of evidence where an IB has something to show (keys as in PROFILES).
EVIDENCE = {
    "ib.regenboog": {
        "schoolplan/team/1": "Trendanalyse rekenen na de middentoetsen met het team besproken.",
        "relatie/bovenschools/1": "Voorzitter van het IB-netwerk van het bestuur.",
    },
    "ib.wegwijzer": {
        "relatie/leerkracht/1": "Leerkrachten lopen zelf binnen met vragen over hun groep.",
    },
    "ib.kompas": {
        "proces/team/3": "Studiedag over directe instructie voorbereid met de directeur.",
    },
    "ib.jozef": {
        "schoolplan/team/1": "Eerste trendanalyse samen met de IB'er van De Regenboog gemaakt.",
    },
    "ib.horizon": {
        "schoolplan/team/1": "Na elk meetmoment een analyse per leerjaar met de bouwcoördinatoren.",
    },
    "ib.klein": {
        "afstemming/leerkracht/1": "Groepsoverzichten samen met de leerkracht bijgesteld.",
    },
}
# IBs who let their self-assessments count anonymously in board A's heat map without sharing
# them; with the shared rounds, the heat map of 2026-2027 counts six IBs.
HEATMAP_CONSENTS = ["ib.kompas", "ib.horizon", "ib.klein"]


# -- history and security events, so board staff see something ---------------------------

# Board A raised its norm from 1.5 to 2 hours a week per group before this school year, and
# Het Kompas' IB went from 0.5 to 0.6 fte at the start of it (the values the demo ends with).
NORM_CHANGE = (Decimal("1.5"), datetime.datetime(2026, 6, 15, 10, 30), "beheer.a")
FTE_CHANGE = (
    "ib.kompas",
    "11AC",
    Decimal("0.5"),
    datetime.datetime(2026, 8, 24, 9, 15),
    "bestuur.a",
)


def aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment)


def backdate_change(model, obj, *, earlier: dict, at: datetime.datetime, user) -> None:
    """Let ``obj``'s history begin with ``earlier`` values a day before ``at`` and record the
    change to its current values at ``at`` by ``user`` (once: seed_demo runs again safely)."""
    history = model.history.filter(id=obj.pk)
    if history.filter(history_user=user).exists():
        return
    history.filter(history_type="+").update(history_date=at - datetime.timedelta(days=1), **earlier)
    obj._history_user, obj._history_date = user, at
    obj.save()


def history_create(board: Board, users: dict, schools: dict) -> None:
    hours, at, username = NORM_CHANGE
    board = Board.objects.get(pk=board.pk)
    backdate_change(
        Board, board, earlier={"norm_hours_per_group": hours}, at=aware(at), user=users[username]
    )
    ib, brin, fte, at, username = FTE_CHANGE
    share = AppointmentShare.objects.get(
        appointment__ib=users[ib], appointment__start_date=START, school=schools[brin]
    )
    backdate_change(
        AppointmentShare, share, earlier={"fte": fte}, at=aware(at), user=users[username]
    )
    Appointment.history.filter(id=share.appointment_id, history_type="+").update(
        history_date=aware(at) - datetime.timedelta(days=1)
    )


# (username, kind, hours ago, network, detail)
SECURITY_EVENTS = [
    ("bestuur.a", SecurityEvent.Kind.LOGIN, 50, "192.0.2.0/24", ""),
    (
        "bestuur.a",
        SecurityEvent.Kind.EXPORT,
        49,
        "192.0.2.0/24",
        "vergelijking-stichting-kempenwaard-onderwijs-2026-2027.xlsx",
    ),
    (
        "bestuur.a",
        SecurityEvent.Kind.IMPORT,
        48,
        "192.0.2.0/24",
        "duo-leerlingen-2026-voorbeeld.csv",
    ),
    ("ib.jozef", SecurityEvent.Kind.LOGIN_FAILED, 30, "198.51.100.0/24", ""),
    ("ib.jozef", SecurityEvent.Kind.LOGIN_FAILED, 30, "198.51.100.0/24", ""),
    ("ib.jozef", SecurityEvent.Kind.LOGIN, 29, "198.51.100.0/24", ""),
    ("directeur.regenboog", SecurityEvent.Kind.LOGIN, 5, "192.0.2.0/24", ""),
    # The detail is a key (and an id), shown in the reader's language (SecurityEvent).
    ("directeur.regenboog", SecurityEvent.Kind.EXPORT, 4, "192.0.2.0/24", "own_data:HTML"),
    ("bestuur.a", SecurityEvent.Kind.TWO_FACTOR_ON, 3, "192.0.2.0/24", ""),
    ("bestuur.a", SecurityEvent.Kind.TWO_FACTOR_FAILED, 2, "192.0.2.0/24", ""),
    ("bestuur.a", SecurityEvent.Kind.LOGIN, 2, "192.0.2.0/24", "two_factor"),
]


# Board A's sign-in with the school account, as its IT partner would enter it for Microsoft
# Entra ID, but switched off: the demo has no real tenant, so the login page shows no button
# and every demo account keeps signing in with "demo". `beheer.a` finds it under /beheer/.
DEMO_TENANT = "00000000-0000-0000-0000-000000000000"


def school_account_create(board: Board) -> None:
    SingleSignOn.objects.update_or_create(
        board=board,
        kind=SingleSignOn.Kind.ENTRA,
        defaults={
            "issuer": f"https://login.microsoftonline.com/{DEMO_TENANT}/v2.0",
            "client_id": DEMO_TENANT,
            "client_secret": "demo-geen-echt-secret",
            "enabled": False,
            "required": False,
        },
    )


def security_events_create(users: dict) -> None:
    """A few days of sign-ins, exports and an import of board A's people (once)."""
    people = [users[username] for username, *_rest in SECURITY_EVENTS]
    if SecurityEvent.objects.filter(user__in=people).exists():
        return
    now = timezone.now()
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            user=users[username],
            kind=kind,
            at=now - datetime.timedelta(hours=hours),
            network=network,
            detail=detail,
        )
        for username, kind, hours, network, detail in SECURITY_EVENTS
    )


# An IB who left board A on 31 July 2023: her appointment at De Linde ended, she has no role.
LEAVER = {"username": "ib.vertrokken", "first_name": "Wendy", "last_name": "Vertrekker"}
LEAVER_PERIOD = (datetime.date(2019, 8, 1), datetime.date(2023, 7, 31))


def leaver_create(board: Board, schools: dict) -> None:
    """Board A's leaver, past its retention period: ``manage.py anonymise_leavers`` has her to
    do in the demo (``--dry-run`` first). She can still sign in (password "demo") and download
    her data under "Instellingen". Made once: after anonymisation her appointment stays (with
    the pseudonym), so she is not made again."""
    start, end = LEAVER_PERIOD
    if Appointment.objects.filter(board=board, start_date=start, end_date=end).exists():
        return
    user, created = get_user_model().objects.get_or_create(
        username=LEAVER["username"],
        defaults={**LEAVER, "email": f"{LEAVER['username']}@demo.ib-portaal.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    appointment = Appointment.objects.create(
        ib=user, board=board, kind="functie", salary_scale="LC", start_date=start, end_date=end
    )
    AppointmentShare.objects.create(
        appointment=appointment, school=schools["11AH"], fte=Decimal("0.4")
    )


def frameworks_copy(board: Board) -> None:
    """The three standard frameworks, once per board (a copy the board edited is kept)."""
    have = set(Framework.objects.filter(board=board).values_list("standard_key", flat=True))
    for key in FRAMEWORKS:
        if key not in have:
            framework_copy_standard(board=board, key=key)


def rounds_create(board: Board, users: dict) -> None:
    """Demo rounds, made directly on the models; a round that exists (by IB and date) stays,
    unless it is on an earlier version of the matrix (a demo database from before the
    indicators): then it is made again on the current one, so the heat map has its counts."""
    framework = (
        Framework.objects.filter(board=board, standard_key="kempenkind-matrix").current().get()
    )
    levels = {level.number: level for level in framework.levels.all()}
    cells = list(framework.cells.select_related("row", "column"))
    for username, date, completed, shared, changes in ROUNDS:
        ib = users[username]
        existing = AssessmentRound.objects.filter(ib=ib, board=board, date=date)
        existing.exclude(framework=framework).filter(
            framework__standard_key=framework.standard_key
        ).delete()
        if existing.exists():
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
        evidence = EVIDENCE.get(username, {})
        Rating.objects.bulk_create(
            Rating(
                round=round_,
                cell=cell,
                level=levels.get(demo_level(cell, username, changes)),
                evidence=most_specific(cell, evidence) or "",
            )
            for cell in cells
        )


def cell_keys(cell) -> list[tuple[int, ...]]:
    """The keys that can name the cell, least specific first: role, role in context, one
    indicator (as (row, column, indicator) order numbers)."""
    return [
        (cell.row.order,),
        (cell.row.order, cell.column.order),
        (cell.row.order, cell.column.order, cell.order),
    ]


def parse_key(key: str) -> tuple[int, ...]:
    parts = key.split("/")
    numbers = [ROLES[parts[0]]]
    if len(parts) > 1:
        numbers.append(CONTEXTS[parts[1]])
    if len(parts) > 2:
        numbers.append(int(parts[2]))
    return tuple(numbers)


def most_specific(cell, values: dict[str, object], default=None):
    """The value of the most specific key in ``values`` that names ``cell``, else ``default``."""
    parsed = {parse_key(key): value for key, value in values.items()}
    for key in reversed(cell_keys(cell)):
        if key in parsed:
            return parsed[key]
    return default


def demo_level(cell, username: str, changes: dict[str, int | None]) -> int | None:
    """The level number of ``cell`` in a round of ``username``: the profile's, unless this
    round had another (``changes``; None: no level)."""
    base, profile = PROFILES[username]
    level = most_specific(cell, profile, base)
    return most_specific(cell, changes, level)


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


# How long after the step before a package's step is dated (date_history); other steps, such
# as adding or changing a task, take a few minutes.
HISTORY_GAPS = {
    PackageEvent.Kind.SUBMITTED: datetime.timedelta(days=1),
    PackageEvent.Kind.AGREED: datetime.timedelta(days=3),
    PackageEvent.Kind.RETURNED: datetime.timedelta(days=3),
    PackageEvent.Kind.DRAFT: datetime.timedelta(days=1),
    PackageEvent.Kind.REOPENED: datetime.timedelta(days=14),
}


def last_at(events: list, kind: str) -> datetime.datetime:
    return [event.at for event in events if event.kind == kind][-1]


# The person's own hours (schools.own_hours), per username: kind, label, hours a school year,
# first and last school year. ib.wegwijzer is a starter (the CAO's extra hours for sustainable
# employability in the first years); ib.tweescholen has study leave this year, shared by her
# two schools in proportion to their fte.
OWN_HOURS = [
    (
        "ib.wegwijzer",
        OwnHours.Kind.SUSTAINABLE,
        "Startende IB'er (eerste twee jaar)",
        "40",
        2025,
        2026,
    ),
    ("ib.tweescholen", OwnHours.Kind.STUDY_LEAVE, "Master Educational Needs", "40", 2026, 2026),
]


def own_hours_create(board: Board, users: dict) -> None:
    for username, kind, label, hours, first, last in OWN_HOURS:
        appointment = Appointment.objects.get(ib=users[username], board=board, start_date=START)
        OwnHours.objects.update_or_create(
            appointment=appointment,
            kind=kind,
            start_year=first,
            defaults={"label": label, "hours": Decimal(hours), "end_year": last},
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


def next_weekday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def conversations_create(board: Board, users: dict) -> None:
    """ib.regenboog's conversation cycle with directeur.regenboog: last year's
    functioneringsgesprek, recorded and signed with a response, and the next one planned
    two weeks after the first load (prepared by both; the IB shared hers with her
    self-assessment of October, the director's is not shared yet). Board A keeps the default
    cycle, so the next one was due a year after the last: overdue, and planned."""
    ib, director = users["ib.regenboog"], users["directeur.regenboog"]
    appointment = Appointment.objects.with_details().get(ib=ib, board=board, start_date=START)
    # 24 November 2025; a demo loaded before early December 2025 (the tests load it on
    # earlier days) holds it ten days before the load, so that it was signed by then.
    held_on = datetime.date(2025, 11, 24)
    today = timezone.localdate()
    if today < held_on + datetime.timedelta(days=10):
        held_on = today - datetime.timedelta(days=10)
        held_on -= datetime.timedelta(days=max(0, held_on.weekday() - 4))  # a weekday
    held = AppraisalConversation.objects.filter(
        ib=ib, board=board, kind=ConversationKind.FUNCTIONING, recorded_at__isnull=False
    ).first()
    if held is None:
        held = conversations.conversation_plan(
            appointment=appointment,
            actor=director,
            kind=ConversationKind.FUNCTIONING,
            date=held_on,
        )
        for actor, text in (
            (director, "Start als IB'er op De Regenboog: hoe zijn de eerste maanden gegaan?"),
            (ib, "Groepsbesprekingen lopen goed; de trendanalyse wil ik met het team doen."),
        ):
            conversations.preparation_save(
                conversation=held, actor=actor, text=text, share=True, lock_version=UNCHECKED
            )
        conversations.report_save(
            conversation=held,
            actor=director,
            report=(
                "Ilse is goed gestart. De groepsbesprekingen zijn volgens plan gevoerd en "
                "leerkrachten weten haar te vinden. De trendanalyse maakt ze nu alleen; "
                "het team betrekken is de volgende stap."
            ),
            agreements=(
                "1. Ilse bespreekt na de M-toetsen de trendanalyse in de leerteams.\n"
                "2. Ilse volgt de module datageletterdheid van het netwerk."
            ),
            lock_version=UNCHECKED,
        )
        conversations.conversation_sign(
            conversation=held,
            actor=ib,
            response="Herkenbaar verslag. Ik wil graag tijd om de module te volgen.",
            lock_version=UNCHECKED,
        )
        AppraisalConversation.objects.filter(pk=held.pk).update(
            director_shared_at=at_noon(held_on - datetime.timedelta(days=7)),
            ib_shared_at=at_noon(held_on - datetime.timedelta(days=4)),
            recorded_at=at_noon(held_on + datetime.timedelta(days=2)),
            signed_at=at_noon(min(held_on + datetime.timedelta(days=7), today)),
        )
    planned = AppraisalConversation.objects.filter(
        ib=ib, board=board, kind=ConversationKind.FUNCTIONING, recorded_at__isnull=True
    ).first()
    if planned is None:
        planned = conversations.conversation_plan(
            appointment=appointment,
            actor=director,
            kind=ConversationKind.FUNCTIONING,
            date=next_weekday(timezone.localdate() + datetime.timedelta(days=14)),
        )
        conversations.preparation_save(
            conversation=planned,
            actor=director,
            text="Terugblik op de afspraken van vorig jaar; de werkdruk rond de toetsperiode.",
            share=False,
            lock_version=UNCHECKED,
        )
        shared = conversations.linkable_rounds(planned).first()
        conversations.preparation_save(
            conversation=planned,
            actor=ib,
            text="De trendanalyse is nu van het team. Ik wil meer tijd voor klassenbezoeken.",
            share=True,
            linked_round=shared,
            lock_version=UNCHECKED,
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
        self.new_packages: list[Package] = []

    def date_history(self) -> None:
        """Date the steps of the packages built in this run within their school year, as the
        people would have taken them: the services stamp them with today, so a 2025-2026
        package would be agreed long after its year, and a comment about the autumn break
        would come after it. Each year's packages start in September, a few days apart; a
        submission, an answer and a reopening take days, editing takes minutes."""
        by_year: dict[int, int] = {}
        for package in self.new_packages:
            start_year = package.school_year.start_year
            index = by_year[start_year] = by_year.get(start_year, -1) + 1
            moment = timezone.make_aware(
                datetime.datetime(start_year, 9, 1, 9) + datetime.timedelta(days=2 * index)
            )
            events = list(package.events.order_by("id"))
            for event in events:
                moment += HISTORY_GAPS.get(event.kind, datetime.timedelta(minutes=3))
                event.at = moment
            PackageEvent.objects.bulk_update(events, ["at"])
            Package.objects.filter(pk=package.pk).update(created_at=events[0].at)
            for version in package.versions.all():
                steps = [e for e in events if e.version_number == version.number]
                version.created_at = steps[0].at
                if version.submitted_at:
                    version.submitted_at = last_at(steps, PackageEvent.Kind.SUBMITTED)
                if version.agreed_at:
                    version.agreed_at = last_at(steps, PackageEvent.Kind.AGREED)
                version.save(update_fields=["created_at", "submitted_at", "agreed_at"])

    def new(self, brin: str, year: SchoolYear, *, copy: bool = False) -> Package | None:
        """A new draft package of the school's IB, or None when it exists (left alone)."""
        share = AppointmentShare.objects.select_related("appointment__ib", "school__board").get(
            school=self.schools[brin], appointment__start_date=START
        )
        if Package.objects.filter(share=share, school_year=year).exists():
            return None
        package = pkg.package_create(share=share, school_year=year, actor=self.director(brin))
        self.built += 1
        self.new_packages.append(package)
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


# Realisation, as a share of each task's plan due at the moment: most tasks near it, the first
# big task far over (more pupils needing support) and the last far under (a project moved).
NEAR_PLAN = [Decimal("1.0"), Decimal("0.9"), Decimal("1.1"), Decimal("0.95"), Decimal("1.05")]
FAR_OVER = (Decimal("1.6"), "Meer leerlingen met een ondersteuningsbehoefte dan verwacht.")
FAR_UNDER = (Decimal("0.4"), "Minder gedaan: een deel schuift door naar volgend schooljaar.")


def realisation_create(demo: DemoPackages, years: list[SchoolYear]) -> None:
    """Every agreed package's realisation at each moment whose date has passed on the day of
    seeding, recorded by its IB as on that date; a moment recorded before is left alone. This
    year's mid-year sheet is left partly empty: the IB is still filling it in."""
    today = timezone.localdate()
    packages = (
        Package.objects.filter(school_year__in=years)
        .with_details()
        .prefetch_related("versions__items")
    )
    current = SchoolYear.current_start_year()
    for package in packages:
        agreed = rs.agreed_version(package.versions.all())
        if agreed is None:
            continue
        done = set(package.realisations.values_list("moment", flat=True))
        items = sorted(agreed.items.all(), key=lambda item: (item.domain_id, item.title))
        big = [item for item in items if item.hours >= 20]
        far = {big[0].key: FAR_OVER, big[-1].key: FAR_UNDER} if len(big) >= 2 else {}
        for moment, day in rs.moment_dates(package).items():
            if day > today or moment in done or day > rs.record_until(package.school_year):
                continue
            share = rs.expected_share(package, moment)
            in_progress = package.school_year.start_year == current and moment == Moment.MID
            values = {}
            for n, item in enumerate(items[:-2] if in_progress else items):
                factor, note = far.get(item.key, (NEAR_PLAN[n % len(NEAR_PLAN)], ""))
                hours = (item.hours * share * factor).quantize(Decimal("1"))
                values[item.key] = rs.LineValues(hours=hours, note=note)
            rs.realisation_save(
                package=package,
                moment=moment,
                actor=demo.ib(package),
                lock_version=None,
                values=values,
                today=day,
            )
