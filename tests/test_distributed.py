"""The Dask engine writes the same database as the local one."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from analysis.errors import AnalysisError
from analysis.pipeline import run_extraction

pytestmark = pytest.mark.slow


def table(path, name):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"SELECT * FROM {name}").df()


def test_dask_and_local_engines_give_identical_facts(seeds_dir, seed_db, tmp_path):
    db = tmp_path / "dask.duckdb"
    summary = run_extraction(seeds_dir, db, engine="dask", progress=False)
    assert summary.documents == 5
    for name in ("documents", "facts", "problems", "doc_themes"):
        pd.testing.assert_frame_equal(table(seed_db, name), table(db, name))


def test_an_unreachable_scheduler_is_a_clear_error(seeds_dir, tmp_path):
    import dask

    with (
        dask.config.set({"distributed.comm.timeouts.connect": "2s"}),
        pytest.raises(AnalysisError, match="cannot reach the Dask scheduler"),
    ):
        run_extraction(
            seeds_dir,
            tmp_path / "x.duckdb",
            engine="dask",
            scheduler="tcp://127.0.0.1:9",
            progress=False,
        )
    assert not (tmp_path / "x.duckdb").exists()
