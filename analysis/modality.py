"""Actual or target: does a sentence report a result or state a plan?

Cues are data (``data/modality.yaml``). A cue counts for a figure only when it comes before the
figure in its sentence: "确保..." at the end of a sentence of results does not turn them into goals.
:func:`clause_modality` reads the figure's own clause first (a target cue there wins: 保证完成8家
is a target), then the clauses before it, nearest first (the last cue of a clause decides), and
only then falls back on the document's kind. An achievement verb takes the goal it met as its
object (完成全年目标任务: a result), and is part of a goal stated before it in its clause
(力争在活动中完成组建300家: a target).

>>> modality("力争受训人数超3万人", 9, "review")
'target'
>>> modality("三年来新建基层工会88家", 9, "plan")
'actual'
>>> modality("将工会工作向村(社区)延伸拓展,全市139个乡镇均建立工会组织", 19, "review")
'actual'
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

import yaml

from .errors import DataFileError
from .paths import data_file, parse_yaml

ACTUAL, TARGET = "actual", "target"


@cache
def _cues() -> tuple[re.Pattern, re.Pattern]:
    path = data_file("modality.yaml")
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
        return re.compile("|".join(raw["target"])), re.compile("|".join(raw["result"]))
    except (OSError, KeyError, TypeError, re.error, yaml.YAMLError) as e:
        raise DataFileError(
            f"{path}: cannot read the modality cues ({e}); fix or restore the file"
        ) from e


def target_cue(text: str) -> re.Match | None:
    """The first plan/goal cue in ``text``, if any."""
    return _cues()[0].search(text)


def result_cue(text: str) -> re.Match | None:
    """The first achieved-result cue in ``text``, if any."""
    return _cues()[1].search(text)


# Achievement verbs: they take a goal as their object (完成全年目标任务: the goal was met) and,
# after a goal word, are part of the goal (力争在活动中完成组建300家).
_ACHIEVE = re.compile(r"完成|实现|取得|达成")
_GOAL_NOUN = ("目标", "计划", "任务")
_GOAL_REACH = 24  # characters before a clause that a goal stated there reaches into (累计…)
_OBJECT_GAP = 12  # characters between an achievement verb and the goal it met


_SCENE = re.compile(r"\s*在[^,;:]{2,30}(?:中|里|内)\s*$")
# Before 将: a thing just named (这将, 此举将, 这也将): a forecast about it, not a plan.
_FORECAST = re.compile(r"(?:这|此|此举|这也|此举也)$")


# 将 taking an object before a verb of placing (推动企业将女职工特殊权益,特别是…等纳入协商内容):
# a disposal, also when its object runs past a comma, which the cue itself cannot see past.
_DISPOSAL_VERB = re.compile(r"(?!把)[^。;:!?]{1,45}?(?:纳入|列入|融入)")


def _disposal(text: str, m: re.Match) -> bool:
    if m.group() != "将":
        return False
    verb = _DISPOSAL_VERB.match(text, m.end())
    # 将新建工会30家,并纳入考核: a figure before the verb is what 将 plans
    return verb is not None and not any(c.isdigit() for c in verb.group())


def _clause_cues(text: str, lo: int, hi: int) -> list[tuple[int, str]]:
    """The cues of the clause ``text[lo:hi]`` that say something, as (offset, kind), in order: a
    goal noun that an achievement verb takes as its object (完成全年目标任务) is no target cue,
    and an achievement verb after a target cue (力争...完成) no result cue."""
    target, result = _cues()
    ts = [m for m in target.finditer(text, lo, hi) if not _disposal(text, m)]
    rs = list(result.finditer(text, lo, hi))
    if rs and rs[0].group() == "累计" and target.search(text, max(0, lo - _GOAL_REACH), lo):
        rs = rs[1:]  # 力争到2022年底,全省累计建立7000个以上: the total aimed at
    if not ts or not rs:
        return sorted([(m.start(), TARGET) for m in ts] + [(m.start(), ACTUAL) for m in rs])
    achieved = [m for m in rs if _ACHIEVE.search(m.group())]
    met = {
        t.start()
        for t in ts
        if t.group().startswith(_GOAL_NOUN)
        and any(0 <= t.start() - a.end() <= _OBJECT_GAP for a in achieved)
    }
    goals = [t.start() for t in ts if t.start() not in met]
    out = [(at, TARGET) for at in goals]
    for m in rs:
        after_goal = goals and goals[0] < m.start()
        if after_goal and m.group() == "累计":
            continue  # 全省要累计建立…7000个以上: the total aimed at
        if not (after_goal and _ACHIEVE.search(m.group())):
            out.append((m.start(), ACTUAL))
    return sorted(out)


def clause_modality(
    text: str, clauses: list[tuple[int, int]], k: int, at: int, doc_kind: str
) -> str:
    """``actual`` or ``target`` for a figure at ``at`` in clause ``k`` of ``text``.

    ``clauses`` are the (start, end) spans of the clauses of the sentence; ``text`` may have the
    words of nouns masked, so that 已 in 已建工会企业 (enterprises with a union) is no result cue.

    >>> t = "全年保证组建7家外企,争取11家,保证完成内企工会组建8家,总发展会员1500人以上"
    >>> cl = [(0, 10), (11, 16), (17, 30), (31, 43)]
    >>> [clause_modality(t, cl, k, at, "plan") for k, at in ((0, 6), (1, 13), (2, 28), (3, 37))]
    ['target', 'target', 'target', 'target']
    >>> clause_modality("2023年,新建工会30家,下一步力争新建20家", [(0, 5), (6, 13), (14, 25)], 1, 10, "review")
    'actual'
    """
    return ClauseModality(text, clauses, doc_kind).of(k, at)


class ClauseModality:
    """:func:`clause_modality` for every figure of one sentence, its cues found once.

    >>> t = "全年保证组建7家外企,争取11家,新建工会20家"
    >>> m = ClauseModality(t, [(0, 10), (11, 16), (17, 25)], "review")
    >>> [m.of(0, 6), m.of(1, 13), m.of(2, 21)]
    ['target', 'target', 'target']
    >>> t = "今年超额完成全年目标任务,新建工会30家"
    >>> ClauseModality(t, [(0, 12), (13, 20)], "review").of(1, 17)
    'actual'
    """

    def __init__(self, text: str, clauses: list[tuple[int, int]], doc_kind: str) -> None:
        self.clauses = clauses
        self.default = TARGET if doc_kind == "plan" else ACTUAL
        # Per clause: the offsets of its first target and first result cue, and what the last
        # cue of the clause says.
        self.first_target: list[int | None] = []
        self.first_result: list[int | None] = []
        self.said: list[str | None] = []
        for lo, hi in clauses:
            # 在已建立工会的单位中: a scene, whose verbs are no cues of the figures after it
            cues = [] if _SCENE.match(text, lo, hi) else _clause_cues(text, lo, hi)
            if self.said and next((x for x in reversed(self.said) if x), None) == TARGET:
                # 力争…累计建立7000个以上,累计发展会员达到100万人以上: totals aimed at, each
                cues = [(at, kind) for at, kind in cues if not text.startswith("累计", at)]
            self.first_target.append(next((at for at, kind in cues if kind == TARGET), None))
            self.first_result.append(next((at for at, kind in cues if kind == ACTUAL), None))
            # 这将成为…的重要场所: what a thing just done will be, said of it alone; the clauses
            # after it are not planned by it
            said = [kind for at, kind in cues if not _FORECAST.search(text, max(lo, at - 2), at)]
            self.said.append(said[-1] if said else None)
        # What the clauses before each clause say, nearest first.
        self.before: list[str | None] = []
        running: str | None = None
        for said in self.said:
            self.before.append(running)
            running = said or running

    def of(self, k: int, at: int) -> str:
        t, r = self.first_target[k], self.first_result[k]
        if t is not None and t < at:
            return TARGET
        if r is not None and r < at:
            return ACTUAL
        return self.before[k] or self.default

    def cued(self, k: int, at: int) -> bool:
        """Whether a cue decides :meth:`of` (not the document's kind alone)."""
        t, r = self.first_target[k], self.first_result[k]
        return (
            (t is not None and t < at) or (r is not None and r < at) or self.before[k] is not None
        )


def modality(sentence: str, at: int, doc_kind: str) -> str:
    """``actual`` or ``target`` for a figure at offset ``at`` of ``sentence``.

    ``doc_kind`` is the document's kind: in a ``plan`` every figure is a target unless its
    sentence reports a result; in a ``review`` or ``mixed`` document a figure is actual unless its
    sentence states a plan before it.
    """
    before = sentence[:at]
    if doc_kind == "plan":
        return ACTUAL if result_cue(before) else TARGET
    return TARGET if target_cue(before) else ACTUAL


# A deadline: 2024年底, 2025年前, 到2026年 (not 截至2024年底, which says how things stand). 到2006年
# in a history is no deadline: only one still ahead at publication makes a target.
_DEADLINE = re.compile(
    r"(?<!截至)(?<!截止)(?<!至)(?:到|于)?((?:19|20)\d{2})年(?:底|末|前|年底)|到((?:19|20)\d{2})年"
)
_MARGIN = timedelta(days=60)


# A figure that a goal's noun follows (…达90%的工作目标, …10300万人以上的目标).
_GOAL_AFTER = re.compile(r"(?:以上|左右)?的(?:工作|奋斗|年度|总体|既定)?目标")


def goal_after(text: str, cs: int, start: int, end: int, ce: int) -> bool:
    """Whether the figure at ``text[start:end]``, in the clause ``[cs, ce)``, is part of a goal
    named after it (制定了签订率达90%的工作目标) that the clause does not say was met before
    the figure (完成了新建工会100家的目标任务 is done).

    >>> goal_after("制定了签订率达90%的工作目标", 0, 7, 10, 16)
    True
    """
    return bool(_GOAL_AFTER.match(text, end, ce)) and not _ACHIEVE.search(text, cs, start)


def future_deadline(text: str, published: date | None) -> bool:
    """Whether ``text`` sets a deadline that lay months ahead when the document was published
    (a figure due by then is a target even where no word says so).

    >>> future_deadline("2024年底全省新发展货车司机会员4万人以上", date(2024, 6, 3))
    True
    >>> future_deadline("截至2024年底,全省会员达56万人", date(2024, 6, 3))
    False
    """
    if published is None:
        return False
    for m in _DEADLINE.finditer(text):
        if date(int(m.group(1) or m.group(2)), 12, 31) > published + _MARGIN:
            return True
    for m in _PLAN_DEADLINE.finditer(text):  # 到“十四五”末: the plan's last year
        if "截" in text[max(0, m.start() - 2) : m.start() + 1]:
            continue  # 截至“十四五”末: how things stood
        n = "一二三四五六".index(m.group(1) or m.group(2))
        if date(2010 + 5 * n, 12, 31) > published + _MARGIN:
            return True
    return False


# The end of a five-year plan (“十四五”末, 到“十五五”), from the 11th (2006-2010) on.
_PLAN_DEADLINE = re.compile(
    r"(?:到|至)?[“\"]?十([一二三四五六])五[”\"]?(?:期末|末)|到[“\"]?十([一二三四五六])五"
)
