"""From quantities to facts: which indicator a figure measures, whether it was achieved or
planned, over which period, where, for whom, and the sentence that says so.

A figure becomes a fact when an indicator of ``data/indicators.yaml`` accepts its frame (what it
counts, how, its unit: :mod:`analysis.frames`); a figure no indicator accepts is not a fact.
Figures in a sentence that repeats an earlier one, and in a document that duplicates an earlier
one, are not read again; a figure a headline or lead repeats from the body is one fact.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta

from . import gazetteer, regions
from .corpus import Document
from .frames import CLAUSE_BREAK, Frame, read_frames
from .indicators import IndicatorSet, Word, load_indicators
from .lexicon import group_pattern
from .metadata import PLAN
from .modality import ACTUAL, TARGET, ClauseModality, future_deadline, goal_after
from .periods import AS_OF, Period, period_marks
from .quantities import parse_quantities
from .regions import Region

_CLAUSE_BREAK = CLAUSE_BREAK
# ……据统计: an ellipsis that a new sentence follows ends one (……等 continues a list)
_UNIT_END = re.compile(r"[。!?！？\n]|…{1,2}(?![…等的之和、,;:。”’)）])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL... never stored
_HEADLINE_MAX = 60  # characters: a longer line without a full stop is a paragraph
_WINDOW = 80  # characters before a figure its place, period and deadline are read from
_EVIDENCE = 120  # the clause stored with a fact, at most this far either side of the figure
_CONTEXT = 300  # the sentence stored with a fact, likewise
_OPENING_END = re.compile(r"[,;:。!?]")

# A heading of its own line that opens the plans of a review (二、下半年工作安排; (三)2024年工作
# 打算; 下一步工作思路): the figures under it are goals unless a result cue says otherwise, and a
# goal's period is the heading's. A heading that also looks back (工作总结和明年工作计划) opens no
# plans; the section runs to the next heading numbered alike, else to the end.
_ENUM = r"[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+\s*[、.．]|第[一二三四五六七八九十]+部分"
_PLAN_HEADING = re.compile(
    rf"^[ \t\u3000]*(?P<num>{_ENUM})?[ \t\u3000:：]*"
    r"(?P<head>[^。;；!?\n]{0,14}?(?:下半年|明年|下一步|下步|今后|来年|新的一年|\d{4}年)"
    r"[^,，。;；!?\n]{0,10}?(?:打算|计划|安排|思路|设想|重点|要点|目标|任务|部署|展望))"
    r"[。:：]?[ \t\u3000]*$",
    re.M,
)
_LOOKS_BACK = re.compile(r"总结|回顾|完成情况|成效|成绩|情况")
_PLAN_HEADING_WORDS = (
    "打算",
    "计划",
    "安排",
    "思路",
    "设想",
    "重点",
    "要点",
    "目标",
    "任务",
    "部署",
    "展望",
)
_ENUM_KINDS = (  # a heading's numbering, and the start of the next heading numbered alike
    (re.compile(r"[一二三四五六七八九十]+\s*[、.．]"), r"[一二三四五六七八九十]+\s*[、.．]"),
    (re.compile(r"[（(][一二三四五六七八九十]+[)）]"), r"[（(][一二三四五六七八九十]+[)）]"),
    (re.compile(r"\d+\s*[、.．]"), r"\d+\s*[、.．]"),
    (re.compile(r"第[一二三四五六七八九十]+部分"), r"第[一二三四五六七八九十]+部分"),
)


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
    part_of: int | None = None  # figure_start of the figure this one is a part of (其中...)

    def as_dict(self) -> dict:
        return dict(self.__dict__)  # flat fields: no need for asdict's deep copy

    @classmethod
    def of(cls, **fields) -> Fact:
        """A fact from all its fields, made without the generated ``__init__``: a frozen
        dataclass sets each of its 29 fields through ``object.__setattr__`` (12 µs a fact, a
        tenth of the time of a sentence of figures); this is 4 µs, and the result is equal."""
        fact = object.__new__(cls)
        fact.__dict__.update(fields)
        return fact


FIELDS = tuple(Fact.__dataclass_fields__)


def extract_facts(doc: Document, indicators: IndicatorSet | None = None) -> list[Fact]:
    """Every fact of a document, in reading order.

    Each sentence is read once and every figure looks only at a bounded window around it, so
    the time is linear in the length of the document and the number of its figures.
    """
    if doc.duplicate_of:
        return []
    indicators = indicators or load_indicators()
    text = doc.text
    ctx = _Document(doc)
    facts: list[Fact] = []
    units = _units(text)
    for us, ue in units:
        if ctx.repeated(us, ue):
            continue  # a sentence that repeats an earlier one: its figures are counted once
        unit = text[us:ue]
        quantities = [
            q
            for q in parse_quantities(unit, bare=True)
            if not ctx.repeated(us + q.start, us + q.end)
        ]
        if not quantities:
            continue
        words = indicators.vocabulary.words(unit)
        frames = read_frames(unit, quantities, indicators, words)
        if not frames:
            continue
        u = _Unit(ctx, unit, us, words)
        facts.extend(_make(u, f) for f in frames)
    return _one_per_figure(facts, ctx, [us for us, _ in units], indicators)


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


class _Document:
    """What every figure of a document shares: its metadata, sentences, lines and repeats."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.meta = doc.meta
        self.home = doc.meta.region_of()
        self.sentences = doc.sentences()
        self.lines = [0] + [m.end() for m in re.finditer("\n", doc.text)]
        self.repeats = sorted((s, e) for s, e, _ in doc.repeats)
        # Control characters (NUL...) are never stored; most documents have none to drop.
        self.controls = _CONTROL.search(doc.original) is not None
        self._topics: dict[int, Region | None] = {}
        self.reported_to = _reported_to(doc.meta)
        self.plans = _plan_sections(doc.text, doc.meta)
        self.plan_starts = [start for start, _, _ in self.plans]

    def plans_at(self, at: int) -> tuple[str, Period | None]:
        """The kind of writing at offset ``at`` (the document's, or ``plan`` under a heading of
        plans) and the period such a heading names."""
        i = bisect.bisect_right(self.plan_starts, at) - 1
        if i >= 0 and at < self.plans[i][1]:
            return PLAN, self.plans[i][2]
        return self.meta.kind, None

    def as_of(self, period: Period) -> date | None:
        """The last day an achieved figure over ``period`` can count up to: the end of the
        document's own period if ``period`` starts within it (今年 in 2023年上半年工作总结:
        30 June), else the publication (今年 in a news item of 15 September)."""
        if self.reported_to is not None and period.start <= self.reported_to:
            return self.reported_to
        return self.meta.published

    def repeated(self, start: int, end: int) -> bool:
        """Whether the span lies in a sentence that repeats an earlier one."""
        i = bisect.bisect_right(self.repeats, (start, float("inf"))) - 1
        return i >= 0 and self.repeats[i][0] <= start and end <= self.repeats[i][1]

    def original(self, start: int, end: int) -> str:
        """The original text between two offsets, without control characters."""
        text = self.doc.original[start:end]
        return _CONTROL.sub("", text) if self.controls else text

    def line_of(self, at: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.lines, at) - 1
        end = self.lines[i + 1] - 1 if i + 1 < len(self.lines) else len(self.doc.text)
        return self.lines[i], end

    def sentence_of(self, at: int, lo: int, hi: int) -> tuple[int, int]:
        """The sentence (split at 。;) holding offset ``at``; ``lo, hi`` if none does."""
        i = bisect.bisect_right(self.sentences, (at, float("inf"))) - 1
        if i >= 0 and self.sentences[i][0] <= at < self.sentences[i][1]:
            return self.sentences[i]
        return lo, hi

    def paragraph_topic(self, at: int) -> Region | None:
        """A place named in the opening clause of the paragraph holding offset ``at``, below
        the document's region (宜城市以...开展集中建会入会行动。行动开展至今,新建...: 宜城市)."""
        start = self.line_of(at)[0]
        if start not in self._topics:
            text = self.doc.text
            m = _OPENING_END.search(text, start, start + _WINDOW)
            if (
                m is not None
                and m.start() - start <= _OPENER
                and text[m.start()] == ","
                and _WHEN.search(text, start, m.start())
            ):
                # 日前,乌鲁木齐高新区…工会联合会成立: after a short opening (a time), the clause
                # that names the subject
                m = _OPENING_END.search(text, m.end(), m.end() + _WINDOW)
            end = m.start() if m else min(len(text), start + _WINDOW)
            opening = text[start:end]
            found = [
                x
                for x in _places(opening, self.home)
                if x.region != self.home and opening[x.start - 1 : x.start] != "在"
            ]  # 沈阳市总工会在浑南新区召开…会: where a meeting was held is not what it is about
            self._topics[start] = found[-1].region if found else None
        return self._topics[start] if start != at else None


