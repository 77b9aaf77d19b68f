"""The union vocabulary of ``data/lexicon.yaml``: themes, their terms, groups of workers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import yaml

from .errors import DataFileError
from .paths import data_file, parse_yaml


@dataclass(frozen=True)
class Theme:
    id: str
    label_zh: str
    label_en: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    themes: tuple[Theme, ...]
    groups: tuple[str, ...]
    core: tuple[str, ...]
    keyword_stopwords: frozenset[str]

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(f"unknown theme {theme_id!r}; known: {[t.id for t in self.themes]}")

    @property
    def terms(self) -> tuple[str, ...]:
        """Every term of every theme, and the groups, once each."""
        seen: dict[str, None] = {}
        for t in self.themes:
            seen.update(dict.fromkeys(t.terms))
        seen.update(dict.fromkeys(self.groups))
        return tuple(seen)


def _alternation(words) -> re.Pattern:
    """Matches any of ``words``, the longest at each place (as a trie: see :func:`trie_pattern`)."""
    return re.compile(trie_pattern(set(words)))


@cache
def load_lexicon() -> Lexicon:
    """Read ``data/lexicon.yaml`` (once per process)."""
    path = data_file("lexicon.yaml")
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
        themes = tuple(
            Theme(tid, t["label_zh"], t["label_en"], tuple(t["terms"]))
            for tid, t in raw["themes"].items()
        )
        return Lexicon(
            themes=themes,
            groups=tuple(raw["groups"]),
            core=tuple(raw["core"]),
            keyword_stopwords=frozenset(raw.get("keyword_stopwords", ())),
        )
    except (OSError, KeyError, TypeError, AttributeError, yaml.YAMLError) as e:
        raise DataFileError(
            f"{path}: cannot read the lexicon ({e}); fix or restore the file"
        ) from e


@cache
def domain_pattern() -> re.Pattern:
    """Matches a word that makes a line about union work (core words and every term)."""
    lex = load_lexicon()
    return _alternation(lex.core + lex.terms)


@cache
def group_pattern() -> re.Pattern:
    """Matches the groups of workers a figure can be about, longest first."""
    return _alternation(load_lexicon().groups)


def theme_counts(text: str) -> dict[str, int]:
    """How many times the terms of each theme occur in ``text`` (longest term wins at a place).

    >>> theme_counts("签订集体合同441份,新建基层工会88家")["bargaining"]
    1
    """
    pattern, owner, themes = _term_pattern()
    counts = dict.fromkeys(themes, 0)
    for term in pattern.findall(text):
        counts[owner[term]] += 1
    return counts


@cache
def _term_pattern() -> tuple[re.Pattern, dict[str, str], tuple[str, ...]]:
    """The pattern of every theme's terms, the theme each term counts for (the first that
    lists it) and the themes in file order: built once."""
    lex = load_lexicon()
    owner: dict[str, str] = {}
    for t in lex.themes:
        for term in t.terms:
            owner.setdefault(term, t.id)
    pattern = _alternation(t for th in lex.themes for t in th.terms)
    return pattern, owner, tuple(t.id for t in lex.themes)


def trie_pattern(words: Iterable[str]) -> str:
    """One regular expression for a set of literal words, shaped as a trie, longest first.

    Python's ``re`` tries the branches of ``a|b|c`` one by one at each position; a trie tries
    each first character once, so hundreds of words cost about as much as a few.

    >>> p = re.compile(trie_pattern(["工会", "工会组织", "会员"]))
    >>> p.findall("工会组织和工会会员")
    ['工会组织', '工会', '会员']
    """
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(root)
