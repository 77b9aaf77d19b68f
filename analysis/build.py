"""Build the reports: extract facts, run each notebook with papermill, render it to HTML.

The only module that uses papermill, nbformat, nbclient and nbconvert (imported when something
has to run, so a build with nothing to do starts fast).

- Incremental: a report runs again only when its inputs change: the notebook, its parameters,
  the facts it reads, and the package's code and data. Extraction runs again only when the
  corpus files (names, sizes, times) or the package change.
- Atomic: each HTML file, the database, the index and the state are written to a temporary
  file and moved into place, so a build killed at any point leaves every existing report
  readable. A report that fails keeps its last good HTML and is marked failed in the index.
- One build at a time: a lock in ``<out>/.build/``; a second build waits for it, or gives up
  after ``wait`` seconds with a message.
- The kernel is this interpreter (``sys.executable``), whatever kernel specs are or are not
  installed, so builds under cron or in a virtual environment never fail with "No such kernel".
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import __version__
from .errors import BuildError, ParameterError, UsageError
from .lexicon import load_lexicon
from .paths import (
    PACKAGE_DIR,
    TEMPLATE_DIR,
    atomic_write,
    project_root,
    remove_stale_temporaries,
)
from .reports import ReportSpec, input_fingerprints, report_specs, summary_line, type_mismatch
from .store import Store

log = logging.getLogger(__name__)
NOTEBOOK_DIR_NAME = "notebooks"
STATE_DIR = ".build"
DB_NAME = "union-reports.duckdb"


# --------------------------------------------------------------------------- small helpers


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def code_fingerprint() -> str:
    """The package's code, data and templates: a report made by other code is out of date."""
    files = sorted(
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file()
        and p.suffix in (".py", ".yaml", ".j2", ".json", ".css", ".txt")
        and "__pycache__" not in p.parts
    )
    return _sha(
        __version__, *(f"{p.relative_to(PACKAGE_DIR)}:{_sha(p.read_bytes())}" for p in files)
    )


def corpus_fingerprint(corpus: Path, extract_options: dict) -> str:
    """Names, sizes and modification times of the corpus files, with the package and options."""
    from .corpus import corpus_files

    corpus = Path(corpus)
    root = corpus if corpus.is_dir() else corpus.parent
    stats = []
    for p in corpus_files(corpus):
        try:
            st = p.stat()
        except OSError:  # a link that leads nowhere: it is named as skipped
            st = p.lstat()
        stats.append(f"{p.relative_to(root).as_posix()}:{st.st_size}:{st.st_mtime_ns}")
    return _sha(
        str(corpus.resolve()),
        json.dumps(extract_options, sort_keys=True),
        code_fingerprint(),
        *stats,
    )


# --------------------------------------------------------------------------- notebooks


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # the annotation: str, int, float, bool
    default: object
    help: str


