"""Numbers written in Arabic digits, Chinese numerals, or both.

A small converter of our own instead of cn2an: cn2an writes log files under ``./log`` of the
current directory and reads ordinals and slogans as numbers; what we need is forty lines of
arithmetic with no side effects.

>>> [parse_number(s) for s in ["4.6万", "十二万五千", "46,221", "一千二百", "两万", "三千五"]]
[46000.0, 125000.0, 46221.0, 1200.0, 20000.0, 3500.0]
>>> parse_number("二〇二二"), parse_number("1.2亿"), parse_number("百"), parse_number("")
(2022.0, 120000000.0, 100.0, None)
>>> parse_number("六十五点七"), parse_number("三点五万"), parse_number("八十五点")
(65.7, 35000.0, None)
"""

from __future__ import annotations

import math
import re

DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "兩": 2, "三": 3,
    "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8,
    "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

#: Every character that can be part of a Chinese numeral.
CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

_TOKEN = re.compile(r"\d+(?:\.\d+)?|.", re.S)
#: The decimal point of Chinese numerals (六十五点七 = 65.7).
POINT = "点"


#: No figure in a union report comes near this: a larger value is a run of digits gone wrong.
MAX_VALUE = 1e15


def parse_number(text: str) -> float | None:
    """The value of a numeral in Arabic digits, Chinese characters or a mix; ``None`` if not one.

    Units must come in falling order (十十十, 一万一万, 亿亿 are no numbers, 万亿 is), 两 is never
    read digit by digit (两两两), and nothing beyond :data:`MAX_VALUE` is a number.

    >>> [parse_number(s) for s in ["十十十", "一万一万", "两两两", "亿亿亿", "一万亿", "1" * 400]]
    [None, None, None, None, 1000000000000.0, None]
    """
    # Most figures are plain digits (441, 2791): read at once, as the token loop would.
    value = float(text) if text.isascii() and text.isdigit() else _parse(text)
    if value is None or not math.isfinite(value) or value > MAX_VALUE:
        return None
    return round(value, 6)  # 1.09亿: 109000000, not 109000000.00000001


def _parse(text: str) -> float | None:
    s = text.replace(",", "").replace(" ", "")
    if not s:
        return None
    if POINT in s:
        return _decimal(s)
    tokens = _TOKEN.findall(s)
    if all(t in DIGITS for t in tokens) and len(tokens) > 1:  # 二〇二二: digits read one by one
        if any(t in "两兩" for t in tokens):
            return None
        return float("".join(str(DIGITS[t]) for t in tokens))
    total = 0.0
    section = 0.0
    digit: float | None = None
    last_unit = 0  # the unit just read, for the short forms 三千五 (3500) and 一万二 (12000)
    last_small = 0  # the last 十/百/千 of this section: the next must be smaller
    last_big = 0  # the last 万/亿: the next must be smaller, but for 万亿
    zero_seen = False
    for t in tokens:
        if t[0].isdigit():
            if digit is not None:
                return None
            digit = float(t)
        elif t in DIGITS:
            if digit is not None and DIGITS[t] != 0:
                return None
            if DIGITS[t] == 0:
                zero_seen = True
                continue
            digit = float(DIGITS[t])
        elif t in SMALL_UNITS:
            unit = SMALL_UNITS[t]
            if last_small and unit >= last_small:
                return None  # 十十, 百千
            section += (1.0 if digit is None else digit) * unit
            digit, last_unit, last_small, zero_seen = None, unit, unit, False
        elif t in BIG_UNITS:
            big = BIG_UNITS[t]
            if last_big:
                adjacent = last_unit == last_big and digit is None and section == 0
                if big == last_big or (big > last_big and not adjacent):
                    return None  # 一万一万, 亿亿, 五万三亿; but 万亿 is one unit
            if digit is None and section == 0 and total == 0:
                digit = 1.0  # 万人 as in 近万人: ten thousand
            section += digit or 0.0
            if big == 100_000_000:
                total = (total + section) * big
            else:
                total += section * big
            section, digit, last_unit, last_small, zero_seen = 0.0, None, big, 0, False
            last_big = big
        else:
            return None
    if digit is not None:
        if last_unit >= 100 and not zero_seen and len(tokens) > 1 and not tokens[-1][0].isdigit():
            digit *= last_unit / 10  # 三千五 = 3500
        section += digit
    return total + section


def _decimal(s: str) -> float | None:
    """六十五点七 (65.7), 三点五万 (35000): the whole part, then the digits after 点 one by one."""
    whole, _, frac = s.partition(POINT)
    big = 1
    if frac and frac[-1] in BIG_UNITS:
        frac, big = frac[:-1], BIG_UNITS[frac[-1]]
    if not frac or not all(c in DIGITS for c in frac):
        return None
    head = parse_number(whole)
    if head is None:
        return None
    return (head + float("0." + "".join(str(DIGITS[c]) for c in frac))) * big
