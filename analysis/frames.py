"""What a figure counts and how: the frame of each figure, read from the words of its sentence.

A sentence here is the span between two full stops (or line ends); its clauses are cut at , ; :.
For each figure (a :class:`~analysis.quantities.Quantity`), :func:`read_frames` finds

- the **thing** it counts: the noun group right after it (``三家工会组织``, ``1587名农民工``) or
  else the thing word nearest before it in its clause (``会员4000人``); a generic thing (企业,
  职工, 覆盖率) is made specific by a topic word (``组建7家外企``: unions); a figure whose clause
  names nothing (``争取11家``) takes the thing of the figure before it, and a ``其中`` figure is a
  part of the one before it;
- the **measure**: the measure word nearest before it in its clause, else the first one after
  its noun (``20个工会正式成立``); a setting-up verb (建立, 成立...) counts what is when the
  nearest state or flow word before it says so (``目前已全部建立工会``) and what was done otherwise;
- the **topics** its sentence names up to the end of its clause (bargaining, unionizing...);
- one figure for each of several nouns before ``分别``/``均`` (``建会率和入会率均达90%``), or
  figures paired with nouns in order (``分别达到60%和80%``).

Then the first indicator of ``data/indicators.yaml`` that accepts the frame is chosen. Every
scan is bounded by the figure's clause or a fixed window, so a sentence is read in time linear in
its length and figures.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from .indicators import NONE, RESTRICTED, Indicator, IndicatorSet, Rule, Word
from .periods import AS_OF
from .quantities import Quantity

# A clause ends at , ; : and where a part of the figure before it opens in brackets:
# 5548个(其中当年新建210个).
CLAUSE_BREAK = re.compile(r"[,;:]|\((?=其中)")
_COORDINATORS = "以及|和|、|及|与|或"
_COORDINATOR = re.compile(_COORDINATORS)
_PUNCT = re.compile(r"[,;:。!?、()《》]")
_BOUND_WORDS = re.compile(r"^(?:以上|以下|左右|以内|上下|之多|有余)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CHANGE_VERB = "提高|增加|增长|上升|下降|减少|发展|扩大|提升"
_CHANGE_VERBS = frozenset(_CHANGE_VERB.split("|"))
# 增加到, 提高至; also with the change between (,增加57%至)
_CHANGE_TO = re.compile(f",?(?:{_CHANGE_VERB})了?(?:\\d+(?:\\.\\d+)?(?:%|倍))?(?:到|至)")
_NEW_KINDS = ("new", "setup", "join")  # measures that say something came into being
# The year a figure is of, written before it (2020年底的92%).
_YEAR_OF_TEXT = r"(?:19|20)\d{2}\s*(年(?:年?底|年?末)?的)"  # 2019年底的, 2019年年底的
_YEAR_OF = re.compile(_YEAR_OF_TEXT)
_FROM = re.compile(
    rf"(?:从|由)(?:原来的|原先的|最初的|起初的|当初的|成立之初的|成立时的|上年的|去年的|年初的|{_YEAR_OF_TEXT})?$"
)  # 由2016年的98万人增加到…
# 同比增长12%, 增幅分别为12%: by, not to
_CHANGE_BY = re.compile(
    f"(?:{_CHANGE_VERB})了?$|(?:增幅|涨幅|降幅|增速|增长率|增长幅度)(?:分别|均)?(?:为|达|达到|是)?$"
)
_RANGE_START = re.compile(r"\d+(?:\.\d+)?%?\s*(?:—|-|–|~|至|到)\s*$")
_CHANGE_AFTER = re.compile(r"的(?:增长|增幅|涨幅|增速|提升|提高|下降|降幅)")  # 实现了20%以上的增长
# 比上年增加20家 after 新建工会120家: by how much a flow before it changed, no count of its own
_COMPARED = re.compile(
    r"\s*(?:同比|(?:比|较|与|同)(?:上年|去年|上一年|前一年|(?:19|20)\d{2}\s*年)(?:度)?(?:同期)?"
    f"(?:相比)?)[,]?(?:净增|净减|(?:净)?(?:{_CHANGE_VERB}|多|少))了?\\s*$"
)
# What stands between a verb of change and the level it reached (增加20%至去年年底的).
_LEVEL_REACHED = re.compile(r"了?(?:\d+(?:\.\d+)?(?:%|倍))?(?:到|至)(?:[^,;。]{0,8}的)?\s*")
# ,达到560家 after a count of what is new: the level reached
_REACHES = re.compile(r"(?:总数|总量|总人数)?(?:达到|达|为|增至|增加到|增长到|升至|突破)$")
# What may stand between two figures of one thing in a clause: 60%和80%, 由85%提高到92%.
# A time written as the level's, in words: 现在的81%, 去年年底的1436间.
_NOW_OF_TEXT = r"(?:现在|目前|当前|如今|今年|去年|上年|年初|年底|年末)(?:年?底|年?末)?的"
_NOW_OF = re.compile(_NOW_OF_TEXT)
_IN_CLAUSE_LINK = re.compile(
    f"^(?:{_COORDINATORS}|(?:{_CHANGE_VERB})?(?:到|至)(?:{_YEAR_OF_TEXT}|{_NOW_OF_TEXT})?)$"
)  # 由85%提高到92%, 由2016年的98万人增加到2020年的126万人, 从原来的56%提高到现在的81%
_NP_FIRST_GAP = 8  # characters between a figure and the first word of its noun group, at most
_NP_GAP = 4  # between two words of a noun group
_NP_WINDOW = 24  # the noun group after a figure ends within this many characters
_BARE_GAP = 6  # a figure without a unit must follow its thing this closely
_OBJECT_GAP = 6  # characters between a verb and the union it sets up (成立了社区工会联合会)
_BARE_UNKNOWN = 3  # unknown characters a clause may hold and still name nothing (区域性, 省级)
_OPENING = 6  # a clause of at most this many characters (目前,) scopes the clauses after it
# ... and so does a date things stand at (截至2013年12月底,), however long: see AS_OF.
_SINCE_OPENING = re.compile(
    r"\s*(?:自|从)?[\d一二三四五六七八九十〇零年月份日今去上本前近这过两多半\s]{1,14}(?:以来|至今)\s*"
)
_OPENINGS = 8  # how many clauses back such a clause is looked for
_LEFT = 80  # characters before a figure that its frame is read from, at most
_RIGHT = 80  # and after it
_NEAR = 300  # characters before a figure that the topics of its clause are read from, at most
_COORDINATED = 40  # figures in one coordinated list that share a predicate, at most
#: The measure of a figure whose noun is followed by a verb no list names (9名会员前往...旅游).
PREDICATE = "predicate"


@dataclass(slots=True)
class Frame:
    q: Quantity
    unit: str  # the quantity's unit, or the one its thing implies
    thing: str | None
    measure: str | None
    topics: frozenset[str]  # named in the sentence up to the end of the clause
    restricted: bool  # the thing is narrowed by a relative clause (缴费的会员)
    clause: tuple[int, int]
    indicator: Indicator | None = None
    starting: bool = False  # the level a change started from (从38万人增加到52万人): not a fact
    # what has no union or should have one (未建立工会, 应建会企业): not a fact either, but the
    # figures after it may take its thing (应建会企业1200家,已建会1100家)
    void: bool = False
    parent: Frame | None = None  # the figure this one is a part of (会员2791人,其中女会员1053人)
    # the topics of the clause and the one before it, where some rule an indicator out
    # (为了保障职工获得…权,…,覆盖企业62.2万个: 获得 three clauses back awards nothing)
    near: frozenset[str] | None = None
    # the topics of the figure's own stretch of its clause: from the figure before it (or the
    # clause's start) to the clause's end (劳动合同签订率达98%、集体合同签订率达90%)
    own: frozenset[str] | None = None


@dataclass
class _Sentence:
    text: str
    words: list[Word]
    starts: list[int]
    quantities: list[Quantity]
    qstarts: list[int]
    breaks: list[int]  # positions of , ; :
    topics_upto: list[tuple[int, frozenset[str]]]  # (end, topics of the words ending by then)

    ends: list[int]
    per_unit: list[int]  # where the words 每人, 人均... start

    def between(self, lo: int, hi: int) -> list[Word]:
        """The words lying wholly in [lo, hi) (words never overlap: starts and ends both rise)."""
        return self.words[bisect.bisect_left(self.starts, lo) : bisect.bisect_right(self.ends, hi)]

    def clause_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.breaks, pos - 1)
        cs = self.breaks[i - 1] + 1 if i else 0
        ce = self.breaks[i] if i < len(self.breaks) else len(self.text)
        return cs, ce

    def near_topics(self, cs: int, lo: int, hi: int) -> frozenset[str]:
        """The topics of the words of the clause starting at ``cs`` and of the clause before
        it, read within [lo, hi) (a figure's window: a clause of a thousand figures costs each
        no more than an ordinary one) and, before the clause, within ``_NEAR`` characters."""
        if lo > cs or cs == 0:
            return self.topics_between(lo, hi)  # the window starts inside the clause
        before = self.clause_of(cs - 1)[0]
        return self.topics_between(max(before, cs - _NEAR), hi)

    def topics_between(self, lo: int, hi: int) -> frozenset[str]:
        """The topics of the words lying in [lo, hi)."""
        out: frozenset[str] = frozenset()
        for w in self.between(lo, hi):
            if w.topics:
                out = out | w.topics
        return out

    def topics(self, end: int) -> frozenset[str]:
        i = bisect.bisect_right(self.topics_upto, (end, frozenset({"~"})))
        return self.topics_upto[i - 1][1] if i else frozenset()


#: A number right after a noun, or before it: the noun's own figure (工会组织186个).
_COUNTED = re.compile(r"[0-9零一二两三四五六七八九十百千万]")
_SERVED = frozenset(("person", "member"))  # whom 服务 (to serve) is said of


def _verb_objects(text: str, words: list[Word]) -> list[Word]:
    """A setting-up verb with a union after it (建立了工会组织, 成立了社区工会联合会, 新建工会)
    is about unionizing: the verb is given that topic, so that 23个社区成立了社区工会联合会
    counts unions. Not when the union has a figure of its own (8个开发区新建工会组织186个: 186
    unions in 8 zones)."""
    out = list(words)
    for k, w in enumerate(words):
        if w.measure == "serve" and not _serves(text, w, words[k + 1 : k + 2]):
            out[k] = w._replace(classes=w.classes - {"measure:serve"}, measure=None)
            continue
        if w.text == _BECOME and not _becomes_member(text, w, words[k + 1 : k + 5]):
            out[k] = w._replace(
                classes=w.classes - {"measure:join", "topic:joining"},
                measure=None,
                topics=w.topics - {"joining"},
            )
            continue
        if not ({"measure:setup", "measure:new"} & w.classes) or "topic:unionizing" in w.classes:
            continue
        for nxt in words[k + 1 : k + 4]:
            if nxt.start - w.end > _OBJECT_GAP or _PUNCT.search(text, w.end, nxt.start):
                break
            if "thing:union" in nxt.classes:
                if _COUNTED.match(text, nxt.end) or _COUNTED.search(text, w.end, nxt.start):
                    break  # 8个开发区新建工会组织186个 (新建186个工会组织): the unions' own figure
                out[k] = w._replace(
                    classes=w.classes | {"topic:unionizing"}, topics=w.topics | {"unionizing"}
                )
                break
            if nxt.measure is not None:
                break
    return out


_BECOME = "成为"
_MEMBER_AFTER = 12  # characters between 成为 and the 会员 it makes one of


def _becomes_member(text: str, w: Word, following: list[Word]) -> bool:
    """Whether ``成为`` joins: its object ends in 会员 (成为项目工会联合会会员), not a title or
    a place (成为全国模范职工之家, 成为示范点)."""
    for nxt in following:
        if nxt.start - w.end > _MEMBER_AFTER or _PUNCT.search(text, w.end, nxt.start):
            return False
        if nxt.thing == "member":
            return True
    return False


_SERVED_FIGURE = re.compile(r"(?:近|约|超过?|逾)?[0-9零一二两三四五六七八九十百千万]")


def _serves(text: str, w: Word, following: list[Word]) -> bool:
    """Whether ``服务`` is the verb of the people right after it (服务会员2000人, 服务职工1.2万人次,
    服务28023位…), not a noun (享受疗休养服务, 服务业, 服务商员工)."""
    if _SERVED_FIGURE.match(text, w.end):
        return True
    return bool(following) and following[0].start == w.end and following[0].thing in _SERVED


def _sentence(
    text: str, quantities: list[Quantity], iset: IndicatorSet, words: list[Word] | None
) -> _Sentence:
    words = _verb_objects(text, iset.vocabulary.words(text) if words is None else words)
    topics_upto = []
    acc: frozenset[str] = frozenset()
    for w in sorted(words, key=lambda w: w.end):
        if w.topics:
            acc = acc | w.topics
        topics_upto.append((w.end, acc))
    return _Sentence(
        text=text,
        words=words,
        starts=[w.start for w in words],
        ends=[w.end for w in words],
        per_unit=[w.start for w in words if w.has("per_unit")],
        quantities=quantities,
        qstarts=[q.start for q in quantities],
        breaks=[m.start() for m in CLAUSE_BREAK.finditer(text)],
        topics_upto=topics_upto,
    )


def _thing(w: Word) -> str | None:
    return w.thing


def _measure(w: Word) -> str | None:
    return w.measure


def read_frames(
    text: str, quantities: list[Quantity], iset: IndicatorSet, words: list[Word] | None = None
) -> list[Frame]:
    """The frames of the figures of one sentence, with their indicators, in reading order.

    A figure may give several frames (one per noun before ``均``) or none (a threshold such as
    ``25人以上企业``, an average after ``人均``, a unitless number with no thing to give it a unit).
    ``words`` are the words of ``text`` when the caller has read them already.
    """
    if not quantities:
        return []
    s = _sentence(text, quantities, iset, words)
    out: list[Frame] = []
    spread = _distributed(s, iset)
    prev: Frame | None = None  # the last frame read, for 争取11家 and 其中...
    family: tuple[Frame, Indicator | None] | None = None  # the whole of the 其中 parts read
    for i in range(len(quantities)):
        if i in spread:
            frames = [_choose(f, iset) for f in spread[i]]
        else:
            f = _frame(s, i, None, iset)
            if f is not None:
                f = _choose(f, iset)
                if f.indicator is None and prev is not None:
                    carried = _frame(s, i, prev, iset)  # 争取11家: the thing of the figure before
                    f = _choose(carried, iset) if carried is not None else f
                if f.indicator is None and _covers_on(s, f, prev):
                    f.measure = prev.measure  # 覆盖企业6570家,职工42万多人: both covered
                    f = _choose(f, iset)
                elif _news_on(s, f, prev):
                    # 新增工会组织20家,会员800人: the members are new too
                    carried = _choose(replace(f, measure=prev.measure), iset)
                    f = carried if carried.indicator is not None else f
                elif _covered_by_unions(f, prev):
                    f.indicator = None  # 共有基层工会2466个,覆盖职工19.8万余人: no one helped
            frames = [] if f is None else [_subgroup(s, f, prev, iset)]
        for f in frames:
            if family is not None and _another_part(s, f, prev, family):
                # 其中货车司机会员新增3万人,网约车司机新增2万人: drivers of the same new members
                f = replace(f, indicator=family[1], parent=family[0])
            if f.parent is not None:
                family = (f.parent, f.indicator)  # 其中A…, B…: B is a part of the same whole
            elif family is not None and f.indicator is family[1] and not _opens_clause(s, f):
                f.parent = family[0]
            elif family is not None and f.indicator is not family[1]:
                family = None
            if f.indicator is not None and not f.starting and not f.void:
                out.append(f)
        if frames:
            prev = frames[-1]
    return out


def _covered_by_unions(f: Frame, prev: Frame | None) -> bool:
    """Whether ``f`` counts the workers that the unions counted in the clause just before it
    cover (共有基层工会2466个,覆盖职工19.8万余人; 新建工会120家,覆盖职工1.2万人): the unions'
    reach, not workers helped; nor, if members (组建行业工联会7家,涵盖会员4000多人), all the
    members there are."""
    return (
        prev is not None
        and f.measure == "cover"
        and f.thing in (None, "person", "member")
        and prev.thing == "union"
        and prev.indicator is not None
        and prev.clause[1] == f.clause[0] - 1
    )


def _another_part(
    s: _Sentence, f: Frame, prev: Frame | None, family: tuple[Frame, Indicator | None]
) -> bool:
    """Whether ``f``, a group of workers and a figure that no indicator takes, is one more
    part of the whole whose 其中 parts the clause just before lists, said with the same verb."""
    whole, indicator = family
    return (
        f.indicator is None
        and f.parent is None
        and indicator is not None
        and prev is not None
        and prev.parent is whole
        and f.thing == "person"
        and f.measure is not None
        and f.measure == prev.measure
        and f.unit in indicator.units
        and prev.clause[1] == f.clause[0] - 1
        and not f.starting
        and not f.void
    )


def _covers_on(s: _Sentence, f: Frame, prev: Frame | None) -> bool:
    """Whether ``f``, a thing and its figure with no verb (职工42万多人), lists one more thing
    that the figure of the clause just before it covers (覆盖企业6570家,)."""
    if prev is None or prev.measure != "cover":
        return False
    return _listed_after(s, f, prev)


def _news_on(s: _Sentence, f: Frame, prev: Frame | None) -> bool:
    """Whether ``f``, a thing and its figure with no verb (会员800人), lists one more thing
    that came into being with the figure of the clause just before it (新增工会组织20家,): the
    verb is written once for both. Not a part (其中...) nor the same thing again."""
    if prev is None or prev.measure not in _NEW_KINDS or prev.indicator is None:
        return False
    if prev.parent is not None or _opens_clause(s, f):
        return False  # 工会860个(其中新建42个),会员5.3万人: the members of all 860
    if prev.thing == f.thing and not _of_a_group(s, f):
        return False  # the same thing again, of no group of its own: not the new ones
    return _listed_after(s, f, prev)


_GROUP_SPAN = 16  # characters before a figure its group and thing are read in


def _of_a_group(s: _Sentence, f: Frame) -> bool:
    """Whether the thing of ``f`` is of a group of workers named right before it (新发展会员1万名,
    货车司机会员4000名: the truck drivers among the new members)."""
    named = [w for w in s.between(max(f.clause[0], f.q.start - _GROUP_SPAN), f.q.start) if w.thing]
    return len(named) >= 2 and named[-2].thing == "person" and named[-2].end == named[-1].start


def _listed_after(s: _Sentence, f: Frame, prev: Frame) -> bool:
    """Whether ``f`` is a thing and its figure with no verb, alone in the clause right after
    the clause of ``prev``."""
    if f.measure is not None or f.thing is None:
        return False
    cs, ce = f.clause
    if prev.clause[1] != cs - 1:
        return False  # not the clause right before
    # Nothing in the clause but the thing and the figure (and their bounds).
    named = sum(len(w.text) for w in s.between(cs, f.q.start) if w.thing)
    rest = _BOUND_WORDS.sub("", s.text[f.q.end : ce].strip(" 。!?"))
    return not _CJK.search(rest) and len(_CJK.findall(s.text, cs, f.q.start)) - named <= 1


def _opens_clause(s: _Sentence, f: Frame) -> bool:
    """Whether the figure's clause begins a new statement (another 其中, a new subject)."""
    return s.text[f.clause[0] : f.clause[0] + 4].lstrip().startswith("其中")


