"""Extraction throughput over a generated corpus of at least 10 MB: documents, characters and
facts per second, on one core and on all, with peak memory and database size."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import line
from .generate import generate

# Runs one extraction in a fresh interpreter and reports its own figures, so that memory is
# measured for that run alone (ru_maxrss of the process and of its worker processes).
_RUNNER = """
import json, resource, sys, time
from pathlib import Path
from analysis.pipeline import run_extraction
corpus, db, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter()
s = run_extraction(corpus, db, jobs=jobs, progress=False)
seconds = time.perf_counter() - t
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "documents": s.documents, "facts": s.facts, "peak_mb": rss / 1024, "db_mb": db.stat().st_size / 1e6}))
"""


def extract_once(corpus: Path, db: Path, jobs: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(corpus), str(db), str(jobs)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(corpus: Path, docs: int, label: str) -> dict:
    from analysis.pipeline import default_jobs

    raw = sum(p.stat().st_size for p in corpus.iterdir())
    print(f"extract: {docs:,} generated documents, {raw / 1e6:.1f} MB ({label})")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in sorted({1, default_jobs()}):
            r = extract_once(corpus, Path(tmp) / f"facts-{jobs}.duckdb", jobs)
            chars = raw / 3  # UTF-8 Chinese: about three bytes a character
            line(f"{jobs} core{'s' if jobs > 1 else ''}: time", f"{r['seconds']:.1f} s")
            line("  documents per second", f"{r['documents'] / r['seconds']:.0f}")
            line("  characters per second (approx.)", f"{chars / r['seconds'] / 1e6:.2f} M")
            line("  facts per second", f"{r['facts'] / r['seconds']:.0f} ({r['facts']:,} facts)")
            line("  peak memory (largest process)", f"{r['peak_mb']:.0f} MB")
            line("  database size", f"{r['db_mb']:.1f} MB")
            results[jobs] = r
    return results


def run(docs: int = 1500) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        generate(corpus, docs)
        return report(corpus, docs, "seed sentences recombined, regions and years varied")
