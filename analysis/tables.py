"""HTML for reports: fact tables, quotes, summaries. Presentation only: nothing here parses.

Every string that comes from a document (titles, quotes, regions, file names, problems) goes
through :func:`esc`. Reports are also served with a Content-Security-Policy that forbids
scripts, so a scraped ``<script>`` could not run even if escaping were ever missed.

>>> esc('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> format_value(46000, "人", "lower"), format_value(489000, "元", "exact"), format_value(80, "%", "lower")
('≥46000人', '48.9万元', '≥80%')
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd

BOUND_SIGNS = {"lower": "≥", "upper": "≤", "approx": "≈", "exact": ""}
MODALITY_LABELS = {"actual": "实际 actual", "target": "目标 target"}
KIND_LABELS = {"review": "回顾 review", "plan": "计划 plan", "mixed": "兼有 mixed"}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(value) -> str:
    r"""Text for HTML: escaped, control characters (NUL...) dropped, None/NaN as an em dash.

    >>> esc("<b>会员\x00</b>")
    '&lt;b&gt;会员&lt;/b&gt;'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "—"
    return html.escape(_CONTROL.sub("", str(value)), quote=True)


class Html(str):
    """A fragment of HTML that notebooks display as such (it has ``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return str(self)

    def __add__(self, other: str) -> Html:
        return Html(str(self) + str(other))


def join(parts: Iterable[str]) -> Html:
    return Html("\n".join(str(p) for p in parts if p))


def format_number(value: float) -> str:
    """46000, 4.6, 13895: no thousands separators, as Chinese reports write figures."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str, bound: str = "exact") -> str:
    """A figure with its bound and unit; money in 万元/亿元 as Chinese reports write it."""
    sign = BOUND_SIGNS.get(bound, "")
    if unit == "元" and abs(value) >= 1e8:
        return f"{sign}{format_number(round(value / 1e8, 4))}亿元"
    if unit == "元" and abs(value) >= 1e4:
        return f"{sign}{format_number(round(value / 1e4, 2))}万元"
    return f"{sign}{format_number(value)}{unit}"


def _iso(value) -> str | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp | date):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


def format_period(start, end) -> str:
    """2022–2024, 2024-01-01 – 2024-06-21, 截至 2024-12-31 for a level at a date, or 累计至
    2020-12-31 for a total since a start the text does not give."""
    s, e = _iso(start), _iso(end)
    if not s and e:
        return f"累计至 {e}"
    if not s or not e:
        return "—"
    if s == e:
        return f"截至 {s}"
    if s.endswith("-01-01") and e.endswith("-12-31"):
        return s[:4] if s[:4] == e[:4] else f"{s[:4]}–{e[:4]}"
    return f"{s} – {e}"


def quote(row) -> Html:
    """The sentence a fact came from, its figure marked, and the original when it differs."""
    sentence = str(row["sentence"])
    a = int(row["figure_start"]) - int(row["sentence_start"])
    b = int(row["figure_end"]) - int(row["sentence_start"])
    marked = f"{esc(sentence[:a])}<mark>{esc(sentence[a:b])}</mark>{esc(sentence[b:])}"
    parts = [f'<q class="evidence">{marked}</q>']
    original = row.get("sentence_original")
    if isinstance(original, str) and original and original != sentence:
        # The wording as the source wrote it (Traditional, full-width...): folded, one click away.
        parts.append(f'<details class="original"><summary>原文</summary>{esc(original)}</details>')
    parts.append(
        f'<div class="source">{esc(row.get("title"))} <code>{esc(row["doc"])}</code></div>'
    )
    return Html("".join(parts))


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    cls: str = "facts",
    caption: str | None = None,
    columns: Sequence[str] | None = None,
) -> Html:
    """An HTML table; cells are HTML already (use :func:`esc` for text). ``columns`` names a
    class for each column (``evidence``: the quotes, widest, left-aligned)."""
    classes = [f' class="{esc(c)}"' for c in columns] if columns else [""] * len(headers)
    head = "".join(f"<th{k}>{esc(h)}</th>" for h, k in zip(headers, classes, strict=False))
    body = "".join(
        "<tr>" + "".join(f"<td{k}>{c}</td>" for c, k in zip(row, classes, strict=False)) + "</tr>"
        for row in rows
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return Html(
        f'<table class="{esc(cls)}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


FACT_HEADERS = [
    "指标 Indicator",
    "数值 Figure",
    "性质 Status",
    "期间 Period",
    "地区 Region",
    "对象 Group",
    "出处 Evidence",
]


#: The fact table's columns: the quote takes what the others leave (see report.css).
FACT_CLASSES = ["indicator", "figure", "status", "period", "region", "group", "evidence"]


def fact_rows(facts: pd.DataFrame) -> list[list[str]]:
    rows = []
    for _, r in facts.iterrows():
        rows.append(
            [
                f"{esc(r['label_zh'])}<br><small>{esc(r['indicator'])}</small>",
                f'<span class="figure">{esc(format_value(r["value"], r["unit"], r["bound"]))}</span>',
                esc(MODALITY_LABELS.get(r["modality"], r["modality"])),
                esc(format_period(r["period_start"], r["period_end"])),
                esc(r["region"]),
                esc(r["subject"]),
                quote(r),
            ]
        )
    return rows


def fact_table(facts: pd.DataFrame, max_rows: int = 30, caption: str | None = None) -> Html:
    """Facts with their bound, status, period, region, group and quote; at most ``max_rows``,
    with a line saying how many more there are."""
    if facts.empty:
        return Html('<p class="empty">没有数据 No figures.</p>')
    shown = facts.head(max_rows)
    out = table(FACT_HEADERS, fact_rows(shown), caption=caption, columns=FACT_CLASSES)
    if len(facts) > len(shown):
        out += Html(
            f'<p class="more">另有 {len(facts) - len(shown)} 条未列出 ({len(facts) - len(shown)} more figures not listed; all are in the fact database and its exports).</p>'
        )
    return out


def frame_table(frame: pd.DataFrame, max_rows: int = 50, formats: dict | None = None) -> Html:
    """A plain DataFrame as an escaped table (cells formatted by ``formats[column]`` if given)."""
    formats = formats or {}
    shown = frame.head(max_rows)
    rows = [
        [formats[c](v) if c in formats else esc(v) for c, v in r.items()]
        for _, r in shown.iterrows()
    ]
    out = table(list(frame.columns), rows, cls="plain")
    if len(frame) > len(shown):
        out += Html(
            f'<p class="more">另有 {len(frame) - len(shown)} 行未列出 ({len(frame) - len(shown)} more rows not listed).</p>'
        )
    return out


def note(text: str, cls: str = "note") -> Html:
    """A paragraph of our own prose (trusted: never document text)."""
    return Html(f'<div class="{cls}">{text}</div>')


def heading(text: str, level: int = 2) -> Html:
    return Html(f"<h{level}>{esc(text)}</h{level}>")
