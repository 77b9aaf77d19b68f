"""HTML pieces of reports: escaping of document text, figures with bounds and units."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.tables import esc, fact_table, format_period, format_value, quote


@pytest.mark.parametrize(
    ("value", "unit", "bound", "shown"),
    [(63, "份", "exact", "63份"), (13895, "人", "exact", "13895人"), (46000, "人", "lower", "≥46000人"),
     (65, "人", "upper", "≤65人"), (500, "人", "approx", "≈500人"), (80, "%", "lower", "≥80%"),
     (489000, "元", "exact", "48.9万元"), (120000000, "元", "exact", "1.2亿元"), (4.6, "%", "exact", "4.6%")],
)  # fmt: skip
def test_format_value(value, unit, bound, shown):
    assert format_value(value, unit, bound) == shown


def test_format_period():
    assert format_period("2022-01-01", "2024-12-31") == "2022–2024"
    assert (
        format_period(None, "2020-12-31") == "累计至 2020-12-31"
    )  # a total since an unknown start
    assert format_period("2015-01-01", "2015-12-31") == "2015"
    assert format_period("2024-12-31", "2024-12-31") == "截至 2024-12-31"
    assert format_period("2024-01-01", "2024-06-21") == "2024-01-01 – 2024-06-21"


ROW = {
    "doc": "x<b>", "title": "<script>alert(1)</script>标题", "sentence": "新建工会<img src=x onerror=alert(1)>57个。",
    "sentence_original": "新建工會<img src=x onerror=alert(1)>57個。", "sentence_start": 0,
    "figure_start": 32, "figure_end": 35, "label_zh": "新建工会", "indicator": "org.new", "value": 57.0,
    "unit": "个", "bound": "exact", "modality": "actual", "period_start": "2024-01-01",
    "period_end": "2024-12-31", "region": "<i>安康市</i>", "subject": None,
}  # fmt: skip


def test_quote_escapes_document_text_and_marks_the_figure():
    html = quote(ROW)
    assert "<img" not in html and "<script>" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<mark>57个</mark>" in html
    assert "原文" in html  # the original differs: it is shown too


def test_fact_table_escapes_every_cell_and_says_how_many_are_not_listed():
    frame = pd.DataFrame([ROW] * 5)
    html = fact_table(frame, max_rows=2)
    assert "<i>" not in html and "&lt;i&gt;安康市&lt;/i&gt;" in html
    assert html.count("<tr>") == 3  # header and two rows
    assert "另有 3 条未列出" in html


def test_esc_handles_missing_values():
    assert esc(None) == esc(float("nan")) == "—"
