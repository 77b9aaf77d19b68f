"""A folder of .txt and .html files -> clean documents with metadata.

The only module that reads input files. Files are read one at a time (:func:`iter_corpus` is a
generator), so a corpus of any size streams through in constant memory. A file that cannot be
read becomes a :class:`Problem` naming it and the reason; the others are read all the same.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

from .errors import DocumentError
from .files import MAX_BYTES, corpus_files, reading_order
from .lexicon import domain_pattern
from .metadata import Metadata, detect
from .quantities import parse_quantities
from .text import (
    Aligned,
    LineInfo,
    classify_lines,
    clean,
    drop_clutter,
    find_repeats,
    split_sentences,
)

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    """A file skipped (``error``) or read with a repair (``warning``), and why."""

    path: str  # relative to the corpus folder
    reason: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Document:
    """One article: its original text, the cleaned text, offsets between them, metadata."""

    id: str  # path relative to the corpus, without extension ("000_57f4...")
    path: str  # path relative to the corpus folder
    encoding: str
    sha256: str  # of the file's bytes
    original: str  # decoded text (for HTML, the extracted article)
    cleaned: Aligned  # cleaned text and offsets into ``original``
    meta: Metadata
    repeats: tuple[tuple[int, int, int], ...] = ()  # repeated sentences: start, end, first start
    headline: int = (
        0  # length of the title line at the head of ``text`` (0: the title is not in it)
    )
    duplicate_of: str | None = None  # id of an earlier document with the same cleaned text
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return self.cleaned.text

    @property
    def text_key(self) -> str:
        """Documents with the same cleaned text have the same key (duplicates)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.cleaned.original_span(start, end)

    def sentences(self) -> list[tuple[int, int]]:
        return split_sentences(self.text)

    def is_repeat(self, start: int, end: int) -> bool:
        """Whether the span lies in a sentence that repeats an earlier one."""
        return any(s <= start and end <= e for s, e, _ in self.repeats)


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def decode(data: bytes, name: str = "<bytes>") -> tuple[str, str, list[str]]:
    """Decode a file's bytes: ``(text, encoding, warnings)``.

    A byte-order mark decides; else strict UTF-8 (valid UTF-8 is unambiguous, and checking it
    first spares charset-normalizer's slower analysis on most files); else charset-normalizer
    detects GB18030/GBK, Big5, UTF-16 and the rest. A UTF-8 file cut inside its last character
    is read without that character, with a warning.

    Raises :class:`DocumentError` for empty, binary and undecodable input.
    """
    if not data.strip():
        raise DocumentError(name, "empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc), name), enc, []
            except UnicodeDecodeError as e:
                raise DocumentError(
                    name,
                    f"starts with a {enc} byte-order mark but is not {enc} ({e.reason} at byte {e.start})",
                ) from e
    try:
        return _checked(data.decode("utf-8"), name), "utf-8", []
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.end == len(data):
            text = data[: e.start].decode("utf-8")
            return (
                _checked(text, name),
                "utf-8",
                [f"truncated UTF-8: the incomplete character at byte {e.start} was dropped"],
            )
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(name, "not text: no known encoding decodes it (a binary file?)")
    return _checked(str(best), name), best.encoding, []


def _checked(text: str, name: str) -> str:
    if len(_CONTROL.findall(text[:20000])) > max(8, len(text[:20000]) // 50):
        raise DocumentError(name, "not text: it is full of control characters (a binary file?)")
    return text


# --------------------------------------------------------------------------- HTML


def html_to_text(html: str) -> tuple[str, dict]:
    """The article of an HTML page as plain text, and the title/date/site found in its tags.

    trafilatura finds the main text (scripts, styles, menus and comments never kept); when it
    finds nothing (a short page), the text of the ``<body>`` without scripts and styles is used.
    """
    import trafilatura
    from lxml import html as lxml_html

    hints: dict = {}
    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, favor_recall=True, with_metadata=True
    )
    body = ""
    if doc is not None:
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        body = data.get("text") or ""
        hints = {k: data.get(k) for k in ("title", "date") if data.get(k)}
        if data.get("sitename"):
            hints["source"] = data["sitename"]
    if len(body.strip()) < 20:
        try:
            tree = lxml_html.fromstring(html)
        except (ValueError, lxml_html.etree.ParserError):
            tree = None
        if tree is not None:
            for bad in tree.xpath("//script|//style|//noscript|//template|//head"):
                bad.drop_tree()
            for block in tree.xpath("//p|//div|//br|//li|//h1|//h2|//h3|//h4|//tr"):
                block.tail = "\n" + (block.tail or "")
            body = tree.text_content()
            if not hints.get("title"):
                title = lxml_html.fromstring(html).findtext(".//title")
                if title:
                    hints["title"] = title.strip()
    if not _CJK.search(body):
        # lxml stops building a tree some hundred levels deep, so a page nested deeper (10,000
        # <div>s) holds text that neither of the above sees; a streaming parser reads it.
        body, title = _stream_text(html)
        if title and not hints.get("title"):
            hints["title"] = title
    title = hints.get("title")
    text = f"{title}\n\n{body}" if title and not body.lstrip().startswith(title) else body
    return text, hints


_CJK = re.compile(r"[\u3400-\u9fff]")


class _TextParser(HTMLParser):
    """The text of a page outside scripts, styles and the head, one block a line; no tree is
    built, so any depth of nesting reads in one pass."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head", "title"})
    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIP:
            self.skipping.append(tag)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)
        elif self.skipping[-1] == "title":
            self.title.append(data)


def _stream_text(html: str) -> tuple[str, str]:
    """The text and the title of a page, by :class:`_TextParser`."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = re.sub(r"\n\s*\n+", "\n", "".join(parser.parts))
    return text, " ".join("".join(parser.title).split())


# --------------------------------------------------------------------------- reading


def read_document(path: Path, root: Path | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """Read, decode, clean and describe one file. Raises :class:`DocumentError`."""
    rel = path.relative_to(root).as_posix() if root else path.name
    if path.is_symlink() and not path.exists():
        raise DocumentError(rel, _broken_link(path))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                rel, f"too large: {size:,} bytes (limit {max_bytes:,}; see --max-bytes)"
            )
        data = path.read_bytes()
    except OSError as e:
        raise DocumentError(rel, f"cannot be read: {e.strerror or e}") from e
    text, encoding, warnings = decode(data, rel)
    hints: dict = {}
    if path.suffix.lower() in (".html", ".htm"):
        text, hints = html_to_text(text)
    return make_document(
        text,
        doc_id=str(Path(rel).with_suffix("").as_posix()),
        path=rel,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        hints=hints,
        warnings=warnings,
    )


def _broken_link(path: Path) -> str:
    try:
        path.stat()
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "a symbolic link that loops (it never leads to a file)"
    return f"a symbolic link to {os.readlink(path)}, which does not exist"


def make_document(
    original: str,
    doc_id: str,
    path: str = "",
    encoding: str = "utf-8",
    sha256: str = "",
    hints: dict | None = None,
    warnings: list[str] | None = None,
) -> Document:
    """Clean and describe a text already decoded (the pipeline after reading bytes)."""
    domain = domain_pattern()
    normalized = clean(
        original,
        steps=[
            "drop_controls",
            "normalize_newlines",
            "strip_pinyin",
            "to_simplified",
            "fold_width",
            "join_wrapped_lines",
        ],
    )
    lines = classify_lines(normalized.text, domain)
    kept = _with_title_figures(normalized.text, lines)
    cleaned = drop_clutter(normalized, domain, kept)
    if not re.search(r"[\u3400-\u9fff]", cleaned.text):
        raise DocumentError(path or doc_id, "no Chinese article text left after cleaning")
    headline = 0
    body = cleaned.text
    if kept is not lines and "\n" in body:  # the title is the first line: metadata reads the body
        headline = body.index("\n")
        body = body[headline + 1 :]
    meta = detect(normalized.text, lines, body, hints)
    return Document(
        id=doc_id,
        path=path or doc_id,
        encoding=encoding,
        sha256=sha256 or hashlib.sha256(original.encode("utf-8")).hexdigest(),
        original=original,
        cleaned=cleaned,
        meta=meta,
        repeats=tuple(find_repeats(cleaned.text)),
        headline=headline,
        warnings=tuple(warnings or ()),
    )


def _with_title_figures(text: str, lines: list[LineInfo]) -> list[LineInfo]:
    """``lines`` with a title that gives a figure (``杭州余杭区签订集体协商合同1646份``) kept as
    content: a page's headline figure may be nowhere in its body. (Facts drop the headline's
    copy of a figure the body gives too.) Other titles stay out of the text."""
    for i, li in enumerate(lines):
        if li.kind == "title":
            if any(q.unit for q in parse_quantities(text[li.start : li.end])):
                return [
                    *lines[:i],
                    replace(li, kind="content", reason="title with a figure"),
                    *lines[i + 1 :],
                ]
            break
    return lines


def iter_corpus(root: Path, max_bytes: int = MAX_BYTES) -> Iterator[Document | Problem]:
    """Documents and problems of a folder, one file at a time, in :func:`reading_order`.

    A document whose cleaned text equals an earlier one's is yielded with ``duplicate_of`` set
    and a warning :class:`Problem`.
    """
    root = Path(root)
    base = root if root.is_dir() else root.parent
    seen: dict[str, str] = {}
    for path in reading_order(corpus_files(root), base):
        try:
            doc = read_document(path, base, max_bytes)
        except DocumentError as e:
            yield Problem(e.path, e.reason)
            continue
        for w in doc.warnings:
            yield Problem(doc.path, w, WARNING)
        key = doc.text_key
        if key in seen:
            doc = replace(doc, duplicate_of=seen[key])
            yield Problem(doc.path, duplicate_reason(seen[key]), WARNING)
        else:
            seen[key] = doc.id
        yield doc


def duplicate_reason(first: str) -> str:
    """The problem reported for a document whose text repeats document ``first``."""
    return f"same text as {first}; its figures are counted once"


@dataclass
class Corpus:
    documents: list[Document]
    problems: list[Problem]

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def read_corpus(root: Path, max_bytes: int = MAX_BYTES) -> Corpus:
    """Every document and problem of a folder, in memory (for small corpora and notebooks)."""
    docs, problems = [], []
    for item in iter_corpus(root, max_bytes):
        (docs if isinstance(item, Document) else problems).append(item)
    docs.sort(key=lambda d: d.path)  # listed by name, whatever order they were read in
    problems.sort(key=lambda p: p.path)
    return Corpus(docs, problems)
