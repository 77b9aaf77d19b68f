"""The command line: ``python -m analysis <command>`` (installed as ``union-reports``).

Exit status, for every command: 0 when it did its work (problems with single files are listed
on standard error and do not change it), 1 when nothing could be done (no readable document, a
build with a failed report), 2 for a usage error (an option naming a missing, wrong or
unwritable file or folder, a value out of range, an unknown report, a malformed data file of
the package), told in one line naming the option or file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import AnalysisError, DataFileError, UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error told in one line (the usage is one ``--help`` away)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _whole_number(least: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}, not {value}")
        return value

    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value >= 0:  # NaN too
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {text}")
    return value


# --------------------------------------------------------------------------- paths given


def _check_corpus(path: Path, option: str = "") -> Path:
    """The corpus folder (or single file) given, which must exist."""
    if not path.exists():
        raise UsageError(f"{option}{path}: no such folder; give a folder of .txt/.html files")
    return path


def _check_output(path: Path, option: str, folder: bool = False, example: str = "") -> None:
    """An output the command can write, checked before any work: a folder (``folder``) or a
    file in one; not a file where a folder is wanted or the other way round; writable."""
    where = f"{option} {path}"
    if path.is_dir() and not folder:
        raise UsageError(f"{where}: is a folder; give a file name, such as {path / example}")
    if path.exists() and not path.is_dir() and folder:
        raise UsageError(f"{where}: is a file; give a folder")
    parent = path if folder else path.parent
    existing = next(p for p in [parent, *parent.parents] if p.exists())
    if not existing.is_dir():
        raise UsageError(f"{where}: {existing} is a file, not a folder")
    try:  # an unnamed file, gone when closed: the surest test of permission
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as e:
        raise UsageError(f"{where}: cannot write in {existing} ({e.strerror})") from None


def _check_database(path: Path, option: str) -> None:
    """The database extraction writes: see :func:`_check_output`; an existing file there must
    be a database (extraction replaces it: never a text file given by mistake)."""
    _check_output(path, option, example="union-reports.duckdb")
    if path.is_file():
        try:
            with open(path, "rb") as f:
                head = f.read(12)
        except OSError as e:
            raise UsageError(f"{option} {path}: cannot be read ({e.strerror})") from None
        if head and head[8:12] != b"DUCK":
            raise UsageError(
                f"{option} {path}: is not a DuckDB database, and extraction would replace it; give another file name"
            )


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
    _max_bytes_arg(p)


def _max_bytes_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-bytes",
        type=_whole_number(1),
        default=None,
        metavar="N",
        help="skip files larger than N bytes (default 5,000,000)",
    )


def _max_bytes(args) -> int:
    from .files import MAX_BYTES

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
    from .pipeline import check_data_files

    root = _check_corpus(args.corpus or default_corpus())
    check_data_files()
    corpus = read_corpus(root, _max_bytes(args))
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


# --------------------------------------------------------------------------- extract


def cmd_extract(args) -> int:
    import shutil

    from .paths import default_database
    from .pipeline import default_jobs, run_extraction
    from .store import Store

    if args.out:
        _check_output(args.out, "--out", example=f"facts.{args.format or 'jsonl'}")
    fmt = args.format or (Path(args.out).suffix.lstrip(".") if args.out else None)
    if args.out and fmt not in ("jsonl", "csv", "parquet"):
        raise UsageError(
            f"--out {args.out}: cannot tell the export format from its name; give --format jsonl|csv|parquet"
        )
    if fmt == "parquet" and not args.out:
        raise UsageError("--format parquet: Parquet is binary: give --out FILE")
    _check_corpus(args.corpus)
    db = args.db or default_database()
    env = "UNION_REPORTS_DB" if os.environ.get("UNION_REPORTS_DB") else "the database"
    _check_database(db, "--db" if args.db else env)
    summary = run_extraction(
        args.corpus,
        db,
        jobs=args.jobs or default_jobs(),
        max_bytes=_max_bytes(args),
        progress=False if args.quiet else None,
        engine=args.engine,
        scheduler=args.scheduler,
        keywords=not args.no_keywords,
        cache=args.cache,
    )
    _report_problems(_Problem.of(summary.problems))
    if summary.documents == 0:
        kept = f"; the existing database {db} was kept" if not summary.replaced else ""
        print(f"error: no document of {args.corpus} could be read{kept}", file=sys.stderr)
        return 1
    if fmt:
        with Store(db) as store:
            if args.out:
                store.export(args.out, fmt)
            else:
                with tempfile.TemporaryDirectory() as tmp:
                    path = store.export(Path(tmp) / f"facts.{fmt}", fmt)
                    with open(path, encoding="utf-8") as f:
                        shutil.copyfileobj(f, sys.stdout)
    if not args.quiet:
        print(
            f"{summary.documents} documents, {summary.facts} facts, {len(summary.skipped)} files skipped; database: {db}",
            file=sys.stderr,
        )
    return 0


class _Problem:
    """A problem row from the store, printed like a corpus Problem."""

    def __init__(self, row: dict) -> None:
        self.path, self.reason, self.severity = row["path"], row["reason"], row["severity"]

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    @classmethod
    def of(cls, rows) -> list[_Problem]:
        return [cls(r) for r in rows]


# --------------------------------------------------------------------------- evaluate


def cmd_evaluate(args) -> int:
    from .corpus import Document, iter_corpus
    from .evaluate import evaluate
    from .facts import extract_facts
    from .paths import default_corpus
    from .pipeline import check_data_files

    gold = _gold(args.gold)
    corpus = _check_corpus(args.corpus or default_corpus())
    check_data_files()
    facts, problems, docs = [], [], []
    for item in iter_corpus(corpus, _max_bytes(args)):
        if isinstance(item, Document):
            docs.append(item.id)
            facts.extend(f.as_dict() for f in extract_facts(item))
        else:
            problems.append(item)
    _report_problems(problems)
    result = evaluate(gold, facts, docs)
    *table, summary = result.table().splitlines()
    errors = result.error_table().splitlines()
    print("\n".join([*table, *(errors if args.verbose else errors[:1]), summary]))
    return 0


def _gold(path: Path) -> list[dict]:
    """The gold facts of ``--gold``; any mistake in the file is a usage error naming it."""
    from .evaluate import load_gold

    if not path.is_file():
        raise UsageError(
            f"--gold {path}: {'is a folder' if path.is_dir() else 'no such file'}; give a JSON-lines file of gold facts"
        )
    try:
        with open(path, "rb") as f:
            f.read().decode("utf-8")
    except OSError as e:
        raise UsageError(f"--gold {path}: cannot be read ({e.strerror})") from None
    except UnicodeDecodeError as e:
        raise UsageError(
            f"--gold {path}: not UTF-8 text ({e.reason} at byte {e.start}: a binary file?); give a JSON-lines file of gold facts"
        ) from None
    try:
        return load_gold(path)
    except AnalysisError as e:
        raise UsageError(f"--gold {e}") from None


# --------------------------------------------------------------------------- build


def cmd_build(args) -> int:
    from .build import build
    from .paths import default_corpus, default_reports

    corpus = _check_corpus(args.corpus or default_corpus(), "--corpus " if args.corpus else "")
    out = args.out or default_reports()
    _check_output(out, "--out", folder=True)
    result = build(
        corpus,
        out,
        only=args.only,
        force=args.force,
        jobs=args.jobs,
        quiet=args.quiet,
        max_regions=args.max_regions,
        wait=args.wait,
        keywords=not args.no_keywords,
        max_bytes=args.max_bytes,
    )
    if result.extracted:
        _report_problems(_Problem.of(result.problems))
    for name, error in result.failed.items():
        print(f"failed: {name}: {error}", file=sys.stderr)
    if not args.quiet:
        print(
            f"{len(result.built)} reports built, {len(result.failed)} failed, {len(result.unchanged)} unchanged in {result.seconds:.1f} s; open {out / 'index.html'}",
            file=sys.stderr,
        )
    return 0 if result.ok else 1


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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

    from .options import CACHE_MODES, ENGINES
    from .paths import default_database

    p = sub.add_parser(
        "extract",
        help="extract facts from a folder into the database (and export them)",
        description=f"Read every document of DIR, extract its facts (indicator, value, unit, bound, modality, period, region, evidence) and write them with the documents and problems to a DuckDB database (default: {default_database().relative_to(default_database().parents[1])}, or $UNION_REPORTS_DB). With --format or --out, also export the facts: JSON lines or CSV to standard output or FILE, Parquet to FILE. Exit status 0 when at least one document was read, 1 when none could be, 2 for a usage error.",
    )
    _corpus_arg(p, required=True)
    p.add_argument(
        "--format",
        choices=["jsonl", "csv", "parquet"],
        help="export the facts in this format (default: from --out's extension)",
    )
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="write the export here instead of standard output"
    )
    p.add_argument(
        "--db",
        type=Path,
        metavar="FILE",
        help="the database to write (default: %(default)s)",
        default=None,
    )
    p.add_argument(
        "--jobs",
        type=_whole_number(1),
        metavar="N",
        default=None,
        help="worker processes, at most (default: all cores); a corpus of fewer than 100 files is read in one process, where starting workers costs more than it saves",
    )
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="local processes, or Dask (default: local)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: a distributed scheduler (default: local Dask processes)",
    )
    p.add_argument(
        "--no-keywords",
        action="store_true",
        help="skip keywords per document (jieba): about twice as fast on large corpora; reports then show none",
    )
    p.add_argument(
        "--cache",
        choices=CACHE_MODES,
        default="use",
        help="the extraction results kept beside the database: use them for files whose content was extracted before (default), refresh them (read every file again), or leave them off",
    )
    p.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar or summary (for cron); problems are still listed",
    )
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "evaluate",
        help="precision and recall against hand-annotated facts",
        description="Extract the facts of DIR (default: seeds/) and compare them with a gold file of hand-annotated facts (JSON lines: doc, indicator, value, modality, optional). Prints precision, recall and F1 per headline indicator and overall, and the errors by kind (wrong indicator, wrong modality, wrong bound, false, missed).",
    )
    _corpus_arg(p)
    p.add_argument(
        "--gold", type=Path, required=True, metavar="FILE", help="the gold facts, JSON lines"
    )
    p.add_argument("--verbose", action="store_true", help="also list every error, by kind")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser(
        "build",
        help="build the HTML reports (only what changed)",
        description="Extract the facts of the corpus (when it changed), run each report notebook with papermill and render it to self-contained HTML in OUT, with OUT/index.html linking them all. A report whose inputs (notebook, parameters, the facts it reads, the package) have not changed is not run again. A report that fails keeps its last good HTML and is marked failed in the index; the command then exits 1 after building the others. Fit for cron: see --quiet.",
    )
    p.add_argument(
        "--corpus",
        type=Path,
        metavar="DIR",
        help="folder of documents (default: the project's seeds/)",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="folder for the reports and the database (default: the project's reports/)",
    )
    p.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="build only these reports (names as in the index: overview, theme-bargaining, region-532801...; or a kind: theme, region)",
    )
    p.add_argument(
        "--force", action="store_true", help="extract and build everything again, changed or not"
    )
    p.add_argument(
        "--jobs",
        type=_whole_number(1),
        metavar="N",
        help="reports built at once (default: all cores)",
    )
    p.add_argument(
        "--max-regions",
        type=_whole_number(0),
        default=50,
        metavar="N",
        help="region profiles for the N regions with most figures (default 50); the overview lists all",
    )
    p.add_argument(
        "--wait",
        type=_seconds,
        default=600,
        metavar="SECONDS",
        help="wait this long for another build to finish before giving up (default 600)",
    )
    p.add_argument(
        "--no-keywords",
        action="store_true",
        help="skip keywords per document (faster extraction on large corpora)",
    )
    _max_bytes_arg(p)
    p.add_argument(
        "--quiet",
        action="store_true",
        help="for cron: no progress bar or summary; only problems and failures are printed",
    )
    p.set_defaults(func=cmd_build)
    return parser


def _log_to_stderr(quiet: bool) -> None:
    """The package's log messages (a build waiting for another...) on standard error."""
    import logging

    logger = logging.getLogger("analysis")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(logging.ERROR if quiet else logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _log_to_stderr(getattr(args, "quiet", False))
    try:
        return args.func(args)
    except (UsageError, DataFileError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except AnalysisError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # the disk filled up, a folder vanished: said in one line
        where = f"{e.filename}: " if e.filename else ""
        print(f"error: {where}{e.strerror or e}", file=sys.stderr)
        return 1
