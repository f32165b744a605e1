"""The standard frameworks' first edition, as boards copied them before indicators (fixture).

One descriptor per cell, bundling several behaviours, and the levels beginnend ... voorbeeld:
what an existing database holds. ``test_framework_editions`` builds board copies from it to
check that migration 0007 adds the second edition as a new version and changes nothing old.
"""

from __future__ import annotations

# The default four-step scale. Descriptions say what the step looks like in practice; they are
# meant for a conversation, not as a grade (the IB role has no assessing function).
DEFAULT_LEVELS = (
    {
        "name": "beginnend",
        "description": (
            "Ik ken dit onderdeel en voer het uit met hulp van een collega of een vast "
            "stappenplan. Ik zoek nog naar mijn eigen aanpak."
        ),
    },
    {
        "name": "ontwikkelend",
        "description": (
            "Ik voer dit onderdeel meestal zelfstandig uit in bekende situaties. In nieuwe of "
            "lastige situaties vraag ik nog om advies."
        ),
    },
    {
        "name": "bekwaam",
        "description": (
            "Ik voer dit onderdeel zelfstandig en doelgericht uit, ook als de situatie lastig is, "
            "en kan mijn keuzes onderbouwen."
        ),
    },
    {
        "name": "voorbeeld",
        "description": (
            "Ik beheers dit onderdeel zo goed dat collega's en andere IB'ers van mij leren; ik "
            "ontwikkel de werkwijze mee op school- of bestuursniveau."
        ),
    },
)

_KK = "KempenKind 2013 §2"
_ZEVEN = "Competenties IB (003)"
_LBBO = "TIB-dossier 2024 (LBBO 2022)"


def _bullets(*items: str) -> str:
    return "\n".join(f"- {item}" for item in items)


