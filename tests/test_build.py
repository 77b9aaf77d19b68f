"""Building the reports: papermill runs each notebook, nbconvert renders it, incrementally."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import analysis_cmd

from analysis.build import build, build_lock, check_parameters, notebook_parameters
from analysis.errors import BuildError, ParameterError
from analysis.paths import project_root

pytestmark = pytest.mark.slow
NOTEBOOKS = project_root() / "notebooks"


@pytest.fixture(scope="module")
def built(tmp_path_factory, seeds_dir):
    root = tmp_path_factory.mktemp("build")
    corpus = root / "corpus"
    shutil.copytree(seeds_dir, corpus)
    out = root / "reports"
    result = build(corpus, out, quiet=True)
    return corpus, out, result


def html_files(out: Path) -> list[Path]:
    return sorted(out.glob("*.html"))


def test_every_report_is_built_and_linked(built):
    _, out, result = built
    assert result.ok and result.extracted
    names = {p.stem for p in html_files(out)} - {"index"}
    assert names == set(result.built)
    assert {"overview", "theme-bargaining", "theme-membership", "region-532801"} <= names
    index = (out / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="([^"]+)\.html"', index)) == names
    assert "集体协商" in index and "5 份文件" in index


def test_reports_are_self_contained_and_script_free(built):
    _, out, _ = built
    for path in html_files(out):
        html = path.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in html, path.name
        assert "<script" not in html.lower(), path.name
        assert not re.search(r'(?:src|href)="(?:https?:)?//', html), path.name
        body = html[html.index("<body") :]
        assert 'data-mime-type="application/vnd.jupyter.stderr"' not in body, path.name
        assert "Warning" not in body, path.name


def test_every_image_has_alt_text_and_every_output_can_be_focused(built):
    """Screen readers name each chart; a wide table can be scrolled by keyboard."""
    _, out, _ = built
    for path in html_files(out):
        html = path.read_text(encoding="utf-8")
        if path.name == "index.html":
            assert "<img" not in html
            continue
        images = re.findall(r"<img\b[^>]*>", html)
        assert all(re.search(r'alt="[^"]+"', img) for img in images), path.name
        outputs = re.findall(r'<div class="[^"]*jp-OutputArea-output[^"]*"[^>]*>', html)
        assert outputs, path.name
        assert all('tabindex="0"' in div for div in outputs), path.name


def test_reports_show_the_figures(built):
    _, out, _ = built
    html = (out / "theme-bargaining.html").read_text(encoding="utf-8")
    for figure in ("63份", "13895人", "441份", "≥46000人"):
        assert figure in html
    assert "如何阅读 How to read" in html and "theme = " not in html  # code hidden
    assert "16.6%" in (out / "theme-membership.html").read_text(encoding="utf-8")


def test_a_second_build_with_nothing_changed_does_nothing(built):
    corpus, out, _ = built
    before = {p.name: p.stat().st_mtime_ns for p in html_files(out)}
    again = build(corpus, out, quiet=True)
    assert again.built == [] and not again.extracted and again.ok
    assert {p.name: p.stat().st_mtime_ns for p in html_files(out)} == before


def test_a_build_with_nothing_to_do_reads_neither_database_nor_pandas_nor_documents(
    built, tmp_path
):
    corpus, out, _ = built
    work = tmp_path / "reports"
    shutil.copytree(out, work)  # a copy: another database file, so the first build checks it
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks)
    reports = len(html_files(work)) - 1  # and the index
    code = (
        "import sys; from analysis.build import build; "
        "r = build(sys.argv[1], sys.argv[2], notebooks=sys.argv[3], quiet=True); "
        "print(r.built, len(r.unchanged), 'pandas' in sys.modules, 'duckdb' in sys.modules,"
        " 'analysis.corpus' in sys.modules, 'tqdm' in sys.modules)"
    )

    def run() -> str:
        cmd = [sys.executable, "-c", code, str(corpus), str(work), str(notebooks)]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    assert run().startswith(f"[] {reports} True True")  # the copy's database is read once
    # Nor the modules that read documents (the lexicon, the gazetteer), nor the progress bars.
    assert run() == f"[] {reports} False False False False"
    last = json.loads((work / ".build" / "state.json").read_text(encoding="utf-8"))["last_build"]
    assert last["reports"] == 0 and not last["extracted"]  # what this build did, not the last
    nb = json.loads((notebooks / "overview.ipynb").read_text(encoding="utf-8"))
    nb["metadata"]["edited"] = True
    (notebooks / "overview.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    assert run().startswith(f"['overview'] {reports - 1} True True")
    (work / "index.html").unlink()
    assert run().startswith(f"[] {reports} True True") and (work / "index.html").is_file()
    assert run() == f"[] {reports} False False False False"


def test_only_the_reports_whose_facts_changed_are_rebuilt(built, tmp_path):
    corpus, out, _ = built
    work = tmp_path / "reports"
    shutil.copytree(out, work)
    doc = corpus / "003_b3b55612b6e764d5.txt"
    original = doc.read_bytes()
    try:
        doc.write_text(
            doc.read_text(encoding="utf-8").replace(
                "察势者智", "全年受理职工法律援助案件12件。察势者智"
            ),
            encoding="utf-8",
        )
        result = build(corpus, work, quiet=True)
    finally:
        doc.write_bytes(original)
    assert result.extracted
    assert set(result.built) == {"overview", "theme-rights", "region-210400"}
    # The index of the incremental build says what a full build of the changed corpus says.
    changed = (work / "index.html").read_text(encoding="utf-8")
    try:
        doc.write_text(
            doc.read_text(encoding="utf-8").replace(
                "察势者智", "全年受理职工法律援助案件12件。察势者智"
            ),
            encoding="utf-8",
        )
        fresh = tmp_path / "fresh"
        build(corpus, fresh, quiet=True, only=["overview"])
    finally:
        doc.write_bytes(original)

    def summaries(html: str) -> list[str]:
        return re.findall(r"<td>([^<]*份文件[^<]*)", html)

    assert summaries(changed) and summaries(changed) == summaries(
        (fresh / "index.html").read_text(encoding="utf-8")
    )


def test_a_failing_report_keeps_its_last_good_html(built, tmp_path):
    corpus, out, _ = built
    work = tmp_path / "reports"
    shutil.copytree(out, work)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks)
    nb = json.loads((notebooks / "theme.ipynb").read_text(encoding="utf-8"))
    nb["cells"][4]["source"] = ["1 / 0 if theme == 'rights' else report.overview()"]
    (notebooks / "theme.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    good = (work / "theme-rights.html").read_bytes()
    result = build(
        corpus, work, notebooks=notebooks, only=["theme-rights", "theme-skills"], quiet=True
    )
    assert list(result.failed) == ["theme-rights"]
    assert "ZeroDivisionError" in result.failed["theme-rights"] and result.failed[
        "theme-rights"
    ].startswith("cell ")
    assert result.built == ["theme-skills"]
    assert (work / "theme-rights.html").read_bytes() == good
    index = (work / "index.html").read_text(encoding="utf-8")
    assert "失败 Failed: cell" in index and "showing the last good report" in index


def test_notebook_parameters_are_declared_and_checked():
    params = notebook_parameters(NOTEBOOKS / "theme.ipynb")
    assert (
        params["theme"].type == "str"
        and params["theme"].default == "bargaining"
        and params["theme"].help
    )
    check_parameters(NOTEBOOKS / "theme.ipynb", {"theme": "rights", "max_rows": 5})
    with pytest.raises(ParameterError, match="unknown parameter 'colour'"):
        check_parameters(NOTEBOOKS / "theme.ipynb", {"colour": "red"})
    with pytest.raises(ParameterError, match="'max_rows' must be int, not str"):
        check_parameters(NOTEBOOKS / "theme.ipynb", {"max_rows": "5"})


def test_every_notebook_has_one_annotated_parameters_cell_and_no_outputs():
    for path in NOTEBOOKS.glob("*.ipynb"):
        assert notebook_parameters(path), path.name
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert all(
            not c.get("outputs") and not c.get("execution_count")
            for c in nb["cells"]
            if c["cell_type"] == "code"
        ), path.name
        assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_a_second_build_waits_for_the_lock_then_gives_up(built):
    corpus, out, _ = built
    with build_lock(out, wait=0), pytest.raises(BuildError, match="another build is running"):
        build(corpus, out, quiet=True, wait=0.5)


def test_kernel_is_found_without_any_kernelspec(built, tmp_path):
    """The classic "No such kernel" under cron: no venv on PATH, no user kernelspecs."""
    corpus, _, _ = built
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "JUPYTER_PATH": str(empty),
        "JUPYTER_DATA_DIR": str(empty),
        "JUPYTER_CONFIG_DIR": str(empty),
        "LANG": "C.UTF-8",
    }
    r = subprocess.run(
        analysis_cmd(
            "build", "--corpus", corpus, "--out", tmp_path / "out", "--only", "overview", "--quiet"
        ),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and r.stderr == ""  # quiet for cron
    assert (tmp_path / "out" / "overview.html").is_file()


def test_notebooks_read_the_database_of_the_build(tmp_path, seeds_dir):
    corpus = tmp_path / "one"
    corpus.mkdir()
    shutil.copy(seeds_dir / "000_57f49d5991f0e14e.txt", corpus)
    out = tmp_path / "out"
    assert build(corpus, out, only=["theme-bargaining"], quiet=True).ok
    html = (out / "theme-bargaining.html").read_text(encoding="utf-8")
    assert "13895人" in html and "441份" not in html  # 441份 is in another document
