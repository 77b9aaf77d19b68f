"""Regions at every level, from 全国 to a town, with their parents: what a document and each of
its figures are about.

The gazetteer (:mod:`analysis.gazetteer`, cpca's table) knows provinces, prefectures and counties.
Below the county, towns, townships, streets and communities are named by rule (``东窑子镇``,
``柳背桥社区``: a short name before 镇, 乡, 街道 or 社区), and development zones by theirs; a
place is also recognised by its short name (``广西``, ``平罗`` for 平罗县) where the document calls
itself by level (``我县``, ``全区``). The national union (中华全国总工会, 全总) and ``全国`` name
the country.

>>> r = document_region("东窑子镇工会委员会是桥西区总工会直属工会。全镇会员总数2791人。")
>>> (r.name, r.level, r.county)
('东窑子镇', 'town', '桥西区')
>>> document_region("记者从全国总工会获悉,全总将在全国范围内开展专项行动。").name
'全国'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from . import gazetteer, segment
from .gazetteer import Place

LEVELS = ("national", "province", "prefecture", "county", "town", "zone")


@dataclass(frozen=True)
class Region:
    name: str
    level: str  # one of LEVELS
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None  # the county a town or zone lies in, when known
    adcode: str | None = None  # where the gazetteer has one

    def within(self, other: Region) -> bool:
        """Whether this region lies inside ``other`` (or is it), as far as is known."""
        if other.level == "national":
            return True
        if self.adcode and other.adcode:
            keep = {"province": 2, "prefecture": 4, "county": 6}.get(other.level, 6)
            return self.adcode[:keep] == other.adcode[:keep]
        if other.level in ("town", "zone"):
            return self.name == other.name
        parents = {self.province, self.prefecture, self.county}
        return other.name in parents or other.name == self.name

    def as_columns(self) -> dict:
        """The region's columns in the documents and facts tables."""
        return {
            "region": self.name,
            "region_level": self.level,
            "province": self.province,
            "prefecture": self.prefecture,
            "county": self.county,
            "adcode": self.adcode,
        }


NATIONAL = Region("全国", "national")
EMPTY_COLUMNS = dict.fromkeys(
    ("region", "region_level", "province", "prefecture", "county", "adcode")
)


def of_place(p: Place) -> Region:
    return Region(
        name=p.name,
        level=p.level,
        province=p.province,
        prefecture=p.prefecture if p.level == "county" else None,
        adcode=p.adcode,
    )


def below(region: Region, town: str, level: str = "town") -> Region:
    """A town (or zone) of ``region``: its parents are the region and the region's parents."""
    county = region.name if region.level == "county" else region.county
    prefecture = region.name if region.level == "prefecture" else region.prefecture
    return Region(town, level, region.province, prefecture, county)


# --------------------------------------------------------------------------- towns by rule

_TOWN_SUFFIX = re.compile(r"街道|镇|乡|社区")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Characters that cannot begin a town's name: the name starts after the last of them.
_NOT_NAME = re.compile(
    r"[^\u4e00-\u9fff]|[在对由和与的为是到向从了及等各该本我全这那其每于以将把被共有个家名所与或经据]"
)
# Words that end in a town's suffix but name none (城镇, 乡镇, 城乡社区...).
_NOT_TOWN = frozenset(
    "城镇 乡镇 村镇 集镇 重镇 名镇 古镇 小镇 城乡 下乡 家乡 故乡 返乡 老乡 同乡 他乡 异乡 城市社区 农村社区"
    " 城乡社区 小区社区 所在社区 居住社区 辖区社区 基层社区 和谐社区 美丽乡 深入社区 走进社区 进入社区"
    " 深入乡 走进乡 各街道 城市街道".split()
)
_NOT_STEM = frozenset(
    "深入 走进 进入 所在 辖区 基层 城市 农村 各个 各类 本地 当地 周边 重点 示范 和谐 美丽 文明 智慧 幸福 平安"
    " 特色 新型 中心 附近 所属 相关 驻地 居住 城关区 乡村 村居 街乡 围绕 服务 立足 扎根 依托 面向 覆盖 带动"
    " 推动 推进 开展 组织 指导 帮助 联系 包括 涉及 实现 全面 积极 各级 上级 下级 县级 市级 区级 镇级 乡级"
    " 村级 全体 广大 城区 郊区 新区 老区 山区 景区 片区 社区 街道 乡镇 城镇 技术 经济 科技 产业 工业"
    " 物流 创业 高新 综合 保税 出口 加工 商贸 文化 旅游 农业 调整 召开 举办 举行 成立 建立 完成 协调"
    " 督促 要求 发动 动员 部署 制约 促进 助力 支持 打造 融入 加快 聚焦 对接 落户 入驻 进驻 辐射 引领"
    " 加强 强化 深化 巩固 规范 完善 健全 提升 扩大 民族 少数民族 省级 国家级 自治区级"
    " 一些 有些 部分 所有 各个 许多 多个 个别".split()
)
# Characters that are hardly ever part of a town's name but often of the words before a 镇 or
# 社区 that is no name (目前社区, 全年组建镇区总工会).
_NOT_IN_NAME = re.compile(
    "[年月日们的了着过是和与及或等该这那其每于以将把被为对从到向由已要现目当今明昨组建设展推进实完参办入会召举届议在]"
)
# After these a 乡 is part of a word (乡村, 乡镇, 乡土...).
_XIANG_WORDS = frozenset("村镇土亲愁间下贤情音里风")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    region: Region
    how: str  # full | stem | town | zone | national


