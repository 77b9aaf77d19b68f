"""Keywords: ours (rjieba's segmenter, jieba's TF-IDF ranking) beside jieba's own
``extract_tags`` with the same user dictionary and stop words, measured in the same run on the
same texts (the first 4,000 characters of generated documents, as extraction takes them):
throughput, set-up, and how often the two agree."""

from __future__ import annotations

import functools
import logging
import re
import tempfile
import time
from pathlib import Path

from .common import line
from .generate import generate


@functools.cache
def jieba_tfidf():
    """jieba itself (its Python segmenter and TF-IDF), with the same user dictionary and stop
    words as ours: the reference our keywords must equal (tests/test_segment.py holds them)."""
    import jieba
    import jieba.analyse

    from analysis.lexicon import load_lexicon

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for term in load_lexicon().terms:
        tk.add_word(term, freq=max(tk.suggest_freq(term, tune=False), 50_000))
    tfidf = jieba.analyse.TFIDF()
    tfidf.tokenizer = tk
    tfidf.stop_words = set(tfidf.stop_words) | set(load_lexicon().keyword_stopwords)
    return tfidf


def jieba_keywords(text: str, k: int = 10) -> list[str]:
    """jieba's ``extract_tags`` keywords of ``text``, filtered as ours are."""
    found = jieba_tfidf().extract_tags(text, topK=k * 3)
    return [w for w in found if re.fullmatch(r"[\u4e00-\u9fff]{2,}", w)][:k]


def run(docs: int = 300) -> dict:
    from analysis.corpus import read_corpus

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp) / "gen", docs)
        texts = [d.text[:4000] for d in read_corpus(Path(tmp) / "gen").documents]
    chars = sum(map(len, texts))
    t = time.perf_counter()
    from analysis.segment import keywords as ours

    ours("工会")  # set-up: dictionary, user words, IDF table
    ours_setup = time.perf_counter() - t
    t = time.perf_counter()
    reference = jieba_keywords
    reference("工会")
    ref_setup = time.perf_counter() - t
    t = time.perf_counter()
    mine = [ours(x) for x in texts]
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    theirs = [reference(x) for x in texts]
    ref_s = time.perf_counter() - t
    same = sum(a == b for a, b in zip(mine, theirs, strict=True))
    print(
        f"keywords: {len(texts)} generated documents, first 4,000 characters ({chars / 1e6:.2f} M)"
    )
    line(
        "ours (rjieba + jieba's TF-IDF)",
        f"{chars / ours_s / 1e6:.2f} M chars/s, set-up {ours_setup:.2f} s",
    )
    line(
        "jieba extract_tags (reference)",
        f"{chars / ref_s / 1e6:.2f} M chars/s, set-up {ref_setup:.2f} s",
    )
    line("ratio", f"{ref_s / ours_s:.1f} times jieba's speed")
    line("documents with the same keywords", f"{same} of {len(texts)}")
    return {"ours_s": ours_s, "jieba_s": ref_s, "same": same, "documents": len(texts)}
