"""Charts for reports: matplotlib, one style, Chinese labels that render.

The CJK font comes from the ``mpl-font`` package (Noto Sans CJK SC, installed by pip with the
rest). Its font files are registered by path, so a font cache built before they were installed
cannot hide them, and the family list names a Latin font and the CJK font explicitly (the Latin
one draws digits and letters, matplotlib falls back to the CJK one for Chinese). We read the
package's font folder without importing the package: its ``__init__`` imports pyplot and
changes global settings.

Figures are made with ``matplotlib.figure.Figure`` (no pyplot state) and returned as PNG
embedded in HTML, so reports are self-contained.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from .errors import AnalysisError
from .paths import package_folder
from .tables import Html, esc, format_number

LATIN_FONT = "DejaVu Sans"  # ships with matplotlib
CJK_FONT = "Noto Sans CJK SC"
PALETTE = ["#1f5a96", "#d9822b", "#3a8f5c", "#b8433f", "#7a5ea8", "#8c6d46", "#4c9ab3", "#999999"]
MODALITY_COLORS = {"actual": "#1f5a96", "target": "#d9822b"}
KIND_COLORS = {"review": "#1f5a96", "plan": "#d9822b", "mixed": "#7a5ea8"}


def cjk_font_files() -> list[Path]:
    """The Noto Sans CJK SC files of the mpl-font package."""
    package = package_folder("mpl_font")
    if package is None:
        raise AnalysisError(
            "the CJK font package is missing: run `make venv` (or pip install mpl-font)"
        )
    folder = package / "fonts" / "noto"
    files = sorted(folder.glob("NotoSansCJKsc-*.otf"))
    if not files:
        raise AnalysisError(f"{folder}: no Noto Sans CJK SC font files; reinstall mpl-font")
    return files


@cache
def setup() -> None:
    """Register the CJK font and apply the house style (once per process)."""
    from matplotlib import font_manager

    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in cjk_font_files():
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update(
        {
            # Named fonts, not the generic "sans-serif": matplotlib falls back glyph by glyph
            # only across the fonts named in font.family.
            "font.family": [LATIN_FONT, CJK_FONT],
            "axes.unicode_minus": False,
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "x",
            "grid.color": "#dddddd",
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        }
    )


def figure(width: float = 7.5, height: float = 3.2, layout: str | None = "constrained") -> Figure:
    """A figure in the house style; ``layout=None`` for a chart that places its own axes."""
    setup()
    return Figure(figsize=(width, height), layout=layout)


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def embed(fig: Figure, alt: str) -> Html:
    """The figure as an <img> with its PNG inline (no file beside the report)."""
    data = base64.b64encode(to_png(fig)).decode("ascii")
    return Html(f'<figure><img alt="{esc(alt)}" src="data:image/png;base64,{data}"></figure>')


def bar_chart(
    labels: list[str],
    values: list[float],
    colors: list[str] | None = None,
    title: str = "",
    unit: str = "",
    max_bars: int = 25,
) -> Figure:
    """Horizontal bars, largest first, values written at the bar ends."""
    frame = pd.DataFrame(
        {"label": labels, "value": values, "color": colors or [PALETTE[0]] * len(labels)}
    )
    frame = frame.sort_values("value", ascending=True).tail(max_bars)
    fig = figure(height=max(1.6, 0.32 * len(frame) + 0.9))
    ax = fig.add_subplot()
    ax.barh(frame["label"], frame["value"], color=frame["color"])
    for y, v in enumerate(frame["value"]):
        ax.annotate(f" {format_number(v)}{unit}", (v, y), va="center", fontsize=8)
    ax.set_title(title, loc="left")
    ax.margins(x=0.15)
    return fig


def indicator_chart(facts: pd.DataFrame, title: str) -> Figure | None:
    """One indicator's figures: a bar per figure (region · period), targets in another colour;
    with many figures, the median of each province's achieved figures instead."""
    if facts.empty:
        return None
    unit = facts["unit"].iloc[0]
    scale, suffix = (
        (1e4, "万" + unit) if unit == "元" and facts["value"].max() >= 1e4 else (1, unit)
    )
    if len(facts) <= 25:
        labels = [
            f"{r.region or '—'} · {_period_short(r)}{' (目标)' if r.modality == 'target' else ''}{' ≥' if r.bound == 'lower' else ''}"
            for r in facts.itertuples()
        ]
        labels = _unique(labels)
        colors = [MODALITY_COLORS.get(m, PALETTE[0]) for m in facts["modality"]]
        return bar_chart(labels, list(facts["value"] / scale), colors, title, suffix)
    actual = facts[facts["modality"] == "actual"]
    if actual.empty:
        actual = facts
    grouped = (
        actual.groupby(actual["province"].fillna("—"))["value"]
        .agg(["median", "size"])
        .reset_index()
    )
    labels = [f"{p} (n={n})" for p, n in zip(grouped["province"], grouped["size"], strict=True)]
    return bar_chart(
        labels,
        list(grouped["median"] / scale),
        title=f"{title} — 各省中位数 median by province",
        unit=suffix,
    )