def find_towns(text: str, parent: Region | None = None) -> list[Mention]:
    """Towns, townships, streets and communities named in ``text``, by rule.

    A name is two or three characters before 镇/乡/街道/社区, starting after a boundary (the
    start, punctuation, a word such as 在 or 全, or a county the gazetteer knows, which becomes
    the town's county). Words such as 城镇, 乡镇 and 城乡社区 are not towns.

    >>> [(m.region.name, m.region.county) for m in find_towns("宁海县城关镇有会员947人,在龙港镇举行")]
    [('宁海县城关镇', '宁海县'), ('龙港镇', None)]
    >>> find_towns("各乡镇全面推进城乡社区建设,推动乡村振兴")
    []
    """
    out: list[Mention] = []
    for m in _TOWN_SUFFIX.finditer(text):
        if m.group() == "乡" and text[m.end() : m.end() + 1] in _XIANG_WORDS:
            continue
        lo = max(0, m.start() - 8)
        window = text[lo : m.start()]
        places = [p for p in gazetteer.find_places(window) if p[2].level == "county"]
        county: Place | None = None
        cut = 0
        if places and places[-1][1] >= len(window) - 4:
            cut, county = places[-1][1], places[-1][2]
        boundaries = [b.end() for b in _NOT_NAME.finditer(window, cut)]
        start = max([cut, *boundaries])
        stem = window[start:]
        name_start = lo + start
        if not 2 <= len(stem) <= 3 or (start == 0 and lo > 0 and county is None):
            continue  # no boundary within reach: a phrase, not a name
        if m.group() == "社区" and window[start - 1 : start] == "的":
            continue  # 休闲的立体社区: a kind of community, described
        if (
            stem in _NOT_STEM
            or stem[-2:] in _NOT_STEM  # 时调整镇: a verb before the 镇, no name
            or (stem[-1] == "乡" and m.group() == "镇")  # 其中乡镇总工会: 乡镇, towns
            or (stem[-1] == "小" and m.group() == "镇")  # 在特色小镇: 小镇, a small town
            or stem + m.group() in _NOT_TOWN
            or _NOT_IN_NAME.search(stem)
        ):
            continue
        if any(o.start < m.end() and name_start < o.end for o in out):
            continue
        if county is not None:
            region = below(of_place(county), window[places[-1][0] :] + m.group())
            name_start = lo + places[-1][0]
        elif parent is not None and parent.level in ("county", "prefecture"):
            region = below(parent, stem + m.group())
        else:
            region = Region(stem + m.group(), "town", parent.province if parent else None)
        out.append(Mention(name_start, m.end(), region, "town"))
    return out


# --------------------------------------------------------------------------- short names

_PROVINCE_SUFFIX = re.compile(r"(?:壮族|回族|维吾尔)?自治区$|特别行政区$|省$|市$")
_STEM_SUFFIX = re.compile(r"(?:地区|县|市|旗|州|盟)$")