# --------------------------------------------------------------------------- one figure


def _frame(s: _Sentence, i: int, carry: Frame | None, iset: IndicatorSet) -> Frame | None:
    """The frame of figure ``i``; with ``carry``, a clause that names nothing takes its thing."""
    q = s.quantities[i]
    cs, ce = s.clause_of(q.start)
    text = s.text
    # Everything before the figure is read within a window of its clause: a clause of a
    # thousand figures costs each of them no more than an ordinary one.
    cw = max(cs, q.start - _LEFT)
    ce_w = min(ce, q.end + _RIGHT)
    prev_end = s.quantities[i - 1].end if i else -1
    lb = prev_end if cw <= prev_end <= q.start else cw
    left = s.between(lb, q.start)
    if bisect.bisect_left(s.per_unit, cw) < bisect.bisect_left(s.per_unit, q.start):
        return None  # 人均500元, 每人200元: an average, not a total
    if _DEMONSTRATIVE.search(text, max(cs, q.start - 2), q.start):
        return None  # 这5个村级工会都建立微信群: the figure given before, pointed back to
    starting = bool(_FROM.search(text[max(cs, q.start - 10) : q.start])) and bool(
        _CHANGE_TO.match(text, q.end)
    )  # 从38万人增加到52万人, 由原来的60%提高到85%: the level it started from
    np_head, np_end = _noun_after(s, i, ce)
    if np_head is not None and q.unit in ("个", "家") and _thing(np_head) == "member":
        # 51643个基层工会会员超过469万人: 个 counts the unions of the group, not its members
        union = next((w for w in s.between(q.end, np_head.start) if _thing(w) == "union"), None)
        if union is not None:
            np_head, np_end = union, union.end
    if _threshold(s, q, np_head, ce):
        return None
    if _each_place(s, i, cs):
        return None  # 12个地区工会基层组织超过10万个: a bar each of the places clears, no total
    if np_head is not None and q.unit in ("个", "家") and _quoted_unknown_at(s, np_end):
        return None  # 100个企业工会“宣传角”: the quoted name is what the figure counts
    if np_head is not None and text.startswith("数", np_end):
        return None  # 这2个地区工会组织数不足1万个: 2 counts regions, whose count is given after
    if text.startswith("不等", q.end):
        return None  # 分别发放260元至500元不等: a spread of amounts, no total
    if q.unit == "%" and np_head is not None and _thing(np_head) == "union":
        return None  # 95%的基层工会开展了协商: a share of the unions, no rate of unionizing
    if q.unit == "%" and _TASK_SHARE.search(text, max(cs, q.start - 6), q.start):
        return None  # 完成了任务数的90%以上: how much of a task is done, no rate
    if q.unit == "%" and _OF_AN_EARLIER_LEVEL.search(text, max(cs, q.start - 10), q.start):
        return None  # 组建工会数是2003年的150%: a multiple of an earlier level, no rate
    following = s.quantities[i + 1] if i + 1 < len(s.quantities) else None
    if np_head is not None and following is not None and following.start == np_end:
        return None  # 五项集体合同177份: the kinds of a thing another figure counts
    if following is not None and following.start == q.end and q.unit in _ITEM_COUNTERS:
        return None  # 实现两个100%: 个 counts the figures after it
    cut = min(_predicate_end(s, i, np_end, ce), np_end + _RIGHT)
    thing_word = np_head
    if (
        thing_word is None
        and text[q.start - 1 : q.start] not in _TOWARDS
        and not _unknown_noun_after(s, q)
        and not _quoted_unknown(s, q)
    ):
        thing_word = next((w for w in reversed(left) if w.thing), None)
        if thing_word is not None and _RELATIVE_HAS.search(text, max(cs, q.start - 4), q.start):
            # 企业法人单位建立集体协商制度的有4416家: the figure counts the head of the relative
            # clause (单位), not the thing inside it (制度)
            verb = next(
                (w for w in reversed(left) if w.measure and w.end <= thing_word.start), None
            )
            if verb is not None:
                thing_word = next(
                    (w for w in reversed(left) if w.thing and w.end <= verb.start), thing_word
                )
        if thing_word is not None and text[thing_word.end : thing_word.end + 1] in _TOWARDS:
            thing_word = None  # 市建筑工会对中建一局等8家单位进行了慰问: the union acts on them
        if thing_word is not None and _GROUP_NOUN_BEFORE.search(text, thing_word.end, q.start):
            thing_word = None  # 工会联合会村级工作组286个: the groups are counted, not the unions
        if (
            thing_word is not None
            and q.start - thing_word.end <= _LEFT
            and _ACTS_ON.search(text, thing_word.end, q.start)
            and not any(w.measure for w in s.between(thing_word.end, q.start))
        ):
            # 省总工会遴选出了97家具有…作用的驿站: the union did it to what the figure counts
            thing_word = None
    if (
        q.unit == "%"
        and thing_word is not None
        and not _is_rate(thing_word)
        and text[q.start - 1 : q.start] == "的"
    ):
        # 集体合同覆盖率达到建会企业总数的91.2%: the rate named first, of the total named after
        thing_word = next((w for w in reversed(left) if _is_rate(w)), thing_word)
    before = s.between(cw, q.start)
    measure_word = next((w for w in reversed(before) if w.measure), None)
    if (
        q.unit == "%"
        and measure_word is not None
        and measure_word.measure != "share"
        and text[measure_word.start - 1 : measure_word.start] != "应"
    ):
        # 占全年建会数的64%: a share of what was set up, not of those that should be (占应建数的)
        measure_word = next((w for w in before if w.measure == "share"), measure_word)
    elif (
        measure_word is not None
        and measure_word.measure == "share"
        and thing_word is not None
        and _is_rate(thing_word)
        and thing_word.end <= measure_word.start
        and q.start - measure_word.end <= 1
    ):
        measure_word = None  # 建会率占41.3%: the rate itself, written with 占
    if np_head is not None or thing_word is None:
        # 有25名会员参加了...: after 有 (there are), the predicate says what the figure counts.
        if measure_word is None or measure_word.text.endswith("有"):
            measure_word = (
                next((w for w in s.between(np_end, cut) if _measure(w)), None) or measure_word
            )
    if measure_word is not None and measure_word.text.endswith("有") and np_head is None:
        then = next((w for w in s.between(q.end, q.end + 2) if _measure(w)), None)
        if then is not None and then.start == q.end:
            measure_word = then  # 企业中有48家签订了…合同: what those there are did
    if measure_word is not None and measure_word.text == "动员" and np_head is not None:
        then = next((w for w in s.between(np_end, cut) if _measure(w)), None)
        if then is not None and then.measure not in _NEW_KINDS:
            measure_word = then  # 动员4730名职工参加医疗互助活动: they took part, not joined
    unit = q.unit
    thing = None
    restricted = False
    if thing_word is not None:
        thing = _derive(s, thing_word, (cw, max(cut, q.end)), ce, iset)
        restricted = np_head is None and _relative_clause(s, cw, thing_word)
        if (
            restricted
            and thing in ("person", "member")
            and any(w.measure == "join" for w in s.between(cw, thing_word.start))
        ):
            thing, restricted = "member", False  # 已经入会的农民工超过5400人: members
    if (
        thing is None
        and q.unit == "人"
        and measure_word is not None
        and measure_word.measure == "cover"
        and measure_word.end == q.start
    ):
        thing = "person"  # 签订集体合同1550份,覆盖32万人: the workers covered, named by 人
    if measure_word is None and cs > 0 and text[cs - 1] == ":":
        # 计划新建:工会组织30个、会员2000人: the verb before the colon serves the list after it
        lo, _ = s.clause_of(cs - 1)
        measure_word = next((w for w in reversed(s.between(lo, cs - 1)) if w.measure), None)
    if _is_change(s, q, cs) or _compared_flow(s, cs, q.start):
        return None
    # 有近5000名职工集体加入工会组织: a verb after the figure, and 有 says there were so many
    # who did it, not how many there are
    after = measure_word is not None and measure_word.start >= q.end
    measure = _resolve_measure(s, measure_word, cs, existential=after)
    if (
        measure in _NEW_KINDS
        and measure_word is not None
        and measure_word.end <= q.start
        and measure_word.text in _CHANGE_VERBS
        and _LEVEL_REACHED.fullmatch(text, measure_word.end, q.start)
        and not any(w.measure in _NEW_KINDS for w in before if w.end <= measure_word.start)
    ):
        measure = "stock"  # 由…的3.2万人,增加20%至去年年底的3.84万人: the level reached
    if (
        measure is None
        and thing in ("member", "union")
        and thing_word is not None
        and text[thing_word.start - 1 : thing_word.start] == "新"
    ):
        measure = "new"  # 新入会职工4200人, 新会员300人: new, with no verb of their own
    if measure == "share" and q.unit == "%" and text.startswith("应", measure_word.end):
        measure = None  # 占应建会企业的95%: of those that should have one, a coverage rate
    elif (
        measure == "share"
        and q.unit == "%"
        and any(w.measure in ("sign", "hold") for w in s.between(cs, measure_word.start))
        and any("bargaining" in w.topics for w in s.between(cs, measure_word.start))
    ):
        # 签订集体合同的企业占已建会企业的85%: the share that bargains, a bargaining rate
        measure = None
    if (
        measure in _NEW_KINDS
        and measure_word is not None
        and _STANDS.search(text, measure_word.end, q.start)
    ):
        measure = "stock"  # 于1949年成立截至2021年底51643个基层工会: a date things stand at, after
    there_are = (
        measure_word is not None
        and measure_word.text.endswith("有")
        and measure_word.end <= q.start
    )
    if (
        (measure is None or there_are)
        and np_head is not None
        and _unnamed_predicate(s, np_end, cut)
    ):
        # 9名会员分别前往...: members who did something, not all members; so are 有895个工会
        # 实现了升级晋档, the unions there are that did it
        measure = PREDICATE
    if (
        (measure in _NEW_KINDS or measure == "stock")
        and np_head is not None
        and _thing(np_head) == "union"
        and measure_word is not None
        and measure_word.measure in ("setup", "new")
        and measure_word.start >= np_end
        and _sets_up_another(s, measure_word, ce)
    ):
        # 2975个地方工会建立了帮扶中心, 12个楼宇工会吸纳会员350名: unions that set up or
        # recruited something else
        measure = PREDICATE
    if carry is not None and carry.clause[1] < cs - 1:
        # 会员18.5万人,…,河南工会专职工作人员最多,超过10万人: the clause just before names
        # other things, of which the figure is said
        before = {w.thing for w in s.between(s.clause_of(cs - 1)[0], cs) if w.thing}
        if before and carry.thing not in before:
            carry = None
    if carry is not None and thing is None and _clause_is_bare(s, q, lb, ce_w):
        if carry.measure in _NEW_KINDS and _COMPARED.match(text, cs, q.start):
            return None  # of a stock (共有会员2.6万人,比上年增加3100人) it is a flow
        if lb > cs and not _IN_CLAUSE_LINK.match(text[lb : q.start].strip()):
            carry = None  # 1148.1万人的36%: a figure of something else
        if carry is not None and carry.q.end <= q.start and carry.thing is not None:
            thing, restricted = carry.thing, carry.restricted
            if (
                measure is None
                and carry.measure in _NEW_KINDS
                and _REACHES.match(text[cs : q.start].strip())
                and q.value > carry.q.value
            ):
                # 会员总数比上年增加800人,达到2.5万人; 新建工会20家,达到560家: the total reached
                measure = "stock"
            measure = measure or carry.measure
    if not unit:  # a number written without a unit takes the one its thing implies
        unit = iset.implied_units.get(thing or "", "")
        if unit and unit != "%" and q.value != int(q.value):
            return None  # 会员90.54 (its 万人 cut off): no count has a fraction
        named_before = np_head is None and thing_word is not None
        if not unit or not (
            (named_before and q.start - thing_word.end <= _BARE_GAP)
            or (np_head is not None and np_head.start == q.end)  # 近3亿会员
        ):
            return None
        if named_before and _MONEY_VERB.search(text, thing_word.end, q.start):
            return None  # 市总工会共投资120万: an amount of money, no count of unions
        after = next((w for w in s.between(q.end, q.end + 4) if _measure(w)), None)
        if (
            named_before
            and after is not None
            and after.start == q.end
            and after.measure in ("help", "pay", "budget", "purchase")
        ):
            return None  # 市总工会509万帮扶困难职工: the money it gave, no count of unions
        if _POSTCODE.fullmatch(q.text) and _POSTCODE_BEFORE.search(
            text, max(0, q.start - 3), q.start
        ):
            return None  # (天津市总工会 天津市300380): an address's postal code
    void = any(
        w is not None
        and _not_done(text, w)
        and not any(b.measure == "share" and b.end <= w.start for b in before)  # 占应建数的95%
        for w in (thing_word, measure_word)
    ) or (thing == "union" and thing_word is not None and _honoured(text, thing_word))
    # 全省7万余家已建立集体合同制度的企业中,…: a population a clause speaks about, not a count
    void = void or (np_head is not None and text[np_end:ce].strip() in ("中", "当中", "之中"))
    topics = s.topics(ce)
    scoped = topics & _SCOPED_VETOES  # read only where the sentence names one
    return Frame(
        q,
        unit,
        thing,
        measure,
        topics,
        restricted,
        (cs, ce),
        starting=starting,
        void=void,
        near=s.near_topics(cs, max(cs, q.start - _NEAR), min(ce, q.end + _NEAR))
        if scoped
        else None,
        own=s.topics_between(lb, ce_w) if scoped else None,
    )


