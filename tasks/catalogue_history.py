"""Earlier editions of the standard catalogue, as fingerprints: how a migration tells a board's
unedited copy of a standard task (safe to bring up to date) from one the board changed (kept).

A fingerprint covers what a board can edit and the standard sets: title, description, domain,
unit, hours, source and the not-IB marking. Each edition maps a task key to the fingerprint of
its text in that edition. Add the current edition here before the standard texts change again.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal


def fingerprint(
    *,
    title: str,
    description: str,
    domain: str,
    unit: str,
    default_hours: object,
    source: str,
    is_ib_task: bool,
    not_ib_reason: str,
) -> str:
    hours = f"{Decimal(str(default_hours)):.1f}"
    parts = [title, description, domain, unit, hours, source, str(int(is_ib_task)), not_ib_reason]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def standard_fingerprint(task: dict) -> str:
    """The fingerprint of a task of ``standard_catalogue.TASKS`` (or an earlier edition)."""
    return fingerprint(
        title=task["title"],
        description=task["description"],
        domain=task["domain"],
        unit=task.get("unit", "year"),
        default_hours=task["default_hours"],
        source=task["source"],
        is_ib_task=task["is_ib_task"],
        not_ib_reason=task["not_ib_reason"],
    )


# The first edition (until December 2026): hours per year, no units.
EDITION_2025 = {
    "klassenbezoeken-met-nagesprek": "759ef4b4a2830798",
    "leerteams-ondersteunen": "63ef95e89a19b06f",
    "kennis-effectief-leren-delen": "963a84b8487247b7",
    "schoolplan-jaarplan-opstellen": "129a830159a60904",
    "schoolplan-uitvoeren-met-leerkrachten": "d66f19c31565e7d6",
    "coaching-instructie-klassenmanagement": "5ed7f65a0df93745",
    "onderwijsvernieuwingen-signaleren": "553cf8d5c0a57b11",
    "professionele-leercultuur": "5514c9f5dcea6450",
    "teamprofessionalisering-regisseren": "b8ef79f073b33b64",
    "onderwijsinhoudelijke-teambijeenkomsten": "69fa6ebc0b2f5ec1",
    "doorgaande-leerlijnen": "8338d01726a2aaf5",
    "visie-op-leren-verbetervoorstellen": "3fd4fa7f0f519936",
    "collegiale-consultatie-organiseren": "794997f953833079",
    "nieuwe-leerkrachten-inwerken": "6ff0c63d2956cd80",
    "onderwijsvernieuwingsprojecten": "5c9d054bb40dc3fa",
    "ib-netwerk-kc-platform": "9724509f81e8c73d",
    "eigen-professionalisering": "4c7927a1c49addb1",
    "invallen-lesgeven": "7ec22f5554163ff6",
    "leerkrachten-beoordelen": "22d1760129474e48",
    "trendanalyse-twee-keer-per-jaar": "3b22b95ce98fcd6f",
    "groepsresultaten-analyseren": "db1cbb5b2e70d267",
    "leerkrachten-coachen-data-analyse": "25de3994db89cf9a",
    "databespreking-leerteam": "2c79ae4324f2b7ad",
    "resultaten-presenteren-team": "d9927eaedecb225f",
    "toetskalender-toetsafspraken": "4b9e48a56c3209be",
    "leerlingvolgsysteem-beheren": "7d179d3fd04a327a",
    "referentieniveaus-bewaken": "74387fe8050fa09a",
    "effecten-ondersteuning-evalueren": "9f74dc81ba38e56b",
    "kwaliteitsrapportage": "a73f88f484c25b6a",
    "inspectiebevindingen-duiden": "b8dd62aa22968750",
    "gegevens-voor-schoolplan": "5a8c8684c3e97493",
    "jaarplan-evalueren": "3c67d8c6728e25a6",
    "knelpunten-kansen-signaleren": "e14b68147b31a741",
    "onderzoek-onderwijskwaliteit": "596ef634202c9bfa",
    "monitor-sociaal-emotioneel": "0d366f69664616d0",
    "ib-werkplan": "0b9dadcb1590b1c5",
    "trends-vergelijken-kc-platform": "dae091a662dec8c4",
    "overleg-directeur": "518d08bae3e9dd1f",
    "gegevens-invoeren-administratie": "9989b86a431bcf56",
    "ondersteuning-coordineren": "f0cb355fb620cac2",
    "intern-ondersteuningsteam": "f2f92117c2db53f9",
    "groepsbesprekingen": "e2afa905bbd6ae54",
    "anonieme-leerlingbespreking": "9e28f797e659e6da",
    "consultatie-handelingsverlegenheid": "26be260b534c3f19",
    "leerlingobservaties": "a0ec0fa2cf20292d",
    "groepsplannen-handelingsplannen": "823aaa24f1a4d0b0",
    "opp-begeleiden": "03304751a3a9f79c",
    "aanvullend-onderzoek": "41ea854339b52bbf",
    "externe-contacten": "26a6e163dcf365c6",
    "aanvragen-extra-ondersteuning-tlv": "77605d592d3d5c8c",
    "verwijzing-sbo-so": "f3a615693ae6f4dc",
    "instroom-zij-instromers": "86384832c4ec24a5",
    "overstap-voortgezet-onderwijs": "3344c3b7f35322c6",
    "overdracht-voorschool": "08b1bce2212b86aa",
    "erwd-protocol": "23089fb0cd500361",
    "oudergesprekken-ondersteunen": "71020bb89d6ba087",
    "sop-zorgplan-actualiseren": "36636e6eb34f155f",
    "ondersteuningsstructuur-evalueren": "0ce8c92e52994712",
    "leerlingdossiers-bewaken": "8dab69d8cc0a2043",
    "zorgnetwerken-swv": "287b97c0a5a82085",
    "bovenschools-ondersteuningsbeleid": "7aad79fe3332adcd",
    "regie-met-ketenpartners": "6c9432865ef4e893",
    "basisondersteuning-bewaken": "f96fd73a8822127c",
    "team-informeren-ondersteuning": "68a4f9d3c43a6f48",
    "remedial-teaching-leerlingen": "67a6099d054ba717",
    "orthotheek-bestellen-inrichten": "1dde1b0d1cfbfd2f",
    "oudergesprekken-overnemen": "682c087c8ffe3f1f",
    "casus-overnemen": "62ed15326b1e5609",
}

EDITIONS = [EDITION_2025]
