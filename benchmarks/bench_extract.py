"""Extraction throughput over a generated corpus of at least 10 MB: documents, characters and
facts per second, on one core and on all (keywords on, every file read: a first extraction,
which also fills the cache), with peak memory and database size; and one core without
keywords, for reference.

Characters per second depend on the machine as much as on the code, so the one-core figure is
also given beside issue #12's bar scaled to this machine: the bar (0.6 M characters/s) was set
on a machine where chinese2digits, a pure-Python reader like ours, read 2.18 M characters/s
(the issue's 8.5 M/s for parse_quantities at 3.9 times chinese2digits); chinese2digits is timed
here on the same text in the same run."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .bench_quantities import chinese2digits_numbers
from .common import line, repeated_text, timed
from .generate import generate

#: The one-core bar of issue #12 and the chinese2digits speed of the machine it was set on.
BAR_CHARS_PER_S = 0.6e6
BAR_MACHINE_C2D_CHARS_PER_S = 2.18e6

# Runs one extraction in a fresh interpreter and reports its own figures, so that memory is
# measured for that run alone (ru_maxrss of the process and of its worker processes).
_RUNNER = """
import json, resource, sys, time
from pathlib import Path
from analysis.pipeline import run_extraction
corpus, db, jobs, keywords = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
t = time.perf_counter()
s = run_extraction(corpus, db, jobs=jobs, progress=False, keywords=keywords)
seconds = time.perf_counter() - t
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "documents": s.documents, "facts": s.facts, "peak_mb": rss / 1024, "db_mb": db.stat().st_size / 1e6}))
"""


def extract_once(corpus: Path, db: Path, jobs: int, keywords: bool = True) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(corpus), str(db), str(jobs), str(int(keywords))],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def characters(corpus: Path) -> int:
    """The characters of the corpus's files, decoded (what extraction reads)."""
    from analysis.corpus import decode

    return sum(len(decode(p.read_bytes())[0]) for p in sorted(corpus.iterdir()))


def machine_speed(chars: int = 1_000_000) -> float:
    """chinese2digits' characters per second on the seeds' text here (best of three)."""
    text = repeated_text(chars)
    seconds, _ = timed(chinese2digits_numbers, text)
    return len(text) / seconds


def report(corpus: Path, docs: int, label: str) -> dict:
    from analysis.pipeline import default_jobs

    raw = sum(p.stat().st_size for p in corpus.iterdir())
    chars = characters(corpus)
    print(
        f"extract: {docs:,} generated documents, {raw / 1e6:.1f} MB, {chars / 1e6:.2f} M characters ({label})"
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = [(jobs, True) for jobs in sorted({1, default_jobs()})] + [(1, False)]
        for jobs, keywords in runs:
            r = extract_once(corpus, Path(tmp) / f"facts-{jobs}-{keywords}.duckdb", jobs, keywords)
            what = f"{jobs} core{'s' if jobs > 1 else ''}{'' if keywords else ', no keywords'}"
            line(f"{what}: time", f"{r['seconds']:.1f} s")
            line("  documents per second", f"{r['documents'] / r['seconds']:.0f}")
            line("  characters per second", f"{chars / r['seconds'] / 1e6:.2f} M")
            line("  facts per second", f"{r['facts'] / r['seconds']:.0f} ({r['facts']:,} facts)")
            line("  peak memory (largest process)", f"{r['peak_mb']:.0f} MB")
            line("  database size", f"{r['db_mb']:.1f} MB")
            results[(jobs, keywords)] = r
    c2d = machine_speed()
    bar = BAR_CHARS_PER_S * c2d / BAR_MACHINE_C2D_CHARS_PER_S
    one = chars / results[(1, True)]["seconds"]
    line("chinese2digits here (machine speed)", f"{c2d / 1e6:.2f} M chars/s (bar's machine: 2.18)")
    line(
        "1 core vs the bar scaled to this machine",
        f"{one / 1e6:.2f} M of {bar / 1e6:.2f} M chars/s ({one / bar:.2f})",
    )
    return results


def run(docs: int = 1500) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        generate(corpus, docs)
        return report(corpus, docs, "seed sentences recombined, regions and years varied")