# Before a union's word: unions of a rank or an honour (先进企业工会18个, 规范化工会115家), no
# count of the unions there are.
_HONOURED = re.compile(r"(?:先进|模范|优秀|示范|星级|规范化|标准化|达标|合格)[村镇企业]{0,2}$")


def _honoured(text: str, w: Word) -> bool:
    return bool(_HONOURED.search(text, max(0, w.start - 5), w.start))


# Before the word that says what a figure counts: not done (未建立工会), due (应建会企业) or
# only applied for (申报成立工会).
_NOT_DONE = re.compile(
    r"(?:未能|尚未|未|没有|没|申报|申请|筹备|(?<![相响反适供对回效答感])应(?:该|当)?)$"
)  # 申报成立工会: asking to set one up


def _not_done(text: str, w: Word) -> bool:
    """Whether ``w`` (建立工会, 建会企业) is negated or only due: the figure counts what has no
    union, or the population that should have one, not unions set up."""
    if text.startswith(("意向", "意愿"), w.end):
        return True  # 达成建会意向: an intention to set one up
    return bool(_NOT_DONE.search(text, max(0, w.start - 3), w.start))


_NEUTRAL = ("connector", "state", "flow", "measure:stock", "modifier")
_PLACE_END = re.compile(r"[省市县区镇乡旗]$")


