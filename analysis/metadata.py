"""What a document is: title, date, source outlet, issuing union, region, kind and period.

Everything is read from the text by rules on its shape (a heading line, a dateline, a
"来源:" credit, "X总工会" named most often) and checked against the gazetteer; nothing is
looked up from a list of known documents.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from . import regions
from .modality import result_cue, target_cue
from .periods import Period, explicit_period, relative_period, year_period
from .text import DATE_RE, LineInfo, split_sentences

REVIEW, PLAN, MIXED = "review", "plan", "mixed"
#: The characters of a document's text that its union and region are read from.
OPENING_CHARS = 20_000


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    title_source: str | None = None  # heading | breadcrumb | html | first sentence
    date: str | None = None  # ISO date of publication
    source: str | None = None  # the outlet that published it
    union: str | None = None  # the issuing union, e.g. 靖西市总工会
    region: str | None = None  # the place the union serves
    region_level: str | None = None  # national | province | prefecture | county | town | zone
    prefecture: str | None = None
    province: str | None = None
    county: str | None = None  # the county of a town or zone, when known
    adcode: str | None = None
    kind: str = REVIEW  # review | plan | mixed
    kind_reason: str = ""
    period_start: str | None = None
    period_end: str | None = None
    period_label: str | None = None
    period_source: str | None = None  # title | text | publication year

    @property
    def period(self) -> Period | None:
        if not self.period_start or not self.period_end:
            return None
        return Period(
            date.fromisoformat(self.period_start),
            date.fromisoformat(self.period_end),
            self.period_label or "",
        )

    def region_of(self) -> regions.Region | None:
        """The document's region as a :class:`~analysis.regions.Region`."""
        if not self.region:
            return None
        return regions.Region(
            self.region,
            self.region_level or "county",
            self.province,
            self.prefecture,
            self.county,
            self.adcode,
        )

    @property
    def published(self) -> date | None:
        return date.fromisoformat(self.date) if self.date else None


# --------------------------------------------------------------------------- title and date


def find_title(text: str, lines: Sequence[LineInfo]) -> tuple[str | None, str | None]:
    """The heading line, else the page title after a breadcrumb's last ">".

    Above the article a page may print its site's name, a section or a menu (中新网, 栏目,
    基层工作) before the headline: of the short lines above the first sentence, the headline is
    the longest (a subtitle under it is most often shorter)."""
    headings = [
        line
        for li in _above_first_sentence(lines, text)
        if li.kind in ("title", "content")
        and 4 <= len(line := _TITLE_LABEL.sub("", text[li.start : li.end].strip())) <= 60
        and not _FURNITURE.search(line)
        and len(_CJK_CHARS.findall(line)) * 2 >= len(line.replace(" ", ""))
    ]
    if headings:
        return max(headings, key=len), "heading"
    for li in lines:
        if li.kind == "meta" and li.reason == "navigation":
            last = re.split(r"\s*[>›»]\s*", text[li.start : li.end].strip())[-1]
            parts = last.split(None, 1)
            # "地市工会 凝聚“工”力量...": a short category name, then the title.
            title = parts[1] if len(parts) == 2 and len(parts[0]) <= 8 else last
            if len(title) >= 4:
                return title.strip(), "breadcrumb"
    return None, None


def parse_date(m: re.Match) -> date | None:
    """A :data:`analysis.text.DATE_RE` match as a date; ``02.02.2015`` is read day first."""
    g = m.groupdict()
    if g["y1"]:
        y, mo, d = g["y1"], g["m1"], g["d1"]
    elif g["y2"]:
        y, mo, d = g["y2"], g["m2"], g["d2"]
    else:
        y, mo, d = g["y3"], g["m3"], g["d3"]
    y, mo, d = int(y), int(mo), int(d)
    for month, day in ((mo, d), (d, mo)) if g["y3"] else ((mo, d),):
        try:
            if 1900 <= y <= 2100:
                return date(y, month, day)
        except ValueError:
            continue
    return None


def _header(lines: Sequence[LineInfo]) -> list[LineInfo]:
    """Lines before the first paragraph of the article."""
    out = []
    for li in lines:
        if li.kind == "content":
            break
        out.append(li)
    return out


