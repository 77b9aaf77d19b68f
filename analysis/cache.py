"""What is kept between runs beside the database, so that a run reads only what changed.

Two things, in a hidden folder next to the database (``reports/.union-reports.duckdb.cache/``):

- **content keys** (``stat.json``): each corpus file's SHA-256, remembered with the file's size,
  modification time, inode and change time, so that a file whose ``stat`` did not change is not
  read again, and a file that was only touched (new times, same bytes) is read once and found
  unchanged. A corpus is fingerprinted by content, not by file times.
- **extraction results** (``<generation>/results.sqlite``, a row per file): what one file
  gave (the ``Outcome`` of :mod:`analysis.extraction`, pickled), keyed by the file's content
  and its path in the corpus. A generation is one version of the package's code and data with
  one set of extraction options; opening the cache for another drops the others, so nothing
  extracted by other code is ever reused.

Every file is written atomically (a temporary beside it, then renamed; the results by SQLite's
commits), so a killed run leaves entries that are whole or absent, never partial; a temporary
it left is removed by the next run. The cache only saves time: an entry that cannot be read or
written is extracted again, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import shutil
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path

from . import __version__
from .paths import PACKAGE_DIR, atomic_write, remove_stale_temporaries

log = logging.getLogger(__name__)

STAT_FILE = "stat.json"
ENTRIES_FILE = "results.sqlite"
#: Entries written between two commits (what a killed run can lose).
COMMIT_EVERY = 100
CHECKED_FILE = "checked"
_HASH_CHUNK = 1 << 20


def digest(*parts: bytes | str) -> str:
    """SHA-256 of ``parts`` (each ended by a NUL, so that ``('ab', 'c')`` is not ``('a', 'bc')``)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def code_fingerprint() -> str:
    """The package's code, data and templates: what other code made is out of date."""
    files = sorted(
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file()
        and p.suffix in (".py", ".yaml", ".j2", ".json", ".css", ".txt")
        and "__pycache__" not in p.parts
    )
    return digest(
        __version__, *(f"{p.relative_to(PACKAGE_DIR)}:{digest(p.read_bytes())}" for p in files)
    )


#: The libraries whose version changes what a file gives (decoding, the article of a page,
#: conversion to Simplified, places, words): results of another version are not reused.
EXTRACTION_LIBRARIES = (
    "charset-normalizer",
    "trafilatura",
    "lxml",
    "opencc",
    "cpca",
    "rjieba",
    "jieba",
)


def library_versions() -> dict[str, str]:
    """The installed versions of :data:`EXTRACTION_LIBRARIES` (and of Python)."""
    from importlib import metadata

    versions = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in EXTRACTION_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def extraction_version(options: dict) -> str:
    """The version of extraction results: the package's code and data, the libraries it reads
    with, and the options (``max_bytes``, ``keywords``)."""
    return digest(
        code_fingerprint(),
        json.dumps(library_versions(), sort_keys=True),
        json.dumps(options, sort_keys=True),
    )


def cache_folder(database: Path) -> Path:
    """The cache of the database ``database``: a hidden folder beside it."""
    database = Path(database)
    return database.parent / f".{database.name}.cache"


