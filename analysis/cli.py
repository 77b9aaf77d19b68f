"""The command line: ``python -m analysis <command>`` (installed as ``union-reports``).

Exit status, for every command: 0 when it did its work (problems with single files are listed
on standard error and do not change it), 1 when nothing could be done (no readable document, a
build with a failed report), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import AnalysisError


def _corpus_arg(p: argparse.ArgumentParser, required: bool = False) -> None:
    from .paths import default_corpus

    if required:
        p.add_argument(
            "corpus",
            type=Path,
            metavar="DIR",
            help="folder of .txt/.html files (searched recursively)",
        )
    else:
        p.add_argument(
            "corpus",
            type=Path,
            nargs="?",
            default=None,
            metavar="DIR",
            help=f"folder of .txt/.html files (default: {default_corpus().name}/ of the project)",
        )
    p.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        metavar="N",
        help="skip files larger than N bytes (default 5,000,000)",
    )


def _max_bytes(args) -> int:
    from .corpus import MAX_BYTES

    return args.max_bytes or MAX_BYTES


def _report_problems(problems, stream=None) -> None:
    stream = stream or sys.stderr
    for p in problems:
        label = "skipped" if p.severity == "error" else "warning"
        print(f"{label}: {p}", file=stream)


# --------------------------------------------------------------------------- corpus


def cmd_corpus(args) -> int:
    from .corpus import read_corpus
    from .paths import default_corpus

    corpus = read_corpus(args.corpus or default_corpus(), _max_bytes(args))
    rows = [_doc_row(d) for d in corpus.documents]
    if args.format == "json":
        json.dump(
            {"documents": rows, "problems": [p.__dict__ for p in corpus.problems]},
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        print()
    else:
        _print_table(
            rows, ["id", "kind", "date", "region", "province", "union", "period", "chars", "title"]
        )
    _report_problems(corpus.problems)
    return 0 if corpus.documents else 1


def _doc_row(d) -> dict:
    m = d.meta
    return {
        "id": d.id,
        "path": d.path,
        "title": m.title,
        "date": m.date,
        "source": m.source,
        "union": m.union,
        "region": m.region,
        "province": m.province,
        "kind": m.kind,
        "period_start": m.period_start,
        "period_end": m.period_end,
        "period": m.period_label,
        "encoding": d.encoding,
        "chars": len(d.text),
        "repeated_sentences": len(d.repeats),
        "duplicate_of": d.duplicate_of,
    }


def _print_table(rows: list[dict], columns: list[str]) -> None:
    from unicodedata import east_asian_width

    def width(s: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in s)

    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max([width(c)] + [width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    widths[-1] = 0  # the last column is not padded
    for row in [columns, *cells]:
        print(
            "  ".join(
                v + " " * (w - width(v)) if w else v for v, w in zip(row, widths, strict=True)
            ).rstrip()
        )


# --------------------------------------------------------------------------- quantities


def cmd_quantities(args) -> int:
    from .quantities import read_quantities

    out = sys.stdout
    for n, raw in enumerate(sys.stdin.buffer, 1):
        raw = raw.rstrip(b"\r\n")
        try:
            line = raw.decode("utf-8")
            error = None
        except UnicodeDecodeError as e:
            line = raw.decode("utf-8", errors="replace")
            error = f"line {n}: not valid UTF-8 ({e.reason} at byte {e.start}); no quantities read from it"
            print(f"error: {error}", file=sys.stderr)
        record: dict = {
            "text": line,
            "quantities": [] if error else [q.as_dict() for q in read_quantities(line)],
        }
        if error:
            record["error"] = error
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        if args.flush:
            out.flush()
    return 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="union-reports",
        description="Figures from Chinese trade-union work reports, with their evidence, turned into reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "corpus",
        help="read a folder of documents and list them with their metadata",
        description="Read a folder of .txt/.html documents (any encoding), clean them and list each with its metadata. Files that cannot be read are listed on standard error with the reason.",
    )
    _corpus_arg(p)
    p.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        help="output format (default: table)",
    )
    p.set_defaults(func=cmd_corpus)

    p = sub.add_parser(
        "quantities",
        help="read quantities from lines of text (stdin -> JSON lines)",
        description='Read lines of text on standard input and write, for each, one JSON object: {"text": line, "quantities": [{value, unit, bound, start, end, text}, ...]}. Values are in base units (人, 元, %); bound is exact, lower, upper or approx. A line that is not UTF-8 is reported on standard error and gives an empty list.',
    )
    p.add_argument(
        "--flush",
        action="store_true",
        help="flush after every line (for use through a pipe, line by line)",
    )
    p.set_defaults(func=cmd_quantities)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except AnalysisError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
