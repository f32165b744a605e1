"""Standard catalogue of IB tasks: the three LBBO 2022 domains and a list of common tasks.

This module is plain Python data. It has no Django imports and defines no models; a loader
copies it into the database (each board gets its own copy of the catalogue, which it can edit).

Contents
--------
``DOMAINS``
    The three domains of the LBBO standard 2022 "De intern begeleider als kwaliteitscoordinator",
    in their fixed order, each with its role (leercoordinator, trendanalist, zorgregisseur) and
    the older wording of the same domain (leercoordinatie, trendanalyse, zorgregie).
``TASKS``
    Standard tasks. Each has a stable ASCII ``key`` (never change it: board copies refer to it),
    a Dutch ``title`` and ``description``, a ``domain`` code, ``default_hours`` per school year,
    a short ``source`` reference, and ``is_ib_task``. Tasks that are *not* IB work are kept on
    purpose, marked ``is_ib_task=False`` with a ``not_ib_reason``: if a director puts one of them
    in a package, the app can flag it as a role-purity ("rolzuiverheid") signal.

Sources
-------
All Dutch texts are written in our own words from the seed documents in ``/work/shared/seeds/``
and the summary in ``DOMAIN.md``; no sentences are copied. The ``source`` field lets users trace
each item back:

- "KempenKind 2013 §n": board policy Onderwijsstichting KempenKind (2013), section n
  (§1 positioning and task lists, §2 competencies, §3 training, §4 organisation).
- "SWV Apeldoorn 2016": Samenwerkingsverband Passend Onderwijs Apeldoorn PO, IB position paper.
- "Functiebeschrijving IB (002)": model job description, with the role named where useful.
- "Competenties IB (003)": a school's explanation of the seven IB competencies.
- "TIB-dossier 2024 (LBBO 2022)": professional journal dossier on the LBBO standard 2022.

Hours
-----
``default_hours`` are hours per school year for a school of about 250 pupils with 8 groups
(one per year group) and about 10 teachers. They are starting points for a director, not norms.
For scale: a normjaartaak of 1.0 fte is 1,659 hours, so a 0.6 fte IB has about 1,000 hours,
including the personal professionalisation hours of the CAO PO. The fifteen largest tasks
(class visits, consultation, coordination, group meetings, trend analysis, IOT, OPP, ...) add
up to roughly 800 hours; a realistic package adds a number of smaller tasks to reach the budget.
The full catalogue adds up to more than that, because no school does everything and a package
must fit its hours ("als er wat bij komt, moet er ook wat af").
"""

from __future__ import annotations

import re

