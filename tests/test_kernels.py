"""Warm report kernels: one kernel runs many reports, each in a namespace as a new kernel has it,
with papermill's cell of parameters; a failing cell keeps the kernel, a dead kernel is
replaced."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from analysis import build
from analysis.build import WarmKernel, parameterized, render_report
from analysis.paths import project_root

pytestmark = pytest.mark.slow
NOTEBOOKS = project_root() / "notebooks"

#: What a report could find of the one before it, and where it runs.
LOOK_AROUND = """
import os
print(sorted(k for k in globals() if not k.startswith("_") and k != "os"))
print(len(In), get_ipython().execution_count, os.getcwd())
print(os.getpid())
"""


def notebook(*sources: str):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def stdout(nb) -> list[str]:
    return [o["text"] for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout"]


@pytest.fixture
def kernel(tmp_path):
    k = WarmKernel(str(tmp_path))
    yield k
    k.close()


def test_each_report_finds_the_namespace_of_a_new_kernel(kernel, tmp_path):
    fresh = WarmKernel(str(tmp_path))
    try:
        expected = stdout(fresh.execute(notebook(LOOK_AROUND)))
    finally:
        fresh.close()
    first = kernel.execute(notebook("x = 1\nimport json\nos = None", "y = x + 1"))
    assert first.cells[1].execution_count == 2
    kernel.execute(notebook("import os; os.chdir('/')"))  # the next one starts where it should
    looked = stdout(kernel.execute(notebook(LOOK_AROUND)))
    assert looked[:-1] == expected[:-1]  # no x, y or json; In and the count from 1; the folder
    assert looked[-1] != expected[-1]  # in another kernel than a new one: the warm one


def test_a_report_s_cycles_are_collected_and_the_loaded_stack_is_left_alone(kernel):
    # What a report leaves in reference cycles is freed before the next report runs; the
    # modules loaded at the start are frozen, so the collections before each report do not
    # walk them again (that cost 0.14 s a report).
    kernel.execute(
        notebook(
            "import gc, weakref\n"
            "class Node: pass\n"
            "a, b = Node(), Node()\n"
            "a.other, b.other = b, a\n"
            "import builtins; builtins._left = weakref.ref(a)"
        )
    )
    seen = stdout(
        kernel.execute(
            notebook(
                "import builtins, gc, sys\n"
                "print(builtins._left() is None, gc.get_freeze_count() > 10_000,"
                " 'analysis.reports' in sys.modules)"
            )
        )
    )
    assert seen == ["True True True\n"]


#: What a kernel given a port that another one took writes to its stderr as it dies.
DEATH = "Traceback (most recent call last):\nzmq.error.ZMQError: Address already in use"


def _dying_kernels(monkeypatch, deaths: int) -> None:
    """The next ``deaths`` kernels die as they start, as one does that was given a port another
    kernel took."""
    real = build._kernel_manager_class()
    left = [deaths]

    class Dying(real):
        @property
        def kernel_spec(self):
            spec = super().kernel_spec
            argv = [sys.executable, "-c", f"import sys; sys.exit({DEATH!r})"]
            return type(spec)(**{**spec.to_dict(), "argv": argv})

    def manager_class():
        if left[0] > 0:
            left[0] -= 1
            return Dying
        return real

    monkeypatch.setattr(build, "_kernel_manager_class", manager_class)


def test_a_kernel_that_dies_as_it_starts_is_started_again_quietly(monkeypatch, tmp_path, capfd):
    _dying_kernels(monkeypatch, 1)
    k = WarmKernel(str(tmp_path))
    try:
        assert stdout(k.execute(notebook("print(6 * 7)"))) == ["42\n"]
    finally:
        k.close()
    assert "Traceback" not in capfd.readouterr().err


def test_a_kernel_that_never_starts_is_one_line(monkeypatch, tmp_path, capfd):
    _dying_kernels(monkeypatch, build._KERNEL_STARTS)
    k = WarmKernel(str(tmp_path))
    try:
        with pytest.raises(build.BuildError) as e:
            k.execute(notebook("print(1)"))
    finally:
        k.close()
    assert str(e.value) == (
        "the report kernel did not start (zmq.error.ZMQError: Address already in use)"
    )
    assert "Traceback" not in capfd.readouterr().err


def test_a_failing_cell_keeps_the_kernel_and_a_dead_one_is_replaced(kernel):
    pid = "import os; print(os.getpid())"
    first = stdout(kernel.execute(notebook(pid)))
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        kernel.execute(notebook("1 / 0"))
    assert stdout(kernel.execute(notebook(pid))) == first
    with pytest.raises(Exception):  # noqa: B017 - whatever nbclient says of a kernel that died
        kernel.execute(notebook("import os; os._exit(1)"))
    assert stdout(kernel.execute(notebook(pid))) != first


def test_parameters_are_injected_as_papermill_injects_them():
    import papermill

    params = {"theme": "rights", "db": "/x/y.duckdb", "max_rows": 5}
    ours = parameterized(NOTEBOOKS / "theme.ipynb", params)
    theirs = papermill.execute_notebook(
        str(NOTEBOOKS / "theme.ipynb"),
        None,
        parameters=params,
        prepare_only=True,
        kernel_name="python3",
    )
    assert [(c.cell_type, c.source, c.metadata.get("tags")) for c in ours.cells] == [
        (c.cell_type, c.source, c.metadata.get("tags")) for c in theirs.cells
    ]
    injected = next(c for c in ours.cells if "injected-parameters" in c.metadata["tags"])
    assert injected.source.startswith("# Parameters\n") and "max_rows = 5" in injected.source


@pytest.fixture
def worker_kernel():
    """render_report's kernel in this process, shut down afterwards."""
    yield
    if build._WARM is not None:
        build._WARM.close()
        build._WARM = None