# The series chart's layout, in inches: a panel (its axes, title and tick labels) and the
# margins around the panels (the figure's title above).
_PANEL, _GAP, _TOP, _BOTTOM, _LEFT, _RIGHT = 2.2, 0.6, 0.5, 0.3, 0.85, 0.25


def series_chart(series: pd.DataFrame, labels: dict[str, str], title: str) -> Figure | None:
    """One region's values over time: a panel per indicator with at least two periods, a
    point per period with its value written, hollow where the value is a bound (≥, 约).

    Each point is labelled on the x axis with the period it covers, not only where it ends:
    a total over 2016–2018 is not a figure for 2019. A line joins only the flows over periods
    of the same length (a three-year total and a yearly figure are not one series); each
    length gets its own line style and a legend.
    """
    keep = [i for i, g in series.groupby("indicator", sort=False) if g["period_end"].nunique() > 1]
    if not keep:
        return None
    panels = keep[:4]
    # Margins in inches, fixed: the panels' labels are short (values, dates), and a constrained
    # layout, which measures every label, took half the time of the chart (0.3 s of 0.6).
    width, height = 7.5, _PANEL * len(panels) + _TOP + _BOTTOM
    fig = figure(width, height, layout=None)
    fig.subplots_adjust(
        left=_LEFT / width,
        right=1 - _RIGHT / width,
        top=1 - _TOP / height,
        bottom=_BOTTOM / height,
        hspace=_GAP / (_PANEL - _GAP),
    )
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    for ax, ind in zip(axes, panels, strict=True):
        g = series[series["indicator"] == ind].sort_values(["period_end", "period_start"])
        _series_panel(ax, g)
        ax.set_title(labels.get(ind, ind), loc="left", fontsize=10)
    fig.suptitle(title, x=0.01, ha="left", fontsize=11)
    return fig


_LINE_STYLES = ["-", "--", ":", "-."]
_MARKERS = ["o", "s", "^", "D"]
_MAX_TICKS = 6  # period labels on one axis before they are thinned out