def notebook_parameters(path: Path) -> dict[str, Parameter]:
    """The parameters declared in a notebook's cell tagged ``parameters``, one per line as
    ``name: type = default  # help`` (the form ``papermill --help-notebook`` reads)."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise BuildError(f"{path}: cannot read the notebook ({e})") from e
    cells = [
        c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    if len(cells) != 1:
        raise BuildError(f"{path}: needs exactly one cell tagged 'parameters' (found {len(cells)})")
    source = "".join(cells[0]["source"])
    lines = source.splitlines()
    params = {}
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise BuildError(f"{path}: the parameters cell is not valid Python ({e})") from e
    for node in tree.body:
        if not (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(node.annotation, ast.Name)
        ):
            raise BuildError(
                f"{path}: parameters cell line {node.lineno}: write parameters as `name: type = default  # help`"
            )
        line = lines[node.lineno - 1]
        help_text = line.split("#", 1)[1].strip() if "#" in line[node.end_col_offset :] else ""
        params[node.target.id] = Parameter(
            node.target.id,
            node.annotation.id,
            ast.literal_eval(node.value) if node.value else None,
            help_text,
        )
    return params


def check_parameters(notebook: Path, given: dict) -> None:
    """Every given parameter is declared by the notebook, with a value of the declared type.
    (Run by hand, a notebook checks what papermill gave it itself: see
    :func:`analysis.reports.reject_unknown_parameters`.)"""
    declared = notebook_parameters(notebook)
    for name, value in given.items():
        if name not in declared:
            raise ParameterError(
                f"{notebook.name}: unknown parameter {name!r}; it takes {sorted(declared)}"
            )
        problem = type_mismatch(name, declared[name].type, value)
        if problem:
            raise ParameterError(f"{notebook.name}: {problem}")


# --------------------------------------------------------------------------- running one report


def _kernel_manager_class():
    """A kernel manager whose kernel is this interpreter, with no kernel spec to look up."""
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    class ProjectKernelManager(AsyncKernelManager):
        # TCP on localhost, as Jupyter does by default. (IPC sockets would be quieter, but
        # jupyter_client names them before it names the connection file, so kernels started
        # together share "kernel-ipc-*" in the working directory and garble each other.)
        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(
                    # Errors only: ipykernel warns at every start that localhost TCP is not
                    # encrypted, which would fill cron mail.
                    argv=[
                        sys.executable,
                        "-m",
                        "ipykernel_launcher",
                        "-f",
                        "{connection_file}",
                        "--IPKernelApp.log_level=ERROR",
                    ],
                    display_name=f"union-reports ({sys.executable})",
                    language="python",
                )
            return self._kernel_spec

    return ProjectKernelManager


@functools.cache
def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.language_code = "zh-CN"
    return exporter


def render_report(spec: dict, notebook: str, out_dir: str, cwd: str, timeout: int = 600) -> dict:
    """Run one notebook and write its HTML. Runs in a worker process; returns a plain dict.

    The HTML is written only when the notebook ran to the end: a failure leaves the last good
    report in place and says which cell failed.
    """
    import papermill as pm

    started = time.perf_counter()
    name = spec["name"]
    try:
        nb = pm.execute_notebook(
            notebook,
            None,
            parameters=spec["params"],
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            cwd=cwd,
            request_save_on_cell_execute=False,
            kernel_manager_class=_kernel_manager_class(),
            shutdown_kernel="immediate",
            execution_timeout=timeout,
        )
    except pm.PapermillExecutionError as e:
        return {
            "name": name,
            "status": "failed",
            "error": f"cell {e.exec_count}: {e.ename}: {e.evalue}"[:500],
            "seconds": time.perf_counter() - started,
        }
    except Exception as e:  # kernel died, timeout, bad notebook: the others still build
        return {
            "name": name,
            "status": "failed",
            "error": f"{type(e).__name__}: {e}"[:500],
            "seconds": time.perf_counter() - started,
        }
    warnings = 0
    for cell in nb.cells:  # stderr (warnings, logs) is for the build log, not the reader
        kept = [
            o
            for o in cell.get("outputs", [])
            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
        ]
        warnings += len(cell.get("outputs", [])) - len(kept)
        cell["outputs"] = kept
    nb.metadata["title"] = spec["title"]
    body, _ = _exporter().from_notebook_node(
        nb, resources={"report_css": (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")}
    )
    from .pipeline import orphaned

    if orphaned():  # the build died meanwhile: a later build may have written this report
        os._exit(1)
    atomic_write(Path(out_dir) / f"{name}.html", body)
    return {
        "name": name,
        "status": "ok",
        "error": None,
        "stderr_outputs": warnings,
        "seconds": time.perf_counter() - started,
    }


def _warm_worker(parent: int) -> None:
    """Follow the build (a worker ends with it, kill -9 included), and import the notebook
    machinery once per worker (nbformat alone can take two seconds)."""
    from .pipeline import follow_parent

    follow_parent(parent)
    import papermill  # noqa: F401

    _exporter()


def _nothing() -> None:
    """A task that makes the pool start its workers."""


def _start_pool(workers: int) -> ProcessPoolExecutor:
    """Report workers, started now so that their imports overlap with what the build does next."""
    from .pipeline import worker_context

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=worker_context(),
        initializer=_warm_worker,
        initargs=(os.getpid(),),
    )
    for _ in range(workers):
        pool.submit(_nothing)
    return pool


# --------------------------------------------------------------------------- lock and state


@contextlib.contextmanager
def build_lock(out: Path, wait: float = 600) -> Iterator[None]:
    """Hold ``<out>/.build/lock`` for the build; wait up to ``wait`` seconds for another build."""
    import fcntl

    state_dir = out / STATE_DIR
    path = state_dir / "lock"
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise UsageError(
            f"{out}: cannot write the reports there ({e.strerror}: {e.filename}); choose another folder or fix its permissions"
        ) from e
    held = False
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
                break
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
                if time.monotonic() >= deadline:
                    raise BuildError(
                        f"another build is running on {out} ({holder}); gave up after {wait:.0f} s (see --wait)"
                    ) from None
                if not told:
                    log.warning(
                        "another build is running on %s (%s); waiting up to %.0f s",
                        out,
                        holder,
                        wait,
                    )
                    told = True
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            f"pid {os.getpid()}, started {datetime.now().isoformat(timespec='seconds')}".encode(),
            0,
        )
        yield
    finally:
        if held:  # a build that gave up leaves the holder's text for the next one to name
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
        os.close(fd)


def _load_state(out: Path) -> dict:
    try:
        return json.loads((out / STATE_DIR / "state.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _save_state(out: Path, state: dict) -> None:
    atomic_write(
        out / STATE_DIR / "state.json",
        json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True),
    )


def _clean_leftovers(out: Path) -> None:
    """Temporary files of a build that was killed (we hold the lock; those of a process still
    running, an ``extract`` into the same folder, are kept)."""
    remove_stale_temporaries(out)
    remove_stale_temporaries(out / STATE_DIR)


# --------------------------------------------------------------------------- the build


KINDS = ("overview", "theme", "region")
_REGION_NAME = re.compile(r"region-(?:\d+|x[0-9a-f]{8})")


def check_only(only: Sequence[str] | None) -> None:
    """Names given to ``--only`` that no corpus has: known before anything is extracted (which
    regions a corpus has is known only after, and checked then)."""
    themes = [f"theme-{t.id}" for t in load_lexicon().themes]
    unknown = [
        n for n in only or () if n not in {*KINDS, *themes} and not _REGION_NAME.fullmatch(n)
    ]
    if unknown:
        raise ParameterError(
            f"--only {' '.join(unknown)}: no such report; reports are overview, {', '.join(themes)} and region-<adcode> (see the index), or a kind: {', '.join(KINDS)}"
        )


@dataclass
class BuildResult:
    out: Path
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    extracted: bool = False
    problems: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def build(
    corpus: Path,
    out: Path,
    only: Sequence[str] | None = None,
    force: bool = False,
    jobs: int | None = None,
    quiet: bool = False,
    max_regions: int = 50,
    wait: float = 600,
    notebooks: Path | None = None,
    keywords: bool = True,
    max_bytes: int | None = None,
) -> BuildResult:
    """Build the reports of ``corpus`` into ``out`` (see the module's docstring)."""
    from tqdm import tqdm

    from .pipeline import default_jobs, run_extraction

    started = time.perf_counter()
    corpus, out = Path(corpus), Path(out)
    notebooks = Path(notebooks) if notebooks else project_root() / NOTEBOOK_DIR_NAME
    check_only(only)  # a misspelt name costs no extraction
    out.mkdir(parents=True, exist_ok=True)
    jobs = jobs or default_jobs()
    result = BuildResult(out)
    pool = None
    with build_lock(out, wait), contextlib.ExitStack() as stack:
        _clean_leftovers(out)
        state = _load_state(out)
        db = out / DB_NAME
        from .corpus import MAX_BYTES

        max_bytes = max_bytes or MAX_BYTES
        options = {"keywords": keywords, "max_bytes": max_bytes}
        fingerprint = corpus_fingerprint(corpus, options)
        if force or not db.is_file() or state.get("corpus") != fingerprint:
            pool = _start_pool(jobs)  # new facts: reports will run; warm the workers meanwhile
            stack.callback(pool.shutdown, cancel_futures=True)
            summary = run_extraction(
                corpus,
                db,
                jobs=jobs,
                max_bytes=max_bytes,
                progress=False if quiet else None,
                keywords=keywords,
            )
            if summary.documents == 0:
                raise BuildError(
                    f"{corpus}: no document could be read ({len(summary.problems)} problems); nothing to report"
                )
            state["corpus"] = fingerprint
            state["problems"] = summary.problems
            result.extracted = True
            _save_state(out, state)
        result.problems = state.get("problems", [])
        store = stack.enter_context(Store(db))
        specs = report_specs(store, max_regions)
        if only:
            unknown = [n for n in only if n not in {s.name for s in specs} | set(KINDS)]
            if unknown:
                raise ParameterError(
                    f"--only {' '.join(unknown)}: no such report in this corpus; its reports are {', '.join(s.name for s in specs)} (or a kind: {', '.join(KINDS)})"
                )
        for spec in specs:  # every parameter checked before anything runs
            check_parameters(notebooks / spec.notebook, spec.params)
        code = code_fingerprint()
        reports = state.setdefault("reports", {})
        todo = []
        prints = input_fingerprints(store, specs)
        for spec in specs:
            inputs = _sha(
                (notebooks / spec.notebook).read_bytes(),
                # The database's location is not content: what the report reads from it is
                # fingerprinted below.
                json.dumps(
                    {k: v for k, v in spec.params.items() if k != "db"},
                    sort_keys=True,
                    ensure_ascii=False,
                ),
                prints[spec.name],
                code,
            )
            entry = reports.setdefault(spec.name, {})
            entry.update({"title": spec.title, "kind": spec.kind})
            wanted = not only or spec.name in only or spec.kind in only
            current = (
                entry.get("inputs") == inputs
                and entry.get("status") == "ok"
                and (out / f"{spec.name}.html").is_file()
            )
            if wanted and (force or not current):
                todo.append((spec, inputs))
            else:
                result.unchanged.append(spec.name)
        names = {s.name for s in specs}
        for gone in [n for n in reports if n not in names]:  # a region no longer in the corpus
            with contextlib.suppress(FileNotFoundError):
                (out / f"{gone}.html").unlink()
            del reports[gone]
        if todo:
            if pool is None:
                pool = _start_pool(min(jobs, len(todo)))
                stack.callback(pool.shutdown, cancel_futures=True)
            _run(pool, todo, notebooks, out, quiet, reports, state, result, tqdm)
        if (
            todo
            or result.extracted
            or force
            or not (out / "index.html").is_file()
            or state.get("index_specs") != sorted(names)
        ):
            state["index_specs"] = sorted(names)
            write_index(out, store, specs, reports, corpus)
        _save_state(out, state)
    result.seconds = time.perf_counter() - started
    return result


def _run(
    pool: ProcessPoolExecutor,
    todo,
    notebooks: Path,
    out: Path,
    quiet: bool,
    reports: dict,
    state: dict,
    result: BuildResult,
    tqdm,
) -> None:
    cwd = str(project_root())
    bar = tqdm(
        total=len(todo),
        unit="report",
        desc="reports",
        disable=True if quiet else None,
        file=sys.stderr,
        leave=False,
    )
    # The slowest reports first, so that the last worker is not left with a long one alone.
    todo = sorted(todo, key=lambda t: -float(reports.get(t[0].name, {}).get("seconds") or 99))
    futures = {
        pool.submit(
            render_report,
            {"name": s.name, "params": s.params, "title": s.title},
            str(notebooks / s.notebook),
            str(out),
            cwd,
        ): (s, inputs)
        for s, inputs in todo
    }
    for fut in as_completed(futures):
        spec, inputs = futures[fut]
        try:
            r = fut.result()
        except Exception as e:  # the worker itself died
            r = {
                "name": spec.name,
                "status": "failed",
                "error": f"{type(e).__name__}: {e}"[:500],
                "seconds": 0.0,
            }
        entry = reports[spec.name]
        entry["status"] = r["status"]
        entry["error"] = r["error"]
        entry["seconds"] = round(r["seconds"], 2)
        if r["status"] == "ok":
            entry["inputs"] = inputs
            entry["built_at"] = datetime.now().isoformat(timespec="seconds")
            result.built.append(spec.name)
        else:
            result.failed[spec.name] = r["error"]
        _save_state(out, state)  # a killed build keeps what it finished
        bar.update(1)
    bar.close()


def write_index(
    out: Path, store: Store, specs: list[ReportSpec], reports: dict, corpus: Path
) -> Path:
    """``index.html``: every report with its one-line summary, status, and when it was built."""
    from urllib.parse import quote

    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html", "j2"])
    )
    groups = []
    for kind, title in (
        ("overview", "概览 Overview"),
        ("theme", "主题 Themes"),
        ("region", "地区 Regions"),
    ):
        rows = []
        for s in specs:
            if s.kind != kind:
                continue
            e = reports.get(s.name, {})
            rows.append(
                {
                    "title": s.title,
                    "href": quote(f"{s.name}.html"),
                    "summary": summary_line(s, store),
                    "status": e.get("status"),
                    "error": e.get("error"),
                    "built_at": (e.get("built_at") or "").replace("T", " "),
                    "exists": (out / f"{s.name}.html").is_file(),
                }
            )
        groups.append({"title": title, "reports": rows})
    info = store.info()
    skipped = int(
        store.query("SELECT count(*) AS n FROM problems WHERE severity = 'error'")["n"][0]
    )
    html = env.get_template("index.html.j2").render(
        css=(TEMPLATE_DIR / "report.css").read_text(encoding="utf-8"),
        counts={
            "documents": info.get("documents", 0),
            "facts": info.get("facts", 0),
            "skipped": skipped,
        },
        corpus=corpus.name or str(corpus),
        built_at=datetime.now().strftime("%Y-%m-%d %H:%M"),
        version=__version__,
        groups=groups,
        failed=sum(1 for r in reports.values() if r.get("status") == "failed"),
    )
    path = out / "index.html"
    atomic_write(path, html)
    return path
