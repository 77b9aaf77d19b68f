"""The indicators of ``data/indicators.yaml``: what a figure measures, composed of parts.

An indicator is a combination of what a figure counts (a thing: 会员, 工会, 集体合同...), how (a
measure: new, stock, covered, trained...), its unit and the topics of its sentence; the words of
each part are lists in the same file, so a user adds an indicator, or a synonym, without a
regular expression. :mod:`analysis.frames` reads the parts of each figure from its sentence.

The file is checked when it is read: a duplicated id, an unknown theme, thing, measure or topic,
an indicator without units, or a list that is not a list of words is an error naming the entry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

import yaml

from .errors import DataFileError
from .lexicon import load_lexicon, trie_pattern
from .paths import data_file, parse_yaml

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

#: In ``counts`` and ``measure``: the figure names no thing, or no measure word.
NONE = "none"
#: In ``not``: the thing is narrowed by a relative clause (缴费的会员: members who paid dues).
RESTRICTED = "restricted"
#: A rate no list names (参与率, 知晓率): a thing of its own, so it is never taken for another.
OTHER_RATE = "rate.other"
#: The grammar's own word classes (``grammar:`` in the file).
GRAMMAR_CLASSES = (
    "state", "flow", "result", "distributive", "subgroup", "modifier", "connector", "plain"
)  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """One combination of parts an indicator accepts."""

    counts: frozenset[str] | None = None  # things (NONE: no thing); None: any
    measures: frozenset[str] | None = None  # measures (NONE: no measure word); None: any
    context: frozenset[str] = frozenset()  # topics, one of which the sentence must name
    veto: frozenset[str] = frozenset()  # topics, measures or RESTRICTED that rule it out


@dataclass(frozen=True)
class Indicator:
    id: str
    theme: str
    label_zh: str
    label_en: str
    unit_kind: str
    units: frozenset[str]
    rules: tuple[Rule, ...] = (Rule(),)
    stock: bool = False
    notes: str = ""
    unit: str | None = None  # the unit facts are stored in (集体合同12个 is 12 份), if one

    def unit_of(self, unit: str) -> str:
        """The unit a figure in ``unit`` is stored in."""
        return self.unit or unit

    @property
    def headline(self) -> bool:
        return self.id in HEADLINE

    @property
    def flow(self) -> bool:
        """Whether it counts what was new in the period (新建, 新发展), not a level or a sum."""
        return self.rules[0].measures == {"new"}


@dataclass(frozen=True)
class Derivation:
    """A generic thing made specific by a topic word: enterprise + unionizing -> union."""

    thing: str
    topic: str
    becomes: str
    within: str  # clause | sentence


class Word(NamedTuple):
    """A word of a sentence: where it is, and what it is (its classes, and of those its thing,
    its measure and its topics)."""

    start: int
    end: int
    text: str
    classes: frozenset[str]
    thing: str | None = None
    measure: str | None = None
    topics: frozenset[str] = frozenset()

    def has(self, cls: str) -> bool:
        return cls in self.classes


_Kind = tuple[frozenset[str], str | None, str | None, frozenset[str]]


def _kind(classes: Iterable[str]) -> _Kind:
    """A word's classes, with its thing and measure (the first of each, in file order)."""
    ordered = list(dict.fromkeys(classes))
    thing = next((c[6:] for c in ordered if c.startswith("thing:")), None)
    measure = next((c[8:] for c in ordered if c.startswith("measure:")), None)
    topics = frozenset(c[6:] for c in ordered if c.startswith("topic:"))
    return frozenset(ordered), thing, measure, topics


_UNNAMED_RATE = _kind([f"thing:{OTHER_RATE}"])  # 知晓率: a rate no list names
_UNNAMED_PERSON = _kind(["thing:person"])  # 配送员: a person no list names


