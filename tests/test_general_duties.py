"""The general school duties (issue 13): a fourth category outside the three LBBO domains.

They count in the budget and show as their own line, column and chart segment; the LBBO
signals (a domain without hours) look at the three LBBO domains only.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings

from reporting.charts import domain_mix_chart
from reporting.comparison import comparison_columns
from schools.figures import Figures
from tasks.models import Domain, PackageItem
from tasks.packages import summarize

from .test_packages import make_board, unsaved_package

H = Decimal


def test_general_duties_come_last_and_are_no_lbbo_domain(db):
    domains = list(Domain.objects.all())
    assert [d.is_lbbo for d in domains] == [True, True, True, False]
    assert domains[-1].code == "algemeen"


def test_package_without_general_duties_has_no_signal_for_them(db):
    d = {domain.code: domain for domain in Domain.objects.all()}
    package = unsaved_package("0.6", make_board("1659", "0"))
    items = [
        PackageItem(title="Klassenbezoeken", domain=d["leren"], hours=H("96")),
        PackageItem(title="Trendanalyse", domain=d["data"], hours=H("32")),
        PackageItem(title="IOT", domain=d["zorg"], hours=H("35")),
    ]
    summary = summarize(package, items, list(d.values()))
    assert summary.empty_domains == []
    items.append(PackageItem(title="Teamvergaderingen", domain=d["algemeen"], hours=H("37")))
    summary = summarize(package, items, list(d.values()))
    # 96 + 32 + 35 + 37 = 200: the general duties count in the hours and have their line.
    assert summary.assigned_hours == H("200")
    assert [line.percentage for line in summary.domains] == [H("48"), H("16"), H("18"), H("18")]


def test_comparison_and_chart_show_the_general_duties_as_their_own_part(db):
    domains = list(Domain.objects.all())
    keys = [column.key for column in comparison_columns(domains, show_board=False)]
    assert "domein-algemeen" in keys
    row = Figures(
        board=make_board(),
        pupils=300,
        groups=12,
        appointed_fte=H("0.6"),
        norms=None,
        domains=domains,
        domain_hours={domain.pk: H("25") for domain in domains},
    )
    chart = domain_mix_chart([row], lambda r: "School")
    classes = [segment.css for segment in chart.bars[0].segments]
    assert classes[-1] == "chart-domain-4"
    css = (Path(settings.BASE_DIR) / "static" / "css" / "ibportal.css").read_text()
    assert ".chart-domain-4" in css