_UNREAD = object()  # a value not looked up yet


class _Unit:
    """One sentence (between full stops) and what its figures read from it once: its clauses,
    the text with nouns masked for the modality cues, and the periods it names."""

    def __init__(self, ctx: _Document, text: str, offset: int, words: list[Word]) -> None:
        self.ctx = ctx
        self.text = text
        self.offset = offset
        self.clauses = _clauses(text)
        self.clause_starts = [s for s, _ in self.clauses]
        self.masked = _masked(text, words)
        meta = ctx.meta
        own = meta.period
        ref = meta.published or (own.end if own else None)
        self.periods = period_marks(text, ref, own, _base_year(meta))
        self.period_starts = [at for at, _ in self.periods]
        self.kind, self.plan_period = ctx.plans_at(offset)
        self.modality = ClauseModality(self.masked, self.clauses, self.kind)
        self._places: list[regions.Mention] | None = None
        self._groups: list[re.Match] | None = None
        self._topic: Region | object | None = _UNREAD
        # Not inside a quoted sentence: “我志愿加入中华全国总工会……” is an oath, no scope.
        self._wholes = [
            (m.start(), m.group(1))
            for m in _WHOLE.finditer(text)
            if "“" not in text or not regions.quoted(text, m.start())
        ]
        self._whole_starts = [at for at, _ in self._wholes]

    def groups(self, lo: int, hi: int) -> list[str]:
        """The groups of workers (:func:`~analysis.lexicon.group_pattern`) named in [lo, hi),
        each once. The sentence is scanned once; a window whose edge cuts a match is scanned on
        its own, so the answer is the window's own scan."""
        if self._groups is None:
            self._groups = list(group_pattern().finditer(self.text))
            self._group_starts = [m.start() for m in self._groups]
        found = self._groups
        i = bisect.bisect_left(self._group_starts, lo)
        j = bisect.bisect_left(self._group_starts, hi)
        if (i > 0 and found[i - 1].end() > lo) or (j > i and found[j - 1].end() > hi):
            matches = group_pattern().finditer(self.text, lo, hi)
        else:
            matches = found[i:j]
        return list(dict.fromkeys(m.group() for m in matches))

    def wholes(self, lo: int, hi: int) -> list[tuple[int, str]]:
        """The ``全县``, ``全市``... in [lo, hi): (offset, level word). None of them holds
        another's first character, so the sentence's one scan gives each window's matches."""
        i = bisect.bisect_left(self._whole_starts, lo)
        out = []
        while i < len(self._wholes) and self._wholes[i][0] < hi:
            if self._wholes[i][0] + 1 + len(self._wholes[i][1]) <= hi:
                out.append(self._wholes[i])
            i += 1
        return out

    def topic(self) -> Region | None:
        """The paragraph's topic (:meth:`_Document.paragraph_topic`) for this sentence, looked
        up once."""
        if self._topic is _UNREAD:
            self._topic = self.ctx.paragraph_topic(self.offset)
        return self._topic

    def places(self, lo: int, hi: int) -> list[regions.Mention]:
        """The places of the sentence (read once, on first need) lying in [lo, hi)."""
        if self._places is None:
            self._places = _places(self.text, self.ctx.home)
            self._place_starts = [m.start for m in self._places]
        i = bisect.bisect_left(self._place_starts, lo)
        out = []
        while i < len(self._places) and self._places[i].start < hi:
            if self._places[i].end <= hi:
                out.append(self._places[i])
            i += 1
        return out

    def clause_index(self, at: int) -> int:
        return max(0, bisect.bisect_right(self.clause_starts, at) - 1)

    def as_of_before(self, at: int) -> bool:
        """Whether the period written last before ``at`` is a date things stand at (截至目前,
        截至2020年), not a span."""
        i = bisect.bisect_left(self.period_starts, at) - 1
        if i < 0:
            return False
        o = self.periods[i][0]
        return self.text.startswith(AS_OF, o) or self.text[max(0, o - 2) : o] in AS_OF

    def _compared_for(self, i: int, clause: int) -> bool:
        """Whether period mark ``i`` can date a figure of ``clause``: any mark but a year
        compared with, which dates the change of its own clause, or of the clause after it when
        it stands alone (与2010年相比,会员净增8.5万人)."""
        at, period = self.periods[i]
        if (period.label or "")[:1] not in _COMPARING:
            return True
        own = self.clause_index(at)
        if own == clause:
            return True
        lo, hi = self.clauses[own]
        return own == clause - 1 and self.text[lo:hi].strip() == period.label

    def period_before(self, at: int) -> tuple[Period | None, bool]:
        """The period written last before offset ``at`` in the sentence, else the document's;
        and whether it is written."""
        i = bisect.bisect_left(self.period_starts, at) - 1
        clause = self.clause_index(at)
        # 截至9月底,会员达到239万人,比2022年新增13.6万人,入会率达到74.7%: the years since one
        # compared with are the span of the change in their clause, not of what follows it
        while i >= 0 and not (self._compared_for(i, clause) and not self._started_at(i, at)):
            i -= 1
        return (self.periods[i][1], True) if i >= 0 else (self.ctx.meta.period, False)

    def _started_at(self, i: int, at: int) -> bool:
        """Whether period mark ``i`` dates the level a change started from, before the figure
        at ``at`` it led to (由2022年的82%提升至88%: 88% is not 2022's)."""
        mark, period = self.periods[i]
        if self.text[mark - 1 : mark] not in ("由", "从"):
            return False
        after = mark + len(period.label or "")
        return _TO_A_LEVEL.match(self.text, after, at) is not None


