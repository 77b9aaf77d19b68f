"""The choices of the extraction's options, importable without the extraction's machinery:
the command line is built on every command, a build with nothing to do included, and
:mod:`analysis.pipeline` imports DuckDB and pandas."""

from __future__ import annotations

#: Where :func:`~analysis.pipeline.run_extraction` runs: local processes, or Dask.
ENGINES = ("local", "dask")

#: How :func:`~analysis.pipeline.run_extraction` uses the cache beside the database: read and
#: write it, only write it (every file read again, the cache refreshed), or leave it alone.
CACHE_MODES = ("use", "refresh", "off")
