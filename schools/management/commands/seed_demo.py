"""Fictional demo data: one partnership, two boards, schools, directors, IBs and appointments.

Idempotent: running it again updates the same rows instead of adding new ones. Every demo
account has the password ``demo``. All names are invented.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from schools.models import (
    Appointment,
    Board,
    Membership,
    Partnership,
    Role,
    School,
    SchoolFigures,
    SchoolYear,
)
from schools.services import ShareInput, appointment_save
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


class Command(BaseCommand):
    help = "Load fictional demo data (idempotent). Every demo account has the password 'demo'."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
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
            appointment.kind = kind
            appointment.salary_scale = scale
            appointment.lead_school = schools[lead] if lead else None
            appointment_save(
                appointment=appointment,
                shares=[ShareInput(school=schools[b], fte=Decimal(fte)) for b, fte in shares],
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(boards)} boards, {len(schools)} schools, "
                f"{len(users)} accounts (password '{DEMO_PASSWORD}')."
            )
        )

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
