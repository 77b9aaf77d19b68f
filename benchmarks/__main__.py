"""``python -m benchmarks [NAME...]``: run the benchmarks (all by default) and print figures."""

from __future__ import annotations

import argparse
import importlib

BENCHMARKS = ["quantities", "keywords", "extract", "limits", "build", "incremental", "scale"]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"some of {BENCHMARKS} (default: all)"
    )
    parser.add_argument(
        "--docs",
        type=int,
        default=10_000,
        help="documents in the scale benchmark's corpus (default 10000)",
    )
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {BENCHMARKS}")
    for name in args.names or BENCHMARKS:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        if name == "scale":
            module.run(args.docs)
        else:
            module.run()
        print()


if __name__ == "__main__":
    main()