#: A level reached from one written before it (…的82%提升至88%): a figure, then 到 or 至.
_TO_A_LEVEL = re.compile(r"的?[^,。;:]*?\d[^,。;:]*?[到至]")

#: The first character of a period counted from a year compared with (比2013年, 与2003年相比).
_COMPARING = frozenset("比较与同和")

#: A document published this close to the end of its period (a year review written in
#: December) reports on the whole of it.
_LAST_DAYS = timedelta(days=31)


def _achieved_by(period: Period, as_of: date | None, written: bool, plan: bool) -> Period:
    """``period`` cut to what can have been achieved by ``as_of``. In January, years that end
    after ``as_of`` are the years just ended: 三年来 in January 2018 is 2015-2017; and in a plan
    of January (``plan``), a result under no period of its own is of the year before; and so is
    what was done in the whole year (全年新建工会120家), which cannot be this year's yet.
    ``written``: the sentence names the period."""
    if as_of is None or not period.start <= as_of < period.end:
        return period
    whole_year = written and period.label in ("全年", "全年度") and period.start.year == as_of.year
    early = as_of - date(as_of.year, 1, 1) < _LAST_DAYS
    if (early and (period.start.year < as_of.year or (plan and not written))) or (
        whole_year and as_of < date(as_of.year, 12, 1)
    ):  # 全年新增工会组织7030个 in news of February or July: a year that has ended
        year = as_of.year - 1
        label = period.label if written else f"{year}年"
        return Period(date(period.start.year - 1, 1, 1), date(year, 12, 31), label)
    return Period(period.start, as_of, period.label)


