"""Words and keywords: rjieba behind our wrapper, quiet, with the union vocabulary, giving
jieba's keywords."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import DATA

from analysis.lexicon import load_lexicon, theme_counts
from analysis.segment import keywords, words
from benchmarks.bench_keywords import jieba_keywords


def test_segmenting_is_quiet_and_writes_nothing(tmp_path):
    code = "from analysis.segment import keywords; print(keywords('新建基层工会88家,发展会员'))"
    env = {"UNION_REPORTS_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # no "Building prefix dict", no warnings
    assert list(tmp_path.iterdir()) == []  # no cache files anywhere


def test_keywords_are_jiebas_on_the_seeds_and_generated_documents(seed_docs, tmp_path):
    from analysis.corpus import read_corpus
    from benchmarks.generate import generate

    generate(tmp_path / "gen", 30)
    texts = [d.text[:4000] for d in seed_docs.values()]
    texts += [d.text[:4000] for d in read_corpus(tmp_path / "gen").documents]
    for text in texts:
        assert keywords(text) == jieba_keywords(text)


@pytest.mark.parametrize(
    "term",
    [
        "集体协商",
        "工资专项集体合同",
        "建制率",
        "建会入会",
        "八大群体",
        "新就业形态劳动者",
        "职工之家",
        "四季送",
        "安康杯",
        "劳模创新工作室",
        "产业工人队伍建设改革",
    ],
)
def test_union_terms_stay_whole(term):
    assert term in words(f"今年以来,全市深入推进{term}工作。")


def test_lexicon_groups_terms_by_the_six_themes():
    lex = load_lexicon()
    assert [t.id for t in lex.themes] == [
        "bargaining",
        "membership",
        "services",
        "skills",
        "rights",
        "outreach",
    ]
    assert all(t.terms for t in lex.themes)


def test_keywords_of_a_seed_are_particular_to_it(seed_docs):
    kws = keywords(seed_docs["002"].text)
    assert "安康市" in kws
    assert not set(kws) & load_lexicon().keyword_stopwords


def test_theme_mix_of_a_bargaining_passage(seed_docs):
    counts = theme_counts(seed_docs["001"].text)
    assert counts["bargaining"] >= 3 and counts["membership"] >= 3


def test_reading_a_document_imports_neither_jieba_nor_cpca():
    # Their data (jieba's IDF table, cpca's adcodes) is read from their folders: importing them
    # loads an HMM model and an address matcher we never use, 0.6 s of every worker.
    code = (
        "import sys; from analysis.extraction import process_file; "
        "out = process_file(sys.argv[1], ''); "
        "print(len(out.document['keywords']) > 0, out.document['region'],"
        " 'jieba' in sys.modules, 'cpca' in sys.modules, 'pkg_resources' in sys.modules)"
    )
    seed = sorted((DATA / "seeds").glob("*.txt"))[0]
    r = subprocess.run([sys.executable, "-c", code, str(seed)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    keywords, region, *imported = r.stdout.split()
    assert keywords == "True" and region != "None"
    assert imported == ["False", "False", "False"]
