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


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-9)


def _actuals(facts: pd.DataFrame, kind: dict[str, str]) -> pd.DataFrame:
    f = facts[
        (facts["modality"] == "actual") & facts["region"].notna() & facts["period_end"].notna()
    ].copy()
    f["kind"] = f["indicator"].map(kind)
    levels = f["kind"].isin([STOCK, RATE])
    f.loc[levels, "period_start"] = f.loc[levels, "period_end"]  # a level: as of the end
    return f


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
    rows = []
    for _, cell in f.groupby(keys, sort=False, dropna=False):
        win = cell.iloc[0]
        others = cell.iloc[1:]
        rows.append(
            {
                "region": win.region,
                "province": win.province,
                "region_level": win.region_level,
                "indicator": win.indicator,
                "kind": win.kind,
                "period_start": win.period_start,
                "period_end": win.period_end,
                "value": float(win.value),
                "unit": win.unit,
                "bound": win.bound,
                "doc": win.doc,
                "fact_id": win.fact_id,
                "evidence": win.evidence,
                "figure": win.figure,
                "sources": int(cell["doc"].nunique()),
                "alternatives": json.dumps(
                    [
                        {"value": float(o.value), "bound": o.bound, "doc": o.doc}
                        for o in others.itertuples()
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
    for _, group in s.groupby(["region", "province", "indicator"], sort=False, dropna=False):
        prev = None
        for i in group.index:
            row = s.loc[i]
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
    rows = []
    for target in t.itertuples():
        k = kind.get(target.indicator, FLOW)
        due = pd.Timestamp(target.period_end)
        pool = series[
            (series["region"] == target.region)
            & (series["indicator"] == target.indicator)
            & (series["doc"] != target.doc)
        ]
        if target.province is not None and not pd.isna(target.province):
            pool = pool[pool["province"].isna() | (pool["province"] == target.province)]
        pool = pool[pd.to_datetime(pool["period_end"]).dt.year == due.year]
        if k == FLOW:
            length = _years(target.period_start, target.period_end)
            pool = pool[
                [
                    0.8 <= _years(p.period_start, p.period_end) / length <= 1.25
                    for p in pool.itertuples()
                ]
            ]
        actual = pool.sort_values("period_end").iloc[-1] if not pool.empty else None
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

    def flag(rule: str, group: pd.DataFrame, detail: str, region=None, indicator=None, end=None):
        first = group.iloc[0]
        rows.append(
            {
                "rule": rule,
                "region": region if region is not None else first.region,
                "indicator": indicator if indicator is not None else first.indicator,
                "period_end": end if end is not None else first.period_end,
                "detail": detail,
                "fact_ids": ", ".join(str(x) for x in group["fact_id"]),
                "docs": ", ".join(dict.fromkeys(str(x) for x in group["doc"])),
                "quotes": json.dumps(list(group["evidence"]), ensure_ascii=False),
            }
        )

    actual = _actuals(facts, kind)
    wholes = actual[actual["part_of"].isna()]
    keys = ["doc", "region", "indicator", "period_start", "period_end"]
    for _, cell in wholes.groupby(keys, dropna=False):
        values = sorted(set(cell["value"]))
        if len(values) > 1 and not _close(values[0], values[-1]):
            shown = "、".join(f"{v:g}" for v in values)
            flag("two values", cell, f"{cell.iloc[0].doc}: {shown}")

    rates = facts[(facts["indicator"].map(kind) == RATE) & (facts["value"] > 100)]
    for _, r in rates.iterrows():
        flag("rate above 100%", r.to_frame().T, f"{r.value:g}%")

    parents = facts.set_index(["doc", "figure_start"])
    parts = facts[facts["part_of"].notna()]
    for (doc, whole_at), group in parts.groupby(["doc", "part_of"]):
        key = (doc, int(whole_at))
        if key not in parents.index:
            continue
        whole = parents.loc[key]
        whole = whole.iloc[0] if isinstance(whole, pd.DataFrame) else whole
        same = group[group["unit"] == whole.unit]
        if len(same) and same["value"].sum() > whole.value * (1 + TOLERANCE):
            detail = f"{' + '.join(f'{v:g}' for v in same['value'])} > {whole.value:g}"
            head = {"fact_id": whole.fact_id, "doc": doc, "evidence": whole.evidence}
            both = pd.DataFrame([head, *same[["fact_id", "doc", "evidence"]].to_dict("records")])
            flag(
                "parts exceed whole", both, detail, whole.region, whole.indicator, whole.period_end
            )

    for new_id, total_id in _pairs(kind):
        flows = series[series["indicator"] == new_id]
        stocks = series[series["indicator"] == total_id]
        for s in stocks.itertuples():
            year = pd.Timestamp(s.period_end).year
            f = flows[
                (flows["region"] == s.region)
                & (pd.to_datetime(flows["period_end"]).dt.year == year)
                & (pd.to_datetime(flows["period_start"]).dt.year == year)
            ]
            if f.empty:
                continue
            flow = f.iloc[-1]
            pair = pd.DataFrame(
                [
                    {"fact_id": flow.fact_id, "doc": flow.doc, "evidence": flow.evidence},
                    {"fact_id": s.fact_id, "doc": s.doc, "evidence": s.evidence},
                ]
            )
            pair = pair.assign(region=s.region, indicator=total_id, period_end=s.period_end)
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
