"""Where things are: package data, the default corpus, database and report folders; and how
files are put there (atomically, with the user's umask, temporaries named by their process).

Every path is resolved from the package or from arguments, never from the current directory
alone, so the same command works from cron, from a notebook and from the project root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
TEMPLATE_DIR = PACKAGE_DIR / "templates"


def data_file(name: str) -> Path:
    """Path of a data file shipped with the package (``indicators.yaml``, ``lexicon.yaml``...)."""
    return DATA_DIR / name


def package_folder(name: str) -> Path | None:
    """The folder of an installed package, found without importing it (None if it is not
    installed): for its data files, where importing the package would cost time or change
    global settings (cpca, jieba, mpl_font)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def parse_yaml(text: str):
    """``yaml.safe_load(text)``, parsed by libyaml where PyYAML has it: every worker and
    kernel reads the data files, and the pure-Python parser took ten times as long. The
    values are the same (the constructor is PyYAML's safe one either way)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


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


# --------------------------------------------------------------------------- writing files


def _create_beside(path: Path, suffix: str) -> tuple[int, Path]:
    """A new file beside ``path``, open for writing: ``.<name>.<pid>-<random><suffix>``.

    Created with ``O_EXCL`` and mode 0666, which the kernel masks with the process's umask, as
    for any new file (0644 by default; not mkstemp's 0600, so that what it becomes can be served
    by a web server running as another user), in one system call: no chmod, no umask read."""
    prefix = f".{path.name}.{os.getpid()}-"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = path.parent / f"{prefix}{os.urandom(5).hex()}{suffix}"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: no free name for a temporary of {path.name}")


def temporary_beside(path: Path, suffix: str = ".tmp") -> Path:
    """A new empty file beside ``path``, named ``.<name>.<pid>-<random>.tmp`` so that a later run
    can tell a leftover of a killed process from the file of one still running. Its mode is
    the one a new file gets from the umask (see :func:`_create_beside`)."""
    fd, tmp = _create_beside(Path(path), suffix)
    os.close(fd)
    return tmp


def atomic_write(path: Path, data: bytes | str, durable: bool = True) -> None:
    """Write ``path`` so that readers see the old file or the new one, never a part.

    ``durable``: on disk before it replaces the old file (fsync), so that even a machine that
    stops loses only the new version. Without it (a cache entry, checked when read) a killed
    process still leaves a whole file or none, and thousands of small files are written fast.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = _create_beside(path, ".tmp")
    try:
        with open(fd, "wb", closefd=True) as f:
            f.write(raw)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


_TEMPORARY = re.compile(r"\.(?P<name>.+?)\.(?:(?P<pid>\d+)-)?[^.]+\.tmp(?:\.[a-z]+)?")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale_temporaries(folder: Path, name: str | None = None) -> list[Path]:
    """Remove the temporaries in ``folder`` (of the file ``name``, or of any) whose process is
    no longer running: what a killed run left (see :func:`temporary_beside`; DuckDB adds
    ``.wal`` files and ``.spill`` folders). Those of a running process are kept; those named
    without a process (by earlier versions) are removed. Returns what was removed."""
    pattern = f".{glob.escape(name) if name else '*'}.*.tmp*"
    removed = []
    for p in Path(folder).glob(pattern):
        m = _TEMPORARY.fullmatch(p.name)
        if not m or (name and m["name"] != name) or (m["pid"] and _running(int(m["pid"]))):
            continue
        with contextlib.suppress(OSError):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
            removed.append(p)
    return removed