@dataclass(frozen=True)
class Vocabulary:
    """Every word of the file with its classes (``thing:union``, ``measure:new``, ``topic:...``),
    and the pattern that finds them in a sentence, longest first."""

    kinds: dict[str, _Kind]
    pattern: re.Pattern

    def words(self, text: str) -> list[Word]:
        """The words of ``text`` in order, matched longest first from the right (the head of a
        Chinese noun group is its last word: 基层工会委员会 is 基层 + 工会委员会, not 基层工会 +
        委员会). A 率 no list names is an unnamed rate; a person in ``…员`` no list names (配送员)
        is a person.

        >>> v = load_indicators().vocabulary
        >>> [(w.text, sorted(w.classes)) for w in v.words("新建基层工会委员会20家,知晓率达90%")][1:3]
        [('工会委员会', ['thing:union']), ('率', ['thing:rate.other'])]
        """
        n = len(text)
        kinds = self.kinds
        out = []
        for m in self.pattern.finditer(text[::-1]):
            word = m.group()[::-1]
            kind = kinds.get(word) or (_UNNAMED_RATE if word == "率" else _UNNAMED_PERSON)
            out.append(Word(n - m.end(), n - m.start(), word, *kind))
        out.reverse()
        return out


@dataclass(frozen=True)
class IndicatorSet:
    indicators: tuple[Indicator, ...]
    vocabulary: Vocabulary
    derivations: tuple[Derivation, ...] = ()
    implied_units: dict[str, str] = field(default_factory=dict)

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

    def derivations_of(self, thing: str | None) -> list[tuple[Derivation, str]]:
        """The derivations of ``thing``, in file order, each with its topic's word class."""
        cache = self.__dict__.setdefault("_by_thing", {})
        if thing not in cache:
            cache[thing] = [(d, f"topic:{d.topic}") for d in self.derivations if d.thing == thing]
        return cache[thing]

    def for_unit(self, unit: str) -> list[Indicator]:
        """The indicators that accept figures in ``unit``, in file order."""
        cache = self.__dict__.setdefault("_by_unit", {})
        if unit not in cache:
            cache[unit] = [i for i in self.indicators if unit in i.units]
        return cache[unit]


