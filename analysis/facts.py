"""From quantities to facts: which indicator a figure measures, whether it was achieved or
planned, over which period, where, for whom, and the sentence that says so.

A figure becomes a fact when an indicator of ``data/indicators.yaml`` accepts its frame (what it
counts, how, its unit: :mod:`analysis.frames`); a figure no indicator accepts is not a fact.
Figures in a sentence that repeats an earlier one, and in a document that duplicates an earlier
one, are not read again; a figure a headline or lead repeats from the body is one fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import gazetteer, regions
from .corpus import Document
from .frames import CLAUSE_BREAK, Frame, read_frames
from .indicators import IndicatorSet, Word, load_indicators
from .lexicon import group_pattern
from .modality import ACTUAL, TARGET, clause_modality, future_deadline
from .periods import Period, last_period
from .quantities import parse_quantities
from .regions import Region

_CLAUSE_BREAK = CLAUSE_BREAK
_UNIT_END = re.compile(r"[。!?！？\n]")
_HEADLINE_MAX = 60  # characters: a longer line without a full stop is a paragraph


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
    region_level: str | None  # national | province | prefecture | county | town | zone
    province: str | None
    prefecture: str | None
    county: str | None  # the county of a town or zone
    adcode: str | None
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
    sentences = doc.sentences()
    facts: list[Fact] = []
    for us, ue in _units(text):
        unit = text[us:ue]
        quantities = [
            q
            for q in parse_quantities(unit, bare=True)
            if not doc.is_repeat(us + q.start, us + q.end)
        ]
        if not quantities:
            continue
        words = indicators.vocabulary.words(unit)
        frames = read_frames(unit, quantities, indicators, words)
        if not frames:
            continue
        masked = _masked(unit, words)
        clauses = _clauses(unit)
        for f in frames:
            facts.append(_make(doc, _Place(unit, us, f, clauses, masked), sentences))
    return _one_per_figure(facts, text)


def _units(text: str) -> list[tuple[int, int]]:
    """Spans between full stops and line ends: the scope of a figure's grammar and modality."""
    out, pos = [], 0
    for m in _UNIT_END.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start() + (text[m.start()] != "\n")))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _clauses(unit: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _CLAUSE_BREAK.finditer(unit):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(unit)))
    return out


def _masked(unit: str, words: list[Word]) -> str:
    """The unit with the words of things blanked, so that 已 in 已建工会企业 is not a result cue."""
    chars = list(unit)
    for w in words:
        if w.thing is not None:
            chars[w.start : w.end] = "□" * (w.end - w.start)
    return "".join(chars)


def _one_per_figure(facts: list[Fact], text: str) -> list[Fact]:
    """A figure a headline repeats from the body (``1587名农民工入会`` over ``1587名农民工成为工会
    会员``) is one fact: the headline's copy goes. A headline is a line without a full stop."""
    body_keys = {_fact_key(f) for f in facts if not _in_headline(f, text)}
    return [f for f in facts if not (_in_headline(f, text) and _fact_key(f) in body_keys)]


def _fact_key(f: Fact) -> tuple:
    return (f.indicator, f.value, f.unit, f.modality, f.region, f.period_start, f.period_end)


def _in_headline(f: Fact, text: str) -> bool:
    start = text.rfind("\n", 0, f.figure_start) + 1
    end = text.find("\n", f.figure_end)
    line = text[start : end if end >= 0 else len(text)]
    return len(line) <= _HEADLINE_MAX and not re.search("[。!?！？]", line)


@dataclass(frozen=True)
class _Place:
    """A figure's frame in its sentence (between full stops), and the windows the region and
    period are read from."""

    sentence: str  # the text between full stops
    offset: int  # of that text in the document
    frame: Frame
    clauses: list[tuple[int, int]]
    masked: str

    @property
    def q(self):
        return self.frame.q

    @property
    def clause_start(self) -> int:
        return self.frame.clause[0]

    @property
    def clause_end(self) -> int:
        return self.frame.clause[1]

    @property
    def clause_index(self) -> int:
        return next(k for k, (s, e) in enumerate(self.clauses) if s <= self.q.start <= e)


def _make(doc: Document, p: _Place, sentences: list[tuple[int, int]]) -> Fact:
    meta, unit, q, offset, ind = doc.meta, p.sentence, p.q, p.offset, p.frame.indicator
    period = _period(unit[: q.start], doc)
    if period is not None and ind.stock:
        period = Period(period.end, period.end, period.label)  # a stock: as of the end
    elif period is not None and period.start == period.end and ind.flow:
        # 截至10月底,新建工会30家: a flow up to a day, from the start of its year
        period = Period(date(period.end.year, 1, 1), period.end, period.label)
    where = _region(p, doc)
    region = where.as_columns() if where else dict(regions.EMPTY_COLUMNS)
    cs, ce = p.clause_start, p.clause_end
    while cs < ce and unit[cs].isspace():
        cs += 1
    while ce > cs and unit[ce - 1] in "。!?！？;；":
        ce -= 1
    clause = unit[cs:ce]
    groups = list(dict.fromkeys(m.group() for m in group_pattern().finditer(clause)))
    ss, se = _sentence_of(sentences, offset + q.start, offset, offset + len(unit))
    s0, e0 = doc.original_span(ss, se)
    c0, c1 = doc.original_span(offset + cs, offset + ce)
    value = q.value
    return Fact(
        doc=doc.id,
        indicator=ind.id,
        theme=ind.theme,
        value=value,
        unit=ind.unit_of(p.frame.unit),
        bound=q.bound,
        modality=_modality(p, meta),
        period_start=period.start.isoformat() if period else None,
        period_end=period.end.isoformat() if period else None,
        period_label=period.label if period else None,
        **region,
        subject="、".join(groups) or None,
        evidence=clause,
        evidence_original=doc.original[c0:c1],
        start=offset + cs,
        end=offset + ce,
        sentence=doc.text[ss:se],
        sentence_original=doc.original[s0:e0],
        sentence_start=ss,
        sentence_end=se,
        figure=q.text,
        figure_start=offset + q.start,
        figure_end=offset + q.end,
    )


