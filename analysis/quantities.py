"""Every quantity in Chinese prose: its value, unit and bound, with its place in the text.

A quantity is a number followed by a unit (``data/units.yaml``). That one rule keeps years,
dates, session numbers and most slogans out; a few general shapes take care of the rest:

- an ordinal (``第三次``) or an identifier (``jx10001``, a phone number, ``1+11+N``) is not a
  quantity;
- a number inside a short quotation (``“四个意识”``, ``“工会进万家”``) is a slogan or a name,
  and one inside a title (``《十条措施》``) is part of the title;
- a bare ``一`` before a counter is an article (``一批``, ``一支队伍``), and a bare 百/千/万 is a
  number only with a bound word or 余/多 (``近万人``, ``百余名``), never in ``千家万户``.

Values are in base units: ``4.6万人`` is 46000 人, ``48.9万元`` is 489000 元; 名 and 位 become 人;
percentages are ``%`` on a 0-100 scale, tenths too (``九成`` is 90%).

>>> [(q.value, q.unit, q.bound) for q in parse_quantities("覆盖职工4.6万余人,投入80多万元")]
[(46000.0, '人', 'lower'), (800000.0, '元', 'lower')]
>>> parse_quantities("深入学习贯彻党的十九届六中全会、党的二十大精神")
[]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from functools import cache, lru_cache

import yaml

from .errors import DataFileError
from .numerals import BIG_UNITS, CN_CHARS, DIGITS, MAX_VALUE, POINT, parse_number
from .paths import data_file, parse_yaml

EXACT, LOWER, UPPER, APPROX = "exact", "lower", "upper", "approx"


@dataclass(frozen=True)
class Quantity:
    value: float  # in base units: 人, 元, %...
    unit: str
    bound: str  # exact | lower | upper | approx
    start: int  # offsets of the whole expression (bound words included)
    end: int
    text: str  # the expression as written

    def as_dict(self) -> dict:
        return asdict(self)


# Full-width digits and signs fold one for one, so offsets are those of the input.
_FOLD = str.maketrans("０１２３４５６７８９％．，", "0123456789%.,")
_HAS_FULL_WIDTH = re.compile("[０-９％．，]")
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?"
# A run of digits and numeral characters is found by a plain character class (fast to scan);
# runs holding "," or "." are then cut to their valid numeral prefix (46,221 and 4.6 stay whole).
_RUN = re.compile(rf"[0-9{CN_CHARS}][0-9,.{CN_CHARS}{POINT}]*")
_CN_DIGITS = "".join(DIGITS)
# A number written in Chinese starts with a digit (一千, 两万); 十 alone may start one (十五).
_PLACE_VALUES = frozenset("百千万亿佰仟萬億")
# A Chinese decimal: digits and units, 点, digits (六十五点七, 三点五万).
_NUMBER = re.compile(
    rf"[{CN_CHARS}]+{POINT}[{_CN_DIGITS}]+[{''.join(BIG_UNITS)}]?|(?:{_ARABIC}|[{CN_CHARS}])+"
)
_BARE_MULTIPLIERS = frozenset("百千万亿佰仟萬億")
# Around a number, these mean an identifier, a date, a time or a formula, not a quantity.
_ID_BEFORE = re.compile(r"[A-Za-z0-9_.:/@#+\-]$")
# The lower end of a range, with its own multiplier and unit if written (3至5人, 300万至500万元,
# 3000元至5000元).
_RANGE_BEFORE = re.compile(
    rf"(?:{_ARABIC}|[{CN_CHARS}]+)[万亿]?[\u4e00-\u9fff]?\s*(?:至|到|-|~|—|–)\s*$"
)
_AFTER_BOUND = re.compile("以上|以下|左右|以内|上下")
_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_SLOGAN_MAX = 10  # characters inside quotation marks, at most, for a slogan or a name


@dataclass(frozen=True)
class _Grammar:
    tail: re.Pattern  # after the number: 余/多, 万/亿, the unit, a bound word
    before: tuple[tuple[str, str], ...]  # bound words before a number, longest first
    before_last: frozenset[str]  # their last characters
    tail_first: frozenset[str]  # what the character after a number must be for a quantity
    near_not_after: str
    people: frozenset[str]


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _grammar() -> _Grammar:
    path = data_file("units.yaml")
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
        counters = []
        for unit, reject in sorted(
            raw["counters"].items(), key=lambda kv: len(kv[0]), reverse=True
        ):
            counters.append(
                re.escape(unit) + (f"(?!{reject})" if reject else "")  # 家: 庭|属|具(?!备|有)...
            )
        people = raw["people"]
        people_alt = f"(?:{_alt(people)})(?![{raw['people_reject'].replace('|', '')}])"
        tail = re.compile(
            rf"(?:\s(?=[{''.join(BIG_UNITS)}]|{_alt(raw['lower_inside'])}))?"  # 2.3 万人 (spaced out)
            rf"(?P<inside>{_alt(raw['lower_inside'])})?"
            rf"(?P<mult>[{''.join(BIG_UNITS)}])?"
            rf"(?P<inside2>{_alt(raw['lower_inside'])})?"
            r"\s?"
            rf"(?P<unit>%|{'|'.join(counters)}|{people_alt})"
            r"(?P<paren>\((?:次|点)\))?"
            rf"(?P<after>{_alt(raw['lower_after'])}|{_alt(raw['upper_after'])}|{_alt(raw['approx_after'])})?"
        )
        before_words = raw["lower_before"] + raw["upper_before"] + raw["approx_before"]
        tail_first = {u[0] for u in raw["counters"]} | {u[0] for u in people} | set(BIG_UNITS)
        tail_first |= {w[0] for w in raw["lower_inside"]} | set("% 个")
        return _Grammar(
            tail=tail,
            before_last=frozenset(w[-1] for w in before_words),
            tail_first=frozenset(tail_first),
            before=tuple(
                sorted(
                    [(w, LOWER) for w in raw["lower_before"]]
                    + [(w, UPPER) for w in raw["upper_before"]]
                    + [(w, APPROX) for w in raw["approx_before"]],
                    key=lambda wb: len(wb[0]),
                    reverse=True,
                )
            ),
            near_not_after=raw["near_not_after"],
            people=frozenset(people),
        )
    except (OSError, KeyError, TypeError, AttributeError, re.error, yaml.YAMLError) as e:
        raise DataFileError(f"{path}: cannot read the units ({e}); fix or restore the file") from e


@cache
def _after_bounds() -> dict[str, str]:
    raw = parse_yaml(data_file("units.yaml").read_text(encoding="utf-8"))
    out = {}
    for bound, key in ((LOWER, "lower_after"), (UPPER, "upper_after"), (APPROX, "approx_after")):
        out.update(dict.fromkeys(raw[key], bound))
    return out


def _prefix_bound(text: str, start: int, g: _Grammar) -> tuple[str, int]:
    """The bound word right before ``start`` (a space allowed) and where it begins.

    The longest word wins, whatever its bound: 不少于 is a lower bound though it ends in 少于.
    """
    at = start - 1 if start and text[start - 1] == " " else start
    if not at or text[at - 1] not in g.before_last:
        return EXACT, start
    for word, bound in g.before:
        if text.startswith(word, at - len(word)):
            if word == "近" and at >= 2 and text[at - 2] in g.near_not_after:
                continue
            return bound, at - len(word)
    return EXACT, start


def _inside_short_quote(text: str, start: int, end: int) -> bool:
    """Whether [start, end) lies in a quotation of at most a few characters (a slogan, a name)."""
    lo = max(0, start - _SLOGAN_MAX)
    for open_, close in _quotes_in(text):
        o = text.rfind(open_, lo, start)
        if o < 0 or text.find(close, o, start) >= 0:
            continue
        c = text.find(close, end, o + _SLOGAN_MAX + 2)
        if c >= 0:
            return True
    return False


@lru_cache(maxsize=8)
def _quotes_in(text: str) -> tuple[tuple[str, str], ...]:
    """The kinds of quotation marks ``text`` opens (once per text: a string's hash is kept, so
    each of its numbers asks in constant time, where a search would read the whole text)."""
    return tuple((o, c) for o, c in _QUOTES.items() if o in text)


def _inside_title(text: str, start: int) -> bool:
    """Whether ``start`` lies between 《 and 》 (a document or book title)."""
    spans = _title_spans(text)
    if not spans:
        return False
    i = bisect.bisect_right(spans, (start, len(text) + 1)) - 1
    return i >= 0 and spans[i][0] < start < spans[i][1]


@lru_cache(maxsize=8)
def _title_spans(text: str) -> list[tuple[int, int]]:
    """The (《, 》) spans of ``text``, found once per text however many numbers it holds."""
    out, pos = [], 0
    while (o := text.find("《", pos)) >= 0:
        c = text.find("》", o)
        if c < 0:
            break
        out.append((o, c))
        pos = c + 1
    return out


def parse_quantities(text: str, bare: bool = False) -> list[Quantity]:
    """Every quantity in ``text`` (Simplified Chinese; full-width digits are fine), in order.

    With ``bare``, numbers written without a unit at the end of a phrase (``会员总数超过2亿``,
    ``入会率为85``, ``两万以上``) come too, with the unit ``""``: only a reader that knows what the
    number counts can give it a unit (:mod:`analysis.facts` does, from the noun before it).

    For raw text in Traditional characters or with conversion artifacts, see :func:`read_quantities`.

    >>> [(q.value, q.unit, q.bound) for q in parse_quantities("新增会员两万以上,入会率为85", bare=True)]
    [(20000.0, '', 'lower'), (85.0, '', 'exact')]
    """
    g = _grammar()
    s = text.translate(_FOLD) if _HAS_FULL_WIDTH.search(text) else text
    n = len(s)
    out: list[Quantity] = []
    for m in _RUN.finditer(s):
        start, end = m.span()
        number = m.group()
        if "," in number or "." in number or POINT in number:
            number = _NUMBER.match(number).group()
            end = start + len(number)
        # Nothing can follow a number but a unit, a bound or a multiplier: most runs (一是,
        # 统一, 十九届) stop here after one look at the next character.
        if end < n and s[end] not in g.tail_first and not s.startswith("百分之", start - 3):
            q = _read_bare(s, start, end, number, g) if bare else None
        else:
            q = _read_at(s, start, end, number, g)
            if q is None and bare:
                q = _read_bare(s, start, end, number, g)
        if q is not None:
            if out and q[3] < out[-1].end:  # 3000元至5000元: the lower end read on its own
                out.pop()
            out.append(Quantity(q[0], q[1], q[2], q[3], q[4], text[q[3] : q[4]]))
    return out


# What may follow a number written without its unit: the end of the phrase, or a bound word.
_NOTHING = re.compile("")
_BARE_END = re.compile(r"$|[\s,;:。!?、)\]”’]|以上|以下|左右|以内|上下|之多|有余|的")
_WORD_AFTER_SPACE = re.compile(r"[ \t\u3000]+[\u4e00-\u9fff]")
_NUMBER_AFTER_SPACE = re.compile(r"[ \t\u3000]+\d")


def _read_bare(s: str, start: int, end: int, number: str, g: _Grammar) -> tuple | None:
    """A number with no unit after it, at the end of its phrase: (value, "", bound, start, end)."""
    has_big = number[-1] in BIG_UNITS
    if not any(c.isdigit() or c in _CN_DIGITS for c in number):
        return None  # 百万, 千万: words, not figures
    if not has_big and (len(number) < 2 or number in _BARE_MULTIPLIERS):
        return None  # 三, 8: too short to be a figure without its unit
    if number[0] in _PLACE_VALUES:
        return None  # 黄千壹, 陈百万: a figure is written 一千零一, a name need not be
    if _RANGE_BEFORE.search(s[max(0, start - 12) : start]):
        return None
    before = s[max(0, start - 3) : start]
    if before.endswith(
        ("第", "数", "几", "篇", "号", "期", "卷", "章", "页", "图")
    ) or _ID_BEFORE.search(before):
        return None  # 第三, 工作总结篇25, 2023年第5期, 图056: a number of a series, no figure
    if before.endswith(("年(", "年（")):
        return None  # 民国16年(1927): the year in another calendar
    after = _BARE_END.match(s, end)
    spaced = after is not None and after.group().isspace()
    if spaced and not has_big and _WORD_AFTER_SPACE.match(s, end):
        return None  # 自 2024 年 4 月 (text spaced out in conversion): a word follows, not the end
    if spaced and _NUMBER_AFTER_SPACE.match(s, end):
        return None  # 基层工会组织数 36215 37160: a row of a table, whose unit is in its header
    if after is None and has_big:  # 2.8亿会员, 600万农民工: a count, its noun right after it
        after = _NOTHING.match(s, end)
    if after is None or _inside_short_quote(s, start, end) or _inside_title(s, start):
        return None
    value = parse_number(number)
    if value is None:
        return None
    bound, qstart = _prefix_bound(s, start, g)
    word = after.group()
    qend = end
    if word in _after_bounds() or word in ("以上", "以下", "左右", "以内", "上下"):
        qend = end + len(word)
        if bound == EXACT:
            bound = _after_bounds().get(word, EXACT)
    return value, "", bound, qstart, qend


#: Characters a template writes for a figure left out (新建会企业*家, XX万人): the asterisk
#: (half and full width), the times sign, x, X, the reference mark and a white square.
_PLACEHOLDERS = frozenset("*\uff0a\u00d7xX\u203b\u25a1")


def _read_at(s: str, start: int, end: int, number: str, g: _Grammar) -> tuple | None:
    """The quantity whose number is ``s[start:end]``: (value, unit, bound, start, end) or None."""
    before = s[max(0, start - 3) : start]
    if before.endswith("百分之"):  # 百分之八十五
        value = parse_number(number)
        if value is None or _inside_short_quote(s, start - 3, end):
            return None
        after = _AFTER_BOUND.match(s, end)
        bound, qstart = _prefix_bound(s, start - 3, g)
        if bound == EXACT and after:
            bound = _after_bounds()[after.group()]
        return value, "%", bound, qstart, after.end() if after else end
    pos = end + 1 if s.startswith("个百分点", end) else end  # 5个百分点
    tail = g.tail.match(s, pos)
    if tail is None:
        return None
    unit = tail.group("unit")
    inside = tail.group("inside") or tail.group("inside2")
    rng = _RANGE_BEFORE.search(s[max(0, start - 12) : start])
    if rng is None and (before.endswith("第") or _ID_BEFORE.search(before)):
        return None  # 第三次; jx10001, 029-8734..., 1+11
    if number == "一" and not tail.group("mult") and unit != "%":
        return None  # 一批, 一支队伍, 一名: an article, not a count
    if number[0] in CN_CHARS and before.endswith(("数", "几")):
        return None  # 数万, 几十: too vague to be a figure
    bound, qstart = _prefix_bound(s, start, g)
    if number in _BARE_MULTIPLIERS and before[-1:] in _PLACEHOLDERS:
        return None  # 新发展会员*万余人: a figure left out (a template), not 1万
    if number in _BARE_MULTIPLIERS and bound == EXACT and not inside:
        if not before.endswith("上"):
            return None  # 千家万户, 进万家: words, not numbers
        bound, qstart = LOWER, start - 1  # 上万
    if _inside_short_quote(s, start, end) or _inside_title(s, start):
        return None  # “四个意识”, “工会进万家”, 《十条措施》
    value = parse_number(number)
    if value is None:
        return None
    if tail.group("mult"):
        value = round(value * BIG_UNITS[tail.group("mult")], 6)  # 1.09亿 is 109000000, exactly
        if value > MAX_VALUE:
            return None  # 1万亿万人: digits gone wrong, not a figure
    if unit == "成":  # 九成以上: tenths, written as a percentage
        value, unit = value * 10, "%"
        if value > 100:
            return None
    if unit in g.people:
        unit = "人"
    elif tail.group("paren") == "(次)" and not unit.endswith("次"):
        unit += "次"  # 12场(次)
    if bound == EXACT:
        if inside:
            bound = LOWER
        elif tail.group("after"):
            bound = _after_bounds()[tail.group("after")]
    if rng is not None:  # 3至5人: at most 5
        bound, qstart = UPPER, max(0, start - 12) + rng.start()
    return value, unit, bound, qstart, tail.end()


def read_quantities(raw: str) -> list[Quantity]:
    """Quantities of raw text (Traditional characters, pinyin artifacts, full-width forms),
    with offsets into ``raw``.

    >>> [(q.value, q.unit, q.bound, q.text) for q in read_quantities("覆蓋職工4.6萬(wàn)餘人")]
    [(46000.0, '人', 'lower', '4.6萬(wàn)餘人')]
    """
    from .text import clean

    cleaned = clean(raw, steps=["strip_pinyin", "to_simplified", "fold_width"])
    out = []
    for q in parse_quantities(cleaned.text):
        s, e = cleaned.original_span(q.start, q.end)
        out.append(Quantity(q.value, q.unit, q.bound, s, e, raw[s:e]))
    return out