# Short names that are ordinary words far more often than places (合作市, 共和县, 江山市...).
_COMMON_WORDS = frozenset(
    "合作 共和 和平 东方 江山 方正 大方 长治 万年 兴业 乐业 民和 永和 新兴 安定 太平 永安 平安 新华"
    " 长安 大同 开放 前进 建设 团结 胜利 红旗 光明 友谊 和谐 文明 安全 全州 全南 正安 开阳 安远 宁安"
    " 安宁 长乐 永定 东海 南海 海城 城步 普安 永新 新民 同心 和顺 顺平 大安 安顺 富民 长顺 德江"
    " 和政 仁化 宁化 新化 大化 仁和 通道 江源 青河 清河 新河 和龙 龙井 高平 平和 平安 平原 东阳 富裕"
    " 保康 安福 和静 永胜 广安 长丰 丰宁 宁乡 龙南 大名 永康 寿光 长兴 兴国 延长 延川 永寿 丰县"
    " 安化 宜良 嘉禾 新建 新区 正阳 宁远 同仁 资源 比如 南部 公安 中方 光泽 会同 清水 长子 平定 莲花"
    " 台前 无为 民权 灯塔 清流 惠民 博爱 威信 温泉 天台 开化 互助 大厂 河口 长白 白沙 江城 新平 三江"
    " 五峰 融水".split()
)


def _common_word_renamed(name: str) -> bool:
    """Whether ``name`` is a common word with another level's suffix than its county's own name
    (会同市 in 会同市劳动局, jointly with the city's bureau, for 会同县): no place."""
    return name[:-1] in _COMMON_WORDS and not gazetteer.lookup(name)


@cache
def short_names() -> dict[str, tuple[Place, ...]]:
    """Provinces, prefectures and counties (not districts: 和平, 新华 are words too) by the name
    they are called without their suffix: 广西, 宁夏, 大连, 平罗, 大通 (回族土族自治县)."""
    out: dict[str, list[Place]] = {}
    for places in gazetteer.table().values():
        for p in places:
            if p.level == "province":
                stem = _PROVINCE_SUFFIX.sub("", p.name)
            elif p.name.endswith("区"):
                continue
            else:
                stem = _STEM_SUFFIX.sub("", gazetteer.without_peoples(p.name) or p.name)
            if len(stem) >= 2 and stem != p.name and stem not in _COMMON_WORDS:
                out.setdefault(stem, []).append(p)
    # 抚顺 is 抚顺市 before 抚顺县: the higher level, then the adcode.
    rank = {"province": 0, "prefecture": 1, "county": 2}
    return {k: tuple(sorted(v, key=lambda p: (rank[p.level], p.adcode))) for k, v in out.items()}


@cache
def _short_lengths() -> tuple[dict[str, list[int]], re.Pattern]:
    """By first character, the lengths of the short names that begin with it, longest first;
    and a pattern of the first two characters a short name can have (most characters of a
    text can begin one, far fewer pairs)."""
    lengths: dict[str, set[int]] = {}
    for name in short_names():
        lengths.setdefault(name[0], set()).add(len(name))
    seconds = {name[1] for name in short_names()}  # every short name has two characters or more
    firsts = re.compile(
        f"[{re.escape(''.join(sorted(lengths)))}][{re.escape(''.join(sorted(seconds)))}]"
    )
    return {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}, firsts


def _short_matches(text: str) -> Iterator[tuple[int, int]]:
    """Where short names stand in ``text``: leftmost, longest, not overlapping, as a regular
    expression of them all would find them, at a quarter of its cost (Python's ``re`` walks
    such a pattern slowly; here the characters that can begin a name are found by a character
    class, then a dictionary lookup per length)."""
    table, (lengths, firsts) = short_names(), _short_lengths()
    m = firsts.search(text)
    while m:
        i = m.start()
        for length in lengths[text[i]]:
            if text[i : i + length] in table:
                yield i, i + length
                i += length
                break
        else:
            i += 1
        m = firsts.search(text, i)


_ROAD = re.compile(r"[一二三四五六七八九十\d]*[东西南北中]?(?:路|大道|大街|街(?!道))")  # 石门二路


