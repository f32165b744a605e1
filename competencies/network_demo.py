"""Demo data of the IB network (used by ``manage.py seed_demo``): board A's network with a
past meeting (agenda, minutes, attendance) and the next one, themes and documents.

Running it again updates the same rows: meetings are found by their theme, documents by
their title. The dates are set from the day of the first load.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from schools.models import Board

from .network_models import (
    Network,
    NetworkAttendance,
    NetworkDocument,
    NetworkMeeting,
    NetworkTheme,
)

THEMES = {
    "hgw": (
        "Handelingsgericht werken",
        "Van groepsoverzicht naar groepsplan: wat de leerkracht nodig heeft, en wat de IB'er "
        "daarin doet en niet doet.",
    ),
    "data": (
        "Trendanalyse in de leerteams",
        "Twee keer per jaar de opbrengsten duiden met de leerteams (LBBO-domein data, monitoring "
        "en reflectie).",
    ),
}

PAST_AGENDA = """1. Opening en mededelingen vanuit het bestuur
2. Casus (geanonimiseerd): een leerling met een OPP in groep 6
3. Handelingsgericht werken: wat vraagt de leerkracht van de IB'er?
4. Rondvraag"""

PAST_MINUTES = "\n".join(
    [
        "Aanwezig: zie presentielijst.",
        "",
        "1. Het bestuur meldt dat het SWV de aanvraagprocedure voor arrangementen vereenvoudigt.",
        "2. De casus is besproken met het format voor anonieme leerlingbesprekingen; afspraak: "
        "het format komt in de documentenlijst.",
        "3. De IB'ers herkennen dat leerkrachten de IB'er vragen leerlingen zelf te begeleiden. "
        "Afspraak: ieder bespreekt met de eigen directeur wat wel en niet bij de IB-taak hoort "
        "(rolzuiverheid).",
        "4. Geen rondvraag.",
    ]
)

NEXT_AGENDA = """1. Opening
2. De trendanalyse van de middentoetsen: voorbeelden uit twee scholen
3. Hoe bespreek je de analyse in het leerteam?
4. Afspraken voor de volgende bijeenkomst"""

# Attendance at the past meeting, by username.
ATTENDANCE = {
    "ib.regenboog": NetworkAttendance.Status.PRESENT,
    "ib.wegwijzer": NetworkAttendance.Status.PRESENT,
    "ib.kompas": NetworkAttendance.Status.EXCUSED,
    "ib.jozef": NetworkAttendance.Status.ABSENT,
    "ib.tweescholen": NetworkAttendance.Status.PRESENT,
    "ib.klein": NetworkAttendance.Status.PRESENT,
    "ib.horizon": NetworkAttendance.Status.EXCUSED,
}

# A minimal valid PDF: the demo's uploaded document.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def network_create(board: Board, users: dict) -> None:
    today = timezone.localdate()
    Network.objects.update_or_create(
        board=board,
        defaults={
            "name": "Netwerk Interne Begeleiding",
            "description": (
                "Het platform van de intern begeleiders van de stichting: zes keer per jaar een "
                "bijeenkomst over een thema, met intervisie en een casus."
            ),
            "counts_as_training": True,
            "hours_per_meeting": Decimal("2.5"),
        },
    )
    themes = {}
    for key, (title, description) in THEMES.items():
        themes[key], _ = NetworkTheme.objects.update_or_create(
            board=board, title=title, defaults={"description": description}
        )
    past = meeting_get_or_create(
        board,
        themes["hgw"],
        date=weekday(today - datetime.timedelta(days=42), WEDNESDAY),
        place="Bestuursbureau, Eersel",
        agenda=PAST_AGENDA,
        minutes=PAST_MINUTES,
    )
    meeting_get_or_create(
        board,
        themes["data"],
        date=weekday(today + datetime.timedelta(days=12), WEDNESDAY),
        place="RKBS De Regenboog, Bladel",
        agenda=NEXT_AGENDA,
        minutes="",
    )
    for username, status in ATTENDANCE.items():
        NetworkAttendance.objects.update_or_create(
            meeting=past, ib=users[username], defaults={"status": status}
        )
    NetworkDocument.objects.update_or_create(
        board=board,
        title="Passend onderwijs: handreiking van het SWV",
        defaults={"url": "https://www.passendonderwijs.nl/", "theme": themes["hgw"]},
    )
    if not NetworkDocument.objects.filter(board=board, title__startswith="Format").exists():
        NetworkDocument.objects.create(
            board=board,
            title="Format anonieme leerlingbespreking",
            theme=themes["hgw"],
            file=ContentFile(DEMO_PDF, name="format-leerlingbespreking.pdf"),
        )


WEDNESDAY = 2


def weekday(day: datetime.date, number: int) -> datetime.date:
    """The day itself or the first later day that is weekday ``number`` (0 = Monday)."""
    return day + datetime.timedelta(days=(number - day.weekday()) % 7)


def meeting_get_or_create(
    board: Board, theme: NetworkTheme, *, date, place: str, agenda: str, minutes: str
) -> NetworkMeeting:
    meeting = NetworkMeeting.objects.filter(board=board, theme=theme).first()
    if meeting is not None:
        return meeting
    return NetworkMeeting.objects.create(
        board=board,
        theme=theme,
        date=date,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(17, 30),
        place=place,
        agenda=agenda,
        minutes=minutes,
    )
