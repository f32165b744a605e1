"""Standard competency frameworks: plain Python data, copied into a board's own frameworks.

No Django imports and no models: ``competencies.services.framework_copy_standard`` makes a
board's copy, which board staff then edit. Texts are Dutch, written in our own words from the
seed documents in ``/work/shared/seeds/`` (see ``DOMAIN.md``); every row carries a short
``source`` that names a document a user can look up:

- "KempenKind beleid 2013": the board policy "De intern begeleider bij Onderwijsstichting
  KempenKind" (2013), §2, its matrix of roles and contexts.
- "Competenties IB": a school's explanation of the seven IB competencies of the earlier LBBO
  standard, with example activities (written in today's terms here: groepsplan, jeugdhulp,
  Veilig Thuis, toelaatbaarheidsverklaring).
- "LBBO-standaard 2022 (TIB-dossier 2024)": the professional journal's dossier on the LBBO
  standard 2022, its three domains and the practice it describes.

**One observable behaviour per indicator.** A self-assessment gives one level per indicator,
so an indicator names one thing an IB can be seen doing; where a source bundles several
behaviours in one cell or competency, they are separate indicators here, and the cell shows
their spread. (The first edition of these frameworks had one descriptor per cell that
bundled two to four behaviours; boards that still have it get this edition as a new version,
see migration ``0007``.)

Shape of one framework (``FRAMEWORKS``, keyed by a stable ASCII ``key``; never change a key,
board copies refer to it through ``Framework.standard_key``):

``name``, ``description``, ``kind`` ("matrix" or "list"), ``source``,
``columns`` (matrix: titles of the contexts; list: empty),
``rows``: each ``title``, ``description``, ``source`` and ``cells`` (matrix: one tuple of
indicators per column, in column order; list: exactly one tuple of indicators),
``levels``: the scale, each ``name`` and ``description`` (numbered 1.. in order).
"""

from __future__ import annotations

import re

# The default four-step scale, named with adjectives of one kind. Descriptions say what the
# step looks like in practice; they are meant for a conversation, not as a grade (the IB role
# has no assessing function).
DEFAULT_LEVELS = (
    {
        "name": "beginnend",
        "description": (
            "Ik laat dit gedrag zien met hulp van een collega of een vast stappenplan. Ik zoek "
            "nog naar mijn eigen aanpak."
        ),
    },
    {
        "name": "ontwikkelend",
        "description": (
            "Ik laat dit gedrag meestal zelfstandig zien in bekende situaties. In nieuwe of "
            "lastige situaties vraag ik nog om advies."
        ),
    },
    {
        "name": "bekwaam",
        "description": (
            "Ik laat dit gedrag zelfstandig en doelgericht zien, ook als de situatie lastig is, "
            "en kan mijn keuzes onderbouwen."
        ),
    },
    {
        "name": "excellent",
        "description": (
            "Ik beheers dit zo goed dat collega's en andere IB'ers van mij leren; ik ontwikkel "
            "de werkwijze mee op school- of bestuursniveau."
        ),
    },
)

_KK = "KempenKind beleid 2013"
_ZEVEN = "Competenties IB"
_LBBO = "LBBO-standaard 2022 (TIB-dossier 2024)"


