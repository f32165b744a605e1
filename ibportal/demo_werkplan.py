"""Demo werkplans for ``seed_demo``: development points of the demo schools and the goals of
every demo package version, so each role has something to read (and the signals show).

Idempotent like the rest of the demo: points are matched by school and title, and a version
that has goals already is left alone. Goals are written directly (seed data, like an import):
the agreed versions of the demo got their werkplan before they were agreed, as they would in
the app, but the demo builds the packages first and the werkplans after.
"""

from __future__ import annotations

from schools.models import DevelopmentPoint, School
from tasks.models import Domain, Package, PackageVersion, WerkplanGoal

Source = DevelopmentPoint.Source

# key: (title, source, first school year, last school year, description)
POINTS = {
    "lezen": (
        "Begrijpend lezen versterken",
        Source.SCHOOL_PLAN,
        2023,
        2026,
        "Schoolplan 2023-2027: de resultaten begrijpend lezen in groep 5 tot en met 8 liggen "
        "onder de signaleringswaarde; instructie en leesmotivatie krijgen vier jaar aandacht.",
    ),
    "zicht": (
        "Zicht op ontwikkeling: groepsoverzichten op orde",
        Source.INSPECTION,
        2025,
        2026,
        "De inspectie zag dat de analyse van de toetsgegevens niet altijd leidt tot aanpassing "
        "van het aanbod in de groep.",
    ),
    "sop": (
        "Basisondersteuning zoals het SOP die belooft",
        Source.PARTNERSHIP,
        2025,
        2027,
        "Afspraak met het samenwerkingsverband: het SOP actueel, de basisondersteuning in elke "
        "groep zichtbaar.",
    ),
    "rekenen": (
        "Rekenresultaten groep 6 tot en met 8 omhoog",
        Source.RESULTS,
        2026,
        2026,
        "De eindmeting 2026 liet een daling zien op bewerkingen en verhoudingen.",
    ),
}

# The IB's proposal that waits for the director (school, key, title, source, description).
PROPOSALS = [
    (
        "11AA",
        "Een passend aanbod voor meer- en hoogbegaafde leerlingen",
        Source.YEAR_PLAN,
        "Vijf groepen vragen om een plusaanbod; nu regelt elke leerkracht het zelf.",
    ),
    (
        "11AC",
        "Eén lijn in de sociaal-emotionele monitoring",
        Source.BOARD,
        "Het bestuur vraagt alle scholen hetzelfde monitorinstrument te gebruiken.",
    ),
]