DOMAINS = (
    {
        "code": "leren",
        "name": "Focus op leren & brede ontwikkeling",
        "role": "leercoördinator",
        "description": (
            "Dit domein draait om het leren van alle leerlingen, met nadruk op de "
            "basisvaardigheden binnen hun brede ontwikkeling, en om het leren van het hele team. "
            "Als leercoördinator brengt de IB'er onderzoekskennis over hoe leren werkt in het "
            "team in en versterkt zij leraren via klassenbezoeken, leerteams en gezamenlijke "
            "reflectie op het lesgeven. Gedeelde afspraken over effectief lesgeven vormen het "
            "kader waarbinnen de school haar onderwijs duurzaam inricht."
        ),
        "older_name": "leercoördinatie",
    },
    {
        "code": "data",
        "name": "Data, monitoring & reflectie",
        "role": "trendanalist",
        "description": (
            "Samen met de schoolleider houdt de trendanalist de kwaliteitscyclus van de school "
            "draaiende: beschrijven, verklaren, evalueren en verbeteren. Zij helpt leraren om "
            "toetsresultaten, observaties en formatieve gegevens te duiden en om te zetten in "
            "vervolgacties, en stimuleert een onderzoekende houding op alle niveaus. De "
            "steeds terugkerende vraag is wat het aanbod oplevert en wat dat zegt over de "
            "kwaliteit van het lesgeven."
        ),
        "older_name": "trendanalyse",
    },
    {
        "code": "zorg",
        "name": "Ondersteuning & zorg",
        "role": "zorgregisseur",
        "description": (
            "De leraar blijft eigenaar van de ondersteuning van een leerling en is het eerste "
            "aanspreekpunt voor ouders; zorgen worden eerst in het leerteam besproken. Levert "
            "dat te weinig op, dan komt de zorgregisseur in beeld: zij overziet de basis- en "
            "extra ondersteuning, verbindt de inzet van school, ouders en externe partners en "
            "versterkt de leraar in het eigen handelen."
        ),
        "older_name": "zorgregie",
    },
)

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
            "de leerkracht. In het nagesprek deelt de IB'er wat zij zag en laat zij de leerkracht "
            "de eigen keuzes toelichten; het bezoek is gericht op ontwikkeling, niet op "
            "beoordeling."
        ),
        "domain": "leren",
        "default_hours": 100,  # 10 leerkrachten x 4 bezoeken x 2,5 uur (incl. nagesprek)
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "leerteams-ondersteunen",
        "title": "Leerteambijeenkomsten ondersteunen",
        "description": (
            "Sluit aan bij de bijeenkomsten van de leerteams, vooral om te luisteren, en stelt "
            "waar nodig een verdiepende vraag. Moedigt leerkrachten aan om hun ontwikkelpunten "
            "en goede voorbeelden in het leerteam in te brengen, zodat zij van elkaar leren."
        ),
        "domain": "leren",
        "default_hours": 40,
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "kennis-effectief-leren-delen",
        "title": "Kennis over effectief leren en lesgeven delen met het team",
        "description": (
            "Brengt onderzoekskennis over leerprocessen, bijvoorbeeld uit de cognitieve "
            "psychologie, in via studiedagen, teamvergaderingen of het samen lezen van "
            "literatuur. Het doel is een gedeelde kennisbasis en gezamenlijke afspraken over "
            "goed lesgeven."
        ),
        "domain": "leren",
        "default_hours": 30,
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "schoolplan-jaarplan-opstellen",
        "title": "Schoolplan en jaarplan mee opstellen",
        "description": (
            "Schrijft samen met de directeur het onderwijskundige deel van het vierjarige "
            "schoolplan en van het jaarplan. Beide plannen zijn een gezamenlijk product van "
            "directeur en IB'er."
        ),
        "domain": "leren",
        "default_hours": 30,
        "source": "KempenKind 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "schoolplan-uitvoeren-met-leerkrachten",
        "title": "Leerkrachten begeleiden bij de uitvoering van het schoolplan",
        "description": (
            "Vertaalt de onderwijskundige doelen van het schoolplan naar afspraken voor de "
            "groepen en geeft leerkrachten en bouwen concrete aanwijzingen om die in de klas waar "
            "te maken. Gaat na of de afspraken ook echt in de lessen terugkomen."
        ),
        "domain": "leren",
        "default_hours": 30,
        "source": "KempenKind 2013 §1-2",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "coaching-instructie-klassenmanagement",
        "title": "Leerkrachten coachen op instructie en klassenmanagement",
        "description": (
            "Begeleidt individuele leerkrachten in een kort coachingstraject bij de organisatie "
            "van de les, de instructie en de reflectie op het eigen handelen. Sluit aan bij wat "
            "de leerkracht zelf wil leren en bij de schoolafspraken over effectief lesgeven."
        ),
        "domain": "leren",
        "default_hours": 60,  # ongeveer 4 trajecten van 15 uur
        "source": "KempenKind 2013 §1; Functiebeschrijving IB (002), professionalisering",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "onderwijsvernieuwingen-signaleren",
        "title": "Directie en team informeren over onderwijsvernieuwingen",
        "description": (
            "Volgt nieuwe inzichten, methodes en materialen, ook op het gebied van "
            "zorgverbreding, en beoordeelt wat bruikbaar is voor de eigen school. Brengt de "
            "directeur en het team daarvan op de hoogte en doet zo nodig een voorstel."
        ),
        "domain": "leren",
        "default_hours": 12,
        "source": "KempenKind 2013 §1; Competenties IB (003), innovatief",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "professionele-leercultuur",
        "title": "Professionele leer- en feedbackcultuur stimuleren",
        "description": (
            "Werkt eraan dat leerkrachten elkaar feedback geven, bij elkaar in de klas kijken en "
            "samen nadenken over wat hun leerlingen leren. Is daarin zelf het voorbeeld van een "
            "lerende professional."
        ),
        "domain": "leren",
        "default_hours": 20,
        "source": "Functiebeschrijving IB (002), orthodidacticus",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "teamprofessionalisering-regisseren",
        "title": "Didactische professionalisering van het team regisseren",
        "description": (
            "Bepaalt met de directeur welke scholing het team nodig heeft om de schooldoelen te "
            "halen, plant studiedagen en bewaakt dat scholing doorwerkt in de praktijk van de "
            "klas."
        ),
        "domain": "leren",
        "default_hours": 30,
        "source": "Functiebeschrijving IB (002), regisseur",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "onderwijsinhoudelijke-teambijeenkomsten",
        "title": "Onderwijsinhoudelijke teambijeenkomsten voorbereiden en leiden",
        "description": (
            "Bereidt team- en bouwvergaderingen voor over de invoering van het schoolplan en de "
            "behaalde resultaten, leidt ze of verzorgt een presentatie, en legt de afspraken kort "
            "vast."
        ),
        "domain": "leren",
        "default_hours": 30,
        "source": "KempenKind 2013 §1; Competenties IB (003), andragogisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "doorgaande-leerlijnen",
        "title": "Doorgaande leerlijnen ontwikkelen en bewaken",
        "description": (
            "Brengt in kaart hoe de leerlijnen van groep 1 tot en met 8 op elkaar aansluiten, "
            "zoekt uit waar de lijn hapert en adviseert over verbeteringen. Zorgt dat onderbouw "
            "en bovenbouw van elkaars doelen en resultaten op de hoogte zijn."
        ),
        "domain": "leren",
        "default_hours": 30,
        "source": "KempenKind 2013 §1; Functiebeschrijving IB (002); Competenties IB (003)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "visie-op-leren-verbetervoorstellen",
        "title": "Visie op leren uitwerken in verbetervoorstellen voor het aanbod",
        "description": (
            "Werkt de visie van de school op leren uit in planmatige voorstellen om het "
            "onderwijsaanbod over meerdere jaren te verbeteren. Adviseert de directie, en via "
            "haar zo nodig het bestuur, over de keuzes en de samenhang met ander beleid."
        ),
        "domain": "leren",
        "default_hours": 24,
        "source": "KempenKind 2013 §1; Functiebeschrijving IB (002), orthodidacticus",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "collegiale-consultatie-organiseren",
        "title": "Collegiale consultatie tussen leerkrachten organiseren",
        "description": (
            "Koppelt een leerkracht met een ontwikkelpunt aan een collega bij wie dat al goed "
            "gaat en regelt dat zij bij elkaar kunnen meekijken. Zo benut de school de expertise "
            "die al in het team zit."
        ),
        "domain": "leren",
        "default_hours": 12,
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "nieuwe-leerkrachten-inwerken",
        "title": "Nieuwe leerkrachten meenemen in de visie op leren",
        "description": (
            "Maakt nieuwe collega's wegwijs in de afspraken over lesgeven, de kwaliteitscyclus en "
            "de ondersteuningsroute van de school. Wijst hen op passend scholingsaanbod binnen de "
            "stichting."
        ),
        "domain": "leren",
        "default_hours": 16,
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "onderwijsvernieuwingsprojecten",
        "title": "Bijdragen aan onderwijsvernieuwingsprojecten",
        "description": (
            "Neemt deel aan of trekt projecten die het onderwijs vernieuwen, vaak samen met "
            "andere disciplines. Adviseert de directie over de opbrengst en over hoe de "
            "vernieuwing een vaste plek in de school krijgt."
        ),
        "domain": "leren",
        "default_hours": 30,
        "source": "Functiebeschrijving IB (002), trendanalist",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "ib-netwerk-kc-platform",
        "title": "Deelnemen aan het IB-netwerk of KC-platform",
        "description": (
            "Komt een aantal keren per jaar bovenschools samen met andere intern begeleiders of "
            "kwaliteitscoördinatoren om ervaringen, successen en goede voorbeelden uit te "
            "wisselen. Het netwerk is ook de plek om samen aan de eigen rol te werken."
        ),
        "domain": "leren",
        "default_hours": 24,
        "source": "TIB-dossier 2024 (LBBO 2022); KempenKind 2013 §1, §3",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "eigen-professionalisering",
        "title": "Eigen professionalisering en reflectie",
        "description": (
            "Werkt planmatig aan de eigen ontwikkeling via scholing, intervisie en vakliteratuur "
            "en legt dit vast, bijvoorbeeld in een portfolio of ontwikkelplan. Let op: de "
            "professionaliseringsuren uit de normjaartaak staan apart in het pakket; tel ze niet "
            "dubbel."
        ),
        "domain": "leren",
        "default_hours": 40,
        "source": "Functiebeschrijving IB (002), professionalisering; Competenties IB (003)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "invallen-lesgeven",
        "title": "Invallen of lesgeven in een groep",
        "description": (
            "De IB'er neemt de groep over bij ziekte of afwezigheid van een leerkracht, of geeft "
            "vaste lesuren in een groep binnen de uren die voor interne begeleiding bedoeld zijn."
        ),
        "domain": "leren",
        "default_hours": 40,
        "source": "KempenKind 2013 §1",
        "is_ib_task": False,
        "not_ib_reason": (
            "KempenKind bepaalt uitdrukkelijk dat de intern begeleider niet inzetbaar is voor het "
            "gewone groepswerk, zoals lesgeven (KempenKind 2013 §1); uren die hieraan "
            "opgaan, gaan af van het werk aan de onderwijskwaliteit."
        ),
    },
    {
        "key": "leerkrachten-beoordelen",
        "title": "Leerkrachten beoordelen of beoordelingsgesprekken voeren",
        "description": (
            "De IB'er beoordeelt het functioneren van leerkrachten, voert beoordelingsgesprekken "
            "of gebruikt klassenbezoeken als instrument voor de beoordeling."
        ),
        "domain": "leren",
        "default_hours": 16,
        "source": "TIB-dossier 2024 (LBBO 2022); KempenKind 2013 §4",
        "is_ib_task": False,
        "not_ib_reason": (
            "Volgens de beroepsstandaard heeft de kwaliteitscoördinator geen beoordelende rol en "
            "werkt zij vanuit vertrouwen (TIB-dossier 2024, LBBO 2022); als staffunctionaris legt "
            "de IB'er ook geen sancties op, dat blijft bij de directeur (KempenKind 2013 §4)."
        ),
    },
    # ------------------------------------------------------------------------------------------
    # Domein 2: Data, monitoring & reflectie (trendanalist)
    # ------------------------------------------------------------------------------------------
    {
        "key": "trendanalyse-twee-keer-per-jaar",
        "title": "Trendanalyse na de methodeonafhankelijke toetsen (2x per jaar)",
        "description": (
            "Analyseert twee keer per jaar de resultaten van de hele school over groepen en "
            "jaren heen en zet ze af tegen de doelen van de school. Benoemt wat behouden moet "
            "blijven en waar de school op moet inzetten, en betrekt daarbij ook wat in "
            "klassenbezoeken is gezien."
        ),
        "domain": "data",
        "default_hours": 48,  # 2 x 24 uur inclusief rapportage
        "source": "TIB-dossier 2024 (LBBO 2022); Functiebeschrijving IB (002), trendanalist",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "groepsresultaten-analyseren",
        "title": "Groepsresultaten samen met de leerkracht analyseren",
        "description": (
            "Bekijkt na elke toetsperiode met iedere leerkracht de resultaten en het "
            "groepsoverzicht. Samen komen zij tot een voorstel voor de aanpak in de groep."
        ),
        "domain": "data",
        "default_hours": 40,  # 2 toetsperiodes x 10 leerkrachten x 2 uur
        "source": "KempenKind 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "leerkrachten-coachen-data-analyse",
        "title": "Leerkrachten coachen bij het duiden van hun eigen data",
        "description": (
            "Helpt leerkrachten om de gegevens van hun groep zelf te analyseren, inclusief "
            "formatieve informatie, en daar groeps- en actieplannen op te baseren. Het doel is "
            "dat leerkrachten steeds zelfstandiger met data werken."
        ),
        "domain": "data",
        "default_hours": 24,
        "source": "Functiebeschrijving IB (002), trendanalist",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "databespreking-leerteam",
        "title": "Databesprekingen in de leerteams ondersteunen",
        "description": (
            "Is aanwezig bij leerteambijeenkomsten waarin leerkrachten elkaars gegevens bespreken "
            "en bevragen, en denkt mee waar dat helpt om de volgende stap te bepalen. Plant in "
            "overleg met de directie de vervolgacties."
        ),
        "domain": "data",
        "default_hours": 20,
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "resultaten-presenteren-team",
        "title": "Schoolbrede resultaten en acties aan het team presenteren",
        "description": (
            "Praat het hele team bij over trends, successen en knelpunten en over de acties die "
            "daaruit volgen. Zo weten de leerkrachten van de kleutergroepen wat er in groep 8 "
            "speelt, en omgekeerd."
        ),
        "domain": "data",
        "default_hours": 8,
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "toetskalender-toetsafspraken",
        "title": "Toetskalender opstellen en toetsafspraken bewaken",
        "description": (
            "Maakt elk jaar de toetskalender van de school en ziet erop toe dat de afspraken van "
            "de stichting over toetsing worden nagekomen. Bewaakt dat toetsen op tijd en op de "
            "afgesproken manier worden afgenomen."
        ),
        "domain": "data",
        "default_hours": 12,
        "source": "KempenKind 2013 §1; Competenties IB (003), organisatorisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "leerlingvolgsysteem-beheren",
        "title": "Leerlingvolgsysteem inrichten en actueel houden",
        "description": (
            "Zorgt dat het leerlingvolgsysteem goed is ingericht, dat de gegevens compleet en "
            "actueel zijn en dat leerkrachten er vlot mee kunnen werken. Het zelf invoeren van "
            "gegevens valt hier niet onder (zie 'Toets- en leerlinggegevens invoeren')."
        ),
        "domain": "data",
        "default_hours": 20,
        "source": "Competenties IB (003), beheersmatig",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "referentieniveaus-bewaken",
        "title": "Referentieniveaus taal en rekenen bewaken",
        "description": (
            "Volgt welk deel van de leerlingen de fundamentele niveaus en de streefniveaus voor "
            "taal en rekenen haalt. Signaleert op tijd wanneer de school of een jaargroep "
            "achterblijft."
        ),
        "domain": "data",
        "default_hours": 12,
        "source": "KempenKind 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "effecten-ondersteuning-evalueren",
        "title": "Effecten van de ondersteuning evalueren",
        "description": (
            "Gaat na wat de ingezette ondersteuning oplevert, zowel in de leerresultaten van "
            "leerlingen als in de vaardigheden van leerkrachten. Betrekt daarbij ook de inzet "
            "van interne en externe deskundigen."
        ),
        "domain": "data",
        "default_hours": 20,
        "source": "KempenKind 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "kwaliteitsrapportage",
        "title": "Kwaliteitsrapportage opstellen voor directie en bestuur",
        "description": (
            "Zet de opbrengsten van de school overzichtelijk op een rij voor de directeur en de "
            "directeur onderwijs. Voegt een duiding en verbetervoorstellen toe."
        ),
        "domain": "data",
        "default_hours": 20,
        "source": "Functiebeschrijving IB (002), orthodidacticus; Competenties IB (003)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "inspectiebevindingen-duiden",
        "title": "Bevindingen van de inspectie duiden",
        "description": (
            "Leest de uitkomsten van een inspectiebezoek of -rapport kritisch mee en vertaalt ze "
            "naar gevolgen voor onderwijs en ondersteuning. Neemt ze mee in het werkplan en het "
            "jaarplan."
        ),
        "domain": "data",
        "default_hours": 6,
        "source": "Competenties IB (003), methodologisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "gegevens-voor-schoolplan",
        "title": "Gegevens verzamelen voor het schoolplan",
        "description": (
            "Brengt de relevante gegevens over resultaten, leerlingpopulatie en ondersteuning "
            "bij elkaar als onderbouwing voor een nieuw schoolplan. De uren zijn een "
            "jaargemiddelde over de planperiode van vier jaar."
        ),
        "domain": "data",
        "default_hours": 16,
        "source": "KempenKind 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "jaarplan-evalueren",
        "title": "Jaarplan evalueren en schoolplan bijstellen",
        "description": (
            "Bekijkt aan het eind van het schooljaar met de directeur welke doelen uit het "
            "jaarplan zijn gehaald. Past op basis daarvan samen met de directeur het "
            "onderwijskundige deel van het schoolplan aan."
        ),
        "domain": "data",
        "default_hours": 16,
        "source": "KempenKind 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "knelpunten-kansen-signaleren",
        "title": "Knelpunten, risico's en kansen voor de kwaliteit signaleren",
        "description": (
            "Houdt zicht op structurele knelpunten en kansen in het onderwijs. Adviseert de "
            "directie, en zo nodig het bestuur, met voorstellen die passen bij de ambities van de "
            "organisatie."
        ),
        "domain": "data",
        "default_hours": 16,
        "source": "Functiebeschrijving IB (002), trendanalist",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "onderzoek-onderwijskwaliteit",
        "title": "Praktijkonderzoek naar de onderwijskwaliteit uitvoeren",
        "description": (
            "Zet een kleinschalig onderzoek op naar een kwaliteitsvraag van de school, eventueel "
            "samen met de taal-, reken- of gedragsspecialist uit het team. Stimuleert zo ook bij "
            "leerkrachten een onderzoekende houding."
        ),
        "domain": "data",
        "default_hours": 30,
        "source": "Functiebeschrijving IB (002), trendanalist; TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "monitor-sociaal-emotioneel",
        "title": "Gegevens over sociaal-emotionele ontwikkeling duiden",
        "description": (
            "Analyseert met de gedragsspecialist de uitkomsten van de monitor voor "
            "sociaal-emotionele ontwikkeling. Vertaalt die naar aandachtspunten voor de groepen "
            "en voor de ondersteuning."
        ),
        "domain": "data",
        "default_hours": 16,
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "ib-werkplan",
        "title": "Jaarlijks IB-werkplan opstellen en prioriteren",
        "description": (
            "Maakt elk jaar een eigen werkplan dat aansluit op het schoolplan, de bevindingen van "
            "de inspectie en de evaluatiegegevens, en bespreekt de prioriteiten met de "
            "directeur. Komt er een taak bij, dan spreken zij samen af wat er vervalt."
        ),
        "domain": "data",
        "default_hours": 12,
        "source": "KempenKind 2013 §1; TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "trends-vergelijken-kc-platform",
        "title": "Trends vergelijken met andere scholen in het KC-platform",
        "description": (
            "Bespreekt twee keer per jaar de voortgang en de trends van de eigen school met "
            "collega-kwaliteitscoördinatoren van andere scholen. Neemt werkzame interventies "
            "van anderen mee terug naar de eigen school."
        ),
        "domain": "data",
        "default_hours": 8,
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "overleg-directeur",
        "title": "Vast overleg met de directeur",
        "description": (
            "Heeft wekelijks of tweewekelijks overleg met de directeur over de voortgang, "
            "signalen uit de groepen en de kwaliteitscyclus. Legt daar ook verantwoording af "
            "over de eigen taken."
        ),
        "domain": "data",
        "default_hours": 40,
        "source": "Competenties IB (003), andragogisch; Functiebeschrijving IB (002)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "gegevens-invoeren-administratie",
        "title": "Toets- en leerlinggegevens invoeren",
        "description": (
            "De IB'er voert toetsscores, notities of andere leerlinggegevens in het "
            "leerlingvolgsysteem in voor de leerkrachten, of doet andere leerlingadministratie."
        ),
        "domain": "data",
        "default_hours": 24,
        "source": "KempenKind 2013 §1; SWV Apeldoorn 2016",
        "is_ib_task": False,
        "not_ib_reason": (
            "Dit is administratief werk, en KempenKind rekent zulk werk uitdrukkelijk niet tot "
            "de taak van de IB'er (KempenKind 2013 §1); het SWV laat de "
            "school afspreken wie de administratieve taken doet (SWV Apeldoorn 2016)."
        ),
    },
    # ------------------------------------------------------------------------------------------
    # Domein 3: Ondersteuning & zorg (zorgregisseur)
    # ------------------------------------------------------------------------------------------
    {
        "key": "ondersteuning-coordineren",
        "title": "Ondersteuning op school coördineren",
        "description": (
            "Houdt overzicht over alle ondersteuning in de school en legt de zorgroute, "
            "procedures en afspraken vast. Bewaakt dat iedereen ze volgt en stuurt bij waar de "
            "route vastloopt."
        ),
        "domain": "zorg",
        "default_hours": 80,
        "source": "KempenKind 2013 §1; Competenties IB (003), organisatorisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "intern-ondersteuningsteam",
        "title": "Intern ondersteuningsteam (IOT) organiseren",
        "description": (
            "Plant en leidt de bijeenkomsten van het intern ondersteuningsteam met onder meer de "
            "gedragswetenschapper, het schoolmaatschappelijk werk en de jeugdverpleegkundige, en "
            "werkt daarin handelingsgericht. Zorgt voor verslag en opvolging van de afspraken."
        ),
        "domain": "zorg",
        "default_hours": 40,
        "source": "SWV Apeldoorn 2016",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "groepsbesprekingen",
        "title": "Groepsbesprekingen voeren (3x per jaar)",
        "description": (
            "Bespreekt drie keer per jaar met elke leerkracht de groep: wat de leerlingen nodig "
            "hebben, hoe het aanbod werkt en welke leerlingen extra aandacht vragen. Gerekend op "
            "8 groepen en ongeveer 2 uur per bespreking, voorbereiding inbegrepen."
        ),
        "domain": "zorg",
        "default_hours": 48,  # 3 x 8 groepen x 2 uur
        "source": "Competenties IB (003), andragogisch; Functiebeschrijving IB (002), regisseur",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "anonieme-leerlingbespreking",
        "title": "Anonieme leerlingbespreking in het leerteam faciliteren",
        "description": (
            "Zorgt voor een vast format waarmee leerkrachten een leerling zonder naam in het "
            "leerteam inbrengen, zodat de casus met zo min mogelijk vooroordelen wordt bekeken. "
            "Bewaakt het proces; de oplossingen komen uit het team."
        ),
        "domain": "zorg",
        "default_hours": 16,
        "source": "TIB-dossier 2024 (LBBO 2022)",
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
            "de IB'er externe expertise in."
        ),
        "domain": "zorg",
        "default_hours": 100,  # ongeveer 2,5 uur per week, 40 weken
        "source": "KempenKind 2013 §1; Competenties IB (003), andragogisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "leerlingobservaties",
        "title": "Leerlingen observeren en de observatie nabespreken",
        "description": (
            "Observeert op verzoek van de leerkracht een leerling in de klas. Bespreekt de "
            "bevindingen met de leerkracht en adviseert over de volgende stappen."
        ),
        "domain": "zorg",
        "default_hours": 40,
        "source": "Competenties IB (003), andragogisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "groepsplannen-handelingsplannen",
        "title": "Leerkrachten ondersteunen bij groeps- en handelingsplannen",
        "description": (
            "Helpt leerkrachten bij het opstellen en uitvoeren van groepsplannen en individuele "
            "plannen. Bewaakt dat die plannen er zijn waar ze nodig zijn."
        ),
        "domain": "zorg",
        "default_hours": 30,
        "source": "KempenKind 2013 §1; Competenties IB (003), andragogisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "opp-begeleiden",
        "title": "Leerkrachten begeleiden bij het ontwikkelingsperspectiefplan (OPP)",
        "description": (
            "Ondersteunt de leerkracht bij het opstellen, bespreken en evalueren van een OPP en "
            "verbindt het perspectief met de leerlijnen. Gerekend op ongeveer acht leerlingen "
            "met een OPP."
        ),
        "domain": "zorg",
        "default_hours": 40,  # ongeveer 8 leerlingen x 5 uur
        "source": "KempenKind 2013 §1; SWV Apeldoorn 2016",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "aanvullend-onderzoek",
        "title": "Aanvullend onderzoek afwegen en regelen",
        "description": (
            "Bepaalt samen met de leerkracht of een leerling met leer- of gedragsvragen nader "
            "onderzocht moet worden en regelt dat onderzoek. Waar het kan, voert de leerkracht "
            "of een externe deskundige het onderzoek uit."
        ),
        "domain": "zorg",
        "default_hours": 24,
        "source": "Competenties IB (003), methodologisch; KempenKind 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "externe-contacten",
        "title": "Aanspreekpunt voor externe partners in de ondersteuning",
        "description": (
            "Onderhoudt namens de school de contacten met instellingen voor "
            "onderwijsondersteuning en jeugdhulp, zoals het CJG of wijkteam, de "
            "leerplichtambtenaar en het samenwerkingsverband. Wisselt met hen informatie uit "
            "binnen de afspraken over privacy."
        ),
        "domain": "zorg",
        "default_hours": 60,
        "source": "KempenKind 2013 §1; SWV Apeldoorn 2016; Competenties IB (003)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "aanvragen-extra-ondersteuning-tlv",
        "title": "Aanvragen voor extra ondersteuning en TLV begeleiden",
        "description": (
            "Stelt samen met de leerkracht en de ouders de aanvraag op voor extra ondersteuning "
            "of een toelaatbaarheidsverklaring bij het samenwerkingsverband. Stemt daarover af "
            "met de gedragswetenschapper van het SWV."
        ),
        "domain": "zorg",
        "default_hours": 30,
        "source": "SWV Apeldoorn 2016; Competenties IB (003), externe samenwerking",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "verwijzing-sbo-so",
        "title": "Verwijzing naar speciaal (basis)onderwijs begeleiden",
        "description": (
            "Onderzoekt met leerkracht, ouders, directie en betrokken instanties of een overstap "
            "naar het sbo of so nodig is. Coördineert daarna het plaatsingsproces."
        ),
        "domain": "zorg",
        "default_hours": 16,
        "source": "Competenties IB (003), methodologisch en externe samenwerking",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "instroom-zij-instromers",
        "title": "Instroom van zij-instromers voorbereiden",
        "description": (
            "Verzamelt informatie over leerlingen die van een andere school komen en weegt met de "
            "directeur af of de school hun kan bieden wat zij nodig hebben. Zorgt voor een goede "
            "start in de nieuwe groep."
        ),
        "domain": "zorg",
        "default_hours": 12,
        "source": "Competenties IB (003), methodologisch; Functiebeschrijving IB (002), regisseur",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "overstap-voortgezet-onderwijs",
        "title": "Overstap naar het voortgezet onderwijs begeleiden",
        "description": (
            "Coördineert de activiteiten rond de schoolverlaters en bewaakt een zorgvuldige "
            "overdracht naar het voortgezet onderwijs. Ondersteunt de leerkracht bij het "
            "onderwijskundig rapport."
        ),
        "domain": "zorg",
        "default_hours": 20,
        "source": "KempenKind 2013 §1; Competenties IB (003), organisatorisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "overdracht-voorschool",
        "title": "Overdracht van voorschool naar kleutergroep bewaken",
        "description": (
            "Zorgt voor een zorgvuldige overdracht van peuteropvang of voorschool naar de "
            "kleutergroep, in lijn met het beleid voor voor- en vroegschoolse educatie (VVE)."
        ),
        "domain": "zorg",
        "default_hours": 12,
        "source": "KempenKind 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "erwd-protocol",
        "title": "Uitvoering van het ERWD-protocol bewaken",
        "description": (
            "Ziet erop toe dat de school het protocol voor ernstige reken-wiskundeproblemen en "
            "dyscalculie (ERWD) volgt, van signaleren en begeleiden in de klas tot tijdig "
            "doorverwijzen."
        ),
        "domain": "zorg",
        "default_hours": 12,
        "source": "KempenKind 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "oudergesprekken-ondersteunen",
        "title": "Leerkracht ondersteunen bij gesprekken met ouders",
        "description": (
            "Helpt de leerkracht gesprekken met ouders over zorgen rond hun kind voor te bereiden "
            "en schuift alleen aan als de zorg groot is of de samenwerking stroef loopt. De "
            "leerkracht blijft het gezicht naar de ouders."
        ),
        "domain": "zorg",
        "default_hours": 30,
        "source": "KempenKind 2013 §1; Competenties IB (003), andragogisch",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "sop-zorgplan-actualiseren",
        "title": "Schoolondersteuningsprofiel en zorgplan actualiseren",
        "description": (
            "Houdt het schoolondersteuningsprofiel (SOP) en het zorg- of ondersteuningsplan van "
            "de school actueel. Vertaalt ze in concrete actiepunten voor het schooljaar."
        ),
        "domain": "zorg",
        "default_hours": 12,
        "source": "SWV Apeldoorn 2016; Competenties IB (003), innovatief",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "ondersteuningsstructuur-evalueren",
        "title": "Ondersteuningsstructuur evalueren en vernieuwen",
        "description": (
            "Gaat regelmatig na of de ondersteuningsstructuur van de school werkt, op basis van "
            "gesignaleerde knelpunten en nieuwe inzichten. Doet voorstellen om de structuur en "
            "het planmatig handelen te verbeteren."
        ),
        "domain": "zorg",
        "default_hours": 20,
        "source": "Functiebeschrijving IB (002), regisseur; KempenKind 2013 §1",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "leerlingdossiers-bewaken",
        "title": "Kwaliteit van de leerlingdossiers bewaken",
        "description": (
            "Zorgt dat de (digitale) leerlingdossiers volledig, actueel en bruikbaar zijn. "
            "Bewaakt dat de afspraken over wat er in een dossier hoort worden nagekomen."
        ),
        "domain": "zorg",
        "default_hours": 16,
        "source": "KempenKind 2013 §1; Competenties IB (003), beheersmatig",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "zorgnetwerken-swv",
        "title": "School vertegenwoordigen in zorgnetwerken en het SWV",
        "description": (
            "Neemt namens de school deel aan overleggen van het samenwerkingsverband en aan "
            "regionale of wijkgebonden zorgnetwerken. Vertaalt wat daar speelt naar de praktijk "
            "van de eigen school."
        ),
        "domain": "zorg",
        "default_hours": 24,
        "source": "Competenties IB (003), externe samenwerking; KempenKind 2013 §2",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "bovenschools-ondersteuningsbeleid",
        "title": "Bijdragen aan bovenschools ondersteuningsbeleid",
        "description": (
            "Ontwikkelt samen met andere intern begeleiders en de stichting beleid voor de "
            "ondersteuning van leerlingen. Adviseert het bestuur daarover, via de directeur "
            "onderwijs."
        ),
        "domain": "zorg",
        "default_hours": 12,
        "source": "Functiebeschrijving IB (002), regisseur; Competenties IB (003), innovatief",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "regie-met-ketenpartners",
        "title": "Regie voeren als meerdere partners rond een leerling actief zijn",
        "description": (
            "Organiseert, samen met de ouders, de afstemming tussen school, passend onderwijs en "
            "jeugdhulp zodra externe partners een actieve rol krijgen. Vertaalt de afspraken naar "
            "het dagelijks handelen van de leerkracht, die de uitvoering in de klas houdt."
        ),
        "domain": "zorg",
        "default_hours": 30,
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "basisondersteuning-bewaken",
        "title": "Kwaliteit van basis- en extra ondersteuning bewaken",
        "description": (
            "Volgt hoe het aanbod voor alle leerlingen en de aanvullende hulp in de groepen in de "
            "praktijk uitpakken. Legt beide naast de schoolafspraken en naast de ijkpunten voor "
            "basisondersteuning van het samenwerkingsverband."
        ),
        "domain": "zorg",
        "default_hours": 16,
        "source": "KempenKind 2013 §1; SWV Apeldoorn 2016; TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "team-informeren-ondersteuning",
        "title": "Team bijpraten over de afspraken rond ondersteuning",
        "description": (
            "Frist de afspraken over basisaanbod, zorgroute en extra ondersteuning op, "
            "bijvoorbeeld met een presentatie op een studiedag of een stuk in de interne "
            "nieuwsbrief."
        ),
        "domain": "zorg",
        "default_hours": 8,
        "source": "TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": True,
        "not_ib_reason": "",
    },
    {
        "key": "remedial-teaching-leerlingen",
        "title": "Remedial teaching aan leerlingen geven",
        "description": (
            "De IB'er oefent zelf met individuele leerlingen of kleine groepjes, in of buiten de "
            "klas."
        ),
        "domain": "zorg",
        "default_hours": 80,
        "source": "KempenKind 2013 §1; Competenties IB (003)",
        "is_ib_task": False,
        "not_ib_reason": (
            "Remedial teaching hoort niet bij de IB'er: haar werk richt zich op de leerkracht en "
            "het team, niet op de afzonderlijke leerling (KempenKind 2013 §1). Het oefenen met "
            "kinderen doen de leerkracht in de klas of de remedial teacher, niet de IB'er "
            "(Competenties IB, 003)."
        ),
    },
    {
        "key": "orthotheek-bestellen-inrichten",
        "title": "Bestellingen doen voor en inrichten van de orthotheek",
        "description": (
            "De IB'er bestelt materialen voor de orthotheek, houdt de voorraad bij en richt de "
            "orthotheek in."
        ),
        "domain": "zorg",
        "default_hours": 16,
        "source": "KempenKind 2013 §1",
        "is_ib_task": False,
        "not_ib_reason": (
            "Materiaal bestellen en de orthotheek op orde brengen zijn administratieve klussen; "
            "KempenKind noemt ze uitdrukkelijk als werk dat buiten de functie van de IB'er valt "
            "(KempenKind 2013 §1). Advies over de keuze van materialen kan wel bij de IB'er liggen."
        ),
    },
    {
        "key": "oudergesprekken-overnemen",
        "title": "Oudergesprekken voeren in plaats van de leerkracht",
        "description": (
            "De IB'er voert de gesprekken met ouders over hun kind zelf, zonder de leerkracht of "
            "in diens plaats."
        ),
        "domain": "zorg",
        "default_hours": 20,
        "source": "Competenties IB (003); TIB-dossier 2024 (LBBO 2022)",
        "is_ib_task": False,
        "not_ib_reason": (
            "De verantwoordelijkheid voor de leerlingen ligt bij de leerkracht, die ook zelf de "
            "gesprekken met ouders voert; de IB'er sluit alleen aan bij grote zorg of stroeve "
            "samenwerking (Competenties IB, 003). Ook de beroepsstandaard ziet de leraar als het "
            "gezicht naar de ouders (TIB-dossier 2024, LBBO 2022)."
        ),
    },
    {
        "key": "casus-overnemen",
        "title": "Leerlingcasussen overnemen van de leerkracht",
        "description": (
            "De IB'er wordt zelf casushouder van leerlingen met extra ondersteuningsbehoeften en "
            "voert de aanpak uit, in plaats van de leerkracht daarin te versterken."
        ),
        "domain": "zorg",
        "default_hours": 40,
        "source": "TIB-dossier 2024 (LBBO 2022); KempenKind 2013 §1",
        "is_ib_task": False,
        "not_ib_reason": (
            "Volgens de beroepsstandaard blijft de leraar zo lang mogelijk casushouder en houdt "
            "de leerkracht de uitvoering; de kwaliteitscoördinator hoort niet iedere "
            "leerlingvraag zelf op te pakken (TIB-dossier 2024, LBBO 2022). Ook bij KempenKind "
            "is de doelgroep van de IB'er de leerkracht en het team (KempenKind 2013 §1)."
        ),
    },
)

