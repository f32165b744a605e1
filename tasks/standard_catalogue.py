"""Standard catalogue of IB tasks: the three LBBO 2022 domains, the general school duties, and
the tasks a board copies into its own catalogue.

This module is plain Python data. It has no Django imports and defines no models; a loader
copies it into the database (each board gets its own copy of the catalogue, which it can edit).

Contents
--------
``DOMAINS``
    The three domains of the LBBO standard 2022 "De intern begeleider als kwaliteitscoordinator",
    in their fixed order, each with its role (leercoordinator, trendanalist, zorgregisseur) and
    the older wording of the same domain, followed by the general school duties every staff
    member has (``is_lbbo`` false): the part of a werkverdelingsplan outside the IB's own work.
``TASKS``
    Standard tasks. Each has a stable ASCII ``key`` (never change it: board copies refer to it),
    a Dutch ``title`` and ``description``, a ``domain`` code, a ``unit`` (``year``, ``group`` or
    ``teacher``) with ``default_hours`` per unit and per school year, a ``source`` a user can look
    up, and ``is_ib_task``. Tasks that are *not* IB work are kept on purpose, marked
    ``is_ib_task=False`` with a ``not_ib_reason``: if a director puts one of them in a package,
    the app flags it as a role-purity ("rolzuiverheid") signal, and its ``usual_role`` (a
    ``tasks.models.HolderRole`` value) is who does it instead: the task division points there.
``RETIRED``
    Keys of earlier standard tasks that were merged into another (the value) or left out
    (``None``). Board copies of them are deactivated, never deleted: packages refer to them.

No double counting
------------------
Work that is one activity in practice is one task (the group discussion after the tests is where
IB'er and leerkracht analyse the group's results; the learning-team meeting holds the data and the
anonymous pupil discussion). Where two tasks touch, each description says in a "Niet:" sentence
what it leaves to the other, naming that task's title. The IB'er's own professional development
is no task at all: it belongs in the hours the board reserves per fte (CAO PO), which every
package shows beside its budget.

Sources
-------
All Dutch texts are written in our own words from the source documents; no sentences are copied.
``source`` names the document as a user can find it:

- "KempenKind beleid 2013": board policy "De intern begeleider bij Onderwijsstichting KempenKind"
  (2013), with its section (§1 position and tasks, §2 competencies, §3 training, §4 organisation).
- "SWV Apeldoorn 2016": Samenwerkingsverband Passend Onderwijs Apeldoorn PO, notitie over de
  positie en het takenpakket van de intern begeleider.
- "Functiebeschrijving IB": a model job description, with the role named where useful.
- "Competenties IB": a school's explanation of the seven IB competencies, with the competency.
- "LBBO-standaard 2022": the LBBO professional standard "De IB'er als kwaliteitscoördinator", as
  described in the TIB dossier of January 2024.
- "Wet verplichte meldcode": the Dutch act on the reporting code for domestic violence and child
  abuse (2013); "CAO PO": the collective agreement for primary education (werkverdelingsplan).

Hours
-----
The hours are this catalogue's own starting points, not figures from the sources: a source is
cited for the activity, never for its hours. ``default_hours`` is per unit: per school year, per
group or per leerkracht. The director's proposal for a school is ``default_hours`` times the
school's groups or leerkrachten in that school year; it never depends on the IB'er's fte.
Meetings are described as "n bijeenkomsten van ongeveer x uur" with their total per year.

Reference: a school of 300 pupils, 12 groups and 16 leerkrachten with a 0.6 fte IB'er has a
budget of about 920 hours after the CAO's reserved hours (0.6 x (1659 - 123)). A balanced
package from these defaults comes to about 760 hours, which leaves some 160 hours to choose
(``tests/test_reference_school.py`` builds it).
"""

from __future__ import annotations

import math
import re

DOMAINS = (
    {
        "code": "leren",
        "name": "Focus op leren & brede ontwikkeling",
        "role": "leercoördinator",
        "description": (
            "Dit domein draait om het leren van alle leerlingen, met nadruk op de "
            "basisvaardigheden binnen hun brede ontwikkeling, en om het leren van het hele team. "
            "Als leercoördinator brengt de IB'er kennis over hoe leren werkt in het team in en "
            "versterkt zij leerkrachten via klassenbezoeken, leerteams en gezamenlijke reflectie "
            "op het lesgeven. Gedeelde afspraken over effectief lesgeven vormen het kader "
            "waarbinnen de school haar onderwijs duurzaam inricht."
        ),
        "older_name": "leercoördinatie",
        "is_lbbo": True,
    },
    {
        "code": "data",
        "name": "Data, monitoring & reflectie",
        "role": "trendanalist",
        "description": (
            "Samen met de directeur houdt de trendanalist de kwaliteitscyclus van de school "
            "draaiende: beschrijven, verklaren, evalueren en verbeteren. Zij helpt leerkrachten om "
            "toetsresultaten, observaties en formatieve gegevens te duiden en om te zetten in "
            "vervolgacties, en stimuleert een onderzoekende houding op alle niveaus. De steeds "
            "terugkerende vraag is wat het aanbod oplevert en wat dat zegt over de kwaliteit van "
            "het lesgeven."
        ),
        "older_name": "trendanalyse",
        "is_lbbo": True,
    },
    {
        "code": "zorg",
        "name": "Ondersteuning & zorg",
        "role": "zorgregisseur",
        "description": (
            "De leerkracht blijft eigenaar van de ondersteuning van een leerling en is het eerste "
            "aanspreekpunt voor ouders; zorgen worden eerst in het leerteam besproken. Levert dat "
            "te weinig op, dan komt de zorgregisseur in beeld: zij overziet de basis- en extra "
            "ondersteuning, verbindt de inzet van school, ouders en externe partners en versterkt "
            "de leerkracht in het eigen handelen."
        ),
        "older_name": "zorgregie",
        "is_lbbo": True,
    },
    {
        "code": "algemeen",
        "name": "Algemene schooltaken",
        "role": "teamlid, buiten de LBBO-domeinen",
        "description": (
            "Taken die ieder personeelslid van de school heeft, zoals teamvergaderingen, "
            "studiedagen en schoolactiviteiten. Ze staan in het werkverdelingsplan en vallen "
            "buiten de drie LBBO-domeinen: ze tellen mee in het urenbudget en staan als eigen "
            "regel naast de drie domeinen."
        ),
        "older_name": "",
        "is_lbbo": False,
    },
)

# The unit a task's default hours are counted in, and the words the description uses for it.
UNITS = ("year", "group", "teacher")
UNIT_WORDS = {"year": "per schooljaar", "group": "per groep", "teacher": "per leerkracht"}

# The reference school of the catalogue's hours (and of tests/test_reference_school.py); the
# proposals use it when a school's groups are not known for the school year.
REFERENCE_SCHOOL = {"pupils": 300, "groups": 12, "teachers": 16, "fte": 0.6}

# When a school's number of leerkrachten is not known: an estimate from its groups (part-time
# work and duo jobs make about four leerkrachten for every three groups).
TEACHERS_PER_GROUP = (4, 3)