FRAMEWORKS: dict[str, dict] = {
    "kempenkind-matrix": {
        "name": "KempenKind-matrix",
        "description": (
            "Beroepsrollen van de IB'er uitgezet tegen de contexten waarin zij werkt: met de "
            "individuele leerkracht, met het team en bovenschools. Elke cel beschrijft wat de "
            "IB'er in die rol en die context doet."
        ),
        "kind": "matrix",
        "source": _KK,
        "columns": (
            "Werken met individuele groepsleraren",
            "Werken met het team binnen de schoolorganisatie",
            "Werken in bovenschoolse verbanden en met de externe omgeving",
        ),
        "rows": (
            {
                "title": "Interpersoonlijk handelen",
                "description": "Hoe de IB'er relaties aangaat en onderhoudt.",
                "source": _KK,
                "cells": (
                    "Bouwt met de leerkracht een werkrelatie op die draait om samenwerking en "
                    "betrokkenheid, en houdt die relatie in stand.",
                    "Geeft het team energie en zorgt voor een werkklimaat waarin het schoolplan "
                    "echt uitgevoerd kan worden.",
                    "Vertegenwoordigt de eigen school in bovenschoolse netwerken en laat zien wat "
                    "de school doet.",
                ),
            },
            {
                "title": "Processen begeleiden",
                "description": "Hoe de IB'er ontwikkeling en verandering begeleidt, ook de eigen.",
                "source": _KK,
                "cells": (
                    "Zet de sterke kanten van de leerkracht in en kijkt kritisch naar de eigen "
                    "opvattingen, het eigen handelen en de eigen rol als IB'er.",
                    "Maakt zichtbaar hoe mensen over een verandering denken, geeft passende "
                    "feedback, volgt de ontwikkelingen in het onderwijs en laat zich door nieuwe "
                    "ideeën inspireren.",
                    "Kijkt over de grenzen van de eigen school heen en kan loskomen van de "
                    "gewoonten en ideeën van de eigen school.",
                ),
            },
            {
                "title": "Coördinerend handelen in relatie tot de extra ondersteuning",
                "description": "Hoe de IB'er plannen en doelen rond extra ondersteuning afstemt.",
                "source": _KK,
                "cells": (
                    "Brengt de plannen en doelen van de school in lijn met die van de "
                    "individuele leerkracht.",
                    "Brengt de plannen en doelen van de school in lijn met die van het team.",
                    "Verbindt de plannen en doelen van de school met die van instellingen in de "
                    "omgeving en neemt daarin de coördinatie op zich.",
                ),
            },
            {
                "title": "Uitvoeren van het schoolplan",
                "description": (
                    "Hoe de IB'er bijdraagt aan het maken en uitvoeren van het schoolplan."
                ),
                "source": _KK,
                "cells": (
                    "Geeft de leerkracht instructie bij het uitvoeren van het schoolplan in de "
                    "eigen groep.",
                    "Ziet op basis van verzamelde gegevens trends voor het schoolplan, helpt het "
                    "schoolplan op te stellen, instrueert (een deel van) het team bij de "
                    "uitvoering en vertaalt de visie op ondersteuning naar de eigen school.",
                    "Vertaalt wat zij in netwerken opdoet naar activiteiten in de dagelijkse "
                    "praktijk van de school.",
                ),
            },
        ),
        "levels": DEFAULT_LEVELS,
    },
    "zeven-ib-competenties": {
        "name": "Zeven IB-competenties",
        "description": (
            "De zeven competenties van de intern begeleider uit de eerdere LBBO-standaard, elk "
            "met voorbeelden van activiteiten die bij de competentie horen."
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
                    _bullets(
                        "groepsbesprekingen met leerkrachten leiden",
                        "leerlingen in de klas observeren, dit nabespreken met de leerkracht en "
                        "vervolgstappen adviseren",
                        "de leerkracht helpen bij groeps- en individuele plannen",
                        "verkennende gesprekken voeren waarin de leerkracht eigenaar blijft",
                        "leerkrachten steunen bij gesprekken met ouders",
                        "vergaderingen leiden, presenteren en begeleidingsgesprekken voeren",
                    ),
                ),
            },
            {
                "title": "Methodologisch",
                "description": "Onderzoeken, gegevens verzamelen en analyseren.",
                "source": _ZEVEN,
                "cells": (
                    _bullets(
                        "beslissen of aanvullend onderzoek nodig is en dat regelen",
                        "onderzoeken of een zij-instromer op school kan worden toegelaten",
                        "met leerkracht, ouders en directie nagaan of verwijzing naar het "
                        "speciaal (basis)onderwijs nodig is",
                        "toetsgegevens verzamelen en analyseren",
                        "uitkomsten van een inspectiebezoek duiden",
                        "de leerlijnen van de school analyseren en verbeteringen zoeken",
                    ),
                ),
            },
            {
                "title": "Beheersmatig",
                "description": "Systemen, dossiers en beleidsstukken op orde houden.",
                "source": _ZEVEN,
                "cells": (
                    _bullets(
                        "het leerlingvolgsysteem actueel houden",
                        "beleidsstukken opstellen en passend maken voor de eigen school",
                        "zorgen voor goede dossiervorming",
                    ),
                ),
            },
            {
                "title": "Organisatorisch",
                "description": "De leerlingenzorg op schoolniveau organiseren en bewaken.",
                "source": _ZEVEN,
                "cells": (
                    _bullets(
                        "de ondersteuning op schoolniveau coördineren met procedures, protocollen "
                        "en afspraken",
                        "toezien op het naleven van die afspraken",
                        "de toetskalender opstellen",
                        "bewaken dat handelingsplannen worden opgesteld",
                        "verwijzingen naar externe zorg en de overstap van schoolverlaters "
                        "coördineren",
                        "samenwerking tussen school en externe partijen regelen",
                    ),
                ),
            },
            {
                "title": "Innovatief",
                "description": "Vernieuwen en kwaliteit verbeteren.",
                "source": _ZEVEN,
                "cells": (
                    _bullets(
                        "een zorgplan opstellen aan de hand van kwaliteitscriteria en dat "
                        "uitwerken in actieplannen",
                        "het team bijpraten over nieuwe ontwikkelingen, materialen en methodes",
                        "kwaliteitsrapportages schrijven",
                        "kennis delen in inhoudelijke vergaderingen",
                        "met andere IB'ers en externen bovenschools beleid ontwikkelen",
                    ),
                ),
            },
            {
                "title": "Externe samenwerking",
                "description": "Samenwerken met ouders en professionals buiten de school.",
                "source": _ZEVEN,
                "cells": (
                    _bullets(
                        "bewaken dat ouders en school goed contact hebben",
                        "met ouders en leerkracht overleggen zodat de verantwoordelijkheid "
                        "gedeeld wordt",
                        "aanmelding bij externe hulpverlening met ouders en leerkracht bespreken",
                        "aanvragen voor extra ondersteuning begeleiden en plaatsing afstemmen",
                        "deelnemen aan externe netwerken zoals het samenwerkingsverband",
                        "informatie uitwisselen met onder meer inspectie, leerplicht en jeugdzorg",
                    ),
                ),
            },
            {
                "title": "Zelfreflectie",
                "description": "Werken aan de eigen rol en ontwikkeling.",
                "source": _ZEVEN,
                "cells": (
                    _bullets(
                        "de eigen functie vormgeven en ontwikkelen binnen de schoolorganisatie",
                        "planmatig aan de eigen ontwikkeling werken",
                        "bijblijven in ontwikkelingen in het onderwijs en in het eigen vakgebied",
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
            "kwaliteitscoördinator', elk met de bijbehorende rol en indicatoren."
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
                    _bullets(
                        "deelt onderzoekskennis over hoe leren werkt met het team",
                        "legt klassenbezoeken af rond een thema en voert een nagesprek",
                        "stimuleert dat leerkrachten een eigen leervraag formuleren",
                        "ondersteunt leerteams en collegiale uitwisseling van goede praktijken",
                        "helpt het team gedeelde afspraken over effectief lesgeven te maken en "
                        "na te komen",
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
                    _bullets(
                        "analyseert twee keer per jaar trends in de resultaten en bespreekt ze",
                        "helpt leerkrachten toets-, observatie- en formatieve gegevens te duiden "
                        "en om te zetten in vervolgacties",
                        "stimuleert een onderzoekende houding in het team",
                        "betrekt specialisten (taal, rekenen, gedrag) bij het duiden van data",
                        "bespreekt trends en effectieve aanpakken met collega's bovenschools",
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
                    _bullets(
                        "laat zorgen eerst in het leerteam bespreken, bijvoorbeeld anoniem",
                        "komt in beeld als de aanpak in de groep onvoldoende oplevert",
                        "overziet de basis- en extra ondersteuning in de klassen",
                        "verbindt de inzet van school, ouders en externe partners",
                        "versterkt de leerkracht zodat die de uitvoering zelf houdt",
                    ),
                ),
            },
        ),
        "levels": DEFAULT_LEVELS,
    },
}