def _reported_to(meta) -> date | None:
    """The end of the period the document reports on, unless it was published well before
    that (a news item of 15 September, dated by its year; a plan of February)."""
    own, published = meta.period, meta.published
    if own is not None and (published is None or published + _LAST_DAYS >= own.end):
        return own.end
    return None


def _plan_sections(text: str, meta) -> list[tuple[int, int, Period | None]]:
    """The spans of a review's text under headings of plans (see ``_PLAN_HEADING``), each with
    the period its heading names, if it lies after the document's own."""
    if meta.kind == PLAN or not any(w in text for w in _PLAN_HEADING_WORDS):
        return []
    own = meta.period
    out: list[tuple[int, int, Period | None]] = []
    for m in _PLAN_HEADING.finditer(text):
        head = m.group("head")
        if _LOOKS_BACK.search(head) or "。" not in text[: m.start()]:
            continue  # a title, or a heading of results and plans both
        if out and m.start() < out[-1][1]:
            continue  # inside the plans already
        marks = period_marks(
            head, meta.published or (own.end if own else None), own, _base_year(meta)
        )
        period = marks[-1][1] if marks else None
        if period is not None and own is not None and period.start <= own.end:
            continue  # 2023年工作重点 in a review of 2023: what was done
        end = len(text)
        num = m.group("num")
        kind = next((nxt for pat, nxt in _ENUM_KINDS if num and pat.fullmatch(num)), None)
        if kind is not None:
            nxt = re.compile(rf"^[ \t\u3000]*(?:{kind})", re.M).search(text, m.end())
            end = nxt.start() if nxt else end
        out.append((m.end(), end, period))
    return out


def _base_year(meta) -> int | None:
    """The year 今年, 去年, 年底 count from. A document that names its year in its title
    (2019年工作总结), or whose year follows from when it was published (a review published in
    January), writes from within that year; a news item that only mentions a year in its text
    (2022年,全市...) writes from its publication (去年兰州3.86万名...: the year before publication)."""
    source = meta.period_source or ""
    if meta.period is not None and (source == "title" or ";" in source or not meta.published):
        return meta.period.end.year
    if meta.published is not None:
        return meta.published.year
    return meta.period.end.year if meta.period is not None else None


