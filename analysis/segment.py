"""Words and keywords: the one module that segments Chinese text.

Segmentation is rjieba's (jieba-rs, jieba's algorithm and dictionary in Rust): it gives jieba's
words and keywords on every text we measured (the seeds, the development passages and a
generated corpus; a test holds the seeds' keywords to jieba's own) at a tenth of the cost, with
no "Building prefix dict" lines and no cache files. The union vocabulary of ``data/lexicon.yaml``
is its user dictionary.

Keywords are jieba's TF-IDF: its IDF table (``jieba/analyse/idf.txt``, read once per process)
and its extract_tags ranking, written out below because jieba's own extractor only runs on
jieba's Python segmenter, and importing it loads the part-of-speech model we never use.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

from .errors import AnalysisError
from .lexicon import load_lexicon
from .paths import package_folder

_WORDLIKE = re.compile(r"[\u4e00-\u9fff]{2,}")
# jieba.analyse.tfidf.KeywordExtractor.STOP_WORDS, as jieba's extract_tags leaves them out.
_JIEBA_STOP_WORDS = frozenset(
    "the of is and to in that we for an are by be as on with can if from which you it this then"
    " at have all not one has or".split()
)


@cache
def tokenizer():
    """Our segmenter, with the union vocabulary added (once per process).

    It is rjieba's default segmenter (``rjieba.cut``, ``rjieba.add_word``), which rjieba builds
    on import from jieba's dictionary: a segmenter of our own would read the dictionary a
    second time (0.13 s of every process)."""
    import rjieba

    for term in load_lexicon().terms:
        rjieba.add_word(term, max(rjieba.suggest_freq(term), 50_000), None)
    return rjieba


def words(text: str) -> list[str]:
    """The words of ``text`` (union terms kept whole).

    >>> words("签订工资专项集体合同63份")
    ['签订', '工资专项集体合同', '63', '份']
    """
    return [w for w in tokenizer().cut(text, True) if w.strip()]


def _jieba_file(*parts: str) -> Path:
    """A data file of the jieba package, found without importing jieba: its import loads the
    segmenter's HMM tables (0.25 s of every process), which we never use."""
    package = package_folder("jieba")
    if package is None:
        raise AnalysisError("jieba is missing (its IDF table ranks keywords): run `make venv`")
    return package.joinpath(*parts)


@cache
def _idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its median, as jieba.analyse.IDFLoader reads them."""
    content = _jieba_file("analyse", "idf.txt").read_bytes().decode("utf-8")
    lines = content.splitlines()
    parts = content.split()  # "word idf" per line: twice as fast as splitting line by line
    if len(parts) == 2 * len(lines):
        table = dict(zip(parts[::2], map(float, parts[1::2]), strict=True))
    else:  # a word with a space in it: line by line, as jieba reads it
        table = {}
        for line in lines:
            word, freq = line.strip().split(" ")
            table[word] = float(freq)
    return table, sorted(table.values())[len(table) // 2]


@cache
def _stop_words() -> frozenset[str]:
    return _JIEBA_STOP_WORDS | frozenset(load_lexicon().keyword_stopwords)


def keywords(text: str, k: int = 10) -> list[str]:
    """The ``k`` words most particular to ``text`` (TF-IDF against jieba's general corpus),
    leaving out words every union report uses (``keyword_stopwords`` in the lexicon).

    Ranked as jieba's ``extract_tags`` ranks: term frequency times IDF (the median IDF for
    unknown words), ties in order of first appearance.
    """
    weight = _weights()
    # Every word counted (in C), then the distinct ones weighed: the same counts, in order of
    # first appearance, at a fraction of a Python loop over every word.
    counts = Counter(tokenizer().cut(text, True))
    kept = {}
    for w in counts:
        idf = weight.get(w)
        if idf is None:
            idf = weight[w] = _weight(w)
        if idf >= 0:
            kept[w] = idf
    total = sum(counts[w] for w in kept)
    freq = {w: counts[w] * (idf / total) for w, idf in kept.items()}
    ranked = sorted(freq, key=freq.__getitem__, reverse=True)[: k * 3]
    return [w for w in ranked if _WORDLIKE.fullmatch(w)][:k]


@cache
def _weights() -> dict[str, float]:
    """Each word seen so far with its IDF, or -1 where it is no keyword (a stop word, a single
    character): a word's weight is worked out once per process, not once per document. It
    holds the distinct words of the texts seen (jieba's dictionary bounds them)."""
    return {}


def _weight(word: str) -> float:
    idf, median = _idf()
    if len(word.strip()) < 2 or word.lower() in _stop_words():
        return -1.0
    return idf.get(word, median)