def _series_panel(ax, g: pd.DataFrame) -> None:
    start = pd.to_datetime(g["period_start"])
    end = pd.to_datetime(g["period_end"])
    flow = g["kind"].eq("flow").to_numpy()
    months = ((end - start).dt.days + 1).div(30.44).round().astype(int).to_numpy()
    # The line a point belongs to: levels (stocks, rates) form one line; flows one per length.
    lines = pd.Series([m if f else -1 for m, f in zip(months, flow, strict=True)], index=g.index)
    order = sorted(lines.unique(), key=lambda m: (m != 12, m))
    for n, m in enumerate(order):
        part = g[lines == m]
        x = end[lines == m]
        marker = _MARKERS[n % len(_MARKERS)]
        ax.plot(
            x,
            part["value"],
            color=PALETTE[0],
            linestyle=_LINE_STYLES[n % len(_LINE_STYLES)],
            linewidth=1.5,
            marker=marker,
            label=_span_name(m) if len(order) > 1 else None,
        )
        bound = part["bound"].ne("exact").to_numpy()
        if bound.any():  # hollow: the figure is a bound (≥) or approximate (约)
            ax.plot(
                x[bound],
                part["value"][bound],
                linestyle="none",
                marker=marker,
                color=PALETTE[0],
                markerfacecolor="white",
            )
    for xi, v, b, u in zip(end, g["value"], g["bound"], g["unit"], strict=True):
        ax.annotate(
            f"{'≥' if b == 'lower' else '约' if b == 'approx' else ''}{format_number(v)}{u}",
            (xi, v),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=8,
        )
    # Ticks at the points, named by the periods they cover ("2016–2018", "2023", a date).
    names: dict[pd.Timestamp, list[str]] = {}
    for s, e in zip(start, end, strict=True):
        name = _period_name(s, e)
        if name not in names.setdefault(e, []):
            names[e].append(name)
    ticks = sorted(names)
    step = -(-len(ticks) // _MAX_TICKS)
    ticks = ticks[::step]
    ax.set_xticks(ticks, [" / ".join(names[t]) for t in ticks])
    ax.margins(x=0.12, y=0.3)
    ax.tick_params(labelsize=8)
    if len(order) > 1:
        ax.legend(fontsize=7, frameon=False, loc="best")


def _period_name(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start == end:
        return f"{end:%Y-%m-%d}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"{start.year}" if start.year == end.year else f"{start.year}–{end.year}"
    if start.year == end.year:
        return f"{start:%Y.%m}–{end:%m}"
    return f"{start:%Y.%m}–{end:%Y.%m}"


def _span_name(months: int) -> str:
    if months < 0:
        return "水平 level"
    if months == 0:
        return "截至某日 to a date"
    if months == 6:
        return "半年 half year"
    if months % 12 == 0:
        years = months // 12
        return "一年 one year" if years == 1 else f"{years}年合计 {years}-year total"
    return f"{months}个月 {months} months"


def _period_short(row) -> str:
    s, e = str(row.period_start)[:10], str(row.period_end)[:10]
    if s == e:
        return f"截至{s}"
    return s[:4] if s[:4] == e[:4] else f"{s[:4]}–{e[:4]}"


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return out


def timeline(documents: pd.DataFrame, max_docs: int = 40) -> Figure | None:
    """Each document's reporting period as a bar, coloured by kind; with many documents, the
    number of documents per year of their period's end, by kind."""
    docs = documents.dropna(subset=["period_start", "period_end"])
    if docs.empty:
        return None
    if len(docs) <= max_docs:
        docs = docs.sort_values(["period_start", "doc"])
        fig = figure(height=max(1.8, 0.35 * len(docs) + 1.0))
        ax = fig.add_subplot()
        for y, r in enumerate(docs.itertuples()):
            start = pd.Timestamp(r.period_start)
            end = pd.Timestamp(r.period_end) + pd.Timedelta(days=1)
            ax.barh(
                y,
                (end - start).days,
                left=start,
                color=KIND_COLORS.get(r.kind, PALETTE[-1]),
                height=0.6,
            )
            if pd.notna(r.date):
                ax.plot(pd.Timestamp(r.date), y, marker="|", color="black", markersize=12)
        ax.set_yticks(
            range(len(docs)), [f"{r.region or r.doc} ({r.kind})" for r in docs.itertuples()]
        )
        ax.set_title(
            "报告期与发布日期 Reporting periods (bars) and publication dates (|)", loc="left"
        )
        return fig
    years = pd.to_datetime(docs["period_end"]).dt.year
    counts = pd.crosstab(years, docs["kind"])
    fig = figure()
    ax = fig.add_subplot()
    bottom = None
    for kind in counts.columns:
        ax.bar(
            counts.index,
            counts[kind],
            bottom=bottom,
            label=kind,
            color=KIND_COLORS.get(kind, PALETTE[-1]),
        )
        bottom = counts[kind] if bottom is None else bottom + counts[kind]
    ax.legend()
    ax.set_title("各年文件数 Documents per year of the period's end", loc="left")
    ax.grid(axis="y")
    return fig


def theme_mix(
    doc_themes: pd.DataFrame, labels: dict[str, str], max_docs: int = 40
) -> Figure | None:
    """Share of each theme's terms in each document (stacked bars); with many documents, the
    share over the whole corpus."""
    if doc_themes.empty:
        return None
    pivot = doc_themes.pivot_table(
        index="doc", columns="theme", values="terms", aggfunc="sum", fill_value=0
    )
    pivot = pivot[[t for t in labels if t in pivot.columns]]
    if len(pivot) > max_docs:
        total = pivot.sum()
        return bar_chart(
            [labels[t] for t in total.index],
            list(total.values),
            title="全部文件中各主题用语次数 Theme terms in the whole corpus",
        )
    shares = pivot.div(pivot.sum(axis=1).replace(0, 1), axis=0)
    fig = figure(height=max(1.8, 0.35 * len(shares) + 1.2))
    ax = fig.add_subplot()
    left = None
    for n, theme in enumerate(shares.columns):
        ax.barh(
            shares.index,
            shares[theme],
            left=left,
            label=labels[theme],
            color=PALETTE[n % len(PALETTE)],
        )
        left = shares[theme] if left is None else left + shares[theme]
    ax.legend(ncols=3, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08))
    ax.set_title("各文件主题构成 Theme mix of each document (share of theme terms)", loc="left")
    return fig