def _clauses(unit: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _CLAUSE_BREAK.finditer(unit):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(unit)))
    return out


_BOOK_TITLE = re.compile(r"《[^《》]*?(方案|规划|意见|计划|要点|纲要)?》")


def _masked(unit: str, words: list[Word]) -> str:
    """The unit with the words of things blanked, so that 已 in 已建工会企业 is not a result cue,
    and so are the titles of papers (《关于力争…的通知》, 《…的决定》): their words plan nothing,
    but the kind of a paper that plans (《实施方案》提出…) stays."""
    parts, pos = [], 0
    for w in words:
        if w.thing is not None and w.end > pos:
            start = max(w.start, pos)
            parts += (unit[pos:start], "□" * (w.end - start))
            pos = w.end
    masked = "".join(parts) + unit[pos:] if parts else unit
    if "《" in masked:
        masked = _BOOK_TITLE.sub(_blank_title, masked)
    return masked


def _blank_title(m: re.Match) -> str:
    kind = m.group(1) or ""
    return "□" * (len(m.group()) - len(kind) - 1) + kind + "》"


def _named(f: Fact, indicators: IndicatorSet) -> frozenset[str]:
    """The words of the things its indicator counts that a fact's clause names (建会, 书屋)."""
    rules = indicators.get(f.indicator).rules
    words = [w for w in indicators.vocabulary.words(f.evidence) if w.thing]
    if not any(r.counts is None for r in rules):
        counts = frozenset().union(*(r.counts for r in rules))
        words = [w for w in words if w.thing in counts]
    return frozenset(w.thing if w.thing in _ONE_THING else w.text for w in words)


# Things whose words all name one thing (建会, 组建工会, 工会组织: unions); the words of other
# things name kinds of it (书屋 and 职工之家 are two kinds of station).
_ONE_THING = frozenset({"union", "member", "contract", "person"})


def _same_things(f: Fact, lead: list[Fact], indicators: IndicatorSet) -> bool:
    """Whether the clause of ``f`` names the things the clause of a fact of the lead with the
    same figure named: one of them, or neither names any. (Read only for such a pair.)"""
    named = _named(f, indicators)
    return any(
        named & other or not (named or other) for other in (_named(g, indicators) for g in lead)
    )


def _one_per_figure(
    facts: list[Fact], ctx: _Document, unit_starts: list[int], indicators: IndicatorSet
) -> list[Fact]:
    """A figure a headline repeats from the body (``1587名农民工入会`` over ``1587名农民工成为工会
    会员``) is one fact: the headline's copy goes. A headline is a line without a full stop.
    So is a clause the body repeats word for word (a summary's ``全国工会基层组织数170.2万个``
    again in its section): the later copy goes."""
    headline = [_in_headline(f, ctx) for f in facts]
    body = [f for f, h in zip(facts, headline, strict=True) if not h]
    body_keys = {_figure_key(f) for f in body}
    title = ctx.doc.headline
    said_at: dict[tuple, int] = {}  # what a clause says: the sentence that first says it
    headlines: set[tuple] = set()
    counted_in: dict[tuple, int] = {}  # a count: the sentence that first gives it
    rounded_in: dict[tuple, int] = {}  # a round count (4500余名), likewise
    text = ctx.doc.text
    # The lead, the body's first sentence (提前完成今年建会144家的目标。一年建会144家,…): a figure
    # it gives that the body gives again is one fact, the lead's.
    lead = bisect.bisect_right(unit_starts, title + 1 if title else 0)
    in_lead: dict[tuple, list[Fact]] = {}
    for f, h in zip(facts, headline, strict=True):
        if not h and bisect.bisect_right(unit_starts, f.figure_start) == lead:
            same = in_lead.setdefault(_figure_key(f), [])
            if len(same) < _LEAD_ALIKE:
                same.append(f)
    out = []
    for f, h in zip(facts, headline, strict=True):
        if h and _figure_key(f) in body_keys:
            continue
        if (
            in_lead
            and not h
            and f.part_of is None
            and _figure_key(f) in in_lead
            and bisect.bisect_right(unit_starts, f.figure_start) > lead
            and _same_things(f, in_lead[_figure_key(f)], indicators)
        ):
            continue  # the lead's figure told again, of the same things (not 书屋8家, 之家8家)
        if h and _figure_key(f) in headlines:
            continue  # the page title over the article's own (…集中入会 - 工会 - 中工网)
        if h:
            headlines.add(_figure_key(f))
        if f.figure_start < title and any(_restates(f, b) for b in body):
            continue
        if h and any(_counts_alike(f, b) and _restates(f, b) for b in body):
            continue  # a headline's 吸纳会员3560名 over the body's 会员总数已达3560名: one count
        sentence = bisect.bisect_right(unit_starts, f.figure_start)
        said = (*_fact_key(f), f.evidence)
        if said_at.setdefault(said, sentence) != sentence:
            continue  # the same words in another sentence (two figures of one clause both stay)
        if f.unit != "%" and f.part_of is None:
            # 其中新建工会6家 … 完成新建工会6家: a count restated in another sentence, in the
            # same words (智慧书屋8家 and 职工之家8家 are two counts of one indicator)
            words = text[max(0, f.figure_start - _RESTATED) : f.figure_start]
            again = (*_fact_key(f), f.bound, f.subject, words)
            if counted_in.setdefault(again, sentence) != sentence:
                continue
            if f.bound != "exact" and rounded_in.setdefault(_fact_key(f), sentence) != sentence:
                # 4500余名建筑农民工集体入会 … 吸纳农民工会员达4500多人: a round count told again
                # in other words; exact figures that agree can be two counts (新建工会6家 twice)
                continue
        out.append(f)
    return out


