"""Extraction time is linear in a document's figures: one 200 KB sentence of 10,000 figures
(every figure in one clause, the worst case for reading around each) beside 200 KB of
ordinary report text (generated documents), each read and extracted by ``process_file`` in
this process, warm."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .common import line
from .generate import generate

SIZE = 200_000  # bytes
FIGURES = 10_000
REPEATS = 5


def one_sentence(size: int = SIZE, figures: int = FIGURES) -> str:
    """One sentence, one clause: 全县新建工会1家、新建工会2家、... to ``size`` bytes."""
    items = [f"新建工会{i % 90 + 1}家" for i in range(figures)]
    text = "全县" + "、".join(items) + "。"
    while len(text.encode("utf-8")) > size:
        items.pop()
        text = "全县" + "、".join(items) + "。"
    return text


def _extract_all(paths: list[Path], root: Path) -> tuple[float, int]:
    from analysis.extraction import process_file

    t = time.perf_counter()
    facts = sum(len(process_file(str(p), str(root)).facts) for p in paths)
    return time.perf_counter() - t, facts


def run() -> dict:
    from analysis.extraction import process_file

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ordinary = root / "ordinary"
        generate(ordinary, 200)
        chosen, total = [], 0
        for p in sorted(ordinary.iterdir()):
            if total >= SIZE:
                p.unlink()
                continue
            chosen.append(p)
            total += p.stat().st_size
        long = root / "one-sentence.txt"
        long.write_text(one_sentence(), encoding="utf-8")
        process_file(str(chosen[0]), str(root))  # warm: dictionaries, jieba, the gazetteer
        # Each taken at its best of five, the two interleaved, so that a slow spell of a shared
        # machine falls on both alike.
        ordinary, one = [], []
        for _ in range(REPEATS):
            ordinary.append(_extract_all(chosen, root))
            one.append(_extract_all([long], root))
        (ordinary_s, ordinary_facts), (long_s, long_facts) = min(ordinary), min(one)
        long_size = long.stat().st_size
    print(
        f"limits: {long_size / 1e3:.0f} KB in one sentence vs {total / 1e3:.0f} KB of ordinary text"
    )
    line(
        "ordinary report text (reference)",
        f"{ordinary_s:.2f} s, {len(chosen)} documents, {ordinary_facts:,} facts",
    )
    line("one sentence of 10,000 figures", f"{long_s:.2f} s, {long_facts:,} facts")
    line("ratio (at most 3 by the hardening issue)", f"{long_s / ordinary_s:.2f}")
    return {"ordinary_s": ordinary_s, "one_sentence_s": long_s, "ratio": long_s / ordinary_s}
