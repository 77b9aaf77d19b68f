"""Repair and clean the text of Chinese web documents, keeping a map back to the original.

Every step is a function ``Aligned -> Aligned`` named as a verb. An :class:`Aligned` text carries,
for each of its characters, the offset of the character it came from in the original text, so a
sentence quoted from the cleaned text can be shown exactly as the source wrote it (with its
Traditional characters and conversion artifacts).

The steps run in the order of :data:`STEPS`; :func:`clean` runs them all or a chosen subset.

>>> clean("覆蓋職工4.6萬(wàn)余人").text
'覆盖职工4.6万余人'
>>> a = clean("集體合同４４１份")
>>> a.text, a.original_span(4, 8)
('集体合同441份', (4, 8))
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

import yaml

from .errors import DataFileError
from .paths import data_file, parse_yaml

__all__ = [
    "STEPS",
    "Aligned",
    "LineInfo",
    "classify_lines",
    "clean",
    "drop_clutter",
    "drop_controls",
    "find_repeats",
    "fold_width",
    "join_wrapped_lines",
    "normalize_newlines",
    "split_sentences",
    "strip_pinyin",
    "to_simplified",
]


@dataclass(frozen=True)
class Aligned:
    """A text and, for each character, its offset in the original text."""

    text: str
    origin: array  # origin[i] is the original offset of text[i]
    length: int  # length of the original text

    @classmethod
    def of(cls, text: str) -> Aligned:
        return cls(text, array("l", range(len(text))), len(text))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the cleaned span ``[start, end)`` came from."""
        if start >= end or start >= len(self.text):
            at = self.origin[start] if start < len(self.origin) else self.length
            return at, at
        return self.origin[start], self.origin[end - 1] + 1

    def delete(self, spans: Iterable[tuple[int, int]]) -> Aligned:
        """Remove the given ``[start, end)`` spans (any order, overlaps allowed)."""
        parts: list[str] = []
        origin = array("l")
        last = 0
        for start, end in sorted(spans):
            start = max(start, last)
            if end <= start:
                continue
            parts.append(self.text[last:start])
            origin.extend(self.origin[last:start])
            last = end
        if last == 0:
            return self
        parts.append(self.text[last:])
        origin.extend(self.origin[last:])
        return Aligned("".join(parts), origin, self.length)

    def retext(self, new_text: str) -> Aligned:
        """The same characters rewritten one for one (the length must not change)."""
        if len(new_text) != len(self.text):
            raise ValueError("retext needs a text of the same length")
        return Aligned(new_text, self.origin, self.length)


# --------------------------------------------------------------------------- steps


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def drop_controls(a: Aligned) -> Aligned:
    r"""Control characters (NUL and the like, left by bad converters) go; tabs and line ends stay.

    >>> drop_controls(Aligned.of("藏书40\x0000册")).text
    '藏书4000册'
    """
    return a.delete(m.span() for m in _CONTROL.finditer(a.text)) if _CONTROL.search(a.text) else a


def normalize_newlines(a: Aligned) -> Aligned:
    r"""CRLF and lone CR become LF.

    >>> normalize_newlines(Aligned.of("一\r\n二\r三")).text
    '一\n二\n三'
    """
    if "\r" not in a.text:
        return a
    crlf = [(m.start(), m.start() + 1) for m in re.finditer("\r\n", a.text)]
    a = a.delete(crlf)
    return a.retext(a.text.replace("\r", "\n"))


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# One pinyin syllable with a tone mark in parentheses, glued to the character before it, as left
# by converters that annotate every character: 會(huì), 萬(wàn). Usually that character is CJK, but
# where the page also suffered mojibake it can be anything (001: 毖a(bǔ)). Toneless syllables are
# left alone: without a tone mark "(de)" cannot be told from a real parenthesis.
_PINYIN = re.compile(
    rf"(?<=\S)[(（] ?(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}} ?[)）]"  # 會(huì ), 會（huì）
)


def strip_pinyin(a: Aligned) -> Aligned:
    """Remove pinyin with tone marks in parentheses after CJK characters.

    >>> strip_pinyin(Aligned.of("景洪市總工會(huì)(街道)")).text
    '景洪市總工會(街道)'
    >>> strip_pinyin(Aligned.of("會(huì )員總數")).text
    '會員總數'
    """
    return a.delete(m.span() for m in _PINYIN.finditer(a.text))


@cache
def _opencc():
    import opencc  # the maintained converter; imported on first use (it loads dictionaries)

    return opencc.OpenCC("t2s")


