"""The fact store: an embedded DuckDB database, written atomically, read back as DataFrames.

Tables (one row each):
    documents   per document: metadata, size, keywords, duplicate_of
    doc_themes  per document and theme: how many of the theme's terms it uses
    facts       per fact (see ``analysis.facts.Fact``), with ``fact_id`` = doc#n
    problems    per file skipped or read with a repair
    indicators  the indicator file as it was when the facts were extracted
    series      per region, indicator and period: one value across documents, with growth
    attainment  per target: the result reported for it, met or not
    flags       per figure that cannot be true beside another, by rule
    themes      the themes of the lexicon
    info        key/value: corpus, package version, counts (no timestamps: re-running on the
                same corpus gives the same content)

The database is built in a temporary file beside the target and moved over it only when
complete, so readers (a running report, a second command) never see half a database.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import duckdb
import pandas as pd

from .errors import AnalysisError
from .facts import FIELDS as FACT_FIELDS
from .paths import remove_stale_temporaries, temporary_beside

DOCUMENT_COLUMNS = [
    "doc", "path", "title", "title_source", "date", "source", "union_name", "region",
    "region_level", "prefecture", "province", "county", "adcode", "kind", "kind_reason", "period_start",
    "period_end", "period_label", "period_source", "encoding", "sha256", "chars",
    "repeated_sentences", "duplicate_of", "keywords", "facts",
]  # fmt: skip
FACT_COLUMNS = ["fact_id", *FACT_FIELDS]

_SCHEMA = """
-- documents.doc and facts.fact_id are unique by construction (ids come from file paths); no
-- PRIMARY KEY on them: its index would hold every key in memory while the database is written.
CREATE TABLE documents (
    doc VARCHAR, path VARCHAR, title VARCHAR, title_source VARCHAR, date DATE,
    source VARCHAR, union_name VARCHAR, region VARCHAR, region_level VARCHAR,
    prefecture VARCHAR, province VARCHAR, county VARCHAR, adcode VARCHAR, kind VARCHAR,
    kind_reason VARCHAR,
    period_start DATE, period_end DATE, period_label VARCHAR, period_source VARCHAR,
    encoding VARCHAR, sha256 VARCHAR, chars INTEGER, repeated_sentences INTEGER,
    duplicate_of VARCHAR, keywords VARCHAR[], facts INTEGER
);
CREATE TABLE doc_themes (doc VARCHAR, theme VARCHAR, terms INTEGER);
CREATE TABLE facts (
    fact_id VARCHAR, doc VARCHAR, indicator VARCHAR, theme VARCHAR, value DOUBLE,
    unit VARCHAR, bound VARCHAR, modality VARCHAR, period_start DATE, period_end DATE,
    period_label VARCHAR, region VARCHAR, region_level VARCHAR, province VARCHAR,
    prefecture VARCHAR, county VARCHAR, adcode VARCHAR, subject VARCHAR, evidence VARCHAR,
    evidence_original VARCHAR, start INTEGER, "end" INTEGER, sentence VARCHAR,
    sentence_original VARCHAR, sentence_start INTEGER, sentence_end INTEGER, figure VARCHAR,
    figure_start INTEGER, figure_end INTEGER, part_of INTEGER
);
CREATE TABLE problems (path VARCHAR, reason VARCHAR, severity VARCHAR);
CREATE TABLE indicators (
    id VARCHAR PRIMARY KEY, theme VARCHAR, label_zh VARCHAR, label_en VARCHAR,
    unit_kind VARCHAR, units VARCHAR[], stock BOOLEAN, headline BOOLEAN, notes VARCHAR,
    position INTEGER
);
CREATE TABLE themes (id VARCHAR PRIMARY KEY, label_zh VARCHAR, label_en VARCHAR, position INTEGER);
CREATE TABLE info (key VARCHAR PRIMARY KEY, value VARCHAR);
-- Figures across documents (analysis.series): one value per region, indicator and period, with
-- growth; targets against results; figures that cannot all be true.
CREATE TABLE series (
    region VARCHAR, province VARCHAR, region_level VARCHAR, indicator VARCHAR, kind VARCHAR,
    period_start DATE, period_end DATE, value DOUBLE, unit VARCHAR, bound VARCHAR, doc VARCHAR,
    fact_id VARCHAR, evidence VARCHAR, figure VARCHAR, sources INTEGER, alternatives VARCHAR,
    previous_period_end DATE, previous_value DOUBLE, change DOUBLE, change_pct DOUBLE,
    annual_growth_pct DOUBLE, years_between DOUBLE, yearly_average DOUBLE, approximate BOOLEAN
);
CREATE TABLE attainment (
    region VARCHAR, province VARCHAR, indicator VARCHAR, kind VARCHAR, target_value DOUBLE,
    target_bound VARCHAR, target_period_end DATE, target_doc VARCHAR, target_fact_id VARCHAR,
    target_evidence VARCHAR, actual_value DOUBLE, actual_bound VARCHAR, actual_period_end DATE,
    actual_doc VARCHAR, actual_fact_id VARCHAR, actual_evidence VARCHAR, status VARCHAR,
    share DOUBLE
);
CREATE TABLE flags (
    rule VARCHAR, region VARCHAR, indicator VARCHAR, period_end DATE, detail VARCHAR,
    fact_ids VARCHAR, docs VARCHAR, quotes VARCHAR
);
"""


@dataclass
class Batch:
    """What one document contributes to the store."""

    document: dict | None = None
    themes: dict[str, int] = field(default_factory=dict)
    facts: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)


class StoreWriter:
    """Writes a new database in a temporary file; :meth:`commit` moves it into place.

    Rows are inserted in chunks as documents arrive, so memory holds a chunk, not the corpus;
    they are taken in file order from every engine, so the database is the same however made.
    Use as a context manager: leaving it without :meth:`commit` (an error, a kill) removes the
    temporary file and leaves any existing database untouched.
    """

    CHUNK = 500
    MEMORY_LIMIT = "128MB"
    #: Derived rows are copied from the database replaced when the changed regions hold at
    #: most this share of the facts (beyond it, computing them all is as fast).
    REUSE_SHARE = 0.5

    def __init__(self, path: Path, version: str | None = None, reuse: bool = False) -> None:
        """``version``: what the rows are made by (the extraction's version, with the
        libraries that store them), recorded in ``info``. With ``reuse``, the database at
        ``path``, when the same version wrote it, gives its rows of the documents that did not
        change (see :meth:`add`) and of the regions they alone speak of (see
        :meth:`_derive`)."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.path.parent, self.path.name)  # what a killed run left
        self.tmp = temporary_beside(self.path)
        self.tmp.unlink()  # DuckDB wants to create the file itself
        self.spill = Path(f"{self.tmp}.spill")
        # DuckDB keeps what it writes in memory up to its limit (most of the RAM by default):
        # cap it so that memory stays flat however large the corpus, spilling to disk instead.
        self.con = duckdb.connect(
            str(self.tmp),
            config={"memory_limit": self.MEMORY_LIMIT, "temp_directory": str(self.spill)},
        )
        self.con.execute(_SCHEMA)
        self.version = version
        self._docs: list[dict] = []
        self._themes: list[dict] = []
        self._facts: list[dict] = []
        self._fact_ids: list[str] = []
        self._problems: list[dict] = []
        self._copies: list[str] = []  # documents whose rows are copied from the previous one
        self._kept: set[str] = set()  # documents the previous database holds as they are
        self._inserted: list[str] = []  # the others
        #: The previous database's documents: (path, sha256, duplicate_of, facts) by doc.
        self._previous: dict[str, tuple] | None = None
        if version is not None and reuse:
            self._previous = self._attach_previous()
        self.counts = {"documents": 0, "facts": 0, "problems": 0}

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _attach_previous(self) -> dict[str, tuple] | None:
        """Attach the database at :attr:`path` as ``previous`` if :attr:`version` wrote it."""
        if not self.path.is_file():
            return None
        try:
            self.con.execute(f"ATTACH '{_sql_path(self.path)}' AS previous (READ_ONLY)")
        except duckdb.Error:  # unreadable, or open for writing elsewhere: write it all
            return None
        try:
            row = self.con.execute(
                "SELECT value FROM previous.info WHERE key = 'written_by'"
            ).fetchone()
            if row is None or json.loads(row[0]) != self.version:
                raise LookupError
            rows = self.con.execute(
                "SELECT doc, path, sha256, duplicate_of, facts FROM previous.documents"
            ).fetchall()
            return {doc: tuple(rest) for doc, *rest in rows}
        except (LookupError, duckdb.Error, ValueError):
            self.con.execute("DETACH previous")
            return None

    def add(self, batch: Batch) -> None:
        """Take one document's rows, in file order. A document the previous database holds
        with the same path, content, duplicate and number of facts has the same rows there
        (the same version made them from the same bytes): they are copied from it, in
        DuckDB, instead of being inserted again."""
        if batch.document is not None:
            doc = batch.document
            same = (doc["path"], doc["sha256"], doc.get("duplicate_of"), len(batch.facts))
            if self._previous is not None and self._previous.get(doc["doc"]) == same:
                if self._docs:  # the rows before it first: the tables keep file order
                    self._flush()
                self._copies.append(doc["doc"])
                self._kept.add(doc["doc"])
            else:
                if self._copies:
                    self._flush()
                self._inserted.append(doc["doc"])
                self._docs.append(doc)
                n = len(batch.facts)
                self._fact_ids.extend(f"{doc['doc']}#{i}" for i in range(1, n + 1))
                self._facts.extend(batch.facts)
            self._themes.extend(
                {"doc": doc["doc"], "theme": t, "terms": n} for t, n in batch.themes.items()
            )
            self.counts["documents"] += 1
            self.counts["facts"] += len(batch.facts)
        self._problems.extend(batch.problems)
        self.counts["problems"] += len(batch.problems)
        if (
            len(self._docs) >= self.CHUNK
            or len(self._facts) >= self.CHUNK * 20
            or len(self._copies) >= self.CHUNK * 20
        ):
            self._flush()

    def _copy(self, docs: list[str]) -> None:
        """Copy the rows of ``docs`` from the previous database, in that order."""
        self.con.register("copied", pd.DataFrame({"doc": docs, "position": range(len(docs))}))
        for table in ("documents", "facts"):
            self.con.execute(
                f"INSERT INTO main.{table} SELECT t.* FROM previous.{table} t"
                " JOIN copied c ON t.doc = c.doc ORDER BY c.position, t.rowid"
            )
        self.con.unregister("copied")

    def _insert(
        self, table: str, rows: list[dict], columns: list[str] | None = None, **given: list
    ) -> None:
        """Insert ``rows`` (dicts; a missing key is NULL) as ``columns``, in that order; a
        column in ``given`` has its values listed. Built a column at a time: pandas' reading
        of a list of dicts cost more than DuckDB's insert."""
        if rows:
            columns = columns or list(rows[0])
            read = [c for c in columns if c not in given]
            values = dict(given)
            try:  # every row has every column: one pass over the rows, transposed by zip
                if len(read) > 1:
                    columns_of = zip(*map(itemgetter(*read), rows), strict=True)
                    values |= zip(read, map(list, columns_of), strict=True)
                else:
                    values |= {c: [r[c] for r in rows] for c in read}
            except KeyError:
                values |= {c: [r.get(c) for r in rows] for c in read}
            frame = pd.DataFrame({c: values[c] for c in columns})
            self.con.register("incoming", frame)
            self.con.execute(f"INSERT INTO {table} SELECT * FROM incoming")
            self.con.unregister("incoming")

    def _flush(self) -> None:
        if self._copies:
            self._copy(self._copies)
            self._copies.clear()
        self._insert("facts", self._facts, FACT_COLUMNS, fact_id=self._fact_ids)
        for table, rows, columns in (
            ("documents", self._docs, DOCUMENT_COLUMNS),
            ("doc_themes", self._themes, ["doc", "theme", "terms"]),
            ("problems", self._problems, ["path", "reason", "severity"]),
        ):
            self._insert(table, rows, columns)
        for rows in (self._docs, self._themes, self._facts, self._fact_ids, self._problems):
            rows.clear()
        # Write the chunk out: without this DuckDB holds every row inserted so far in memory.
        self.con.execute("CHECKPOINT")

    def commit(self, info: dict, indicators, themes) -> Path:
        """Write the reference tables, sort, and move the finished database into place."""
        self._flush()
        self._insert(
            "indicators",
            [
                {
                    "id": i.id,
                    "theme": i.theme,
                    "label_zh": i.label_zh,
                    "label_en": i.label_en,
                    "unit_kind": i.unit_kind,
                    "units": sorted(i.units),
                    "stock": i.stock,
                    "headline": i.headline,
                    "notes": i.notes,
                    "position": n,
                }
                for n, i in enumerate(indicators)
            ],
        )
        self._insert(
            "themes",
            [
                {"id": t.id, "label_zh": t.label_zh, "label_en": t.label_en, "position": n}
                for n, t in enumerate(themes)
            ],
        )
        if self.version is not None:
            info = {**info, "written_by": self.version}
        self._insert(
            "info",
            [{"key": k, "value": json.dumps(v, ensure_ascii=False)} for k, v in info.items()],
        )
        self._derive()
        self.con.execute("CHECKPOINT")
        self.con.close()
        self.con = None
        os.replace(self.tmp, self.path)
        return self.path

    def _derive(self) -> None:
        """The tables read across documents: series, attainment, flags (analysis.series).

        Each of their rows belongs to one region, and is computed from that region's facts
        (and, for a part and its whole, from one document's). So when the database this one
        replaces was derived by the same code, only the regions of the documents that changed
        are computed again; the other regions' rows are copied from it, and the tables come
        out the same as if computed whole (a test holds them to it).
        """
        from . import series

        regions = self._changed_regions()
        where = ""
        if regions is not None:
            # Every fact of every document with a figure in a changed region: a region's
            # series needs all its figures, a whole and its parts (其中) are in one document.
            where = (
                " WHERE doc IN (SELECT doc FROM facts f WHERE EXISTS"
                " (SELECT 1 FROM changed_regions c WHERE c.region IS NOT DISTINCT FROM f.region))"
            )
        try:
            facts = self.con.execute(
                f"SELECT {_DERIVED_FROM} FROM facts{where} ORDER BY doc, figure_start"
            ).df()
            documents = self.con.execute("SELECT doc, date FROM documents").df()
            indicators = self.con.execute("SELECT id, units, stock FROM indicators").df()
            s = series.build_series(facts, documents, indicators)
            if regions is not None:
                s = _in_regions(s, regions)
            tables = {
                "series": (s, series.SERIES_COLUMNS),
                "attainment": (
                    series.build_attainment(facts, s, indicators),
                    series.ATTAINMENT_COLUMNS,
                ),
                "flags": (series.build_flags(facts, s, indicators), series.FLAG_COLUMNS),
            }
            for name, (frame, columns) in tables.items():
                if regions is None:
                    if not frame.empty:
                        self._insert_frame(name, frame[columns], columns)
                    continue
                self.con.execute(f"CREATE TEMP TABLE fresh AS SELECT * FROM main.{name} LIMIT 0")
                frame = _in_regions(frame, regions)
                if not frame.empty:
                    self._insert_frame("fresh", frame[columns], columns)
                # The unchanged regions' rows and the new ones, in the order analysis.series
                # sorts them in (a region's rows all come from one side, in their own order).
                self.con.execute(
                    f"INSERT INTO main.{name} SELECT * EXCLUDE (_side, _row) FROM ("
                    f" SELECT *, 0 AS _side, rowid AS _row FROM previous.{name} t WHERE NOT EXISTS"
                    "  (SELECT 1 FROM changed_regions c WHERE c.region IS NOT DISTINCT FROM t.region)"
                    " UNION ALL SELECT *, 1, rowid FROM fresh"
                    f") ORDER BY {_DERIVED_ORDER[name]}, _side, _row"
                )
                self.con.execute("DROP TABLE fresh")
        finally:
            if regions is not None:
                self.con.execute("DROP TABLE changed_regions")
            if self._previous is not None:
                self.con.execute("DETACH previous")
                self._previous = None

    def _insert_frame(self, table: str, frame: pd.DataFrame, columns: list[str]) -> None:
        self.con.register("derived", frame)
        names = ", ".join(f'"{c}"' for c in columns)
        self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM derived")
        self.con.unregister("derived")

    def _changed_regions(self) -> set | None:
        """The regions (None among them, for facts without one) of the documents that are
        not in the previous database as they are now (added, changed, removed), in the table
        ``changed_regions``; or None, when every derived row is to be computed: no previous
        database of this version, or the changed regions hold most of the facts."""
        if self._previous is None:
            return None
        # Those inserted, and those gone (the copied ones are the previous rows themselves).
        changed = set(self._inserted) | (set(self._previous) - self._kept)
        self.con.register("changed_docs", pd.DataFrame({"doc": sorted(changed)}, dtype=object))
        self.con.execute(
            "CREATE TEMP TABLE changed_regions AS SELECT DISTINCT region FROM ("
            " SELECT doc, region FROM main.facts UNION ALL SELECT doc, region FROM previous.facts)"
            " WHERE doc IN (SELECT doc FROM changed_docs)"
        )
        self.con.unregister("changed_docs")
        regions = {r for (r,) in self.con.execute("SELECT region FROM changed_regions").fetchall()}
        share = self.con.execute(
            "SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM changed_regions c"
            " WHERE c.region IS NOT DISTINCT FROM f.region)) / greatest(count(*), 1)"
            " FROM main.facts f"
        ).fetchone()[0]
        if share > self.REUSE_SHARE:
            self.con.execute("DROP TABLE changed_regions")
            return None
        return regions

    def close(self) -> None:
        if self.con is not None:
            with contextlib.suppress(duckdb.Error):
                self.con.close()
            self.con = None
        for leftover in (self.tmp, Path(str(self.tmp) + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        shutil.rmtree(self.spill, ignore_errors=True)
        with contextlib.suppress(OSError):  # the spill folder of earlier versions, if empty
            (self.path.parent / ".duckdb-tmp").rmdir()


class Store:
    """Read access to a fact database, as pandas DataFrames.

    >>> from analysis.paths import default_database
    >>> store = Store(default_database())  # doctest: +SKIP
    >>> store.facts(theme="bargaining")     # doctest: +SKIP
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise AnalysisError(
                f"{self.path}: no fact database here; run `python -m analysis extract DIR` (or `make reports`) first"
            )
        self._con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def query(self, sql: str, params: Iterable | None = None) -> pd.DataFrame:
        """A query's result. One read-only connection serves every query of this Store (the
        file it opened stays readable even if a new database replaces it meanwhile)."""
        try:
            if self._con is None:
                self._con = duckdb.connect(str(self.path), read_only=True)
            return self._con.execute(sql, list(params or [])).df()
        except duckdb.Error as e:
            raise AnalysisError(
                f"{self.path}: cannot read the fact database ({e}); rebuild it with `python -m analysis extract`"
            ) from e

    def documents(self) -> pd.DataFrame:
        return self.query("SELECT * FROM documents ORDER BY doc")

    def doc_themes(self) -> pd.DataFrame:
        return self.query("SELECT * FROM doc_themes ORDER BY doc, theme")

    def facts(
        self,
        theme: str | None = None,
        indicator: str | None = None,
        region: str | None = None,
        doc: str | None = None,
    ) -> pd.DataFrame:
        """Facts joined with their indicator's labels, filtered by the arguments given."""
        where, params = [], []
        for column, value in (("f.theme", theme), ("f.indicator", indicator), ("f.doc", doc)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if region is not None:
            where.append("(f.region = ? OR d.region = ?)")
            params += [region, region]
        sql = (
            "SELECT f.*, i.label_zh, i.label_en, i.stock, i.headline, i.position AS indicator_position,"
            " d.title, d.kind AS doc_kind, d.date AS doc_date, d.region AS doc_region"
            " FROM facts f JOIN indicators i ON f.indicator = i.id JOIN documents d ON f.doc = d.doc"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY i.position, f.doc, f.figure_start"
        )
        return self.query(sql, params)

    def problems(self) -> pd.DataFrame:
        return self.query("SELECT * FROM problems ORDER BY path")

    def series(self, region: str | None = None, indicator: str | None = None) -> pd.DataFrame:
        """One value per region, indicator and period across documents, with growth (see
        :mod:`analysis.series`), filtered by the arguments given."""
        where, params = _filters(region=region, indicator=indicator)
        return self.query(
            f"SELECT * FROM series{where} ORDER BY region, indicator, period_end, period_start",
            params,
        )

    def attainment(self, region: str | None = None) -> pd.DataFrame:
        """Each target beside the result reported for it: met, not met or no result."""
        where, params = _filters(region=region)
        return self.query(
            f"SELECT * FROM attainment{where} ORDER BY region, indicator, target_period_end",
            params,
        )

    def flags(self, region: str | None = None) -> pd.DataFrame:
        """Figures that cannot all be true, by rule, with the facts and quotes involved."""
        where, params = _filters(region=region)
        return self.query(
            f"SELECT * FROM flags{where} ORDER BY rule, region, indicator, period_end", params
        )

    def indicators(self) -> pd.DataFrame:
        return self.query("SELECT * FROM indicators ORDER BY position")

    def themes(self) -> pd.DataFrame:
        return self.query("SELECT * FROM themes ORDER BY position")

    def info(self) -> dict:
        return {r.key: json.loads(r.value) for r in self.query("SELECT * FROM info").itertuples()}

    def fingerprint(self, queries: Iterable[tuple[str, Iterable]]) -> str:
        """A hash of the results of ``queries``, to tell whether what a report reads changed.

        Computed in DuckDB (row count and the sum of row hashes: independent of row order,
        sensitive to any changed, added or removed row), so it costs milliseconds however
        large the result.
        """
        import hashlib

        digest = hashlib.sha256()
        for sql, params in queries:
            n, h = self.query(
                f"SELECT count(*) AS n, sum(hash(t)) AS h FROM ({sql}) AS t", params
            ).iloc[0]
            digest.update(f"{n}:{h};".encode())
        return digest.hexdigest()

    def export(self, out: Path, fmt: str) -> Path:
        """Write the facts to ``out`` as ``jsonl``, ``csv`` or ``parquet`` (written atomically)."""
        kinds = {
            "jsonl": "(FORMAT JSON)",
            "csv": "(FORMAT CSV, HEADER)",
            "parquet": "(FORMAT PARQUET)",
        }
        if fmt not in kinds:
            raise AnalysisError(f"unknown export format {fmt!r}; choose one of {sorted(kinds)}")
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = temporary_beside(out)  # DuckDB writes into it: it keeps the umask's mode
        columns = ", ".join(f'"{c}"' for c in FACT_COLUMNS)
        try:
            self.query(
                f"COPY (SELECT {columns} FROM facts ORDER BY doc, figure_start) TO '{_sql_path(tmp)}' {kinds[fmt]}"
            )
            os.replace(tmp, out)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        return out


def _filters(**values) -> tuple[str, list]:
    """`` WHERE a = ? AND b = ?`` for the values given (None: no filter)."""
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        return "", []
    return " WHERE " + " AND ".join(f"{k} = ?" for k in given), list(given.values())


def _sql_path(path: str | Path) -> str:
    return str(path).replace("'", "''")


#: The columns of the facts that the derived tables (series, attainment, flags) read.
_DERIVED_FROM = (
    "fact_id, doc, indicator, value, unit, bound, modality, period_start, period_end, region,"
    " province, region_level, subject, evidence, figure, figure_start, part_of"
)
#: The order of each derived table's rows (as analysis.series sorts them).
_DERIVED_ORDER = {
    "series": "region, indicator, period_end, period_start",
    "attainment": "region, indicator, target_period_end",
    "flags": "rule, region, indicator, period_end",
}


def written_version(extraction: str) -> str:
    """The version of a database's rows: the version of the ``extraction`` that gave them
    (the package's code and data, its libraries, the options), with the libraries that store
    and derive them."""
    from .cache import digest

    return digest(extraction, pd.__version__, duckdb.__version__)


def _in_regions(frame: pd.DataFrame, regions: set) -> pd.DataFrame:
    """The rows of ``frame`` whose region is one of ``regions`` (None: a missing region)."""
    from .series import _key

    keep = [_key(r) in regions for r in frame["region"].tolist()]
    return frame.loc[pd.Series(keep, index=frame.index, dtype=bool)]