def find_short_names(text: str, words: bool = True) -> list[Mention]:
    """Places named by their short name, not followed by their suffix (then they are full).
    With ``words``, not across two words either (:func:`_across_words`; the caller may check
    that later, for the few that survive its other checks)."""
    table = short_names()
    out = []
    for start, end in _short_matches(text):
        name = text[start:end]
        places = table[name]
        full = {p.name[len(name) :] for p in places}
        if any(text.startswith(rest, end) for rest in full if rest):
            continue
        if _ROAD.match(text, end):
            continue  # 酒泉路街道, 北京东路: a road named for the place
        if words and _across_words(text, start, end):
            continue  # 大新 in 五大新兴产业 (五大/新兴产业): the end of one word, the start of another
        out.append(Mention(start, end, of_place(gazetteer.resolve(places)), "stem"))
    return out


def _names_a_street(text: str, name: str) -> bool:
    """Whether the text names a street for ``name`` (平凉路街道, 北京路社区): its bare name
    (开创平凉工会工作新局面) is then that street's, not the place's (平凉市)."""
    return f"{name}路街道" in text or f"{name}路社区" in text


_AROUND = 6  # characters either side of a short name that its words are read from


def _across_words(text: str, start: int, end: int) -> bool:
    """Whether a word of the text around ``text[start:end]`` runs across one of its ends.
    Segmentation (jieba's dictionary, which knows place names: 平罗/工会, 湘西/工会) tells a
    short name from characters of two other words; a list of such words could not."""
    lo = max(0, start - _AROUND)
    pos = lo
    for word in segment.tokenizer().cut(text[lo : end + _AROUND], True):
        after = pos + len(word)
        if pos < start < after or pos < end < after:
            return True
        if pos >= end:
            return False
        pos = after
    return False


# --------------------------------------------------------------------------- the country

_NATIONAL = re.compile(r"中华全国总工会|全国总工会|全总(?![结部面体局])|全国")
_NATIONAL_UNION = re.compile(r"中华全国总工会|全国总工会|全总(?![结部面体局])")


def find_national(text: str, unions_only: bool = False) -> list[Mention]:
    pattern = _NATIONAL_UNION if unions_only else _NATIONAL
    return [Mention(m.start(), m.end(), NATIONAL, "national") for m in pattern.finditer(text)]


# --------------------------------------------------------------------------- all mentions


def _inside_stems(text: str, full: list[Mention]) -> list[tuple[int, int]]:
    """Where the text writes a place it names in full without its suffix (天河 of 天河区 in
    天河南街): a short name that begins inside such a span (河南) is part of a word."""
    stems = {
        m.region.name[:-1]
        for m in full
        if m.how == "full" and len(m.region.name) >= 3 and m.region.level != "province"
    }
    out = []
    for stem in stems:
        at = text.find(stem)
        while at >= 0:
            out.append((at, at + len(stem)))
            at = text.find(stem, at + 1)
    return out


def find_mentions(text: str, parent: Region | None = None, short: bool = True) -> list[Mention]:
    """Every region named in ``text``: full names, zones, towns, short names (unless not
    ``short``), the country."""
    return list(_mentions(text, parent, short))


@lru_cache(maxsize=16)  # a document's opening is read twice: for its union and its region
def _mentions(text: str, parent: Region | None, short: bool) -> tuple[Mention, ...]:
    found = gazetteer.find_places(text)
    ends = {e for _, e, _ in found}
    out = [
        Mention(s, e, of_place(p), "full")
        for s, e, p in found
        if (e - s > 2 or _bounded(text, s, ends))  # 乾县, 吉县: not 任县 in 先后任县工会主席
        and not _common_word_renamed(text[s:e])
    ]
    for s, e, name, place in find_zones(text):
        out = [o for o in out if not (s <= o.start and o.end <= e and o.end - o.start < e - s)]
        if not any(o.start <= s < o.end for o in out):  # 大连市高新区 holds 大连市
            zone = below(of_place(place), name, "zone") if place else Region(name, "zone")
            out.append(Mention(s, e, zone, "zone"))
    for t in find_towns(text, parent):
        out = [o for o in out if not (t.start <= o.start and o.end <= t.end)]
        if not any(o.start <= t.start < o.end for o in out):
            out.append(t)
    if short:
        inside = _inside_stems(text, out)
        for m in find_short_names(text, words=False):
            if (
                not any(o.start <= m.start < o.end for o in out)
                and not any(s < m.start < e for s, e in inside)
                and not _names_a_street(text, text[m.start : m.end])
                and not _across_words(text, m.start, m.end)
            ):
                out.append(m)
    for m in find_national(text):
        if not any(o.start <= m.start < o.end for o in out):
            out.append(m)
    return tuple(sorted(out, key=lambda m: m.start))