def _relative_clause(s: _Sentence, cs: int, w: Word) -> bool:
    """Whether the thing ``w`` is narrowed by a relative clause (缴纳会费的会员: those who paid
    dues), not only placed (全县的会员) or dated (目前的会员)."""
    if s.text[w.start - 1 : w.start] != "的":
        return False
    before = s.text[cs : w.start - 1]
    if _PLACE_END.search(before):
        return False
    named = sum(len(x.text) for x in s.between(cs, w.start - 1) if any(x.has(c) for c in _NEUTRAL))
    return len(_CJK.findall(before)) - named >= 2


def _unknown_noun_after(s: _Sentence, q: Quantity) -> bool:
    """``1695个字``, ``五项举措``, ``近万名爱心人士``: a figure counted with 个 (项, 条, 种, 类, 件;
    名, 位) right before a noun no list knows counts that noun, not a thing named before it."""
    # the counter, also before a bound word (1600个以上筛查名额); 名 and 位 count people
    # (近万名爱心人士) as 个 counts things
    counted = q.unit in _ITEM_COUNTERS or (q.unit == "人" and q.text[-1:] in ("名", "位"))
    if not counted or q.end >= len(s.text) or not _CJK.match(s.text, q.end):
        return False
    if q.unit == "人" and s.text[q.end] in _PARTICLES:
        return False  # 会员3万名的目标: the figure ends its noun group
    if s.text[q.end] in "和与及" and not s.text.startswith(_NOT_AND, q.end):
        return False  # 非公企业工会650个和工会联合会42个: the next item of a list
    if _GROUP_NOUN.match(s.text, q.end) or _KINDS_OF_WORKERS.match(s.text, q.end):
        return True  # 组成14个慰问小组, 4个重点群体: groups, whatever words they are made of
    return not s.between(q.end, q.end + 8) or s.between(q.end, q.end + 8)[0].start > q.end


