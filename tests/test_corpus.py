"""Reading a corpus: metadata of the real seeds, encodings, HTML, and files that cannot be read."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis.corpus import decode, read_corpus
from analysis.errors import DocumentError

# The expected metadata of the seeds (issue 2).
EXPECTED = {
    "000": (
        "靖西市总工会",
        "靖西市",
        "广西壮族自治区",
        "2022-12-14",
        "review",
        "2022-01-01",
        "2022-12-31",
    ),
    "001": ("景洪市总工会", "景洪市", "云南省", None, "review", "2022-01-01", "2024-12-31"),
    "002": ("安康市总工会", "安康市", "陕西省", "2024-06-21", "review", "2024-01-01", "2024-06-30"),
    "003": ("抚顺市总工会", "抚顺市", "辽宁省", "2020-10-23", "plan", "2021-01-01", "2025-12-31"),
    "004": ("阜宁县总工会", "阜宁县", "江苏省", "2015-02-02", "plan", "2015-01-01", "2015-12-31"),
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_metadata(seed_docs, seed):
    m = seed_docs[seed].meta
    got = (m.union, m.region, m.province, m.date, m.kind, m.period_start, m.period_end)
    assert got == EXPECTED[seed]


def test_titles_and_sources(seed_docs):
    assert seed_docs["000"].meta.title == "靖西市总工会:深化“六大抓手” 推动工会改革创新发展"
    assert seed_docs["000"].meta.source == "靖西网"
    assert (
        seed_docs["002"].meta.title == "凝聚“工”力量 建设“新”安康——安康市总工会2024年上半年工作综述"
    )
    assert seed_docs["002"].meta.source == "陕工网—陕西工人报"
    assert seed_docs["001"].meta.source == "民族时报"
    assert seed_docs["001"].meta.title_source == "first sentence"
    assert seed_docs["004"].meta.source is None  # "本网讯" does not name the site


def test_seeds_read_without_problems(seed_corpus):
    assert len(seed_corpus.documents) == 5
    assert seed_corpus.problems == []


def test_document_ids_are_file_names_without_extension(seed_docs):
    assert seed_docs["000"].id == "000_57f49d5991f0e14e"


def test_mixed_folder_gives_three_documents_and_two_named_problems(mixed_corpus):
    corpus = read_corpus(mixed_corpus)
    assert sorted(d.path for d in corpus.documents) == ["big5.txt", "gbk.txt", "page.html"]
    problems = {p.path: p.reason for p in corpus.problems}
    assert set(problems) == {"empty.txt", "image.txt"}
    assert "empty" in problems["empty.txt"]
    assert "not text" in problems["image.txt"]
    by_path = {d.path: d for d in corpus.documents}
    assert by_path["gbk.txt"].encoding in ("gb18030", "gbk", "gb2312")
    assert "覆盖职工13895人" in by_path["gbk.txt"].text
    assert by_path["big5.txt"].encoding == "big5"
    assert "覆盖职工4.6万余人" in by_path["big5.txt"].text  # Big5, then Traditional -> Simplified


def test_html_keeps_the_article_and_drops_scripts(mixed_corpus):
    doc = next(d for d in read_corpus(mixed_corpus).documents if d.path == "page.html")
    assert "新发展货车司机会员243人" in doc.text
    assert "cookie" not in doc.original and "注入的脚本" not in doc.original
    assert doc.meta.title == "安康市总工会2024年上半年工作综述"
    assert doc.meta.union == "安康市总工会"


def test_utf16_and_bom_files(tmp_path):
    text = "新建基层工会88家,发展工会会员6581人。"
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    docs = read_corpus(tmp_path).documents
    assert [d.text for d in docs] == [text, text]
    assert docs[0].text[0] != "\ufeff"


def test_truncated_utf8_is_read_with_a_warning():
    data = "发展工会会员6581人。".encode() + "会".encode()[:2]
    text, enc, warnings = decode(data, "cut.txt")
    assert text == "发展工会会员6581人。" and enc == "utf-8"
    assert "truncated" in warnings[0]


def test_too_large_file_is_skipped_with_its_size(tmp_path):
    (tmp_path / "big.txt").write_text("工会" * 1000, encoding="utf-8")
    (tmp_path / "ok.txt").write_text("新建基层工会88家。", encoding="utf-8")
    corpus = read_corpus(tmp_path, max_bytes=1000)
    assert [d.path for d in corpus.documents] == ["ok.txt"]
    assert corpus.problems[0].path == "big.txt" and "too large" in corpus.problems[0].reason


def test_decode_errors_name_the_file():
    with pytest.raises(DocumentError, match=r"^x\.txt: empty file"):
        decode(b"  \n", "x.txt")


def test_repeated_document_is_marked_duplicate(tmp_path, seeds_dir):
    text = (seeds_dir / "000_57f49d5991f0e14e.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b copy 副本.txt").write_text(text, encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [d.duplicate_of for d in corpus.documents] == [None, "a"]
    assert any("same text as a" in p.reason for p in corpus.problems)


def run_cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )


def test_corpus_command_lists_documents_and_problems(mixed_corpus):
    r = run_cli("corpus", str(mixed_corpus), "--format", "json")
    assert r.returncode == 0
    out = json.loads(r.stdout)
    assert len(out["documents"]) == 3 and len(out["problems"]) == 2
    assert "skipped: empty.txt: empty file" in r.stderr
    assert "Traceback" not in r.stderr


def test_corpus_command_fails_when_nothing_is_readable(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    r = run_cli("corpus", str(tmp_path))
    assert r.returncode == 1
    assert "empty.txt" in r.stderr


def test_corpus_command_table(seeds_dir):
    r = run_cli("corpus", str(seeds_dir))
    assert r.returncode == 0
    assert "景洪市总工会" in r.stdout and "2022至2024年" in r.stdout


def test_unions_of_zones_the_gazetteer_does_not_list():
    from analysis.metadata import union_mentions

    names = [
        name
        for _, name, _ in union_mentions(
            "今年恒口示范区总工会指导13家企业集体建会;安康市恒口示范区总工会"
        )
    ]
    assert names == ["恒口示范区总工会", "恒口示范区总工会"]  # not 今年恒口示范区总工会
