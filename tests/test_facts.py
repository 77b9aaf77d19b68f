"""Facts from the real seeds: the gold figure, the traps, modality, period, region, evidence."""

from __future__ import annotations

import pytest
from conftest import DATA, GOLD, load_jsonl

from analysis.corpus import make_document
from analysis.errors import DataFileError
from analysis.evaluate import evaluate
from analysis.facts import extract_facts
from analysis.indicators import HEADLINE, load_indicators, read_indicators
from analysis.paths import data_file


@pytest.fixture(scope="module")
def facts(seed_docs) -> dict[str, list]:
    return {k: extract_facts(d) for k, d in seed_docs.items()}


def all_facts(facts):
    return [f for fs in facts.values() for f in fs]


def find(facts, seed, indicator, value):
    return [f for f in facts[seed] if f.indicator == indicator and abs(f.value - value) < 1e-6]


def test_precision_and_recall_on_the_seed_gold(facts, seed_docs):
    result = evaluate(
        load_jsonl(GOLD / "seeds.jsonl"),
        [f.as_dict() for f in all_facts(facts)],
        [d.id for d in seed_docs.values()],
    )
    assert result.overall.precision >= 0.95, result.table()
    assert result.overall.recall >= 0.95, result.table()
    assert result.bound_accuracy >= 0.95


@pytest.mark.parametrize(
    ("seed", "indicator", "value", "unit", "bound"),
    [
        ("000", "cb.contracts", 63, "份", "exact"),
        ("000", "cb.workers_covered", 13895, "人", "exact"),
        ("001", "cb.contracts", 441, "份", "exact"),
        ("001", "cb.workers_covered", 46000, "人", "lower"),
        ("001", "cb.rate", 90, "%", "lower"),
        ("001", "mem.total", 46221, "人", "exact"),
        ("001", "org.rate", 80, "%", "lower"),
    ],
)
def test_headline_figures(facts, seed, indicator, value, unit, bound):
    (f,) = find(facts, seed, indicator, value)
    assert (f.unit, f.bound, f.modality) == (unit, bound, "actual")


def test_audited_unions_are_not_a_count_of_unions(facts):
    assert not [f for f in facts["001"] if f.value == 443 and f.indicator.startswith("org.")]


def test_reading_rooms_and_rest_stations_are_not_unions(facts):
    for f in facts["001"]:
        if "书屋" in f.evidence or "驿站" in f.evidence:
            assert f.indicator == "svc.stations", f


def test_reading_room_share_is_not_a_bargaining_rate(facts):
    assert [f.value for f in facts["004"] if f.indicator == "cb.rate"] == [100, 85]
    assert not [
        f for f in facts["004"] if "职工书屋" in f.evidence and f.indicator.startswith("cb.")
    ]


def test_a_size_threshold_is_not_members(facts):
    assert not [f for f in facts["004"] if f.value == 25]


def test_person_times_are_never_people(facts):
    inds = load_indicators()
    for headline in ("mem.new", "mem.total", "cb.workers_covered"):
        assert inds.get(headline).units == {"人"}
    for f in all_facts(facts):
        assert f.unit in inds.get(f.indicator).units
    # 参互职工达14.2万人次: medical mutual aid enrolments, not members.
    assert find(facts, "001", "svc.mutual_aid_visits", 142000)
    assert not [f for f in facts["001"] if f.value == 142000 and f.indicator.startswith("mem.")]


def test_repeated_passage_gives_its_facts_once(facts):
    assert len(find(facts, "000", "mem.new", 200)) == 1


def test_plan_document_figures_are_targets(facts):
    assert facts["004"] and {f.modality for f in facts["004"]} == {"target"}
    assert not facts["003"]  # a plan without figures


def test_planned_figures_in_a_review_are_targets(seed_docs, facts):
    assert seed_docs["002"].meta.kind == "review"
    assert {f.modality for f in facts["002"] if "今年以来" in f.sentence} == {"actual"}
    review = make_document(
        "2023年,全市新建工会组织156家。下一步,市总工会将力争新建工会组织100家。",
        "r",
        hints={"date": "2024-01-10"},
    )
    assert [(f.value, f.modality) for f in extract_facts(review)] == [
        (156, "actual"),
        (100, "target"),
    ]


def _read(text: str, date: str) -> list[tuple]:
    doc = make_document(text, "r", hints={"date": date})
    return [(f.value, f.modality, f.period_label) for f in extract_facts(doc)]


def test_figures_under_a_heading_of_plans_in_a_review_are_its_goals():
    review = (
        "某镇工会2022年上半年工作总结\n"
        "一、上半年工作情况\n"
        "今年以来,全镇新建工会组织5家。\n"
        "二、下半年工作打算\n"
        "1、新建工会组织8家。\n"
        "2、目前已建会企业42家,继续巩固提高。\n"
        "三、存在的问题\n"
        "部分企业新建工会3家后运转不够规范。\n"
    )
    assert _read(review, "2022-07-10") == [
        (5, "actual", "今年以来"),
        (8, "target", "下半年"),  # the goal's period is the heading's
        (42, "actual", "2022年上半年"),  # a result cue under the heading still says what is
        (3, "actual", "2022年上半年"),  # the next heading numbered alike ends the plans
    ]


@pytest.mark.parametrize(
    "heading",
    [
        "二、2023年工作重点",  # the review's own year: what was done
        "二、主要成绩和下一步打算",  # looks back as well
    ],
)
def test_a_heading_that_looks_back_opens_no_plans(heading):
    review = f"2023年工会工作总结\n全年成效明显。\n{heading}\n全镇新建工会组织8家。\n"
    assert _read(review, "2024-01-10") == [(8, "actual", "2023年")]