def _is_rate(w: Word) -> bool:
    return (_thing(w) or "").startswith("rate.")


_ITEM_COUNTERS = frozenset("个项条种类件")
# A verb done (…了) between a thing and a figure that no list names as a measure: the thing acts
# on what the figure counts; not a level reached (会员突破了3万人, 达到了, 增长了...).
_ACTS_ON = re.compile(
    r"(?<!突破|达到|超过|增长|增加|提高|上升|下降|减少|发展|扩大|接近)(?<![达增超])了"
)
_NOT_AND = ("和谐", "和美", "和平", "与会", "及时")  # words that begin with a conjunction
_PARTICLES = frozenset("的等和与及以左多余")
# Prepositions of a recipient or an object right before a figure (全国总工会向800个书屋配送图书,
# 市总工会对8家参建单位进行了慰问): the thing named before them acts, it is not what the figure
# counts.
_TOWARDS = ("向", "给", "对")
# 是2003年的150%, 为上年同期的120%: a level against an earlier one.
_OF_AN_EARLIER_LEVEL = re.compile(
    r"(?:是|为|相当于)(?:(?:19|20)\d{2}\s*年(?:底|末)?|上年|去年|上一年|前一年)(?:同期)?的?$"
)
# A postal code: six digits after a place name or 邮编, with no unit.
_POSTCODE = re.compile(r"[0-8]\d{5}")
_POSTCODE_BEFORE = re.compile(r"(?:[省市县区镇乡旗]|邮编|邮政编码)[::]?\s*$")
# Verbs of money: a number without a unit after one (投资120万) is an amount, not a count.
_MONEY_VERB = re.compile(r"投资|投入|拨付|拨款|筹集|筹措|捐赠|捐款|资助|出资|划拨")
# Working groups a body forms (14个慰问小组, 5个工作专班): what the figure counts.
_GROUPS = (
    "小组|工作组|督导组|督查组|检查组|调研组|考察组|指导组|巡查组|考核组|评估组|专家组"
    "|慰问组|帮扶组|慰问团|慰问队|服务队|工作队|宣传队|突击队|宣讲团|专班"
)
_GROUP_NOUN = re.compile(rf"[\u4e00-\u9fff]{{0,6}}?(?:{_GROUPS})")
# ... and named right before a figure (村级工作组286个)
_GROUP_NOUN_BEFORE = re.compile(rf"(?:{_GROUPS})[\s共计有达]*$")
# Kinds of workers counted (4个重点群体工会会员数达79.9万人): the figure counts the kinds, and
# the members or unions that follow are theirs.
_KINDS_OF_WORKERS = re.compile(r"(?:重点|主要|特殊|新就业形态|新业态)?(?:劳动者|职工)?群体")
_STANDS = re.compile(r"截至|截止|目前")
# A clause that opens with a date things stand at, after a conjunction (但截至2015年底,).
_AS_OF_OPENING = re.compile(rf"\s*(?:但|而|但是|然而|同时|其中)?(?:{'|'.join(AS_OF)})")
_TASK_SHARE = re.compile(r"(?:任务|目标|计划)(?:数|量)?的$")
# Right before a figure: it points back to one given already (这5个工会, 该3家企业, 上述10家).
_DEMONSTRATIVE = re.compile(r"(?:这|该|此|上述|前述)$")
_JOINED_BY_NOW = re.compile(r"(?:人数|数|总数)(?:已经|已|现已)")
_RELATIVE_HAS = re.compile(r"的(?:共|已|已经)?有$")
_CLOSE_QUOTE = "”’」』"
_OPEN_QUOTE = {"”": "“", "’": "‘", "」": "「", "』": "『"}
_CLOSE_QUOTE_OF = {v: k for k, v in _OPEN_QUOTE.items()}