def _modality(p: _Place, meta) -> str:
    """The clause's cues first (:func:`~analysis.modality.clause_modality`); an achieved figure
    due by a deadline still ahead at publication (2024年底...4万人以上) is a target."""
    found = clause_modality(p.masked, p.clauses, p.clause_index, p.q.start, meta.kind)
    k = p.clause_index
    scope = p.masked[p.clauses[max(0, k - 1)][0] : p.q.start]
    if found == ACTUAL and future_deadline(scope, meta.published):
        return TARGET
    return found


def _sentence_of(sentences: list[tuple[int, int]], at: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence (split at 。;) holding offset ``at``; the unit itself if none does."""
    import bisect

    i = bisect.bisect_right(sentences, (at, float("inf"))) - 1
    if i >= 0 and sentences[i][0] <= at < sentences[i][1]:
        return sentences[i]
    return lo, hi


def _period(before: str, doc: Document) -> Period | None:
    """The period written before the figure in its sentence, else the document's."""
    meta = doc.meta
    own = meta.period
    ref = meta.published or (own.end if own else None)
    found = last_period(before, ref, own)
    return found or own


# 全市, 全县...: the whole of a region of that level.
_WHOLE = re.compile(r"全(国|省|自治区|市|州|盟|县|旗|区|镇|乡|街道|社区)")


def _region(p: _Place, doc: Document) -> Region | None:
    """The region the figure is about.

    The nearest of these before the figure wins: a place named in its clause, or in its
    sentence's opening clause (the topic); ``全国``, ``全省``, ``全县``... (the document's region
    at that level). Else a place named at the opening of the figure's paragraph; else the
    document's region. A place counts when it lies in the document's region (or the document
    has none); a town or zone named by rule is taken to.
    """
    home = doc.meta.region_of()
    unit, q = p.sentence, p.q
    windows = [(p.clause_start, q.start)]
    first = _CLAUSE_BREAK.search(unit)
    if first and first.start() < p.clause_start:
        windows.insert(0, (0, first.start()))
    best: tuple[int, Region] | None = None
    for lo, hi in windows:
        for m in _places(unit[lo:hi], home):
            if best is None or lo + m.start >= best[0]:
                best = (lo + m.start, m.region)
        for m in _WHOLE.finditer(unit, lo, hi):
            whole = _whole(m.group(1), home)
            if whole is not None and (best is None or m.start() >= best[0]):
                best = (m.start(), whole)
    found = best[1] if best is not None else _paragraph_topic(doc, p.offset, home)
    if found is None or (home is not None and regions.same_place(found, home)):
        return home  # 城关镇 in a document about 宁海县城关镇 is that town
    return found


def _places(text: str, home: Region | None) -> list[regions.Mention]:
    """Places in ``text`` that can be what a figure of a document about ``home`` describes."""
    out = []
    for m in regions.find_mentions(text, home):
        r = m.region
        if m.how in ("stem", "national") and text[m.start : m.end] in ("全国",):
            continue
        if m.how == "stem":
            continue  # a short name is a hint for the document, too weak for one figure
        if home is None or home.level == "national" or r.level in ("town", "zone"):
            out.append(m)
        elif r.within(home) and r != home:
            out.append(m)
        elif r == home:
            out.append(m)
    return out


def _whole(word: str, home: Region | None) -> Region | None:
    """The region that 全<word> names in a document about ``home``."""
    if word == "国":
        return regions.NATIONAL
    if home is None:
        return None
    if word in ("省", "自治区") or (word == "区" and home.level == "province"):
        places = gazetteer.lookup(home.province or "")
        return regions.of_place(places[0]) if places else home
    if word in ("县", "旗") and home.level in ("town", "zone") and home.county:
        places = gazetteer.lookup(home.county)
        return regions.of_place(places[0]) if places else home
    if word == "市" and home.level in ("town", "zone", "county") and not home.name.endswith("市"):
        name = home.prefecture if home.level == "county" else None
        places = gazetteer.lookup(name or "")
        return regions.of_place(places[0]) if places else home
    return home


def _paragraph_topic(doc: Document, at: int, home: Region | None) -> Region | None:
    """A place named in the opening clause of the paragraph holding offset ``at``, below the
    document's region (宜城市以...开展集中建会入会行动。行动开展至今,新建...: 宜城市)."""
    text = doc.text
    start = text.rfind("\n", 0, at) + 1
    if start == at:
        return None
    m = _CLAUSE_BREAK.search(text, start, at)
    end = m.start() if m else at
    stop = min(end, text.find("。", start) if text.find("。", start) >= 0 else end)
    found = [x for x in _places(text[start:stop], home) if home is None or x.region != home]
    return found[-1].region if found else None
