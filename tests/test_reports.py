"""What the reports show, on the seed database: the issue's figures, quotes, targets apart."""

from __future__ import annotations

import re

import pytest

from analysis.errors import ParameterError
from analysis.reports import OverviewReport, RegionReport, ThemeReport, report_specs
from analysis.store import Store
from analysis.tables import join


def render(report, *parts) -> str:
    return str(join(getattr(report, p)() for p in parts))


@pytest.fixture(scope="module")
def bargaining(seed_db):
    r = ThemeReport("bargaining", db=seed_db)
    return r, render(
        r,
        "header",
        "how_to_read",
        "overview",
        "by_region",
        "charts",
        "derived",
        "achieved",
        "planned",
    )


@pytest.fixture(scope="module")
def membership(seed_db):
    r = ThemeReport("membership", db=seed_db)
    return r, render(r, "header", "how_to_read", "derived", "achieved", "planned")


def rows_with(html: str, *needles: str) -> list[str]:
    return [
        row
        for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S)
        if all(n in row for n in needles)
    ]


def test_bargaining_shows_the_seed_figures_with_their_quotes(bargaining):
    _, html = bargaining
    for region, figure in (
        ("靖西市", "63份"),
        ("靖西市", "13895人"),
        ("景洪市", "441份"),
        ("景洪市", "≥46000人"),
    ):
        rows = rows_with(html, f">{region}<", figure, '<q class="evidence">')
        assert rows, f"no row with {region} {figure} and its quote"
    assert "<mark>63份</mark>" in html and "<mark>4.6万余人</mark>" in html


def test_bargaining_derives_workers_per_contract_and_names_the_ratio(bargaining):
    _, html = bargaining
    assert "220.6" in html  # 13895 / 63
    assert "≥104.3" in html  # ≥46000 / 441
    assert "not an ILO coverage rate" in html
    assert "≥99.5%" in html  # ≥46000 covered beside 46221 members


def test_plan_figures_appear_as_targets_only(bargaining):
    report, html = bargaining
    fuining = report.facts[report.facts["region"] == "阜宁县"]
    assert len(fuining) == 3 and set(fuining["modality"]) == {"target"}
    assert not report.actual["region"].eq("阜宁县").any()
    assert rows_with(html, "阜宁县", "目标 target")
    assert not rows_with(html, "阜宁县", "实际 actual")


def test_membership_shows_the_implied_recruitment_rate(membership):
    _, html = membership
    (row,) = rows_with(html, "景洪市", "6581人", "46221人", "16.6%")
    assert "16.6%" in row  # 6581 / (46221 - 6581)
    assert "5.3%" in row  # its yearly equivalent over three years
    assert "attrition unknown" in html
    assert rows_with(html, "货车司机", "243人")  # the groups recruited


def test_reports_say_how_to_read_them(bargaining):
    _, html = bargaining
    for words in (
        "目标不是成绩",
        "人次不是人",
        "多年合计不是年度数",
        "建制率不是国际劳工组织的覆盖率",
    ):
        assert words in html


def test_region_profile(seed_db):
    r = RegionReport("景洪市", db=seed_db)
    html = render(r, "header", "docs", "keywords", "figures")
    assert "001_1d9d22600e33a21a" in html and "景洪市总工会" in html
    assert "<mark>88家</mark>" in html and "关键词" in html


def test_sub_region_profile(seed_db):
    html = render(RegionReport("恒口示范区", db=seed_db), "header", "figures")
    assert "<mark>1141人</mark>" in html


def test_regions_show_their_level_and_parents(seed_db):
    html = render(RegionReport("景洪市", db=seed_db), "header")
    assert "县级 county · 云南省 › 西双版纳傣族自治州" in html
    html = render(OverviewReport(db=seed_db), "regions")
    assert "县级 county" in html and "广西壮族自治区 › 百色市" in html


def test_overview(seed_db):
    r = OverviewReport(db=seed_db)
    html = render(
        r,
        "header",
        "docs",
        "timeline",
        "themes",
        "keywords",
        "figures",
        "regions",
        "problems_found",
    )
    assert html.count("<code>") >= 1 and "004_cb3ad1cbd5a87f3c" in html
    assert "Every file was read." in html
    assert html.count("data:image/png;base64,") >= 3