# Places counted (12个地区, 3个省份, 21个省): a bar or a rate after them is each one's.
_PLACES_COUNTED = re.compile(r"(?:地区|省份|省区市|省市|城市|地市|[省市县](?![级委直属总]))")
_BAR = ("超过", "不足", "多于", "少于", "低于", "高于", "不到")


def _each_place(s: _Sentence, i: int, cs: int) -> bool:
    """Whether figure ``i`` is a bar (超过10万个) that places counted before it in its clause
    (12个地区...) each clear, or a rate of each (21个省的覆盖率达到90%): a figure of each, not
    of them all."""
    q = s.quantities[i]
    if not (q.text.startswith(_BAR) or q.unit == "%"):
        return False
    return any(
        p.unit == "个" and cs <= p.start and _PLACES_COUNTED.match(s.text, p.end)
        for p in s.quantities[:i]
    )


def _quoted_unknown_at(s: _Sentence, at: int) -> bool:
    """Whether a quoted name no list knows opens at ``at`` (right after a noun group)."""
    close = _CLOSE_QUOTE_OF.get(s.text[at : at + 1])
    if close is None:
        return False
    end = s.text.find(close, at + 1, at + 14)
    return end > at + 1 and not any(w.thing for w in s.between(at + 1, end))


def _quoted_unknown(s: _Sentence, q: Quantity) -> bool:
    """``建成“图书角”50余个``: a figure right after a quoted name no list knows counts that name,
    not a thing named before it."""
    if q.start == 0 or s.text[q.start - 1] not in _CLOSE_QUOTE:
        return False
    close = q.start - 1
    open_at = s.text.rfind(_OPEN_QUOTE[s.text[close]], max(0, close - 12), close)
    return open_at >= 0 and not any(w.thing for w in s.between(open_at + 1, close))


def _sets_up_another(s: _Sentence, verb: Word, ce: int) -> bool:
    """Whether what ``verb`` (建立, 组建...) sets up is not the figure before it: a figure of its
    own follows the verb (16个区总工会已经建立了1000多家工会), or the first thing named after it
    within a few characters is no union (帮扶中心, 职工之家), or an unknown noun follows it."""
    at = verb.end + (1 if s.text.startswith("了", verb.end) else 0)
    k = bisect.bisect_left(s.qstarts, at)
    if k < len(s.quantities) and s.quantities[k].start < min(ce, at + 3):
        return True
    if at >= ce or not _CJK.match(s.text, at):
        return False
    named = next((w for w in s.between(at, min(ce, at + 10)) if w.thing), None)
    return named is None or _thing(named) != "union"


_AND = frozenset({"和", "及", "与", "以及"})
_LIST_ON = re.compile(r"\s*(?:以及|和|及|与|、)\s*")  # the next item of a list, before its figure


def _unnamed_predicate(s: _Sentence, lo: int, hi: int) -> bool:
    """Whether a noun group is followed by a predicate no list names (分别前往韩国旅游). The
    next item of a list is none (现有182个基层工会和62个联合会)."""
    more = _LIST_ON.match(s.text, lo, hi)
    if more is not None:
        k = bisect.bisect_left(s.qstarts, more.end())
        if k < len(s.qstarts) and s.qstarts[k] == more.end():
            # the predicate, if any, follows the last item (有895个工会和20个联合会实现了…)
            _, end = _noun_after(s, k, hi)
            return end < hi and _unnamed_predicate(s, end, hi)
    rest = s.text[lo:hi]
    named = sum(len(_CJK.findall(w.text)) for w in s.between(lo, hi) if not w.has("distributive"))
    return len(_CJK.findall(rest)) - named >= 2


def _compared_flow(s: _Sentence, cs: int, at: int) -> bool:
    """``新建工会组织较去年同期增加120家``: how much more of a flow than the year before, no count
    of its own. (Of a stock, 会员人数较上年增加1200人, the change is the flow.)"""
    if s.text[at - 1 : at] not in _COMPARED_LAST:
        return False  # the cheap test first: most figures follow no verb of change
    m = _COMPARED.search(s.text, max(cs, at - _COMPARED_SPAN), at)
    if m is None:
        return False
    lo = max(cs, m.start() - _COMPARED_SPAN)
    return any(w.measure in _NEW_KINDS for w in s.between(lo, m.start()))


_COMPARED_LAST = frozenset(w[-1] for w in _CHANGE_VERBS) | frozenset("增减多少了 ")
# Characters read before a figure for the comparison, and before that for the flow compared.
_COMPARED_SPAN = 24


def _is_change(s: _Sentence, q: Quantity, cs: int) -> bool:
    """``同比增长12%``, ``分别增长12%和9%``: a percentage by which something changed, not a level."""
    if q.unit != "%":
        return False
    # 工资增长5%—14%: the upper end of a range of changes is a change too
    before = _RANGE_START.sub("", s.text[max(cs, q.start - 16) : q.start])
    return bool(_CHANGE_BY.search(before[-8:]) or _CHANGE_AFTER.match(s.text, q.end))