# Characters after which a word may begin: a two-character name (乾县) right after any other
# character is likelier the end of a word and a suffix (先后任县工会主席: 任 + 县工会).
_WORD_BEFORE = frozenset("在对由和与的为是到向从了及、等各该本我全至于原今去")


def _bounded(text: str, start: int, ends: set[int]) -> bool:
    if start == 0 or start in ends:  # the start, or right after another place (咸阳市乾县)
        return True
    before = text[start - 1]
    return not _CJK.match(before) or before in _WORD_BEFORE


def find_zones(text: str) -> list[tuple[int, int, str, Place | None]]:
    """Development zones (恒口示范区, 乌鲁木齐高新区): the name before the kind of zone is a
    place's short name when one stands there (and that place is the zone's parent), else two
    characters.

    >>> [(s, e, n, p and p.name) for s, e, n, p in find_zones("新疆乌鲁木齐高新区和恒口示范区")]
    [(2, 9, '乌鲁木齐高新区', '乌鲁木齐市'), (10, 15, '恒口示范区', None)]
    """
    out = []
    table = short_names()
    for s, e, name in gazetteer.find_zones(text):
        if name[1:].startswith("高新区"):
            continue  # 但高新区: 高新区 after one character, not 但高 + 新区
        kind_at, lo = s + 2, max(0, s - 8)
        full = gazetteer.find_places(text[lo:kind_at])
        if full and lo + full[-1][1] == kind_at and full[-1][1] - full[-1][0] > 2:
            # 大连市高新区: a place named in full before it (not 和县 in 乡镇和县开发区)
            ps = lo + full[-1][0]
            out.append((ps, e, text[ps:e], full[-1][2]))
            continue
        head = text[max(0, s - 4) : s + 2]
        place = None
        parent = _parent_before(text, s, table)
        if parent is not None:  # 天津滨海新区, 大连金普新区: the city, then the zone's own name
            place, s = parent
            name = text[s:e]
        else:
            for k in range(len(head) - 2, -1, -1):
                if head[k:] in table:
                    place = gazetteer.resolve(table[head[k:]])
                    s, name = s + 2 - (len(head) - k), text[s + 2 - (len(head) - k) : e]
                    break
        stem = text[s : s + 2]
        if place is None and (stem in _NOT_STEM or _NOT_IN_NAME.search(stem)):
            continue  # 深入工业园区: a verb, not a name
        out.append((s, e, name, place))
    return out


def _parent_before(text: str, s: int, table: dict) -> tuple[Place, int] | None:
    """The place whose short name ends right before the two characters at ``s`` of a zone's
    name (天津|滨海新区), or one character earlier (青岛|西海岸新区), and where the zone's name
    then starts."""
    for start in (s, s - 1):
        for n in (4, 3, 2):
            if start - n >= 0 and text[start - n : start] in table:
                if start < s and not _ZONE_NAME_CHAR.match(text, start):
                    continue  # 安康市恒口示范区: the city in full, read before this
                return gazetteer.resolve(table[text[start - n : start]]), start
    return None


_ZONE_NAME_CHAR = re.compile(r"[\u4e00-\u9fff](?<![省市县区旗州盟])")


# --------------------------------------------------------------------------- a document

# How a document calls itself: 我县, 本市, 全镇... The level a word points at.
# 我县, 全县; not 全市首个, 全省第一 (a rank among the places of that level, said of a smaller one)
_SELF = re.compile(
    r"(?:我|本|全)(省|市|县|区|旗|州|盟|镇|乡|街道|社区)(?![首第唯]|率先|领先|前列|最早|最先)"
)
_PAPER_TITLE = re.compile(r"《[^《》]{0,80}》")
# 获评全省创新案例, 被评为全市先进: the level that gives an honour, not the one a document is of.
_HONOUR_BEFORE = re.compile(r"(?:获评|评为|荣获|获得|入选|列入|授予|获)$")
_SELF_LEVEL = {
    "省": "province", "市": "city", "县": "county", "区": "district", "旗": "county",
    "州": "prefecture", "盟": "prefecture", "镇": "town", "乡": "town", "街道": "town",
    "社区": "town",
}  # fmt: skip
_AUTONOMOUS = ("广西壮族自治区", "宁夏回族自治区", "新疆维吾尔自治区", "西藏自治区", "内蒙古自治区")
# A union named by its level alone (镇工会, 县总工会), not by its place.
_LEVEL_UNION = re.compile(r"(?<![\u4e00-\u9fff、])(市|县|区|旗|镇|乡|街道|社区)(?:总)?工会")
# A union's name ends in 总工会 or 工会 (镇工会委员会, 社区工会).
_UNION = re.compile(r"总工会|工会(?:委员会|联合会|工作委员会)?")


