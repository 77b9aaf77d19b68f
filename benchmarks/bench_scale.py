"""Scale: a generated corpus of 10,000 documents. Extraction on one core and on all (documents
per second, peak memory, database size), whether memory grows with the corpus, a full build and
a rebuild with nothing changed, and how long the theme reports take over the whole corpus."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

from .bench_build import report_seconds, run_build
from .bench_extract import extract_once
from .common import line
from .generate import generate


def run(docs: int = 10_000) -> dict:
    from analysis.pipeline import default_jobs

    cores = default_jobs()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        t = time.perf_counter()
        generate(corpus, docs)
        size = sum(p.stat().st_size for p in corpus.iterdir())
        print(
            f"scale: {docs:,} generated documents, {size / 1e6:.0f} MB (made in {time.perf_counter() - t:.0f} s)"
        )
        one = extract_once(corpus, Path(tmp) / "one.duckdb", 1)
        line(
            "extraction, 1 core",
            f"{one['seconds']:.0f} s, {one['documents'] / one['seconds']:.0f} documents/s, peak {one['peak_mb']:.0f} MB",
        )
        if cores > 1:
            many = extract_once(corpus, Path(tmp) / "many.duckdb", cores)
            line(
                f"extraction, {cores} cores",
                f"{many['seconds']:.0f} s, {many['documents'] / many['seconds']:.0f} documents/s, peak {many['peak_mb']:.0f} MB per process",
            )
        line("facts; database size", f"{one['facts']:,} facts; {one['db_mb']:.0f} MB")
        part = Path(tmp) / "part"
        part.mkdir()
        for p in sorted(corpus.iterdir())[: max(1, docs // 5)]:
            shutil.copy(p, part / p.name)
        small = extract_once(part, Path(tmp) / "part.duckdb", 1)
        line(
            f"peak memory, 1 core: {docs // 5:,} vs {docs:,} documents",
            f"{small['peak_mb']:.0f} MB vs {one['peak_mb']:.0f} MB",
        )
        out = Path(tmp) / "reports"
        full = run_build(corpus, out)
        again = run_build(corpus, out)
        seconds = report_seconds(out)
        n = len(list(out.glob("*.html"))) - 1
        line(f"full build ({n} reports, extraction included)", f"{full:.0f} s")
        line("rebuild with nothing changed", f"{again:.2f} s")
        themes = {k: v for k, v in seconds.items() if k.startswith("theme-")}
        line(
            "theme reports over the whole corpus",
            ", ".join(f"{k[6:]} {v:.1f} s" for k, v in themes.items()),
        )
        line("overview report", f"{seconds.get('overview', 0):.1f} s")
        sizes = {p.name: p.stat().st_size for p in out.glob("*.html")}
        line(
            "largest report file",
            f"{max(sizes.values()) / 1e6:.1f} MB ({max(sizes, key=sizes.get)})",
        )
        return {
            "one": one,
            "full": full,
            "again": again,
            "reports": json.loads(json.dumps(seconds)),
        }
