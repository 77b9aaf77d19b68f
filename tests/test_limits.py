"""Hostile text inside one document: huge sentences, impossible numbers, NUL bytes, slips that
once raised. None may cost the run, and none may store or print nonsense."""

from __future__ import annotations

import json
import math

import pytest
from conftest import analysis_cmd

from analysis.corpus import make_document
from analysis.facts import extract_facts
from analysis.quantities import parse_quantities


def facts_of(text: str):
    return extract_facts(make_document(text, "x", hints={"date": "2024-12-20"}))


@pytest.mark.parametrize(
    "text",
    [
        "10000年以来,全县新发展会员500人。",
        "1" * 400 + "年以来,全县新发展会员500人。",
        "截至10000年12月,全县会员总数5000人。",
        "截至2024年13月,全县会员总数5000人。",
    ],
)
def test_impossible_years_are_no_periods_and_raise_nothing(text):
    (f,) = facts_of(text)
    assert f.value in (500, 5000)
    assert f.period_end is None or f.period_end.startswith("2024")


@pytest.mark.parametrize(
    "text", ["1" * 400 + "人", "亿亿亿人", "一万一万人", "十十十人", "两两两人", "五万三亿人"]
)
def test_impossible_numbers_are_no_quantities(text):
    assert parse_quantities(text) == []


def test_no_value_is_infinite_or_beyond_any_report(tmp_path):
    text = "全县新发展会员" + "9" * 30 + "人,新建工会" + "亿" * 20 + "家,会员总数4.6万人。"
    facts = facts_of(text)
    assert [f.value for f in facts] == [46000]
    assert all(math.isfinite(f.value) for f in facts)


def test_a_nul_inside_a_figure_is_dropped_not_the_figure():
    (f,) = [f for f in facts_of("全县建成职工书屋40\x0000家,会员总数5000人。") if f.value == 4000]
    assert "\x00" not in f.sentence + f.sentence_original + f.evidence_original


def test_a_sentence_of_thousands_of_figures_is_stored_in_windows():
    """Each fact keeps a window of its sentence, not all of it: 3,000 figures in one clause
    would otherwise store the sentence 3,000 times."""
    text = "全县" + "、".join(f"新建工会{i % 90 + 1}家" for i in range(3000)) + "。"
    facts = facts_of(text)
    assert len(facts) == 3000
    assert max(len(f.sentence) for f in facts) <= 700
    assert max(len(f.evidence) for f in facts) <= 300
    doc = make_document(text, "x", hints={"date": "2024-12-20"})
    for f in facts[::500]:
        assert doc.text[f.sentence_start : f.sentence_end] == f.sentence
        assert doc.text[f.start : f.end] == f.evidence
        assert f.figure in f.evidence


def test_an_error_inside_one_document_skips_it_and_the_run_goes_on(tmp_path, monkeypatch):
    """A bug met in one document's extraction costs that document, with its reason."""
    import analysis.extraction as extraction
    from analysis.pipeline import run_extraction
    from analysis.store import Store

    real = extraction.extract_facts

    def fails_on_b(doc, *args):
        if doc.id == "b":
            raise RuntimeError("an unforeseen slip\nwith a second line")
        return real(doc, *args)

    monkeypatch.setattr(extraction, "extract_facts", fails_on_b)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in "abc":
        (corpus / f"{name}.txt").write_text(f"全县新建基层工会{ord(name)}家。", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    summary = run_extraction(corpus, db, progress=False)
    store = Store(db)
    assert sorted(store.facts()["doc"]) == ["a", "c"]
    problems = store.problems()
    (row,) = problems.itertuples()
    assert row.path == "b.txt" and row.severity == "error"
    assert "RuntimeError: an unforeseen slip" in row.reason and "\n" not in row.reason
    assert summary.documents == 2


def test_the_facts_command_prints_valid_json_for_hostile_text(tmp_path):
    import subprocess

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "全县新发展会员" + "1" * 400 + "人,新建工会\x0030家。10000年以来,会员总数5000人。",
        encoding="utf-8",
    )
    r = subprocess.run(
        analysis_cmd("extract", corpus, "--format", "jsonl", "--db", tmp_path / "x.duckdb"),
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert {row["value"] for row in rows} == {30, 5000}


def test_each_fact_of_a_long_clause_names_the_groups_of_its_own_evidence():
    """In a clause too long to store whole, a fact's subject is the groups its stored window
    names, even where the window's edge cuts through a group's name."""
    from analysis.lexicon import group_pattern

    groups = ["在档困难职工", "新就业形态劳动者", "网约车司机", "农民工", "女职工"]
    items = [f"{groups[i % 5]}{'入会' if i % 3 else '新入会'}{i + 7}人" for i in range(120)]
    doc = make_document("全市" + "、".join(items) + "。", "long-clause")
    facts = extract_facts(doc)
    assert len(facts) == 120
    for f in facts:
        named = dict.fromkeys(m.group() for m in group_pattern().finditer(f.evidence))
        assert f.subject == ("、".join(named) or None)
    assert len({f.subject for f in facts}) > 5  # windows cut the names in different places
