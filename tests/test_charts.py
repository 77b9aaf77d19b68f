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
