"""Build the reports: extract facts, run each notebook with papermill, render it to HTML.

The only module that uses papermill, nbformat, nbclient and nbconvert (imported when something
has to run, so a build with nothing to do starts fast).

- Incremental: a report runs again only when its inputs change: the notebook, its parameters,
  the facts it reads, and the package's code and data. Extraction runs again only when the
  corpus's content (file names and bytes, not times) or the package change, and then reads
  only the files whose content it has not extracted before (:mod:`analysis.cache`).
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
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cache import (
    cache_folder,
    code_fingerprint,
    content_keys,
    digest,
    extraction_version,
    relative,
)
from .errors import AnalysisError, BuildError, ParameterError, UsageError
from .paths import (
    TEMPLATE_DIR,
    atomic_write,
    project_root,
    remove_stale_temporaries,
)

if TYPE_CHECKING:  # imported where used: a build with nothing to do needs neither (nor pandas)
    from .reports import ReportSpec
    from .store import Store

log = logging.getLogger(__name__)
NOTEBOOK_DIR_NAME = "notebooks"
STATE_DIR = ".build"
DB_NAME = "union-reports.duckdb"


# --------------------------------------------------------------------------- corpus fingerprint


def corpus_keys(corpus: Path, database: Path, max_bytes: int) -> dict[str, str | None]:
    """Each corpus file's content key (its SHA-256), by its path in the corpus: from the stat
    cache beside ``database``, so that only files whose ``stat`` changed are read."""
    from .files import corpus_files

    corpus = Path(corpus)
    root = corpus if corpus.is_dir() else corpus.parent
    return content_keys(corpus_files(corpus), root, cache_folder(database), max_bytes)


def corpus_fingerprint(
    corpus: Path,
    extract_options: dict,
    keys: dict[str, str | None],
    duplicates: Sequence[Sequence[str]] = (),
) -> str:
    """The corpus by content (``keys``: see :func:`corpus_keys`), with the version of
    extraction (package, libraries, options). File times count only where they decide
    something: which of the documents with the same text (``duplicates``, as the last
    extraction found them) is kept. A file touched without a change changes nothing."""
    from .files import reading_order

    corpus = Path(corpus)
    root = corpus if corpus.is_dir() else corpus.parent
    entries = []
    for rel, key in sorted(keys.items()):
        if key is None:  # unreadable (a link that leads nowhere, no permission): by its stat
            with contextlib.suppress(OSError):
                st = (root / rel).lstat()
                key = f"?{st.st_size}:{st.st_mtime_ns}:{st.st_mode}"
                if (root / rel).is_symlink():
                    key += f":{os.readlink(root / rel)}"
        entries.append(f"{rel}:{key}")
    for group in duplicates:
        present = [root / rel for rel in group if rel in keys]
        order = [relative(p, root) for p in reading_order(present, root)]
        entries.append("same text: " + " < ".join(order))
    return digest(str(corpus.resolve()), extraction_version(extract_options), *entries)


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
        from .reports import type_mismatch

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
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        """nbconvert's HTML export without its last pass. ``HTMLExporter`` parses the page it
        has rendered with BeautifulSoup, only to give images without alt text a placeholder
        and outputs a ``tabindex``: 0.4-0.9 s a report, as long as running the notebook's
        cells. Every image of a report has its alt text, and the report template gives each
        output its ``tabindex`` (prose, which cannot scroll, is left out of the tab order), so
        the page is the template's as rendered."""

        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)  # then the filters, as HTMLExporter
            if "highlight_code" not in self.filters:
                self.register_filter("highlight_code", Highlight2HTML(parent=self))
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources
                ),
            )
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    exporter = ReportExporter(
        template_name="report",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.language_code = "zh-CN"
    return exporter


#: Attempts at starting a report kernel (see :meth:`WarmKernel._start`).
_KERNEL_STARTS = 2
#: Run in a kernel when it starts: it ends with its worker (kill -9 included), and it loads
#: what every report uses (the report module, matplotlib and the CJK font), while the build
#: is still extracting, rather than in its first report. Then it freezes what is loaded out
#: of the garbage collector's reach (``gc.freeze``: it lives as long as the kernel anyway).
#: IPython's reset runs a full collection before each report (``DisplayHook.flush``), and so
#: does ours after it; each walked every object of pandas, matplotlib and the fonts, 0.14 s of
#: every report. Frozen, they are skipped: the reset takes 0.01 s, and a report's own objects
#: are collected as before.
_KERNEL_START = (
    "from analysis.pipeline import follow_parent\nfollow_parent({pid})\ndel follow_parent\n"
    "import analysis.reports, analysis.charts\nanalysis.charts.setup()\ndel analysis\n"
    "__import__('gc').collect()\n__import__('gc').freeze()"
)
#: Run in a kernel before each report: in the working folder, with a namespace as a new kernel
#: has it (no name of the report before, ``In`` and the execution count from 1). Imported
#: modules stay imported: that is what a warm kernel saves. The figures a report left open are
#: closed with it (they would hold memory, not show: the inline backend shows each at its cell).
_KERNEL_RESET = (
    "__import__('os').chdir({cwd!r})\n"
    "get_ipython().reset(new_session=True)\n"
    "if 'matplotlib.pyplot' in __import__('sys').modules:\n"
    "    __import__('sys').modules['matplotlib.pyplot'].close('all')\n"
    "__import__('gc').collect()\n"
)


class WarmKernel:
    """One kernel for all the reports a worker runs (nbclient, the engine papermill uses):
    started once, reset before each report, replaced when a report left it dead or busy (a
    crash, a timeout). Each notebook runs as papermill runs it: its own client, cells in
    order, stopping at the first error."""

    def __init__(self, cwd: str, timeout: int = 600) -> None:
        from jupyter_core.utils import ensure_event_loop

        self.cwd, self.timeout = cwd, timeout
        self.km = self.kc = self._log = None
        self.loop = ensure_event_loop()

    def _client(self, nb):
        from nbclient import NotebookClient

        return NotebookClient(
            nb,
            km=self.km,
            kernel_name="python3",
            kernel_manager_class=_kernel_manager_class(),
            timeout=self.timeout,
            startup_timeout=60,
            raise_on_iopub_timeout=True,
            shutdown_kernel="immediate",
            resources={"metadata": {"path": self.cwd}},
        )

    async def _quietly(self, code: str) -> None:
        reply = await self.kc.execute_interactive(
            code, silent=True, store_history=False, allow_stdin=False, timeout=60
        )
        content = reply["content"]
        if content["status"] != "ok":
            raise BuildError(
                f"the report kernel could not be prepared ({content.get('ename')}: {content.get('evalue')})"
            )

    async def _start(self) -> None:
        """Start the kernel, twice if the first one dies as it starts. Kernels started together
        by two workers can be given the same free port (jupyter_client picks the ports, then
        the kernel binds them): one dies with "Address already in use". The kernel's own
        stderr goes to a file, so that such a death is a retry, or one line, not a traceback
        in the build's output."""
        import nbformat

        for attempt in range(1, _KERNEL_STARTS + 1):
            log = tempfile.TemporaryFile()
            boot = self._client(nbformat.v4.new_notebook())
            boot.km = boot.create_kernel_manager()
            try:
                await boot.async_start_new_kernel(stderr=log)
                await boot.async_start_new_kernel_client()
            except Exception as e:
                log.seek(0)
                lines = log.read().decode("utf-8", "replace").strip().splitlines()
                log.close()
                if attempt == _KERNEL_STARTS:
                    raise BuildError(
                        f"the report kernel did not start ({lines[-1] if lines else e})"
                    ) from e
                continue
            self.km, self.kc, self._log = boot.km, boot.kc, log
            break
        await self._quietly(_KERNEL_START.format(pid=os.getpid()))

    async def _stop(self) -> None:
        km, kc, self.km, self.kc = self.km, self.kc, None, None
        log, self._log = self._log, None
        if log is not None:
            log.close()
        with contextlib.suppress(Exception):
            if kc is not None:
                kc.stop_channels()
            if km is not None:
                await km.shutdown_kernel(now=True)

    async def _execute(self, nb):
        if self.km is None or not await self.km.is_alive():
            await self._stop()
            await self._start()
        await self._quietly(_KERNEL_RESET.format(cwd=self.cwd))
        client = self._client(nb)
        client.kc = self.kc  # the kernel's client: neither started nor stopped with this one
        return await client.async_execute()

    def start(self) -> None:
        if self.km is None:
            self.loop.run_until_complete(self._start())

    def execute(self, nb):
        """Run ``nb`` (a NotebookNode, changed in place). Raises nbclient's
        ``CellExecutionError`` when a cell fails (the kernel is kept), anything else when the
        kernel failed (it is replaced for the next report)."""
        from nbclient.exceptions import CellExecutionError

        try:
            return self.loop.run_until_complete(self._execute(nb))
        except CellExecutionError:
            raise
        except BaseException:
            self.loop.run_until_complete(self._stop())
            raise

    def close(self) -> None:
        self.loop.run_until_complete(self._stop())


_WARM: WarmKernel | None = None


def _kernel(cwd: str, timeout: int) -> WarmKernel:
    """This worker's kernel (made on first use; shut down when the worker ends)."""
    global _WARM
    if _WARM is None or (_WARM.cwd, _WARM.timeout) != (cwd, timeout):
        if _WARM is not None:
            _WARM.close()
        import multiprocessing.util

        _WARM = WarmKernel(cwd, timeout)
        multiprocessing.util.Finalize(_WARM, _WARM.close, exitpriority=10)
    return _WARM


def parameterized(notebook: str | Path, params: dict):
    """The notebook with papermill's cell of parameters after its ``parameters`` cell
    (tagged ``injected-parameters``, first line ``# Parameters``), as papermill writes it."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(notebook))
    if params:
        nb = parameterize_notebook(nb, params, kernel_name="python3", language="python")
    return nb


def _failed_cell(nb) -> int | None:
    """The execution count of the cell that failed."""
    for cell in nb.cells:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return cell.get("execution_count")
    return None


def render_report(spec: dict, notebook: str, out_dir: str, cwd: str, timeout: int = 600) -> dict:
    """Run one notebook in this worker's kernel and write its HTML. Runs in a worker
    process; returns a plain dict.

    The HTML is written only when the notebook ran to the end: a failure leaves the last good
    report in place and says which cell failed.
    """
    from nbclient.exceptions import CellExecutionError

    started = time.perf_counter()
    name = spec["name"]
    nb = None
    try:
        nb = parameterized(notebook, spec["params"])
        _kernel(cwd, timeout).execute(nb)
    except CellExecutionError as e:
        return {
            "name": name,
            "status": "failed",
            "error": f"cell {_failed_cell(nb)}: {e.ename}: {e.evalue}"[:500],
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
    """Follow the build (a worker ends with it, kill -9 included), end without tearing down
    the interpreter, and import the notebook machinery once per worker (about a second, once
    the slow import :func:`skip_iri_checker` skips is skipped)."""
    import multiprocessing.util

    from .pipeline import follow_parent

    follow_parent(parent)
    # Run after the kernel is shut down (exit priority 10), as the worker ends.
    multiprocessing.util.Finalize(None, _end_worker, exitpriority=0)
    skip_iri_checker()
    import nbclient  # noqa: F401
    import papermill  # noqa: F401

    _exporter()


def skip_iri_checker() -> None:
    """Keep jsonschema (which nbformat imports) from importing ``rfc3987_syntax``, its
    checker of the ``iri`` formats: that module builds a Lark grammar as it is imported, 2.7 s
    of every report worker's start (python-jsonschema/jsonschema#1428), for formats that no
    notebook schema uses. jsonschema then goes without the two checkers, as it does when the
    package is not installed; it validates notebooks as before."""
    sys.modules.setdefault("rfc3987_syntax", None)  # None: its import fails, at once


def _end_worker() -> None:
    """End a report worker without tearing down its interpreter: its kernel is stopped and
    its results sent, and unloading nbclient, ZeroMQ and matplotlib took over a second of
    every build's end."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _start_kernel(cwd: str, timeout: int = 600) -> None:
    """A task that makes a worker start its kernel (a failure is told by the first report)."""
    with contextlib.suppress(Exception):
        _kernel(cwd, timeout).start()


def _start_pool(workers: int) -> ProcessPoolExecutor:
    """Report workers, each starting its kernel now, so that the start overlaps with what the
    build does next."""
    from .pipeline import worker_context

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=worker_context(),
        initializer=_warm_worker,
        initargs=(os.getpid(),),
    )
    for _ in range(workers):
        pool.submit(_start_kernel, str(project_root()))
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
    if not only:
        return
    from .lexicon import load_lexicon

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
    extract_seconds: float = 0.0
    reports_seconds: float = 0.0  # from the start of the workers (if not started before)

    @property
    def ok(self) -> bool:
        return not self.failed