def find_date(text: str, lines: Sequence[LineInfo]) -> date | None:
    """The publication date printed above the article (never a date inside it or in comments):
    in the lines before its first sentence, under a headline the title finder did not take too
    (a site's name above it took the title)."""
    for li in _above_first_sentence(lines, text):
        if li.kind in ("meta", "title"):
            for m in DATE_RE.finditer(text[li.start : li.end]):
                if _READING_DAY.search(text, max(li.start, m.start() - 4), m.start()):
                    continue  # 今天是2024年06月21日: the day the page was read
                day = parse_date(m)
                if day:
                    return day
    return None


# Not a headline: a picture's file name (…颁奖.JPG), fields of a page (栏目: … / 人气:2.5W).
_FURNITURE = re.compile(
    r"\.(?:jpe?g|png|gif|bmp)$|:.*:|^[^\s:]{1,6}:\s"
    r"|^[^:]{0,4}(?:出处|号|栏目|来源|作者|编辑|摘要|关键词|分类|标签|位置)\s*:",
    re.IGNORECASE,
)
_TITLE_LABEL = re.compile(r"^[^:]{0,4}(?:标题|题目|名称)\s*:\s*")
_CJK_CHARS = re.compile(r"[\u4e00-\u9fff]")
_READING_DAY = re.compile(r"(?:今天是|今日是|今天|今日)\s*$")
_HEADER_LINES = 12  # lines, blank ones aside: how far above the article a date line may be


def _above_first_sentence(lines: Sequence[LineInfo], text: str) -> list[LineInfo]:
    out = []
    for li in lines:
        if li.kind == "blank":
            continue
        line = text[li.start : li.end].strip()
        if li.kind in ("content", "tail") and (_SENTENCE.search(line) or len(line) > 60):
            break
        out.append(li)
        if len(out) >= _HEADER_LINES:
            break
    return out


_SENTENCE = re.compile(r"[。!?！？]")


# --------------------------------------------------------------------------- source

_SOURCE_COLON = re.compile(r"来源\s*[:]\s*([^\s:|,]{2,30})")
_SOURCE_QUOTED = re.compile(r"来源\s*[《“\"]([^》”\"]{2,30})[》”\"]")
_AUTHOR_OUTLET = re.compile(r"作者\s*[:]\s*([\u4e00-\u9fff]{2,12}?)(?:全媒体|融媒体|首席)?记者")
_DATELINE_NAME = re.compile(r"^\s*([\u4e00-\u9fff][\u4e00-\u9fff·]{1,15})[A-Za-z0-9_]*\s*$")


def find_source(text: str, lines: Sequence[LineInfo]) -> str | None:
    """The outlet: a "来源:" credit, the name on the dateline, or "转载请注明来源《X》"."""
    header = _header(lines)
    for li in header:
        m = _SOURCE_COLON.search(text[li.start : li.end])
        if m:
            return m.group(1)
    for li in header:
        line = text[li.start : li.end]
        m = DATE_RE.search(line)
        if li.kind == "meta" and m:
            name = _DATELINE_NAME.match(line[: m.start()])
            if name:
                return name.group(1)
    for li in lines:
        if li.kind in ("meta", "clutter"):
            line = text[li.start : li.end]
            m = (
                _SOURCE_COLON.search(line)
                or _SOURCE_QUOTED.search(line)
                or _AUTHOR_OUTLET.search(line)
            )
            if m:
                return m.group(1)
    return None


# --------------------------------------------------------------------------- union and region


def union_mentions(text: str) -> list[tuple[int, str, regions.Region]]:
    """Every union named in ``text`` by its region (靖西市总工会, 东窑子镇工会委员会, 全总):
    offset, the union's name, its region. Unions named by a short name (抚顺工会) come only
    when no union is named in full."""
    mentions = regions.unquoted(text, regions.find_mentions(text))
    visiting = regions.visitors(text, mentions)  # 万源市总工会一行来我县考察: not the issuer
    found = [(m, n) for m, n in regions.union_regions(text, mentions) if m.start not in visiting]
    full = [(m, name) for m, name in found if m.how != "stem"]
    return [(m.start, name, m.region) for m, name in (full or found)]


