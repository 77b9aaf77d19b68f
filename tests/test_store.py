"""The fact database: written atomically, the same on every run, exported, read as DataFrames."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import duckdb
import pandas as pd
import pytest
from conftest import GOLD, load_jsonl

from analysis.evaluate import evaluate
from analysis.pipeline import run_extraction
from analysis.store import Store, StoreWriter

TABLES = ["documents", "doc_themes", "facts", "problems", "indicators", "themes", "info"]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, seeds_dir):
    path = tmp_path_factory.mktemp("db") / "facts.duckdb"
    run_extraction(seeds_dir, path, progress=False)
    return path


def table(path, name) -> pd.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"SELECT * FROM {name}").df()


def test_rerun_gives_the_same_content(seed_db, seeds_dir, tmp_path):
    again = tmp_path / "again.duckdb"
    run_extraction(seeds_dir, again, progress=False)
    for name in TABLES:
        pd.testing.assert_frame_equal(table(seed_db, name), table(again, name), check_like=False)


def test_store_reads_dataframes(seed_db):
    store = Store(seed_db)
    docs = store.documents()
    assert list(docs["doc"]) == sorted(docs["doc"]) and len(docs) == 5
    assert docs.set_index("doc").loc["001_1d9d22600e33a21a", "union_name"] == "景洪市总工会"
    cb = store.facts(theme="bargaining")
    assert set(cb["theme"]) == {"bargaining"} and "label_zh" in cb
    assert set(store.facts(region="恒口示范区")["value"]) >= {1141.0}
    assert len(store.indicators()) >= 9 and store.themes()["id"].iloc[0] == "bargaining"
    assert store.info()["documents"] == 5


def test_failed_write_keeps_the_old_database(seed_db, tmp_path):
    path = tmp_path / "keep.duckdb"
    shutil.copy(seed_db, path)
    before = table(path, "facts")
    with pytest.raises(RuntimeError), StoreWriter(path):
        raise RuntimeError("killed half way")
    pd.testing.assert_frame_equal(table(path, "facts"), before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.duckdb"]  # no temporary left


def test_exports(seed_db, tmp_path):
    store = Store(seed_db)
    n = len(store.facts())
    rows = [
        json.loads(line)
        for line in store.export(tmp_path / "f.jsonl", "jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    assert len(rows) == n and rows[0]["doc"] and isinstance(rows[0]["value"], float)
    assert len(pd.read_csv(store.export(tmp_path / "f.csv", "csv"))) == n
    with duckdb.connect() as con:
        assert (
            con.execute(
                f"SELECT count(*) FROM '{store.export(tmp_path / 'f.parquet', 'parquet')}'"
            ).fetchone()[0]
            == n
        )


def test_missing_database_says_what_to_run(tmp_path):
    with pytest.raises(Exception, match="python -m analysis extract"):
        Store(tmp_path / "none.duckdb")


def run_cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def test_extract_command_exports_jsonl_that_scores(seeds_dir, tmp_path):
    db = tmp_path / "x.duckdb"
    r = run_cli("extract", str(seeds_dir), "--format", "jsonl", "--db", str(db), "--quiet")
    assert r.returncode == 0, r.stderr
    facts = [json.loads(line) for line in r.stdout.splitlines()]
    result = evaluate(load_jsonl(GOLD / "seeds.jsonl"), facts)
    assert result.overall.precision >= 0.95 and result.overall.recall >= 0.95
    assert db.is_file()


def test_extract_command_to_files(seeds_dir, tmp_path):
    db = tmp_path / "x.duckdb"
    assert (
        run_cli(
            "extract", str(seeds_dir), "--out", str(tmp_path / "f.csv"), "--db", str(db), "--quiet"
        ).returncode
        == 0
    )
    assert "indicator" in (tmp_path / "f.csv").read_text(encoding="utf-8").splitlines()[0]
    r = run_cli("extract", str(seeds_dir), "--format", "parquet", "--db", str(db), "--quiet")
    assert r.returncode == 2 and "give --out FILE" in r.stderr


def test_extract_lists_problems_and_exits_by_what_was_read(mixed_corpus, tmp_path):
    db = tmp_path / "m.duckdb"
    r = run_cli("extract", str(mixed_corpus), "--db", str(db))
    assert r.returncode == 0
    assert "skipped: empty.txt: empty file" in r.stderr and "skipped: image.txt" in r.stderr
    assert "Traceback" not in r.stderr
    assert set(Store(db).problems()["path"]) == {"empty.txt", "image.txt"}
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    (only_bad / "empty.txt").write_bytes(b"")
    assert run_cli("extract", str(only_bad), "--db", str(tmp_path / "b.duckdb")).returncode == 1


@pytest.mark.slow
def test_worker_processes_give_the_same_database(seed_db, seeds_dir, tmp_path):
    corpus = tmp_path / "many"
    corpus.mkdir()
    for n in range(24):  # 120 files: enough to start two workers
        for f in seeds_dir.glob("*.txt"):
            (corpus / f"{n:02d}_{f.name}").write_bytes(f.read_bytes())
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    run_extraction(corpus, one, jobs=1, progress=False)
    run_extraction(corpus, two, jobs=2, progress=False)
    for name in ("documents", "facts", "problems"):
        pd.testing.assert_frame_equal(table(one, name), table(two, name))
    docs = table(one, "documents")
    assert docs["duplicate_of"].notna().sum() == 115  # the copies are recognized...
    assert len(table(one, "facts")) == len(table(seed_db, "facts"))  # ...and add no facts