_LEAD_ALIKE = 4  # figures of the lead with one key that a figure of the body is checked against
_RESTATED = 4  # characters before a figure that its restatement repeats (新建工会6家)
# A headline may call a total new members, or the reverse: counts of one kind of thing.
_ALIKE = ({"mem.new", "mem.total"}, {"org.new", "org.total"})


def _counts_alike(a: Fact, b: Fact) -> bool:
    return a.indicator == b.indicator or any({a.indicator, b.indicator} <= s for s in _ALIKE)


def _restates(title: Fact, body: Fact) -> bool:
    """Whether a figure of the title rounds one of the body (会员超5.7万名 over 57768人), or sums
    up the body's figures of its indicator (近万名农民工加入工会 over 8000多名农民工入会)."""
    if title.unit != body.unit:
        return False
    if abs(title.value - body.value) <= 0.1 * max(title.value, body.value):
        return True
    return (
        title.indicator == body.indicator
        and title.modality == body.modality
        and (title.bound != "exact")
    )


def _figure_key(f: Fact) -> tuple:
    """What a headline and the body share when they give one figure: a headline seldom says
    the period or the place its sentence in the body does (三年…超270家 over 2023至2025年…)."""
    return (f.indicator, f.value, f.unit, f.modality)


def _fact_key(f: Fact) -> tuple:
    return (f.indicator, f.value, f.unit, f.modality, f.region, f.period_start, f.period_end)


def _in_headline(f: Fact, ctx: _Document) -> bool:
    start, end = ctx.line_of(f.figure_start)
    if end - start > _HEADLINE_MAX:
        return False
    return not re.search("[。!?！？]", ctx.doc.text[start:end])