# --------------------------------------------------------------------------- content keys


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class ContentKeys:
    """The content key of each corpus file, from ``stat.json`` where its ``stat`` is unchanged.

    A key is the file's SHA-256; for a file larger than ``max_bytes`` (skipped unread) it is
    its size; for a file that cannot be read (a link that leads nowhere, no permission) there is
    none (``None``: such a file is always read again, which costs nothing).
    """

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = Path(folder)
        self.root = str(Path(root).resolve())
        self._known: dict[str, list] = {}
        self._seen: dict[str, list] = {}
        self._changed = False
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            data = json.loads((self.folder / STAT_FILE).read_text(encoding="utf-8"))
            if data.get("root") == self.root:
                self._known = {k: v for k, v in data["files"].items() if len(v) == 5}

    def key(self, path: Path, rel: str, max_bytes: int) -> str | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        stat = _stat_key(st)
        if st.st_size > max_bytes:
            return f"size:{st.st_size}"
        known = self._known.get(rel)
        if known is not None and known[:4] == stat:
            self._seen[rel] = known
            return known[4]
        try:
            sha = _file_sha256(path)
        except OSError:
            return None
        self._seen[rel] = [*stat, sha]
        self._changed = True
        return sha

    def unchanged(self, path: Path, rel: str) -> bool:
        """Whether the file is still as it was when its key was taken (not rewritten since)."""
        try:
            return self._seen.get(rel, [None])[:4] == _stat_key(os.stat(path))
        except OSError:
            return False

    def save(self) -> None:
        """Write what was seen (only the files of this corpus), when anything changed."""
        if not self._changed and set(self._seen) == set(self._known):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(self.folder, STAT_FILE)
            atomic_write(
                self.folder / STAT_FILE,
                json.dumps({"root": self.root, "files": self._seen}, separators=(",", ":")),
                durable=False,
            )
        except OSError as e:  # a cache that cannot be written costs time, not the run
            log.debug("cannot write %s: %s", self.folder / STAT_FILE, e)


def content_keys(
    files: Iterable[Path], root: Path, folder: Path, max_bytes: int
) -> dict[str, str | None]:
    """``{path relative to root: content key}`` for ``files`` (see :class:`ContentKeys`),
    remembering the keys in ``folder`` for the next run."""
    keys = ContentKeys(folder, root)
    out = {}
    for p in files:
        rel = relative(p, root)
        out[rel] = keys.key(p, rel, max_bytes)
    keys.save()
    return out


def relative(path: Path, root: Path) -> str:
    """A corpus file's path as the documents name it: relative to the corpus, with slashes."""
    return Path(path).relative_to(root).as_posix() if root else Path(path).name


# --------------------------------------------------------------------------- results