def _settled_key(
    code: str,
    corpus: str,
    db: Path,
    notebooks: Path,
    only: Sequence[str] | None,
    max_regions: int,
    force: bool,
) -> str | None:
    """What a build's outcome depends on, read without opening the database: the package, the
    corpus's fingerprint, the database file as it stands (size, time, inode), the notebooks'
    bytes and the options. Equal to the last build's, and that build left every report up
    to date: there is nothing to do. None when it cannot be told (forced, no database)."""
    if force:
        return None
    try:
        st = db.stat()
        books = sorted(notebooks.glob("*.ipynb"))
        texts = [f"{p.name}:{digest(p.read_bytes())}" for p in books]
    except OSError:
        return None
    return digest(
        code,
        corpus,
        f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}",
        str(notebooks.resolve()),
        *texts,
        json.dumps({"only": sorted(only or []), "max_regions": max_regions}),
    )


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
    started = time.perf_counter()
    corpus, out = Path(corpus), Path(out)
    notebooks = Path(notebooks) if notebooks else project_root() / NOTEBOOK_DIR_NAME
    check_only(only)  # a misspelt name costs no extraction
    out.mkdir(parents=True, exist_ok=True)
    result = BuildResult(out)
    pool = None
    with build_lock(out, wait), contextlib.ExitStack() as stack:
        _clean_leftovers(out)
        state = _load_state(out)
        db = out / DB_NAME
        from .files import MAX_BYTES

        max_bytes = max_bytes or MAX_BYTES
        options = {"keywords": keywords, "max_bytes": max_bytes}
        code = code_fingerprint()
        keys = corpus_keys(corpus, db, max_bytes)
        fingerprint = corpus_fingerprint(corpus, options, keys, state.get("duplicates", []))
        if force or not db.is_file() or state.get("corpus") != fingerprint:
            from .pipeline import default_jobs, run_extraction

            jobs = jobs or default_jobs()
            if not only and (force or not db.is_file() or state.get("code") != code):
                # Every report will run: start the workers and their kernels meanwhile.
                pool = _start_pool(jobs)
                stack.callback(pool.shutdown, cancel_futures=True)
            extract_started = time.perf_counter()
            summary = run_extraction(
                corpus,
                db,
                jobs=jobs,
                max_bytes=max_bytes,
                progress=False if quiet else None,
                keywords=keywords,
                cache="refresh" if force else "use",
            )
            if summary.documents == 0:
                raise BuildError(
                    f"{corpus}: no document could be read ({len(summary.problems)} problems); nothing to report"
                )
            # Which of two documents with the same text is kept depends on their times: the
            # fingerprint holds the order of those the extraction found.
            state["duplicates"] = summary.duplicates
            state["corpus"] = corpus_fingerprint(corpus, options, keys, summary.duplicates)
            state["problems"] = summary.problems
            result.extracted = True
            result.extract_seconds = time.perf_counter() - extract_started
            _save_state(out, state)
        result.problems = state.get("problems", [])
        settled = _settled_key(code, fingerprint, db, notebooks, only, max_regions, force)
        if settled is not None and state.get("settled", {}).get("key") == settled:
            names = state["settled"]["names"]
            if (out / "index.html").is_file() and all((out / f"{n}.html").is_file() for n in names):
                # Nothing changed since a build that left every report up to date: the
                # database, reports and index are as that build left them.
                result.unchanged = list(names)
                result.seconds = time.perf_counter() - started
                state["last_build"] = {
                    "extracted": False,
                    "extract_seconds": 0.0,
                    "reports": 0,
                    "reports_seconds": 0.0,
                    "seconds": round(result.seconds, 3),
                }
                _save_state(out, state)
                return result
        from .pipeline import default_jobs
        from .reports import input_fingerprints, report_specs
        from .store import Store

        jobs = jobs or default_jobs()

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
        state["code"] = code
        reports = state.setdefault("reports", {})
        todo = []
        prints = input_fingerprints(store, specs)
        inputs_of: dict[str, str] = {}
        for spec in specs:
            inputs = inputs_of[spec.name] = digest(
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
            from tqdm import tqdm

            reports_started = time.perf_counter()
            if pool is None:  # started now that a report will run
                pool = _start_pool(min(jobs, len(todo)))
                stack.callback(pool.shutdown, cancel_futures=True)
            _run(pool, todo, notebooks, out, quiet, reports, state, result, tqdm)
            result.reports_seconds = time.perf_counter() - reports_started
        if (
            todo
            or result.extracted
            or force
            or not (out / "index.html").is_file()
            or state.get("index_specs") != sorted(names)
        ):
            state["index_specs"] = sorted(names)
            write_index(out, store, specs, reports, corpus, inputs_of)
        if not result.failed and all(r.get("status") == "ok" for r in reports.values()):
            settled = _settled_key(code, state["corpus"], db, notebooks, only, max_regions, False)
            state["settled"] = {"key": settled, "names": sorted(names)}
        else:
            state.pop("settled", None)
        state["last_build"] = {  # what this build spent, by phase (for benchmarks)
            "extracted": result.extracted,
            "extract_seconds": round(result.extract_seconds, 3),
            "reports": len(todo),
            "reports_seconds": round(result.reports_seconds, 3),
            "seconds": round(time.perf_counter() - started, 3),
        }
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
    out: Path,
    store: Store,
    specs: list[ReportSpec],
    reports: dict,
    corpus: Path,
    inputs: dict[str, str] | None = None,
) -> Path:
    """``index.html``: every report with its one-line summary, status, and when it was built.

    With ``inputs`` (each report's input fingerprint), a summary is kept in the report's entry
    of ``reports`` and queried again only when the report's inputs changed: it counts what the
    report reads (a query per report, most of an incremental build's index)."""
    from urllib.parse import quote

    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from .reports import summary_line

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
            key = (inputs or {}).get(s.name)
            kept = e.get("summary")
            if key is not None and isinstance(kept, list) and kept[:1] == [key]:
                summary = kept[1]
            else:
                summary = summary_line(s, store)
                if key is not None and s.name in reports:
                    e["summary"] = [key, summary]
            rows.append(
                {
                    "title": s.title,
                    "href": quote(f"{s.name}.html"),
                    "summary": summary,
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
    try:
        status = store.attainment()["status"].value_counts()
        targets = {k: int(status.get(k, 0)) for k in ("met", "not met", "no result")}
    except AnalysisError:  # a database without the table (written by an earlier version)
        targets = None
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
        targets=targets,
        failed=sum(1 for r in reports.values() if r.get("status") == "failed"),
    )
    path = out / "index.html"
    atomic_write(path, html)
    return path
