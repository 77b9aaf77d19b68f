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
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .corpus import MAX_BYTES, WARNING, corpus_files, duplicate_reason
from .errors import AnalysisError
from .extraction import Outcome, process_args
from .indicators import load_indicators
from .lexicon import load_lexicon
from .paths import data_file
from .store import Batch, StoreWriter

ENGINES = ("local", "dask")

#: Files per worker below which workers are not worth starting (each loads jieba, ~2 s).
FILES_PER_WORKER = 50


def _local(
    files: list[Path], root: Path, max_bytes: int, jobs: int, keywords: bool
) -> Iterator[Outcome]:
    args = [(str(p), str(root), max_bytes, keywords) for p in files]
    jobs = min(jobs, len(files) // FILES_PER_WORKER)
    if jobs <= 1:
        for a in args:
            yield process_args(a)
        return
    import multiprocessing

    # forkserver: workers start from a clean process, not a copy of one holding DuckDB threads.
    ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    chunk = max(1, min(32, len(args) // (jobs * 8)))
    with ctx.Pool(jobs) as pool:
        yield from pool.imap(process_args, args, chunksize=chunk)  # in file order


@dataclass
class Summary:
    database: Path
    documents: int
    facts: int
    problems: list[dict]
    replaced: bool = True  # False: nothing was readable, the existing database was kept

    @property
    def skipped(self) -> list[dict]:
        return [p for p in self.problems if p["severity"] == "error"]


def default_jobs() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


def run_extraction(
    corpus: Path,
    database: Path,
    jobs: int = 1,
    max_bytes: int = MAX_BYTES,
    progress: bool | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    keywords: bool = True,
) -> Summary:
    """Extract the facts of every file under ``corpus`` into a new database at ``database``.

    ``progress``: a bar on standard error (None: only when it is a terminal).
    """
    from tqdm import tqdm

    if engine not in ENGINES:
        raise AnalysisError(f"unknown engine {engine!r}; choose one of {ENGINES}")
    corpus = Path(corpus)
    files = corpus_files(corpus)
    root = corpus if corpus.is_dir() else corpus.parent
    if engine == "dask":
        from .distributed import dask_outcomes

        outcomes = dask_outcomes(files, root, max_bytes, keywords, scheduler)
    else:
        outcomes = _local(files, root, max_bytes, jobs, keywords)
    seen: dict[str, str] = {}
    problems: list[dict] = []
    bar = tqdm(
        total=len(files),
        unit="file",
        desc="extract",
        disable=(not progress) if progress is not None else None,
        file=sys.stderr,
        leave=False,
    )
    with StoreWriter(database) as writer:
        for out in outcomes:
            bar.update(1)
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
            return Summary(Path(database), 0, 0, problems, replaced=False)
        path = writer.commit(info, load_indicators(), load_lexicon().themes)
    return Summary(path, counts["documents"], counts["facts"], problems)
