"""Report build times on the seeds, beside the reference measured in the same run: the same
reports made by hand with plain papermill and nbconvert (one command each, one after the other,
as a user without our build would). Then a rebuild with nothing changed, and the cost of one
more report (from builds with and without the region reports)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import ROOT, SEEDS, line


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


def by_hand(corpus: Path, out: Path) -> tuple[float, int]:
    """Extract, then each report with the papermill and nbconvert commands: (seconds, reports)."""
    from analysis.reports import report_specs
    from analysis.store import Store

    bin_dir = Path(sys.executable).parent
    out.mkdir(parents=True)
    db = out / "union-reports.duckdb"
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "analysis", "extract", str(corpus), "--db", str(db), "--quiet"],
        check=True,
    )
    with Store(db) as store:
        specs = report_specs(store)
    for spec in specs:
        executed = out / f"{spec.name}.ipynb"
        params = [
            a
            for k, v in spec.params.items()
            for a in ("-r" if isinstance(v, str) else "-p", k, str(v))  # -r: a string as is
        ]
        notebook = str(ROOT / "notebooks" / spec.notebook)
        quiet = ["--cwd", str(ROOT), "--no-progress-bar", "--log-level", "ERROR"]
        subprocess.run(
            [str(bin_dir / "papermill"), notebook, str(executed), *params, *quiet],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(bin_dir / "jupyter-nbconvert"), "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - t, len(specs)


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "seeds"
        shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("*.md"))
        hand, n_hand = by_hand(corpus, Path(tmp) / "by-hand")
        full_out, small_out = Path(tmp) / "full", Path(tmp) / "small"
        full = run_build(corpus, full_out)
        again = run_build(corpus, full_out)
        small = run_build(corpus, small_out, "--max-regions", "0")
        n_full = len(list(full_out.glob("*.html"))) - 1
        n_small = len(list(small_out.glob("*.html"))) - 1
        per_report = (full - small) / (n_full - n_small)
        seconds = report_seconds(full_out)
    print(f"build: the seeds ({n_full} reports) on this machine")
    line(f"by hand: extract, then papermill + nbconvert x {n_hand}", f"{hand:.1f} s (reference)")
    line("our build (extraction and every report)", f"{full:.1f} s: {full / hand:.2f} of by hand")
    line("rebuild with nothing changed", f"{again:.2f} s")
    line(f"cost of one more report ({n_small} -> {n_full} reports)", f"{per_report:.2f} s")
    line(
        "one report, in its worker (median)", f"{sorted(seconds.values())[len(seconds) // 2]:.2f} s"
    )
    return {"by_hand": hand, "full": full, "again": again, "per_report": per_report}