#: Place names that are already Simplified but that t2s would change (乾 is also 干 in
#: Traditional): every such name of the gazetteer (a test holds the list complete).
KEEP_NAMES = {"干县": "乾县", "干安县": "乾安县"}


def _keep_names(before: str, after: str) -> str:
    """``after`` with the names of :data:`KEEP_NAMES` put back where ``before`` had them."""
    if len(before) != len(after) or not any(n in after for n in KEEP_NAMES):
        return after
    chars = list(after)
    for changed, name in KEEP_NAMES.items():
        start = after.find(changed)
        while start >= 0:
            if all(before[start + i] == c for i, c in enumerate(name) if c != changed[i]):
                chars[start : start + len(name)] = name  # 乾县 or 乾縣 was written
            start = after.find(changed, start + 1)
    return "".join(chars)


def to_simplified(a: Aligned) -> Aligned:
    """Traditional to Simplified characters with OpenCC (``t2s``).

    OpenCC converts character for character almost always; where a phrase changes length the
    line is aligned with :mod:`difflib` so offsets still point into the original.

    >>> to_simplified(Aligned.of("會員總數達46221人")).text
    '会员总数达46221人'
    >>> to_simplified(Aligned.of("乾縣總工會")).text  # 乾县 is a county, not 干县
    '乾县总工会'
    """
    converted = _keep_names(a.text, _opencc().convert(a.text))
    if len(converted) == len(a.text):
        return a.retext(converted) if converted != a.text else a
    parts: list[str] = []
    origin = array("l")
    offset = 0
    for line in a.text.splitlines(keepends=True):
        new = _keep_names(line, _opencc().convert(line))
        if len(new) == len(line):
            origin.extend(a.origin[offset : offset + len(line)])
        else:
            matcher = SequenceMatcher(None, line, new, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == "delete":
                    continue
                for k in range(j2 - j1):
                    src = i1 + min(k, max(i2 - i1 - 1, 0))
                    src = min(src, len(line) - 1) if line else 0
                    origin.append(a.origin[offset + src] if line else a.length)
        parts.append(new)
        offset += len(line)
    return Aligned("".join(parts), origin, a.length)


# Full-width ASCII to ASCII; every other kind of space (ideographic, no-break, em...) to a space;
# the small forms of punctuation (﹔, ﹐, ﹪: Big5 pages use them) to their ordinary ones.
_SMALL_FORMS = {  # U+FE50-FE6B, in order (\0: a code point left as it is)
    0xFE50 + i: ord(c)
    for i, c in enumerate(",\u3001.\0;:?!\0(){}\u3014\u3015#&*+-<>=\0\\$%@")
    if c != "\0"
}
_WIDTH = (
    {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
    | {c: 0x20 for c in (0x3000, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F)}
    | _SMALL_FORMS
)


def fold_width(a: Aligned) -> Aligned:
    """Full-width ASCII (digits, letters, punctuation) and wide spaces to their ASCII forms.

    >>> fold_width(Aligned.of("１３８９５人，８０％")).text
    '13895人,80%'

    A full stop typed for a decimal point in a percentage (覆盖率达92。3%) is a point, and the
    spaces of digits grouped by thousands go:

    >>> fold_width(Aligned.of("覆盖率达92。3%。")).text
    '覆盖率达92.3%。'
    >>> fold_width(Aligned.of("全市共有 3 556个企业建会, 2024 年 4 月")).text
    '全市共有 3556个企业建会, 2024 年 4 月'
    """
    folded = a.text.translate(_WIDTH)
    if "。" in folded:
        folded = _STOP_FOR_POINT.sub(".", folded)
    out = a.retext(folded) if folded != a.text else a
    if " " in folded:  # 3 556个, 35 553户 (yearbooks group digits by thousands): one number
        spans = [
            (g.start() + i, g.start() + i + 1)
            for g in _DIGIT_GROUPS.finditer(folded)
            for i, ch in enumerate(g.group())
            if ch == " "
        ]
        if spans:
            out = out.delete(spans)
    return out


_STOP_FOR_POINT = re.compile(r"(?<=\d)。(?=\d{1,2}%)")
# Digits grouped by thousands with spaces, before a unit or a multiplier (not 2024 年 4 月).
_DIGIT_GROUPS = re.compile(r"(?<!\d)(?<!\d )\d{1,3}(?: \d{3})+(?=[万亿]?[\u4e00-\u9fff%])")


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class LineInfo:
    """One line of a text and what it is: ``blank``, ``title``, ``meta``, ``clutter``,
    ``content`` or ``tail`` (content of another article after the end of this one)."""

    start: int
    end: int  # excludes the newline
    kind: str
    reason: str = ""


@dataclass(frozen=True)
class _Rules:
    # Each list of the file as one pattern that matches where any of them does: a line is
    # searched once per list, not once per rule.
    copyright: re.Pattern
    toolbar: re.Pattern
    navigation: re.Pattern
    links: re.Pattern
    credit: re.Pattern
    counter: re.Pattern
    inline_credit: re.Pattern
    inline_lead: re.Pattern


_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")  # (?i) at the start of a rule: its own flags


def _any_of(rules: list[str]) -> re.Pattern:
    """One pattern that matches where any of ``rules`` matches (each rule checked on its own
    first, so that a broken one is named as it is written)."""
    parts = []
    for rule in rules:
        re.compile(rule)
        m = _FLAGS.match(rule)
        parts.append(f"(?{m[1]}:{rule[m.end() :]})" if m else f"(?:{rule})")
    return re.compile("|".join(parts) or "(?!)")


@cache
def _rules() -> _Rules:
    path = data_file("clutter.yaml")
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
        words = sorted(raw["counter_words"], key=len, reverse=True)
        return _Rules(
            copyright=_any_of(raw["copyright"]),
            toolbar=_any_of(raw["toolbar"]),
            navigation=_any_of(raw["navigation"]),
            links=_any_of(raw["links"]),
            credit=_any_of(raw["credit"]),
            counter=re.compile("|".join(map(re.escape, words))),
            inline_credit=re.compile(raw["inline_credit"]),
            inline_lead=re.compile(raw["inline_lead"]),
        )
    except (OSError, KeyError, TypeError, re.error, yaml.YAMLError) as e:
        raise DataFileError(
            f"{path}: cannot read the clutter rules ({e}); fix or restore the file"
        ) from e


# Dates as pages print them; analysis.metadata parses the matches.
DATE_RE = re.compile(
    r"(?<!\d)(?:"
    r"(?P<y1>\d{4})\s*[-/.]\s*(?P<m1>\d{1,2})\s*[-/.]\s*(?P<d1>\d{1,2})"
    r"|(?P<y2>\d{4})\s*年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
    r"|(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>\d{4})"
    r")(?:\s*(?P<hh>\d{1,2}):(?P<mm>\d{2})(?::(?P<ss>\d{2}))?)?(?!\d)"
)
_SENTENCE_END = re.compile(r"[。!?！？]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_NOT_COUNTER = re.compile(r"[\s\d\W_a-zA-Z]+")


def _is_prose(line: str) -> bool:
    return bool(_SENTENCE_END.search(line)) or (len(line) >= 80 and line.count(",") >= 2)


# characters: a prose line this long is an article (or much of one) that a page printed on one
# line, with its site's notices among its sentences; only the notices go.
_ARTICLE_LINE = 200
_SEGMENT = re.compile(r"[^\s。!?！？]+[。!?！？]*")


def _notices(line: str, rules: _Rules) -> list[tuple[int, int]]:
    """Spans of ``line``'s sentences or space-separated pieces that hold a copyright notice."""
    return [m.span() for m in _SEGMENT.finditer(line) if rules.copyright.search(m.group())]


def _line_kind(line: str, rules: _Rules) -> tuple[str, str]:
    stripped = line.strip()
    if not stripped:
        return "blank", ""
    prose = _is_prose(stripped)
    if rules.copyright.search(stripped):
        if prose and len(stripped) >= _ARTICLE_LINE:  # a whole article on one line
            return "content", "copyright inside"
        return "clutter", "copyright"
    if not _CJK.search(stripped):
        return ("meta", "date") if DATE_RE.search(stripped) else ("clutter", "no Chinese text")
    if prose:
        return "content", ""
    if rules.navigation.search(stripped):
        return "meta", "navigation"
    if rules.toolbar.search(stripped):
        return "clutter", "toolbar"
    if len(stripped) <= 80 and (DATE_RE.search(stripped) or rules.credit.search(stripped)):
        return "meta", "credit"
    rest = _NOT_COUNTER.sub("", rules.counter.sub("", stripped))
    if len(rest) <= 1 and len(stripped) <= 40:
        return "clutter", "counter"
    return "content", ""


# A page's section label above an article (滚动资讯:, 当前位置:): short, and ending in a colon.
_LABEL = re.compile(r"[^\s:]{2,10}\s*:")


def classify_lines(text: str, domain: re.Pattern | None = None) -> list[LineInfo]:
    """Say what each line of a (simplified, width-folded) text is.

    The first short non-prose line before any prose is the ``title``. Under a heading of links
    to other articles (相关链接), the lines up to the next prose line are ``clutter``: other
    articles' headlines. When ``domain`` is given, content that follows the last line matching
    it, after a boundary (a credit, clutter, or three blank lines), is ``tail``: another article
    glued to the end of the page.
    """
    rules = _rules()
    infos: list[LineInfo] = []
    offset = 0
    seen_content = False
    title_done = False
    links = False  # under a heading of links to other articles
    for line in text.split("\n"):
        kind, reason = _line_kind(line, rules)
        if kind in ("content", "clutter") and rules.links.search(line):
            kind, reason, links = "clutter", "links to other articles", True
        elif links and kind == "content":
            if _is_prose(line.strip()):
                links = False
            else:
                kind, reason = "clutter", "link to another article"
        if kind == "content" and not seen_content and not title_done and not _is_prose(line):
            if _LABEL.fullmatch(line.strip()):
                kind, reason = "meta", "label"  # 滚动资讯: a section of the site, the title below
            else:
                if 4 <= len(line.strip()) <= 60:
                    kind, reason = "title", "first heading"
                title_done = True
        if kind == "content":
            seen_content = True
        infos.append(LineInfo(offset, offset + len(line), kind, reason))
        offset += len(line) + 1
    if not seen_content:  # a lone short line is the text itself, not a title
        infos = [
            LineInfo(li.start, li.end, "content") if li.kind == "title" else li for li in infos
        ]
    if domain is not None:
        infos = _mark_tail(text, infos, domain, rules)
    return infos


def _mark_tail(
    text: str, infos: list[LineInfo], domain: re.Pattern, rules: _Rules
) -> list[LineInfo]:
    last = max(
        (
            i
            for i, li in enumerate(infos)
            if li.kind == "content" and domain.search(text[li.start : li.end])
        ),
        default=None,
    )
    if last is None:
        return infos
    boundary = bool(rules.inline_credit.search(text[infos[last].start : infos[last].end]))
    blanks = 0
    out = infos[: last + 1]
    for li in infos[last + 1 :]:
        if li.kind == "blank":
            blanks += 1
            boundary = boundary or blanks >= 3
        elif li.kind in ("meta", "clutter"):
            boundary = True
        elif li.kind == "content":
            blanks = 0
            if boundary:
                li = LineInfo(li.start, li.end, "tail", "after the end of the article")
        out.append(li)
    return out


def drop_clutter(
    a: Aligned, domain: re.Pattern | None = None, lines: Sequence[LineInfo] | None = None
) -> Aligned:
    """Keep only the article: content lines, trimmed, one per paragraph.

    Drops blank lines, the title line, credits and datelines, toolbars, counters, copyright
    lines and, when ``domain`` is given, another article glued after this one. Inline credits
    ("(李文龙 通讯员 王建军)") and agency leads ("本网讯") are cut from the lines they end or start.
    ``lines`` are :func:`classify_lines` of the text when the caller has them already.
    """
    rules = _rules()
    text = a.text
    spans: list[tuple[int, int]] = []
    for li in classify_lines(text, domain) if lines is None else lines:
        if li.kind != "content":
            spans.append((li.start, li.end + 1))
            continue
        line = text[li.start : li.end]
        lead = rules.inline_lead.search(line)
        head = lead.end() if lead else len(line) - len(line.lstrip())
        credit = rules.inline_credit.search(line)
        tail = credit.start() if credit else len(line.rstrip())
        spans.append((li.start, li.start + head))
        if li.reason == "copyright inside":
            spans.extend((li.start + s, li.start + e) for s, e in _notices(line, rules))
        spans.append((li.start + tail, li.end))
    cleaned = a.delete(spans)
    # Each kept line still ends with its newline: drop the last one.
    if cleaned.text.endswith("\n"):
        cleaned = cleaned.delete([(len(cleaned.text) - 1, len(cleaned.text))])
    return cleaned


_LINE_END = frozenset("。!?！？;；:：”’」』)）…|")
_WRAP_MIN = 12  # characters: a shorter line is a heading or an item, never a wrapped one
_WRAP_SLACK = 4  # wrapped lines differ in length by a few characters (digits are narrower)


def join_wrapped_lines(a: Aligned) -> Aligned:
    r"""Join the lines of paragraphs that were hard-wrapped at a fixed width (text copied from a
    PDF or a document site), so that a sentence broken inside a word (工资集体合\n同110份) is
    whole again. A document is taken as wrapped when at least three lines of about the same
    length, the most common one, end without punctuation and hardly any line is longer; only
    such lines are joined.

    >>> t = "全年共签订集体合同177份,其中工资集体合\n同110份,区域性工资集体合同16份,女职\n工专项合同20份,综合性集体合同14份。\n二、下一步"
    >>> join_wrapped_lines(Aligned.of(t + "\n" + t)).text.count("\n")
    3
    """
    text = a.text
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    open_ends = [
        (s, e)
        for k, (s, e) in enumerate(lines[:-1])
        if e - s >= _WRAP_MIN and text[e - 1] not in _LINE_END and _CJK.match(text, lines[k + 1][0])
    ]
    if len(open_ends) < 3:
        return a
    lengths = sorted(e - s for s, e in open_ends)
    width = max(set(lengths), key=lambda n: sum(abs(n - m) <= 2 for m in lengths))
    wrapped = [(e, e + 1) for s, e in open_ends if abs(e - s - width) <= _WRAP_SLACK]
    # In a wrapped text no line is much longer than the width; where paragraphs run longer,
    # the lines of that length are headings.
    longer = sum(e - s > width + _WRAP_SLACK for s, e in lines)
    if len(wrapped) < 3 or longer > len(lines) // 10:
        return a
    return a.delete(wrapped)


# --------------------------------------------------------------------------- pipeline

Step = Callable[[Aligned], Aligned]

#: The cleaning steps, in order. ``drop_clutter`` is run by :func:`clean` with the domain
#: pattern it is given.
STEPS: dict[str, Step] = {
    "drop_controls": drop_controls,
    "normalize_newlines": normalize_newlines,
    "strip_pinyin": strip_pinyin,
    "to_simplified": to_simplified,
    "fold_width": fold_width,
    "join_wrapped_lines": join_wrapped_lines,
    "drop_clutter": drop_clutter,
}


def clean(
    text: str | Aligned, steps: Sequence[str] | None = None, domain: re.Pattern | None = None
) -> Aligned:
    """Run the named steps (all of :data:`STEPS` by default, in their order) over ``text``.

    >>> clean("會(huì)員", steps=["strip_pinyin"]).text
    '會員'
    """
    a = text if isinstance(text, Aligned) else Aligned.of(text)
    names = list(STEPS) if steps is None else list(steps)
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        raise ValueError(f"unknown cleaning step(s) {unknown}; known: {list(STEPS)}")
    for name in STEPS:  # the table's order, whatever the order asked
        if name in names:
            a = drop_clutter(a, domain) if name == "drop_clutter" else STEPS[name](a)
    return a


# --------------------------------------------------------------------------- sentences

_SENTENCE = re.compile(r"[^。!?！？;；\n]*(?:[。!?！？;；]+[”’」』)]*|\n|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text``: split after 。！？； and at line ends, quotes kept.

    >>> t = "他说:“有保障了!”今年新建工会88家;发展会员6581人。"
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['他说:“有保障了!”', '今年新建工会88家;', '发展会员6581人。']
    """
    spans = []
    for m in _SENTENCE.finditer(text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


_REPEAT_NOISE = re.compile(r"[\s“”‘’\"']")


def find_repeats(
    text: str, spans: Sequence[tuple[int, int]] | None = None, min_chars: int = 10
) -> list[tuple[int, int, int]]:
    """Sentences that repeat an earlier one word for word, as ``(start, end, first_start)``.

    Spaces and quotation marks are ignored; sentences shorter than ``min_chars`` (headings,
    slogans) are never counted as repeats.

    >>> t = "吸收会员200多人,成效明显。其他。吸收会员200多人,成效明显。"
    >>> find_repeats(t)
    [(18, 33, 0)]
    """
    seen: dict[str, int] = {}
    repeats = []
    for s, e in spans if spans is not None else split_sentences(text):
        key = _REPEAT_NOISE.sub("", text[s:e])
        if len(key) < min_chars:
            continue
        if key in seen:
            repeats.append((s, e, seen[key]))
        else:
            seen[key] = s
    return repeats
