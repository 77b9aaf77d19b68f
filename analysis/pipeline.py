"""Corpus folder -> fact database: run the per-file work on an engine, write the store.

Engines: ``local`` (this process, or a pool of worker processes with ``jobs``) and ``dask``
(see ``analysis.distributed``). Results are taken in file order whatever the engine, so the
database is the same however it was made.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .cache import ContentKeys, ResultCache, cache_folder, extraction_version, relative
from .corpus import WARNING, duplicate_reason, make_document
from .errors import AnalysisError, DataFileError
from .extraction import Outcome, process_args, process_file
from .facts import extract_facts
from .files import MAX_BYTES, corpus_files, reading_order
from .indicators import load_indicators
from .lexicon import load_lexicon
from .options import CACHE_MODES, ENGINES
from .paths import data_file
from .store import Batch, StoreWriter, written_version

#: Files per worker below which workers are not worth starting (each loads jieba, ~2 s).
FILES_PER_WORKER = 50


def worker_context():
    """How worker processes start: spawned, each a fresh interpreter and a child of this
    process (not a copy of one holding DuckDB threads, and not a child of a forkserver, which
    would outlive a killed run), so that :func:`follow_parent` can see this process die."""
    import multiprocessing

    return multiprocessing.get_context("spawn")


_PARENT: int | None = None


def follow_parent(parent: int) -> None:
    """Make this worker process end with ``parent``, the process that started it, even when
    that one is killed with SIGKILL and cannot stop its workers: on Linux the kernel kills the
    worker (PR_SET_PDEATHSIG); elsewhere a thread notices within half a second. The initializer
    of every worker pool: no worker is left running, or writing, after its run died."""
    import threading

    global _PARENT
    _PARENT = parent
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, name="follow-parent", daemon=True).start()
    if orphaned():  # the parent died before the above was in place
        os._exit(1)


def orphaned() -> bool:
    """Whether this is a worker whose run has died (checked again before writing a report)."""
    return _PARENT is not None and os.getppid() != _PARENT


def _die_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _watch_parent() -> None:
    import time

    while not orphaned():
        time.sleep(0.5)
    os._exit(1)


def _local(
    files: list[Path], root: Path, max_bytes: int, jobs: int, keywords: bool
) -> Iterator[Outcome]:
    args = [(str(p), str(root), max_bytes, keywords) for p in files]
    jobs = min(jobs, len(files) // FILES_PER_WORKER)
    if jobs <= 1:
        for a in args:
            yield process_args(a)
        return
    chunk = max(1, min(32, len(args) // (jobs * 8)))
    with worker_context().Pool(jobs, initializer=follow_parent, initargs=(os.getpid(),)) as pool:
        yield from pool.imap(process_args, args, chunksize=chunk)  # in reading order


#: A sentence that uses every data file of the package (see :func:`check_data_files`).
_SAMPLE = "靖西市总工会2024年工作总结\n\n今年以来,全市新建基层工会12家,力争发展会员4.6万余人。"


def check_data_files(sample: bool = True) -> None:
    """Read the package's data files before any document: a malformed one (an edited
    ``indicators.yaml``) is one error naming the file, not a problem in every document.
    ``sample``: also extract a sample document, which reads every other data file (about a
    second: the gazetteer); not needed where this version of the files was checked before."""
    for name, load in (("lexicon.yaml", load_lexicon), ("indicators.yaml", load_indicators)):
        try:
            load()
        except AnalysisError:
            raise
        except Exception as e:  # a value of the wrong type that the file's checks let through
            raise DataFileError(
                f"{data_file(name)}: a value has the wrong type or form ({type(e).__name__}: {e}); fix or restore the file"
            ) from e
    if not sample:
        return
    try:  # units.yaml, modality.yaml, clutter.yaml: their readers name the file themselves
        extract_facts(make_document(_SAMPLE, "sample"))
    except AnalysisError:
        raise
    except Exception as e:
        raise DataFileError(
            f"{data_file('')}: a data file of the package is malformed ({type(e).__name__}: {e}); fix or restore it"
        ) from e


@dataclass
class Summary:
    database: Path
    documents: int
    facts: int
    problems: list[dict]
    replaced: bool = True  # False: nothing was readable, the existing database was kept
    #: Paths of documents with the same cleaned text, in groups of two or more: which of them
    #: is kept depends on the files' times (see ``corpus.reading_order``).
    duplicates: list[list[str]] = field(default_factory=list)
    cached: int = 0  # files whose outcome came from the cache (not read again)

    @property
    def skipped(self) -> list[dict]:
        return [p for p in self.problems if p["severity"] == "error"]


def default_jobs() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


def _outcomes(
    files: list[Path],
    root: Path,
    database: Path,
    max_bytes: int,
    keywords: bool,
    cache: str,
    run,
    results: ResultCache | None,
) -> Iterator[tuple[Outcome, bool]]:
    """The outcome of every file, in file order, and whether it came from the cache: from the
    cache where the file's content was extracted before by this version, by ``run(files)``
    (an engine) for the others, whose outcomes are then stored. Lookups happen here, before
    dispatch, so any engine works."""
    if results is None:
        for out in run(files):
            yield out, False
        return
    keys = ContentKeys(cache_folder(database), root)
    # Which files to read: decided before dispatch, from which entries exist; the entries
    # themselves are loaded one at a time below, so memory holds one outcome, not the corpus.
    plan: list[tuple[Path, str, str | None, bool]] = []
    for p in files:
        rel = relative(p, root)
        key = keys.key(p, rel, max_bytes)
        plan.append((p, rel, key, cache == "use" and results.has(rel, key)))
    keys.save()
    fresh = iter(run([p for p, _, _, hit in plan if not hit]))
    try:
        for p, rel, key, hit in plan:
            if hit:
                out = results.get(rel, key)
                if out is not None:
                    yield out, True
                    continue
                # An entry that cannot be read after all (damaged): read the file here.
                out = process_file(str(p), str(root), max_bytes, keywords)
            else:
                out = next(fresh)
            # Stored before the caller marks duplicates; not stored when the file changed
            # while it was read (its key would not be its content's).
            sha = (out.document or {}).get("sha256", key)
            if key is not None and sha == key and keys.unchanged(p, rel):
                results.put(rel, key, out)
            yield out, False
        results.prune()
    finally:  # also when the run stops early: what was read is kept for the next
        results.close()


def run_extraction(
    corpus: Path,
    database: Path,
    jobs: int = 1,
    max_bytes: int = MAX_BYTES,
    progress: bool | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    keywords: bool = True,
    cache: str = "use",
) -> Summary:
    """Extract the facts of every file under ``corpus`` into a new database at ``database``.

    ``progress``: a bar on standard error (None: only when it is a terminal). ``cache``: one of
    :data:`CACHE_MODES`; with ``use``, a file whose content this version of the package has
    extracted before (with the same options) is not read again (see :mod:`analysis.cache`).
    """
    from tqdm import tqdm

    if engine not in ENGINES:
        raise AnalysisError(f"unknown engine {engine!r}; choose one of {ENGINES}")
    if cache not in CACHE_MODES:
        raise AnalysisError(f"unknown cache mode {cache!r}; choose one of {CACHE_MODES}")
    corpus = Path(corpus)
    root = corpus if corpus.is_dir() else corpus.parent
    files = reading_order(corpus_files(corpus), root)
    results = None
    version = extraction_version({"keywords": keywords, "max_bytes": max_bytes})
    if cache != "off":
        results = ResultCache(cache_folder(database), version)
    # The version of the data files is part of the cache's: checked once per version.
    check_data_files(sample=results is None or not results.checked)
    if results is not None:
        results.mark_checked()

    def run(todo: list[Path]) -> Iterator[Outcome]:
        if not todo:
            return iter(())
        if engine == "dask":
            from .distributed import dask_outcomes

            return dask_outcomes(todo, root, max_bytes, keywords, scheduler)
        return _local(todo, root, max_bytes, jobs, keywords)

    outcomes = _outcomes(files, root, database, max_bytes, keywords, cache, run, results)
    seen: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    problems: list[dict] = []
    cached = 0
    bar = tqdm(
        total=len(files),
        unit="file",
        desc="extract",
        disable=(not progress) if progress is not None else None,
        file=sys.stderr,
        leave=False,
    )
    # With the cache in use, the rows of the documents that did not change are copied from the
    # database being replaced (when this version wrote it) rather than written again.
    with StoreWriter(database, written_version(version), reuse=cache == "use") as writer:
        for out, hit in outcomes:
            bar.update(1)
            cached += hit
            batch = Batch(problems=list(out.problems))
            if out.document is not None:
                doc = out.document
                if out.text_key in seen:
                    doc["duplicate_of"] = seen[out.text_key]
                    doc["facts"] = 0
                    batch.problems.append(
                        {
                            "path": doc["path"],
                            "reason": duplicate_reason(seen[out.text_key]),
                            "severity": WARNING,
                        }
                    )
                    out.facts = []
                else:
                    seen[out.text_key] = doc["doc"]
                groups.setdefault(out.text_key, []).append(doc["path"])
                batch.document, batch.themes, batch.facts = doc, out.themes, out.facts
            problems.extend(batch.problems)
            writer.add(batch)
        bar.close()
        info = {
            "corpus": str(corpus),
            "version": __version__,
            "indicators_sha256": hashlib.sha256(
                data_file("indicators.yaml").read_bytes()
            ).hexdigest(),
            "files": len(files),
            **writer.counts,
        }
        counts = dict(writer.counts)
        if counts["documents"] == 0 and Path(database).exists():
            # Nothing readable (a folder emptied or broken for a while): keep the facts we had.
            return Summary(Path(database), 0, 0, problems, replaced=False, cached=cached)
        path = writer.commit(info, load_indicators(), load_lexicon().themes)
    duplicates = sorted(sorted(g) for g in groups.values() if len(g) > 1)
    return Summary(
        path, counts["documents"], counts["facts"], problems, duplicates=duplicates, cached=cached
    )