def test_reports_in_one_kernel_check_their_parameters_and_write_html(
    seed_db, tmp_path, worker_kernel
):
    cwd = str(project_root())

    def render(name: str, params: dict) -> dict:
        spec = {"name": name, "params": {**params, "db": str(seed_db)}, "title": name}
        return render_report(spec, str(NOTEBOOKS / "theme.ipynb"), str(tmp_path), cwd)

    assert render("theme-rights", {"theme": "rights"})["status"] == "ok"
    kernel = build._WARM.km
    bad = render("theme-bad", {"them": "bargaining"})
    assert bad["status"] == "failed"
    assert bad["error"].startswith("cell 3: ParameterError: unknown parameter 'them'")
    assert render("theme-bargaining", {"theme": "bargaining"})["status"] == "ok"
    assert build._WARM.km is kernel  # the same kernel all along
    assert sorted(p.name for p in tmp_path.glob("*.html")) == [
        "theme-bargaining.html",
        "theme-rights.html",
    ]
    html = (tmp_path / "theme-bargaining.html").read_text(encoding="utf-8")
    assert "13895人" in html and "<script" not in html.lower()


def test_the_build_state_says_what_each_phase_cost(tmp_path, seeds_dir):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    out = tmp_path / "out"
    result = build.build(corpus, out, only=["overview"], quiet=True)
    assert result.ok and result.built == ["overview"]
    state = json.loads((out / ".build" / "state.json").read_text(encoding="utf-8"))
    last = state["last_build"]
    assert last["extracted"] and last["reports"] == 1 and last["reports_seconds"] > 0
    assert Path(out / "overview.html").is_file()


def _kernel_pid() -> tuple[int, int]:
    """In a report worker: its own pid and its kernel's."""
    import os

    k = build._kernel(str(project_root()), 600)
    k.start()
    return os.getpid(), k.km.provisioner.pid


def test_report_workers_end_with_their_kernels_stopped():
    """Workers end without tearing down their interpreter, after their kernel is shut down:
    neither is left running when the pool is."""
    import psutil

    pool = build._start_pool(1)
    try:
        worker, kernel = pool.submit(_kernel_pid).result(timeout=120)
        assert psutil.pid_exists(kernel)
    finally:
        pool.shutdown()
    assert not psutil.pid_exists(worker)
    with pytest.raises(psutil.NoSuchProcess):
        psutil.Process(kernel).wait(timeout=5)  # gone (reaped by its worker), not a zombie


def test_without_the_iri_checker_notebooks_validate_as_before(tmp_path):
    """What report workers skip when importing nbformat (a slow format checker of
    jsonschema's) leaves notebook validation as it was."""
    import subprocess
    import sys

    broken = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    broken.cells[0]["outputs"] = [{"output_type": "no such type"}]
    (tmp_path / "broken.ipynb").write_text(json.dumps(broken), encoding="utf-8")
    script = f"""
import sys
from analysis.build import skip_iri_checker
skip_iri_checker()
import nbformat
nbformat.validate(nbformat.read({str(NOTEBOOKS / "theme.ipynb")!r}, as_version=4))
try:
    nbformat.validate(nbformat.read({str(tmp_path / "broken.ipynb")!r}, as_version=4))
except nbformat.ValidationError:
    print("invalid")
print(sys.modules["rfc3987_syntax"])
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert out == ["invalid", "None"]