@lru_cache(maxsize=16)  # an opening is read for its region and for its visitors
def self_level(text: str) -> str | None:
    """The level a document calls itself by most often, if any: 我县, 本县, 全县 (twice), and
    an unnamed union of a level such as 镇工会 or 县总工会 (once) -> county."""
    counts: Counter[str] = Counter()
    if "《" in text:  # 《关于在全市开展…的意见》 in a county's news: the paper's words, not its own
        text = _PAPER_TITLE.sub(lambda m: "□" * len(m.group()), text)
    for m in _SELF.finditer(text):
        if not _HONOUR_BEFORE.search(text, max(0, m.start() - 3), m.start()):
            counts[_SELF_LEVEL[m.group(1)]] += 2
    for m in _LEVEL_UNION.finditer(text):
        counts[_SELF_LEVEL[m.group(1)]] += 1
    if counts.get("province", 0) < 4:
        counts.pop("province", None)  # 全省 in a local document: the province's campaign
    if not counts:
        return None
    # On a tie, the more local level: a county's news cites its city's campaign (全市…目标)
    # more often than a city's news calls itself 全县.
    return max(counts, key=lambda lv: (counts[lv], _LOCAL_FIRST.index(lv)))


_LOCAL_FIRST = ("province", "prefecture", "city", "district", "county", "town")


_RANK = {"national": 0, "province": 1, "prefecture": 2, "county": 3, "town": 4, "zone": 4}
_SELF_RANK = {"province": 1, "prefecture": 2, "city": 3, "county": 3, "district": 3, "town": 4}


def _lifted(scores: Counter[Region], level: str | None) -> Counter[Region]:
    """The regions of ``level`` that the places named lie in (a 州 union's news that names
    only 香格里拉: 迪庆藏族自治州), each with the scores of its places."""
    out: Counter[Region] = Counter()
    if level is None:
        return out
    for r, n in scores.items():
        up = next(iter(_parent_regions(r)), None) if r.level in ("town", "zone") else r
        while up is not None and not matches_level(up, level):
            up = _parent_of(up)
        if up is not None and up != r:
            out[up] += n
    return out


def _may_contain(r: Region, level: str | None) -> bool:
    """Whether ``r`` may stand for a document that calls itself by ``level`` but names no
    region of that level: one above it, short of the country."""
    if level is None:
        return True
    return 0 < _RANK.get(r.level, 4) < _SELF_RANK.get(level, 4)


def matches_level(r: Region, level: str | None) -> bool:
    if level is None:
        return True
    if level == "city":  # 市总工会: a prefecture, a county-level city or a municipality (上海市)
        return r.level == "prefecture" or (
            r.level in ("county", "province") and r.name.endswith("市")
        )
    if level == "district":
        return (
            (r.level == "county" and r.name.endswith("区"))
            or r.name in _AUTONOMOUS
            or (r.level == "zone")
        )
    return r.level == level


# After a union's name: people of that union on a visit (万源市总工会一行来我县考察).
_VISITORS = re.compile(r"(?:党组)?(?:一行|考察组|检查组|调研组|督导组|考核组|工作组|慰问组|代表团)")


# Before a union whose requirements are carried out (落实全国总工会…的工作要求)
_OBEYED = re.compile(r"(?:落实|贯彻|按照|响应|遵照)$")


def obeyed(text: str, m: Mention) -> bool:
    """Whether ``m`` names the national union as one whose requirements are carried out."""
    return m.how == "national" and bool(_OBEYED.search(text, max(0, m.start - 4), m.start))


