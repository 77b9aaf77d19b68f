"""Hardening, second round (issue 13): a killed run leaves no process behind, headers agree
after an incremental build, ordinary mistakes are one line and exit 2, files get the user's
umask, and the smaller cases (symlink loops, deep pages, the lock's text, stale temporaries,
which duplicate is kept, a misspelt notebook parameter)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import SEEDS, analysis_cmd, seed_text

from analysis.build import build, build_lock
from analysis.corpus import read_corpus, read_document
from analysis.errors import BuildError, ParameterError
from analysis.facts import extract_facts
from analysis.paths import PACKAGE_DIR, project_root
from analysis.pipeline import run_extraction
from analysis.reports import reject_unknown_parameters
from analysis.store import Store

NOTEBOOKS = project_root() / "notebooks"


def cli(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(analysis_cmd(*args), capture_output=True, text=True, timeout=600, **kw)


def usage_error(r: subprocess.CompletedProcess) -> str:
    """The one line a usage error prints (exit status 2, no traceback)."""
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def write_corpus(root: Path, n: int) -> Path:
    """``n`` documents made from the seeds, each with a sentence of its own."""
    root.mkdir(parents=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (root / f"doc{i:03}.txt").write_text(
            f"{text}\n全县新建基层工会{i + 1}家,发展会员{i + 100}人。\n", encoding="utf-8"
        )
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seeds, built once."""
    root = tmp_path_factory.mktemp("run")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = root / "out"
    result = build(corpus, out, quiet=True)
    assert result.ok
    return corpus, out


# --------------------------------------------------------------------------- 3. kill -9


def _descendants_once(proc: psutil.Process, ready, timeout: float = 180) -> list[psutil.Process]:
    """The processes under ``proc`` once ``ready(them)`` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            kids = proc.children(recursive=True)
            if ready(kids):
                return kids
        except psutil.Error:
            pass
        time.sleep(0.1)
    raise AssertionError("the run never got that far")


def _cmdline(p: psutil.Process) -> str:
    try:
        return " ".join(p.cmdline())
    except psutil.Error:
        return ""


def _kill(proc: subprocess.Popen) -> None:
    """kill -9 the command alone (not its process group), as a user or the OOM killer would."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def _survivors(kids: list[psutil.Process]) -> list[str]:
    """What of a killed run's processes is still alive 5 s later."""
    _, alive = psutil.wait_procs(kids, timeout=5)
    survivors = [_cmdline(p)[:120] for p in alive]
    for p in alive:  # leave nothing behind, even when failing
        p.kill()
    return survivors