# Goals: (title, point key or None, free source, domain code, success, task keys). A goal is
# tied to the tasks of the version that are among its keys; a version without any gets none.
GOALS = [
    (
        "Sterkere instructie begrijpend lezen",
        "lezen",
        "",
        "leren",
        "Elke leerkracht van groep 4 tot en met 8 had twee klassenbezoeken met nagesprek over "
        "de leesinstructie; bij de eindmeting haalt 75% het streefniveau.",
        [
            "klassenbezoeken-met-nagesprek",
            "coaching-instructie-klassenmanagement",
            "kennis-effectief-leren-delen",
            "onderwijsinhoudelijke-teambijeenkomsten",
        ],
    ),
    (
        "Van trendanalyse naar acties in de groep",
        "zicht",
        "",
        "data",
        "Na de midden- en eindmeting bespreekt het team de trendanalyse en legt elke "
        "leerkracht twee acties vast in het groepsoverzicht; bij de volgende meting zien we "
        "of ze werkten.",
        [
            "trendanalyse-twee-keer-per-jaar",
            "groepsresultaten-analyseren",
            "databespreking-leerteam",
            "leerkrachten-coachen-data-analyse",
            "groepsbesprekingen",
        ],
    ),
    (
        "Basisondersteuning zichtbaar in elke groep",
        "sop",
        "",
        "zorg",
        "Het SOP is bijgewerkt en in het team besproken; elke aanvraag voor extra "
        "ondersteuning heeft een volledig groepsoverzicht en een verslag van het intern "
        "ondersteuningsteam.",
        [
            "sop-zorgplan-actualiseren",
            "intern-ondersteuningsteam",
            "aanvragen-extra-ondersteuning-tlv",
            "ondersteuning-coordineren",
            "anonieme-leerlingbespreking",
        ],
    ),
]
# This year the werkplan is drawn up more closely with the package: the same goals are
# served by more of the regular work (last year's werkplan left many hours beside it).
SERVED_TOO_IN_2026 = {
    "Sterkere instructie begrijpend lezen": [
        "leerteams-ondersteunen",
        "doorgaande-leerlijnen",
        "teamprofessionalisering-regisseren",
        "collegiale-consultatie-organiseren",
        "Invoering van de nieuwe methode begrijpend lezen",  # a task of the school's own
    ],
    "Van trendanalyse naar acties in de groep": [
        "toetskalender-toetsafspraken",
        "kwaliteitsrapportage",
        "groepsplannen-handelingsplannen",
        "leerlingvolgsysteem-beheren",
        "effecten-ondersteuning-evalueren",
    ],
    "Basisondersteuning zichtbaar in elke groep": [
        "consultatie-handelingsverlegenheid",
        "opp-begeleiden",
        "arrangementen-uitvoeren-verantwoorden",
        "ondersteuningsstructuur-evalueren",
        "regie-met-ketenpartners",
    ],
}
# This year's extra goal (with a source of its own and no task yet: the signal shows).
GOAL_2026 = (
    "Rekenen: automatiseren in groep 6",
    "rekenen",
    "",
    "leren",
    "In de midden- en bovenbouw oefenen alle groepen dagelijks tien minuten; bij de "
    "middenmeting is de daling van 2026 gestopt.",
    [],
)
# De Vlinder's reopened version: the extra group 3 brings a goal of its own (a comparison).
GOAL_VLINDER_V2 = (
    "Aanvankelijk lezen in de extra groep 3",
    None,
    "Extra groep 3 na de herfstvakantie (teambesluit)",
    "leren",
    "Elke leerling van de nieuwe groep 3 is in februari op niveau voor AVI-start of heeft "
    "een groepsplan met extra instructie.",
    ["leerlingobservaties"],
)


def werkplan_create(schools: dict[str, School]) -> None:
    points = {brin: school_points(school) for brin, school in schools.items()}
    for brin, title, source, description in PROPOSALS:
        school = schools[brin]
        ib = school.ib_shares.select_related("appointment__ib").first().appointment.ib
        DevelopmentPoint.objects.get_or_create(
            school=school,
            title=title,
            defaults={
                "source": source,
                "start_year": 2026,
                "end_year": 2027,
                "description": description,
                "status": DevelopmentPoint.Status.PROPOSED,
                "proposed_by": ib,
            },
        )
    domains = {domain.code: domain for domain in Domain.objects.all()}
    versions = PackageVersion.objects.filter(
        package__in=Package.objects.filter(share__school__in=schools.values()),
        goals__isnull=True,
    ).select_related("package__share__school", "package__school_year")
    for version in versions:
        package = version.package
        year = package.school_year.start_year
        wanted = GOALS if year >= 2026 else GOALS[:2]
        if year >= 2026 and package.school.brin in {"11AA", "11AJ"}:
            wanted = [*wanted, GOAL_2026]
        if package.school.brin == "11AE" and version.number == 2:
            wanted = [*wanted, GOAL_VLINDER_V2]
        if year >= 2026:
            wanted = [(*goal[:5], goal[5] + SERVED_TOO_IN_2026.get(goal[0], [])) for goal in wanted]
        goals_add(version, wanted, points[package.school.brin], domains)


def school_points(school: School) -> dict[str, DevelopmentPoint]:
    made = {}
    for key, (title, source, first, last, description) in POINTS.items():
        made[key], _created = DevelopmentPoint.objects.get_or_create(
            school=school,
            title=title,
            defaults={
                "source": source,
                "start_year": first,
                "end_year": last,
                "description": description,
            },
        )
    return made


def goals_add(version: PackageVersion, wanted, points, domains) -> None:
    # Catalogue tasks by their standard key, the school's own tasks by their title.
    items = {
        item.task.standard_key if item.task else item.title: item
        for item in version.items.select_related("task")
    }
    for title, point_key, source_text, domain, success, keys in wanted:
        goal = WerkplanGoal.objects.create(
            version=version,
            title=title,
            development_point=points[point_key] if point_key else None,
            source_text=source_text,
            domain=domains[domain],
            success_criterion=success,
        )
        goal.items.set([items[key] for key in keys if key in items])