def _make(u: _Unit, f: Frame) -> Fact:
    doc, unit, q, offset, ind = u.ctx.doc, u.text, f.q, u.offset, f.indicator
    period, written = u.period_before(q.start)
    modality = _modality(u, f)
    if modality == TARGET and not written and u.plan_period is not None:
        period = u.plan_period  # 二、下半年工作安排: the goals under it are the second half's
    if modality == ACTUAL and period is not None:
        # 今年新发展会员1200人 in a half-year review: achieved by the review, not by December
        plan = u.ctx.meta.kind == PLAN
        published = u.ctx.meta.published
        if not written and published is not None and period.start > published:
            # 二次工代会至今,工会组织累计达到1177个 in a report whose own period is the five
            # years ahead (今后五年): a result is of the time up to its publication
            year = date(published.year, 1, 1)
            period, plan = Period(year, date(published.year, 12, 31), f"{published.year}年"), True
        period = _achieved_by(period, u.ctx.as_of(period), written, plan)
    if period is not None and ind.stock:
        period = Period(period.end, period.end, period.label)  # a stock: as of the end
    elif period is not None and period.start == period.end and ind.flow:
        # 截至10月底,新建工会30家: a flow up to a day, from the start of its year
        period = Period(date(period.end.year, 1, 1), period.end, period.label)
    # 截至2020年,累计帮助8877名 in a news item of 2021; 累计发放337万元 in news dated only by
    # its publication: a total to a date from a start the text does not give, no figure of a
    # year. (累计 in a review of its period sums that period.)
    since_unknown = (
        period is not None
        and not ind.stock
        and "%" not in ind.units
        and modality == ACTUAL
        and "累计" in unit[max(0, q.start - _WINDOW) : q.start]
        and _cumulative(u, q.start, period, written)
    )
    where = _region(u, f)
    region = where.as_columns() if where else dict(regions.EMPTY_COLUMNS)
    # The clause and the sentence, each cut to a window around the figure if it is very long
    # (a page of one comma-less sentence must not store itself with each of its figures).
    cs, ce = max(f.clause[0], q.start - _EVIDENCE), min(f.clause[1], q.end + _EVIDENCE)
    while cs < ce and unit[cs].isspace():
        cs += 1
    while ce > cs and unit[ce - 1] in "。!?！？;；":
        ce -= 1
    clause = unit[cs:ce]
    groups = u.groups(cs, ce)
    ss, se = u.ctx.sentence_of(offset + q.start, offset, offset + len(unit))
    ss, se = max(ss, offset + q.start - _CONTEXT), min(se, offset + q.end + _CONTEXT)
    s0, e0 = doc.original_span(ss, se)
    c0, c1 = doc.original_span(offset + cs, offset + ce)
    return Fact.of(
        doc=doc.id,
        indicator=ind.id,
        theme=ind.theme,
        value=q.value,
        unit=ind.unit_of(f.unit),
        bound=q.bound,
        modality=modality,
        period_start=period.start.isoformat() if period and not since_unknown else None,
        period_end=period.end.isoformat() if period else None,
        period_label=period.label if period else None,
        **region,
        subject="、".join(groups) or None,
        evidence=clause,
        evidence_original=u.ctx.original(c0, c1),
        start=offset + cs,
        end=offset + ce,
        sentence=doc.text[ss:se],
        sentence_original=u.ctx.original(s0, e0),
        sentence_start=ss,
        sentence_end=se,
        figure=q.text,
        figure_start=offset + q.start,
        figure_end=offset + q.end,
        part_of=offset + f.parent.q.start if f.parent is not None else None,
    )


def _cumulative(u: _Unit, at: int, period: Period, written: bool) -> bool:
    """Whether a 累计 figure at ``at`` is a total since an unknown start: its period is a date
    before the document's own period (截至2020年 in 2021), or the document's, inferred from a
    publication well before that period ends (news of August, not a review of December)."""
    own = u.ctx.meta.period
    if written:
        return u.as_of_before(at) and own is not None and period.end < own.start
    source = u.ctx.meta.period_source
    return source in ("publication year", "relative") and u.ctx.reported_to is None


#: Lower bounds that set a goal (target cues of modality.yaml), written as part of a figure.
_GOAL_BOUNDS = ("不少于", "不低于")


def _modality(u: _Unit, f: Frame) -> str:
    """The clause's cues first (:class:`~analysis.modality.ClauseModality`); an achieved figure
    due by a deadline still ahead at publication (2024年底...4万人以上) is a target."""
    k = u.clause_index(f.q.start)
    # 新建工会不少于30家: the bound is a cue of the figure it is written with
    at = f.q.start + 3 if f.q.text.startswith(_GOAL_BOUNDS) else f.q.start
    found = u.modality.of(k, at)
    if found == TARGET and u.kind == PLAN and not u.modality.cued(k, at):
        # 今年一季度…建会达46家 in a plan of April: a period its text names that ended before
        # publication holds results, whatever the document's kind
        period, written = u.period_before(f.q.start)
        published = u.ctx.meta.published
        if written and period is not None and published is not None and period.end < published:
            return ACTUAL
    if found != ACTUAL:
        return found
    lo = max(u.clauses[max(0, k - 1)][0], f.q.start - _WINDOW)
    meta = u.ctx.meta
    # An undated page writes from within the period it reports on (its text names it).
    written = meta.published or (meta.period.end if meta.period is not None else None)
    if (
        (u.masked.find("年", lo, f.q.start) >= 0 or u.masked.find("五", lo, f.q.start) >= 0)
        and future_deadline(  # every deadline has 年, or is a plan's (十四五末)
            u.masked[lo : f.q.start], written
        )
    ):
        return TARGET
    cs, ce = u.clauses[k]
    if goal_after(u.masked, cs, f.q.start, f.q.end, ce):
        return TARGET
    return found


# 全市, 全县...: the whole of a region of that level.
# Not a level of honour: 全国示范站点, 全省先进集体, 全国五一劳动奖章 name the award, not the scope.
# So is a list of such levels before the award (获得全国、自治区“五一劳动奖章”, 全国和省级劳模).
_WHOLE = re.compile(
    r"全(国|省|自治区|市|州|盟|县|旗|区|镇|乡|街道|社区)"
    r"(?!(?:[、和及与]全?(?:省|自治区|市|州|盟|县|旗|区)级?)*"
    r"(?:级|[“「]|示范|模范|先进|优秀|劳模|劳动模范|五一|工人先锋号|巾帼|标兵|百强|文明|十佳|最美|首批|样板"
    r"|(?:职工)?(?:书屋|之家|小家|驿站)(?:示范|模范)))"  # 全国职工书屋示范点
)