def visitors(text: str, mentions: list[Mention]) -> set[int]:
    """The starts of the mentions of unions that only visit (考察组, 调研组, 一行) a document that
    calls itself by a level (我县): a county's news of a visit from another union is no news of
    that union's region. (全国总工会工作组推动兰州、贵阳... is the national union at work.) So are
    the national union whose requirements a document carries out (落实全国总工会…要求), whatever
    it calls itself (a local superior, 落实崇州市总工会…任务, still names the place it is in)."""
    unions = union_regions(text, mentions)
    out = {m.start for m, _ in unions if obeyed(text, m)}
    if self_level(text) is None:
        return out
    return out | {m.start for m, name in unions if _VISITORS.match(text, m.start + len(name))}


def union_regions(text: str, mentions: list[Mention]) -> list[tuple[Mention, str]]:
    """The regions whose union ``text`` names (``<region>总工会``), with the union's name."""
    out = []
    for m in mentions:
        after = _UNION.match(text, m.end)
        if after is None and m.region.level == "town":
            after = re.compile(r"(?:总)?工会").match(text, m.end)
        if m.how == "national" and m.end - m.start > 2 and text[m.end - 3 : m.end] == "总工会":
            out.append((m, text[m.start : m.end]))
        elif m.how == "national" and text[m.start : m.end] == "全总":
            out.append((m, "全总"))
        elif after is not None and m.how != "national":
            out.append((m, text[m.start : after.end()]))
    return out


def document_region(text: str, title: str = "") -> Region | None:
    """The region a document is about.

    Candidates are the regions whose union it names (weight 3), the regions named in its title
    (2) and in its body (1, a short name ``广西`` too). Where the document calls itself by a level
    (``我县``, ``全镇``), only candidates of that level count; the highest score wins, then the
    first named. A town takes as its county the county named with it or next to its union.
    """
    full = f"{title}\n{text}" if title else text
    mentions = unquoted(full, find_mentions(full))
    if not mentions:
        return None
    level = self_level(full)
    scores: Counter[Region] = Counter()
    first: dict[Region, int] = {}
    visiting = visitors(full, mentions)
    mentions = [m for m in mentions if m.start not in visiting]
    counties = [m.region for m in mentions if m.region.level == "county"]
    for m, _ in union_regions(full, mentions):
        scores[_key(m.region)] += 3
    named: Counter[str] = Counter()
    in_list = listed(full, mentions)
    for m in mentions:
        if m.how == "national" and full[m.start : m.end] == "全国":
            continue  # 全国前列, 全国劳模: said of everything, about nothing
        if m.start in in_list and m.region.level in ("town", "zone"):
            continue  # 先后来到义门镇、北极镇、新民镇: the towns visited, not the document's
        weight = 2 if title and m.start < len(title) else 1
        scores[_key(m.region)] += weight
        first.setdefault(_key(m.region), m.start)
        named.update({m.region.name, *_parents(m.region)})
        for parent in _parent_regions(m.region):  # 平罗工业园区 speaks for 平罗县
            scores[parent] += weight
            first.setdefault(parent, m.start)
    for r in list(scores):  # a place in a province the document names is more likely its own
        scores[r] += sum(named[p] for p in _parents(r) if p != r.name) and 1
    # Several places of one parent (博爱县、武陟县、孟州市... in a city's paper, eight cities
    # of eight provinces in a national campaign): the document speaks for the parent.
    for parent, (kids, at) in _common_parents(mentions).items():
        scores[parent] += len(kids)
        first.setdefault(parent, at)
    fitting = {r: n for r, n in scores.items() if matches_level(r, level)}
    # A document that calls itself by a level (全县) and names no region of that level is of a
    # region that contains it, if it names one: not a community it mentions, nor the country
    # because it cites 全总.
    pool = (
        fitting
        or _lifted(scores, level)
        or {r: n for r, n in scores.items() if _may_contain(r, level)}
    )
    if not pool:
        return None
    best = max(pool, key=lambda r: (pool[r], -first.get(r, 0)))
    if best.level in ("town", "zone"):
        # The fullest way the document writes it: with its county (宁海县城关镇) if it does.
        written = [m.region for m in mentions if _key(m.region) == best]
        best = max(written, key=lambda r: (r.county is not None, len(r.name)))
        if best.county is None and counties:
            best = below(Counter(counties).most_common(1)[0][0], best.name, best.level)
    return best


_QUOTED = re.compile(r"“[^“”]{8,200}”")  # a quoted sentence (an oath, a speech), not a name


