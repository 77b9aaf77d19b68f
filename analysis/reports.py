"""What each report shows. The notebooks in ``notebooks/`` call these and display the result.

Every method returns :class:`~analysis.tables.Html` (figures embedded as PNG), so a notebook
cell is one call, the same in JupyterLab and in the rendered report, and everything shown here
is tested without a kernel.

The reports, and the parameters each is run with, are listed in one place: :func:`report_specs`.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import ParameterError
from .paths import default_corpus, default_database
from .store import Store
from .tables import (
    KIND_LABELS,
    Html,
    esc,
    fact_table,
    format_number,
    format_period,
    format_value,
    frame_table,
    heading,
    join,
    note,
    quote,
    table,
)

HEADLINE_THEMES = ("bargaining", "membership")

READING_NOTES = [
    "<b>目标不是成绩。</b> A target (力争, 计划, 要…) is not an achievement: targets are listed apart from achieved figures and never added to them.",
    "<b>人次不是人。</b> Person-times (人次) count visits or enrolments, not people: they are kept in indicators of their own.",
    "<b>多年合计不是年度数。</b> A figure for a three-year period (三年来) is a total over three years, not a yearly figure; the period column says which.",
    "<b>≥ 表示下限。</b> ≥ marks a lower bound (4.6万余人 is at least 46000), ≤ an upper bound (近65名), ≈ an approximate figure (约, 左右).",
    "Each figure is quoted in the sentence it came from, with the figure marked; 原文 shows the source as written where cleaning changed it (Traditional characters, conversion artifacts).",
]
THEME_NOTES = {
    "bargaining": [
        "<b>建制率不是国际劳工组织的覆盖率。</b> A 建制率 or 覆盖率 here is the share of (unionized) enterprises with collective bargaining or a contract, as the report states it; it is not the ILO collective-bargaining coverage rate (the share of all employees covered).",
        "Workers covered beside union members is a ratio of two figures from the same document; covered workers need not be members.",
    ],
    "membership": [
        "<b>招募率为毛率。</b> The implied recruitment rate new / (total − new) is gross: members who left during the period are not reported, so it overstates net growth. For a multi-year period its yearly equivalent assumes even growth.",
        "A total (会员总数, 工会组织达…) is a level at the end of the period; new members and new organizations are counts over the period.",
    ],
}


def open_store(db: str | Path | None = None) -> Store:
    """The fact database ``db``, or the project's; the project's is built from ``seeds/`` when
    missing, so the notebooks run top to bottom on a fresh checkout."""
    if db:
        return Store(Path(db))
    path = default_database()
    if not path.is_file():
        from .pipeline import run_extraction

        run_extraction(default_corpus(), path, progress=False)
    return Store(path)


# --------------------------------------------------------------------------- parameters

#: The first line of the cell papermill adds after a notebook's ``parameters`` cell (the cell
#: tagged ``injected-parameters``).
INJECTED = "# Parameters"
_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}


def declared_parameters(source: str) -> dict[str, str]:
    """The parameters of a ``parameters`` cell, ``name: type = default  # help`` a line, as
    name -> type (``{}`` when the cell is not of that form)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    out = {}
    for node in tree.body:
        if not (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(node.annotation, ast.Name)
        ):
            return {}
        out[node.target.id] = node.annotation.id
    return out


def type_mismatch(name: str, type_name: str, value: object) -> str | None:
    """What is wrong with ``value`` for a parameter declared as ``type_name``, or None."""
    want = _TYPES.get(type_name)
    if want and (not isinstance(value, want) or (isinstance(value, bool) and bool not in want)):
        return f"parameter {name!r} must be {type_name}, not {type(value).__name__} ({value!r})"
    return None