def _noun_after(s: _Sentence, i: int, ce: int) -> tuple[Word | None, int]:
    """The head of the noun group right after figure ``i`` (its last thing word), and where the
    group ends. ``两个非公企业工会组织`` -> 工会组织; ``有较大影响的活动``: past the relative clause."""
    q = s.quantities[i]
    text = s.text
    if q.unit in _ITEM_COUNTERS and _KINDS_OF_WORKERS.match(text, q.end):
        return None, q.end  # 4个重点群体工会会员: kinds of workers, not unions
    pos = q.end
    limit = min(ce, q.end + _NP_WINDOW)
    head: Word | None = None
    group_end = q.end  # the end of the last word of the noun group that holds it together
    later = s.quantities[i + 1 : bisect.bisect_left(s.qstarts, limit)]
    for w in s.between(q.end, limit):
        if w.start < pos:
            continue
        blocker = next((o for o in later if pos <= o.start < w.start), None)
        if blocker is not None:
            if head is None and _is_threshold_text(text, blocker, ce):
                pos = blocker.end  # 30家藏书在4000册以上的书屋: skip the description
            else:
                break
        gap = text[pos : w.start]
        if head is None and gap.strip() in _AND:
            break  # 非公企业工会650个和工会联合会42个: the next item of a list, not the noun
        if _PUNCT.search(gap) or (head is not None and (len(gap) > _NP_GAP or "了" in gap)):
            break  # 235个地市总工会下发了…集体合同工作的文件: 了 follows a verb, no noun
        if head is not None and "的" in gap:
            break  # 9个省份的工会会员: the figure counts the provinces, whose members follow
        if gap and head is not None and head.start == q.end and _thing(head) == "aspect":
            break  # 六个方面汇报工会工作: the figure counts aspects, whatever words follow
        if _measure(w) or w.has("subgroup"):
            rel = text.find("的", w.end, min(limit, w.end + 8))
            if head is None and rel >= 0 and not _PUNCT.search(text, w.end, rel):
                pos = rel + 1  # a relative clause before the noun: 有较大影响的活动
                continue
            break
        if _thing(w):
            if head is None and len(gap) > _NP_FIRST_GAP:
                break
            if head is not None and w.start - group_end > _NP_GAP:
                break  # 10家企业代表到现场体验司机之家: a verb phrase, not one noun group
            head, pos, group_end = w, w.end, w.end
        else:
            pos = w.end
            if head is not None and w.has("modifier") and w.start - group_end <= _NP_GAP:
                group_end = w.end  # 12个街道新就业形态联合工会: a word that describes the next
    return head, (head.end if head is not None else q.end)


def _is_threshold_text(text: str, q: Quantity, ce: int) -> bool:
    return text.startswith("的", q.end) or q.text.endswith(("以上", "以下"))


def _threshold(s: _Sentence, q: Quantity, head: Word | None, ce: int) -> bool:
    """``25人以上企业``, ``1000册以上的书屋``: a size that describes the noun after it, not a
    count. ``70%以上的建会率`` is the rate itself."""
    text = s.text
    after_de = text.startswith("的", q.end)
    if head is not None and _is_rate(head) and q.unit == "%":
        return False
    if after_de:
        return head is not None and q.unit != "%"
    return (
        head is not None
        and q.text.endswith(("以上", "以下"))
        and head.start - q.end <= 1
        and q.unit != "%"
    )


def _predicate_end(s: _Sentence, i: int, np_end: int, ce: int) -> int:
    """Where the predicate after a figure's noun group ends: the clause end, or the next figure
    that is not coordinated with this one (1810名司机、3941名快递员加入工会: one predicate)."""
    prev_end = max(np_end, s.quantities[i].end)
    for other in s.quantities[i + 1 : i + 1 + _COORDINATED]:
        if other.start >= ce:
            break
        if other.end <= np_end:
            continue  # 630家25人以上单位新成立工会: a size inside the noun group
        if not _COORDINATOR.search(s.text[max(prev_end, other.start - 3) : other.start]):
            return other.start
        prev_end = other.end
    return ce


def _clause_is_bare(s: _Sentence, q: Quantity, cs: int, ce: int) -> bool:
    """A clause that names nothing but the figure (争取11家, 总数达到7.1万家以上, 区域性78家);
    ``cs`` may be the end of a figure before it in the clause (由85%提高到92%)."""
    words = s.between(cs, q.start)
    if any(_thing(w) for w in words):
        return False
    rest = _BOUND_WORDS.sub("", s.text[q.end : ce].strip(" 。!?"))
    if _CJK.search(rest):
        return False
    unknown = len(_CJK.findall(s.text, cs, q.start)) - sum(len(_CJK.findall(w.text)) for w in words)
    # 提高到2020年底的92%: the year of the figure names nothing either
    unknown -= sum(len(m.group(1)) for m in _YEAR_OF.finditer(s.text, cs, q.start))
    unknown -= sum(len(m.group()) for m in _NOW_OF.finditer(s.text, cs, q.start))  # 现在的81%
    return unknown <= _BARE_UNKNOWN


def _derive(
    s: _Sentence, w: Word, clause: tuple[int, int], sentence_end: int, iset: IndicatorSet
) -> str | None:
    """The thing ``w`` counts, made specific by the topic word nearest it when it is generic."""
    thing = _thing(w)
    best: tuple[int, str] | None = None
    for d, topic in iset.derivations_of(thing):
        lo, hi = clause if d.within == "clause" else (0, sentence_end)
        for t in s.between(max(lo, w.start - 120), min(hi, w.end + 60)):
            if t is not w and topic in t.classes:
                if d.within == "clause" and _verb_between(s, t, w):
                    continue  # 组建的联合会覆盖企业350家: 组建 is not said of the enterprises
                dist = abs(t.start - w.start)
                if best is None or dist < best[0]:
                    best = (dist, d.becomes)
    return best[1] if best else thing


def _verb_between(s: _Sentence, a: Word, b: Word) -> bool:
    """Whether a verb of another kind stands between words ``a`` and ``b`` (覆盖 between 组建 and
    企业; not 新增, which says the same as 建会 in 单独建会新增企业2家)."""
    lo, hi = (a.end, b.start) if a.start < b.start else (b.end, a.start)
    return any(x.measure not in (None, *_NEW_KINDS) for x in s.between(lo, hi))


def _resolve_measure(
    s: _Sentence, w: Word | None, cs: int, existential: bool = False
) -> str | None:
    """The measure of a measure word. A setting-up or joining verb becomes ``new`` when a flow
    word (今年, 以来) comes before it in its clause or in a short clause before it that holds
    only such words (``今年以来,``), else ``stock`` when a state word does (目前, 已, 均), else
    ``new``."""
    if w is None:
        return None
    measure = w.measure
    if (
        measure == "new"
        and w.text == "发展"
        and s.text[max(0, w.start - 2) : w.start].endswith("已")
        and not s.text.startswith("新", w.end)
        and _STANDS.search(s.text, max(0, cs - _OPENING), w.start)
    ):
        measure = "setup"  # 目前全省已发展基层工会46591个: how far it has come, as 已建立 would say
    already = measure == "stock" and w.text in _ALREADY_SET_UP
    if measure not in ("setup", "join") and not already:
        return measure
    if s.text[w.start - 1 : w.start] == "新":
        return "new"  # 新组建工会组织251家 (新 + 组建工会组织): new, whatever stands before it
    words = s.between(max(cs, w.start - _LEFT), w.start)
    k = bisect.bisect_left(s.breaks, cs)  # the breaks before the clause, the last few of them
    since = False
    for j in range(max(0, k - _OPENINGS), k):
        lo, hi = (s.breaks[j - 1] + 1 if j else 0), s.breaks[j]
        scene = j == k - 1 and s.text[lo:hi].rstrip().endswith("中")
        as_of = _AS_OF_OPENING.match(s.text, lo)
        if hi < cs and _SINCE_OPENING.fullmatch(s.text, lo, hi):
            since = True  # 自去年11月以来, 2022年4月至今,: a flow from a date, however long
            continue
        if hi < cs and (hi - lo <= _OPENING or as_of or scene):
            # 目前, 今年以来, (但)截至2013年12月底,; 全市现有2034个非公企业中, (the scene it is in)
            # 截至今年6月底,: a day things stand at, however its year is written
            words += [m for m in s.between(lo, hi) if not (as_of and m.has("flow"))]
    if k > _OPENINGS and s.breaks[0] <= _OPENING:  # the sentence's own opening: 目前,
        words += s.between(0, s.breaks[0])
    if measure == "setup" and any(cs <= m.start and m.text in _HAVE for m in words):
        following = s.between(w.end, w.end + 8)
        if following and following[0].start == w.end and following[0].thing:
            return "stock"  # 近年来…现有单建企业工会247家: a kind of union there is, named by 建
    state = [
        m
        for m in words
        if m.has("state")
        and not (existential and _bare_has(s, m, cs))
        and not _CAUSE.search(s.text, m.end, w.start)
        and not (m.text == "有" and _WILL.search(s.text, max(0, m.start - 1), m.start))
    ]
    # The figure's own clause first: 今年以来,…,目前全县已建立工会组织86个 says how things stand
    # now, whatever the opening clause's period; 今年已建立86个 what was done in it.
    if not any(m.has("flow") and cs <= m.start for m in words) and any(
        cs <= m.start and m.text in _NOW for m in state
    ):
        return "stock"
    if since or any(m.has("flow") for m in words):
        return "new"
    if already:
        return "stock"  # 已建立…工会86个 with no period it was done in: how things stand
    if measure == "join" and _PART_OF_THOSE_THERE_ARE.match(s.text, cs) and cs > 0:
        lo, _ = s.clause_of(cs - 1)
        if any(m.text in _HAVE for m in s.between(lo, cs - 1)):
            return "stock"  # 全市共有农民工120万人,其中入会96万人: those of them in the union
    if _JOINED_BY_NOW.match(s.text, w.end):
        return "stock"  # 加入工会人数已达97万余人: the number of those who have joined by now
    return "stock" if state else "new"


