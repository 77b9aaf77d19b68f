"""The evaluation rules: the same as the shared referee's."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.errors import AnalysisError
from analysis.evaluate import evaluate, load_gold

GOLD = [
    {"doc": "d", "indicator": "mem.new", "value": 200, "modality": "actual", "bound": "lower"},
    {"doc": "d", "indicator": "org.new", "value": 13, "modality": "actual", "optional": True},
    {"doc": "d", "indicator": "cb.rate", "value": 100, "modality": "target"},
]


def test_match_within_half_a_percent_and_same_modality():
    pred = [
        {
            "doc": "d",
            "indicator": "mem.new",
            "value": 200.5,
            "modality": "actual",
            "bound": "lower",
            "evidence": "a",
        },
        {"doc": "d", "indicator": "cb.rate", "value": 100, "modality": "actual", "evidence": "b"},
    ]
    r = evaluate(GOLD, pred)
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (
        1,
        1,
        1,
    )  # a target read as actual: both wrong
    assert r.bound_accuracy == 1.0


def test_optional_gold_is_neither_missed_nor_counted():
    r = evaluate(GOLD, [{"doc": "d", "indicator": "org.new", "value": 13, "modality": "actual"}])
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (0, 0, 2)


def test_a_repeated_passage_counts_once_and_other_documents_are_ignored():
    same = {
        "doc": "d",
        "indicator": "mem.new",
        "value": 200,
        "modality": "actual",
        "bound": "lower",
        "evidence": "吸收会员200多人",
    }
    other = {"doc": "elsewhere", "indicator": "mem.new", "value": 1, "modality": "actual"}
    r = evaluate(GOLD, [same, dict(same), other])
    assert (r.overall.tp, r.overall.fp) == (1, 0)


def test_non_headline_indicators_are_not_scored():
    r = evaluate(
        GOLD, [{"doc": "d", "indicator": "svc.stations", "value": 5, "modality": "actual"}]
    )
    assert r.overall.fp == 0


def test_bad_gold_line_is_named(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"doc": "d", "indicator": "mem.new", "value": 1}\nnot json\n', encoding="utf-8"
    )
    with pytest.raises(AnalysisError, match=r"gold.jsonl:2: not a gold fact"):
        load_gold(path)


def test_evaluate_command_on_the_seeds(seeds_dir):
    from conftest import GOLD as GOLD_DIR

    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "evaluate",
            "--gold",
            str(GOLD_DIR / "seeds.jsonl"),
            str(seeds_dir),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("F1=")
    assert float(last.split()[1].split("=")[1]) >= 0.95  # precision


def test_errors_are_sorted_by_kind():
    gold = [
        {"doc": "d", "indicator": "mem.new", "value": 500, "modality": "actual"},
        {"doc": "d", "indicator": "org.new", "value": 30, "modality": "target"},
        {"doc": "d", "indicator": "org.total", "value": 420, "modality": "actual"},
        {"doc": "d", "indicator": "cb.rate", "value": 90, "bound": "lower"},
        {"doc": "d", "indicator": "cb.contracts", "value": 77},
    ]
    pred = [
        {"doc": "d", "indicator": "mem.total", "value": 500, "modality": "actual"},
        {"doc": "d", "indicator": "org.new", "value": 30, "modality": "actual"},
        {"doc": "d", "indicator": "org.total", "value": 420, "modality": "actual"},
        {"doc": "d", "indicator": "cb.rate", "value": 90, "modality": "actual", "bound": "exact"},
        {"doc": "d", "indicator": "mem.total", "value": 12, "modality": "actual"},
    ]
    r = evaluate(gold, pred)
    assert r.error_counts() == {
        "wrong indicator": 1,
        "wrong modality": 1,
        "wrong bound": 1,
        "false": 1,
        "missed": 1,
    }
    lines = r.error_table().splitlines()
    assert lines[0].startswith("errors by kind: wrong indicator 1, wrong modality 1")
    assert any("mem.total actual" in ln and "gold mem.new actual" in ln for ln in lines)