FRAMEWORKS: dict[str, dict] = {
    "kempenkind-matrix": {
        "name": "KempenKind-matrix",
        "description": (
            "Beroepsrollen van de IB'er uitgezet tegen de contexten waarin zij werkt: met de "
            "individuele leerkracht, met het team en bovenschools. Elke cel noemt wat de IB'er "
            "in die rol en die context doet, in één of meer indicatoren: gedrag dat je kunt "
            "zien, elk met een eigen niveau."
        ),
        "kind": "matrix",
        "source": _KK,
        # The contexts keep the titles of the first edition (the source's own, "groepsleraren"
        # included): versions and catalogue task links match cells by these titles.
        "columns": (
            "Werken met individuele groepsleraren",
            "Werken met het team binnen de schoolorganisatie",
            "Werken in bovenschoolse verbanden en met de externe omgeving",
        ),
        "rows": (
            {
                "title": "Interpersoonlijk handelen",
                "description": "Hoe de IB'er werkrelaties aangaat en onderhoudt.",
                "source": _KK,
                "cells": (
                    (
                        "Bouwt met de leerkracht een werkrelatie op van samenwerking en "
                        "betrokkenheid.",
                    ),
                    (
                        "Brengt het team in beweging voor de doelen van het schoolplan.",
                        "Zorgt met de directeur voor een werkklimaat waarin het team het "
                        "schoolplan kan uitvoeren.",
                    ),
                    (
                        "Vertegenwoordigt de eigen school in bovenschoolse netwerken.",
                        "Laat collega's van andere scholen zien hoe de eigen school werkt.",
                    ),
                ),
            },
            {
                "title": "Processen begeleiden",
                "description": "Hoe de IB'er ontwikkeling en verandering begeleidt, ook de eigen.",
                "source": _KK,
                "cells": (
                    (
                        "Zet de sterke kanten van de leerkracht in bij de begeleiding.",
                        "Onderzoekt kritisch de eigen opvattingen en het eigen handelen als IB'er.",
                    ),
                    (
                        "Maakt bij een verandering zichtbaar hoe teamleden erover denken.",
                        "Geeft teamleden feedback die aansluit bij hun aandeel in de verandering.",
                        "Volgt de inhoudelijke ontwikkelingen in het onderwijs.",
                        "Brengt nieuwe ideeën uit het onderwijs in het team in.",
                    ),
                    (
                        "Kijkt bij een vraagstuk over de grenzen van de eigen school heen.",
                        "Stelt vaste werkwijzen van de eigen school ter discussie als een "
                        "andere aanpak beter past.",
                    ),
                ),
            },
            {
                "title": "Coördinerend handelen in relatie tot de extra ondersteuning",
                "description": "Hoe de IB'er plannen en doelen rond extra ondersteuning afstemt.",
                "source": _KK,
                "cells": (
                    (
                        "Zorgt dat de plannen en doelen van de leerkracht aansluiten bij die "
                        "van de school.",
                    ),
                    (
                        "Zorgt dat de afspraken van het team over ondersteuning aansluiten bij "
                        "de plannen en doelen van de school.",
                    ),
                    (
                        "Verbindt de plannen van de school met de doelen van instellingen in "
                        "de omgeving.",
                        "Coördineert de samenwerking met die instellingen rond de extra "
                        "ondersteuning.",
                    ),
                ),
            },
            {
                "title": "Uitvoeren van het schoolplan",
                "description": (
                    "Hoe de IB'er bijdraagt aan het maken en uitvoeren van het schoolplan."
                ),
                "source": _KK,
                "cells": (
                    ("Instrueert de leerkracht bij het uitvoeren van het schoolplan in de groep.",),
                    (
                        "Signaleert uit verzamelde gegevens trends die het schoolplan moet "
                        "meenemen.",
                        "Schrijft mee aan het schoolplan.",
                        "Instrueert het team of een deel ervan bij het uitvoeren van het "
                        "schoolplan.",
                        "Vertaalt de visie op ondersteuning naar afspraken voor de eigen school.",
                    ),
                    ("Zet wat zij in netwerken leert om in activiteiten op de eigen school.",),
                ),
            },
        ),
        "levels": DEFAULT_LEVELS,
    },
    "zeven-ib-competenties": {
        "name": "Zeven IB-competenties",
        "description": (
            "De zeven competenties van de intern begeleider uit de eerdere LBBO-standaard, elk "
            "met indicatoren: gedrag dat je kunt zien, elk met een eigen niveau."
        ),
        "kind": "list",
        "source": _ZEVEN,
        "columns": (),
        "rows": (
            {
                "title": "Andragogisch",
                "description": "Volwassenen begeleiden: leerkrachten en het team.",
                "source": _ZEVEN,
                "cells": (
                    (
                        "Leidt groepsbesprekingen met leerkrachten.",
                        "Observeert leerlingen in de klas vanuit een vraag van de leerkracht.",
                        "Bespreekt na een observatie met de leerkracht welke vervolgstappen "
                        "passen.",
                        "Helpt de leerkracht bij het opstellen van een groepsplan of een "
                        "individueel plan.",
                        "Voert verkennende gesprekken waarin de leerkracht verantwoordelijk "
                        "blijft voor de aanpak.",
                        "Ondersteunt de leerkracht bij gesprekken met ouders.",
                        "Leidt overleggen met het team doelgericht.",
                    ),
                ),
            },
            {
                "title": "Methodologisch",
                "description": "Onderzoeken, gegevens verzamelen en analyseren.",
                "source": _ZEVEN,
                "cells": (
                    (
                        "Beslist of aanvullend onderzoek bij een leerling nodig is.",
                        "Regelt het aanvullend onderzoek als dat nodig is.",
                        "Onderzoekt bij een zij-instromer of de school kan bieden wat de "
                        "leerling nodig heeft.",
                        "Onderzoekt met leerkracht, ouders en directeur of speciaal "
                        "(basis)onderwijs nodig is.",
                        "Analyseert de toetsgegevens van de groepen en de school.",
                        "Duidt de uitkomsten van een inspectiebezoek.",
                        "Onderzoekt waar de leerlijnen van de school beter kunnen.",
                    ),
                ),
            },
            {
                "title": "Beheersmatig",
                "description": "Systemen, dossiers en beleidsstukken op orde houden.",
                "source": _ZEVEN,
                "cells": (
                    (
                        "Houdt het leerlingvolgsysteem actueel.",
                        "Maakt beleidsstukken over ondersteuning passend voor de eigen school.",
                        "Zorgt dat de leerlingdossiers volledig zijn.",
                    ),
                ),
            },
            {
                "title": "Organisatorisch",
                "description": "De ondersteuningsstructuur van de school organiseren en bewaken.",
                "source": _ZEVEN,
                "cells": (
                    (
                        "Legt procedures, protocollen en afspraken over ondersteuning vast.",
                        "Bewaakt dat het team zich aan die afspraken houdt.",
                        "Stelt de toetskalender op.",
                        "Bewaakt dat groepsplannen of groepsoverzichten op tijd klaar zijn.",
                        "Coördineert de verwijzing van een leerling naar externe hulp.",
                        "Coördineert de overdracht van schoolverlaters naar het voortgezet "
                        "onderwijs.",
                        "Regelt de afstemming tussen school en externe partners.",
                    ),
                ),
            },
            {
                "title": "Innovatief",
                "description": "Vernieuwen en kwaliteit verbeteren.",
                "source": _ZEVEN,
                "cells": (
                    (
                        "Maakt aan de hand van kwaliteitscriteria een plan voor de "
                        "ondersteuningsstructuur met concrete acties.",
                        "Houdt het team op de hoogte van nieuwe ontwikkelingen, materialen en "
                        "methodes.",
                        "Schrijft kwaliteitsrapportages over de ondersteuning.",
                        "Deelt kennis in inhoudelijke teamvergaderingen.",
                        "Ontwikkelt met andere IB'ers en externe partners bovenschools beleid.",
                    ),
                ),
            },
            {
                "title": "Externe samenwerking",
                "description": "Samenwerken met ouders en professionals buiten de school.",
                "source": _ZEVEN,
                "cells": (
                    (
                        "Bewaakt dat ouders en school goed contact met elkaar hebben.",
                        "Overlegt met ouders en leerkracht zodat zij de verantwoordelijkheid "
                        "delen.",
                        "Bespreekt een aanmelding bij jeugdhulp met ouders en leerkracht.",
                        "Begeleidt een aanvraag voor een toelaatbaarheidsverklaring bij het "
                        "samenwerkingsverband.",
                        "Coördineert de plaatsing van een leerling op een andere school.",
                        "Neemt deel aan externe netwerken, zoals die van het samenwerkingsverband.",
                        "Wisselt informatie uit met onder meer inspectie, leerplicht, "
                        "jeugdhulp en Veilig Thuis.",
                    ),
                ),
            },
            {
                "title": "Zelfreflectie",
                "description": "Werken aan de eigen rol en ontwikkeling.",
                "source": _ZEVEN,
                "cells": (
                    (
                        "Geeft de eigen functie vorm binnen de schoolorganisatie.",
                        "Werkt planmatig aan de eigen ontwikkeling.",
                        "Volgt de ontwikkelingen in het onderwijs en in het eigen vakgebied.",
                    ),
                ),
            },
        ),
        "levels": DEFAULT_LEVELS,
    },
    "lbbo-2022-domeinen": {
        "name": "LBBO 2022: drie domeinen",
        "description": (
            "De drie domeinen van de beroepsstandaard 2022 'De intern begeleider als "
            "kwaliteitscoördinator', elk met de bijbehorende rol en indicatoren: gedrag dat je "
            "kunt zien, elk met een eigen niveau."
        ),
        "kind": "list",
        "source": _LBBO,
        "columns": (),
        "rows": (
            {
                "title": "Focus op leren & brede ontwikkeling (leercoördinator)",
                "description": (
                    "Het leren van alle leerlingen, met nadruk op basisvaardigheden, en het leren "
                    "van het hele team."
                ),
                "source": _LBBO,
                "cells": (
                    (
                        "Deelt met het team kennis uit onderzoek over hoe leren werkt.",
                        "Legt klassenbezoeken af rond een afgesproken thema.",
                        "Voert na elk klassenbezoek een nagesprek met de leerkracht.",
                        "Stimuleert leerkrachten een eigen leervraag op te stellen.",
                        "Ondersteunt leerteams bij het uitwisselen van goede praktijken.",
                        "Helpt het team afspraken te maken over effectief lesgeven.",
                        "Bevordert dat teamleden elkaar aanspreken op het nakomen van die "
                        "afspraken.",
                    ),
                ),
            },
            {
                "title": "Data, monitoring & reflectie (trendanalist)",
                "description": (
                    "Samen met de schoolleider de kwaliteitscyclus laten draaien: beschrijven, "
                    "verklaren, evalueren en verbeteren."
                ),
                "source": _LBBO,
                "cells": (
                    (
                        "Analyseert na elk meetmoment de trends in de resultaten van de school.",
                        "Bespreekt met de directeur welke vervolgacties de trends vragen.",
                        "Helpt leerkrachten toets-, observatie- en formatieve gegevens te "
                        "vertalen naar vervolgacties.",
                        "Stimuleert een onderzoekende houding in het team.",
                        "Betrekt de taal-, reken- of gedragsspecialist bij het duiden van "
                        "gegevens.",
                        "Bespreekt trends en werkzame aanpakken met collega's van andere scholen.",
                    ),
                ),
            },
            {
                "title": "Ondersteuning & zorg (zorgregisseur)",
                "description": (
                    "Regie op de ondersteuning, terwijl de leerkracht eigenaar blijft en het "
                    "eerste aanspreekpunt voor ouders is."
                ),
                "source": _LBBO,
                "cells": (
                    (
                        "Laat zorgen over een leerling eerst in het leerteam bespreken, "
                        "bijvoorbeeld anoniem.",
                        "Komt in beeld als de aanpak in de groep en het leerteam onvoldoende "
                        "oplevert.",
                        "Houdt overzicht over de basis- en extra ondersteuning in de school.",
                        "Verbindt de inzet van school, ouders en externe partners.",
                        "Versterkt de leerkracht zodat die de ondersteuning in de klas zelf "
                        "uitvoert.",
                    ),
                ),
            },
        ),
        "levels": DEFAULT_LEVELS,
    },
}

