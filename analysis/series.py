"""Figures across documents: one value per region, indicator and period, growth between
periods, plans' targets against the results reported later, and figures that cannot all be
true.

Pure functions over the facts, documents and indicators tables (pandas DataFrames as
:class:`~analysis.store.Store` reads them); :mod:`analysis.store` writes what they return as the
tables ``series``, ``attainment`` and ``flags``.

- **series**: the achieved figures, one per (region, indicator, period). Stocks (会员总数) and
  rates are levels at the period's end; flows (新建工会) are counts over the period. When
  several documents give a value for one cell, the most recently published wins and the others
  are kept as ``alternatives``. Between consecutive periods: the change, the change in percent
  and, for stocks, the annualised growth; for a flow over more than a year, its yearly average.
- **attainment**: each target beside the achieved figure of the same region and indicator for
  the year the target is due (for a flow, over a period of about the same length), from
  another document: ``met``, ``not met`` with the share reached, or ``no result``.
- **flags**: two values for one cell in one document, new members (or unions) above the total,
  a rate above 100%, parts (其中...) adding up to more than their whole, a stock that fell while
  its flow was positive.
"""

from __future__ import annotations

import json
import math

import pandas as pd

STOCK, RATE, FLOW = "stock", "rate", "flow"
MET, NOT_MET, NO_RESULT = "met", "not met", "no result"
#: Values within this share of each other are one value (rounding: 4.6万 and 46221).
TOLERANCE = 0.005

SERIES_COLUMNS = [
    "region", "province", "region_level", "indicator", "kind", "period_start", "period_end",
    "value", "unit", "bound", "doc", "fact_id", "evidence", "figure", "sources",
    "alternatives", "previous_period_end", "previous_value", "change", "change_pct",
    "annual_growth_pct", "years_between", "yearly_average", "approximate",
]  # fmt: skip
ATTAINMENT_COLUMNS = [
    "region", "province", "indicator", "kind", "target_value", "target_bound",
    "target_period_end", "target_doc", "target_fact_id", "target_evidence", "actual_value",
    "actual_bound", "actual_period_end", "actual_doc", "actual_fact_id", "actual_evidence",
    "status", "share",
]  # fmt: skip
FLAG_COLUMNS = ["rule", "region", "indicator", "period_end", "detail", "fact_ids", "docs", "quotes"]

FLAG_RULES = {
    "two values": "one document gives two values for one region, indicator and period",
    "new above total": "more new members (or unions) than there are in total",
    "rate above 100%": "a rate above 100%",
    "parts exceed whole": "the parts (其中...) add up to more than their whole",
    "stock fell": "the total fell although new members (or unions) were reported",
}


def kinds(indicators: pd.DataFrame) -> dict[str, str]:
    """Each indicator's kind: a rate (%), a stock (a level at a date) or a flow."""
    out = {}
    for r in indicators.itertuples():
        units = list(r.units) if r.units is not None else []
        out[r.id] = RATE if units == ["%"] else STOCK if r.stock else FLOW
    return out


def _years(start, end) -> float:
    return ((pd.Timestamp(end) - pd.Timestamp(start)).days + 1) / 365.25


def _between(a, b) -> float:
    """Years from date ``a`` to date ``b``: whole years between the same day of the year."""
    a, b = pd.Timestamp(a), pd.Timestamp(b)
    if (a.month, a.day) == (b.month, b.day):
        return float(b.year - a.year)
    return (b - a).days / 365.25


def _key(x):
    """A value as a grouping key: every missing value (None, NaN, NaT) is one key, as in
    pandas' ``groupby(dropna=False)``."""
    return None if x is None or (not isinstance(x, str) and pd.isna(x)) else x


class _Row(dict):
    """A record whose columns read as attributes (``row.value``), as pandas' rows do."""

    __getattr__ = dict.__getitem__


