"""Where things are: package data, the default corpus, database and report folders.

Every path is resolved from the package or from arguments, never from the current directory
alone, so the same command works from cron, from a notebook and from the project root.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
TEMPLATE_DIR = PACKAGE_DIR / "templates"


def data_file(name: str) -> Path:
    """Path of a data file shipped with the package (``indicators.yaml``, ``lexicon.yaml``...)."""
    return DATA_DIR / name


def project_root() -> Path:
    """The project checkout: the folder holding ``pyproject.toml`` above the package.

    Falls back to the current directory when the package is installed elsewhere (a wheel).
    ``UNION_REPORTS_HOME`` overrides both.
    """
    env = os.environ.get("UNION_REPORTS_HOME")
    if env:
        return Path(env).resolve()
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").is_file():
        return candidate
    return Path.cwd().resolve()


def default_corpus() -> Path:
    return project_root() / "seeds"


def default_reports() -> Path:
    return project_root() / "reports"


def default_database() -> Path:
    """``reports/union-reports.duckdb`` unless ``UNION_REPORTS_DB`` names another file."""
    env = os.environ.get("UNION_REPORTS_DB")
    return Path(env).resolve() if env else default_reports() / "union-reports.duckdb"


def cache_dir() -> Path:
    """Private cache (the jieba prefix dictionary): ``UNION_REPORTS_CACHE`` or ``~/.cache``."""
    env = os.environ.get("UNION_REPORTS_CACHE")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    path = (base / "union-reports") if not env else base
    path.mkdir(parents=True, exist_ok=True)
    return path