def _word_list(value, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise DataFileError(f"{where}: expected a list of words, e.g. [工会, 基层工会]")
    return value


def _names(entry: dict, key: str, known: set[str], where: str) -> frozenset[str] | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{where}: {key} must be a list of names, e.g. [{sorted(known)[0]}]")
    unknown = [v for v in value if v not in known]
    if unknown:
        raise DataFileError(
            f"{where}: {key} names {unknown}, which the file does not define (known: {', '.join(sorted(known))})"
        )
    return frozenset(value)


def _sections(raw: dict, path: Path) -> dict[str, dict[str, list[str]]]:
    out = {}
    for kind in ("things", "measures", "topics", "grammar"):
        section = raw.get(kind) or {}
        if not isinstance(section, dict):
            raise DataFileError(f"{path}: {kind} must map names to lists of words")
        out[kind] = {
            str(name): _word_list(words, f"{path}: {kind}: {name}")
            for name, words in section.items()
        }
    return out


def _vocabulary(sections: dict[str, dict[str, list[str]]], per_unit: list[str]) -> Vocabulary:
    classes: dict[str, list[str]] = defaultdict(list)
    kinds = {"things": "thing", "measures": "measure", "topics": "topic", "grammar": ""}
    for kind, lists in sections.items():
        for name, words in lists.items():
            cls = f"{kinds[kind]}:{name}" if kinds[kind] else name
            for w in words:
                classes[w].append(cls)
    for group in load_lexicon().groups:  # every group of workers is a person
        classes[group].append("thing:person")
    for w in per_unit:
        classes[w].append("per_unit")
    reversed_words = sorted((w[::-1] for w in classes), key=len, reverse=True)
    # Read from the right: the words reversed, on the reversed text. The look-ahead on the
    # first characters lets the regex engine skip most positions at once (four times faster).
    firsts = re.escape("".join(sorted({w[0] for w in reversed_words} | {"率", "员"})))
    pattern = re.compile(
        f"(?=[{firsts}])"
        f"(?:{trie_pattern(reversed_words)}|率|员(?![会成委党团人议])(?:(?![名位个的和、])[\u4e00-\u9fff]){{2}})"
    )
    return Vocabulary({w: _kind(c) for w, c in classes.items()}, pattern)


_FIELDS = frozenset(
    "id theme label_zh label_en unit_kind units unit counts measure context not also stock notes".split()
)


def read_indicators(path: Path) -> IndicatorSet:
    """Read and check an indicator file."""
    try:
        raw = parse_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise DataFileError(f"{path}: cannot read the indicators ({e})") from e
    if not isinstance(raw, dict) or not isinstance(raw.get("indicators"), list):
        raise DataFileError(f"{path}: expected a mapping with an 'indicators' list")
    sections = _sections(raw, path)
    things = set(sections["things"]) | {OTHER_RATE}
    measures = set(sections["measures"])
    topics = set(sections["topics"])
    derivations = []
    for n, d in enumerate(raw.get("derive") or [], 1):
        where = f"{path}: derive #{n}"
        if not isinstance(d, dict) or not all(k in d for k in ("thing", "with", "as")):
            raise DataFileError(f"{where}: needs thing, with and as")
        for key, known in (("thing", things), ("with", topics), ("as", things)):
            if d[key] not in known:
                raise DataFileError(f"{where}: {key} {d[key]!r} is not defined in the file")
        within = d.get("within", "clause")
        if within not in ("clause", "sentence"):
            raise DataFileError(f"{where}: within must be clause or sentence, not {within!r}")
        derivations.append(Derivation(d["thing"], d["with"], d["as"], within))
    implied = raw.get("implied_units") or {}
    if not isinstance(implied, dict) or not set(implied) <= things:
        raise DataFileError(f"{path}: implied_units must map things of the file to units")
    per_unit = _word_list(raw.get("per_unit") or ["每人"], f"{path}: per_unit")
    themes = {t.id for t in load_lexicon().themes}
    seen: set[str] = set()
    out = []
    for n, entry in enumerate(raw["indicators"], 1):
        ident = entry.get("id") if isinstance(entry, dict) else None
        where = f"{path}: indicator {ident or f'#{n}'}"
        if not ident:
            raise DataFileError(f"{where}: has no id")
        unknown = sorted(set(entry) - _FIELDS)
        if unknown:
            raise DataFileError(
                f"{where}: {', '.join(unknown)} is not a field of an indicator "
                f"(fields: {', '.join(sorted(_FIELDS))}; see the comments at the top of the file)"
            )
        if ident in seen:
            raise DataFileError(f"{where}: the id is used twice")
        seen.add(ident)
        if entry.get("theme") not in themes:
            raise DataFileError(
                f"{where}: theme {entry.get('theme')!r} is not one of {sorted(themes)} (analysis/data/lexicon.yaml)"
            )
        units = entry.get("units")
        if not isinstance(units, list) or not units or not all(isinstance(u, str) for u in units):
            raise DataFileError(f"{where}: units must be a list of units, e.g. [人] or ['%']")
        also = entry.get("also") or []
        if not isinstance(also, list) or not all(isinstance(a, dict) for a in also):
            raise DataFileError(
                f"{where}: also must be a list of {{counts, measure, context, not}}"
            )
        rules = tuple(
            Rule(
                counts=_names(part, "counts", things | {NONE}, where),
                measures=_names(part, "measure", measures | {NONE}, where),
                context=_names(part, "context", topics, where) or frozenset(),
                veto=_names(part, "not", topics | measures | {RESTRICTED}, where) or frozenset(),
            )
            for part in [entry, *also]
        )
        measure = rules[0].measures
        stock = entry.get("stock")
        out.append(
            Indicator(
                id=ident,
                theme=entry["theme"],
                label_zh=str(entry.get("label_zh", ident)),
                label_en=str(entry.get("label_en", ident)),
                unit_kind=str(entry.get("unit_kind", "")),
                units=frozenset(str(u) for u in units),
                rules=rules,
                stock=bool(stock) if stock is not None else measure == {"stock", NONE},
                notes=" ".join(str(entry.get("notes", "")).split()),
                unit=str(entry["unit"]) if entry.get("unit") else None,
            )
        )
    missing = [h for h in HEADLINE if h not in seen]
    if missing:
        raise DataFileError(f"{path}: the headline indicators {missing} are missing")
    return IndicatorSet(
        indicators=tuple(out),
        vocabulary=_vocabulary(sections, per_unit),
        derivations=tuple(derivations),
        implied_units={str(k): str(v) for k, v in implied.items()},
    )


@cache
def load_indicators() -> IndicatorSet:
    """The package's ``data/indicators.yaml`` (read once per process)."""
    return read_indicators(data_file("indicators.yaml"))
