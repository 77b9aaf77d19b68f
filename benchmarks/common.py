"""Helpers shared by the benchmarks: the seed text, timing, peak memory."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def seed_text() -> str:
    """The cleaned text of the seed documents, joined."""
    from analysis.corpus import read_corpus

    return "\n".join(d.text for d in read_corpus(SEEDS).documents)


def repeated_text(min_chars: int) -> str:
    text = seed_text()
    return "\n".join([text] * (min_chars // len(text) + 1))


def timed(fn: Callable, *args, repeat: int = 3):
    """(best seconds of ``repeat`` runs, result of the last run)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, result


def peak_rss_mb() -> float:
    """Peak resident memory of this process (and its finished children), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def line(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")