class ResultCache:
    """Extraction results by file, for one generation (code version and options).

    The entries of a generation are the rows of one SQLite file (``<generation>/results.sqlite``,
    from the standard library): a file per entry cost a file created and renamed per document,
    1 to 2 s of a first extraction of 1,500 documents on one core; rows cost 0.03 s. Rows are
    committed every :data:`COMMIT_EVERY` entries, so a killed run keeps what it committed
    (SQLite's commits are atomic however a process ends); a file that a machine that stopped
    left unreadable is removed and the run goes on without it.

    Opening it drops the other generations and what a killed run left; :meth:`prune` then drops
    the entries of files that are no longer in the corpus.
    """

    def __init__(self, folder: Path, generation: str) -> None:
        self.folder = Path(folder)
        self.dir = self.folder / generation[:32]
        self._used: set[str] = set()
        self._names: set[str] = set()
        self._db: sqlite3.Connection | None = None
        self._pending = 0
        self.hits = self.misses = 0
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            for other in self.folder.iterdir():
                if other.is_dir() and not other.is_symlink() and other != self.dir:
                    shutil.rmtree(other, ignore_errors=True)
            remove_stale_temporaries(self.dir)
        except OSError as e:
            log.debug("cannot prepare %s: %s", self.dir, e)
            return
        self._db = self._open()

    @property
    def path(self) -> Path:
        """The file that holds the entries."""
        return self.dir / ENTRIES_FILE

    def _open(self) -> sqlite3.Connection | None:
        for _ in range(2):  # once more after removing a file that is not a database
            con = None
            try:
                # Autocommit mode: transactions are begun and committed here (see put).
                con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
                con.execute("PRAGMA journal_mode=WAL")  # readers and one writer, fewer syncs
                con.execute("PRAGMA synchronous=OFF")  # a cache: whole after a killed process
                con.execute(
                    "CREATE TABLE IF NOT EXISTS entries (name TEXT PRIMARY KEY, value BLOB NOT NULL)"
                )
                self._names = {name for (name,) in con.execute("SELECT name FROM entries")}
                return con
            except sqlite3.DatabaseError as e:  # not a database, or damaged
                log.debug("cannot read %s: %s", self.path, e)
                if con is not None:
                    con.close()
                if not self._remove():
                    return None
            except (OSError, sqlite3.Error) as e:
                log.debug("cannot open %s: %s", self.path, e)
                if con is not None:
                    con.close()
                return None
        return None

    def _remove(self) -> bool:
        """Remove the entries' file (and SQLite's files beside it); whether it is gone."""
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self.path}{suffix}")
        except OSError as e:
            log.debug("cannot remove %s: %s", self.path, e)
            return False
        return True

    def _failed(self, e: Exception) -> None:
        """An entry could not be read or written: go on without the cache (the next run
        starts a new one if this one is damaged)."""
        log.debug("cache %s: %s", self.path, e)
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError):
            self._remove()

    @property
    def checked(self) -> bool:
        """Whether the package's data files of this generation were checked (they are part
        of its version: see :func:`extraction_version`)."""
        return (self.dir / CHECKED_FILE).is_file()

    def mark_checked(self) -> None:
        if self.checked:
            return
        with contextlib.suppress(OSError):
            atomic_write(self.dir / CHECKED_FILE, "the data files of this version were read\n")

    @staticmethod
    def _name(rel: str, content: str) -> str:
        return digest(rel, content)[:40]

    def __len__(self) -> int:
        """How many entries are stored."""
        return len(self._names) if self._db is not None else 0

    def has(self, rel: str, content: str | None) -> bool:
        """Whether a result is stored for this file and content (see :meth:`get`)."""
        return content is not None and self._name(rel, content) in self._names

    def get(self, rel: str, content: str | None) -> object | None:
        """The result stored for this file and content, or None."""
        if content is None or self._db is None:
            return None
        name = self._name(rel, content)
        try:
            row = self._db.execute("SELECT value FROM entries WHERE name = ?", (name,)).fetchone()
        except sqlite3.Error as e:
            self._failed(e)
            row = None
        try:
            stored_rel, stored_content, value = pickle.loads(row[0])
        except Exception:  # missing, or damaged
            self.misses += 1
            return None
        if (stored_rel, stored_content) != (rel, content):
            self.misses += 1
            return None
        self._used.add(name)
        self.hits += 1
        return value

    def put(self, rel: str, content: str | None, value: object) -> None:
        """Store a result (best effort: a cache that cannot be written costs time only)."""
        if content is None or self._db is None:
            return
        name = self._name(rel, content)
        self._used.add(name)
        try:
            data = pickle.dumps((rel, content, value), protocol=pickle.HIGHEST_PROTOCOL)
            if not self._db.in_transaction:
                self._db.execute("BEGIN")
            self._db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?)", (name, data))
            self._names.add(name)
            self._pending += 1
            if self._pending >= COMMIT_EVERY:
                self._commit()
        except (sqlite3.Error, pickle.PicklingError) as e:
            self._failed(e)

    def _commit(self) -> None:
        if self._db is not None and self._db.in_transaction:
            self._db.execute("COMMIT")
        self._pending = 0

    def prune(self) -> None:
        """Remove the entries that this run neither read nor wrote (files gone or changed),
        and write what is pending."""
        if self._db is None:
            return
        try:
            gone = [(name,) for name in self._names - self._used]
            if gone:
                if not self._db.in_transaction:
                    self._db.execute("BEGIN")
                self._db.executemany("DELETE FROM entries WHERE name = ?", gone)
                self._names -= {name for (name,) in gone}
            self._commit()
        except sqlite3.Error as e:
            self._failed(e)

    def close(self) -> None:
        """Write what is pending and close the file."""
        if self._db is None:
            return
        try:
            self._commit()
            self._db.close()
        except sqlite3.Error as e:
            log.debug("cache %s: %s", self.path, e)
        self._db = None