def estimated_teachers(groups: int) -> int:
    """Leerkrachten estimated from groups: 4 per 3 groups, rounded up (12 groups: 16)."""
    numerator, denominator = TEACHERS_PER_GROUP
    return math.ceil(groups * numerator / denominator)


TASKS = (
    # ------------------------------------------------------------------------------------------
    # Domein 1: Focus op leren & brede ontwikkeling (leercoördinator)
    # ------------------------------------------------------------------------------------------
    {
        "key": "klassenbezoeken-met-nagesprek",
        "title": "Klassenbezoeken met nagesprek",
        "description": (
            "Bezoekt lessen rond een vooraf gekozen thema, zoals klassenmanagement, een fase van "
            "het instructiemodel of een vakgebied, bij voorkeur aansluitend op een leervraag van "
            "de leerkracht. In het nagesprek deelt de IB'er wat zij zag, laat zij de leerkracht "
            "de eigen keuzes toelichten en gaat zij na of de afspraken uit het schoolplan in de "
            "les terugkomen; het bezoek is gericht op ontwikkeling, niet op beoordeling. Niet: "
            "een coachingstraject met een leerkracht (zie 'Leerkrachten coachen op instructie en "
            "klassenmanagement'). Rekenwaarde: 6 uur per leerkracht per schooljaar (drie "
            "bezoeken van ongeveer 2 uur, nagesprek inbegrepen)."
        ),
        "domain": "leren",
        "unit": "teacher",
        "default_hours": 6,
        "source": "LBBO-standaard 2022; KempenKind beleid 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "leerteams-ondersteunen",
        "title": "Leerteambijeenkomsten ondersteunen",
        "description": (
            "Sluit aan bij de bijeenkomsten van de leerteams, vooral om te luisteren, en stelt "
            "waar nodig een verdiepende vraag. Wel: de bespreking van de groepsgegevens in het "
            "leerteam, de anonieme leerlingbespreking met een vast format en het inbrengen van "
            "ontwikkelpunten en goede voorbeelden; na afloop plant de IB'er met de directeur de "
            "vervolgacties. Niet: de groepsbespreking met één leerkracht (zie "
            "'Groepsbesprekingen na de toetsen voeren'). Rekenwaarde: 1,5 uur per leerkracht per "
            "schooljaar (leerteams van zes tot acht leerkrachten, zes bijeenkomsten van ongeveer "
            "1,5 uur per leerteam, voorbereiding inbegrepen)."
        ),
        "domain": "leren",
        "unit": "teacher",
        "default_hours": 1.5,
        "source": "LBBO-standaard 2022",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "schoolplan-jaarplan-opstellen",
        "title": "Schoolplan en jaarplan mee opstellen",
        "description": (
            "Schrijft samen met de directeur het onderwijskundige deel van het vierjarige "
            "schoolplan en van het jaarplan, en verzamelt daarvoor de gegevens over resultaten, "
            "leerlingen en ondersteuning. Werkt de visie van de school op leren uit in "
            "voorstellen om het aanbod over meerdere jaren te verbeteren. Niet: de evaluatie van "
            "het lopende jaarplan (zie 'Jaarplan evalueren met de directeur'). Rekenwaarde: 24 "
            "uur per schooljaar (het schoolplan gemiddeld over vier jaar, plus het jaarplan)."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 24,
        "source": "KempenKind beleid 2013 §1; Functiebeschrijving IB, orthodidacticus",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "coaching-instructie-klassenmanagement",
        "title": "Leerkrachten coachen op instructie en klassenmanagement",
        "description": (
            "Begeleidt individuele leerkrachten in een kort coachingstraject bij de organisatie "
            "van de les, de instructie en de reflectie op het eigen handelen. Sluit aan bij wat "
            "de leerkracht zelf wil leren en bij de schoolafspraken over effectief lesgeven. "
            "Niet: de klassenbezoeken die iedere leerkracht krijgt (zie 'Klassenbezoeken met "
            "nagesprek'). Rekenwaarde: 40 uur per schooljaar (ongeveer vier trajecten van 10 "
            "uur)."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 40,
        "source": "KempenKind beleid 2013 §1; Functiebeschrijving IB, professionalisering",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "teamprofessionalisering-regisseren",
        "title": "Teamscholing en kennisdeling over effectief lesgeven regisseren",
        "description": (
            "Bepaalt met de directeur welke scholing het team nodig heeft om de schooldoelen te "
            "halen, bereidt de inhoud van studiedagen voor en brengt kennis over leren en "
            "lesgeven in, bijvoorbeeld door samen literatuur te lezen. Volgt nieuwe inzichten en "
            "methodes en beoordeelt wat bruikbaar is voor de school. Niet: het bijpraten over "
            "resultaten en afspraken (zie 'Team bijpraten over resultaten en afspraken'). "
            "Rekenwaarde: 24 uur per schooljaar."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 24,
        "source": (
            "Functiebeschrijving IB, regisseur; LBBO-standaard 2022; Competenties IB, innovatief"
        ),
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "onderwijsinhoudelijke-teambijeenkomsten",
        "title": "Team bijpraten over resultaten en afspraken",
        "description": (
            "Bereidt de team- en bouwvergaderingen voor waarin het team hoort hoe de school "
            "ervoor staat, en leidt ze: de schoolbrede resultaten en de acties na elke "
            "trendanalyse, de voortgang van het schoolplan en de afspraken over de "
            "ondersteuningsstructuur en de zorgroute. Legt de afspraken kort vast. Dit is de "
            "enige taak voor het informeren van het team. Niet: scholing en kennisdeling (zie "
            "'Teamscholing en kennisdeling over effectief lesgeven regisseren'). Rekenwaarde: 20 "
            "uur per schooljaar (vijf bijeenkomsten van ongeveer 1,5 uur, met 2,5 uur "
            "voorbereiding elk)."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 20,
        "source": "KempenKind beleid 2013 §1; LBBO-standaard 2022; Competenties IB, andragogisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "doorgaande-leerlijnen",
        "title": "Doorgaande leerlijnen ontwikkelen en bewaken",
        "description": (
            "Brengt in kaart hoe de leerlijnen van groep 1 tot en met 8 op elkaar aansluiten, "
            "zoekt uit waar de lijn hapert en adviseert over verbeteringen. Zorgt dat onderbouw "
            "en bovenbouw van elkaars doelen op de hoogte zijn. Niet: de schoolbrede analyse van "
            "de resultaten (zie 'Trendanalyse na de methodeonafhankelijke toetsen'). "
            "Rekenwaarde: 16 uur per schooljaar."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 16,
        "source": (
            "KempenKind beleid 2013 §1; Functiebeschrijving IB; Competenties IB, methodologisch"
        ),
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "collegiale-consultatie-organiseren",
        "title": "Collegiale consultatie en feedback tussen leerkrachten organiseren",
        "description": (
            "Koppelt een leerkracht met een ontwikkelpunt aan een collega bij wie dat al goed "
            "gaat en regelt dat zij bij elkaar kunnen meekijken en elkaar feedback geven. Zo "
            "benut de school de expertise die al in het team zit. Rekenwaarde: 12 uur per "
            "schooljaar."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 12,
        "source": "LBBO-standaard 2022; Functiebeschrijving IB, orthodidacticus",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "nieuwe-leerkrachten-inwerken",
        "title": "Nieuwe leerkrachten meenemen in de visie op leren",
        "description": (
            "Maakt nieuwe collega's wegwijs in de afspraken over lesgeven, de kwaliteitscyclus en "
            "de ondersteuningsroute van de school. Wijst hen op passend scholingsaanbod binnen "
            "het bestuur. Rekenwaarde: 12 uur per schooljaar (ongeveer drie nieuwe leerkrachten "
            "van 4 uur)."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 12,
        "source": "LBBO-standaard 2022",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "onderwijsassistenten-begeleiden",
        "title": "Onderwijsassistenten en leraarondersteuners begeleiden",
        "description": (
            "Helpt onderwijsassistenten en leraarondersteuners bij hun didactische vragen en bij "
            "de extra ondersteuning die zij aan groepjes leerlingen geven, zodat die aansluit op "
            "het groepsplan van de leerkracht. Rekenwaarde: 12 uur per schooljaar (ongeveer "
            "twee assistenten, zes overleggen van een uur en een lesbezoek elk)."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 12,
        "source": "Functiebeschrijving IB, doel van de functie en professionalisering",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "onderwijsvernieuwingsprojecten",
        "title": "Bijdragen aan onderwijsvernieuwingsprojecten",
        "description": (
            "Neemt deel aan of trekt een project dat het onderwijs vernieuwt, zoals de invoering "
            "van een nieuwe methode, vaak samen met andere disciplines. Adviseert de directeur "
            "over de opbrengst en over hoe de vernieuwing een vaste plek in de school krijgt. "
            "Rekenwaarde: 24 uur per schooljaar (één project)."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 24,
        "source": "Functiebeschrijving IB, trendanalist",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "ib-netwerk-kc-platform",
        "title": "Deelnemen aan het IB-netwerk of KC-platform van het bestuur",
        "description": (
            "Komt een aantal keren per jaar bovenschools samen met de andere IB'ers of "
            "kwaliteitscoördinatoren van het bestuur om ervaringen en goede voorbeelden uit te "
            "wisselen. Wel: de bijeenkomsten waarin de scholen hun voortgang en trends "
            "vergelijken en werkzame interventies van elkaar meenemen. Niet: eigen scholing of "
            "cursussen, die vallen in de gereserveerde uren voor professionalisering. "
            "Rekenwaarde: 16 uur per schooljaar (zes bijeenkomsten van ongeveer 2,5 uur, reistijd "
            "inbegrepen)."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 16,
        "source": "LBBO-standaard 2022; KempenKind beleid 2013 §1, §3",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "overleg-directeur",
        "title": "Vast overleg met de directeur",
        "description": (
            "Heeft wekelijks of tweewekelijks overleg met de directeur over de voortgang van het "
            "werkplan, de schoolontwikkeling en signalen uit de groepen, en legt daar "
            "verantwoording af over de eigen taken. Het overleg gaat over alle drie de domeinen; "
            "het staat bij leercoördinatie omdat het de ontwikkeling van de school stuurt. "
            "Rekenwaarde: 30 uur per schooljaar (ongeveer dertig overleggen van een uur)."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 30,
        "source": "Functiebeschrijving IB, speelruimte; KempenKind beleid 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "invallen-lesgeven",
        "title": "Invallen of lesgeven in een groep",
        "description": (
            "De IB'er neemt de groep over bij ziekte of afwezigheid van een leerkracht, of geeft "
            "vaste lesuren in een groep binnen de uren die voor interne begeleiding bedoeld zijn. "
            "Rekenwaarde: 40 uur per schooljaar."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 40,
        "source": "KempenKind beleid 2013 §1",
        "is_ib_task": False,
        "usual_role": "groepsleerkrachten",
        "not_ib_reason": (
            "KempenKind bepaalt uitdrukkelijk dat de IB'er niet inzetbaar is voor het gewone "
            "werk in een groep, zoals lesgeven (KempenKind beleid 2013 §1); uren die hieraan "
            "opgaan, gaan af van het werk aan de onderwijskwaliteit."
        ),
    },
    {
        "key": "leerkrachten-beoordelen",
        "title": "Leerkrachten beoordelen of beoordelingsgesprekken voeren",
        "description": (
            "De IB'er beoordeelt het functioneren van leerkrachten, voert "
            "beoordelingsgesprekken of gebruikt klassenbezoeken als instrument voor de "
            "beoordeling. Rekenwaarde: 16 uur per schooljaar."
        ),
        "domain": "leren",
        "unit": "year",
        "default_hours": 16,
        "source": "LBBO-standaard 2022; KempenKind beleid 2013 §4",
        "is_ib_task": False,
        "usual_role": "directeur",
        "not_ib_reason": (
            "Volgens de beroepsstandaard heeft de kwaliteitscoördinator geen beoordelende rol en "
            "werkt zij vanuit vertrouwen (LBBO-standaard 2022); als staffunctionaris legt de "
            "IB'er ook geen sancties op, dat blijft bij de directeur (KempenKind beleid 2013 §4)."
        ),
    },
    # ------------------------------------------------------------------------------------------
    # Domein 2: Data, monitoring & reflectie (trendanalist)
    # ------------------------------------------------------------------------------------------
    {
        "key": "trendanalyse-twee-keer-per-jaar",
        "title": "Trendanalyse na de methodeonafhankelijke toetsen",
        "description": (
            "Analyseert twee keer per jaar de resultaten van de hele school over groepen en jaren "
            "heen en zet ze af tegen de doelen van de school, ook tegen de referentieniveaus voor "
            "taal en rekenen. Benoemt wat behouden moet blijven, waar de school op moet inzetten "
            "en welke knelpunten of kansen er zijn, en betrekt daarbij wat in klassenbezoeken is "
            "gezien. Niet: de bespreking per groep (zie 'Groepsbesprekingen na de toetsen "
            "voeren') en het vergelijken met andere scholen (zie 'Deelnemen aan het IB-netwerk of "
            "KC-platform van het bestuur'). Rekenwaarde: 32 uur per schooljaar (twee analyses "
            "van ongeveer 16 uur, rapportage inbegrepen)."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 32,
        "source": "LBBO-standaard 2022; Functiebeschrijving IB, trendanalist",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "groepsbesprekingen",
        "title": "Groepsbesprekingen na de toetsen voeren",
        "description": (
            "Bespreekt na elke toetsperiode met de leerkracht de groep: samen analyseren zij de "
            "resultaten en het groepsoverzicht, bekijken zij hoe het aanbod werkt en welke "
            "leerlingen extra aandacht vragen, en spreken zij de aanpak voor de komende periode "
            "af. Niet: de schoolbrede analyse (zie 'Trendanalyse na de methodeonafhankelijke "
            "toetsen'). Rekenwaarde: 5,3 uur per groep per schooljaar (drie besprekingen van "
            "ongeveer 1,75 uur, voorbereiding inbegrepen)."
        ),
        "domain": "data",
        "unit": "group",
        "default_hours": 5.3,
        "source": (
            "KempenKind beleid 2013 §1; "
            "Competenties IB, andragogisch; Functiebeschrijving IB, regisseur"
        ),
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "leerkrachten-coachen-data-analyse",
        "title": "Leerkrachten coachen bij het duiden van hun eigen data",
        "description": (
            "Helpt leerkrachten om de gegevens van hun groep zelf te analyseren, ook formatieve "
            "informatie, en daar hun groepsplan op te baseren, zodat zij steeds zelfstandiger met "
            "data werken. Niet: de vaste besprekingen na de toetsen (zie 'Groepsbesprekingen na "
            "de toetsen voeren'). Rekenwaarde: 1 uur per leerkracht per schooljaar."
        ),
        "domain": "data",
        "unit": "teacher",
        "default_hours": 1,
        "source": "Functiebeschrijving IB, trendanalist",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "toetskalender-toetsafspraken",
        "title": "Toetskalender opstellen en toetsafspraken bewaken",
        "description": (
            "Maakt elk jaar de toetskalender van de school en ziet erop toe dat de afspraken van "
            "het bestuur over toetsing worden nagekomen: toetsen op tijd en op de afgesproken "
            "manier afgenomen. Rekenwaarde: 8 uur per schooljaar."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 8,
        "source": "KempenKind beleid 2013 §1; Competenties IB, organisatorisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "leerlingvolgsysteem-beheren",
        "title": "Leerlingvolgsysteem inrichten en actueel houden",
        "description": (
            "Zorgt dat het leerlingvolgsysteem goed is ingericht, dat de gegevens compleet en "
            "actueel zijn en dat leerkrachten er vlot mee kunnen werken. Niet: het zelf invoeren "
            "van gegevens (zie 'Toets- en leerlinggegevens invoeren'). Rekenwaarde: 12 uur per "
            "schooljaar."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 12,
        "source": "Competenties IB, beheersmatig",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "effecten-ondersteuning-evalueren",
        "title": "Effecten van de ondersteuning evalueren",
        "description": (
            "Gaat na wat de ingezette ondersteuning oplevert, in de leerresultaten van leerlingen "
            "en in de vaardigheden van leerkrachten, ook die van interne en externe deskundigen. "
            "Niet: de verantwoording van arrangementen aan het samenwerkingsverband (zie "
            "'Arrangementen van het samenwerkingsverband uitvoeren en verantwoorden'). "
            "Rekenwaarde: 12 uur per schooljaar."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 12,
        "source": "KempenKind beleid 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "kwaliteitsrapportage",
        "title": "Kwaliteitsrapportage opstellen voor directeur en bestuur",
        "description": (
            "Zet eens per jaar de opbrengsten van de school overzichtelijk op een rij voor de "
            "directeur en het bestuur, met een duiding en verbetervoorstellen. Niet: de analyses "
            "zelf (zie 'Trendanalyse na de methodeonafhankelijke toetsen'). Rekenwaarde: 12 uur "
            "per schooljaar."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 12,
        "source": "Functiebeschrijving IB, orthodidacticus; Competenties IB, innovatief",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "inspectiebevindingen-duiden",
        "title": "Bevindingen van de inspectie duiden",
        "description": (
            "Leest de uitkomsten van een inspectiebezoek of -rapport kritisch mee en vertaalt ze "
            "naar gevolgen voor onderwijs en ondersteuning, en neemt ze mee in het werkplan en "
            "het jaarplan. Rekenwaarde: 4 uur per schooljaar (een gemiddelde: een bezoek komt "
            "niet elk jaar)."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 4,
        "source": "Competenties IB, methodologisch; KempenKind beleid 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "jaarplan-evalueren",
        "title": "Jaarplan evalueren met de directeur",
        "description": (
            "Bekijkt aan het eind van het schooljaar met de directeur welke doelen uit het "
            "jaarplan zijn gehaald en wat dat betekent voor het onderwijskundige deel van het "
            "schoolplan. Niet: het schrijven van het nieuwe plan (zie 'Schoolplan en jaarplan "
            "mee opstellen'). Rekenwaarde: 12 uur per schooljaar."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 12,
        "source": "KempenKind beleid 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "onderzoek-onderwijskwaliteit",
        "title": "Praktijkonderzoek naar de onderwijskwaliteit uitvoeren",
        "description": (
            "Zet een kleinschalig onderzoek op naar een kwaliteitsvraag van de school, eventueel "
            "samen met de taal-, reken- of gedragsspecialist uit het team, en stimuleert zo bij "
            "leerkrachten een onderzoekende houding. Rekenwaarde: 24 uur per schooljaar (één "
            "onderzoek)."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 24,
        "source": "Functiebeschrijving IB, trendanalist; LBBO-standaard 2022",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "monitor-sociaal-emotioneel",
        "title": "Gegevens over sociaal-emotionele ontwikkeling duiden",
        "description": (
            "Analyseert met de gedragsspecialist de uitkomsten van de monitor voor "
            "sociaal-emotionele ontwikkeling en vertaalt die naar aandachtspunten voor de groepen "
            "en voor de ondersteuning. Rekenwaarde: 8 uur per schooljaar."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 8,
        "source": "LBBO-standaard 2022",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "ib-werkplan",
        "title": "Jaarlijks IB-werkplan opstellen en prioriteren",
        "description": (
            "Maakt elk jaar een eigen werkplan dat aansluit op het schoolplan, de bevindingen van "
            "de inspectie en de evaluatiegegevens, en bespreekt de prioriteiten met de "
            "directeur. Komt er een taak bij, dan spreken zij samen af wat er vervalt. "
            "Rekenwaarde: 8 uur per schooljaar."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 8,
        "source": "KempenKind beleid 2013 §1; LBBO-standaard 2022",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "gegevens-invoeren-administratie",
        "title": "Toets- en leerlinggegevens invoeren",
        "description": (
            "De IB'er voert toetsscores, notities of andere leerlinggegevens in het "
            "leerlingvolgsysteem in voor de leerkrachten, of doet andere leerlingadministratie. "
            "Rekenwaarde: 24 uur per schooljaar."
        ),
        "domain": "data",
        "unit": "year",
        "default_hours": 24,
        "source": "KempenKind beleid 2013 §1; SWV Apeldoorn 2016",
        "is_ib_task": False,
        "usual_role": "groepsleerkrachten",
        "not_ib_reason": (
            "Dit is administratief werk, en KempenKind rekent zulk werk uitdrukkelijk niet tot de "
            "taak van de IB'er (KempenKind beleid 2013 §1); het SWV laat de school afspreken wie "
            "de administratieve taken doet (SWV Apeldoorn 2016)."
        ),
    },
    # ------------------------------------------------------------------------------------------
    # Domein 3: Ondersteuning & zorg (zorgregisseur)
    # ------------------------------------------------------------------------------------------
    {
        "key": "ondersteuning-coordineren",
        "title": "Ondersteuning op school coördineren",
        "description": (
            "Houdt overzicht over de leerlingen die extra ondersteuning krijgen, bewaakt dat de "
            "zorgroute en de afspraken gevolgd worden en stuurt bij waar de route vastloopt. "
            "Niet: wat als eigen taak in de catalogus staat, zoals het intern "
            "ondersteuningsteam, de aanvragen bij het samenwerkingsverband en de zorgprotocollen "
            "(zie 'Intern ondersteuningsteam (IOT) organiseren'). Rekenwaarde: 3 uur per groep "
            "per schooljaar."
        ),
        "domain": "zorg",
        "unit": "group",
        "default_hours": 3,
        "source": "KempenKind beleid 2013 §1; Competenties IB, organisatorisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "intern-ondersteuningsteam",
        "title": "Intern ondersteuningsteam (IOT) organiseren",
        "description": (
            "Plant en leidt de bijeenkomsten van het intern ondersteuningsteam met onder meer de "
            "gedragswetenschapper, het schoolmaatschappelijk werk en de jeugdverpleegkundige, en "
            "werkt daarin handelingsgericht. Zorgt voor verslag en opvolging van de afspraken. "
            "Rekenwaarde: 35 uur per schooljaar (zes tot acht bijeenkomsten van ongeveer 5 uur, "
            "voorbereiding, verslag en opvolging inbegrepen)."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 35,
        "source": "SWV Apeldoorn 2016",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "consultatie-handelingsverlegenheid",
        "title": "Consultatie bij handelingsverlegenheid van de leerkracht",
        "description": (
            "Is het aanspreekpunt als een leerkracht, ook na bespreking in het leerteam, "
            "vastloopt met een leerling, en verkent samen met de leerkracht oplossingen binnen de "
            "eigen klas. De leerkracht houdt de verantwoordelijkheid; lukt het niet, dan schakelt "
            "de IB'er externe expertise in. Niet: de observatie in de klas (zie 'Leerlingen "
            "observeren en de observatie nabespreken'). Rekenwaarde: 3 uur per leerkracht per "
            "schooljaar."
        ),
        "domain": "zorg",
        "unit": "teacher",
        "default_hours": 3,
        "source": "KempenKind beleid 2013 §1; Competenties IB, andragogisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "leerlingobservaties",
        "title": "Leerlingen observeren en de observatie nabespreken",
        "description": (
            "Observeert op verzoek van de leerkracht een leerling in de klas, bespreekt de "
            "bevindingen met de leerkracht en adviseert over de volgende stappen. Rekenwaarde: 2 "
            "uur per groep per schooljaar (gemiddeld één observatie met nagesprek per groep)."
        ),
        "domain": "zorg",
        "unit": "group",
        "default_hours": 2,
        "source": "Competenties IB, andragogisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "groepsplannen-handelingsplannen",
        "title": "Leerkrachten ondersteunen bij groepsplannen en individuele plannen",
        "description": (
            "Helpt leerkrachten tussen de groepsbesprekingen door bij het opstellen en uitvoeren "
            "van een groepsplan of groepsoverzicht en van een plan voor een enkele leerling, en "
            "bewaakt dat die plannen er zijn waar ze nodig zijn. Niet: de besprekingen na de "
            "toetsen (zie 'Groepsbesprekingen na de toetsen voeren'). Rekenwaarde: 1 uur per "
            "leerkracht per schooljaar."
        ),
        "domain": "zorg",
        "unit": "teacher",
        "default_hours": 1,
        "source": "KempenKind beleid 2013 §1; Competenties IB, andragogisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "opp-begeleiden",
        "title": "Leerkrachten begeleiden bij het ontwikkelingsperspectiefplan (OPP)",
        "description": (
            "Ondersteunt de leerkracht bij het opstellen, bespreken met ouders en evalueren van "
            "een OPP en verbindt het perspectief met de leerlijnen. Rekenwaarde: 24 uur per "
            "schooljaar (ongeveer zes leerlingen met een OPP, 4 uur per plan)."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 24,
        "source": "KempenKind beleid 2013 §1; SWV Apeldoorn 2016",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "aanvullend-onderzoek",
        "title": "Aanvullend onderzoek afwegen en regelen",
        "description": (
            "Bepaalt samen met de leerkracht of een leerling met leer- of gedragsvragen nader "
            "onderzocht moet worden, regelt dat onderzoek en bespreekt de uitkomst. Niet: het "
            "onderzoek zelf afnemen (zie 'Diagnostisch onderzoek zelf afnemen'). Rekenwaarde: 12 "
            "uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 12,
        "source": "Competenties IB, methodologisch; KempenKind beleid 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "externe-contacten",
        "title": "Aanspreekpunt voor externe partners en zorgnetwerken",
        "description": (
            "Onderhoudt namens de school de contacten met instellingen voor "
            "onderwijsondersteuning en jeugdhulp, zoals het wijkteam, de leerplichtambtenaar en "
            "het samenwerkingsverband, en neemt deel aan de overleggen van het "
            "samenwerkingsverband en de regionale zorgnetwerken. Wisselt informatie uit binnen de "
            "afspraken over privacy. Niet: de afstemming rond één leerling (zie 'Regie voeren "
            "als meerdere partners rond een leerling actief zijn'). Rekenwaarde: 30 uur per "
            "schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 30,
        "source": (
            "KempenKind beleid 2013 §1; SWV Apeldoorn 2016; Competenties IB, externe samenwerking"
        ),
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "regie-met-ketenpartners",
        "title": "Regie voeren als meerdere partners rond een leerling actief zijn",
        "description": (
            "Organiseert, samen met de ouders, de afstemming tussen school, passend onderwijs en "
            "jeugdhulp rond één leerling zodra externe partners een actieve rol krijgen, en "
            "vertaalt de afspraken naar het handelen van de leerkracht, die de uitvoering in de "
            "klas houdt. Niet: de algemene contacten en netwerken (zie 'Aanspreekpunt voor "
            "externe partners en zorgnetwerken'). Rekenwaarde: 20 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 20,
        "source": "LBBO-standaard 2022",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "aanvragen-extra-ondersteuning-tlv",
        "title": "Aanvragen bij het samenwerkingsverband en verwijzing begeleiden",
        "description": (
            "Stelt samen met de leerkracht en de ouders de aanvraag op voor een arrangement of "
            "een toelaatbaarheidsverklaring (TLV) en stemt die af met de gedragswetenschapper "
            "van het samenwerkingsverband. Wel: bij een overstap naar het sbo of so ook het "
            "overleg met ouders en directeur en de plaatsing. Niet: de uitvoering van een "
            "toegekend arrangement (zie 'Arrangementen van het samenwerkingsverband uitvoeren en "
            "verantwoorden'). Rekenwaarde: 24 uur per schooljaar (ongeveer vier aanvragen van 6 "
            "uur)."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 24,
        "source": "SWV Apeldoorn 2016; Competenties IB, methodologisch en externe samenwerking",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "arrangementen-uitvoeren-verantwoorden",
        "title": "Arrangementen van het samenwerkingsverband uitvoeren en verantwoorden",
        "description": (
            "Zorgt dat een toegekend arrangement op school wordt ingericht zoals afgesproken, "
            "volgt met de leerkracht en de ouders of het werkt en legt de besteding en de "
            "opbrengst vast in de verantwoording aan het samenwerkingsverband. Niet: het "
            "opstellen van de aanvraag (zie 'Aanvragen bij het samenwerkingsverband en verwijzing "
            "begeleiden'). Rekenwaarde: 16 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 16,
        "source": "SWV Apeldoorn 2016; Functiebeschrijving IB, regisseur",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "meldcode-veilig-thuis",
        "title": "Meldcode huiselijk geweld en kindermishandeling uitvoeren",
        "description": (
            "Is op school het aanspreekpunt voor de meldcode: helpt de leerkracht signalen vast "
            "te leggen, zet de stappen van de meldcode met de directeur, overlegt met Veilig "
            "Thuis en houdt het protocol actueel. De beslissing om te melden ligt bij de school, "
            "niet bij de IB'er alleen. Rekenwaarde: 12 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 12,
        "source": "Wet verplichte meldcode; Competenties IB, externe samenwerking",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "doubleren-versnellen-advies",
        "title": "Advies over doubleren of versnellen",
        "description": (
            "Weegt met de leerkracht, de ouders en de directeur af of een leerling een jaar "
            "overdoet of een groep overslaat, op grond van de gegevens en de schoolafspraken "
            "daarover, en legt het besluit en de aanpak vast. Rekenwaarde: 8 uur per schooljaar "
            "(ongeveer vier leerlingen)."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 8,
        "source": "Functiebeschrijving IB, regisseur",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "instroom-zij-instromers",
        "title": "Instroom van zij-instromers voorbereiden",
        "description": (
            "Verzamelt informatie over leerlingen die van een andere school komen en weegt met de "
            "directeur af of de school hun kan bieden wat zij nodig hebben, en zorgt voor een "
            "goede start in de nieuwe groep. Rekenwaarde: 8 uur per schooljaar (ongeveer vier "
            "leerlingen van 2 uur)."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 8,
        "source": "Competenties IB, methodologisch; Functiebeschrijving IB, regisseur",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "overstap-voortgezet-onderwijs",
        "title": "Overstap naar het voortgezet onderwijs begeleiden",
        "description": (
            "Coördineert de activiteiten rond de schoolverlaters, bewaakt een zorgvuldige "
            "overdracht naar het voortgezet onderwijs en ondersteunt de leerkracht bij het "
            "onderwijskundig rapport. Niet: het adviesgesprek met ouders, dat voert de leerkracht "
            "van groep 8. Rekenwaarde: 12 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 12,
        "source": "KempenKind beleid 2013 §1; Competenties IB, organisatorisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "overdracht-voorschool",
        "title": "Overdracht van voorschool naar kleutergroep bewaken",
        "description": (
            "Zorgt voor een zorgvuldige overdracht van peuteropvang of voorschool naar de "
            "kleutergroep, in lijn met het beleid voor voor- en vroegschoolse educatie (VVE). "
            "Rekenwaarde: 8 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 8,
        "source": "KempenKind beleid 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "zorgprotocollen-bijhouden",
        "title": "Zorgprotocollen van de school bijhouden en bewaken",
        "description": (
            "Houdt de protocollen van de school actueel, zoals die voor dyslexie, ernstige "
            "rekenproblemen en dyscalculie en medisch handelen, en ziet erop toe dat de school ze "
            "volgt: van signaleren en begeleiden in de klas tot tijdig doorverwijzen. "
            "Rekenwaarde: 12 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 12,
        "source": "KempenKind beleid 2013 §1 (ERWD-protocol); Competenties IB, organisatorisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "oudergesprekken-ondersteunen",
        "title": "Leerkracht ondersteunen bij gesprekken met ouders",
        "description": (
            "Helpt de leerkracht gesprekken met ouders over zorgen rond hun kind voor te bereiden "
            "en schuift alleen aan als de zorg groot is of de samenwerking stroef loopt. De "
            "leerkracht blijft het gezicht naar de ouders. Rekenwaarde: 16 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 16,
        "source": "KempenKind beleid 2013 §1; Competenties IB, andragogisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "sop-zorgplan-actualiseren",
        "title": "Schoolondersteuningsprofiel (SOP) actualiseren",
        "description": (
            "Houdt het schoolondersteuningsprofiel (SOP) van de school actueel en vertaalt het in "
            "actiepunten voor het schooljaar. Niet: het ondersteuningsplan, dat is van het "
            "samenwerkingsverband; de IB'er levert daar hooguit input voor. Rekenwaarde: 8 uur "
            "per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 8,
        "source": "SWV Apeldoorn 2016; Competenties IB, innovatief",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "ondersteuningsstructuur-evalueren",
        "title": "Ondersteuningsstructuur evalueren en vernieuwen",
        "description": (
            "Gaat eens per jaar na of de ondersteuningsstructuur werkt: hoe het aanbod voor alle "
            "leerlingen en de extra ondersteuning in de groepen uitpakken, naast de "
            "schoolafspraken en de basisondersteuning van het samenwerkingsverband. Doet "
            "voorstellen om de structuur te verbeteren. Niet: het bijwerken van het document "
            "(zie 'Schoolondersteuningsprofiel (SOP) actualiseren'). Rekenwaarde: 12 uur per "
            "schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 12,
        "source": (
            "Functiebeschrijving IB, regisseur; KempenKind beleid 2013 §1; SWV Apeldoorn 2016"
        ),
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "leerlingdossiers-bewaken",
        "title": "Kwaliteit van de leerlingdossiers bewaken",
        "description": (
            "Zorgt dat de digitale leerlingdossiers volledig, actueel en bruikbaar zijn en dat de "
            "afspraken over wat er in een dossier hoort worden nagekomen. Rekenwaarde: 8 uur per "
            "schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 8,
        "source": "KempenKind beleid 2013 §1; Competenties IB, beheersmatig",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "bovenschools-ondersteuningsbeleid",
        "title": "Bijdragen aan bovenschools ondersteuningsbeleid",
        "description": (
            "Ontwikkelt in een werkgroep met andere IB'ers en het bestuur beleid voor de "
            "ondersteuning van leerlingen en adviseert het bestuur daarover. Niet: de vaste "
            "bijeenkomsten van het netwerk (zie 'Deelnemen aan het IB-netwerk of KC-platform van "
            "het bestuur'). Rekenwaarde: 8 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 8,
        "source": "Functiebeschrijving IB, regisseur; Competenties IB, innovatief",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "remedial-teaching-leerlingen",
        "title": "Remedial teaching aan leerlingen geven",
        "description": (
            "De IB'er oefent zelf met individuele leerlingen of kleine groepjes, in of buiten de "
            "klas. Rekenwaarde: 40 uur per schooljaar (een uur per week)."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 40,
        "source": "KempenKind beleid 2013 §1; Competenties IB",
        "is_ib_task": False,
        "usual_role": "remedial_teacher",
        "not_ib_reason": (
            "Remedial teaching hoort niet bij de IB'er: haar werk richt zich op de leerkracht en "
            "het team, niet op de afzonderlijke leerling (KempenKind beleid 2013 §1). Het oefenen "
            "met kinderen doen de leerkracht in de klas of de remedial teacher, niet de IB'er "
            "(Competenties IB)."
        ),
    },
    {
        "key": "diagnostisch-onderzoek-zelf-afnemen",
        "title": "Diagnostisch onderzoek zelf afnemen",
        "description": (
            "De IB'er neemt zelf toetsen of diagnostische onderzoeken af bij leerlingen, zoals "
            "een leesonderzoek of een intelligentieonderzoek. Rekenwaarde: 16 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 16,
        "source": "Competenties IB; KempenKind beleid 2013 §1",
        "is_ib_task": False,
        "usual_role": "gedragswetenschapper",
        "not_ib_reason": (
            "Een kort onderzoekje bij een kind kan, maar de school laat dat zo veel mogelijk de "
            "leerkracht zelf doen (Competenties IB); diagnostiek die verder gaat, hoort bij een "
            "externe deskundige, die de IB'er inschakelt (KempenKind beleid 2013 §1)."
        ),
    },
    {
        "key": "orthotheek-bestellen-inrichten",
        "title": "Bestellingen doen voor en inrichten van de orthotheek",
        "description": (
            "De IB'er bestelt materialen voor de orthotheek, houdt de voorraad bij en richt de "
            "orthotheek in. Rekenwaarde: 12 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 12,
        "source": "KempenKind beleid 2013 §1",
        "is_ib_task": False,
        "usual_role": "remedial_teacher",
        "not_ib_reason": (
            "Materiaal bestellen en de orthotheek op orde brengen zijn administratieve klussen; "
            "KempenKind noemt ze uitdrukkelijk als werk dat buiten de functie van de IB'er valt "
            "(KempenKind beleid 2013 §1). Advies over de keuze van materialen kan wel bij de "
            "IB'er liggen."
        ),
    },
    {
        "key": "oudergesprekken-overnemen",
        "title": "Oudergesprekken voeren in plaats van de leerkracht",
        "description": (
            "De IB'er voert de gesprekken met ouders over hun kind zelf, zonder de leerkracht of "
            "in diens plaats. Rekenwaarde: 20 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 20,
        "source": "Competenties IB; LBBO-standaard 2022",
        "is_ib_task": False,
        "usual_role": "groepsleerkrachten",
        "not_ib_reason": (
            "De verantwoordelijkheid voor de leerlingen ligt bij de leerkracht, die ook zelf de "
            "gesprekken met ouders voert; de IB'er sluit alleen aan bij grote zorg of stroeve "
            "samenwerking (Competenties IB). Ook de beroepsstandaard ziet de leerkracht als het "
            "gezicht naar de ouders (LBBO-standaard 2022)."
        ),
    },
    {
        "key": "casus-overnemen",
        "title": "Leerlingcasussen overnemen van de leerkracht",
        "description": (
            "De IB'er wordt zelf casushouder van leerlingen met extra ondersteuningsbehoeften en "
            "voert de aanpak uit, in plaats van de leerkracht daarin te versterken. Rekenwaarde: "
            "40 uur per schooljaar."
        ),
        "domain": "zorg",
        "unit": "year",
        "default_hours": 40,
        "source": "LBBO-standaard 2022; KempenKind beleid 2013 §1",
        "is_ib_task": False,
        "usual_role": "groepsleerkrachten",
        "not_ib_reason": (
            "Volgens de beroepsstandaard blijft de leerkracht zo lang mogelijk casushouder en "
            "houdt zij de uitvoering; de kwaliteitscoördinator hoort niet iedere leerlingvraag "
            "zelf op te pakken (LBBO-standaard 2022). Ook bij KempenKind is de doelgroep van de "
            "IB'er de leerkracht en het team (KempenKind beleid 2013 §1)."
        ),
    },
    # ------------------------------------------------------------------------------------------
    # Algemene schooltaken (buiten de LBBO-domeinen): wat ieder teamlid doet
    # ------------------------------------------------------------------------------------------
    {
        "key": "teamvergaderingen-studiedagen",
        "title": "Teamvergaderingen en studiedagen bijwonen",
        "description": (
            "Is als teamlid aanwezig bij de algemene teamvergaderingen en de studiedagen van de "
            "school, zoals iedere collega. Niet: de bijeenkomsten die de IB'er zelf voorbereidt "
            "en leidt (zie 'Team bijpraten over resultaten en afspraken'). Rekenwaarde: 20 uur "
            "per schooljaar (pas het aan naar de omvang van de aanstelling, zoals het "
            "werkverdelingsplan dat voor iedereen doet)."
        ),
        "domain": "algemeen",
        "unit": "year",
        "default_hours": 20,
        "source": "CAO PO, werkverdelingsplan",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "schoolactiviteiten",
        "title": "Meehelpen bij schoolactiviteiten",
        "description": (
            "Helpt zoals ieder teamlid bij vieringen, de sportdag, informatieavonden en de open "
            "dag. Rekenwaarde: 12 uur per schooljaar."
        ),
        "domain": "algemeen",
        "unit": "year",
        "default_hours": 12,
        "source": "CAO PO, werkverdelingsplan",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "mr-of-schoolwerkgroep",
        "title": "Zitting in de MR of een schoolwerkgroep",
        "description": (
            "Is lid van de medezeggenschapsraad of van een werkgroep van de school die niet over "
            "de eigen IB-taken gaat, zoals de werkgroep cultuur of de feestcommissie. "
            "Rekenwaarde: 16 uur per schooljaar."
        ),
        "domain": "algemeen",
        "unit": "year",
        "default_hours": 16,
        "source": "CAO PO, werkverdelingsplan",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "vervanging-regelen",
        "title": "Vervanging regelen bij afwezigheid van leerkrachten",
        "description": (
            "De IB'er zoekt invallers, maakt het rooster sluitend bij ziekte of verlof en "
            "verdeelt leerlingen over de groepen als er geen invaller is. Rekenwaarde: 20 uur "
            "per schooljaar."
        ),
        "domain": "algemeen",
        "unit": "year",
        "default_hours": 20,
        "source": "KempenKind beleid 2013 §1",
        "is_ib_task": False,
        "usual_role": "directeur",
        "not_ib_reason": (
            "KempenKind noemt de IB'er uitdrukkelijk geen administratieve kracht en niet "
            "inzetbaar voor het gewone werk in de groep (KempenKind beleid 2013 §1); het rooster "
            "sluitend maken bij afwezigheid is werk van de directeur of de administratie."
        ),
    },
)

# Earlier standard tasks that are no longer in the catalogue: merged into another task (its key)
# or left out (None). Board copies are deactivated by the migration, never deleted.
RETIRED = {
    "groepsresultaten-analyseren": "groepsbesprekingen",
    "databespreking-leerteam": "leerteams-ondersteunen",
    "anonieme-leerlingbespreking": "leerteams-ondersteunen",
    "zorgnetwerken-swv": "externe-contacten",
    "trends-vergelijken-kc-platform": "ib-netwerk-kc-platform",
    "verwijzing-sbo-so": "aanvragen-extra-ondersteuning-tlv",
    "resultaten-presenteren-team": "onderwijsinhoudelijke-teambijeenkomsten",
    "team-informeren-ondersteuning": "onderwijsinhoudelijke-teambijeenkomsten",
    "onderwijsvernieuwingen-signaleren": "teamprofessionalisering-regisseren",
    "kennis-effectief-leren-delen": "teamprofessionalisering-regisseren",
    "professionele-leercultuur": "collegiale-consultatie-organiseren",
    "schoolplan-uitvoeren-met-leerkrachten": "klassenbezoeken-met-nagesprek",
    "visie-op-leren-verbetervoorstellen": "schoolplan-jaarplan-opstellen",
    "gegevens-voor-schoolplan": "schoolplan-jaarplan-opstellen",
    "referentieniveaus-bewaken": "trendanalyse-twee-keer-per-jaar",
    "knelpunten-kansen-signaleren": "trendanalyse-twee-keer-per-jaar",
    "basisondersteuning-bewaken": "ondersteuningsstructuur-evalueren",
    "erwd-protocol": "zorgprotocollen-bijhouden",
    # Own professional development is no package task: it is in the board's reserved hours.
    "eigen-professionalisering": None,
}

# The standard tasks the partnership (SWV) has a stake in: its copy of an agreed package marks
# them (issue 14; seed 001: each board sends the partnership "een afschrift van het
# takenpakket"). The intern ondersteuningsteam, the school's SOP, the partnership's
# arrangements and their accounting, and admission requests (TLV) with the referral. Kept
# apart from ``TASKS`` so the fingerprints of the editions stay as they are; a board changes
# the marking on its own copy.
PARTNERSHIP_TASKS = frozenset(
    {
        "intern-ondersteuningsteam",
        "sop-zorgplan-actualiseren",
        "arrangementen-uitvoeren-verantwoorden",
        "aanvragen-extra-ondersteuning-tlv",
    }
)
# Retired standard tasks that concerned the partnership (package items may still hold them).
PARTNERSHIP_RETIRED = frozenset({"verwijzing-sbo-so"})

_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MAX_HOURS = 1659  # a full normjaartaak (CAO PO)
# "Rekenwaarde: 5,3 uur per groep": the hours and the unit, as every description states them.
_RULE_RE = re.compile(r"Rekenwaarde: (\d+(?:,\d)?) uur (per schooljaar|per groep|per leerkracht)")
# "(zie 'Title')": a reference to another task, by its title.
REFERENCE_RE = re.compile(r"\(zie '([^']+)'\)")


def stated_rule(description: str) -> tuple[float, str] | None:
    """The hours and unit a description states ("Rekenwaarde: 6 uur per leerkracht"), or None."""
    match = _RULE_RE.search(description)
    if match is None:
        return None
    words = {phrase: unit for unit, phrase in UNIT_WORDS.items()}
    return float(match.group(1).replace(",", ".")), words[match.group(2)]


def validate() -> None:
    """Check the catalogue's internal consistency; raises AssertionError on the first problem."""
    codes = [d["code"] for d in DOMAINS]
    assert codes == ["leren", "data", "zorg", "algemeen"], codes
    assert [d["is_lbbo"] for d in DOMAINS] == [True, True, True, False]
    for domain in DOMAINS:
        assert set(domain) == {"code", "name", "role", "description", "older_name", "is_lbbo"}
        texts = ("code", "name", "role", "description")
        assert all(domain[field].strip() for field in texts), domain["code"]
        assert all(len(domain[f]) <= 100 for f in ("name", "role", "older_name")), domain

    fields = {
        "key",
        "title",
        "description",
        "domain",
        "unit",
        "default_hours",
        "source",
        "is_ib_task",
        "not_ib_reason",
    }
    keys = [t["key"] for t in TASKS]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"duplicate keys: {duplicates}"
    assert not set(keys) & set(RETIRED), f"retired keys in use: {set(keys) & set(RETIRED)}"
    assert all(into is None or into in keys for into in RETIRED.values()), "merged into what?"
    assert len(TASKS) >= 40, f"only {len(TASKS)} tasks"
    titles = {t["title"] for t in TASKS}
    assert len(titles) == len(TASKS), "two tasks with one title"

    for task in TASKS:
        key = task["key"]
        assert set(task) - {"usual_role"} == fields, f"{key}: fields {sorted(set(task) ^ fields)}"
        assert _KEY_RE.match(key) and len(key) <= 80, f"{key}: not an ascii slug"
        assert task["domain"] in codes, f"{key}: unknown domain {task['domain']!r}"
        assert task["unit"] in UNITS, f"{key}: unknown unit {task['unit']!r}"
        assert task["title"].strip() and len(task["title"]) <= 80, f"{key}: title"
        assert task["description"].strip(), f"{key}: no description"
        assert task["source"].strip() and len(task["source"]) <= 200, f"{key}: source"
        assert not re.search(r"\(\d{3}\)", task["source"] + task["not_ib_reason"]), key
        hours = task["default_hours"]
        assert isinstance(hours, int | float) and not isinstance(hours, bool), f"{key}: hours"
        assert 0 < hours <= _MAX_HOURS and round(hours, 1) == hours, f"{key}: hours {hours}"
        assert stated_rule(task["description"]) == (hours, task["unit"]), f"{key}: Rekenwaarde"
        for title in REFERENCE_RE.findall(task["description"]):
            assert title in titles and title != task["title"], f"{key}: refers to {title!r}"
        assert isinstance(task["is_ib_task"], bool), f"{key}: is_ib_task"
        if task["is_ib_task"]:
            assert task["not_ib_reason"] == "", f"{key}: IB task with a not-IB reason"
            assert "usual_role" not in task, f"{key}: IB task with a usual role"
        else:
            assert task["not_ib_reason"].strip(), f"{key}: non-IB task without a reason"
            # Who does it instead: a tasks.models.HolderRole value (the division's signal).
            assert task.get("usual_role"), f"{key}: non-IB task without a usual role"

    for code in codes[:3]:
        count = sum(1 for t in TASKS if t["domain"] == code)
        assert count >= 10, f"domain {code}: only {count} tasks"
    assert sum(1 for t in TASKS if not t["is_ib_task"]) >= 8, "too few non-IB tasks"
    assert set(keys) >= PARTNERSHIP_TASKS, f"unknown: {PARTNERSHIP_TASKS - set(keys)}"
    assert set(RETIRED) >= PARTNERSHIP_RETIRED, "a retired partnership task that is not retired"


if __name__ == "__main__":
    validate()
    ib_tasks = [t for t in TASKS if t["is_ib_task"]]
    print(f"OK: {len(DOMAINS)} domains, {len(TASKS)} tasks ({len(ib_tasks)} IB tasks)")
    for domain in DOMAINS:
        in_domain = [t for t in TASKS if t["domain"] == domain["code"]]
        ib = [t for t in in_domain if t["is_ib_task"]]
        print(f"  {domain['code']:<8} {len(in_domain):>2} tasks, {len(in_domain) - len(ib)} not IB")
    print("Not IB work:")
    for task in TASKS:
        if not task["is_ib_task"]:
            print(f"  - {task['key']}: {task['title']}")