# 还将有1000名司机加入工会: those to come, not those there are.
_WILL = re.compile(r"[将会要]$")


# A verb of bringing people or bodies to do something: after 已, the doing is an event
# (已推动210名货车司机加入工会: 210 joined), not a state.
_CAUSE = re.compile(r"推动|动员|召集|吸引|带动|引导|发动|促成|促使")


_HAVE = frozenset(("现有", "共有", "拥有"))
# State words that say "now" (not 已, which a period's work takes too: 今年以来,全市已建立…).
_NOW = frozenset(("目前", "现已", "截至目前", "截止目前", "截至当前", "截止到目前", "截至目前为止"))
# Stock words that are a setting-up verb after 已: after a flow word (今年以来,已建立…86个), what
# was set up in the period.
_ALREADY_SET_UP = frozenset(("已建", "已建立", "已成立", "已组建"))
_PART_OF_THOSE_THERE_ARE = re.compile(r"\s*其中")


def _bare_has(s: _Sentence, m: Word, cs: int) -> bool:
    """有 opening its clause (有近5000名职工加入工会组织), not 仅有, 尚有, 还有 (how many there are)."""
    return m.text == "有" and (m.start <= cs or s.text[m.start - 1] in ",;: ")


# --------------------------------------------------------------------------- choosing


#: Topics that rule an indicator out only from the figure's clause or the one before it: 获,
#: 获得 are everyday verbs too (保障职工获得…权), unlike 审计 or 宣讲, whose whole sentence is
#: about what they name.
_NEAR_VETOES = frozenset({"award"})
#: Topics that rule an indicator out only from the figure's own stretch of its clause: 劳动合同
#: (a worker's contract) beside 集体合同 in one sentence (新签劳动合同11.5万份,新签集体合同1550份);
#: a star rating beside new unions (新建工会20家,创建五星级工会4家).
_OWN_VETOES = frozenset({"labour_contract", "rating"})


_SCOPED_VETOES = _NEAR_VETOES | _OWN_VETOES


def _vetoing(f: Frame) -> frozenset[str]:
    if f.near is None or f.own is None:
        return f.topics
    wide = f.topics - _SCOPED_VETOES
    return wide | (f.near & _NEAR_VETOES) | (f.own & _OWN_VETOES)


def _accepts(rule: Rule, f: Frame) -> bool:
    if rule.counts is not None and (f.thing or NONE) not in rule.counts:
        return False
    if rule.measures is not None and (f.measure or NONE) not in rule.measures:
        return False
    if rule.context and not rule.context & f.topics:
        return False
    return not (
        rule.veto & _vetoing(f)
        or (f.measure is not None and f.measure in rule.veto)
        or (f.restricted and RESTRICTED in rule.veto)
    )


def _choose(f: Frame, iset: IndicatorSet) -> Frame:
    """The first indicator (in file order) one of whose rules accepts the frame."""
    for ind in iset.for_unit(f.unit):
        for rule in ind.rules:
            if _accepts(rule, f):
                f.indicator = ind
                return f
    f.indicator = None
    return f


def _subgroup(s: _Sentence, f: Frame, prev: Frame | None, iset: IndicatorSet) -> Frame:
    """A ``其中`` figure is part of the figure before it: it keeps the parent's indicator unless
    it names one of the same theme itself (会员2.1万人,其中新入会3000人: new members)."""
    cs, _ = f.clause
    head = s.text[cs : cs + 4].lstrip()
    if not head.startswith("其中") or prev is None or prev.indicator is None:
        return f
    whole = prev.parent or prev  # 其中A…,其中B…: both parts of the figure before the first
    parent = whole.indicator
    if f.measure is None and whole.measure is not None:  # 新发展会员8000人,其中农民工1500人
        inherited = _choose(replace(f, measure=whole.measure), iset)
        if inherited.indicator is not None:
            f = inherited
    if (
        f.indicator is not None and f.indicator.theme == parent.theme
    ) or f.unit not in parent.units:
        f.parent = whole
        return f
    return replace(
        f, indicator=parent, thing=whole.thing, measure=f.measure or whole.measure, parent=whole
    )


# --------------------------------------------------------------------------- 分别, 均


def _distributed(s: _Sentence, iset: IndicatorSet) -> dict[int, list[Frame]]:
    """Frames for figures after 分别/均 that belong to several nouns before it."""
    out: dict[int, list[Frame]] = {}
    for d in (w for w in s.words if w.has("distributive")):
        cs, ce = s.clause_of(d.start)
        first, last = bisect.bisect_left(s.qstarts, d.end), bisect.bisect_left(s.qstarts, ce)
        figs = list(range(first, min(last, first + _COORDINATED)))
        if not figs or bisect.bisect_left(s.qstarts, cs) < bisect.bisect_left(s.qstarts, d.start):
            continue  # figures before 分别 too: not nouns paired with figures
        cs = max(cs, d.start - _LEFT)
        inside = s.between(cs, d.start)
        segments = []
        pos = cs
        for m in _COORDINATOR.finditer(s.text, cs, d.start):
            if any(w.start < m.start() < w.end for w in inside):
                continue  # inside a word
            segments.append((pos, m.start()))
            pos = m.end()
        segments.append((pos, d.start))
        heads = []
        for lo, hi in segments:
            ws = s.between(lo, hi)
            thing_w = next((w for w in reversed(ws) if _thing(w)), None)
            if thing_w is not None:
                measure_w = next((w for w in reversed(ws) if _measure(w)), None)
                heads.append((thing_w, measure_w))
        if len(heads) < 2 or len(figs) not in (1, len(heads)):
            continue
        pairs = (
            [(figs[0], h) for h in heads] if len(figs) == 1 else list(zip(figs, heads, strict=True))
        )
        for i, (thing_w, measure_w) in pairs:
            q = s.quantities[i]
            if not q.unit or _is_change(s, s.quantities[figs[0]], cs):
                continue
            measure_w = measure_w or next(
                (w for w in reversed(s.between(max(cs, q.start - _LEFT), q.start)) if _measure(w)),
                None,
            )
            thing = _derive(s, thing_w, (cs, ce), ce, iset)
            measure = _resolve_measure(s, measure_w, cs)
            frame = Frame(
                q,
                q.unit,
                thing,
                measure,
                s.topics(ce),
                False,
                (cs, ce),
                near=s.near_topics(cs, max(cs, q.start - _NEAR), min(ce, q.end + _NEAR)),
                own=s.topics_between(max(cs, q.start - _LEFT), min(ce, q.end + _RIGHT)),
            )
            out.setdefault(i, []).append(frame)
    return out