def find_union(text: str) -> str | None:
    """The union named most often (earliest first on a tie)."""
    mentions = union_mentions(text)
    if not mentions:
        return None
    counts = Counter(name for _, name, _ in mentions)
    first: dict[str, int] = {}
    for at, name, _ in mentions:
        first.setdefault(name, at)
    return max(counts, key=lambda n: (counts[n], -first[n]))


def _outlet_region(source: str, body: str) -> regions.Region | None:
    """The place a local outlet is named for (仙游今报, 今日高邮), when it fits the level the
    document calls itself by (县总工会 and a county's paper)."""
    found = [m for m in regions.find_mentions(source) if m.how != "national"]
    if len(found) != 1:
        return None
    level = regions.self_level(body[:OPENING_CHARS])
    r = found[0].region
    return r if level is not None and regions.matches_level(r, level) else None


# --------------------------------------------------------------------------- period and kind

_REVIEW_TITLE = re.compile(r"综述|回顾|总结|纪实|成效|成果|巡礼|盘点|亮点|年来")
_PLAN_TITLE = re.compile(r"规划|计划|要点|安排|部署|思路|打算")


# 3月以来, 去年11月至今: the span of one story's events, not a period a document reports on
_SINCE_A_MONTH = re.compile(r"月份?(?:\s*\d{1,2}\s*日)?\s*(?:以来|至今)$")


def find_period(
    title: str | None, body: str, published: date | None
) -> tuple[Period | None, str | None]:
    """The period the document reports on: written in the title, in the opening paragraphs
    (``text``), relative to the publication there (``relative``: 今年, 上半年), else the year of
    publication (``publication year``). :func:`period_for_kind` then moves the last two for a
    review published early in the next year, or a plan published late in the year before."""
    if title:
        p = explicit_period(title, title=True)
        if p:
            return p, "title"
    lede = "\n".join(body.split("\n")[:3])[:600]
    p = explicit_period(lede)
    if p and p.start != p.end:
        return p, "text"
    p = relative_period(lede, published)
    if p and p.start != p.end and not _SINCE_A_MONTH.search(p.label or ""):
        return p, "relative"
    if published:
        return year_period(published.year, f"{published.year}年"), "publication year"
    return None, None


#: A review published up to this month reports, when it names no year, on the year before.
REVIEW_LATE_MONTH = 2
#: A plan published from this month on is, when it names no year, the plan of the next year.
PLAN_EARLY_MONTH = 11


def period_for_kind(
    period: Period | None, source: str | None, kind: str, published: date | None
) -> tuple[Period | None, str | None]:
    """A period read from the publication date alone, corrected for what the document is: a
    year review published in January reports on the year before, a plan published in December
    on the year after."""
    if period is None or published is None or source not in ("relative", "publication year"):
        return period, source
    if period.end.year != published.year:
        return period, source  # 去年 in news of February: that year already, written from this one
    if kind == REVIEW and published.month <= REVIEW_LATE_MONTH:
        year = published.year - 1
        why = f"a review published in {published:%B} reports on the year before"
    elif kind == PLAN and published.month >= PLAN_EARLY_MONTH:
        year = published.year + 1
        why = f"a plan published in {published:%B} is for the year after"
    else:
        return period, source
    return year_period(year, f"{year}年"), f"{source}; {why}"


_FIGURE = re.compile(r"\d|[一二三四五六七八九十两][十百千万亿]")


def _plan_and_result_counts(sentences: Sequence[str]) -> tuple[int, int]:
    targets = results = 0
    for sentence in dict.fromkeys(sentences):  # a sentence repeated (an abstract) counts once
        t_cue, r_cue = target_cue(sentence), result_cue(sentence)
        if t_cue and (not r_cue or t_cue.start() < r_cue.start()):
            targets += 1
        elif r_cue:
            results += 1
    return targets, results


