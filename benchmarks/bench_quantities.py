"""Quantity parsing throughput over 10 MB of union-report text, beside two references measured
in the same run: a plain regular expression for Arabic numbers followed by a unit (the
practical ceiling) and chinese2digits (a Chinese-numeral converter, which finds the numbers of
a text but no unit or bound), line by line over the same text."""

from __future__ import annotations

import re

from .common import line, repeated_text, timed

PLAIN = re.compile(
    r"\d+(?:\.\d+)?(?:万|亿)?(?:人次|人|户|份|家|个|册|场|次|名|位|项|件|篇|期|元|%)"
)
NOT_FIGURES = re.compile(r"[年月日届第]")


def chinese2digits_numbers(text: str) -> int:
    """The numbers chinese2digits finds in ``text``, read line by line."""
    import chinese2digits

    return sum(
        len(chinese2digits.takeNumberFromString(li)["digitsStringList"])
        for li in text.splitlines()
        if li.strip()
    )


def run(min_chars: int = 10_000_000) -> dict:
    from analysis.quantities import parse_quantities

    text = repeated_text(min_chars)
    ours_s, found = timed(parse_quantities, text)
    plain_s, plain = timed(lambda t: sum(1 for _ in PLAIN.finditer(t)), text)
    c2d_s, c2d = timed(chinese2digits_numbers, text, repeat=1)
    suspicious = sum(1 for q in found if NOT_FIGURES.search(q.text))
    ours, ceiling, ref = len(text) / ours_s, len(text) / plain_s, len(text) / c2d_s
    print(f"quantities: {len(text) / 1e6:.1f} M characters (the seeds, repeated)")
    line("parse_quantities", f"{ours / 1e6:.2f} M chars/s, {len(found):,} quantities")
    line("chinese2digits, same text (reference)", f"{ref / 1e6:.2f} M chars/s, {c2d:,} numbers")
    line("ratio", f"{ours / ref:.1f} times chinese2digits (which gives no unit or bound)")
    line("plain regex (Arabic number + unit)", f"{ceiling / 1e6:.2f} M chars/s, {plain:,} matches")
    line("ratio", f"{ours / ceiling:.3f} of the plain scan")
    line("readings with 年/月/日/届/第 (dates, ordinals)", f"{suspicious}")
    return {
        "chars_per_s": ours,
        "chinese2digits_chars_per_s": ref,
        "ceiling_chars_per_s": ceiling,
        "quantities": len(found),
    }
