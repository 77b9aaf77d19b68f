"""Reporting periods: the span of time a document or a figure covers.

Explicit periods are read as written (``2022至2024年``, ``2024年上半年``, ``2015年``); relative ones
(``三年来``, ``今年以来``, ``今后五年``, ``截至目前``) are resolved against a reference date and,
where there is one, the document's own period.

>>> explicit_period("2022至2024年,是景洪市总工会砥砺奋进的三年").label
'2022至2024年'
>>> p = relative_period("今后五年,抚顺工会继续", date(2020, 10, 23))
>>> (p.start.isoformat(), p.end.isoformat())
('2021-01-01', '2025-12-31')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .numerals import CN_CHARS, parse_number

#: Years outside these are no years of a report (10000年以来 is a slip, not a date).
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    @property
    def years(self) -> float:
        """Length in years (a calendar year is 1.0)."""
        return round(((self.end - self.start).days + 1) / 365.25, 2)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def year_period(year: int, label: str | None = None) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), label or f"{year}年")


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


_NUM = rf"(?:\d+|[{CN_CHARS}]+)"
_YEAR = r"(?<!\d)((?:19|20)\d{2})(?!\d)"
_EXPLICIT = re.compile(
    # 2022至2024年; 2015-2017三年内
    rf"{_YEAR}\s*年?\s*(?:至|到|-|—|–|~)\s*((?:19|20)\d{{2}})(?:\s*年(?:度)?|(?=[一二三四五六七八九十两\d]年))"
    rf"|{_YEAR}\s*年\s*(上半年|下半年|前三季度|第?([一二三四1-4])季度|(\d{{1,2}})\s*[-至到—~]\s*(\d{{1,2}})\s*月)"
    # 2015年; not 2015年3月 (a date), nor a start (2015年以来, 自2004年成立帮扶中心以来,
    # 从2003年开始至今), nor a year compared with (与2003年相比, 比2013年), counted by
    # (按2004年经济普查), a multiple's base (是2010年的2倍) or of a founding (成立于2010年,
    # 于2003年成立): none is the period of the figures after it
    rf"|(?!(?<=[自从])\d{{4}}\s*年(?:[^,。;:]{{0,24}}(?:以来|至今)|[^。;:]{{0,40}}?到(?:如今|现在|目前)))"
    rf"(?<![与较比同按])(?<!立于)(?<!建于)(?<!牌于)"
    rf"(?!(?<=于)\d{{4}}\s*年(?:\d{{1,2}}月)?(?:成立|建立|组建|创建|挂牌))"  # 于2003年成立了…联合会
    rf"{_YEAR}\s*年(?![\d{CN_CHARS}]*月|\d|以来|来)"
    # 是2010年增长率的1.66倍: the year a figure is a multiple of, not the figure's
    rf"(?![^,。;:]{{0,8}}的\s*[\d.{CN_CHARS}]+\s*倍)"
)


def explicit_period(text: str, title: bool = False) -> Period | None:
    """The first period written with years in ``text``, or a five-year plan's (“十四五”期间):
    not one in the name of a paper (《…“十四五”规划》) unless ``text`` is a title."""
    m = _EXPLICIT.search(text)
    if m:
        return _explicit(m)  # “十四五”时期2022年工作要点: the year's
    plan = next(
        (p for p in _FIVE_YEAR_PLAN.finditer(text) if title or not _in_title(text, p.start())),
        None,
    )
    return five_year_plan(plan, None) if plan else None


def _explicit(m: re.Match) -> Period | None:
    label = m.group(0).strip()
    if m.group(1):
        y1, y2 = int(m.group(1)), int(m.group(2))
        if y2 < y1:
            return None
        return Period(date(y1, 1, 1), date(y2, 12, 31), label)
    if m.group(3):
        y, part = int(m.group(3)), m.group(4)
        if part == "上半年":
            return Period(date(y, 1, 1), date(y, 6, 30), label)
        if part == "下半年":
            return Period(date(y, 7, 1), date(y, 12, 31), label)
        if part == "前三季度":
            return Period(date(y, 1, 1), date(y, 9, 30), label)
        if m.group(5):
            q = int(parse_number(m.group(5)) or 0)
            if not 1 <= q <= 4:
                return None
            return Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), label)
        m1, m2 = int(m.group(6)), int(m.group(7))
        if not 1 <= m1 <= m2 <= 12:
            return None
        return Period(date(y, m1, 1), _month_end(y, m2), label)
    return year_period(int(m.group(8)), label)


#: Words before a date things stand at (截至2020年, 截止目前).
AS_OF = ("截至", "截止")
_MONTH = "[一二两三四五六七八九十]{1,3}"
_RELATIVE = re.compile(
    # 去年11月以来, 2023年11月以来, 今年3月份以来: since the start of a month, until now
    rf"(?P<sincem>(?:(?P<sy>(?:19|20)\d{{2}})\s*年\s*|(?P<srel>今年|去年|上年))?"
    rf"(?<![\d.])(?P<sm>\d{{1,2}}|{_MONTH})\s*月份?(?:\s*\d{{1,2}}\s*日)?\s*(?:以来|至今))"
    rf"|(?P<since>(?:近|这|过去)?(?P<n1>{_NUM})年(?:来|以来)|连续(?P<n3>{_NUM})年"
    r"|(?P<n7>[一二三四五六七八九十两]|\d{1,2})年累计)"  # 三年累计建会2008家: the three years
    rf"|(?P<ahead>(?:今后|未来)(?P<n2>{_NUM})年)"
    r"|(?P<ytd>今年以来|今年来|年初以来)"
    # 与2003年相比, 比2013年: the years after the one compared with, until now
    r"|(?:(?:与|同|和)\s*(?P<n4>(?:19|20)\d{2})\s*年(?:底|末)?\s*(?:相比|比较)"
    r"|(?<![\d年])(?:较|比)\s*(?P<n5>(?:19|20)\d{2})\s*年(?:底|末)?(?!\s*\d|[\d一二三四五六七八九十]+月))"
    rf"|(?:较|比|与|同)\s*(?P<n6>{_NUM})年前"  # 比五年前新增工会1100家: the five years to now
    # 今年1-9月, 1至6月份, 今年前9个月, 前三季度, 一季度: months of the year reported on
    rf"|(?:今年|本年度?)?(?:(?<![\d.])(?P<m1>\d{{1,2}}|{_MONTH})\s*(?:-|至|到|—|–|~)\s*(?P<m2>\d{{1,2}}|{_MONTH})\s*月份?"
    rf"|(?<![提此之以])前(?P<mn>\d{{1,2}}|{_MONTH})个?月|(?P<q3>前三季度)|第?(?P<qn>[一二三四1-4])季度)"
    r"|(?P<h1>(?:今年)?上半年)"
    r"|(?P<h2>(?:今年)?下半年)"
    r"|(?P<asof>(?:截至|截止)(?:到)?(?:目前|当前|今年底|今年年底|去年底|年底|年末|\s*(?:\d{4}\s*年\s*|今年|本年)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:底|末|初|上旬|中旬|下旬)?)?)"
    r"|(?P<compared>(?:与|同|和|较|比)(?:去年|上年度?)(?:同期)?)"  # 比去年: no period of a figure
    r"|(?P<lastend>(?:去年|上年度?)年?(?:底|末))"  # 去年年底, 去年底: the end of the year before
    r"|(?P<last>去年|上年度?)"
    r"|(?P<next>明年)"
    r"|(?P<yearend>年底|年末)"
    r"|(?P<year>全年|今年|本年度?|当年|(?<![\d一二三四五六七八九十两几数半])年内)"  # not 三年内
)


def _since_month(m: re.Match, base: int | None, now: date | None, label: str) -> Period | None:
    """去年11月以来: from the first of that month to ``now``; a month without a year is of the
    year reported on, or of the year before if it has not begun by ``now``."""
    month = parse_number(m.group("sm"))
    if now is None or not month or not 1 <= month <= 12:
        return None
    if m.group("sy"):
        year = int(m.group("sy"))
    elif base is None:
        return None
    elif m.group("srel") in ("去年", "上年"):
        year = base - 1
    else:
        year = base
    start = date(year, int(month), 1)
    if start > now and not m.group("sy") and not m.group("srel"):
        start = date(year - 1, int(month), 1)  # 11月以来 in a news item of March
    return Period(start, now, label) if start <= now else None


def relative_period(
    text: str, ref: date | None, within: Period | None = None, base_year: int | None = None
) -> Period | None:
    """The first relative period in ``text``.

    ``ref`` is the publication date, ``within`` the document's own period: 今年, 全年, 上半年,
    去年, 明年, 年底 and 截至年底 count from the year the document reports on (a review of 2019
    published in January 2020 says 今年 of 2019), and 今年以来, 截至目前 end at the publication
    or, if it came later, at the end of that period. Without ``within``, the publication's year.

    >>> review = year_period(2019)
    >>> [relative_period(w, date(2020, 1, 8), review).end.isoformat() for w in ("全年", "截至年底", "今年以来", "去年")]
    ['2019-12-31', '2019-12-31', '2019-12-31', '2018-12-31']
    """
    m = _RELATIVE.search(text)
    if not m:
        return None
    label = m.group(0)
    base = base_year or (within.end.year if within else (ref.year if ref else None))
    now = min(ref, within.end) if ref and within else (ref or (within.end if within else None))
    if m.group("sincem"):
        return _since_month(m, base, now, label)
    if m.group("since"):
        n = parse_number(m.group("n1") or m.group("n3") or m.group("n7"))  # 三年来, 连续26年
        if n and n >= 1900 and m.group("n1") and now:  # 2022年以来: since a year, until now
            if n > now.year or n > MAX_YEAR:
                return None
            return Period(date(int(n), 1, 1), now, label)
        if n and n > 50:
            return None  # 10000年以来: no period
        if not n or base is None or n > 50:
            return None
        end = within.end if within else date(base, 12, 31)
        return Period(date(base - int(n) + 1, 1, 1), end, label)
    if m.group("compared"):
        return None
    if m.group("n6"):
        n = parse_number(m.group("n6"))
        if not n or n > 50 or now is None:
            return None
        return Period(date(now.year - int(n) + 1, 1, 1), now, label)
    compared = m.group("n4") or m.group("n5")
    if compared:
        year = int(compared)
        if now is None or year >= now.year or year < MIN_YEAR:
            return None
        return Period(date(year + 1, 1, 1), now, label)
    if m.group("ahead"):
        n = parse_number(m.group("n2"))
        if not n or ref is None or n > 50:
            return None
        return Period(date(ref.year + 1, 1, 1), date(ref.year + int(n), 12, 31), label)
    if m.group("asof") is not None and _ASOF_DATE.search(label):  # 截至2008年9月底: no base
        day = _asof_day(label, now, base or 0)
        return Period(day, day, label) if day else None
    if base is None:
        return None
    if m.group("ytd"):
        return Period(date(base, 1, 1), max(now, date(base, 1, 1)), label)
    if m.group("m1") or m.group("mn") or m.group("q3") or m.group("qn"):
        return _months(m, base, label)
    if m.group("h1"):
        return Period(date(base, 1, 1), date(base, 6, 30), label)
    if m.group("h2"):
        return Period(date(base, 7, 1), date(base, 12, 31), label)
    if m.group("lastend"):
        return Period(date(base - 1, 12, 31), date(base - 1, 12, 31), label)
    if m.group("last"):
        return year_period(base - 1, label)
    if m.group("next"):
        return year_period(base + 1, label)
    if m.group("asof") is not None:
        day = _asof_day(label, now, base)
        return Period(day, day, label) if day else None
    if m.group("yearend"):
        return Period(date(base, 12, 31), date(base, 12, 31), label)
    return year_period(base, label)


def _months(m: re.Match, base: int, label: str) -> Period | None:
    """今年1-9月, 前9个月, 前三季度, 二季度: those months of year ``base``."""
    if m.group("q3"):
        first, last = 1, 9
    elif m.group("qn"):
        q = int(parse_number(m.group("qn")) or 0)
        first, last = 3 * q - 2, 3 * q
    elif m.group("mn"):
        first, last = 1, int(parse_number(m.group("mn")) or 0)
    else:
        first, last = int(parse_number(m.group("m1")) or 0), int(parse_number(m.group("m2")) or 0)
    if not 1 <= first <= last <= 12:
        return None
    return Period(date(base, first, 1), _month_end(base, last), label)


_ASOF_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?(初|上旬|中旬)?")
_ASOF_MONTH = re.compile(r"(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?(初|上旬|中旬)?")
_PART_DAY = {"初": 10, "上旬": 10, "中旬": 20}  # 截至9月中旬: about the 20th


def _asof_day(label: str, now: date | None, base: int) -> date | None:
    m = _ASOF_DATE.search(label)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12 or not 1900 <= y <= 2100:
            return None
        try:
            if m.group(3):
                return date(y, mo, int(m.group(3)))
            return date(y, mo, _PART_DAY[m.group(4)]) if m.group(4) else _month_end(y, mo)
        except ValueError:
            return None
    m = _ASOF_MONTH.search(label)  # 截至5月底: of the year reported
    if m and base:
        mo = int(m.group(1))
        if not 1 <= mo <= 12:
            return None
        try:
            if m.group(2):
                return date(base, mo, int(m.group(2)))
            return date(base, mo, _PART_DAY[m.group(3)]) if m.group(3) else _month_end(base, mo)
        except ValueError:
            return None
    if "去年底" in label:
        return date(base - 1, 12, 31)
    if "年底" in label or "年末" in label:
        return date(base, 12, 31)
    return now


# A five-year plan's period (“十四五”期间: 2021 to 2025), from the 11th (2006-2010) on: 十五
# alone is also fifteen, so the 10th is left out. 以来 counts from its start, 末 is its last day.
_FIVE_YEAR_PLAN = re.compile(
    r"(?:[“\"]十([一二三四五六])五[”\"]"
    r"|十([一二三四五六])五(?=期间|时期|规划|以来|末|期末|开局|收官))"
    r"(期间|时期|以来|期末|末)?"
)


def _in_title(text: str, at: int) -> bool:
    opened = text.rfind("《", 0, at)
    return opened >= 0 and text.rfind("》", opened, at) < 0


def five_year_plan(m: re.Match, ref: date | None) -> Period | None:
    """The period of a :data:`_FIVE_YEAR_PLAN` match."""
    n = "一二三四五六".index(m.group(1) or m.group(2))
    start = date(2006 + 5 * n, 1, 1)
    end = date(start.year + 4, 12, 31)
    label = m.group(0).strip()
    if m.group(3) == "以来":
        if ref is None or ref < start:
            return None
        return Period(start, min(ref, end), label)
    if m.group(3) in ("末", "期末"):
        return Period(end, end, label)
    return Period(start, end, label)


def period_marks(
    text: str, ref: date | None, within: Period | None = None, base_year: int | None = None
) -> list[tuple[int, Period]]:
    """Every period written in ``text``, as (offset, period), in order. A relative word inside
    an explicit period is part of it (2022年底 is 2022-12-31).

    >>> [(at, p.start.isoformat(), p.end.isoformat()) for at, p in period_marks("经核实,2022年底会员3.25万人", date(2024, 1, 8), year_period(2023))]
    [(4, '2022-12-31', '2022-12-31')]
    """
    if (
        "年" not in text
        and "截" not in text
        and "月" not in text
        and "季度" not in text
        and "五" not in text
    ):
        return []  # every period names its 年, but 截至目前, 1-9月 and 一季度
    found: dict[int, Period] = {}
    spans: list[tuple[int, int]] = []
    for m in _EXPLICIT.finditer(text):
        p = _explicit(m)
        if p:
            found[m.start()] = p
            spans.append((m.start(), m.end()))
    for m in _FIVE_YEAR_PLAN.finditer(text):
        p = five_year_plan(m, ref)
        if p and not _in_title(text, m.start()):  # 制定《…“十四五”规划》: a paper's name
            found[m.start()] = p
            spans.append((m.start(), m.end()))
    ends = {e for _, e in spans}
    for m in _RELATIVE.finditer(text):
        if m.group("year") and m.start() in ends:
            continue  # 2009年当年, 2015年全年: the year just written
        inside = next((s for s, e in spans if s <= m.start() < e), None)
        if inside is not None:  # 2022年底: the end of that year, not of the year reported
            if m.group("yearend"):
                end = found[inside].end
                found[inside] = Period(end, end, text[inside : m.end()])
            continue
        base = base_year
        if _OF_THE_YEAR_NAMED.match(m.group(0)):
            # 2023年工作回顾:全年新建工会36家: the whole of the year just named, not this one
            named = [found[s] for s, _ in spans if s < m.start() and _one_year(found[s])]
            base = named[-1].start.year if named else base_year
        p = relative_period(m.group(0), ref, within, base)
        if p:
            found[m.start()] = p
    return sorted(found.items(), key=lambda kv: kv[0])


#: Relative words that name a part of a year, which a year written before them in the sentence
#: is (not 今年, 本年度, 年内: this year, whatever was written before).
_OF_THE_YEAR_NAMED = re.compile(r"(?:全年|当年|年底|年末|上半年|下半年)$")


def _one_year(p: Period) -> bool:
    return p.start == date(p.start.year, 1, 1) and p.end == date(p.start.year, 12, 31)


def last_period(text: str, ref: date | None, within: Period | None = None) -> Period | None:
    """The period mentioned last in ``text`` (the one nearest a figure that follows it).

    >>> last_period("三年来,市总工会...,2022年,全市共有", None, None).label
    '2022年'
    """
    marks = period_marks(text, ref, within)
    return marks[-1][1] if marks else None
