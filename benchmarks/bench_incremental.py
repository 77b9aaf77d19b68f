"""Incremental builds on a generated corpus of 2,000 documents, each beside the full build
measured in the same run: a rebuild with nothing changed, a touch (new file times, the same
bytes), one document added, one changed and one removed. For each: the whole command, and the
part of it outside the reports that really changed (extraction, the database, the index)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from .bench_build import report_seconds, run_build
from .common import line
from .generate import generate


def _last_build(out: Path) -> dict:
    """What the last build spent, by phase (``state.json``'s ``last_build``)."""
    state = json.loads((out / ".build" / "state.json").read_text(encoding="utf-8"))
    return state["last_build"]


def _append(path: Path, sentence: str) -> None:
    from analysis.corpus import decode

    text, _, _ = decode(path.read_bytes())
    path.write_text(text + sentence, encoding="utf-8")


def run(docs: int = 2000) -> dict:
    from analysis.pipeline import default_jobs

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        files = generate(corpus, docs + 1)
        extra = Path(tmp) / files[-1].name
        shutil.move(files[-1], extra)
        out = Path(tmp) / "reports"
        full = run_build(corpus, out)
        n = len(report_seconds(out))
        print(f"incremental: {docs:,} generated documents, {n} reports, {default_jobs()} cores")
        line("full build (reference)", f"{full:.1f} s")
        results = {"full": full}

        def step(label: str, change) -> None:
            change()
            seconds = run_build(corpus, out)
            phases = _last_build(out)
            rest = seconds - phases["reports_seconds"]
            line(
                label,
                f"{seconds:.2f} s ({seconds / full:.3f} of the full build); {phases['reports']} reports ran in {phases['reports_seconds']:.1f} s, the rest {rest:.2f} s ({rest / full:.3f})",
            )
            results[label] = {"seconds": seconds, "rest": rest, **phases}

        step("rebuild with nothing changed", lambda: None)
        step("touch one file (same bytes)", lambda: os.utime(files[5]))
        step("add one document", lambda: shutil.copy(extra, corpus / extra.name))
        step("change one document", lambda: _append(files[7], "\n全年新建基层工会3家。\n"))
        step("remove one document", lambda: (corpus / extra.name).unlink())
        return results