def test_a_title_of_a_review_and_a_plan_makes_no_section_of_plans():
    text = "镇工会工作总结和明年工作计划\n全年全镇新建工会组织8家。\n"
    assert [m for _, m, _ in _read(text, "2024-01-10")] == ["actual"]


def test_periods_from_the_sentence_and_the_document(facts):
    (f,) = find(facts, "002", "mem.new", 243)
    assert (f.period_start, f.period_end) == (
        "2024-01-01",
        "2024-06-21",
    )  # 今年以来, published 06-21
    (f,) = find(facts, "001", "org.new", 88)
    assert (f.period_start, f.period_end) == ("2022-01-01", "2024-12-31")  # 三年来
    (f,) = find(facts, "001", "mem.total", 46221)
    assert (f.period_start, f.period_end) == ("2024-12-31", "2024-12-31")  # a stock: as of the end
    (f,) = find(facts, "000", "cb.contracts", 63)
    assert (f.period_start, f.period_end) == ("2022-12-14", "2022-12-14")  # 截至目前


def test_regions(facts):
    assert find(facts, "002", "mem.new", 1141)[0].region == "恒口示范区"
    assert (
        find(facts, "002", "org.new", 57)[0].region == "安康市"
    )  # 全市, though 白河县 is named earlier
    assert find(facts, "001", "cb.contracts", 441)[0].province == "云南省"


def test_subjects(facts):
    assert find(facts, "002", "mem.new", 243)[0].subject == "货车司机"
    assert find(facts, "000", "mem.new", 200)[0].subject == "新就业形态劳动者"


def test_evidence_points_into_both_texts(facts, seed_docs):
    for seed, fs in facts.items():
        doc = seed_docs[seed]
        for f in fs:
            assert doc.text[f.start : f.end] == f.evidence
            assert doc.text[f.figure_start : f.figure_end] == f.figure
            assert doc.text[f.sentence_start : f.sentence_end] == f.sentence
            assert f.evidence in f.sentence
    (f,) = find(facts, "001", "cb.workers_covered", 46000)
    assert f.evidence == "覆盖职工4.6万余人"
    assert f.evidence_original == "覆蓋職工4.6萬(wàn)余人"


def phrase_cases():
    return [
        pytest.param(c, id=f"{c['phenomenon']}: {c['text'][:18]}")
        for c in load_jsonl(DATA / "facts_phrases.jsonl")
    ]


@pytest.mark.parametrize("case", phrase_cases())
def test_phrases(case):
    """Each phenomenon of real prose in sentences of our own: the facts a reader would note,
    and none where there is no headline fact (traps). Headline indicators only, unless the case
    lists the facts of every theme."""
    doc = make_document(case["text"], "phrase", hints={"date": case.get("date", "2024-01-10")})
    got = [
        (f.indicator, f.value, f.unit, f.bound, f.modality)
        for f in extract_facts(doc)
        if case.get("all_indicators") or f.indicator in HEADLINE
    ]
    want = [
        (
            e["indicator"],
            e["value"],
            e["unit"],
            e.get("bound", "exact"),
            e.get("modality", "actual"),
        )
        for e in case["expect"]
    ]
    assert got == want


def test_every_headline_indicator_is_in_the_file():
    ids = [i.id for i in load_indicators()]
    assert set(HEADLINE) <= set(ids)


def test_a_user_can_add_an_indicator(tmp_path):
    """An indicator is a few lines of parts; no regular expression."""
    text = data_file("indicators.yaml").read_text(encoding="utf-8")
    extra = """
  - id: fin.audits
    theme: services
    label_zh: 经费审计
    label_en: Unions audited
    unit_kind: organizations
    units: [家]
    counts: [union]
    measure: [audit]
"""
    path = tmp_path / "indicators.yaml"
    path.write_text(text + extra, encoding="utf-8")
    doc = make_document(
        "规范经费审查和资产管理,并委托第三方机构审计基层工会443家,确保工会经费规范高效使用。", "x"
    )
    (f,) = extract_facts(doc, read_indicators(path))
    assert (f.indicator, f.value) == ("fin.audits", 443)
    assert not extract_facts(doc)  # the package's own file: audited unions are no count of unions


def test_a_user_can_add_a_word(tmp_path):
    text = data_file("indicators.yaml").read_text(encoding="utf-8")
    path = tmp_path / "indicators.yaml"
    path.write_text(text.replace("  member: [会员,", "  member: [会友, 会员,", 1), encoding="utf-8")
    doc = make_document("全年新发展会友300人。", "x", hints={"date": "2024-12-20"})
    assert not [f for f in extract_facts(doc) if f.indicator == "mem.new"]
    (f,) = extract_facts(doc, read_indicators(path))
    assert (f.indicator, f.value) == ("mem.new", 300)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("id: cb.contracts", "id: cb.rate"), r"indicator cb\.rate: the id is used twice"),
        (
            ("counts: [contract]", "counts: [contracts]"),
            r"indicator cb\.contracts: counts names \['contracts'\]",
        ),
        (
            ("measure: [cover]", "before: '覆盖$'"),
            r"indicator cb\.workers_covered: before is not a field",
        ),
        (("units: [份, 个, 项]", "units: 5"), r"indicator cb\.contracts: units must be a list"),
        (("  member: [会员,", "  member: 会员 ["), r"things: member: expected a list of words"),
        (
            ("{thing: enterprise, with: unionizing", "{thing: firm, with: unionizing"),
            r"derive #1: thing 'firm'",
        ),
    ],
)
def test_a_broken_indicator_file_names_the_entry(tmp_path, change, message):
    path = tmp_path / "indicators.yaml"
    text = data_file("indicators.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(*change, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        read_indicators(path)
