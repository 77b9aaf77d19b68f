"""From quantities to facts: which indicator a figure measures, whether it was achieved or
planned, over which period, where, for whom, and the sentence that says so.

A figure becomes a fact when an indicator of ``data/indicators.yaml`` accepts it (its unit, the
words just before or after it, the sentence it is in); a figure no indicator accepts is not a
fact. Figures in a sentence that repeats an earlier one, and in a document that duplicates an
earlier one, are not read again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import gazetteer
from .corpus import Document
from .indicators import IndicatorSet, load_indicators
from .lexicon import group_pattern
from .modality import modality
from .periods import Period, last_period
from .quantities import Quantity, parse_quantities

_CLAUSE_BREAK = re.compile(r"[,;:]")


@dataclass(frozen=True)
class Fact:
    doc: str
    indicator: str
    theme: str
    value: float
    unit: str
    bound: str  # exact | lower | upper | approx
    modality: str  # actual | target
    period_start: str | None
    period_end: str | None
    period_label: str | None
    region: str | None
    province: str | None
    subject: str | None  # a group of workers the figure is about (货车司机...)
    evidence: str  # the clause holding the figure, cleaned (between , ; : of its sentence)
    evidence_original: str  # the same span as the source wrote it
    start: int  # the evidence in the cleaned document text
    end: int
    sentence: str  # the whole sentence, cleaned, for context
    sentence_original: str
    sentence_start: int
    sentence_end: int
    figure: str  # the figure as written in the cleaned text (4.6万余人)
    figure_start: int  # the figure in the cleaned document text
    figure_end: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)  # flat fields: no need for asdict's deep copy


FIELDS = tuple(Fact.__dataclass_fields__)


def extract_facts(doc: Document, indicators: IndicatorSet | None = None) -> list[Fact]:
    """Every fact of a document, in reading order."""
    if doc.duplicate_of:
        return []
    indicators = indicators or load_indicators()
    text = doc.text
    facts: list[Fact] = []
    for s, e in doc.sentences():
        sentence = text[s:e]
        quantities = parse_quantities(sentence)
        for i, q in enumerate(quantities):
            if doc.is_repeat(s + q.start, s + q.end):
                continue
            fact = _fact(doc, _Place(sentence, s, quantities, i), indicators)
            if fact is not None:
                facts.append(fact)
    return facts


@dataclass(frozen=True)
class _Place:
    """A figure in its sentence, and the windows of text the indicators look at."""

    sentence: str
    offset: int  # of the sentence in the document
    quantities: list[Quantity]
    i: int

    @property
    def q(self) -> Quantity:
        return self.quantities[self.i]

    @property
    def clause_start(self) -> int:
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(self.sentence, 0, self.q.start)]
        return breaks[-1] if breaks else 0

    @property
    def clause_end(self) -> int:
        m = _CLAUSE_BREAK.search(self.sentence, self.q.end)
        return m.start() if m else len(self.sentence)

    @property
    def left(self) -> str:
        """From the clause start to this figure: in 覆盖企业89家、职工2万人 the cue 覆盖 serves both."""
        return self.sentence[self.clause_start : self.q.start]

    @property
    def right(self) -> str:
        return self.sentence[self.q.end : self.clause_end]


def _rank(ind, p: _Place) -> float | None:
    """How near the indicator's cue is to the figure (smaller is nearer); None if it does not apply."""
    if p.q.unit not in ind.units:
        return None
    clause = p.sentence[p.clause_start : p.clause_end]
    upto = p.sentence[: p.clause_end]
    if ind.veto is not None and ind.veto.search(clause):
        return None
    if ind.veto_context is not None and ind.veto_context.search(upto):
        return None
    if ind.context is not None and not ind.context.search(upto):
        return None
    if ind.before is None and ind.after is None:
        return 1000.0  # tied by its context (and unit) alone
    best = None
    left = p.left
    if ind.before is not None:
        m = ind.before.search(left)
        if m:
            best = len(left) - m.start()
    if ind.after is not None:
        m = ind.after.search(p.right)
        if m and (best is None or m.end() < best):
            best = m.end()
    return best