def _keys(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Each row's values of ``columns`` as a grouping key (see :func:`_key`), a column at a
    time."""
    lists = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in columns]
    return list(zip(*lists, strict=True)) if lists else []


def _records(frame: pd.DataFrame) -> list[_Row]:
    """The rows of ``frame`` as records, the values as ``DataFrame.to_dict("records")`` gives
    them, five times as fast (a column at a time)."""
    columns = list(frame.columns)
    values = [frame[c].tolist() for c in columns]
    return [_Row(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-9)


def _actuals(facts: pd.DataFrame, kind: dict[str, str]) -> pd.DataFrame:
    f = facts[
        (facts["modality"] == "actual") & facts["region"].notna() & facts["period_end"].notna()
    ].copy()
    f["kind"] = f["indicator"].map(kind)
    levels = f["kind"].isin([STOCK, RATE])
    f.loc[levels, "period_start"] = f.loc[levels, "period_end"]  # a level: as of the end
    # A total since a start the text does not give (累计, period_start missing) is no figure
    # of any period: it is listed with its quote, never put in a series.
    return f[f["period_start"].notna()]


def build_series(
    facts: pd.DataFrame, documents: pd.DataFrame, indicators: pd.DataFrame
) -> pd.DataFrame:
    """One value per (region, indicator, period), with its alternatives and its growth."""
    kind = kinds(indicators)
    f = _actuals(facts, kind)
    # A part (其中女会员...) or a group's figure (新发展货车司机会员243人) is not the region's.
    f = f[f["part_of"].isna() & f["subject"].isna()]
    if f.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    published = documents.set_index("doc")["date"]
    f["published"] = f["doc"].map(published)
    f["_recency"] = f["published"].fillna(f["period_end"])
    f = f.sort_values(["_recency", "doc", "figure_start"], ascending=[False, False, True])
    keys = ["region", "province", "indicator", "period_start", "period_end"]
    # Plain records, grouped in a dict: pandas' groupby and row access cost a millisecond per
    # cell, which a corpus of thousands of documents turns into minutes.
    cells: dict[tuple, list[dict]] = {}
    columns = [*keys, "region_level", "kind", "value", "unit", "bound", "doc", "fact_id"]
    for key, r in zip(_keys(f, keys), _records(f[[*columns, "evidence", "figure"]]), strict=True):
        cells.setdefault(key, []).append(r)
    rows = []
    for cell in cells.values():
        win, others = cell[0], cell[1:]
        rows.append(
            {
                **{c: win[c] for c in ("region", "province", "region_level", "indicator")},
                **{c: win[c] for c in ("kind", "period_start", "period_end")},
                "value": float(win["value"]),
                **{c: win[c] for c in ("unit", "bound", "doc", "fact_id", "evidence", "figure")},
                "sources": len({r["doc"] for r in cell}),
                "alternatives": json.dumps(
                    [
                        {"value": float(o["value"]), "bound": o["bound"], "doc": o["doc"]}
                        for o in others
                    ],
                    ensure_ascii=False,
                ),
            }
        )
    s = pd.DataFrame(rows).sort_values(["region", "indicator", "period_end", "period_start"])
    return _growth(s.reset_index(drop=True))[SERIES_COLUMNS]


def _growth(s: pd.DataFrame) -> pd.DataFrame:
    """Change from the previous period of the same region and indicator (for a flow, the
    previous period of about the same length)."""
    new = {c: [None] * len(s) for c in ("previous_period_end", "previous_value", "change")}
    new |= {c: [None] * len(s) for c in ("change_pct", "annual_growth_pct", "years_between")}
    new["yearly_average"] = [None] * len(s)
    new["approximate"] = [False] * len(s)
    records = _records(s)
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(_keys(s, ["region", "province", "indicator"])):
        groups.setdefault(key, []).append(i)
    for group in groups.values():
        prev = None
        for i in group:
            row = records[i]
            length = _years(row.period_start, row.period_end)
            if row.kind == FLOW and length > 1.2:
                new["yearly_average"][i] = round(row.value / length, 2)
            candidate = prev
            if row.kind == FLOW and prev is not None:
                prev_length = _years(prev.period_start, prev.period_end)
                if not 0.8 <= length / prev_length <= 1.25:
                    candidate = None  # a half-year after a year: not comparable
                elif pd.Timestamp(prev.period_end) >= pd.Timestamp(row.period_start):
                    candidate = None  # overlapping periods: one is inside the other
            if candidate is not None:
                between = _between(candidate.period_end, row.period_end)
                change = row.value - candidate.value
                new["previous_period_end"][i] = candidate.period_end
                new["previous_value"][i] = candidate.value
                new["change"][i] = round(change, 4)
                new["years_between"][i] = round(between, 2)
                new["approximate"][i] = bool(row.bound != "exact" or candidate.bound != "exact")
                if row.kind != RATE and candidate.value:
                    new["change_pct"][i] = round(100 * change / candidate.value, 2)
                if row.kind == STOCK and candidate.value > 0 and row.value > 0 and between > 0:
                    growth = (row.value / candidate.value) ** (1 / between) - 1
                    new["annual_growth_pct"][i] = round(100 * growth, 2)
            prev = row
    for c, values in new.items():
        s[c] = values
    return s


def _met(target: float, t_bound: str, actual: float, a_bound: str) -> bool:
    """Whether an achieved figure reaches a target, bounds counted: 91% meets 90%以上, 300多份
    meets 300, 近300 does not; a target written as an upper bound (不超过) is met from below."""
    if t_bound == "upper":
        return actual <= target or (_close(actual, target) and a_bound != "lower")
    if _close(actual, target):
        return a_bound != "upper"
    return actual > target


def build_attainment(
    facts: pd.DataFrame, series: pd.DataFrame, indicators: pd.DataFrame
) -> pd.DataFrame:
    """Each target beside the result reported for it, with its status."""
    kind = kinds(indicators)
    t = facts[
        (facts["modality"] == "target") & facts["region"].notna() & facts["period_end"].notna()
    ]
    # The series by region and indicator, in its order: one lookup per target, not a scan.
    by_cell: dict[tuple, list[_Row]] = {}
    for r in _records(series):
        r = _Row(r, year=pd.Timestamp(r["period_end"]).year)
        r["length"] = _years(r.period_start, r.period_end)
        by_cell.setdefault((r.region, r.indicator), []).append(r)
    rows = []
    for target in t.itertuples():
        k = kind.get(target.indicator, FLOW)
        due = pd.Timestamp(target.period_end)
        pool = [
            p
            for p in by_cell.get((target.region, target.indicator), [])
            if p.doc != target.doc and p.year == due.year
        ]
        if target.province is not None and not pd.isna(target.province):
            pool = [p for p in pool if _key(p.province) in (None, target.province)]
        if k == FLOW:
            length = _years(target.period_start, target.period_end)
            pool = [p for p in pool if 0.8 <= p.length / length <= 1.25]
        # The latest period's (of equals, the last in the series' order).
        actual = max(reversed(pool), key=lambda p: pd.Timestamp(p.period_end)) if pool else None
        status, share = NO_RESULT, None
        if actual is not None:
            met = _met(target.value, target.bound, actual.value, actual.bound)
            status = MET if met else NOT_MET
            if target.value:
                share = round(actual.value / target.value, 4)
        rows.append(
            {
                "region": target.region,
                "province": target.province,
                "indicator": target.indicator,
                "kind": k,
                "target_value": float(target.value),
                "target_bound": target.bound,
                "target_period_end": target.period_end,
                "target_doc": target.doc,
                "target_fact_id": target.fact_id,
                "target_evidence": target.evidence,
                "actual_value": None if actual is None else float(actual.value),
                "actual_bound": None if actual is None else actual.bound,
                "actual_period_end": None if actual is None else actual.period_end,
                "actual_doc": None if actual is None else actual.doc,
                "actual_fact_id": None if actual is None else actual.fact_id,
                "actual_evidence": None if actual is None else actual.evidence,
                "status": status,
                "share": share,
            }
        )
    out = pd.DataFrame(rows, columns=ATTAINMENT_COLUMNS)
    return out.sort_values(["region", "indicator", "target_period_end"]).reset_index(drop=True)


def build_flags(
    facts: pd.DataFrame, series: pd.DataFrame, indicators: pd.DataFrame
) -> pd.DataFrame:
    """Figures that cannot all be true, by rule (see :data:`FLAG_RULES`)."""
    kind = kinds(indicators)
    rows: list[dict] = []

    def flag(rule: str, group: list[dict], detail: str, region=None, indicator=None, end=None):
        """One flag over ``group``: the records (fact_id, doc, evidence...) of its facts."""
        first = group[0]
        rows.append(
            {
                "rule": rule,
                "region": region if region is not None else first["region"],
                "indicator": indicator if indicator is not None else first["indicator"],
                "period_end": end if end is not None else first["period_end"],
                "detail": detail,
                "fact_ids": ", ".join(str(g["fact_id"]) for g in group),
                "docs": ", ".join(dict.fromkeys(str(g["doc"]) for g in group)),
                "quotes": json.dumps([g["evidence"] for g in group], ensure_ascii=False),
            }
        )

    actual = _actuals(facts, kind)
    wholes = actual[actual["part_of"].isna()]
    keys = ["doc", "region", "indicator", "period_start", "period_end"]
    # Only the cells with more than one value are looked at one by one, as plain records
    # (in the order of pandas' sorted groupby: by the keys, missing values last).
    several = wholes.groupby(keys, dropna=False)["value"].transform("nunique") > 1
    cells: dict[tuple, list[dict]] = {}
    cell_of = wholes[several]
    for key, r in zip(_keys(cell_of, keys), _records(cell_of), strict=True):
        cells.setdefault(key, []).append(r)
    for key in sorted(cells, key=lambda ks: [(k is None, k if k is not None else 0) for k in ks]):
        cell = cells[key]
        values = sorted({r["value"] for r in cell})
        if len(values) > 1 and not _close(values[0], values[-1]):
            shown = "、".join(f"{v:g}" for v in values)
            flag("two values", cell, f"{cell[0]['doc']}: {shown}")

    rates = facts[(facts["indicator"].map(kind) == RATE) & (facts["value"] > 100)]
    for r in rates.to_dict("records"):
        flag("rate above 100%", [r], f"{r['value']:g}%")

    # Each part's whole: the first fact at the offset its part_of names, in the same document.
    columns = ["fact_id", "doc", "figure_start", "part_of", "unit", "value", "evidence"]
    columns += ["region", "indicator", "period_end"]
    wholes_at: dict[tuple, _Row] = {}
    parts: dict[tuple, list[_Row]] = {}
    # Only the documents with parts are read as records (a whole and its parts share one).
    with_parts = facts["doc"].isin(facts.loc[facts["part_of"].notna(), "doc"].unique())
    for r in _records(facts.loc[with_parts, columns]):
        wholes_at.setdefault((r.doc, r.figure_start), r)
        if _key(r.part_of) is not None:
            parts.setdefault((r.doc, r.part_of), []).append(r)
    for doc, whole_at in sorted(parts):
        whole = wholes_at.get((doc, int(whole_at)))
        if whole is None:
            continue
        same = [p for p in parts[(doc, whole_at)] if p.unit == whole.unit]
        if same and sum(p.value for p in same) > whole.value * (1 + TOLERANCE):
            detail = f"{' + '.join(f'{p.value:g}' for p in same)} > {whole.value:g}"
            head = {"fact_id": whole.fact_id, "doc": doc, "evidence": whole.evidence}
            flag(
                "parts exceed whole",
                [head, *same],
                detail,
                whole.region,
                whole.indicator,
                whole.period_end,
            )

    records = _records(series)
    for new_id, total_id in _pairs(kind):
        # The flows over one calendar year, by region and year, in the series' order.
        flows: dict[tuple, list[_Row]] = {}
        for r in records:
            if r.indicator == new_id:
                year = pd.Timestamp(r.period_end).year
                if pd.Timestamp(r.period_start).year == year:
                    flows.setdefault((r.region, year), []).append(r)
        for s in (r for r in records if r.indicator == total_id):
            f = flows.get((s.region, pd.Timestamp(s.period_end).year))
            if not f:
                continue
            flow = f[-1]
            where = {"region": s.region, "indicator": total_id, "period_end": s.period_end}
            pair = [
                {"fact_id": flow.fact_id, "doc": flow.doc, "evidence": flow.evidence, **where},
                {"fact_id": s.fact_id, "doc": s.doc, "evidence": s.evidence, **where},
            ]
            if flow.value > s.value * (1 + TOLERANCE):
                flag("new above total", pair, f"{flow.value:g} new > {s.value:g} in total")
            if s.change is not None and not _isnan(s.change) and s.change < 0 and flow.value > 0:
                flag(
                    "stock fell",
                    pair,
                    f"{s.previous_value:g} -> {s.value:g} while {flow.value:g} new were reported",
                )
    out = pd.DataFrame(rows, columns=FLAG_COLUMNS)
    return out.sort_values(["rule", "region", "indicator", "period_end"]).reset_index(drop=True)


def _pairs(kind: dict[str, str]) -> list[tuple[str, str]]:
    """(new, total) pairs of indicators: mem.new and mem.total, org.new and org.total."""
    out = []
    for ident, k in kind.items():
        prefix, _, name = ident.rpartition(".")
        if name == "new" and k == FLOW and kind.get(f"{prefix}.total") == STOCK:
            out.append((ident, f"{prefix}.total"))
    return out


def _isnan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)