def test_overview_names_problems(mixed_corpus, tmp_path):
    from analysis.pipeline import run_extraction

    db = tmp_path / "m.duckdb"
    run_extraction(mixed_corpus, db, progress=False)
    html = render(OverviewReport(db=db), "problems_found")
    assert "empty.txt" in html and "image.txt" in html and "not text" in html


def test_unknown_parameters_are_clear_errors(seed_db):
    with pytest.raises(ParameterError, match="theme 'wages' is not one of"):
        ThemeReport("wages", db=seed_db)
    with pytest.raises(ParameterError, match="region '火星市' has no documents"):
        RegionReport("火星市", db=seed_db)


def test_report_list(seed_db):
    specs = report_specs(Store(seed_db))
    names = [s.name for s in specs]
    assert names[0] == "overview"
    assert [s.params["theme"] for s in specs if s.kind == "theme"] == [
        "bargaining",
        "membership",
        "services",
        "skills",
        "rights",
        "outreach",
    ]
    assert {s.params["region"] for s in specs if s.kind == "region"} >= {
        "靖西市",
        "景洪市",
        "安康市",
        "抚顺市",
        "阜宁县",
        "恒口示范区",
    }
    assert len(names) == len(set(names))
    assert len(report_specs(Store(seed_db), max_regions=2)) == 1 + 6 + 2


def test_membership_over_time_on_the_multiyear_corpus(multiyear_db):
    html = render(ThemeReport("membership", db=multiyear_db), "over_time")
    assert "随时间变化 Over time" in html and "<img" in html  # a chart per region
    assert "30000人 → 32500人" in html and "+8.33%" in html  # 乾县 members, 2021 -> 2022
    assert "未达成 not met (97%)" in html  # 3.5万 planned, 3.4万 reported
    assert "全县会员总数达到3.5万人" in html and "全县会员总数达到3.4万人" in html  # both quoted
    assert (
        "2 达成 met · 1 未达成 not met · 0 无结果 no result" in html
    )  # org.new, mem.new; mem.total


def test_bargaining_over_time_and_a_region_report(multiyear_db):
    html = render(ThemeReport("bargaining", db=multiyear_db), "over_time")
    assert "85% → 88%" in html and "个百分点" in html  # a rate changes in points
    html = render(RegionReport("乾县", db=multiyear_db), "over_time")
    assert "430个" in html and "达成 met" in html
    html = render(RegionReport("永寿县", db=multiyear_db), "over_time")
    assert "No region has figures for two periods yet" in html  # one year only


def test_the_overview_lists_figures_to_check(multiyear_db):
    html = render(OverviewReport(db=multiyear_db), "flags")
    for rule in (
        "two values",
        "new above total",
        "rate above 100%",
        "parts exceed whole",
        "stock fell",
    ):
        assert f'<td class="status">{rule}</td>' in html
    assert "5000 + 12000 &gt; 15500" in html and "其中女会员5000人" in html


def test_seeds_say_no_region_has_two_periods(seed_db):
    html = render(ThemeReport("membership", db=seed_db), "over_time")
    assert "No region has figures for two periods yet" in html and "<img" not in html
    assert "无结果 no result" in html  # 004's plan: no later document reports it


def test_the_index_counts_targets_met_not_met_and_unreported(multiyear_db, seed_db, tmp_path):
    from analysis.build import write_index

    def index(db, out) -> str:
        with Store(db) as store:
            write_index(out, store, report_specs(store), {}, out / "corpus")
        return (out / "index.html").read_text(encoding="utf-8")

    (tmp_path / "multi").mkdir()
    html = index(multiyear_db, tmp_path / "multi")
    assert "4 个目标 targets: 3 已完成 met · 1 未完成 not met · 0 无结果 unreported" in html
    (tmp_path / "seeds").mkdir()
    html = index(seed_db, tmp_path / "seeds")
    assert re.search(r"(\d+) 个目标 targets: 0 已完成 met · 0 未完成 not met · \1 无结果", html)
