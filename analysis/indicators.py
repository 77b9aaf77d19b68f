"""The indicators of ``data/indicators.yaml``: what a figure measures, and the cues that say so.

The file is checked when it is read: a duplicated id, an unknown theme, an indicator without
units or cues, or a pattern that does not compile is an error naming the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .errors import DataFileError
from .lexicon import load_lexicon
from .paths import data_file

#: The nine headline indicators: reports and measurements use these ids.
HEADLINE = (
    "cb.contracts",
    "cb.workers_covered",
    "cb.enterprises_covered",
    "cb.rate",
    "mem.new",
    "mem.total",
    "org.new",
    "org.total",
    "org.rate",
)


@dataclass(frozen=True)
class Indicator:
    id: str
    theme: str
    label_zh: str
    label_en: str
    unit_kind: str
    units: frozenset[str]
    before: re.Pattern | None = None
    after: re.Pattern | None = None
    context: re.Pattern | None = None
    veto: re.Pattern | None = None  # "not": in the figure's clause
    veto_context: re.Pattern | None = None  # "not_context": in the sentence up to the clause end
    stock: bool = False
    notes: str = ""

    @property
    def headline(self) -> bool:
        return self.id in HEADLINE


@dataclass(frozen=True)
class IndicatorSet:
    indicators: tuple[Indicator, ...]
    per_unit: re.Pattern
    modifier_after: re.Pattern

    def __iter__(self):
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"unknown indicator {indicator_id!r}")

    def of_theme(self, theme: str) -> list[Indicator]:
        return [i for i in self.indicators if i.theme == theme]

    def for_unit(self, unit: str) -> list[tuple[int, Indicator]]:
        """The indicators (with their place in the file) that accept figures in ``unit``."""
        cache = self.__dict__.setdefault("_by_unit", {})
        if unit not in cache:
            cache[unit] = [(n, i) for n, i in enumerate(self.indicators) if unit in i.units]
        return cache[unit]


def _compile(entry_id: str, field: str, pattern: str | None, path: Path) -> re.Pattern | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error as e:
        raise DataFileError(
            f"{path}: indicator {entry_id}: {field} is not a valid regular expression ({e})"
        ) from e


def read_indicators(path: Path) -> IndicatorSet:
    """Read and check an indicator file."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise DataFileError(f"{path}: cannot read the indicators ({e})") from e
    if not isinstance(raw, dict) or not isinstance(raw.get("indicators"), list):
        raise DataFileError(f"{path}: expected a mapping with an 'indicators' list")
    themes = {t.id for t in load_lexicon().themes}
    seen: set[str] = set()
    out = []
    for n, entry in enumerate(raw["indicators"], 1):
        ident = entry.get("id") if isinstance(entry, dict) else None
        where = f"{path}: indicator {ident or f'#{n}'}"
        if not ident:
            raise DataFileError(f"{where}: has no id")
        if ident in seen:
            raise DataFileError(f"{where}: the id is used twice")
        seen.add(ident)
        if entry.get("theme") not in themes:
            raise DataFileError(
                f"{where}: theme {entry.get('theme')!r} is not one of {sorted(themes)} (analysis/data/lexicon.yaml)"
            )
        units = entry.get("units") or []
        if not units:
            raise DataFileError(f"{where}: lists no units")
        if not (entry.get("before") or entry.get("after") or entry.get("context")):
            raise DataFileError(f"{where}: needs at least one of before, after, context")
        out.append(
            Indicator(
                id=ident,
                theme=entry["theme"],
                label_zh=entry.get("label_zh", ident),
                label_en=entry.get("label_en", ident),
                unit_kind=entry.get("unit_kind", ""),
                units=frozenset(str(u) for u in units),
                before=_compile(ident, "before", entry.get("before"), path),
                after=_compile(ident, "after", entry.get("after"), path),
                context=_compile(ident, "context", entry.get("context"), path),
                veto=_compile(ident, "not", entry.get("not"), path),
                veto_context=_compile(ident, "not_context", entry.get("not_context"), path),
                stock=bool(entry.get("stock", False)),
                notes=" ".join(str(entry.get("notes", "")).split()),
            )
        )
    missing = [h for h in HEADLINE if h not in seen]
    if missing:
        raise DataFileError(f"{path}: the headline indicators {missing} are missing")
    return IndicatorSet(
        indicators=tuple(out),
        per_unit=_compile("(file)", "per_unit", raw.get("per_unit") or r"(?!x)x", path),
        modifier_after=_compile(
            "(file)", "modifier_after", raw.get("modifier_after") or r"(?!x)x", path
        ),
    )


@cache
def load_indicators() -> IndicatorSet:
    """The package's ``data/indicators.yaml`` (read once per process)."""
    return read_indicators(data_file("indicators.yaml"))
