"""What a scheduled job meets: awkward files, hostile text, builds killed or run twice at once."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from conftest import BAD_MAX_BYTES, analysis_cmd

from analysis.store import Store


def cli(*args, timeout=600, **kw):
    return subprocess.run(
        analysis_cmd(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("skipped: ", "warning: "))]


def test_extract_over_the_bad_corpus(bad_corpus, tmp_path):
    root, fates = bad_corpus
    db = tmp_path / "bad.duckdb"
    r = cli("extract", str(root), "--db", str(db), "--max-bytes", str(BAD_MAX_BYTES))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    lines = problem_lines(r.stderr)
    for name, fate in fates.items():
        mentions = [line for line in lines if line.split(": ", 2)[1] == name]
        if fate in ("skipped", "warning", "duplicate"):
            assert len(mentions) == 1, (name, lines)  # named once, with its reason
            assert mentions[0].startswith("skipped" if fate == "skipped" else "warning")
        else:
            assert not mentions, (name, lines)
    assert "too large" in next(line for line in lines if "huge.txt" in line)
    assert "empty file" in next(line for line in lines if "empty.txt" in line)
    assert "not text" in next(line for line in lines if "binary.txt" in line)
    assert "same text as 000" in next(line for line in lines if "副本" in line)
    with Store(db) as store:
        docs = store.documents().set_index("path")
        readable = {n for n, f in fates.items() if f != "skipped"}
        assert set(docs.index) == readable
        assert docs.loc["工会 报告 副本.txt", "duplicate_of"] == "000"
        assert (
            docs.loc["utf16-bom.txt", "encoding"] == "utf-16"
            and docs.loc["big5.txt", "encoding"] == "big5"
        )
        assert docs.loc["gb18030.txt", "union_name"] == "安康市总工会"
        assert docs.loc["crlf.txt", "union_name"] == "景洪市总工会"
        facts = store.facts()
        assert not facts[facts["doc"] == "工会 报告 副本"].size  # the duplicate adds nothing
        page = facts[facts["doc"] == "page"]
        assert set(page["value"]) >= {12.0, 860.0}
        assert (
            "<script>window.__pwned = 1</script>" in page["sentence"].iloc[0]
        )  # text, kept as text
        assert "head" not in " ".join(page["sentence"])  # the page's own script is not text


def test_nothing_readable_exits_1_and_keeps_the_database(tmp_path, seed_db):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    db = tmp_path / "kept.duckdb"
    shutil.copy(seed_db, db)
    r = cli("extract", str(bad), "--db", str(db))
    assert r.returncode == 1
    assert "skipped: empty.txt: empty file" in r.stderr and "was kept" in r.stderr
    assert Store(db).info()["documents"] == 5
    r = cli("build", "--corpus", str(bad), "--out", str(tmp_path / "out"), "--quiet")
    assert (
        r.returncode == 1
        and "no document could be read" in r.stderr
        and "Traceback" not in r.stderr
    )


@pytest.mark.slow
def test_build_over_the_bad_corpus_names_each_problem_once_in_the_overview(bad_corpus, tmp_path):
    root, fates = bad_corpus
    out = tmp_path / "out"
    r = cli(
        "build",
        "--corpus",
        str(root),
        "--out",
        str(out),
        "--max-bytes",
        str(BAD_MAX_BYTES),
        "--only",
        "overview",
        "theme",
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    html = (out / "overview.html").read_text(encoding="utf-8")
    problems = html[html.index("问题 Problems") :]
    for name, fate in fates.items():
        if fate in ("skipped", "warning", "duplicate"):
            assert problems.count(f"<td>{name}</td>") == 1, name
    assert "<script>window" not in html and "&lt;script&gt;window.__pwned" in (
        out / "theme-membership.html"
    ).read_text(encoding="utf-8")


def _wait_for_kernel(timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        if "ipykernel_launcher" in ps:
            return
        time.sleep(0.1)
    raise AssertionError("no notebook started running")


def _complete(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return text.lstrip().startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory, seeds_dir):
    root = tmp_path_factory.mktemp("killed")
    corpus = root / "corpus"
    shutil.copytree(seeds_dir, corpus)
    out = root / "out"
    assert cli("build", "--corpus", str(corpus), "--out", str(out), "--quiet").returncode == 0
    return corpus, out


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["extraction", "notebook"])
def test_a_build_killed_at_any_point_leaves_everything_readable(built_once, moment):
    corpus, out = built_once
    before = {p.name: p.read_bytes() for p in out.glob("*.html")}
    proc = subprocess.Popen(
        analysis_cmd("build", "--corpus", corpus, "--out", out, "--force", "--quiet"),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if moment == "notebook":
            _wait_for_kernel()
        else:
            time.sleep(0.8)  # extraction of the seeds takes about two seconds
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the build, its workers and their kernels
        proc.wait()
    time.sleep(0.5)
    for path in out.glob("*.html"):
        assert _complete(path), path.name  # the old report or a finished new one, never a part
    assert set(before) <= {p.name for p in out.glob("*.html")}
    with duckdb.connect(str(out / "union-reports.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] > 0
    r = cli("build", "--corpus", str(corpus), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert not list(out.glob(".*.tmp"))
    assert all(_complete(p) for p in out.glob("*.html"))


@pytest.mark.slow
def test_two_builds_at_once_do_not_corrupt_each_other(built_once):
    corpus, out = built_once
    cmd = analysis_cmd("build", "--corpus", corpus, "--out", out, "--force")
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    second = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, err1 = first.communicate(timeout=600)
    _, err2 = second.communicate(timeout=600)
    assert first.returncode == 0 and second.returncode == 0, (err1, err2)
    assert "another build is running" in err2 and "waiting" in err2
    assert all(_complete(p) for p in out.glob("*.html"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'href="[^"]+\.html"', index)) == len(list(out.glob("*.html"))) - 1
