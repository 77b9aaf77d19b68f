"""Charts: Chinese labels render with the CJK font the set-up installs, without warnings."""

from __future__ import annotations

import warnings

import matplotlib
import pandas as pd
from matplotlib import font_manager

from analysis import charts


def test_cjk_font_comes_from_the_installed_package():
    files = charts.cjk_font_files()
    assert files and all(f.suffix == ".otf" and "mpl_font" in str(f) for f in files)
    charts.setup()
    assert matplotlib.rcParams["font.family"] == [charts.LATIN_FONT, charts.CJK_FONT]
    found = font_manager.findfont(
        font_manager.FontProperties(family=charts.CJK_FONT), fallback_to_default=False
    )
    assert "NotoSansCJKsc" in found


def test_chinese_labels_draw_without_missing_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        fig = charts.bar_chart(
            ["景洪市 · 2022–2024 ≥", "靖西市 · 截至2022-12-14", "阜宁县 (目标)"],
            [441, 63, 227],
            title="集体合同(份) Collective contracts",
            unit="份",
        )
        png = charts.to_png(fig)
    assert png.startswith(b"\x89PNG")


def test_many_figures_are_summarized_by_province():
    facts = pd.DataFrame(
        {
            "value": range(1, 41),
            "unit": "人",
            "modality": "actual",
            "bound": "exact",
            "province": ["云南省", "陕西省"] * 20,
            "region": "x",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = charts.indicator_chart(facts, "新发展会员")
        charts.to_png(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["云南省 (n=20)", "陕西省 (n=20)"] or sorted(labels) == [
        "云南省 (n=20)",
        "陕西省 (n=20)",
    ]


def _series(rows):
    columns = ["indicator", "kind", "period_start", "period_end", "value", "unit", "bound"]
    return pd.DataFrame(rows, columns=columns)


def test_a_three_year_total_is_not_drawn_on_the_line_of_yearly_figures():
    series = _series(
        [
            ("mem.new", "flow", "2016-01-01", "2018-12-31", 9000, "人", "exact"),
            ("mem.new", "flow", "2019-01-01", "2019-12-31", 3100, "人", "exact"),
            ("mem.new", "flow", "2020-01-01", "2020-12-31", 3300, "人", "lower"),
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = charts.series_chart(series, {"mem.new": "新发展会员"}, "某市")
        charts.to_png(fig)
    ax = fig.axes[0]
    # The total over 2016–2018 is labelled with its period, not as the year its end is next to.
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2016–2018", "2019", "2020"]
    joined = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
    assert joined["一年 one year"] == [3100, 3300]
    assert joined["3年合计 3-year total"] == [9000]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "一年 one year",
        "3年合计 3-year total",
    ]
    # The lower bound (3300以上) is drawn hollow, over its line's filled marker.
    hollow = [line for line in ax.get_lines() if line.get_markerfacecolor() == "white"]
    assert [list(line.get_ydata()) for line in hollow] == [[3300]]


def test_levels_make_one_line_named_by_their_dates():
    series = _series(
        [
            ("mem.total", "stock", "2022-12-31", "2022-12-31", 70000, "人", "exact"),
            ("mem.total", "stock", "2023-12-31", "2023-12-31", 72000, "人", "exact"),
            ("mem.total", "stock", "2024-06-30", "2024-06-30", 73000, "人", "exact"),
        ]
    )
    fig = charts.series_chart(series, {}, "某市")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "2022-12-31",
        "2023-12-31",
        "2024-06-30",
    ]
    assert [list(line.get_ydata()) for line in ax.get_lines()] == [[70000, 72000, 73000]]
    assert ax.get_legend() is None
