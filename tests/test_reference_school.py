"""The catalogue's reference school (issue 13): a package from the defaults fits a real school.

A school of 300 pupils, 12 groups and 16 teachers with a 0.6 fte IB'er: 0.6 x 1659 = 995.4
hours, minus the CAO's reserved hours (about 83 professionalisation + 40 sustainable
employability = 123 per fte, 0.6 x 123 = 73.8) leaves 921.6 hours for IB tasks. A balanced
package built from the catalogue's defaults, as a director proposes them on the sheet, lands
within that budget with room to choose, spread over the three LBBO domains.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from schools.models import Membership, Role
from tasks import packages
from tasks.models import CatalogueTask, Domain, Package, PackageItem
from tasks.services import catalogue_copy_standard
from tasks.standard_catalogue import REFERENCE_RE, RETIRED, TASKS, UNIT_WORDS, stated_rule

from . import factories as f

H = Decimal

# What a director of the reference school would pick: the core of each domain, the general
# duties, and none of the not-IB tasks.
BALANCED = [
    # leercoördinator
    "klassenbezoeken-met-nagesprek",
    "leerteams-ondersteunen",
    "coaching-instructie-klassenmanagement",
    "onderwijsinhoudelijke-teambijeenkomsten",
    "teamprofessionalisering-regisseren",
    "schoolplan-jaarplan-opstellen",
    "overleg-directeur",
    "nieuwe-leerkrachten-inwerken",
    "ib-netwerk-kc-platform",
    # trendanalist
    "groepsbesprekingen",
    "trendanalyse-twee-keer-per-jaar",
    "toetskalender-toetsafspraken",
    "leerlingvolgsysteem-beheren",
    "kwaliteitsrapportage",
    "jaarplan-evalueren",
    "ib-werkplan",
    # zorgregisseur
    "ondersteuning-coordineren",
    "intern-ondersteuningsteam",
    "consultatie-handelingsverlegenheid",
    "leerlingobservaties",
    "opp-begeleiden",
    "externe-contacten",
    "aanvragen-extra-ondersteuning-tlv",
    "arrangementen-uitvoeren-verantwoorden",
    "overstap-voortgezet-onderwijs",
    "zorgprotocollen-bijhouden",
    "oudergesprekken-ondersteunen",
    "sop-zorgplan-actualiseren",
    "meldcode-veilig-thuis",
    # algemene schooltaken
    "teamvergaderingen-studiedagen",
    "schoolactiviteiten",
]

# Pairs of tasks that touch: each says what the other covers (a "Niet:" naming the other).
TOUCHING = [
    ("groepsbesprekingen", "trendanalyse-twee-keer-per-jaar"),
    ("leerteams-ondersteunen", "groepsbesprekingen"),
    ("externe-contacten", "regie-met-ketenpartners"),
    ("regie-met-ketenpartners", "externe-contacten"),
    ("aanvragen-extra-ondersteuning-tlv", "arrangementen-uitvoeren-verantwoorden"),
    ("arrangementen-uitvoeren-verantwoorden", "aanvragen-extra-ondersteuning-tlv"),
    ("trendanalyse-twee-keer-per-jaar", "ib-netwerk-kc-platform"),
    ("onderwijsinhoudelijke-teambijeenkomsten", "teamprofessionalisering-regisseren"),
    ("teamprofessionalisering-regisseren", "onderwijsinhoudelijke-teambijeenkomsten"),
    ("klassenbezoeken-met-nagesprek", "coaching-instructie-klassenmanagement"),
    ("coaching-instructie-klassenmanagement", "klassenbezoeken-met-nagesprek"),
    ("teamvergaderingen-studiedagen", "onderwijsinhoudelijke-teambijeenkomsten"),
    ("ondersteuningsstructuur-evalueren", "sop-zorgplan-actualiseren"),
    ("kwaliteitsrapportage", "trendanalyse-twee-keer-per-jaar"),
]


@pytest.fixture
def reference(db):
    """The reference school's package (draft) and its board's catalogue by key."""
    board = f.BoardFactory(hours_per_fte=H("1659"), reserved_hours_per_fte=H("123"))
    school = f.SchoolFactory(board=board)
    year = f.SchoolYearFactory(start_year=2026)
    f.SchoolFiguresFactory(school=school, school_year=year, pupils=300, groups=12, teachers=16)
    appointment = f.AppointmentFactory(board=board, shares=[(school, H("0.6"))])
    director = f.director(school)
    package = packages.package_create(
        share=appointment.shares.get(), school_year=year, actor=director
    )
    catalogue_copy_standard(board=board)
    tasks = {task.standard_key: task for task in CatalogueTask.objects.filter(board=board)}
    return package, tasks, director


def build(package: Package, tasks: dict, director, keys: list[str]) -> list[PackageItem]:
    """Add each task at the hours the sheet proposes for this school."""
    size = packages.school_size(package)
    for key in keys:
        packages.item_add(
            package=package,
            actor=director,
            lock_version=package.lock_version,
            task=tasks[key],
            hours=packages.proposed_hours(tasks[key], size),
        )
    return list(packages.current_version(package).items.select_related("domain"))


def test_reference_school_package_fits_the_budget_with_room_to_choose(reference):
    package, tasks, director = reference
    assert package.budget_hours == H("921.6")  # 995.4 - 73.8
    items = build(package, tasks, director, BALANCED)
    hours = {item.task.standard_key: item.hours for item in items}
    # The example figures, for 16 teachers and 12 groups:
    assert hours["klassenbezoeken-met-nagesprek"] == 3 * 2 * 16  # 3 visits of 2 h per teacher
    assert hours["groepsbesprekingen"] == 64  # 3 x about 1.75 h x 12 groups = 63 (5.3 h/group)
    assert hours["trendanalyse-twee-keer-per-jaar"] == 2 * 16  # twice a year, about 16 h
    assert 6 * 5 <= hours["intern-ondersteuningsteam"] <= 8 * 5  # 6-8 meetings of about 5 h

    summary = packages.summarize(package, items, list(Domain.objects.all()))
    assert summary.over_budget_hours == 0
    # Room to choose: at least a tenth of the budget is still free for the school's own choices.
    assert summary.left_hours >= summary.budget_hours / 10, summary.left_hours
    # ... and the package is a real one: it uses most of the budget.
    assert summary.assigned_hours >= summary.budget_hours * H("0.75"), summary.assigned_hours
    # Spread over the three LBBO domains within the board's signals (no empty domain), none
    # of them dominating: each between 15% and 50% of the hours in the LBBO domains.
    assert summary.empty_domains == [] and summary.not_ib_items == []
    lbbo = {line.domain.code: line.hours for line in summary.domains if line.domain.is_lbbo}
    total = sum(lbbo.values())
    for code, domain_hours in lbbo.items():
        assert H("0.15") <= domain_hours / total <= H("0.5"), (code, domain_hours, total)


def test_hours_scale_with_the_school_not_with_the_fte(reference):
    package, tasks, _director = reference
    big = packages.SchoolSize(groups=23, teachers=31)
    small = packages.school_size(package)
    trend = tasks["trendanalyse-twee-keer-per-jaar"]
    visits = tasks["klassenbezoeken-met-nagesprek"]
    # A 600-pupil school spends the same on the twice-yearly trend analysis ...
    assert packages.proposed_hours(trend, big) == packages.proposed_hours(trend, small) == 32
    # ... and more on class visits, because it has more teachers.
    assert packages.proposed_hours(visits, big) == 6 * 31


def test_teachers_are_estimated_from_the_groups_when_unknown(db):
    figures = f.SchoolFiguresFactory.build(groups=12, teachers=None)
    size = packages.SchoolSize.of(figures)
    assert (size.groups, size.teachers, size.teachers_estimated) == (12, 16, True)
    size = packages.SchoolSize.of(f.SchoolFiguresFactory.build(groups=5, teachers=None))
    assert size.teachers == 7  # 5 x 4 / 3 = 6.7, rounded up
    assert packages.SchoolSize.of(None).assumed


def test_the_sheet_proposes_the_hours_for_the_school_and_states_the_estimate(client, reference):
    package, tasks, director = reference
    client.force_login(director)
    url = reverse("tasks:package-catalogue", args=[package.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    rows = {row["task"].standard_key: row for row in response.context["task_rows"]}
    assert rows["klassenbezoeken-met-nagesprek"]["hours"] == "96"
    assert rows["groepsbesprekingen"]["hours"] == "64"
    assert rows["trendanalyse-twee-keer-per-jaar"]["hours"] == "32"
    assert "6 uur per leerkracht" in response.text
    assert "12 groepen en 16 leerkrachten" in response.text
    assert "geschat" not in response.text
    # Without the number of teachers, the page says it estimates them.
    package.school.figures.update(teachers=None)
    response = client.get(url, headers={"HX-Request": "true"})
    assert "4 leerkrachten per 3 groepen" in response.text


def test_every_catalogue_task_states_its_unit():
    for task in TASKS:
        assert task["unit"] in UNIT_WORDS, task["key"]
        assert stated_rule(task["description"]) == (task["default_hours"], task["unit"]), task[
            "key"
        ]


def test_no_two_tasks_describe_the_same_activity_without_a_scope():
    keys = {task["key"] for task in TASKS}
    by_key = {task["key"]: task for task in TASKS}
    # The tasks that were one activity with another are merged away ...
    assert not keys & set(RETIRED)
    for old, into in RETIRED.items():
        assert into is None or into in keys, old
    # ... own professional development is not a task (it is in the reserved hours) ...
    assert not any("eigen professionalisering" in t["title"].lower() for t in TASKS)
    # ... and tasks that touch say in a "Niet:" sentence what the other one covers.
    for key, other in TOUCHING:
        description = by_key[key]["description"]
        assert "Niet:" in description, key
        assert by_key[other]["title"] in REFERENCE_RE.findall(description), (key, other)
    # One way to inform the team, one task for the learning-team meetings.
    informing = [t for t in TASKS if re.search(r"\bteam (bijpraten|informeren)", t["title"], re.I)]
    assert len(informing) == 1


def test_sources_are_names_a_user_can_look_up():
    for task in TASKS:
        assert not re.search(r"\(\d{3}\)", task["source"] + task["not_ib_reason"]), task["key"]
        assert "TIB-dossier" not in task["source"]


def test_the_school_figures_take_an_optional_number_of_teachers(client, db):
    board = f.BoardFactory()
    school = f.SchoolFactory(board=board)
    staff = f.UserFactory()
    Membership.objects.create(user=staff, role=Role.BOARD_STAFF, board=board)
    client.force_login(staff)
    url = reverse("schools:figures-edit", args=[school.pk, 2032])
    client.post(url, {"pupils": "300", "groups": "12", "teachers": "17"})
    figures = school.figures.get(school_year__start_year=2032)
    assert figures.teachers == 17
    data = {"pupils": "300", "groups": "12", "teachers": "", "lock_version": figures.lock_version}
    client.post(url, data)
    figures.refresh_from_db()
    assert figures.teachers is None  # unknown again: estimated from the groups
    page = client.get(reverse("schools:school-detail", args=[school.pk]))
    assert "Aantal leerkrachten onbekend" in page.text