_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MAX_HOURS = 1659  # a full normjaartaak (CAO PO)


def validate() -> None:
    """Check the catalogue's internal consistency; raises AssertionError on the first problem."""
    codes = [d["code"] for d in DOMAINS]
    assert codes == ["leren", "data", "zorg"], codes
    for domain in DOMAINS:
        assert set(domain) == {"code", "name", "role", "description", "older_name"}, domain
        assert all(domain[field].strip() for field in domain), domain["code"]
        assert all(len(domain[f]) <= 100 for f in ("name", "role", "older_name")), domain

    fields = {
        "key",
        "title",
        "description",
        "domain",
        "default_hours",
        "source",
        "is_ib_task",
        "not_ib_reason",
    }
    keys = [t["key"] for t in TASKS]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"duplicate keys: {duplicates}"
    assert len(TASKS) >= 40, f"only {len(TASKS)} tasks"

    for task in TASKS:
        key = task["key"]
        assert set(task) == fields, f"{key}: fields {sorted(set(task) ^ fields)}"
        assert _KEY_RE.match(key) and len(key) <= 80, f"{key}: not an ascii slug"
        assert task["domain"] in codes, f"{key}: unknown domain {task['domain']!r}"
        assert task["title"].strip() and len(task["title"]) <= 80, f"{key}: title"
        assert task["description"].strip(), f"{key}: no description"
        assert task["source"].strip() and len(task["source"]) <= 200, f"{key}: source"
        hours = task["default_hours"]
        assert isinstance(hours, int | float) and not isinstance(hours, bool), f"{key}: hours"
        assert 0 < hours <= _MAX_HOURS and round(hours, 1) == hours, f"{key}: hours {hours}"
        assert isinstance(task["is_ib_task"], bool), f"{key}: is_ib_task"
        if task["is_ib_task"]:
            assert task["not_ib_reason"] == "", f"{key}: IB task with a not-IB reason"
        else:
            assert task["not_ib_reason"].strip(), f"{key}: non-IB task without a reason"

    for code in codes:
        count = sum(1 for t in TASKS if t["domain"] == code)
        assert count >= 10, f"domain {code}: only {count} tasks"
    assert sum(1 for t in TASKS if not t["is_ib_task"]) >= 6, "too few non-IB tasks"


if __name__ == "__main__":
    validate()
    ib_tasks = [t for t in TASKS if t["is_ib_task"]]
    print(f"OK: {len(DOMAINS)} domains, {len(TASKS)} tasks ({len(ib_tasks)} IB tasks)")
    for domain in DOMAINS:
        in_domain = [t for t in TASKS if t["domain"] == domain["code"]]
        ib = [t for t in in_domain if t["is_ib_task"]]
        hours = sum(t["default_hours"] for t in ib)
        print(
            f"  {domain['code']:<6} {len(in_domain):>2} tasks, {len(ib):>2} IB "
            f"({hours:g} h), {len(in_domain) - len(ib)} not IB"
        )
    print(f"Sum of default hours of the IB tasks: {sum(t['default_hours'] for t in ib_tasks):g}")
    print("Not IB work:")
    for task in TASKS:
        if not task["is_ib_task"]:
            print(f"  - {task['key']}: {task['title']}")
