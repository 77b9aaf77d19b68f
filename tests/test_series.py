"""Figures across documents, on a written corpus of three counties over 2021-2023
(tests/data/multiyear): series and growth, plan attainment, consistency flags. Every expected
value below was computed by hand from those texts."""

from __future__ import annotations

import json

import pytest
from conftest import DATA

from analysis.pipeline import run_extraction
from analysis.store import Store

MULTIYEAR = DATA / "multiyear"


@pytest.fixture(scope="module")
def store(multiyear_db) -> Store:
    return Store(multiyear_db)


def cell(series, region, indicator, end):
    rows = series[
        (series["region"] == region)
        & (series["indicator"] == indicator)
        & (series["period_end"].astype(str).str[:10] == end)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_one_value_per_region_indicator_and_period(store):
    s = store.series()
    members = s[(s["region"] == "乾县") & (s["indicator"] == "mem.total")]
    assert list(members["value"]) == [30000, 32500, 34000]
    # 2022: the 2022 review says 3.2万 and 3.1万, the 2023 review 3.25万: the latest wins
    c = cell(s, "乾县", "mem.total", "2022-12-31")
    assert (c.value, c.doc, c.sources) == (32500, "qian-2023-review", 2)
    assert sorted(a["value"] for a in json.loads(c.alternatives)) == [31000, 32000]
    # a part of a whole (其中女会员5000人) is not the county's figure
    assert cell(s, "礼泉县", "mem.total", "2023-12-31").alternatives == "[]"


def test_growth_between_consecutive_periods(store):
    s = store.series()
    c = cell(s, "乾县", "mem.total", "2022-12-31")
    assert (c.previous_value, c.change, c.change_pct, c.annual_growth_pct) == (
        30000,
        2500,
        8.33,
        8.33,
    )
    c = cell(s, "乾县", "mem.total", "2023-12-31")
    assert (c.change, c.change_pct, c.annual_growth_pct) == (1500, 4.62, 4.62)
    c = cell(s, "乾县", "org.new", "2022-12-31")  # a flow: year against year
    assert (c.change, c.change_pct) == (-4, -10.0)
    c = cell(s, "乾县", "cb.rate", "2023-12-31")  # a rate: in points, no percent growth
    assert c.change == 4 and c.change_pct != c.change_pct  # NaN


def test_targets_against_the_results_reported_later(store):
    a = store.attainment()
    got = {
        (r.indicator, r.target_value, r.target_bound): (r.status, r.actual_value, r.share)
        for r in a.itertuples()
        if r.region == "乾县"
    }
    assert got == {
        ("org.new", 35, "exact"): ("met", 38, 1.0857),
        ("mem.new", 2000, "lower"): ("met", 2600, 1.3),
        ("mem.total", 35000, "exact"): ("not met", 34000, 0.9714),
        ("cb.rate", 90, "lower"): ("met", 92, 1.0222),
    }
    row = a[(a["indicator"] == "mem.total")].iloc[0]
    assert row.target_doc == "qian-2023-plan" and row.actual_doc == "qian-2023-review"
    assert "3.5万人" in row.target_evidence and "3.4万人" in row.actual_evidence


def test_a_target_no_later_document_reports_has_no_result(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    plan = (MULTIYEAR / "qian-2023-plan.txt").read_text(encoding="utf-8")
    (corpus / "plan.txt").write_text(plan, encoding="utf-8")
    db = tmp_path / "x.duckdb"
    run_extraction(corpus, db, progress=False)
    assert set(Store(db).attainment()["status"]) == {"no result"}


def test_figures_that_cannot_all_be_true_are_flagged(store):
    flags = store.flags()
    got = {
        (r.rule, r.region, r.indicator, str(r.period_end)[:10]): r.detail
        for r in flags.itertuples()
    }
    assert got == {
        ("two values", "乾县", "mem.total", "2022-12-31"): "qian-2022-review: 31000、32000",
        ("new above total", "永寿县", "mem.total", "2023-12-31"): "5000 new > 4000 in total",
        ("rate above 100%", "礼泉县", "org.rate", "2022-12-31"): "103%",
        ("parts exceed whole", "礼泉县", "mem.total", "2023-12-31"): "5000 + 12000 > 15500",
        ("stock fell", "礼泉县", "mem.total", "2022-12-31"): (
            "15000 -> 14000 while 1000 new were reported"
        ),
    }
    parts = flags[flags["rule"] == "parts exceed whole"].iloc[0]
    assert len(json.loads(parts.quotes)) == 3  # the whole and its two parts, quoted


def test_seeds_have_no_region_with_two_periods(seed_db):
    s = Store(seed_db).series()
    assert not s.empty
    assert s["previous_value"].isna().all()


def test_a_total_since_an_unknown_start_is_in_no_series(tmp_path):
    """截至2020年,累计帮助8877名 in news of 2021: a total to the end of 2020 from a start the
    text does not give. It is a fact (with its quote), never a figure of 2020 in a series."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "news.txt").write_text(
        "乾县总工会举办2021年金秋助学发放仪式\n发布时间:2021-08-25\n"
        "截至2020年,乾县总工会累计帮助困难职工子女8877名。今年为103名学生发放助学金。",
        encoding="utf-8",
    )
    db = tmp_path / "x.duckdb"
    run_extraction(corpus, db, progress=False)
    store = Store(db)
    facts = store.facts()
    total = facts[facts["value"] == 8877].iloc[0]
    assert total["period_start"] != total["period_start"] or total["period_start"] is None
    assert str(total["period_end"])[:10] == "2020-12-31"
    assert 8877 not in set(store.series()["value"])
    assert 103 in set(store.series()["value"])
