"""Chinese administrative places, from the cpca package's table of 3,500 adcodes.

The one module that reads cpca's table, from the package's folder without importing cpca
(see :func:`_cpca_table`).

>>> p = lookup("靖西市")[0]
>>> (p.level, p.prefecture, p.province)
('county', '百色市', '广西壮族自治区')
>>> [(s, e, p.name) for s, e, p in find_places("安康市恒口示范区和汉阴县")]
[(0, 3, '安康市'), (9, 12, '汉阴县')]
>>> [(p.name, p.prefecture) for _, _, p in find_places("旬阳市总工会")]  # 旬阳县 until 2021
[('旬阳市', '安康市')]
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import NamedTuple

from .errors import AnalysisError
from .paths import package_folder

LEVELS = ("province", "prefecture", "county")
_SUFFIXES = frozenset("省市县区旗州盟")
_MAX_NAME = 12  # 新疆维吾尔自治区 is 8; leave room


@dataclass(frozen=True)
class Place:
    name: str
    adcode: str  # six digits
    level: str  # province | prefecture | county
    province: str
    prefecture: str | None  # for a county: the prefecture above it (None for municipalities)

    def within(self, other: Place) -> bool:
        """Whether this place lies inside ``other`` (or is it)."""
        keep = {"province": 2, "prefecture": 4, "county": 6}[other.level]
        return self.adcode[:keep] == other.adcode[:keep]


class _Info(NamedTuple):
    name: str
    adcode: str  # six digits
    rank: int  # 0 province, 1 prefecture, 2 county


def _cpca_table() -> dict[str, _Info]:
    """cpca's table of adcodes (``cpca/resources/adcodes.csv``), as ``cpca.ad_2_addr_dict``
    holds it: by full adcode, each with its name, six-digit code and rank.

    Read from the package's folder, not by importing cpca: its import builds an address
    matcher we do not use and imports the deprecated ``pkg_resources`` to find the file, 0.34 s
    of every process that reads a document (the table itself takes 5 ms).
    """
    package = package_folder("cpca")
    if package is None:
        raise AnalysisError("the gazetteer package cpca is missing: run `make venv`")
    path = package / "resources" / "adcodes.csv"
    out: dict[str, _Info] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            rank = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
            out[row["adcode"]] = _Info(row["name"], code, rank)
    return out


@cache
def _table() -> dict[str, tuple[Place, ...]]:
    infos = _cpca_table()
    by_code = {info.adcode[:6]: info for info in infos.values()}
    places: dict[str, list[Place]] = defaultdict(list)
    for info in infos.values():
        code = info.adcode[:6]
        level = LEVELS[info.rank]
        if info.name in ("市辖区", "省直辖县级行政区划", "县", "自治区直辖县级行政区划"):
            continue
        if len(info.name) == 2 and info.name.endswith("区"):
            continue  # 城区, 郊区, 矿区: ordinary words far more often than district names
        prov = by_code.get(code[:2] + "0000")
        pref = by_code.get(code[:4] + "00") if level == "county" else None
        places[info.name].append(
            Place(
                name=info.name,
                adcode=code,
                level=level,
                province=prov.name if prov else info.name,
                prefecture=pref.name if pref and pref.name not in ("市辖区",) else None,
            )
        )
    return {k: tuple(sorted(v, key=lambda p: p.adcode)) for k, v in places.items()}


def table() -> dict[str, tuple[Place, ...]]:
    """Every place by name."""
    return _table()


def lookup(name: str) -> tuple[Place, ...]:
    """Every place with this exact name (朝阳区 has several), by adcode."""
    return _table().get(name, ())


def find_places(text: str) -> list[tuple[int, int, Place]]:
    """Places named in full in ``text`` (靖西市, 阜宁县, 陕西省), longest name at each end.

    Ambiguous names resolve to the place that lies in a province or prefecture also named in
    the text, else to the first by adcode.
    """
    names, lengths = _names()
    found: list[tuple[int, int, tuple[Place, ...]]] = []
    for m in _SUFFIX.finditer(text):
        end = m.end()
        for length in lengths.get(text[end - 2 : end], ()):  # the longest name first
            start = end - length
            if start < 0:
                continue
            cands = names.get(text[start:end])
            if cands:
                if found and found[-1][1] > start:  # overlaps the previous, longer or earlier
                    if found[-1][1] - found[-1][0] >= end - start:
                        break
                    found.pop()
                found.append((start, end, cands))
                break
    context = [c[0] for _, _, c in found if len(c) == 1]
    return [
        (s, e, cands[0] if len(cands) == 1 else resolve(cands, context)) for s, e, cands in found
    ]


_RENAMES = {"县": "市区", "市": "县区", "区": "县市"}
# The peoples an autonomous county or prefecture is named for (石林彝族自治县, 湘西土家族苗族
# 自治州): its name is its place, its peoples, 自治 and its level, and it is often written
# without the middle two (石林县, 湘西州).
_PEOPLES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水"
    " 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克"
    " 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺".split()
)
_AUTONOMOUS = re.compile(
    rf"^(.+?)(?:(?:{'|'.join(sorted(_PEOPLES, key=len, reverse=True))})族)+自治([县旗州])$"
)
_SUFFIX = re.compile(f"[{''.join(sorted(_SUFFIXES))}]")


@cache
def _names() -> tuple[dict[str, tuple[Place, ...]], dict[str, list[int]]]:
    """Every name :func:`find_places` looks for (the gazetteer's and the other names of
    renamed counties, see :func:`_renamed`), and by last two characters the lengths of those
    names, longest first: one dictionary lookup per length, instead of one per possible start."""
    table = _table()
    names = dict(table)
    for name, places in table.items():
        if len(name) < 3 or not any(p.level == "county" for p in places):
            continue
        for suffix in _RENAMES:
            other = name[:-1] + suffix
            if other != name and other not in names:
                renamed = _renamed(other, table)
                if renamed:
                    names[other] = renamed
    for name, places in table.items():  # 石林县 for 石林彝族自治县, 迪庆州 for 迪庆藏族自治州
        short = without_peoples(name)
        if short and short not in names:
            names[short] = tuple(replace(p, name=name) for p in places)
    lengths: dict[str, set[int]] = {}
    for name in names:
        if name[-1] in _SUFFIXES and 2 <= len(name) <= _MAX_NAME:
            lengths.setdefault(name[-2:], set()).add(len(name))
    return names, {end: sorted(ls, reverse=True) for end, ls in lengths.items()}


def without_peoples(name: str) -> str | None:
    """An autonomous county's or prefecture's name without its peoples and 自治, as it is
    usually written; None for other names.

    >>> without_peoples("大通回族土族自治县"), without_peoples("大通县")
    ('大通县', None)
    """
    m = _AUTONOMOUS.match(name)
    return m.group(1) + m.group(2) if m and len(m.group(1)) >= 2 else None


def _renamed(name: str, table: dict[str, tuple[Place, ...]]) -> tuple[Place, ...]:
    """A county that became a city or a district (旬阳县 -> 旬阳市 in 2021, 沾化县 -> 沾化区 in
    2014), or the reverse: the same place, under the name the text uses (a county-level name
    of three characters or more, so that a two-character word is never taken for one).

    >>> [(p.name, p.adcode) for p in _renamed("沾化县", _table())]
    [('沾化县', '371603')]
    """
    if len(name) < 3 or name[-1] not in _RENAMES:
        return ()
    for suffix in _RENAMES[name[-1]]:
        other = [p for p in table.get(name[:-1] + suffix, ()) if p.level == "county"]
        if other:
            return tuple(replace(p, name=name) for p in other)
    return ()


#: A development or functional zone the gazetteer does not list (恒口示范区, 安康高新区): the
#: two characters before the kind of zone, as such names are nearly always written.
ZONE = re.compile(r"[\u4e00-\u9fff]{2}(?:示范区|开发区|高新区|经开区|工业园区|园区|新区)")


def find_zones(text: str) -> list[tuple[int, int, str]]:
    """Zones named in ``text`` as ``(start, end, name)``.

    >>> find_zones("今年恒口示范区总工会指导13家企业")
    [(2, 7, '恒口示范区')]
    """
    return [(m.start(), m.end(), m.group()) for m in ZONE.finditer(text)]


def resolve(candidates: Iterable[Place], context: Iterable[Place] = ()) -> Place:
    """Pick the candidate that lies within one of the ``context`` places, else the first."""
    cands = list(candidates)
    ctx = list(context)
    for cand in cands:
        if any(cand.within(c) and cand != c for c in ctx):
            return cand
    return cands[0]
