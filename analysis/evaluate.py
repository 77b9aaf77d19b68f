"""Precision and recall of extracted facts against hand-annotated gold facts.

Gold: one JSON object per line with ``doc``, ``indicator``, ``value``, ``modality`` (default
``actual``) and optionally ``bound``, ``evidence`` and ``optional: true`` (a fact that may be
found or not without penalty). A prediction matches a gold fact of the same document, indicator
and modality whose value is within 0.5%. The same fact read twice from one passage (same value
and evidence) counts once. Only the nine headline indicators are scored.

Errors are sorted by kind, so that a user who annotates their own documents sees where the
extractor fails: a figure found but tied to the wrong indicator, or read as a target when it was
achieved (or the reverse), a bound read wrong, a false fact (no gold figure of that value in
the document), a missed one (no prediction of that value).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AnalysisError
from .indicators import HEADLINE


def load_gold(path: Path) -> list[dict]:
    rows = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise AnalysisError(f"{path}: cannot read the gold file ({e.strerror or e})") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            float(row["value"])
            row["doc"], row["indicator"]
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
            raise AnalysisError(
                f"{path}:{n}: not a gold fact (need JSON with doc, indicator, value): {e}"
            ) from e
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


#: The kinds of error, in the order they are printed.
ERROR_KINDS = ("wrong indicator", "wrong modality", "wrong bound", "false", "missed")


@dataclass(frozen=True)
class Error:
    kind: str  # one of ERROR_KINDS
    doc: str
    value: float
    predicted: dict | None  # the prediction (None for a missed fact)
    gold: dict | None  # the gold fact it should have been (None for a false one)

    def line(self) -> str:
        p, g = self.predicted or {}, self.gold or {}
        said = f"{p.get('indicator')} {p.get('modality')} {p.get('bound', '')}".strip()
        want = f"{g.get('indicator')} {g.get('modality', 'actual')} {g.get('bound', 'exact')}"
        what = {
            "false": f"extracted {said}",
            "missed": f"missed {want}",
        }.get(self.kind, f"extracted {said}, gold {want}")
        quote = str(p.get("evidence") or g.get("evidence") or g.get("figure") or "")[:50]
        return f"{self.kind:16} {self.doc} {self.value:g}: {what} | {quote}"


@dataclass
class Evaluation:
    per_indicator: dict[str, Score]
    overall: Score
    bound_accuracy: float
    false_positives: list[dict]
    missed: list[dict]
    errors: list[Error] = field(default_factory=list)

    def error_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ERROR_KINDS, 0)
        for e in self.errors:
            counts[e.kind] += 1
        return counts

    def error_table(self) -> str:
        """The errors by kind: one count line, then one line per error."""
        counts = ", ".join(f"{k} {n}" for k, n in self.error_counts().items())
        lines = [f"errors by kind: {counts}"]
        order = {k: n for n, k in enumerate(ERROR_KINDS)}
        for e in sorted(self.errors, key=lambda e: (order[e.kind], e.doc, e.value)):
            lines.append("  " + e.line())
        return "\n".join(lines)

    def table(self) -> str:
        lines = [f"{'indicator':24} {'tp':>3} {'fp':>3} {'fn':>3}  precision recall     F1"]
        for ind, s in sorted(self.per_indicator.items()):
            lines.append(
                f"{ind:24} {s.tp:3} {s.fp:3} {s.fn:3}  {s.precision:9.2f} {s.recall:6.2f} {s.f1:6.2f}"
            )
        o = self.overall
        lines.append(
            f"{'overall':24} {o.tp:3} {o.fp:3} {o.fn:3}  {o.precision:9.2f} {o.recall:6.2f} {o.f1:6.2f}"
        )
        lines.append(
            f"F1={o.f1:.3f} precision={o.precision:.3f} recall={o.recall:.3f} bound_accuracy={self.bound_accuracy:.3f} tp={o.tp} fp={o.fp} fn={o.fn}"
        )
        return "\n".join(lines)


def _close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= max(1e-9, 0.005 * abs(float(b)))


def evaluate(
    gold: Iterable[dict], predicted: Iterable[dict], docs: Iterable[str] | None = None
) -> Evaluation:
    """Score ``predicted`` facts against ``gold`` for the documents of the gold (and ``docs``)."""
    gold = [g for g in gold if g["indicator"] in HEADLINE]
    scope = {g["doc"] for g in gold} | set(docs or ())
    seen, preds = set(), []
    for p in predicted:
        if p.get("indicator") not in HEADLINE or p.get("doc") not in scope:
            continue
        key = (
            p["doc"],
            p["indicator"],
            round(float(p["value"]), 6),
            p.get("modality"),
            "".join(str(p.get("evidence") or p.get("start", "")).split()),
        )
        if key not in seen:
            seen.add(key)
            preds.append(p)
    pool: dict[tuple, list[dict]] = defaultdict(list)
    for g in gold:
        pool[(g["doc"], g["indicator"], g.get("modality", "actual"))].append(dict(g, _hit=False))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    tp = fp = bound_ok = 0
    false_positives = []
    wrong_bounds: list[tuple[dict, dict]] = []
    for p in preds:
        hit = next(
            (
                g
                for g in pool.get((p["doc"], p["indicator"], p.get("modality")), [])
                if not g["_hit"] and _close(p["value"], g["value"])
            ),
            None,
        )
        if hit is None:
            fp += 1
            counts[p["indicator"]][1] += 1
            false_positives.append(p)
            continue
        hit["_hit"] = True
        if hit.get("optional"):
            continue
        tp += 1
        counts[p["indicator"]][0] += 1
        if p.get("bound", "exact") == hit.get("bound", "exact"):
            bound_ok += 1
        else:
            wrong_bounds.append((p, hit))
    missed = [g for gs in pool.values() for g in gs if not g["_hit"] and not g.get("optional")]
    for g in missed:
        counts[g["indicator"]][2] += 1
    clean = [{k: v for k, v in g.items() if k != "_hit"} for g in missed]
    return Evaluation(
        per_indicator={k: Score(*v) for k, v in counts.items()},
        overall=Score(tp, fp, len(missed)),
        bound_accuracy=bound_ok / tp if tp else 0.0,
        false_positives=false_positives,
        missed=clean,
        errors=_errors(false_positives, clean, wrong_bounds),
    )


def _errors(false_positives: list[dict], missed: list[dict], wrong_bounds: list) -> list[Error]:
    """Pair each false fact with a missed one of the same document and value: the figure was
    found, but read as the wrong indicator or modality. The rest are false or missed."""
    errors = [Error("wrong bound", p["doc"], float(p["value"]), p, g) for p, g in wrong_bounds]
    left = list(missed)
    for p in false_positives:
        same = [g for g in left if g["doc"] == p["doc"] and _close(p["value"], g["value"])]
        g = next((g for g in same if g["indicator"] == p["indicator"]), None)
        kind = "wrong modality"
        if g is None:
            g = next(iter(same), None)
            kind = "wrong indicator"
        if g is None:
            errors.append(Error("false", p["doc"], float(p["value"]), p, None))
            continue
        left.remove(g)
        errors.append(Error(kind, p["doc"], float(p["value"]), p, g))
    errors.extend(Error("missed", g["doc"], float(g["value"]), None, g) for g in left)
    return errors
