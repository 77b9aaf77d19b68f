"""Quantities in Chinese prose: the gold phrases, more forms, offsets, and the command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import DATA, GOLD, load_jsonl

from analysis.quantities import parse_quantities, read_quantities


def same(got: dict, want: dict) -> bool:
    close = abs(got["value"] - want["value"]) <= max(1e-9, 0.005 * abs(want["value"]))
    return close and got["unit"] == want["unit"] and got["bound"] == want.get("bound", "exact")


def check(case: dict) -> None:
    got = [q.as_dict() for q in read_quantities(case["text"])]
    left = list(got)
    for want in case["expect"]:
        match = next((g for g in left if same(g, want)), None)
        assert match is not None, f"{case['text']}: wanted {want}, got {got}"
        left.remove(match)
    assert not left, f"{case['text']}: read more than expected: {left}"


def cases(path):
    out = []
    for case in load_jsonl(path):
        marks = (
            [pytest.mark.xfail(reason=case["known_failure"], strict=True)]
            if case.get("known_failure")
            else []
        )
        out.append(pytest.param(case, id=case["text"][:24], marks=marks))
    return out


@pytest.mark.parametrize("case", cases(GOLD / "quantities.jsonl"))
def test_gold_phrase(case):
    check(case)


@pytest.mark.parametrize("case", cases(DATA / "quantities_more.jsonl"))
def test_more_forms(case):
    check(case)


def test_offsets_and_text_point_into_the_input():
    raw = "三年來(lái)參互職工達(dá)14.2萬(wàn)人次"
    (q,) = read_quantities(raw)
    assert raw[q.start : q.end] == q.text == "14.2萬(wàn)人次"
    s = "力争受训人数超3万人,全年组建企业工会70个"
    got = [(s[q.start : q.end], q.text) for q in parse_quantities(s)]
    assert got == [("超3万人", "超3万人"), ("70个", "70个")]


def test_no_dates_ordinals_or_slogans_on_the_seeds(seed_docs):
    for doc in seed_docs.values():
        for q in parse_quantities(doc.text):
            around = doc.text[max(0, q.start - 1) : q.end + 1]
            assert not any(ch in q.text for ch in "年月日届第"), around
            assert q.unit not in ("大", "中", "五", "稳", "保"), around


def run(stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "quantities"],
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def test_command_writes_one_object_per_line_and_survives_bad_bytes():
    r = run(
        "签订集体合同441份\n\n".encode() + b"\xff\xfe bad \xc3\n" + "新建基层工会88家\n".encode()
    )
    assert r.returncode == 0
    lines = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert len(lines) == 4
    assert lines[0]["quantities"][0]["value"] == 441 and lines[0]["text"] == "签订集体合同441份"
    assert lines[1] == {"text": "", "quantities": []}
    assert lines[2]["quantities"] == []
    assert "line 3: not valid UTF-8" in r.stderr.decode()
    assert lines[3]["quantities"][0]["unit"] == "家"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("会员总数超过2亿", [(200000000.0, "", "lower")]),
        ("全区职工入会率为86", [(86.0, "", "exact")]),
        ("新增农民工会员两万以上", [(20000.0, "", "lower")]),
        ("2019年,全市发展会员", []),  # a year
        ("十九届六中全会,第三次", []),
        ("镇工会工作总结篇25", []),  # the number of a piece in a series
        ("三方协调", []),  # one numeral character is no figure without its unit
        ("入会率为85%", [(85.0, "%", "exact")]),  # a unit when there is one
        # Text spaced out in conversion: a year before its 年, a figure before its unit.
        ("自 2024 年 4 月组建以来,已组建工会 14 个", [(14.0, "个", "exact")]),
        ("会员总数超过2亿 全县", [(200000000.0, "", "lower")]),
    ],
)
def test_numbers_without_a_unit_only_when_asked(text, want):
    """Bare numbers come only with ``bare=True``, with no unit: facts give them the unit their
    noun implies (会员 -> 人); the quantity command and referee never see them."""
    got = [(q.value, q.unit, q.bound) for q in parse_quantities(text, bare=True)]
    assert got == want
    assert [q for q in parse_quantities(text) if not q.unit] == []


def test_a_range_is_one_quantity_from_its_lower_end():
    """300万至500万元 and 3000元至5000元: one figure, at most the upper end, written from the
    lower end (not 万至500万元, nor the lower end read on its own)."""
    for text, figure in [
        ("投入300万至500万元", "300万至500万元"),
        ("领取3000元至5000元", "3000元至5000元"),
    ]:
        (q,) = parse_quantities(text)
        assert (q.text, q.bound) == (figure, "upper")
