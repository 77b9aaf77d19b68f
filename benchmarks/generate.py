"""A realistic corpus of any size, made by recombining the sentences of the seeds.

Each generated document takes the shape of one seed (a review or a plan, with page clutter
above and below), names a county-level union drawn from the gazetteer, moves every year to one
drawn for it, and scales every figure by a factor of its own, so that documents differ in what
they say while reading like the real ones. A tenth are written in GB18030, as many Chinese sites
still serve. The same ``seed`` gives the same corpus.

    python -m benchmarks.generate OUT_DIR [--docs 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from .common import SEEDS

_SEED_REGIONS = re.compile("靖西市|景洪市|安康市|抚顺市|阜宁县|靖西|景洪|安康|抚顺|阜宁")
_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?!\d)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _places(rng: random.Random, n: int) -> list:
    from analysis.gazetteer import _table

    counties = sorted(
        {
            p
            for ps in _table().values()
            for p in ps
            if p.level == "county" and p.name.endswith(("县", "市"))
        },
        key=lambda p: p.adcode,
    )
    return [rng.choice(counties) for _ in range(n)]


def _scale(sentence: str, factor: float) -> str:
    """Scale the figures of a sentence (quantities only: not dates, sessions or slogans)."""
    from analysis.quantities import parse_quantities

    out, last = [], 0
    for q in parse_quantities(sentence):
        m = _NUMBER.search(sentence, q.start, q.end)
        if not m or q.unit == "%":
            continue
        value = float(m.group()) * factor
        text = f"{value:.1f}" if "." in m.group() else str(max(1, round(value)))
        out.append(sentence[last : m.start()] + text)
        last = m.end()
    out.append(sentence[last:])
    return "".join(out)


def _seed_parts():
    from analysis.corpus import read_corpus
    from analysis.lexicon import domain_pattern
    from analysis.text import classify_lines, clean

    parts = []
    for doc in read_corpus(SEEDS).documents:
        normalized = clean(
            doc.original,
            steps=["normalize_newlines", "strip_pinyin", "to_simplified", "fold_width"],
        ).text
        lines = classify_lines(normalized, domain_pattern())
        clutter = [
            normalized[li.start : li.end]
            for li in lines
            if li.kind in ("clutter", "meta") and li.reason != "date"
        ]
        paragraphs = [p for p in doc.text.split("\n") if p.strip()]
        parts.append({"kind": doc.meta.kind, "paragraphs": paragraphs, "clutter": clutter})
    return parts


def generate(out: Path, docs: int = 10_000, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    parts = _seed_parts()
    pool = [p for part in parts for p in part["paragraphs"]]
    places = _places(rng, docs)
    written = []
    for i in range(docs):
        shape = parts[i % len(parts)]
        place = places[i]
        year = rng.randint(2015, 2024)
        shift = year - 2022
        paragraphs = list(shape["paragraphs"])
        # Swap about a third of the paragraphs for paragraphs of other seeds.
        for k in range(len(paragraphs)):
            if rng.random() < 0.33:
                paragraphs[k] = rng.choice(pool)
        factor = rng.uniform(0.3, 3.0)
        body = []
        for para in paragraphs:
            para = _SEED_REGIONS.sub(place.name, para)
            para = _YEAR.sub(lambda m, s=shift: str(int(m.group(1)) + s), para)
            body.append(_scale(para, factor))
        kind_word = "工作计划" if shape["kind"] == "plan" else "工作综述"
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        published = (
            f"{year + (shape['kind'] != 'plan')}-{month:02d}-{day:02d}"
            if shape["kind"] != "plan"
            else f"{year}-01-{day:02d}"
        )
        header = [
            f"{place.name}总工会{year}年{kind_word}",
            "",
            f"{published} 来源:{place.prefecture or place.province}工会网",
            "",
        ]
        footer = ["", *rng.sample(shape["clutter"], k=min(3, len(shape["clutter"])))]
        text = "\n".join(header + body + footer) + "\n"
        path = out / f"{i:05d}_{place.adcode}.txt"
        encoding = "gb18030" if rng.random() < 0.1 else "utf-8"
        path.write_bytes(text.encode(encoding, errors="replace"))
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out", type=Path, help="folder to write the documents into")
    parser.add_argument(
        "--docs", type=int, default=10_000, help="how many documents (default 10000)"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args()
    files = generate(args.out, args.docs, args.seed)
    size = sum(p.stat().st_size for p in files)
    print(f"wrote {len(files)} documents, {size / 1e6:.1f} MB, into {args.out}")


if __name__ == "__main__":
    main()