def quoted(text: str, at: int) -> bool:
    """Whether offset ``at`` lies inside a quoted sentence (an oath, a speech) of ``text``."""
    return any(s <= at < e for s, e in (m.span() for m in _QUOTED.finditer(text)))


def unquoted(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions outside quoted sentences, if there are any, and never the country's inside
    one: “我志愿加入中华全国总工会……” in a county's joining ceremony says nothing about who
    reports."""
    spans = [m.span() for m in _QUOTED.finditer(text)] if "“" in text else []
    if not spans:
        return mentions
    inside = {m.start for m in mentions if any(s <= m.start < e for s, e in spans)}
    outside = [m for m in mentions if m.start not in inside]
    return outside or [m for m in mentions if m.how != "national"]


#: Distinct places of one parent a document must name for the parent to count as named.
_SIBLINGS = 3
_LIST_GAP = frozenset(("、", "和", "及", "与", "以及"))
_UNION_IN_LIST = re.compile(r"^(?:总工会|工会(?:委员会|联合会)?)(?=[、和及与]|以及)")


def listed(text: str, mentions: list[Mention], least: int = _SIBLINGS) -> set[int]:
    """The starts of the mentions that are items of a list of at least ``least`` places
    (义门镇、北极镇、新民镇和太峪镇; 武汉、南昌、株洲): no one of them is what the text is about."""
    out: set[int] = set()
    run: list[Mention] = []
    items = 0
    for m in sorted(mentions, key=lambda m: m.start):
        gap = text[run[-1].end : m.start] if run else None
        if gap:  # 东盛街道总工会、英俊镇总工会: a list of the places' unions
            gap = _UNION_IN_LIST.sub("", gap)
        if run and gap and gap not in _LIST_GAP:
            if items >= least:
                out.update(r.start for r in run)
            run, items = [], 0
        if not run or gap:
            items += 1  # 普陀区长风新村街道: a district and its town, one item of the list
        run.append(m)
    if items >= least:
        out.update(r.start for r in run)
    return out


def _common_parents(mentions: Iterable[Mention]) -> dict[Region, tuple[set[str], int]]:
    """The regions (a prefecture, a province, the country) of which the mentions name at least
    :data:`_SIBLINGS` distinct places one level down (a county, a prefecture, a province, or
    places within them): each with those places' names and where the first of them stands."""
    kids: dict[Region, tuple[set[str], int]] = {}
    for m in mentions:
        child, parent = m.region, _parent_of(m.region)
        while parent is not None:  # 株洲 is a place of 湖南省, and 湖南省 one of the country
            kids.setdefault(parent, (set(), m.start))[0].add(child.name)
            child, parent = parent, _parent_of(parent)
    return {p: v for p, v in kids.items() if len(v[0]) >= _SIBLINGS}


@cache
def _parent_of(r: Region) -> Region | None:
    """The region one level up from a county, a prefecture or a province, if known."""
    if r.level == "province":
        return NATIONAL
    name, level = (r.prefecture, "prefecture") if r.level == "county" else (r.province, "province")
    if r.level not in ("county", "prefecture") or not name:
        return None
    place = next((p for p in gazetteer.lookup(name) if p.level == level), None)
    return of_place(place) if place is not None else None


def bare_name(r: Region) -> str:
    """A town's name without the county written before it (宁海县城关镇 -> 城关镇)."""
    if r.level in ("town", "zone") and r.county and r.name.startswith(r.county):
        return r.name[len(r.county) :]
    return r.name


def _key(r: Region) -> Region:
    """One key for the mentions of one region (a town named with and without its county)."""
    if r.level in ("town", "zone"):
        return Region(bare_name(r), r.level)
    return r


def same_place(a: Region, b: Region) -> bool:
    """Whether two mentions name one region (城关镇 and 宁海县城关镇 in one document)."""
    return _key(a) == _key(b)


def _parents(r: Region) -> set[str]:
    return {p for p in (r.province, r.prefecture, r.county) if p}


def _parent_regions(r: Region) -> list[Region]:
    """The county a town or zone lies in, as a region of the gazetteer."""
    if r.level not in ("town", "zone") or not r.county:
        return []
    places = gazetteer.lookup(r.county)
    return [of_place(places[0])] if places else []


def regions_in(mentions: Iterable[Mention]) -> list[Region]:
    return [m.region for m in mentions]