_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIELDS = {"name", "description", "kind", "source", "columns", "rows", "levels"}
_ROW_FIELDS = {"title", "description", "source", "cells"}
# An indicator is one short sentence; whether it names one behaviour is checked by reading.
_MAX_INDICATOR_LENGTH = 120


def _check_indicators(where: str, indicators: tuple) -> None:
    assert isinstance(indicators, tuple) and indicators, f"{where}: no indicators"
    assert len(set(indicators)) == len(indicators), f"{where}: duplicate indicator"
    for text in indicators:
        assert text.strip() == text and text.endswith("."), f"{where}: {text!r}"
        assert len(text) <= _MAX_INDICATOR_LENGTH, f"{where}: too long: {text!r}"
        # One sentence, no list: a bundle of behaviours shows as a second sentence, a
        # semicolon or a line break.
        assert text.count(".") == 1 and ";" not in text and "\n" not in text, f"{where}: {text!r}"


def validate() -> None:
    """Check the data's internal consistency; raises AssertionError on the first problem."""
    assert set(FRAMEWORKS) == {
        "kempenkind-matrix",
        "zeven-ib-competenties",
        "lbbo-2022-domeinen",
    }, sorted(FRAMEWORKS)
    for key, framework in FRAMEWORKS.items():
        assert _KEY_RE.match(key) and len(key) <= 80, key
        assert set(framework) == _FIELDS, f"{key}: fields {sorted(set(framework) ^ _FIELDS)}"
        assert framework["kind"] in ("matrix", "list"), key
        assert framework["name"].strip() and len(framework["name"]) <= 200, key
        assert framework["description"].strip() and framework["source"].strip(), key
        columns = framework["columns"]
        if framework["kind"] == "matrix":
            assert len(columns) >= 1, f"{key}: a matrix needs columns"
        else:
            assert columns == (), f"{key}: a list has no columns"
        assert all(c.strip() and len(c) <= 200 for c in columns), key
        assert len(set(columns)) == len(columns), f"{key}: duplicate columns"
        cells_per_row = len(columns) or 1
        titles = [row["title"] for row in framework["rows"]]
        assert titles and len(set(titles)) == len(titles), f"{key}: rows"
        for row in framework["rows"]:
            where = f"{key}/{row['title']}"
            assert set(row) == _ROW_FIELDS, where
            assert row["title"].strip() and len(row["title"]) <= 200, where
            assert row["source"].strip(), where
            assert len(row["cells"]) == cells_per_row, f"{where}: {len(row['cells'])} cells"
            for indicators in row["cells"]:
                _check_indicators(where, indicators)
        levels = framework["levels"]
        assert 2 <= len(levels) <= 10, f"{key}: levels"
        assert all(set(level) == {"name", "description"} for level in levels), key
        assert all(lv["name"].strip() and len(lv["name"]) <= 100 for lv in levels), key
        assert all(lv["description"].strip() for lv in levels), key
    assert [lv["name"] for lv in DEFAULT_LEVELS] == [
        "beginnend",
        "ontwikkelend",
        "bekwaam",
        "excellent",
    ]
    matrix = FRAMEWORKS["kempenkind-matrix"]
    assert (len(matrix["rows"]), len(matrix["columns"])) == (4, 3)
    assert len(FRAMEWORKS["zeven-ib-competenties"]["rows"]) == 7
    assert len(FRAMEWORKS["lbbo-2022-domeinen"]["rows"]) == 3


def indicator_count(framework: dict) -> int:
    return sum(len(indicators) for row in framework["rows"] for indicators in row["cells"])


if __name__ == "__main__":
    validate()
    for key, framework in FRAMEWORKS.items():
        cells = len(framework["rows"]) * (len(framework["columns"]) or 1)
        print(
            f"OK {key}: {framework['kind']}, {len(framework['rows'])} rows, {cells} cells, "
            f"{indicator_count(framework)} indicators"
        )
