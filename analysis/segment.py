"""Words and keywords: the one module that imports jieba.

jieba is wrapped so that it is quiet (its "Building prefix dict" lines never reach a terminal
or a rendered report), keeps its cache in our cache folder rather than the system temp folder,
and knows the union vocabulary of ``data/lexicon.yaml`` as its user dictionary.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from .lexicon import load_lexicon
from .paths import cache_dir

_WORDLIKE = re.compile(r"[\u4e00-\u9fff]{2,}")


@cache
def tokenizer():
    """Our jieba tokenizer, with the union vocabulary added (built once per process)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(cache_dir())
    tk.initialize()
    for term in load_lexicon().terms:
        tk.add_word(term, freq=max(tk.suggest_freq(term, tune=False), 50_000))
    return tk


def words(text: str) -> list[str]:
    """The words of ``text`` (union terms kept whole).

    >>> words("签订工资专项集体合同63份")
    ['签订', '工资专项集体合同', '63', '份']
    """
    return [w for w in tokenizer().cut(text) if w.strip()]


@cache
def _tfidf():
    import jieba.analyse

    tfidf = jieba.analyse.TFIDF()
    tfidf.tokenizer = tokenizer()
    tfidf.stop_words = set(tfidf.stop_words) | set(load_lexicon().keyword_stopwords)
    return tfidf


def keywords(text: str, k: int = 10) -> list[str]:
    """The ``k`` words most particular to ``text`` (TF-IDF against jieba's general corpus),
    leaving out words every union report uses (``keyword_stopwords`` in the lexicon)."""
    found = _tfidf().extract_tags(text, topK=k * 3)
    return [w for w in found if _WORDLIKE.fullmatch(w)][:k]
