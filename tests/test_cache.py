"""The extraction cache beside the database: the same database with it and without it, only
what changed is read again, a corpus fingerprinted by content (a touch changes nothing), and
duplicates decided as without a cache."""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import sqlite3
from pathlib import Path

import duckdb
import psutil
import pytest
from conftest import SEEDS, seed_text, write_bad_corpus

import analysis.pipeline as pipeline
from analysis.build import corpus_fingerprint, corpus_keys
from analysis.cache import ResultCache, cache_folder
from analysis.files import MAX_BYTES
from analysis.pipeline import run_extraction
from analysis.store import Store

TABLES = [
    "documents", "doc_themes", "facts", "problems", "indicators", "themes", "info", "series",
    "attainment", "flags",
]  # fmt: skip
OPTIONS = {"keywords": True, "max_bytes": MAX_BYTES}


def content(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in the order the table holds them."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        assert names == set(TABLES)  # a new table must be compared too
        return {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}


def results_file(db: Path) -> Path:
    """The file of the cache's entries (one generation: the package as it is)."""
    (path,) = cache_folder(db).glob("*/results.sqlite")
    return path


def entries(db: Path) -> set[str]:
    """The names of the cache's entries, one per file extracted."""
    with contextlib.closing(sqlite3.connect(results_file(db))) as con:
        return {name for (name,) in con.execute("SELECT name FROM entries")}


def without_cache(corpus: Path, tmp_path: Path, **kw) -> dict[str, list[tuple]]:
    db = tmp_path / "reference" / "facts.duckdb"
    shutil.rmtree(db.parent, ignore_errors=True)
    run_extraction(corpus, db, progress=False, cache="off", **kw)
    assert not cache_folder(db).exists()
    return content(db)


@pytest.fixture
def read_files(monkeypatch) -> list[str]:
    """The files extraction really read (in this process), in order."""
    read: list[str] = []
    original = pipeline.process_args

    def recording(args):
        read.append(Path(args[0]).name)
        return original(args)

    monkeypatch.setattr(pipeline, "process_args", recording)
    return read


@pytest.fixture
def corpus(tmp_path) -> Path:
    """The seeds beside the awkward files of a scraped corpus (a duplicate, repairs, skips)."""
    root = tmp_path / "corpus"
    shutil.copytree(SEEDS, root)
    write_bad_corpus(root / "bad")
    return root


def extract(corpus: Path, db: Path, **kw):
    return run_extraction(corpus, db, progress=False, max_bytes=200_000, **kw)


def test_the_database_is_the_same_with_the_cache_and_without(corpus, tmp_path, read_files):
    reference = without_cache(corpus, tmp_path, max_bytes=200_000)
    n = len(read_files)
    read_files.clear()
    db = tmp_path / "out" / "facts.duckdb"
    first = extract(corpus, db)  # fills the cache
    assert first.cached == 0 and len(read_files) == n
    assert content(db) == reference
    again = extract(corpus, db)  # every file from the cache
    # Nothing read again but the file over --max-bytes, skipped by its size (never cached).
    assert read_files[n:] == ["huge.txt"] and again.cached == n - 1
    assert content(db) == reference
    assert (again.documents, again.facts, again.problems) == (
        first.documents,
        first.facts,
        first.problems,
    )


def test_only_an_added_changed_or_removed_file_is_read_again(tmp_path, read_files):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "out" / "facts.duckdb"
    extract(corpus, db)
    assert len(read_files) == 5

    def step(change) -> list[str]:
        change()
        read_files.clear()
        extract(corpus, db)
        read = list(read_files)
        assert content(db) == without_cache(corpus, tmp_path, max_bytes=200_000)
        return read

    assert step(lambda: None) == []
    new = corpus / "005_new.txt"
    assert step(
        lambda: new.write_text(
            "旬阳市总工会2024年工作总结\n\n全年新建基层工会12家,发展会员860人。\n", encoding="utf-8"
        )
    ) == ["005_new.txt"]
    seed = next(corpus.glob("003_*.txt"))
    assert step(
        lambda: seed.write_text(
            seed.read_text(encoding="utf-8") + "\n全年受理职工法律援助案件12件。\n",
            encoding="utf-8",
        )
    ) == [seed.name]
    assert step(new.unlink) == []
    # What the removed file gave is dropped from the cache with it.
    assert len(entries(db)) == 5


def test_duplicates_are_decided_as_without_a_cache(tmp_path, read_files):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = seed_text("000")
    for name, mtime in {"copy.txt": 2_000_000_000, "report.txt": 1_000_000_000}.items():
        (corpus / name).write_text(text, encoding="utf-8")
        os.utime(corpus / name, (mtime, mtime))
    db = tmp_path / "out" / "facts.duckdb"
    summary = extract(corpus, db)
    assert summary.duplicates == [["copy.txt", "report.txt"]]
    assert content(db) == without_cache(corpus, tmp_path, max_bytes=200_000)
    os.utime(corpus / "copy.txt", (500_000_000, 500_000_000))  # now the earlier one
    read_files.clear()
    extract(corpus, db)
    assert read_files == []
    kept = Store(db).documents().set_index("path")["duplicate_of"]
    assert kept.isna()["copy.txt"] and kept["report.txt"] == "copy"
    assert content(db) == without_cache(corpus, tmp_path, max_bytes=200_000)
    (corpus / "copy.txt").unlink()  # the one kept goes: the other has its facts again
    read_files.clear()
    extract(corpus, db)
    assert read_files == []
    assert content(db) == without_cache(corpus, tmp_path, max_bytes=200_000)


def test_another_version_of_the_package_reads_everything_again(tmp_path, read_files, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "out" / "facts.duckdb"
    extract(corpus, db)
    (old,) = [p for p in cache_folder(db).iterdir() if p.is_dir()]
    monkeypatch.setattr(pipeline, "extraction_version", lambda options: "another version")
    read_files.clear()
    extract(corpus, db)
    assert len(read_files) == 5
    assert not old.exists()  # dropped
    assert [p.name for p in cache_folder(db).iterdir() if p.is_dir()] == [
        ResultCache(cache_folder(db), "another version").dir.name
    ]


def test_refresh_reads_everything_and_off_leaves_the_cache_alone(tmp_path, read_files):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "out" / "facts.duckdb"
    extract(corpus, db)
    read_files.clear()
    assert extract(corpus, db, cache="refresh").cached == 0 and len(read_files) == 5
    folder = cache_folder(db)
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    assert extract(corpus, db, cache="off").cached == 0
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before


def cached_seeds(tmp_path: Path) -> tuple[Path, Path, dict[str, list[tuple]]]:
    """The seeds extracted once with the cache: corpus, database, the database without it."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "out" / "facts.duckdb"
    reference = without_cache(corpus, tmp_path)
    run_extraction(corpus, db, progress=False)
    return corpus, db, reference


def test_a_damaged_entry_or_a_killed_runs_temporary_costs_only_a_reading(tmp_path, read_files):
    corpus, db, reference = cached_seeds(tmp_path)
    names = sorted(entries(db))
    with sqlite3.connect(results_file(db)) as con:
        (value,) = con.execute("SELECT value FROM entries WHERE name = ?", names[:1]).fetchone()
        con.execute("UPDATE entries SET value = ? WHERE name = ?", (value[:100], names[0]))
        other = pickle.dumps(("another/file.txt", "0" * 64, None))
        con.execute("UPDATE entries SET value = ? WHERE name = ?", (other, names[1]))
    con.close()
    dead = next(pid for pid in range(4_000_000, 3_000_000, -1) if not psutil.pid_exists(pid))
    stale = results_file(db).parent / f".checked.{dead}-abc.tmp"
    stale.write_bytes(b"left by a killed run")
    read_files.clear()
    summary = run_extraction(corpus, db, progress=False)
    assert summary.cached == 3 and read_files == []  # the two read again in place
    assert content(db) == reference
    assert not stale.exists()
    assert len(entries(db)) == 5  # and stored again


def test_a_cache_file_left_unreadable_is_started_again(tmp_path, read_files):
    corpus, db, reference = cached_seeds(tmp_path)
    results_file(db).write_bytes(b"what a machine that stopped mid-write can leave" * 100)
    read_files.clear()
    summary = run_extraction(corpus, db, progress=False)
    assert summary.cached == 0 and len(read_files) == 5
    assert content(db) == reference
    read_files.clear()
    assert run_extraction(corpus, db, progress=False).cached == 5 and read_files == []


def test_a_run_that_stops_early_keeps_what_it_read(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "out" / "facts.duckdb"
    original = pipeline.process_args
    done = []

    def stopping(args):
        if len(done) == 3:
            raise KeyboardInterrupt
        done.append(args)
        return original(args)

    monkeypatch.setattr(pipeline, "process_args", stopping)
    with pytest.raises(KeyboardInterrupt):
        run_extraction(corpus, db, progress=False)
    assert len(entries(db)) == 3
    monkeypatch.setattr(pipeline, "process_args", original)
    assert run_extraction(corpus, db, progress=False).cached == 3


def test_a_cache_that_cannot_be_written_costs_time_not_the_run(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "out" / "facts.duckdb"
    db.parent.mkdir()
    cache_folder(db).write_text("a file where the cache folder should be")
    summary = run_extraction(corpus, db, progress=False)
    assert summary.documents == 5 and summary.cached == 0
    assert content(db) == without_cache(corpus, tmp_path)


# --------------------------------------------------------------------------- fingerprint


def fingerprint(corpus: Path, db: Path, duplicates=()) -> str:
    return corpus_fingerprint(corpus, OPTIONS, corpus_keys(corpus, db, MAX_BYTES), duplicates)


def test_the_corpus_fingerprint_is_by_content_not_by_file_times(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "out" / "facts.duckdb"
    before = fingerprint(corpus, db)
    seed = next(corpus.glob("001_*.txt"))
    os.utime(seed)  # touch
    assert fingerprint(corpus, db) == before
    # The same size, the old times put back: still seen (the change time moved).
    st = seed.stat()
    data = bytearray(seed.read_bytes())
    data[-2:] = b"!!"
    seed.write_bytes(bytes(data))
    os.utime(seed, ns=(st.st_atime_ns, st.st_mtime_ns))
    changed = fingerprint(corpus, db)
    assert changed != before
    (corpus / "sub").mkdir()
    shutil.copy(seed, corpus / "sub" / seed.name)
    assert fingerprint(corpus, db) != changed


def test_a_touch_reads_only_the_touched_file(tmp_path, monkeypatch):
    import analysis.cache

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "out" / "facts.duckdb"
    fingerprint(corpus, db)
    hashed: list[str] = []
    original = analysis.cache._file_sha256
    monkeypatch.setattr(
        analysis.cache, "_file_sha256", lambda p: hashed.append(p.name) or original(p)
    )
    fingerprint(corpus, db)
    assert hashed == []
    seed = next(corpus.glob("002_*.txt"))
    os.utime(seed)
    fingerprint(corpus, db)
    assert hashed == [seed.name]


def test_file_times_count_where_they_decide_which_duplicate_is_kept(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, mtime in {"a.txt": 1_000_000_000, "b.txt": 2_000_000_000}.items():
        (corpus / name).write_text(seed_text("000"), encoding="utf-8")
        os.utime(corpus / name, (mtime, mtime))
    (corpus / "c.txt").write_text(seed_text("001"), encoding="utf-8")
    db = tmp_path / "out" / "facts.duckdb"
    groups = [["a.txt", "b.txt"]]
    before = fingerprint(corpus, db, groups)
    os.utime(corpus / "c.txt")
    assert fingerprint(corpus, db, groups) == before  # not a duplicate: its time is nothing
    os.utime(corpus / "b.txt", (500_000_000, 500_000_000))
    assert fingerprint(corpus, db, groups) != before  # b is now the one kept


def test_extract_keeps_its_cache_beside_the_database_unless_told_not_to(tmp_path):
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)

    def extract_cli(db: Path, *extra: str) -> None:
        r = subprocess.run(
            [sys.executable, "-m", "analysis", "extract", corpus, "--db", db, "--quiet", *extra],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert r.returncode == 0, r.stderr

    extract_cli(tmp_path / "a" / "facts.duckdb")
    assert len(entries(tmp_path / "a" / "facts.duckdb")) == 5
    extract_cli(tmp_path / "b" / "facts.duckdb", "--cache", "off")
    assert not cache_folder(tmp_path / "b" / "facts.duckdb").exists()
    assert content(tmp_path / "a" / "facts.duckdb") == content(tmp_path / "b" / "facts.duckdb")


def test_the_data_files_are_checked_once_per_version(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "out" / "facts.duckdb"
    samples: list[bool] = []
    original = pipeline.check_data_files
    monkeypatch.setattr(
        pipeline, "check_data_files", lambda sample=True: samples.append(sample) or original(sample)
    )
    extract(corpus, db)
    extract(corpus, db)
    extract(corpus, db, cache="off")
    assert samples == [True, False, True]
    monkeypatch.setattr(pipeline, "extraction_version", lambda options: "another version")
    extract(corpus, db)
    assert samples[-1] is True


DERIVED = ["series", "attainment", "flags"]


def test_only_the_changed_regions_are_derived_again_and_the_tables_come_out_the_same(
    tmp_path, monkeypatch
):
    """Series, attainment and flags of an incremental extraction: the regions of the changed
    documents computed again, the others copied from the database it replaces, and every
    table, row for row, as a computation from scratch gives it."""
    import analysis.series as series
    from analysis.store import StoreWriter

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    shutil.copytree(Path(SEEDS).parent / "multiyear", corpus / "multiyear")
    (corpus / "multiyear" / "README.md").unlink()
    db = tmp_path / "out" / "facts.duckdb"
    extract(corpus, db)
    monkeypatch.setattr(StoreWriter, "REUSE_SHARE", 1.0)  # reuse however much changed
    derived_from: list[int] = []
    original = series.build_series

    def recording(facts, documents, indicators):
        derived_from.append(len(facts))
        return original(facts, documents, indicators)

    monkeypatch.setattr(series, "build_series", recording)

    def step(change) -> int:
        change()
        derived_from.clear()
        extract(corpus, db)
        (facts_read,) = derived_from
        got = content(db)
        monkeypatch.setattr(StoreWriter, "REUSE_SHARE", -1.0)  # the reference: all computed
        reference = without_cache(corpus, tmp_path, max_bytes=200_000)
        monkeypatch.setattr(StoreWriter, "REUSE_SHARE", 1.0)
        assert derived_from[-1] == len(reference["facts"])
        for table in DERIVED:
            assert got[table] == reference[table], table
        assert got == reference
        return facts_read

    total = len(content(db)["facts"])
    assert step(lambda: None) == 0  # nothing changed: every row copied
    review = corpus / "multiyear" / "qian-2022-review.txt"
    text = review.read_text(encoding="utf-8")
    # Another figure for one county: its series, growth and the attainment of its plan.
    assert (
        0
        < step(lambda: review.write_text(text.replace("3.2万人", "3.4万人"), encoding="utf-8"))
        < total
    )
    # Another publication date: which of two values for a cell wins.
    assert (
        0
        < step(
            lambda: review.write_text(
                text.replace("2023-01-10", "2022-12-28").replace("3.2万人", "3.4万人"),
                encoding="utf-8",
            )
        )
        < total
    )
    added = corpus / "multiyear" / "qian-2024-plan.txt"
    # A new plan, with a rate above 100%; then a review that met a target goes, and the plan.
    step(
        lambda: added.write_text(
            "乾县总工会2024年工作要点\n发布时间:2023-12-20 来源:乾县总工会\n"
            "2024年,力争新建基层工会40家,全县会员总数达到3.6万人。\n"
            "职工入会率达到120%。\n",
            encoding="utf-8",
        )
    )
    step((corpus / "multiyear" / "qian-2023-review.txt").unlink)
    step(added.unlink)


def test_a_database_written_by_another_version_gives_no_rows(tmp_path, monkeypatch):
    """Neither its documents' rows nor its derived tables are reused: all are written again."""
    import analysis.series as series
    import analysis.store as store

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db = tmp_path / "out" / "facts.duckdb"
    extract(corpus, db)
    monkeypatch.setattr(store.StoreWriter, "REUSE_SHARE", 1.0)
    monkeypatch.setattr(pipeline, "written_version", lambda version: "another version")
    derived_from: list[int] = []
    copied: list[list[str]] = []
    original_series, original_copy = series.build_series, store.StoreWriter._copy
    monkeypatch.setattr(
        series,
        "build_series",
        lambda facts, *a: derived_from.append(len(facts)) or original_series(facts, *a),
    )
    monkeypatch.setattr(
        store.StoreWriter,
        "_copy",
        lambda self, docs: copied.append(list(docs)) or original_copy(self, docs),
    )
    extract(corpus, db)  # nothing changed, but written by another version
    assert derived_from == [len(content(db)["facts"])] and copied == []
    extract(corpus, db)  # now by this one: every row copied, none derived again
    assert derived_from[1:] == [0] and sum(map(len, copied)) == 5