@pytest.mark.slow
def test_a_killed_build_leaves_no_process_and_nothing_writes_after_it(built):
    corpus, out = built
    proc = subprocess.Popen(
        analysis_cmd("build", "--corpus", corpus, "--out", out, "--force", "--quiet"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    kids = _descendants_once(
        psutil.Process(proc.pid),
        lambda kids: any("ipykernel_launcher" in _cmdline(k) for k in kids),
    )
    assert len(kids) >= 3  # workers, a kernel, the resource tracker
    _kill(proc)
    reports = {p.name: p.read_bytes() for p in out.glob("*.html")}
    assert _survivors(kids) == []
    assert {p.name: p.read_bytes() for p in out.glob("*.html")} == reports  # nobody wrote
    r = cli("build", "--corpus", corpus, "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    assert all(
        p.read_text(encoding="utf-8").rstrip().endswith("</html>") for p in out.glob("*.html")
    )


@pytest.mark.slow
def test_a_killed_extract_with_jobs_leaves_no_process_and_the_next_run_cleans_up(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", 120)  # 100 files or more: two workers
    db = tmp_path / "db" / "facts.duckdb"
    db.parent.mkdir()
    proc = subprocess.Popen(
        analysis_cmd("extract", corpus, "--db", db, "--jobs", "2", "--quiet"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    kids = _descendants_once(
        psutil.Process(proc.pid),
        lambda kids: (
            sum("spawn_main" in _cmdline(k) for k in kids) >= 2 and bool(temporaries(db.parent))
        ),
    )
    _kill(proc)
    assert _survivors(kids) == []
    assert temporaries(db.parent)  # what the killed run was writing
    assert not db.exists()
    r = cli("extract", SEEDS, "--db", db, "--quiet")
    assert r.returncode == 0, r.stderr
    assert temporaries(db.parent) == [] and Store(db).info()["documents"] == 5


def test_extract_removes_only_the_temporaries_of_dead_processes(tmp_path):
    db = tmp_path / "facts.duckdb"
    dead = next(pid for pid in range(4_000_000, 3_000_000, -1) if not psutil.pid_exists(pid))
    stale = [f".facts.duckdb.{dead}-abc.tmp", f".facts.duckdb.{dead}-abc.tmp.wal"]
    for name in stale:
        (tmp_path / name).write_bytes(b"left by a killed run")
    (tmp_path / f".facts.duckdb.{dead}-abc.tmp.spill").mkdir()
    running = tmp_path / f".facts.duckdb.{os.getppid()}-xyz.tmp"  # pytest's parent: alive
    running.write_bytes(b"another run, still writing")
    (tmp_path / "notes.tmp").write_bytes(b"not ours")
    r = cli("extract", SEEDS, "--db", db, "--quiet")
    assert r.returncode == 0, r.stderr
    assert temporaries(tmp_path) == sorted(["notes.tmp", running.name])


# --------------------------------------------------------------------------- 4. headers


def _meta_lines(out: Path) -> dict[str, str]:
    return {
        p.name: re.search(r'<p class="meta">(.*?)</p>', p.read_text(encoding="utf-8")).group(1)
        for p in out.glob("*.html")
        if p.name != "index.html"
    }


@pytest.mark.slow
def test_report_headers_agree_after_an_incremental_build(built, tmp_path):
    corpus, out = built
    work_corpus, work = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(corpus, work_corpus)
    shutil.copytree(out, work)
    (work_corpus / "005_new.txt").write_text(
        "旬阳市总工会2024年工作总结\n\n全年受理职工法律援助案件12件,为职工挽回经济损失30万元。\n",
        encoding="utf-8",
    )
    result = build(work_corpus, work, quiet=True)
    assert result.ok and result.extracted and result.built and result.unchanged
    metas = _meta_lines(work)
    assert len(set(metas.values())) == 1, metas  # rebuilt or not, every header says the same
    assert not re.search(r"\d+ (documents|figures)", next(iter(metas.values())))
    index = (work / "index.html").read_text(encoding="utf-8")
    assert "6 份文件" in index  # the corpus's counts: in the index, rebuilt every time


# --------------------------------------------------------------------------- 5. usage errors


@pytest.fixture
def places(tmp_path) -> Path:
    (tmp_path / "afile").write_text("not a folder")
    (tmp_path / "adir").mkdir()
    (tmp_path / "notes.txt").write_text("my notes, not a database")
    (tmp_path / "gold.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe" * 20)
    return tmp_path


@pytest.mark.parametrize(
    "args, says",
    [
        (["build", "--corpus", SEEDS, "--out", "afile"], "--out afile: is a file"),
        (["extract", SEEDS, "--db", "adir"], "--db adir: is a folder"),
        (["extract", SEEDS, "--db", "afile/x.duckdb"], "--db afile/x.duckdb: afile is a file"),
        (["extract", SEEDS, "--db", "notes.txt"], "--db notes.txt: is not a DuckDB database"),
        (["extract", SEEDS, "--db", "x.duckdb", "--out", "adir"], "--out adir: is a folder"),
        (["evaluate", SEEDS, "--gold", "gold.bin"], "--gold gold.bin: not UTF-8 text"),
        (["evaluate", SEEDS, "--gold", "none.jsonl"], "--gold none.jsonl: no such file"),
        (["build", "--corpus", "nowhere", "--out", "o"], "--corpus nowhere: no such folder"),
        (["extract", "nowhere", "--db", "x.duckdb"], "nowhere: no such folder"),
        (["corpus", "nowhere"], "nowhere: no such folder"),
        (["extract", SEEDS, "--max-bytes", "0"], "argument --max-bytes: must be at least 1"),
        (["build", "--max-bytes", "-1"], "argument --max-bytes: must be at least 1, not -1"),
        (["extract", SEEDS, "--jobs", "0"], "argument --jobs: must be at least 1, not 0"),
        (["build", "--jobs", "-2"], "argument --jobs: must be at least 1, not -2"),
        (["build", "--max-regions", "-1"], "argument --max-regions: must be at least 0"),
    ],
)
def test_an_ordinary_mistake_is_one_line_and_exit_2(places, args, says):
    line = usage_error(cli(*args, cwd=places))
    assert says in line
    assert not (places / "x.duckdb").exists() and not (places / "o").exists()  # nothing ran


@pytest.fixture
def read_only(tmp_path) -> Path:
    """A folder nobody may write in: permissions, or for root (who ignores them) a read-only
    file system where the system lets us mount one."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    mounted = False
    if os.access(folder, os.W_OK) and shutil.which("mount"):
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
                capture_output=True,
            ).returncode
            == 0
        )
    try:
        probe = folder / "probe"
        try:
            probe.write_text("")
        except OSError:
            yield folder
        else:
            probe.unlink()
            pytest.skip("this user can write in any folder")
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)
        folder.chmod(0o755)


def test_a_read_only_output_folder_is_one_line_and_exit_2(read_only):
    line = usage_error(cli("build", "--corpus", SEEDS, "--out", read_only))
    assert line.startswith(f"error: --out {read_only}: cannot write in")
    line = usage_error(cli("extract", SEEDS, "--db", read_only / "x.duckdb"))
    assert f"--db {read_only / 'x.duckdb'}: cannot write in" in line


@pytest.mark.parametrize(
    "old, new, says",
    [
        ("    units: ['%']", "    units: 5", "units must be a list of units"),
        ("    theme: bargaining", "    theme: [bargaining]", "wrong type"),
    ],
)
def test_a_broken_indicators_file_is_one_line_naming_it(tmp_path, old, new, says):
    """An edited copy of the package, so that the real data file is never touched."""
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGE_DIR, pkg / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    path = pkg / "analysis" / "data" / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(pkg)}
    r = cli("extract", SEEDS, "--db", tmp_path / "x.duckdb", cwd=pkg, env=env)
    line = usage_error(r)
    assert "indicators.yaml" in line and says in line
    assert not (tmp_path / "x.duckdb").exists()


def test_only_with_an_unknown_name_is_refused_before_extraction(seed_db, mixed_corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(seed_db, out / "union-reports.duckdb")
    before = (out / "union-reports.duckdb").read_bytes()
    line = usage_error(cli("build", "--corpus", mixed_corpus, "--out", out, "--only", "overveiw"))
    assert "--only overveiw: no such report" in line and "theme-bargaining" in line
    assert (out / "union-reports.duckdb").read_bytes() == before  # not replaced
    assert not list(out.glob("*.html"))


# --------------------------------------------------------------------------- 8. file modes


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_reports_index_and_state_follow_the_umask(built):
    _, out = built
    mask = os.umask(0)
    os.umask(mask)
    for path in [*out.glob("*.html"), out / ".build" / "state.json"]:
        assert _mode(path) == 0o666 & ~mask, path.name


@pytest.mark.slow
def test_files_get_the_mode_of_the_users_umask(tmp_path):
    def umask_027():
        os.umask(0o027)

    out = tmp_path / "out"
    r = subprocess.run(
        analysis_cmd("build", "--corpus", SEEDS, "--out", out, "--only", "overview", "--quiet"),
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=umask_027,
    )
    assert r.returncode == 0, r.stderr
    for path in (out / "overview.html", out / "index.html", out / ".build" / "state.json"):
        assert _mode(path) == 0o640, path.name
    export = tmp_path / "facts.csv"
    r = cli("extract", SEEDS, "--db", tmp_path / "x.duckdb", "--out", export, "--quiet")
    assert r.returncode == 0, r.stderr
    assert _mode(export) == 0o666 & ~_current_umask()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --------------------------------------------------------------------------- 9. smaller


def test_symlinks_that_lead_nowhere_are_named_as_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "loop.txt").symlink_to("loop.txt")
    (corpus / "a.txt").symlink_to("b.txt")
    (corpus / "b.txt").symlink_to("a.txt")
    (corpus / "gone.html").symlink_to("deleted.html")
    problems = {p.path: p.reason for p in read_corpus(corpus).problems}
    assert set(problems) == {"loop.txt", "a.txt", "b.txt", "gone.html"}
    assert "loops" in problems["loop.txt"] and "does not exist" in problems["gone.html"]
    db = tmp_path / "x.duckdb"
    r = cli("extract", corpus, "--db", db)
    assert r.returncode == 0, r.stderr
    assert "skipped: loop.txt: a symbolic link that loops" in r.stderr
    assert set(Store(db).problems()["path"]) == set(problems)
    assert Store(db).info()["documents"] == 5


def test_a_deeply_nested_page_with_chinese_text_is_read(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><head><title>旬阳市总工会工作动态</title></head><body>"
        + "<div>" * 10_000
        + "<p>今年以来,旬阳市新建工会组织12个,发展会员860人。</p>"
        + "</div>" * 10_000
        + "</body></html>",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert "新建工会组织12个" in doc.text and doc.meta.title == "旬阳市总工会工作动态"
    assert {f.value for f in extract_facts(doc)} >= {12.0, 860.0}


def test_a_build_that_gives_up_leaves_the_lock_naming_its_holder(tmp_path):
    out = tmp_path / "out"
    lock = out / ".build" / "lock"
    with build_lock(out):
        held = lock.read_text()
        assert held.startswith(f"pid {os.getpid()}, started ")
        for _ in range(2):  # the second waiter names the holder as well as the first
            with pytest.raises(BuildError, match=re.escape(held)), build_lock(out, wait=0):
                pass
            assert lock.read_text() == held


def test_of_two_identical_files_the_earlier_modified_then_the_shorter_path_is_kept(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = seed_text("000")
    files = {
        "aaa_copy.txt": 2_000_000_000,  # sorts first, but is the later copy
        "report.txt": 1_000_000_000,
        "sub/report-again.txt": 1_000_000_000,  # as old, but a longer path
    }
    for name, mtime in files.items():
        (corpus / name).parent.mkdir(exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
        os.utime(corpus / name, (mtime, mtime))
    dups = {d.path: d.duplicate_of for d in read_corpus(corpus).documents}
    assert dups == {"aaa_copy.txt": "report", "report.txt": None, "sub/report-again.txt": "report"}
    db = tmp_path / "x.duckdb"
    run_extraction(corpus, db, progress=False)
    docs = Store(db).documents().set_index("path")
    assert docs["duplicate_of"].dropna().to_dict() == {k: v for k, v in dups.items() if v}
    assert docs.loc["report.txt", "facts"] > 0 and docs.loc["aaa_copy.txt", "facts"] == 0


# --------------------------------------------------------------------------- 10. notebooks


def _history(**given) -> dict:
    """A notebook's namespace as papermill leaves it: the parameters cell, then its own."""
    params = (NOTEBOOKS / "theme.ipynb").read_text(encoding="utf-8")
    cell = next(
        c for c in json.loads(params)["cells"] if "parameters" in c["metadata"].get("tags", [])
    )
    injected = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in given.items())
    return {"In": ["", "".join(cell["source"]), injected, "report = ..."]}


def test_injected_parameters_are_checked_against_the_parameters_cell():
    reject_unknown_parameters(_history(theme="rights", max_rows=5))
    reject_unknown_parameters({"In": ["", "theme = 'x'"]})  # run by hand: nothing injected
    with pytest.raises(
        ParameterError, match="unknown parameter 'them'; this notebook takes theme, db, max_rows"
    ):
        reject_unknown_parameters(_history(them="bargaining"))
    with pytest.raises(ParameterError, match="'max_rows' must be int, not str"):
        reject_unknown_parameters(_history(max_rows="many"))


@pytest.mark.slow
def test_a_notebook_run_by_hand_with_a_misspelt_parameter_fails_in_one_line(seed_db, tmp_path):
    papermill = Path(sys.executable).with_name("papermill")
    out = tmp_path / "out.ipynb"
    r = subprocess.run(
        [str(papermill), str(NOTEBOOKS / "theme.ipynb"), str(out), "-p", "them", "bargaining",
         "-p", "db", str(seed_db)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode != 0
    line = "ParameterError: unknown parameter 'them'; this notebook takes theme, db, max_rows"
    assert line in r.stderr
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    (error,) = [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert len(error["traceback"]) == 1 and error["traceback"][0].startswith(line)
    injected = next(
        n for n, c in enumerate(cells) if "injected-parameters" in c["metadata"].get("tags", [])
    )
    after = next(c for c in cells[injected + 1 :] if c["cell_type"] == "code")
    assert after["outputs"] == [error]  # the first cell after the parameters