def reject_unknown_parameters(namespace: dict) -> None:
    """The first cell after ``parameters``: a notebook run by hand with papermill and a
    misspelt ``-p`` name (``-p them bargaining``) stops here with one line naming it and the
    parameters the notebook takes, instead of running on the default. ``namespace`` is the
    notebook's ``globals()``: IPython's ``In`` there holds the cells run so far, and papermill's
    cell of given parameters comes right after the ``parameters`` cell. Run without papermill
    (JupyterLab), there is nothing to check."""
    history = [str(c) for c in namespace.get("In") or []]
    marks = [n for n, src in enumerate(history) if n and src.lstrip().startswith(INJECTED)]
    if not marks:
        return
    declared = declared_parameters(history[marks[-1] - 1])
    if not declared:
        return  # cells were run in another order: nothing sure to compare with
    given = {}
    for node in ast.parse(history[marks[-1]]).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                given[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                given[node.targets[0].id] = None
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ParameterError(
            f"unknown parameter {', '.join(map(repr, unknown))}; this notebook takes {', '.join(declared)} (papermill --help-notebook lists them)"
        )
    for name, value in given.items():
        problem = type_mismatch(name, declared[name], value)
        if problem:
            raise ParameterError(problem)


# --------------------------------------------------------------------------- report list


@dataclass(frozen=True)
class ReportSpec:
    """One report: its file name, notebook, parameters and title."""

    name: str  # file stem in reports/: overview, theme-bargaining, region-532801
    notebook: str  # file name in notebooks/
    kind: str  # overview | theme | region
    title: str
    params: dict = field(default_factory=dict)


def region_slug(name: str, adcode: str | None = None) -> str:
    """A file-name-safe, stable id for a region: its adcode, else a short hash of its name."""
    if isinstance(adcode, str) and adcode.isdigit():
        return adcode
    return "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


#: The levels of regions, as the reports name them.
LEVEL_LABELS = {
    "national": "全国 national",
    "province": "省级 province",
    "prefecture": "市级 prefecture",
    "county": "县级 county",
    "town": "乡镇街道 town",
    "zone": "园区 zone",
}


def regions(store: Store) -> pd.DataFrame:
    """Every region with documents or figures, with its level and parents, most figures first."""
    return store.query(
        """
        WITH r AS (
            SELECT region, region_level, province, prefecture, county, adcode, doc, 0 AS fact
            FROM documents WHERE region IS NOT NULL AND duplicate_of IS NULL
            UNION ALL
            SELECT region, region_level, province, prefecture, county, adcode, doc, 1 AS fact
            FROM facts WHERE region IS NOT NULL)
        SELECT region, any_value(region_level) AS level, any_value(province) AS province,
               any_value(prefecture) AS prefecture, any_value(county) AS county,
               any_value(adcode) AS adcode, sum(fact)::INTEGER AS facts,
               count(DISTINCT doc) FILTER (WHERE fact = 0) AS documents
        FROM r GROUP BY region ORDER BY facts DESC, documents DESC, region
        """
    )


def parent_chain(province, prefecture, county) -> str:
    """省 › 市 › 县, the parents a region has (an empty string for 全国)."""
    return " › ".join(p for p in (province, prefecture, county) if isinstance(p, str) and p)


def report_specs(store: Store, max_regions: int = 50) -> list[ReportSpec]:
    """The reports to build from a database: the overview, one per theme, one per region (the
    ``max_regions`` with most figures; the overview lists every region)."""
    db = str(store.path)  # every notebook reads the database the build wrote, passed as a parameter
    specs = [
        ReportSpec("overview", "overview.ipynb", "overview", "文件概览 Corpus overview", {"db": db})
    ]
    for t in store.themes().itertuples():
        specs.append(
            ReportSpec(
                f"theme-{t.id}",
                "theme.ipynb",
                "theme",
                f"主题 {t.label_zh} {t.label_en}",
                {"theme": t.id, "db": db},
            )
        )
    for r in regions(store).head(max_regions).itertuples():
        specs.append(
            ReportSpec(
                f"region-{region_slug(r.region, r.adcode)}",
                "region.ipynb",
                "region",
                f"地区 {r.region}",
                {"region": r.region, "db": db},
            )
        )
    return specs


OVERVIEW_INPUTS = [
    ("SELECT * FROM documents", []),
    ("SELECT * FROM doc_themes", []),
    ("SELECT * FROM problems", []),
    ("SELECT doc, indicator, modality, region, province FROM facts", []),
    ("SELECT * FROM indicators", []),
]


def input_fingerprints(store: Store, specs: list[ReportSpec]) -> dict[str, str]:
    """For each report, a hash of everything it reads from the database (to tell whether it
    changed). A theme report reads its theme's facts; a region report the region's documents,
    and the facts about the region or from its documents; the overview reads all documents and
    problems and a summary of the facts; every report's header names the corpus. Grouped
    queries: the cost does not grow with the number of reports."""
    import hashlib

    corpus = _corpus_name(store)

    def digest(*parts) -> str:
        return hashlib.sha256(";".join(str(p) for p in (corpus, *parts)).encode()).hexdigest()

    def groups(sql: str) -> dict:
        return {r.k: f"{r.n}:{r.h}" for r in store.query(sql).itertuples()}

    themes = groups(
        "SELECT theme AS k, count(*) AS n, sum(hash(f)) AS h FROM facts f GROUP BY theme"
    )
    docs = groups(
        "SELECT region AS k, count(*) AS n, sum(hash(d)) AS h FROM documents d GROUP BY region"
    )
    facts = groups(
        """SELECT k, count(*) AS n, sum(h) AS h FROM (
               SELECT f.region AS k, hash(f) AS h FROM facts f
               UNION ALL
               SELECT d.region AS k, hash(f) AS h FROM facts f JOIN documents d USING (doc)
               WHERE d.region IS DISTINCT FROM f.region)
           GROUP BY k"""
    )
    out = {}
    for spec in specs:
        if spec.kind == "theme":
            out[spec.name] = digest(themes.get(spec.params["theme"]))
        elif spec.kind == "region":
            r = spec.params["region"]
            out[spec.name] = digest(docs.get(r), facts.get(r))
        else:
            out[spec.name] = digest(store.fingerprint(OVERVIEW_INPUTS))
    return out


def summary_line(spec: ReportSpec, store: Store) -> str:
    """One line for the index page."""
    if spec.kind == "overview":
        info = store.info()
        skipped = store.query("SELECT count(*) AS n FROM problems WHERE severity = ?", ["error"])[
            "n"
        ][0]
        return f"{info.get('documents', 0)} 份文件, {info.get('facts', 0)} 个数据, {skipped} 个文件无法读取 (documents, figures, files skipped)"
    if spec.kind == "theme":
        where, params = "theme = ?", [spec.params["theme"]]
    else:
        r = spec.params["region"]
        where = "region = ? OR doc IN (SELECT doc FROM documents WHERE region = ?)"
        params = [r, r]
    frame = store.query(
        f"SELECT count(*) AS n, count(DISTINCT doc) AS docs, count(*) FILTER (WHERE modality = 'target') AS targets FROM facts WHERE {where}",
        params,
    )
    n, docs, targets = (int(frame[c][0]) for c in ("n", "docs", "targets"))
    if spec.kind == "region":  # documents about the region count even without figures
        r = spec.params["region"]
        docs = int(
            store.query(
                f"SELECT count(*) AS n FROM documents WHERE duplicate_of IS NULL AND (region = ? OR doc IN (SELECT doc FROM facts WHERE {where}))",
                [r, *params],
            )["n"][0]
        )
    return f"{n} 个数据 (其中目标 {targets}) 来自 {docs} 份文件 ({_count(n, 'figure')}, {targets} of them targets, from {_count(docs, 'document')})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# --------------------------------------------------------------------------- shared pieces


def _corpus_name(store: Store) -> str:
    corpus = str(store.info().get("corpus", "?"))
    return Path(corpus).name or corpus


def _header(title: str, subtitle: str, store: Store) -> Html:
    info = store.info()
    corpus = esc(_corpus_name(store))
    return join(
        [
            f"<h1>{esc(title)}</h1>",
            f'<p class="lede">{subtitle}</p>',
            # The corpus's counts are in the index, rebuilt with every extraction: a report
            # is rebuilt only when what it shows changes, and would show stale ones.
            f'<p class="meta">语料 Corpus: <code>{corpus}</code> · union-reports {esc(info.get("version"))}</p>',
        ]
    )


def reading_notes(theme: str | None = None) -> Html:
    items = READING_NOTES + THEME_NOTES.get(theme or "", [])
    return join(
        [
            heading("如何阅读 How to read this report"),
            '<ul class="notes">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>",
        ]
    )


def _pair(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """Achieved figures of two indicators from the same document and region, side by side."""
    keys = ["doc", "region"]
    a = left[left["modality"] == "actual"]
    b = right[right["modality"] == "actual"]
    if a.empty or b.empty:
        return pd.DataFrame()
    b = b.sort_values("period_end").groupby(keys, as_index=False).last()
    return a.merge(b, on=keys, suffixes=("", "_b"))


def _pair_cells(r) -> list[str]:
    """Region, period and the two figures of a row of :func:`_pair`."""
    return [
        esc(r.region),
        esc(format_period(r.period_start, r.period_end)),
        esc(format_value(r.value, r.unit, r.bound)),
        esc(format_value(r.value_b, r.unit_b, r.bound_b)),
    ]


# --------------------------------------------------------------------------- theme report


class ThemeReport:
    """Figures of one theme: by indicator, region and period; achieved apart from targets."""

    def __init__(self, theme: str, db: str | Path | None = None, max_rows: int = 30) -> None:
        self.store = open_store(db)
        themes = self.store.themes()
        if theme not in set(themes["id"]):
            raise ParameterError(
                f"theme {theme!r} is not one of {list(themes['id'])} (see analysis/data/lexicon.yaml)"
            )
        self.theme = theme
        self.label = themes.set_index("id").loc[theme]
        self.max_rows = max_rows
        self.facts = self.store.facts(theme=theme)
        self.indicators = self.store.indicators().query("theme == @theme")
        self.actual = self.facts[self.facts["modality"] == "actual"]
        self.targets = self.facts[self.facts["modality"] == "target"]

    def header(self) -> Html:
        f = self.facts
        sub = f"{len(self.actual)} achieved figures and {len(self.targets)} targets from {f['doc'].nunique()} documents in {f['region'].nunique()} regions · {len(self.actual)} 个实际数据, {len(self.targets)} 个目标"
        return _header(
            f"主题报告: {self.label.label_zh} — {self.label.label_en}", esc(sub), self.store
        )

    def how_to_read(self) -> Html:
        return reading_notes(self.theme)

    def overview(self) -> Html:
        rows = []
        for ind in self.indicators.itertuples():
            f = self.facts[self.facts["indicator"] == ind.id]
            rows.append(
                [
                    f"{esc(ind.label_zh)}<br><small>{esc(ind.label_en)}</small>",
                    esc(ind.id),
                    esc(int((f["modality"] == "actual").sum())),
                    esc(int((f["modality"] == "target").sum())),
                    esc(f["doc"].nunique()),
                    esc(f["region"].nunique()),
                    esc(ind.notes),
                ]
            )
        return join(
            [
                heading("指标一览 Indicators"),
                table(
                    [
                        "指标 Indicator",
                        "id",
                        "实际 achieved",
                        "目标 targets",
                        "文件 documents",
                        "地区 regions",
                        "说明 Notes",
                    ],
                    rows,
                    cls="plain",
                ),
            ]
        )

    def by_region(self) -> Html:
        """Achieved figures of the theme's headline indicators, one row per region and period."""
        if self.actual.empty:
            return Html("")
        f = self.actual.copy()
        f["cell"] = [
            format_value(v, u, b) for v, u, b in zip(f["value"], f["unit"], f["bound"], strict=True)
        ]
        f["period"] = [
            format_period(s, e) for s, e in zip(f["period_start"], f["period_end"], strict=True)
        ]
        order = list(self.indicators["label_zh"])
        pivot = f.pivot_table(
            index=["region", "period"],
            columns="label_zh",
            values="cell",
            aggfunc=lambda s: " / ".join(s),
        )
        pivot = pivot[[c for c in order if c in pivot.columns]].reset_index()
        pivot.columns = ["地区 Region", "期间 Period", *pivot.columns[2:]]
        return join(
            [
                heading("按地区和期间 By region and period (achieved)"),
                note(
                    "Each cell is a figure as reported (several figures are separated by /); quotes are in the tables below."
                ),
                frame_table(pivot, max_rows=self.max_rows),
            ]
        )

    def charts(self) -> Html:
        from . import charts

        parts = [heading("图表 Charts")]
        for ind in self.indicators.itertuples():
            f = self.facts[self.facts["indicator"] == ind.id]
            fig = charts.indicator_chart(f, f"{ind.label_zh} {ind.label_en}")
            if fig is not None:
                parts.append(
                    charts.embed(
                        fig, f"{ind.label_zh}: bars per figure; blue achieved, orange targets"
                    )
                )
        if len(parts) == 1:
            parts.append(note("没有数据 No figures for this theme."))
        else:
            parts.insert(
                1,
                note(
                    "蓝色为实际, 橙色为目标 Blue bars are achieved figures, orange bars targets; ≥ marks a lower bound."
                ),
            )
        return join(parts)

    def derived(self) -> Html:
        """The figures the headline themes derive from pairs of facts."""
        if self.theme == "bargaining":
            return self._bargaining()
        if self.theme == "membership":
            return self._membership()
        return Html("")

    def _bargaining(self) -> Html:
        contracts = self.facts[self.facts["indicator"] == "cb.contracts"]
        workers = self.facts[self.facts["indicator"] == "cb.workers_covered"]
        parts = [heading("派生指标 Derived figures")]
        per = _pair(workers, contracts)
        rows = []
        for r in per.itertuples():
            ratio = r.value / r.value_b if r.value_b else math.nan
            sign = (
                "≥"
                if r.bound == "lower" and r.bound_b != "lower"
                else ("≈" if "lower" in (r.bound, r.bound_b) else "")
            )
            rows.append(
                [
                    *_pair_cells(r),
                    f"<b>{esc(sign + format_number(round(ratio, 1)))}</b>",
                    quote(r._asdict()),
                ]
            )
        parts.append(heading("每份集体合同覆盖职工 Workers covered per contract", 3))
        parts.append(
            table(
                [
                    "地区 Region",
                    "期间 Period",
                    "覆盖职工 Workers",
                    "合同 Contracts",
                    "人/份 Workers per contract",
                    "出处 Evidence (workers)",
                ],
                rows,
                cls="plain",
            )
            if rows
            else note("No document reports both figures.")
        )
        members = self.store.facts(indicator="mem.total")
        cov = _pair(workers, members)
        rows = []
        for r in cov.itertuples():
            sign = (
                {"lower": "≥", "upper": "≤", "approx": "≈"}.get(r.bound, "")
                if r.bound_b == "exact"
                else "≈"
            )
            rows.append(
                [
                    esc(r.region),
                    esc(format_value(r.value, r.unit, r.bound)),
                    esc(format_value(r.value_b, r.unit_b, r.bound_b)),
                    esc(format_period(r.period_start_b, r.period_end_b)),
                    f"<b>{esc(sign + format_number(round(100 * r.value / r.value_b, 1)))}%</b>",
                    esc(r.doc),
                ]
            )
        parts.append(heading("覆盖职工与会员总数之比 Workers covered beside union members", 3))
        parts.append(
            note(
                "A ratio of two reported figures, not an ILO coverage rate: covered workers need not be members, and members need not be covered."
            )
        )
        parts.append(
            table(
                [
                    "地区 Region",
                    "覆盖职工 Workers covered",
                    "会员总数 Members",
                    "会员期末 Members as of",
                    "比值 Ratio",
                    "文件 Document",
                ],
                rows,
                cls="plain",
            )
            if rows
            else note("No document reports both figures.")
        )
        return join(parts)

    def _membership(self) -> Html:
        new = self.facts[
            (self.facts["indicator"] == "mem.new")
            & self.facts["subject"].isna()
            & self.facts["period_start"].notna()  # a total since an unknown start: no rate
        ]
        total = self.facts[(self.facts["indicator"] == "mem.total") & self.facts["subject"].isna()]
        parts = [
            heading("派生指标 Derived figures"),
            heading("隐含的毛招募率 Implied gross recruitment rate", 3),
        ]
        rows = []
        for r in _pair(new, total).itertuples():
            base = r.value_b - r.value
            if base <= 0:
                continue
            rate = r.value / base
            years = (pd.Timestamp(r.period_end) - pd.Timestamp(r.period_start)).days / 365.25
            yearly = (r.value_b / base) ** (1 / years) - 1 if years > 1.05 else rate
            rows.append(
                [
                    *_pair_cells(r),
                    f"<b>{100 * rate:.1f}%</b>",
                    f"{100 * yearly:.1f}%"
                    + (f" <small>({years:.1f} years)</small>" if years > 1.05 else ""),
                    quote(r._asdict()),
                ]
            )
        parts.append(
            note(
                "new / (total − new): the members recruited in the period against the members there were before them. Gross: members who left are not reported (attrition unknown), so this is not net growth."
            )
        )
        parts.append(
            table(
                [
                    "地区 Region",
                    "期间 Period",
                    "新发展会员 New",
                    "会员总数 Total",
                    "毛招募率 Rate",
                    "年均 Yearly equivalent",
                    "出处 Evidence (new members)",
                ],
                rows,
                cls="plain",
            )
            if rows
            else note("No document reports both new members and the total.")
        )
        groups = self.facts[(self.facts["indicator"] == "mem.new") & self.facts["subject"].notna()]
        parts.append(heading("招募的群体 Groups recruited", 3))
        parts.append(
            fact_table(groups, self.max_rows)
            if not groups.empty
            else note("No figure names the group recruited.")
        )
        return join(parts)

    def over_time(self) -> Html:
        """Membership and bargaining: series, growth and plan attainment across documents."""
        if self.theme not in OVER_TIME:
            return Html("")
        return over_time(self.store, OVER_TIME[self.theme], max_rows=self.max_rows)

    def achieved(self) -> Html:
        parts = [heading("实际数据 Achieved figures")]
        for ind in self.indicators.itertuples():
            f = self.actual[self.actual["indicator"] == ind.id]
            if not f.empty:
                parts.append(heading(f"{ind.label_zh} {ind.label_en}", 3))
                parts.append(fact_table(f, self.max_rows))
        if len(parts) == 1:
            parts.append(note("没有数据 No achieved figures."))
        return join(parts)

    def planned(self) -> Html:
        return join(
            [
                heading("目标 Targets (not achievements)"),
                note(
                    "Figures stated as goals or plans. They say what a union meant to do, not what it did."
                ),
                fact_table(self.targets.sort_values(["indicator_position", "doc"]), self.max_rows),
            ]
        )


# --------------------------------------------------------------------------- over time

STATUS_LABELS = {"met": "达成 met", "not met": "未达成 not met", "no result": "无结果 no result"}
#: The indicators whose course over time the membership and bargaining reports follow.
OVER_TIME = {
    "membership": ("mem.total", "org.total", "org.rate", "mem.new", "org.new"),
    "bargaining": ("cb.rate", "cb.contracts", "cb.workers_covered", "cb.enterprises_covered"),
}
OVER_TIME_NOTES = (
    "One value per region, indicator and period across all documents; where documents disagree "
    "the most recently published one is shown (the others are counted under 来源 sources). "
    "Growth compares consecutive periods of the same region: a change between two documents may "
    "come from counting differently, not only from the unions' work. Stocks (会员总数) are "
    "compared at the periods' ends, flows (新建工会) only between periods of about the same "
    "length; a flow over several years is also given per year, labelled as a yearly average."
)


def _labels(store: Store) -> dict[str, str]:
    return dict(zip(store.indicators()["id"], store.indicators()["label_zh"], strict=True))


def _source(evidence, doc) -> str:
    return (
        f'<q class="evidence">{esc(evidence)}</q><div class="source"><code>{esc(doc)}</code></div>'
    )


def _pct(x) -> str:
    return "—" if x is None or pd.isna(x) else f"{x:+.2f}%"


def growth_table(series: pd.DataFrame, labels: dict[str, str], max_rows: int) -> Html:
    """Each value beside the one before it: the change, in percent, per year for stocks."""
    s = series[series["previous_value"].notna()]
    rows = [
        [
            esc(r.region),
            f"{esc(labels.get(r.indicator, r.indicator))}<br><small>{esc(r.indicator)}</small>",
            esc(
                f"{format_period(r.previous_period_end, r.previous_period_end)} → {format_period(r.period_start, r.period_end)}"
            ),
            f'<span class="figure">{esc(format_value(r.previous_value, r.unit))} → {esc(format_value(r.value, r.unit, r.bound))}</span>',
            esc(
                ("+" if r.change > 0 else "")
                + format_value(r.change, r.unit if r.kind != "rate" else "个百分点")
            ),
            esc(_pct(r.change_pct)),
            esc(_pct(r.annual_growth_pct)),
            _source(r.evidence, r.doc),
        ]
        for r in s.head(max_rows).itertuples()
    ]
    headers = ["地区 Region", "指标 Indicator", "期间 Periods", "数值 Values", "变化 Change",
               "变化率 Change %", "年均增长 Per year", "出处 Evidence (the later value)"]  # fmt: skip
    cols = ["region", "indicator", "period", "figure", "figure", "status", "status", "evidence"]
    return table(headers, rows, columns=cols)


def attainment_table(attainment: pd.DataFrame, labels: dict[str, str], max_rows: int) -> Html:
    """Each target beside the result reported for it, both quoted."""
    rows = []
    for r in attainment.head(max_rows).itertuples():
        share = (
            "" if r.share is None or pd.isna(r.share) or r.status == "met" else f" ({r.share:.0%})"
        )
        result = (
            "—"
            if r.status == "no result"
            else f'<span class="figure">{esc(format_value(r.actual_value, "", r.actual_bound))}</span>'
            f"<br><small>{esc(format_period(r.actual_period_end, r.actual_period_end))}</small>"
        )
        quotes = _source(r.target_evidence, r.target_doc)
        if r.status != "no result":
            quotes += "<hr>" + _source(r.actual_evidence, r.actual_doc)
        rows.append(
            [
                esc(r.region),
                f"{esc(labels.get(r.indicator, r.indicator))}<br><small>{esc(r.indicator)}</small>",
                f'<span class="figure">{esc(format_value(r.target_value, "", r.target_bound))}</span>'
                f"<br><small>{esc(str(r.target_period_end)[:4])}</small>",
                result,
                f'<span class="status-{esc(r.status.replace(" ", "-"))}">{esc(STATUS_LABELS.get(r.status, r.status))}{esc(share)}</span>',
                quotes,
            ]
        )
    headers = ["地区 Region", "指标 Indicator", "目标 Target (due)", "结果 Result",
               "达成 Status", "出处 Target, then result"]  # fmt: skip
    cols = ["region", "indicator", "figure", "figure", "status", "evidence"]
    return table(headers, rows, columns=cols)


def over_time(
    store: Store,
    indicators: tuple[str, ...] | None,
    region: str | None = None,
    max_rows: int = 30,
    max_regions: int = 6,
) -> Html:
    """Series, growth and attainment: charts for the regions with at least two periods, the
    growth table, the attainment table; a plain sentence where there is nothing to compare."""
    from . import charts

    labels = _labels(store)
    s = store.series(region=region)
    a = store.attainment(region=region)
    if indicators is not None:
        s = s[s["indicator"].isin(indicators)]
        a = a[a["indicator"].isin(indicators)]
    parts = [heading("随时间变化 Over time"), note(OVER_TIME_NOTES)]
    periods = s.groupby(["region", "indicator"])["period_end"].nunique()
    followed = periods[periods > 1].reset_index()
    if followed.empty:
        parts.append(
            note(
                "还没有地区有两个以上期间的数据 No region has figures for two periods yet: growth "
                "needs two documents (or one document with two periods) about the same region and "
                "indicator."
            )
        )
    else:
        sources = s.groupby("region")["doc"].nunique()
        ranked = sorted(set(followed["region"]), key=lambda r: (-sources.get(r, 0), r))
        for name in ranked[:max_regions]:
            fig = charts.series_chart(s[s["region"] == name], labels, name)
            if fig is not None:
                parts.append(charts.embed(fig, f"{name}: values over time"))
        if len(ranked) > max_regions:
            parts.append(
                note(
                    f"另有 {len(ranked) - max_regions} 个地区 {len(ranked) - max_regions} more regions with two periods are in the table below."
                )
            )
        parts += [heading("增长 Growth", 3), growth_table(s, labels, max_rows)]
    parts.append(heading("目标达成 Targets against results", 3))
    if a.empty:
        parts.append(note("没有目标 No targets with a region and a due date."))
    else:
        counts = a["status"].value_counts()
        parts.append(
            note(
                f"{int(counts.get('met', 0))} 达成 met · {int(counts.get('not met', 0))} 未达成 not met · "
                f"{int(counts.get('no result', 0))} 无结果 no result (no other document reports the "
                "figure for the year the target is due). A target of 90%以上 is met by 91%; a result "
                "written 300多 meets 300; 近300 does not. A target is compared only with a result "
                "for the same region, indicator and year."
            )
        )
        parts.append(attainment_table(a, labels, max_rows))
    return join(parts)


# --------------------------------------------------------------------------- region report


class RegionReport:
    """Every figure for one region, by theme and period; its documents and keywords."""

    def __init__(self, region: str, db: str | Path | None = None, max_rows: int = 50) -> None:
        self.store = open_store(db)
        self.region = region
        self.max_rows = max_rows
        self.facts = self.store.facts(region=region)
        docs = self.store.documents()
        self.documents = docs[(docs["region"] == region) | docs["doc"].isin(self.facts["doc"])]
        if self.facts.empty and self.documents.empty:
            known = list(regions(self.store)["region"].head(20))
            raise ParameterError(
                f"region {region!r} has no documents or figures; some regions: {known}"
            )

    def header(self) -> Html:
        known = regions(self.store)
        row = known[known["region"] == self.region]
        where = ""
        if not row.empty:
            r = row.iloc[0]
            chain = parent_chain(r.province, r.prefecture, r.county)
            level = LEVEL_LABELS.get(r.level, r.level or "")
            where = " · ".join(x for x in (level, chain) if x)
        sub = f"{esc(where)} · {len(self.documents)} documents · {len(self.facts)} figures ({int((self.facts['modality'] == 'target').sum())} targets)"
        return _header(f"地区概况: {self.region}", sub, self.store)

    def how_to_read(self) -> Html:
        return reading_notes()

    def docs(self) -> Html:
        rows = [
            [
                esc(d.title),
                f"<code>{esc(d.doc)}</code>",
                esc(d.date.strftime("%Y-%m-%d") if pd.notna(d.date) else None),
                esc(KIND_LABELS.get(d.kind, d.kind)),
                esc(format_period(d.period_start, d.period_end)),
                esc(d.union_name),
                esc(d.source),
                esc(
                    "、".join(d.keywords)
                    if isinstance(d.keywords, list | tuple) or hasattr(d.keywords, "__len__")
                    else None
                ),
            ]
            for d in self.documents.itertuples()
        ]
        return join(
            [
                heading("文件 Documents"),
                table(
                    [
                        "标题 Title",
                        "id",
                        "日期 Date",
                        "类型 Kind",
                        "报告期 Period",
                        "工会 Union",
                        "来源 Source",
                        "关键词 Keywords",
                    ],
                    rows,
                    cls="plain",
                ),
            ]
        )

    def keywords(self) -> Html:
        counts = Counter(
            k for ks in self.documents["keywords"] for k in (list(ks) if ks is not None else [])
        )
        if not counts:
            return Html("")
        words = " ".join(
            f'<span class="kw">{esc(w)} <small>{n}</small></span>'
            for w, n in counts.most_common(30)
        )
        return join([heading("关键词 Keywords"), f'<p class="keywords">{words}</p>'])

    def figures(self) -> Html:
        parts = [heading("数据 Figures by theme")]
        themes = self.store.themes().set_index("id")
        for theme, f in self.facts.groupby("theme", sort=False):
            f = f.sort_values(["modality", "period_end", "indicator_position"])
            parts.append(
                heading(f"{themes.loc[theme, 'label_zh']} {themes.loc[theme, 'label_en']}", 3)
            )
            parts.append(fact_table(f, self.max_rows))
        if len(parts) == 1:
            parts.append(note("没有数据 No figures for this region."))
        return join(parts)

    def over_time(self) -> Html:
        """The region's own series, growth and targets against results."""
        return over_time(self.store, None, region=self.region, max_rows=self.max_rows)


# --------------------------------------------------------------------------- overview


class OverviewReport:
    """The corpus: its documents, kinds and periods, themes, keywords, figures and problems."""

    def __init__(self, db: str | Path | None = None, max_rows: int = 60) -> None:
        self.store = open_store(db)
        self.max_rows = max_rows
        self.documents = self.store.documents()
        self.problems = self.store.problems()

    def header(self) -> Html:
        d = self.documents
        kinds = ", ".join(f"{n} {k}" for k, n in d["kind"].value_counts().items())
        return _header(
            "文件概览 Corpus overview",
            esc(
                f"{len(d)} documents ({kinds}); {int(d['duplicate_of'].notna().sum())} duplicates; {int((self.problems['severity'] == 'error').sum())} files could not be read"
            ),
            self.store,
        )

    def how_to_read(self) -> Html:
        return reading_notes()

    def docs(self) -> Html:
        cols = {
            "doc": "id",
            "title": "标题 Title",
            "date": "日期 Date",
            "source": "来源 Source",
            "union_name": "工会 Union",
            "region": "地区 Region",
            "province": "省 Province",
            "kind": "类型 Kind",
            "period": "报告期 Period",
            "facts": "数据 Figures",
            "duplicate_of": "重复 Duplicate of",
        }
        d = self.documents.copy()
        d["period"] = [
            format_period(s, e) for s, e in zip(d["period_start"], d["period_end"], strict=True)
        ]
        d["date"] = [x.strftime("%Y-%m-%d") if pd.notna(x) else None for x in d["date"]]
        d = d[list(cols)].rename(columns=cols)
        return join([heading("文件 Documents"), frame_table(d, self.max_rows)])

    def timeline(self) -> Html:
        from . import charts

        fig = charts.timeline(self.documents)
        return join(
            [
                heading("报告期 Reporting periods"),
                charts.embed(fig, "reporting period of each document")
                if fig
                else note("No document has a known period."),
            ]
        )

    def themes(self) -> Html:
        from . import charts

        labels = {t.id: f"{t.label_zh}" for t in self.store.themes().itertuples()}
        fig = charts.theme_mix(self.store.doc_themes(), labels)
        return join(
            [
                heading("主题构成 Theme mix"),
                note(
                    "How often each theme's vocabulary (analysis/data/lexicon.yaml) occurs in a document, as a share of all theme terms in it."
                ),
                charts.embed(fig, "theme mix per document") if fig else "",
            ]
        )

    def keywords(self) -> Html:
        counts = Counter(
            k for ks in self.documents["keywords"] for k in (list(ks) if ks is not None else [])
        )
        if not counts:
            return join(
                [heading("关键词 Keywords"), note("No keywords (extracted with --no-keywords).")]
            )
        words = " ".join(
            f'<span class="kw">{esc(w)} <small>{n}</small></span>'
            for w, n in counts.most_common(40)
        )
        return join(
            [
                heading("关键词 Top keywords"),
                note("Keywords of each document (TF-IDF), counted over documents."),
                f'<p class="keywords">{words}</p>',
            ]
        )

    def figures(self) -> Html:
        from . import charts

        counts = self.store.query(
            """SELECT i.label_zh || ' ' || i.id AS indicator, i.theme,
                      count(f.fact_id) FILTER (WHERE f.modality = 'actual') AS achieved,
                      count(f.fact_id) FILTER (WHERE f.modality = 'target') AS targets,
                      count(DISTINCT f.doc) AS documents, i.position
               FROM indicators i LEFT JOIN facts f ON f.indicator = i.id
               GROUP BY ALL ORDER BY i.position"""
        )
        used = counts[(counts["achieved"] + counts["targets"]) > 0]
        fig = (
            charts.bar_chart(
                list(used["indicator"]),
                list(used["achieved"] + used["targets"]),
                title="各指标数据个数 Figures per indicator",
            )
            if not used.empty
            else None
        )
        table_ = frame_table(
            counts.drop(columns="position").rename(
                columns={
                    "indicator": "指标 Indicator",
                    "theme": "主题 Theme",
                    "achieved": "实际 achieved",
                    "targets": "目标 targets",
                    "documents": "文件 documents",
                }
            ),
            max_rows=200,
        )
        return join(
            [
                heading("各指标数据 Figures per indicator"),
                charts.embed(fig, "figures per indicator") if fig else "",
                table_,
            ]
        )

    def regions(self) -> Html:
        """Every region, grouped by province and ordered by level (全国 first)."""
        r = regions(self.store)
        order = {k: n for n, k in enumerate(LEVEL_LABELS)}
        r = r.assign(
            _p=r["province"].fillna(""),
            _l=r["level"].map(order).fillna(len(order)),
            level=r["level"].map(LEVEL_LABELS).fillna(r["level"]),
            parents=[parent_chain(x.province, x.prefecture, x.county) for x in r.itertuples()],
        ).sort_values(["_p", "_l", "facts"], ascending=[True, True, False])
        r = r[["region", "level", "parents", "facts", "documents"]].rename(
            columns={
                "region": "地区 Region",
                "level": "级别 Level",
                "parents": "上级 Within",
                "facts": "数据 Figures",
                "documents": "文件 Documents",
            }
        )
        return join(
            [
                heading("地区 Regions"),
                note(
                    "Each region at its level, with the regions it lies in. A town, street or "
                    "community is named by rule; its county is the one the document names."
                ),
                frame_table(r, self.max_rows),
            ]
        )

    def flags(self) -> Html:
        """Figures that cannot all be true, with the quotes involved."""
        from .series import FLAG_RULES

        f = self.store.flags()
        parts = [heading("存疑数据 Figures to check")]
        if f.empty:
            parts.append(note("No figures contradict each other."))
            return join(parts)
        parts.append(
            note(
                "Each row names figures that cannot all be true as read: a slip in the source, a "
                "misreading, or different ways of counting. The figures stay in the reports; check "
                "their quotes. Rules: "
                + "; ".join(f"<b>{esc(k)}</b>: {esc(v)}" for k, v in FLAG_RULES.items())
            )
        )
        labels = _labels(self.store)
        rows = [
            [
                esc(r.rule),
                esc(r.region),
                f"{esc(labels.get(r.indicator, r.indicator))}<br><small>{esc(r.indicator)}</small>",
                esc(format_period(r.period_end, r.period_end)),
                esc(r.detail),
                "".join(f'<q class="evidence">{esc(q)}</q>' for q in json.loads(r.quotes or "[]"))
                + f'<div class="source"><code>{esc(r.docs)}</code></div>',
            ]
            for r in f.head(self.max_rows).itertuples()
        ]
        headers = ["规则 Rule", "地区 Region", "指标 Indicator", "期间 Period", "数值 Figures",
                   "出处 Evidence"]  # fmt: skip
        cols = ["status", "region", "indicator", "period", "figure", "evidence"]
        parts.append(table(headers, rows, columns=cols))
        return join(parts)

    def problems_found(self) -> Html:
        if self.problems.empty:
            return join([heading("问题 Problems"), note("Every file was read.")])
        p = self.problems.rename(
            columns={"path": "文件 File", "reason": "原因 Reason", "severity": "级别 Severity"}
        )
        return join(
            [
                heading("问题 Problems"),
                note("Files skipped (error) or read with a repair (warning), and why."),
                frame_table(p, max_rows=500),
            ]
        )