def _fact(doc: Document, p: _Place, indicators: IndicatorSet) -> Fact | None:
    sentence, q = p.sentence, p.q
    if indicators.per_unit.search(
        sentence[p.clause_start : q.start]
    ) or indicators.modifier_after.match(p.right):
        return None
    ranked = []
    for order, ind in indicators.for_unit(q.unit):
        r = _rank(ind, p)
        if r is not None:
            ranked.append((r, order, ind))
    if not ranked:
        return None
    return _make(doc, p, min(ranked, key=lambda t: (t[0], t[1]))[2])


def _make(doc: Document, p: _Place, ind) -> Fact:
    meta, sentence, q, offset = doc.meta, p.sentence, p.q, p.offset
    period = _period(sentence[: q.start], doc)
    if period is not None and ind.stock:
        period = Period(period.end, period.end, period.label)
    region, province = _region(p, doc)
    cs, ce = p.clause_start, p.clause_end
    while cs < ce and sentence[cs].isspace():
        cs += 1
    while ce > cs and sentence[ce - 1] in "。!?！？;；":
        ce -= 1
    clause = sentence[cs:ce]
    groups = list(dict.fromkeys(m.group() for m in group_pattern().finditer(clause)))
    s0, e0 = doc.original_span(offset, offset + len(sentence))
    c0, c1 = doc.original_span(offset + cs, offset + ce)
    return Fact(
        doc=doc.id,
        indicator=ind.id,
        theme=ind.theme,
        value=q.value,
        unit=q.unit,
        bound=q.bound,
        modality=modality(sentence, q.start, meta.kind),
        period_start=period.start.isoformat() if period else None,
        period_end=period.end.isoformat() if period else None,
        period_label=period.label if period else None,
        region=region,
        province=province,
        subject="、".join(groups) or None,
        evidence=clause,
        evidence_original=doc.original[c0:c1],
        start=offset + cs,
        end=offset + ce,
        sentence=sentence,
        sentence_original=doc.original[s0:e0],
        sentence_start=offset,
        sentence_end=offset + len(sentence),
        figure=q.text,
        figure_start=offset + q.start,
        figure_end=offset + q.end,
    )


def _period(before: str, doc: Document) -> Period | None:
    """The period written before the figure in its sentence, else the document's."""
    meta = doc.meta
    own = meta.period
    ref = meta.published or (own.end if own else None)
    found = last_period(before, ref, own)
    return found or own


_WHOLE = re.compile(r"全(?:市|县|区|州|省|旗|盟)")


def _region(p: _Place, doc: Document) -> tuple[str | None, str | None]:
    """The place the figure is about: one below the document's region named in the figure's
    clause or in the sentence's opening clause (its topic), unless 全市/全县... follows it;
    else the document's region."""
    meta = doc.meta
    home = next(iter(gazetteer.lookup(meta.region or "")), None)
    first = _CLAUSE_BREAK.search(p.sentence)
    windows = [(p.clause_start, p.q.start)]
    if first and first.start() < p.clause_start:
        windows.insert(0, (0, first.start()))
    best: tuple[int, str, str | None] | None = None
    for lo, hi in windows:
        part = p.sentence[lo:hi]
        for s, _, place in gazetteer.find_places(part):
            if place.name == meta.region or place.level == "province":
                continue
            if home is not None and not (place.within(home) and place.adcode != home.adcode):
                continue
            if home is None and meta.province and place.province != meta.province:
                continue
            if best is None or lo + s > best[0]:
                best = (lo + s, place.name, place.province)
        for s, _, name in gazetteer.find_zones(part):
            if best is None or lo + s > best[0]:
                best = (lo + s, name, meta.province)
    if best is None or _WHOLE.search(p.sentence, best[0], p.q.start):
        return meta.region, meta.province
    return best[1], best[2]