def find_kind(
    title: str | None,
    body: str,
    published: date | None,
    period: Period | None,
    period_source: str | None,
) -> tuple[str, str]:
    """``review``, ``plan`` or ``mixed``, with the reason."""
    t = title or ""
    review_t, plan_t = bool(_REVIEW_TITLE.search(t)), bool(_PLAN_TITLE.search(t))
    if review_t and plan_t:
        return MIXED, "the title announces both a review and a plan"
    if review_t or plan_t:
        return (
            (REVIEW, "the title announces a review")
            if review_t
            else (PLAN, "the title announces a plan")
        )
    # The sentences with figures say most about what the figures are; the others only count
    # when those have no plan or result wording at all.
    sentences = [body[s:e] for s, e in split_sentences(body)]
    with_figures = [t for t in sentences if _FIGURE.search(t)]
    counts = None
    # Only a period the document writes out says whether it looks back or ahead: a relative
    # one (今年, 上半年) is dated by the publication itself.
    if published and period and period_source in ("title", "text"):
        days = (period.end - period.start).days + 1
        ahead = (period.end - max(published, period.start)).days if published < period.end else 0
        share = max(0, min(ahead, days)) / days
        if share >= 0.5:
            counts = _plan_and_result_counts(with_figures)
            # Without plan wording it is a plan only if its period has not begun (a survey or
            # news of early in the year reports what is).
            if counts[0] or (not counts[1] and published < period.start):
                return PLAN, f"{share:.0%} of the period {period.label} lies after publication"
        if share <= 0.2:
            return REVIEW, f"the period {period.label} had (nearly) passed at publication"
    targets, results = counts or _plan_and_result_counts(with_figures)
    what = "sentences with figures"
    if targets + results == 0:
        targets, results = _plan_and_result_counts(sentences)
        what = "sentences"
    if targets + results == 0:
        return REVIEW, "no plan or result wording; read as a review"
    share = targets / (targets + results)
    reason = f"{targets} {what} state plans, {results} report results"
    if share >= 0.65 and targets >= 2:  # one plan sentence in a news item is not a plan
        if what == "sentences" and with_figures:
            return MIXED, reason + "; its figures are written without plan words"
        return PLAN, reason
    if share <= 0.35:
        return REVIEW, reason
    return MIXED, reason


def detect(
    normalized: str, lines: Sequence[LineInfo], body: str, hints: dict | None = None
) -> Metadata:
    """All metadata of a document.

    ``normalized`` is the text before clutter was dropped (with its ``lines``), ``body`` the
    cleaned article; ``hints`` (title, date, source from an HTML page's tags) win when given.
    """
    hints = hints or {}
    title, title_source = find_title(normalized, lines)
    if hints.get("title") and not title:
        title, title_source = hints["title"], "html"
    published = find_date(normalized, lines)
    if hints.get("date") and not published:
        try:
            published = date.fromisoformat(str(hints["date"])[:10])
        except ValueError:
            published = None
    source = find_source(normalized, lines) or hints.get("source")
    header = "\n".join(normalized[li.start : li.end] for li in _header(lines) if li.kind == "meta")
    # A document says who issued it and where it is early on: its opening is read for that.
    opening = body[:OPENING_CHARS]
    union = find_union("\n".join(filter(None, [title, header, opening])))
    region = regions.document_region("\n".join(filter(None, [header, opening])), title or "")
    if region is None and source:  # 县总工会 in 仙游今报: the local paper's place
        region = _outlet_region(source, body)
    period, period_source = find_period(title, body, published)
    kind, why = find_kind(title, body, published, period, period_source)
    period, period_source = period_for_kind(period, period_source, kind, published)
    if not title:
        first = split_sentences(body)[:1]
        if first:
            s, e = first[0]
            sentence = body[s:e].rstrip("。!?！？;；")
            title, title_source = (
                (sentence if len(sentence) <= 40 else sentence[:39] + "…"),
                "first sentence",
            )
    return Metadata(
        title=title,
        title_source=title_source,
        date=published.isoformat() if published else None,
        source=source,
        union=union,
        kind=kind,
        kind_reason=why,
        period_start=period.start.isoformat() if period else None,
        period_end=period.end.isoformat() if period else None,
        period_label=period.label if period else None,
        period_source=period_source,
        **(region.as_columns() if region else {}),
    )