#: A first clause this short (2020年, 今年以来, 目前) opens a sentence without naming its subject.
_OPENER = 6


def _region(u: _Unit, f: Frame) -> Region | None:
    """The region the figure is about.

    The nearest of these before the figure wins: a place named in its clause, or in its
    sentence's opening clause (the topic); ``全国``, ``全省``, ``全县``... (the document's region
    at that level). Else a place named at the opening of the figure's paragraph; else the
    document's region. A place counts when it lies in the document's region (or the document
    has none); a town or zone named by rule is taken to.
    """
    home = u.ctx.home
    q = f.q
    windows = [(max(f.clause[0], q.start - _WINDOW), q.start)]
    first = u.clauses[0][1]
    if u.clauses[0][1] - u.clauses[0][0] <= _OPENER and len(u.clauses) > 1:
        # 2020年,永州市总工会有基层工会组织6978个,会员57.95万人: after a short opening (a
        # time), the clause that names the subject opens the sentence
        if u.clauses[1][1] < f.clause[0]:
            first = u.clauses[1][1]
    if first < f.clause[0]:
        windows.insert(0, (0, min(first, _WINDOW)))
    best: tuple[int, Region] | None = None
    for lo, hi in windows:
        for m in u.places(lo, hi):
            if best is None or m.start >= best[0]:
                best = (m.start, m.region)
        for at, word in u.wholes(lo, hi):
            whole = _whole(word, home)
            if whole is not None and (best is None or at >= best[0]):
                best = (at, whole)
    found = best[1] if best is not None else u.topic()
    if found is None or (home is not None and regions.same_place(found, home)):
        return home  # 城关镇 in a document about 宁海县城关镇 is that town
    return found


def _places(text: str, home: Region | None) -> list[regions.Mention]:
    """Places in ``text`` that can be what a figure of a document about ``home`` describes: not
    the items of a list of places (the figure is about them all)."""
    out = []
    mentions = regions.find_mentions(text, home, short=False)
    if "“" in text:
        # “我志愿加入中华全国总工会……”: an oath names the country, not the figure's place
        mentions = [m for m in mentions if m.how != "national" or not regions.quoted(text, m.start)]
    # 莘县、冠县总工会…新发展会员656人: a figure after two places or more is of them all
    in_list = regions.listed(text, mentions, least=2) if len(mentions) >= 2 else ()
    for m in mentions:
        if (
            m.start in in_list
            or text[m.end : m.end + 1] == "、"
            or text[m.start - 1 : m.start] == "、"
        ):
            continue  # 五常、阿城、宾县、依兰四县: one item of a list, whatever the others are named by
        r = m.region
        if m.how in ("stem", "national") and text[m.start : m.end] in ("全国",):
            continue
        if text.startswith("杯", m.end):
            continue  # “黎川县杯”竞赛: a cup named for the place, no scope
        if regions.obeyed(text, m):
            continue  # 落实全国总工会…的要求: the country's requirements, not the figure's place
        if m.how == "stem":
            continue  # a short name is a hint for the document, too weak for one figure
        if out and _alias_of(text, m, out[-1]):
            continue  # 乌鲁木齐高新区(新市区): the other name of the place before, not a second
        if home is None or home.level == "national" or r.level in ("town", "zone"):
            out.append(m)
        elif r.within(home) and r != home:
            out.append(m)
        elif r == home:
            out.append(m)
    return out


#: A paragraph's short opening that is a time (日前, 3月30日, 今年以来), not a scene (活动现场).
_WHEN = re.compile(r"[\d年月日]|日前|近日|近期|当天|目前|以来")
#: Characters between a place and a bracket holding its other name (乌鲁木齐高新区技术产业开发区).
_ALIAS_GAP = 10


def _alias_of(text: str, m: regions.Mention, before: regions.Mention) -> bool:
    """Whether ``m`` is all a bracket holds, right after the name ``before`` begins (高新区(新市区),
    开发区(新区)): the other name of the same place."""
    opened = m.start - 1
    return (
        text[opened : opened + 1] == "("
        and text[m.end : m.end + 1] == ")"
        and 0 <= opened - before.end <= _ALIAS_GAP
        and not _OPENING_END.search(text, before.end, opened)
    )


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
