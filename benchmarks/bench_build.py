"""Report build times on the seeds: a full build, a rebuild with nothing changed, and the cost
of one more report (from builds with 7 and with 14 reports)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import SEEDS, line


def run_build(corpus: Path, out: Path, *extra: str) -> float:
    t = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "build",
            "--corpus",
            str(corpus),
            "--out",
            str(out),
            "--quiet",
            *extra,
        ],
        check=True,
    )
    return time.perf_counter() - t


def report_seconds(out: Path) -> dict[str, float]:
    state = json.loads((out / ".build" / "state.json").read_text(encoding="utf-8"))
    return {name: r.get("seconds", 0.0) for name, r in state["reports"].items()}


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "seeds"
        shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("*.md"))
        full_out, small_out = Path(tmp) / "full", Path(tmp) / "small"
        full = run_build(corpus, full_out)
        again = run_build(corpus, full_out)
        small = run_build(corpus, small_out, "--max-regions", "0")
        n_full = len(list(full_out.glob("*.html"))) - 1
        n_small = len(list(small_out.glob("*.html"))) - 1
        per_report = (full - small) / (n_full - n_small)
        seconds = report_seconds(full_out)
    print(f"build: the seeds ({n_full} reports) on this machine")
    line("full build (extraction and every report)", f"{full:.1f} s")
    line("rebuild with nothing changed", f"{again:.2f} s")
    line(f"cost of one more report ({n_small} -> {n_full} reports)", f"{per_report:.2f} s")
    line(
        "one report, in its worker (median)", f"{sorted(seconds.values())[len(seconds) // 2]:.2f} s"
    )
    return {"full": full, "again": again, "per_report": per_report}
